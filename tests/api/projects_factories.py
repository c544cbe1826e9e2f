"""Set-up for the labelling API's tests: an eligible consortium, the people around an
application (its coordinator's and a partner's portal accounts, experts, a committee), and
its reviews. Build inside ``scopes_disabled()``: the code under test opens its own scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

import factory
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster, Domain
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Contact, Organisation
from clusterdesk.projects.models import (
    Application,
    Call,
    CommitteeSession,
    Criterion,
    ExpertProfile,
    FundingApplication,
    FundingLine,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from tests.factories import (
    CallFactory,
    ContactFactory,
    DomainFactory,
    OrganisationFactory,
    UserFactory,
    application,
    follow,
    grant,
)

# Typed shorthands: factory_boy's factories are typed as returning themselves.


def person(cluster: Cluster, *roles: str) -> User:
    """A new person with ``roles`` in the cluster."""
    return grant(cast(User, UserFactory()), cluster, *roles)


def organisation(**fields: object) -> Organisation:
    """A new organisation no cluster follows yet."""
    return cast(Organisation, OrganisationFactory(**fields))


def domain(cluster: Cluster) -> Domain:
    return cast(Domain, DomainFactory(cluster=cluster))


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    name = factory.Sequence(lambda n: f"Critère {n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal(1)
    position = factory.Sequence(lambda n: n)


def call_with_criteria(cluster: Cluster, criteria: int = 2, **fields: object) -> Call:
    """An open labelling call (scores 0 to 5) with its criteria."""
    call = cast(Call, CallFactory(cluster=cluster, **fields))
    for _ in range(criteria):
        CriterionFactory(cluster=cluster, call=call)
    return call


def sme(cluster: Cluster, **fields: object) -> Organisation:
    """A followed SME (by its headcount band)."""
    return follow(cluster, organisation(kind="pme", headcount_band="12", **fields))


def lab(cluster: Cluster, **fields: object) -> Organisation:
    """A followed research organisation."""
    return follow(cluster, organisation(kind="research_org", **fields))


def portal_account(cluster: Cluster, organisation: Organisation, user: User | None = None) -> User:
    """A person with the member portal who speaks for ``organisation`` (a contact of it)."""
    user = user or person(cluster, Role.MEMBER)
    ContactFactory(cluster=cluster, organisation=organisation, user=user)
    return user


def eligible_application(
    cluster: Cluster, call: Call | None = None, *, state: str = "draft", **fields: object
) -> Application:
    """An application whose consortium (an SME coordinating, a lab) meets the call's rules."""
    return application(
        cluster,
        call or call_with_criteria(cluster),
        state=state,
        partners=((sme(cluster), "coordinator"), (lab(cluster), "partner")),
        **fields,
    )


def coordinator_of(app: Application) -> Organisation:
    return app.partners.get(role="coordinator").organisation


def partner_of(app: Application) -> Organisation:
    return app.partners.get(role="partner").organisation


def expert(cluster: Cluster, user: User | None = None) -> ExpertProfile:
    """An expert's profile (the person gets the expert role if they are new)."""
    user = user or person(cluster, Role.EXPERT)
    return ExpertProfile.objects.create(cluster=cluster, user=user)


def assign(app: Application, profile: ExpertProfile, *, cleared: bool = True) -> ReviewAssignment:
    """The expert asked to review ``app``; ``cleared``: they declared no conflict."""
    return ReviewAssignment.objects.create(
        cluster=app.cluster,
        application=app,
        expert=profile,
        no_conflict_declared_at=timezone.now() if cleared else None,
    )


def review(assignment: ReviewAssignment, score: int = 3, *, submitted: bool = True) -> Review:
    """The assigned expert's review with ``score`` on every criterion."""
    app = assignment.application
    row = Review.objects.create(
        cluster=app.cluster,
        assignment=assignment,
        comments="Solide.",
        recommendation="label",
        submitted_at=timezone.now() if submitted else None,
    )
    for criterion in app.call.criteria.all():
        ReviewScore.objects.create(
            cluster=app.cluster, review=row, criterion=criterion, score=score
        )
    return row


def committee(
    cluster: Cluster, *members: User, agenda: tuple[Application, ...] = ()
) -> CommitteeSession:
    session = CommitteeSession.objects.create(
        cluster=cluster, title="Comité de labellisation", date=datetime.date(2026, 3, 1)
    )
    session.members.add(*members)
    for app in agenda:
        app.committee_session = session
        app.save(update_fields=["committee_session"])
    return session


def funding(app: Application, *, granted: Decimal = Decimal(0)) -> FundingApplication:
    """A funding application with a line per partner."""
    row = FundingApplication.objects.create(
        cluster=app.cluster,
        application=app,
        funder="region",
        status="granted" if granted else "submitted",
        decided_on=datetime.date(2026, 6, 1) if granted else None,
    )
    for partner in app.partners.all():
        FundingLine.objects.create(
            cluster=app.cluster,
            funding=row,
            partner=partner,
            requested_eur=Decimal(100_000),
            granted_eur=granted,
        )
    return row


@dataclass
class People:
    """Everyone who may (or may not) see one application of a tenant."""

    app: Application
    coordinator: User  # the coordinating SME's portal account
    partner: User  # the lab's portal account: of the consortium, not its coordinator
    other_member: User  # a portal account of another organisation of the same cluster
    cleared_expert: User
    uncleared_expert: User
    session_member: User
    assignment: ReviewAssignment
    pending_assignment: ReviewAssignment


def people_around(cluster: Cluster, app: Application) -> People:
    """Accounts around ``app``: its consortium's, another member's, two assigned experts
    (one cleared), and a member of the committee session that holds it."""
    cleared, uncleared = expert(cluster), expert(cluster)
    session_member = person(cluster, Role.COMMITTEE_MEMBER)
    committee(cluster, session_member, agenda=(app,))
    return People(
        app=app,
        coordinator=portal_account(cluster, coordinator_of(app)),
        partner=portal_account(cluster, partner_of(app)),
        other_member=portal_account(cluster, sme(cluster)),
        cleared_expert=cleared.user,
        uncleared_expert=uncleared.user,
        session_member=session_member,
        assignment=assign(app, cleared),
        pending_assignment=assign(app, uncleared, cleared=False),
    )


def own_contact(cluster: Cluster, user: User) -> Contact:
    return Contact.objects.get(cluster=cluster, user=user)
