"""The innovation centre's indicators (``results.indicators``): hosted companies (from the
leases), occupancy of the let spaces, utilisation of the bookable ones, revenue (issued
statements), authorisations about to expire. Each with its records for the drill-down
(group ``facilities``: the centre's and finance staff)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterdesk.crm.models import Organisation
from clusterdesk.facilities.models import Authorisation, Booking, Lease, Resource, Statement
from clusterdesk.facilities.selectors import (
    EXPIRY_WARNING_DAYS,
    authorisations_expiring,
    hosted_organisations,
    local_midnight,
    open_hours_in,
)
from clusterdesk.results.indicators import Indicator, Scope, register
from clusterdesk.results.rules import DRILL_DOWN_PERMISSIONS
from clusterdesk.results.selectors import DrillDownTable, drill_down_table_register

GROUP = "facilities"


def hosted(scope: Scope) -> QuerySet[Organisation]:
    return hosted_organisations(cluster=scope.cluster_ids, start=scope.start, end=scope.end)


def _leases(scope: Scope) -> QuerySet[Lease]:
    return Lease.objects.filter(
        cluster_id__in=scope.cluster_ids, starts_on__lte=scope.end, ends_on__gte=scope.start
    ).select_related("organisation", "resource")


def _occupancy(scope: Scope) -> float | None:
    """Days let over days available, for the spaces that are let (not booked)."""
    spaces = Resource.objects.filter(
        cluster_id__in=scope.cluster_ids, bookable=False, active=True
    ).count()
    days = (scope.end - scope.start).days + 1
    if not spaces or days <= 0:
        return None
    let = 0
    for start, end in _leases(scope).values_list("starts_on", "ends_on"):
        let += (min(end, scope.end) - max(start, scope.start)).days + 1
    return round(let / (spaces * days), 3)


def _used(scope: Scope) -> QuerySet[Booking]:
    return Booking.objects.filter(
        cluster_id__in=scope.cluster_ids,
        status__in=[Booking.Status.CONFIRMED, Booking.Status.FLAGGED],
        start__gte=local_midnight(scope.start),
        start__lt=local_midnight(scope.end + datetime.timedelta(days=1)),
    ).select_related("resource", "organisation", "person")


def _utilisation(scope: Scope) -> float | None:
    """Hours booked over hours open, for the bookable resources."""
    resources = Resource.objects.filter(
        cluster_id__in=scope.cluster_ids, bookable=True, active=True
    )
    open_hours = sum((open_hours_in(r, scope.start, scope.end) for r in resources), Decimal(0))
    if not open_hours:
        return None
    booked = sum(
        (
            (end - start).total_seconds() / 3600
            for start, end in _used(scope).values_list("start", "end")
        ),
        0.0,
    )
    return round(booked / float(open_hours), 3)


def _statements(scope: Scope) -> QuerySet[Statement]:
    return Statement.objects.filter(
        cluster_id__in=scope.cluster_ids,
        month__gte=scope.start.replace(day=1),
        month__lte=scope.end,
    ).select_related("organisation")


def _revenue(scope: Scope) -> Decimal:
    return _statements(scope).aggregate(s=Sum("total"))["s"] or Decimal(0)


def _expiring(scope: Scope) -> QuerySet[Authorisation]:
    return authorisations_expiring(
        cluster=scope.cluster_ids, today=timezone.localdate(), days=EXPIRY_WARNING_DAYS
    )


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


TABLES: dict[type, tuple[list[str], Any]] = {
    Lease: (
        ["organisation", "space", "starts_on", "ends_on", "monthly_rent", "monthly_charges"],
        lambda x: [
            str(x.organisation),
            str(x.resource),
            x.starts_on,
            x.ends_on,
            x.monthly_rent,
            x.monthly_charges,
        ],
    ),
    Booking: (
        ["resource", "start", "end", "person", "organisation", "status"],
        lambda x: [
            str(x.resource),
            _local(x.start),
            _local(x.end),
            str(x.person),
            str(x.organisation or ""),
            x.get_status_display(),
        ],
    ),
    Statement: (
        ["number", "organisation", "month", "total_eur"],
        lambda x: [x.number, str(x.organisation), x.month, x.total],
    ),
    Authorisation: (
        ["person", "for", "valid_from", "valid_until", "trainer"],
        lambda x: [
            str(x.person),
            x.get_level_display() or str(x.resource),
            x.valid_from,
            x.valid_until,
            x.trainer,
        ],
    ),
}


def _table(headers: list[str], row: Callable[[Any], list[Any]]) -> DrillDownTable:
    def table(records: QuerySet[Any]) -> tuple[list[str], QuerySet[Any], Any]:
        return list(headers), records, row

    return table


def register_all() -> None:
    DRILL_DOWN_PERMISSIONS.setdefault(GROUP, "facilities.view_facilities")
    for model, (headers, row) in TABLES.items():
        drill_down_table_register(model, _table(headers, row))
    register(
        Indicator(
            name="hosted_companies",
            label=_("Hosted companies"),
            unit="count",
            value=lambda scope: hosted(scope).count(),
            records=hosted,
            group=GROUP,
        )
    )
    register(
        Indicator(
            name="facility_occupancy",
            label=_("Occupancy of the let spaces"),
            unit="ratio",
            value=_occupancy,
            records=_leases,
            group=GROUP,
        )
    )
    register(
        Indicator(
            name="facility_utilisation",
            label=_("Utilisation of the bookable spaces and instruments"),
            unit="ratio",
            value=_utilisation,
            records=_used,
            group=GROUP,
        )
    )
    register(
        Indicator(
            name="facility_revenue",
            label=_("Innovation centre revenue (statements)"),
            unit="eur",
            value=_revenue,
            records=_statements,
            group=GROUP,
        )
    )
    register(
        Indicator(
            name="authorisations_expiring",
            label=_("Authorisations expiring within 30 days"),
            unit="count",
            value=lambda scope: _expiring(scope).count(),
            records=_expiring,
            group=GROUP,
        )
    )
