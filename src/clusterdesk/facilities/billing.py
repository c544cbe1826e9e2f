"""What an organisation owes for a month, computed from the records (nothing written here):
rent and charges of its leases (pro rata of the days let), the use of resources (actual use
when checked in and out, else the time booked) at the price of its category that day, and
the consumables. ``services.billing`` writes the statement; ``statement_rows`` is the
accountant's export (columns documented in docs/facilities.md).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Membership
from clusterdesk.facilities.models import (
    Booking,
    Consumable,
    Lease,
    Price,
    Resource,
    Statement,
    StatementLine,
)
from clusterdesk.facilities.selectors import local_midnight, next_month
from clusterdesk.projects.models import Application

CENT = Decimal("0.01")
HOURS_PER_UNIT: dict[str, int] = {Price.Unit.HOUR: 1, Price.Unit.HALF_DAY: 4, Price.Unit.DAY: 8}
# The revenue accounts of the French chart of accounts (PCG) each kind of line goes to.
ACCOUNTS = {
    StatementLine.Kind.RENT: "708300",
    StatementLine.Kind.CHARGES: "708400",
    StatementLine.Kind.BOOKING: "706000",
    StatementLine.Kind.CONSUMABLE: "707000",
}
EXPORT_COLUMNS = (
    "statement_number",
    "issued_on",
    "month",
    "organisation",
    "siren",
    "line_date",
    "kind",
    "account",
    "description",
    "project",
    "resource",
    "quantity",
    "unit",
    "unit_price_eur",
    "amount_eur",
)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Line:
    kind: str
    date: datetime.date
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal
    application: Application | None = None
    resource: Resource | None = None
    booking: Booking | None = None


def booking_charge(minutes: int, prices: dict[str, Decimal]) -> tuple[Decimal, str, Decimal]:
    """(quantity, unit, unit price) for ``minutes`` of use: the cheapest of the units the
    resource is priced by, each started unit counted (hours by the quarter)."""
    hours = Decimal(minutes) / 60
    options = []
    for unit, price in prices.items():
        size = HOURS_PER_UNIT[unit]
        if unit == Price.Unit.HOUR:
            quantity = Decimal(math.ceil(hours * 4)) / 4
        else:
            quantity = Decimal(math.ceil(hours / size))
        options.append((money(quantity * price), -size, quantity, unit, price))
    if not options:
        return (Decimal(math.ceil(hours * 4)) / 4, Price.Unit.HOUR, Decimal(0))
    _amount, _size, quantity, unit, price = min(options)
    return quantity, unit, price


class PriceBook:
    """The cluster's prices and who was a tenant or a member when, read once."""

    def __init__(self, cluster: Cluster, organisation_ids: Iterable[int], year: int) -> None:
        self.prices: dict[tuple[int, str], dict[str, Decimal]] = {}
        for p in Price.objects.filter(cluster=cluster):
            self.prices.setdefault((p.resource_id, p.category), {})[p.unit] = p.amount
        ids = list(organisation_ids)
        self.leases: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
        for org_id, start, end in Lease.objects.filter(
            cluster=cluster, organisation_id__in=ids
        ).values_list("organisation_id", "starts_on", "ends_on"):
            self.leases.setdefault(org_id, []).append((start, end))
        self.members = set(
            Membership.objects.filter(
                cluster=cluster, organisation_id__in=ids, year=year, status=Membership.Status.ACTIVE
            ).values_list("organisation_id", flat=True)
        )

    def category(self, organisation_id: int | None, day: datetime.date) -> str:
        if organisation_id is None:
            return Price.Category.EXTERNAL
        if any(a <= day <= b for a, b in self.leases.get(organisation_id, [])):
            return Price.Category.TENANT
        if organisation_id in self.members:
            return Price.Category.MEMBER
        return Price.Category.EXTERNAL

    def of(self, resource_id: int, category: str) -> dict[str, Decimal]:
        return self.prices.get((resource_id, category), {})


def billed_bookings(
    *, cluster: Cluster, month: datetime.date, organisation_ids: Sequence[int] | None = None
) -> Any:
    qs = Booking.objects.filter(
        cluster=cluster,
        status__in=[Booking.Status.CONFIRMED, Booking.Status.FLAGGED],
        organisation__isnull=False,
        start__gte=local_midnight(month),
        start__lt=local_midnight(next_month(month)),
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.select_related("resource", "application", "person")


def month_lines(
    *,
    cluster: Cluster,
    month: datetime.date,
    organisation_ids: Sequence[int] | None = None,
    book: PriceBook | None = None,
) -> dict[int, list[Line]]:
    """Each organisation's lines for the month (all organisations with something to bill,
    or those named), in a handful of queries whatever their number."""
    month_end = next_month(month) - datetime.timedelta(days=1)
    days_in_month = Decimal((month_end - month).days + 1)
    leases = Lease.objects.filter(cluster=cluster, starts_on__lte=month_end, ends_on__gte=month)
    consumables = Consumable.objects.filter(cluster=cluster, date__gte=month, date__lte=month_end)
    if organisation_ids is not None:
        leases = leases.filter(organisation_id__in=organisation_ids)
        consumables = consumables.filter(organisation_id__in=organisation_ids)
    leases = leases.select_related("resource")
    consumables = consumables.select_related("application")
    bookings = list(
        billed_bookings(cluster=cluster, month=month, organisation_ids=organisation_ids)
    )
    lines: dict[int, list[Line]] = {}
    for lease in leases:
        start, end = max(lease.starts_on, month), min(lease.ends_on, month_end)
        share = Decimal((end - start).days + 1) / days_in_month
        period = _("%(space)s, %(start)s to %(end)s") % {
            "space": lease.resource,
            "start": start.strftime("%d/%m"),
            "end": end.strftime("%d/%m/%Y"),
        }
        for kind, amount, label in (
            (StatementLine.Kind.RENT, lease.monthly_rent, _("Rent")),
            (StatementLine.Kind.CHARGES, lease.monthly_charges, _("Charges")),
        ):
            if amount:
                lines.setdefault(lease.organisation_id, []).append(
                    Line(
                        kind=kind,
                        date=start,
                        description=f"{label} — {period}",
                        quantity=share.quantize(Decimal("0.0001")),
                        unit=_("month"),
                        unit_price=amount,
                        amount=money(amount * share),
                        resource=lease.resource,
                    )
                )
    if book is None:
        ids = {b.organisation_id for b in bookings if b.organisation_id is not None}
        book = PriceBook(cluster, ids, month.year)
    for booking in bookings:
        assert booking.organisation_id is not None
        day = timezone.localdate(booking.start)
        category = book.category(booking.organisation_id, day)
        quantity, unit, price = booking_charge(
            booking.used_minutes, book.of(booking.resource_id, category)
        )
        start = timezone.localtime(booking.start)
        lines.setdefault(booking.organisation_id, []).append(
            Line(
                kind=StatementLine.Kind.BOOKING,
                date=day,
                description=f"{booking.resource} — {start:%d/%m %H:%M} ({booking.person})",
                quantity=quantity,
                unit=str(Price.Unit(unit).label),
                unit_price=price,
                amount=money(quantity * price),
                application=booking.application,
                resource=booking.resource,
                booking=booking,
            )
        )
    for item in consumables:
        lines.setdefault(item.organisation_id, []).append(
            Line(
                kind=StatementLine.Kind.CONSUMABLE,
                date=item.date,
                description=item.description,
                quantity=item.quantity,
                unit=_("unit"),
                unit_price=item.unit_price,
                amount=money(item.quantity * item.unit_price),
                application=item.application,
            )
        )
    for org_lines in lines.values():
        org_lines.sort(key=lambda line: (line.date, line.kind))
    return lines


def statement_number(cluster: Cluster, organisation_id: int, month: datetime.date) -> str:
    return f"{cluster.slug.upper()[:12]}-{month:%Y%m}-{organisation_id:05d}"


def statement_line_rows(lines: Iterable[Line], statement: Statement) -> list[StatementLine]:
    return [
        StatementLine(
            cluster_id=statement.cluster_id,
            statement=statement,
            kind=line.kind,
            date=line.date,
            description=line.description[:300],
            application=line.application,
            resource=line.resource,
            booking=line.booking,
            quantity=line.quantity,
            unit=line.unit[:20],
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for line in lines
    ]


def statement_rows(statements: Iterable[Statement]) -> list[list[Any]]:
    """One row per line of each statement, in ``EXPORT_COLUMNS`` order."""
    rows: list[list[Any]] = []
    for statement in statements:
        org = statement.organisation
        for line in statement.lines.all():
            rows.append(
                [
                    statement.number,
                    timezone.localdate(statement.issued_at),
                    statement.month.strftime("%Y-%m"),
                    org.name,
                    org.siren or "",
                    line.date,
                    line.kind,
                    ACCOUNTS[StatementLine.Kind(line.kind)],
                    line.description,
                    line.application.acronym if line.application else "",
                    line.resource.name if line.resource else "",
                    line.quantity,
                    line.unit,
                    line.unit_price,
                    line.amount,
                ]
            )
    return rows


def project_subtotals(statement: Statement) -> list[tuple[str, Decimal]]:
    """The statement's total per project its lines name ("" for the rest)."""
    totals: dict[str, Decimal] = {}
    for line in statement.lines.all():
        key = line.application.acronym if line.application else ""
        totals[key] = totals.get(key, Decimal(0)) + line.amount
    return sorted(totals.items(), key=lambda item: (item[0] == "", item[0]))
