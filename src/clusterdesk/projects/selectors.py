"""Reads about calls and applications: who may see what (as querysets), totals derived from
the consortium, eligibility, conflicts of interest, review progress and comparison."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.core.models import Cluster
from clusterdesk.core.rules import is_project_staff
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.selectors import member_organisations
from clusterdesk.projects.models import (
    Application,
    Call,
    CommitteeSession,
    Conflict,
    ExpertProfile,
    FundingLine,
    Partner,
    ReviewAssignment,
)

RESEARCH_KINDS = {
    OrganisationKind.RESEARCH_ORG,
    OrganisationKind.HIGHER_EDUCATION,
    OrganisationKind.HOSPITAL,
}
CONFLICT_LOOKBACK_YEARS = 3
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))


def applications_visible_to(*, user: Any, cluster: Cluster) -> QuerySet[Application]:
    """Every application of the cluster the person may see: the queryset form of
    ``projects.rules.can_view_application`` (lists, search, exports and the API use it)."""
    qs = Application.objects.filter(cluster=cluster)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_project_staff(user, cluster):
        return qs
    mine = member_organisations(cluster=cluster, user=user).values("pk")
    visible = Q(
        Exists(Partner.objects.filter(application=OuterRef("pk"), organisation_id__in=mine))
    )
    visible |= Q(
        Exists(
            ReviewAssignment.objects.filter(
                application=OuterRef("pk"), expert__user=user, no_conflict_declared_at__isnull=False
            )
        )
    )
    visible |= Q(committee_session__members=user)
    return qs.filter(visible).distinct()


def application_totals(application: Application) -> dict[str, Decimal]:
    """Budget, requested aid and person-months summed over the consortium (never typed)."""
    totals = application.partners.aggregate(
        budget=Coalesce(Sum("budget_eur"), ZERO),
        requested=Coalesce(Sum("requested_aid_eur"), ZERO),
        person_months=Coalesce(Sum("person_months"), Value(Decimal(0))),
    )
    granted = FundingLine.objects.filter(
        funding__application=application, funding__status="granted"
    ).aggregate(total=Coalesce(Sum("granted_eur"), ZERO))["total"]
    return totals | {"granted": granted}


def eligibility_problems(application: Application) -> list[str]:
    """What the call's eligibility rules find wrong with the application (empty: eligible)."""
    call = application.call
    partners = list(application.partners.select_related("organisation"))
    problems = []
    if len(partners) < call.min_partners:
        problems.append(
            _("The call needs at least %(n)d partners; there are %(m)d.")
            % {"n": call.min_partners, "m": len(partners)}
        )
    if sum(1 for p in partners if p.role == Partner.Role.COORDINATOR) != 1:
        problems.append(_("The consortium needs exactly one coordinator."))
    if call.requires_sme and not any(p.organisation.is_sme for p in partners):
        problems.append(_("The call needs at least one SME partner."))
    if call.requires_research and not any(p.organisation.kind in RESEARCH_KINDS for p in partners):
        problems.append(_("The call needs at least one research partner."))
    eligible_domains = set(call.domains.values_list("pk", flat=True))
    if eligible_domains and not eligible_domains & set(
        application.domains.values_list("pk", flat=True)
    ):
        problems.append(_("The project is in none of the call's domains."))
    return problems


@dataclass(frozen=True)
class ConflictReason:
    expert_id: int
    application_id: int
    reason: str


def conflicts_of(
    *, call: Call, experts: list[ExpertProfile] | None = None, today: datetime.date | None = None
) -> list[ConflictReason]:
    """Every conflict of interest in the call, each with its reason: the expert's
    organisation is a partner; it was a partner with one of them in another project in the
    last three years; or one was declared by the expert or recorded by staff."""
    today = today or timezone.localdate()
    experts = (
        experts
        if experts is not None
        else list(ExpertProfile.objects.filter(cluster=call.cluster).select_related("organisation"))
    )
    apps = list(call.applications.exclude(state="withdrawn").prefetch_related("partners"))
    partners_of = {a.pk: {p.organisation_id for p in a.partners.all()} for a in apps}
    since = today.replace(year=today.year - CONFLICT_LOOKBACK_YEARS)
    # Organisations each expert's organisation worked with in the last three years.
    org_ids = {e.organisation_id for e in experts if e.organisation_id}
    recent = (
        Partner.objects.filter(
            organisation_id__in=org_ids, application__created_at__date__gte=since
        )
        .exclude(application__call=call)
        .values_list("organisation_id", "application_id")
    )
    projects_of: dict[int, set[int]] = {}
    for org, app in recent:
        projects_of.setdefault(org, set()).add(app)
    co_partners: dict[int, set[int]] = {}
    all_apps = {a for apps_ in projects_of.values() for a in apps_}
    for app_id, org in Partner.objects.filter(application_id__in=all_apps).values_list(
        "application_id", "organisation_id"
    ):
        for own_org, apps_ in projects_of.items():
            if app_id in apps_ and org != own_org:
                co_partners.setdefault(own_org, set()).add(org)
    found = []
    names = {}
    for e in experts:
        for a in apps:
            reason = ""
            if e.organisation_id and e.organisation_id in partners_of[a.pk]:
                reason = _("%(org)s, the expert's organisation, is a partner.") % {
                    "org": e.organisation
                }
            elif (
                e.organisation_id and co_partners.get(e.organisation_id, set()) & partners_of[a.pk]
            ):
                reason = _(
                    "The expert's organisation was a partner of one of them in the last "
                    "three years."
                )
            if reason:
                found.append(ConflictReason(e.pk, a.pk, reason))
                names[(e.pk, a.pk)] = True
    for c in Conflict.objects.filter(application__call=call).select_related("expert"):
        if (c.expert_id, c.application_id) not in names:
            found.append(
                ConflictReason(
                    c.expert_id, c.application_id, f"{c.get_source_display()}: {c.reason}"
                )
            )
    return found


@dataclass(frozen=True)
class ReviewProgress:
    application: Application
    assigned: int
    cleared: int
    submitted: int
    average: float | None


def review_progress(*, call: Call) -> list[ReviewProgress]:
    """Per application: assigned experts, those who declared no conflict, reviews in, and
    the average weighted score (out of the call's maximum)."""
    apps = call.applications.filter(
        state__in=["eligible", "under_review", "at_committee", "labelled", "not_labelled", "revise"]
    ).prefetch_related("assignments__review__scores__criterion")
    out = []
    for app in apps:
        assignments = list(app.assignments.all())
        scores = [
            weighted_score(a.review)
            for a in assignments
            if hasattr(a, "review") and a.review.submitted_at
        ]
        valid = [s for s in scores if s is not None]
        out.append(
            ReviewProgress(
                application=app,
                assigned=len(assignments),
                cleared=sum(1 for a in assignments if a.no_conflict_declared_at),
                submitted=len(scores),
                average=sum(valid) / len(valid) if valid else None,
            )
        )
    return out


def weighted_score(review: Any) -> float | None:
    scores = list(review.scores.all())
    weight = sum(float(s.criterion.weight) for s in scores)
    if not weight:
        return None
    return sum(float(s.criterion.weight) * s.score for s in scores) / weight


def application_file(application: Application) -> dict[str, Any]:
    """What a read-only view of the file shows: consortium, totals, documents, taxonomy."""
    return {
        "partners": list(application.partners.select_related("organisation")),
        "totals": application_totals(application),
        "documents": list(application.documents.all()),
        "domains": list(application.domains.all()),
        "themes": list(application.themes.all()),
    }


def session_agenda(session: CommitteeSession) -> QuerySet[Application]:
    return session.agenda.select_related("call").order_by("acronym")
