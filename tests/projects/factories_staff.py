"""Helpers for the staff pages' tests: experts, sessions, criteria, documents, reviews."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.core.files.base import ContentFile
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Organisation
from clusterdesk.projects.models import (
    Application,
    ApplicationDocument,
    Call,
    CommitteeSession,
    Criterion,
    ExpertProfile,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from tests.factories import CallFactory, OrganisationFactory, UserFactory, application, grant

# factory_boy's factories, typed as what they build.


def new_call(cluster: Cluster, **fields: Any) -> Call:
    return cast(Call, CallFactory(cluster=cluster, **fields))


def new_organisation(**fields: Any) -> Organisation:
    return cast(Organisation, OrganisationFactory(**fields))


def new_user(cluster: Cluster, *roles: str) -> User:
    return grant(cast(User, UserFactory()), cluster, *roles)


def eligible_partners() -> tuple[tuple[Organisation, str], ...]:
    """An SME coordinator and a research lab: what the default call asks for."""
    sme = new_organisation(kind="pme", headcount_band="12")
    lab = new_organisation(kind="research_org")
    return ((sme, "coordinator"), (lab, "partner"))


def eligible_application(cluster: Cluster, call: Call | None = None, **fields: Any) -> Application:
    return application(cluster, call, partners=eligible_partners(), **fields)


def expert(cluster: Cluster, user: User | None = None, **fields: Any) -> ExpertProfile:
    person = user or new_user(cluster, Role.EXPERT)
    fields.setdefault("competences", "diagnostic rapide des infections")
    return ExpertProfile.objects.create(cluster=cluster, user=person, **fields)


def committee_session(cluster: Cluster, *members: User, **fields: Any) -> CommitteeSession:
    fields.setdefault("title", "Comité de labellisation")
    # A coming session (an application is put before a session still to be held).
    fields.setdefault("date", timezone.localdate() + timedelta(days=30))
    session = CommitteeSession.objects.create(cluster=cluster, **fields)
    session.members.set(members)
    return session


def criterion(call: Call, name: str = "Innovation", weight: int = 1) -> Criterion:
    return Criterion.objects.create(cluster=call.cluster, call=call, name=name, weight=weight)


def document(app: Application, name: str = "annexe.pdf") -> ApplicationDocument:
    doc = ApplicationDocument(
        cluster=app.cluster, application=app, kind="proposal", name=name, size=11
    )
    doc.file.save(name, ContentFile(b"%PDF-secret"), save=False)
    doc.save()
    return doc


def submitted_review(
    assignment: ReviewAssignment, scores: dict[Criterion, int], recommendation: str = "label"
) -> Review:
    now = timezone.now()
    ReviewAssignment.objects.filter(pk=assignment.pk).update(no_conflict_declared_at=now)
    review = Review.objects.create(
        cluster=assignment.cluster,
        assignment=assignment,
        recommendation=recommendation,
        submitted_at=now,
    )
    for crit, score in scores.items():
        ReviewScore.objects.create(
            cluster=assignment.cluster, review=review, criterion=crit, score=score
        )
    return review
