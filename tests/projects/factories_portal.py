"""Factories for the member portal's and the reviewers' pages: the people around an
application (a member speaking for an organisation, an expert and their assignment) and a
stored document."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Contact, Organisation
from clusterdesk.projects.models import (
    Application,
    ApplicationDocument,
    Call,
    Criterion,
    ExpertProfile,
    ReviewAssignment,
)
from tests.factories import ContactFactory, UserFactory, follow, grant

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def speaks_for(cluster: Cluster, organisation: Organisation, user: User | None = None) -> User:
    """A portal account (member role) linked to a contact of the organisation."""
    user = user or UserFactory()
    if not user.cluster_roles.filter(cluster=cluster, role=Role.MEMBER).exists():
        grant(user, cluster, Role.MEMBER)
    follow(cluster, organisation)
    contact_for(cluster, organisation, user=user)
    return user


def contact_for(cluster: Cluster, organisation: Organisation, **fields: object) -> Contact:
    return ContactFactory(cluster=cluster, organisation=organisation, **fields)


def expert_profile(cluster: Cluster, user: User) -> ExpertProfile:
    profile, _created = ExpertProfile.objects.get_or_create(cluster=cluster, user=user)
    return profile


def assign(application: Application, user: User, *, cleared: bool = False) -> ReviewAssignment:
    """The person, as an expert of the application's cluster, assigned to it (and cleared:
    having declared no conflict of interest)."""
    return ReviewAssignment.objects.create(
        cluster=application.cluster,
        application=application,
        expert=expert_profile(application.cluster, user),
        no_conflict_declared_at=timezone.now() if cleared else None,
    )


def criteria(call: Call, *names: str) -> list[Criterion]:
    return [
        Criterion.objects.create(
            cluster=call.cluster, call=call, name=name, weight=Decimal(1), position=i
        )
        for i, name in enumerate(names)
    ]


def document(
    application: Application, name: str = "proposal.pdf", content: bytes = PDF
) -> ApplicationDocument:
    doc = ApplicationDocument(
        cluster=application.cluster,
        application=application,
        kind=ApplicationDocument.Kind.PROPOSAL,
        name=name,
        size=len(content),
    )
    doc.file.save(name, ContentFile(content), save=True)
    return doc
