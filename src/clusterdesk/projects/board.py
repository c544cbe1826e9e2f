"""Reads for the staff's call board: counts and totals computed in the database (a fixed
number of queries whatever the number of applications), the review comparison, the last
assignment proposal and why some applications stay short of reviewers."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.models import Cluster, ClusterRole
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.projects.models import (
    Application,
    Call,
    CommitteeSession,
    ExpertProfile,
    Partner,
    Review,
    ReviewAssignment,
)
from clusterdesk.projects.selectors import (
    ConflictReason,
    ReviewProgress,
    applications_visible_to,
    weighted_score,
)
from clusterdesk.projects.services import NEEDS_REASON, TRANSITIONS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = Application.State
EUR = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal(0), output_field=EUR)
PM_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=9, decimal_places=1))
# The states in which the services accept changes to the file and to the consortium
# (``application_update`` and ``partner_save``), to offer only the forms that can succeed.
FILE_EDITABLE = (S.DRAFT, S.REVISE, S.SUBMITTED, S.ELIGIBLE)
CONSORTIUM_EDITABLE = (S.DRAFT, S.REVISE)


# -- the call board ---------------------------------------------------------------------


@dataclass(frozen=True)
class CallRow:
    call: Call
    status: str  # "upcoming", "open", "continuous" or "closed"
    counts: list[tuple[StrOrPromise, int]]  # (state label, count) of the states with any
    total: int


def call_status(call: Call, today: datetime.date | None = None) -> str:
    day = today or timezone.localdate()
    if call.opens_on > day:
        return "upcoming"
    if call.closes_on is None:
        return "continuous"
    return "open" if day <= call.closes_on else "closed"


def call_board(*, cluster: Cluster) -> list[CallRow]:
    """Every call of the cluster with its number of applications per state (one query)."""
    counts = {s.value: Count("applications", filter=Q(applications__state=s)) for s in S}
    calls = Call.objects.filter(cluster=cluster).annotate(
        **{f"n_{k}": v for k, v in counts.items()}, n_total=Count("applications")
    )
    today = timezone.localdate()
    return [
        CallRow(
            call=call,
            status=call_status(call, today),
            counts=[(s.label, n) for s in S if (n := getattr(call, f"n_{s.value}"))],
            total=call.n_total,
        )
        for call in calls
    ]


# -- the call page: applications and their totals -----------------------------------------


def _consortium_sum(expression: Any, zero: Value) -> Coalesce:
    # A subquery per column rather than a join: the visibility filter may join other rows.
    partners = Partner.objects.filter(application=OuterRef("pk")).order_by().values("application")
    return Coalesce(Subquery(partners.annotate(total=expression).values("total")[:1]), zero)


def call_applications(*, call: Call, user: Any) -> QuerySet[Application]:
    """The call's applications the person may see, each with its consortium's totals and
    coordinator (the same sums as ``selectors.application_totals``, made by the database)."""
    coordinator = Partner.objects.filter(application=OuterRef("pk"), role=Partner.Role.COORDINATOR)
    return (
        applications_visible_to(user=user, cluster=call.cluster)
        .filter(call=call)
        .annotate(
            budget=_consortium_sum(Sum("budget_eur"), ZERO),
            requested=_consortium_sum(Sum("requested_aid_eur"), ZERO),
            person_months=_consortium_sum(Sum("person_months"), PM_ZERO),
            n_partners=_consortium_sum(Count("pk"), Value(0)),
            coordinator_name=Subquery(coordinator.values("organisation__name")[:1]),
            coordinator_usual_name=Subquery(coordinator.values("organisation__usual_name")[:1]),
        )
        .order_by("acronym", "pk")
    )


@dataclass(frozen=True)
class StateTotals:
    state: str
    label: StrOrPromise
    count: int
    budget: Decimal
    requested: Decimal


@dataclass(frozen=True)
class CallTotals:
    per_state: list[StateTotals]
    count: int
    budget: Decimal
    requested: Decimal


def call_totals(*, call: Call) -> CallTotals:
    """Applications, budget and requested aid per state and in all (one grouped query)."""
    rows = {
        r["state"]: r
        for r in Application.objects.filter(call=call)
        .values("state")
        .annotate(
            n=Count("pk", distinct=True),
            budget=Coalesce(Sum("partners__budget_eur"), ZERO),
            requested=Coalesce(Sum("partners__requested_aid_eur"), ZERO),
        )
        .order_by()
    }
    per_state = [
        StateTotals(s.value, s.label, rows[s]["n"], rows[s]["budget"], rows[s]["requested"])
        for s in S
        if s in rows
    ]
    return CallTotals(
        per_state=per_state,
        count=sum(t.count for t in per_state),
        budget=sum((t.budget for t in per_state), Decimal(0)),
        requested=sum((t.requested for t in per_state), Decimal(0)),
    )


def group_by_state(
    applications: list[Application], totals: CallTotals
) -> list[tuple[StateTotals, list[Application]]]:
    """The applications under their state's totals, in workflow order."""
    groups: dict[str, list[Application]] = {}
    for application in applications:
        groups.setdefault(application.state, []).append(application)
    return [(t, groups.get(t.state, [])) for t in totals.per_state]


# -- review comparison ------------------------------------------------------------------


@dataclass(frozen=True)
class Opinion:
    expert: ExpertProfile
    submitted: bool
    recommendation: str  # the label, empty until submitted
    score: float | None


@dataclass(frozen=True)
class ComparisonRow:
    progress: ReviewProgress
    opinions: list[Opinion] = field(default_factory=list)


def review_comparison(*, progress: list[ReviewProgress]) -> list[ComparisonRow]:
    """Each reviewed application with every reviewer's recommendation and weighted score,
    the best average first; built on ``review_progress`` (its reviews are prefetched), plus
    one query for the experts' names."""
    expert_ids = {a.expert_id for p in progress for a in p.application.assignments.all()}
    experts = ExpertProfile.objects.select_related("user").in_bulk(expert_ids)
    labels = dict(Review.Recommendation.choices)
    rows = []
    for p in progress:
        opinions = []
        for a in p.application.assignments.all():
            review = getattr(a, "review", None)
            submitted = bool(review and review.submitted_at)
            opinions.append(
                Opinion(
                    expert=experts[a.expert_id],
                    submitted=submitted,
                    recommendation=str(labels.get(review.recommendation, ""))
                    if submitted and review
                    else "",
                    score=weighted_score(review) if submitted else None,
                )
            )
        rows.append(ComparisonRow(progress=p, opinions=opinions))
    rows.sort(key=lambda r: (r.progress.average is None, -(r.progress.average or 0)))
    return rows


# -- reviewer assignment ----------------------------------------------------------------


def call_assignments(*, call: Call) -> QuerySet[ReviewAssignment]:
    """The proposed and kept pairs of the call, with the review when there is one."""
    return (
        ReviewAssignment.objects.filter(application__call=call)
        .select_related("application", "expert__user", "review")
        .order_by("application__acronym", "application_id", "-locked", "-affinity")
    )


def assignable_applications(*, call: Call) -> QuerySet[Application]:
    return call.applications.filter(state__in=[S.ELIGIBLE, S.UNDER_REVIEW]).order_by("acronym")


def cluster_experts(*, cluster: Cluster) -> QuerySet[ExpertProfile]:
    return (
        ExpertProfile.objects.filter(cluster=cluster)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )


@dataclass(frozen=True)
class Proposal:
    """The summary of the last run of ``services.assignment_propose`` (from its audit entry)."""

    at: datetime.datetime
    by: Any
    assigned: int
    kept: int
    total_affinity: float
    unfilled: list[dict[str, Any]]


def last_proposal(*, call: Call) -> Proposal | None:
    entry = (
        AuditEntry.objects.filter(
            cluster=call.cluster,
            action="review.assignment_proposed",
            content_type=ContentType.objects.get_for_model(Call),
            object_id=str(call.pk),
        )
        .select_related("actor")
        .first()
    )
    if entry is None or not entry.after:
        return None
    summary = entry.after
    return Proposal(
        at=entry.created_at,
        by=entry.actor,
        assigned=int(summary.get("assigned", 0)),
        kept=int(summary.get("kept", 0)),
        total_affinity=float(summary.get("total_affinity", 0)),
        unfilled=list(summary.get("unfilled", [])),
    )


@dataclass(frozen=True)
class ConflictRow:
    expert: ExpertProfile | None
    application: Application | None
    reason: str


def conflict_rows(
    conflicts: list[ConflictReason],
    experts: list[ExpertProfile],
    applications: list[Application],
) -> list[ConflictRow]:
    """``selectors.conflicts_of`` with the expert and the application instead of their ids."""
    expert_by_id = {e.pk: e for e in experts}
    application_by_id = {a.pk: a for a in applications}
    rows = [
        ConflictRow(
            expert_by_id.get(c.expert_id), application_by_id.get(c.application_id), c.reason
        )
        for c in conflicts
    ]
    return sorted(
        rows, key=lambda r: (r.application.acronym if r.application else "", str(r.expert))
    )


@dataclass(frozen=True)
class Shortfall:
    application: Application
    missing: int
    reason: str


def unfilled_reasons(
    *,
    call: Call,
    unfilled: list[dict[str, Any]],
    experts: list[ExpertProfile],
    conflicts: list[ConflictReason],
) -> list[Shortfall]:
    """Why each application of the last proposal lacks reviewers: too few experts free of a
    conflict with it, or those experts already at their maximum load for the call."""
    if not unfilled:
        return []
    apps = call.applications.in_bulk([int(u["application"]) for u in unfilled])
    blocked = {(c.expert_id, c.application_id) for c in conflicts}
    loads = Counter(
        ReviewAssignment.objects.filter(application__call=call).values_list("expert_id", flat=True)
    )
    out = []
    for u in unfilled:
        app = apps.get(int(u["application"]))
        if app is None:
            continue
        free = [e for e in experts if (e.pk, app.pk) not in blocked]
        if len(free) < call.reviewers_per_application:
            reason = _(
                "Only %(n)d of the %(total)d experts have no conflict of interest with it."
            ) % {"n": len(free), "total": len(experts)}
        elif all(loads[e.pk] >= e.max_load for e in free):
            reason = _("The experts free of conflict have reached their maximum load.")
        else:
            reason = _("Not enough experts with room left in their load.")
        out.append(Shortfall(application=app, missing=int(u["missing"]), reason=reason))
    return out


# -- the application file ---------------------------------------------------------------


def next_states(application: Application) -> list[Application.State]:
    """The states the workflow allows from the application's own (the service checks again)."""
    allowed = TRANSITIONS.get(application.state, set())
    return [s for s in S if s in allowed]


def needs_reason(state: str) -> bool:
    return state in NEEDS_REASON


# -- choices for the staff's forms ------------------------------------------------------


def people_with_role(*, cluster: Cluster, role: str) -> QuerySet[User]:
    holders = ClusterRole.objects.filter(cluster=cluster, role=role).values("user_id")
    return User.objects.filter(pk__in=holders).order_by("full_name", "email")


def followed_organisations(*, cluster: Cluster) -> QuerySet[Organisation]:
    return organisations_followed(cluster=cluster).order_by("name")


def session_list(*, cluster: Cluster) -> QuerySet[CommitteeSession]:
    """Sessions with the size of their agenda and of their committee."""
    return CommitteeSession.objects.filter(cluster=cluster).annotate(
        n_agenda=Count("agenda", distinct=True), n_members=Count("members", distinct=True)
    )
