"""Calls: the cluster's calls with their applications counted per state, one call's
applications with their consortium's totals, and the totals per state. Counts and sums are
made by the database (a fixed number of queries whatever the number of applications)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from clusterdesk.core.models import Cluster
from clusterdesk.projects.models import Application, Call, Partner
from clusterdesk.projects.selectors.applications import applications_visible_to

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = Application.State
EUR = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal(0), output_field=EUR)
PM_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=9, decimal_places=1))


def calls_of(cluster: Cluster) -> QuerySet[Call]:
    return Call.objects.filter(cluster=cluster)


def calls_with_criteria(cluster: Cluster) -> QuerySet[Call]:
    """The cluster's calls with their domains and criteria, for reading."""
    return calls_of(cluster).prefetch_related("domains", "criteria")


def calls_open(cluster: Cluster) -> QuerySet[Call]:
    """The cluster's calls open today (``Call.is_open`` decides; a cluster has few calls)."""
    calls = calls_of(cluster)
    return calls.filter(pk__in=[c.pk for c in calls if c.is_open()])


@dataclass(frozen=True)
class CallWithCounts:
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


def calls_with_state_counts(*, cluster: Cluster) -> list[CallWithCounts]:
    """Every call of the cluster, the newest first, with its number of applications per
    state (one query)."""
    counts = {s.value: Count("applications", filter=Q(applications__state=s)) for s in S}
    # Newest first: an aggregate drops the model's ordering, so it is said here.
    calls = (
        calls_of(cluster)
        .annotate(**{f"n_{k}": v for k, v in counts.items()}, n_total=Count("applications"))
        .order_by("-opens_on", "-pk")
    )
    today = timezone.localdate()
    return [
        CallWithCounts(
            call=call,
            status=call_status(call, today),
            counts=[(s.label, n) for s in S if (n := getattr(call, f"n_{s.value}"))],
            total=call.n_total,
        )
        for call in calls
    ]


def _consortium_sum(expression: Any, zero: Value) -> Coalesce:
    # A subquery per column rather than a join: the visibility filter may join other rows.
    partners = Partner.objects.filter(application=OuterRef("pk")).order_by().values("application")
    return Coalesce(Subquery(partners.annotate(total=expression).values("total")[:1]), zero)


def call_applications_with_totals(*, call: Call, user: Any) -> QuerySet[Application]:
    """The call's applications the person may see, each with its consortium's totals and
    coordinator (the same sums as ``application_totals``, made by the database)."""
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


def applications_by_state(
    applications: list[Application], totals: CallTotals
) -> list[tuple[StateTotals, list[Application]]]:
    """The applications under their state's totals, in workflow order."""
    groups: dict[str, list[Application]] = {}
    for application in applications:
        groups.setdefault(application.state, []).append(application)
    return [(t, groups.get(t.state, [])) for t in totals.per_state]
