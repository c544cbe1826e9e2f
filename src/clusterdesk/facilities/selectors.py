"""Reads of the innovation centre: who is hosted, what each person may see, calendars,
queues, occupancy. Every list a page, an export or the API shows starts here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster
from clusterdesk.core.rules import is_facility_staff, is_finance_staff
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import member_organisations, organisations_followed
from clusterdesk.facilities.models import (
    LEVEL_RANK,
    Authorisation,
    Booking,
    Lease,
    Resource,
    Statement,
)

EXPIRY_WARNING_DAYS = 30


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# -- who is hosted -------------------------------------------------------------------------


def leases_current(*, cluster: Cluster | int, on: datetime.date) -> QuerySet[Lease]:
    return Lease.objects.filter(cluster=cluster, starts_on__lte=on, ends_on__gte=on)


def leases_overlapping(
    *, cluster: Cluster | int | Iterable[int], start: datetime.date, end: datetime.date
) -> QuerySet[Lease]:
    qs = Lease.objects.filter(starts_on__lte=end, ends_on__gte=start)
    if isinstance(cluster, Cluster | int):
        return qs.filter(cluster=cluster)
    return qs.filter(cluster_id__in=list(cluster))


def hosted_organisations(
    *, cluster: Cluster | int | Iterable[int], start: datetime.date, end: datetime.date
) -> QuerySet[Organisation]:
    """The organisations that held a lease at some point between ``start`` and ``end``."""
    leases = leases_overlapping(cluster=cluster, start=start, end=end)
    return organisations_followed(cluster=cluster).filter(pk__in=leases.values("organisation_id"))


def hosted_organisations_of(*, cluster: Cluster, user: Any) -> QuerySet[Organisation]:
    """The person's organisations (as a portal contact) that are hosted today."""
    today = timezone.localdate()
    leased = leases_current(cluster=cluster, on=today).values("organisation_id")
    return member_organisations(cluster=cluster, user=user).filter(pk__in=leased)


def is_hosted_person(user: Any, cluster: Cluster) -> bool:
    return hosted_organisations_of(cluster=cluster, user=user).exists()


def price_category(
    *, cluster: Cluster, organisation: Organisation | None, on: datetime.date
) -> str:
    """Which price applies: tenant (a lease that day), member (an active membership that
    year), external otherwise."""
    if organisation is None:
        return "external"
    if leases_current(cluster=cluster, on=on).filter(organisation=organisation).exists():
        return "tenant"
    if organisation.memberships.filter(cluster=cluster, year=on.year, status="active").exists():
        return "member"
    return "external"


# -- what each person sees --------------------------------------------------------------------


def _is_centre_staff(user: Any, cluster: Cluster) -> bool:
    return bool(is_facility_staff.test(user, cluster) or is_finance_staff.test(user, cluster))


def bookings_visible_to(user: Any, cluster: Cluster) -> QuerySet[Booking]:
    """The centre's staff (and finance) see every booking; a person sees their own and
    their organisations'."""
    qs = Booking.objects.filter(cluster=cluster).select_related(
        "resource", "person", "organisation", "application"
    )
    if _is_centre_staff(user, cluster):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    orgs = member_organisations(cluster=cluster, user=user).values("pk")
    return qs.filter(Q(person=user) | Q(organisation__in=orgs))


def authorisations_visible_to(user: Any, cluster: Cluster) -> QuerySet[Authorisation]:
    qs = Authorisation.objects.filter(cluster=cluster).select_related("person", "resource")
    if _is_centre_staff(user, cluster):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(person=user)


def statements_visible_to(user: Any, cluster: Cluster) -> QuerySet[Statement]:
    """Confidential to the company (its portal contacts) and the centre's and finance
    staff."""
    qs = Statement.objects.filter(cluster=cluster).select_related("organisation")
    if _is_centre_staff(user, cluster):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(organisation__in=member_organisations(cluster=cluster, user=user).values("pk"))


def leases_visible_to(user: Any, cluster: Cluster) -> QuerySet[Lease]:
    qs = Lease.objects.filter(cluster=cluster).select_related("organisation", "resource")
    if _is_centre_staff(user, cluster):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(organisation__in=member_organisations(cluster=cluster, user=user).values("pk"))


# -- resources, calendars, queues --------------------------------------------------------


def resources_of(*, cluster: Cluster, bookable: bool | None = None) -> QuerySet[Resource]:
    qs = Resource.objects.filter(cluster=cluster).select_related("site")
    if bookable is not None:
        qs = qs.filter(bookable=bookable, active=True)
    return qs


def bookings_between(
    *, resource: Resource, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Booking]:
    """The resource's active bookings meeting ``[start, end)``."""
    return (
        Booking.objects.filter(
            resource=resource, status__in=Booking.ACTIVE, start__lt=end, end__gt=start
        )
        .select_related("person", "organisation")
        .order_by("start")
    )


def approval_queue(*, cluster: Cluster) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(cluster=cluster, status=Booking.Status.PENDING)
        .select_related("resource", "person", "organisation")
        .order_by("start")
    )


def flagged_bookings(*, cluster: Cluster) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(
            cluster=cluster, status=Booking.Status.FLAGGED, end__gt=timezone.now()
        )
        .select_related("resource", "person", "organisation")
        .order_by("start")
    )


def bookings_today(*, cluster: Cluster, day: datetime.date) -> QuerySet[Booking]:
    """The day's bookings, for check-in and check-out at the desk."""
    start = local_midnight(day)
    return (
        Booking.objects.filter(
            cluster=cluster,
            status__in=[Booking.Status.CONFIRMED, Booking.Status.FLAGGED],
            start__lt=start + datetime.timedelta(days=1),
            end__gt=start,
        )
        .select_related("resource", "person", "organisation")
        .order_by("start")
    )


def authorisations_expiring(
    *, cluster: Cluster | int | Iterable[int], today: datetime.date, days: int = EXPIRY_WARNING_DAYS
) -> QuerySet[Authorisation]:
    """Authorisations still valid today that end within ``days``."""
    qs = Authorisation.objects.filter(
        revoked_at=None,
        valid_from__lte=today,
        valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=days),
    )
    if isinstance(cluster, Cluster | int):
        qs = qs.filter(cluster=cluster)
    else:
        qs = qs.filter(cluster_id__in=list(cluster))
    return qs.select_related("person", "resource").order_by("valid_until", "pk")


def covering_authorisations(*, resource: Resource, person: Any) -> QuerySet[Authorisation]:
    """The person's authorisations (any dates, revoked or not) that would open
    ``resource``: for the instrument itself, or a containment level at least its own."""
    levels = [
        level
        for level, rank in LEVEL_RANK.items()
        if resource.containment_level and rank >= LEVEL_RANK[resource.containment_level]
    ]
    cover = Q(resource=resource)
    if levels and not resource.requires_authorisation:
        cover |= Q(level__in=levels)
    return Authorisation.objects.filter(cluster_id=resource.cluster_id, person=person).filter(cover)


def person_known_to_cluster(*, cluster: Cluster, email: str) -> Any:
    """The account with this e-mail if the cluster knows it (a role or a contact's portal
    account), else None."""
    from_roles = Q(cluster_roles__cluster=cluster)
    from_contacts = Q(contacts__cluster=cluster, contacts__anonymised_at=None)
    return User.objects.filter(from_roles | from_contacts, email__iexact=email.strip()).first()


# -- occupancy and utilisation ------------------------------------------------------------


@dataclass(frozen=True)
class SpaceMonth:
    resource: Resource
    month: datetime.date
    leased_share: Decimal  # share of the month's days under a lease
    booked_hours: Decimal
    open_hours: Decimal

    @property
    def utilisation(self) -> Decimal | None:
        if not self.open_hours:
            return None
        return (self.booked_hours / self.open_hours).quantize(Decimal("0.001"))


def open_hours_in(resource: Resource, start: datetime.date, end: datetime.date) -> Decimal:
    """Opening hours of ``resource`` between two days (both included)."""
    opens = datetime.datetime.combine(start, resource.opens_at)
    closes = datetime.datetime.combine(start, resource.closes_at)
    if resource.closes_at <= resource.opens_at:
        closes += datetime.timedelta(days=1)
    per_day = Decimal((closes - opens).total_seconds()) / 3600
    days = sum(
        1
        for n in range((end - start).days + 1)
        if (start + datetime.timedelta(days=n)).weekday() in resource.open_days
    )
    return per_day * days


def occupancy_by_month(*, cluster: Cluster, months: list[datetime.date]) -> list[SpaceMonth]:
    """Per resource and month: the share of days leased and the hours booked against the
    hours open. Two queries whatever the number of resources and months."""
    if not months:
        return []
    first, last = months[0], next_month(months[-1]) - datetime.timedelta(days=1)
    resources = list(resources_of(cluster=cluster).filter(active=True))
    leases = list(leases_overlapping(cluster=cluster, start=first, end=last))
    bookings = Booking.objects.filter(
        cluster=cluster,
        status__in=[Booking.Status.CONFIRMED, Booking.Status.FLAGGED],
        start__gte=local_midnight(first),
        start__lt=local_midnight(last + datetime.timedelta(days=1)),
    ).values_list("resource_id", "start", "end")
    booked: dict[tuple[int, datetime.date], Decimal] = {}
    for resource_id, start, end in bookings:
        key = (resource_id, month_start(timezone.localdate(start)))
        booked[key] = booked.get(key, Decimal(0)) + Decimal((end - start).total_seconds()) / 3600
    rows = []
    for resource in resources:
        for month in months:
            month_end = next_month(month) - datetime.timedelta(days=1)
            days_in_month = (month_end - month).days + 1
            leased_days: set[datetime.date] = set()
            for lease in leases:
                if lease.resource_id != resource.pk:
                    continue
                a, b = max(lease.starts_on, month), min(lease.ends_on, month_end)
                leased_days.update(a + datetime.timedelta(days=n) for n in range((b - a).days + 1))
            rows.append(
                SpaceMonth(
                    resource=resource,
                    month=month,
                    leased_share=(Decimal(len(leased_days)) / days_in_month).quantize(
                        Decimal("0.001")
                    ),
                    booked_hours=booked.get((resource.pk, month), Decimal(0)).quantize(
                        Decimal("0.1")
                    ),
                    open_hours=open_hours_in(resource, month, month_end)
                    if resource.bookable
                    else Decimal(0),
                )
            )
    return rows


def statement_totals(
    *, cluster: Cluster | int | Iterable[int], start: datetime.date, end: datetime.date
) -> Decimal:
    qs = Statement.objects.filter(month__gte=month_start(start), month__lte=end)
    if isinstance(cluster, Cluster | int):
        qs = qs.filter(cluster=cluster)
    else:
        qs = qs.filter(cluster_id__in=list(cluster))
    return qs.aggregate(s=Sum("total"))["s"] or Decimal(0)


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    open: bool
    bookings: list[Booking]
    hours: list[tuple[datetime.time, list[Booking]]]


def calendar(*, resource: Resource, first: datetime.date, days: int) -> list[CalendarDay]:
    """The resource's active bookings day by day (one query), and per opening hour."""
    start = local_midnight(first)
    end = local_midnight(first + datetime.timedelta(days=days))
    bookings = list(bookings_between(resource=resource, start=start, end=end))
    result = []
    for n in range(days):
        day = first + datetime.timedelta(days=n)
        day_start = local_midnight(day)
        day_end = local_midnight(day + datetime.timedelta(days=1))
        of_day = [b for b in bookings if b.start < day_end and b.end > day_start]
        last = 24 if resource.closes_at <= resource.opens_at else resource.closes_at.hour
        if resource.closes_at.minute and last < 24:
            last += 1
        hours = []
        for hour in range(resource.opens_at.hour, last):
            a = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
            b = a + datetime.timedelta(hours=1)
            hours.append((datetime.time(hour), [x for x in of_day if x.start < b and x.end > a]))
        result.append(
            CalendarDay(
                day=day, open=day.weekday() in resource.open_days, bookings=of_day, hours=hours
            )
        )
    return result
