"""Factories of the innovation centre's tests."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Organisation
from clusterdesk.facilities.models import (
    Authorisation,
    Booking,
    Lease,
    Resource,
    Statement,
)
from tests.factories import ContactFactory, UserFactory, follow, grant


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    name = factory.Sequence(lambda n: f"Laboratoire {n}")
    kind = Resource.Kind.LAB
    horizon_days = 120


def slot(
    days: int = 7, hour: int = 10, hours: int = 2
) -> tuple[datetime.datetime, datetime.datetime]:
    """A period on a working day about ``days`` from now (the next Monday to Friday at or
    after it), at ``hour`` local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() > 4:
        day += datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return start, start + datetime.timedelta(hours=hours)


def authorise(
    cluster: Cluster,
    person: User,
    *,
    level: str = "",
    resource: Resource | None = None,
    days_left: int = 365,
    **fields: Any,
) -> Authorisation:
    today = timezone.localdate()
    return Authorisation.objects.create(
        cluster=cluster,
        person=person,
        level=level,
        resource=resource,
        valid_from=fields.pop("valid_from", today - datetime.timedelta(days=30)),
        valid_until=today + datetime.timedelta(days=days_left),
        **fields,
    )


def hosted_person(
    cluster: Cluster, organisation: Organisation | None = None
) -> tuple[User, Organisation]:
    """A portal account of an organisation with a current lease of an office."""
    org = follow(cluster, organisation)
    user = grant(UserFactory(), cluster, Role.MEMBER)
    ContactFactory(cluster=cluster, organisation=org, user=user, email=user.email)
    office = ResourceFactory(cluster=cluster, kind=Resource.Kind.OFFICE, bookable=False)
    today = timezone.localdate()
    Lease.objects.create(
        cluster=cluster,
        organisation=org,
        resource=office,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today + datetime.timedelta(days=400),
        monthly_rent=Decimal("1200.00"),
        monthly_charges=Decimal("150.00"),
    )
    return user, org


def booking(
    cluster: Cluster, resource: Resource | None = None, person: User | None = None, **fields: Any
) -> Booking:
    start, end = slot(fields.pop("days", 7), fields.pop("hour", 10))
    return Booking.objects.create(
        cluster=cluster,
        resource=resource or ResourceFactory(cluster=cluster),
        person=person or UserFactory(),
        start=fields.pop("start", start),
        end=fields.pop("end", end),
        **fields,
    )


def statement(cluster: Cluster, organisation: Organisation, **fields: Any) -> Statement:
    month = fields.pop("month", datetime.date(2025, 3, 1))
    return Statement.objects.create(
        cluster=cluster,
        organisation=organisation,
        month=month,
        number=f"T-{organisation.pk}-{month:%Y%m}",
        total=Decimal("100.00"),
        **fields,
    )
