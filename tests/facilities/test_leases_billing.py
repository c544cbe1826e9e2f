"""Leases (no overlap on one space, notice, renewal), statements (closed months only, from
actual use, leases and consumables, per project), the expiry warnings."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from clusterdesk.core.errors import Conflict, NotAllowed
from clusterdesk.core.roles import Role
from clusterdesk.facilities.billing import booking_charge, statement_rows
from clusterdesk.facilities.models import Authorisation, Booking, Price, Resource, StatementLine
from clusterdesk.facilities.selectors import next_month
from clusterdesk.facilities.services.billing import (
    consumable_add,
    statement_issue,
    statements_issue_month,
)
from clusterdesk.facilities.services.leases import lease_create, lease_give_notice, lease_renew
from clusterdesk.facilities.services.resources import price_set, resource_create
from clusterdesk.facilities.tasks import warn_expiring_authorisations
from tests.conftest import Tenant
from tests.facilities.factories import ResourceFactory, authorise
from tests.factories import application, follow

pytestmark = pytest.mark.usefixtures("unscoped")


def _closed_month() -> datetime.date:
    """The month before last: always over."""
    first = timezone.localdate().replace(day=1)
    return (first - datetime.timedelta(days=40)).replace(day=1)


def test_resource_created_open_on_working_days_and_prices_never_negative(tenant_a: Tenant) -> None:
    manager = tenant_a.people[Role.FACILITY_MANAGER]
    lab = resource_create(
        actor=manager, cluster=tenant_a.cluster, name="P2-A", kind="lab", containment_level="P2"
    )
    assert lab.open_days == [0, 1, 2, 3, 4]
    assert (lab.opens_at, lab.closes_at) == (datetime.time(8), datetime.time(20))
    with pytest.raises(ValidationError) as refused:
        price_set(actor=manager, resource=lab, category="tenant", unit="hour", amount=Decimal("-1"))
    assert "negative" in refused.value.message_dict["amount"][0]
    with pytest.raises(Conflict):
        resource_create(actor=manager, cluster=tenant_a.cluster, name="P2-A", kind="lab")
    with pytest.raises(NotAllowed):
        resource_create(
            actor=tenant_a.people[Role.FINANCE], cluster=tenant_a.cluster, name="X", kind="lab"
        )


def test_lease_overlapping_another_on_the_same_office_refused(tenant_a: Tenant) -> None:
    manager = tenant_a.people[Role.FACILITY_MANAGER]
    office = ResourceFactory(cluster=tenant_a.cluster, kind=Resource.Kind.OFFICE, bookable=False)
    first = lease_create(
        actor=manager,
        cluster=tenant_a.cluster,
        organisation=follow(tenant_a.cluster),
        resource=office,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        monthly_rent=Decimal("900"),
    )
    with pytest.raises(Conflict) as refused:
        lease_create(
            actor=manager,
            cluster=tenant_a.cluster,
            organisation=follow(tenant_a.cluster),
            resource=office,
            starts_on=datetime.date(2025, 6, 1),
            ends_on=datetime.date(2026, 5, 31),
            monthly_rent=Decimal("900"),
        )
    assert f"lease no. {first.pk}" in refused.value.message
    with pytest.raises(ValidationError) as negative:
        lease_create(
            actor=manager,
            cluster=tenant_a.cluster,
            organisation=follow(tenant_a.cluster),
            resource=office,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            monthly_rent=Decimal("-5"),
        )
    assert "negative" in negative.value.message_dict["monthly_rent"][0]
    renewal = lease_renew(actor=manager, lease=first, ends_on=datetime.date(2026, 12, 31))
    assert renewal.starts_on == datetime.date(2026, 1, 1)
    assert renewal.renewed_from == first
    noticed = lease_give_notice(actor=manager, lease=renewal, on=datetime.date(2026, 3, 10))
    assert noticed.ends_on == datetime.date(2026, 6, 30)


def test_booking_charge_takes_the_cheapest_unit() -> None:
    prices = {"hour": Decimal("50"), "half_day": Decimal("150"), "day": Decimal("250")}
    assert booking_charge(90, prices) == (Decimal("1.5"), "hour", Decimal("50"))
    assert booking_charge(4 * 60, prices) == (Decimal(1), "half_day", Decimal("150"))
    assert booking_charge(7 * 60, prices) == (Decimal(1), "day", Decimal("250"))
    assert booking_charge(60, {}) == (Decimal(1), "hour", Decimal(0))


def test_statement_from_actual_use_leases_and_consumables(tenant_a: Tenant) -> None:
    cluster, manager = tenant_a.cluster, tenant_a.people[Role.FACILITY_MANAGER]
    month = _closed_month()
    org = follow(cluster)
    office = ResourceFactory(cluster=cluster, kind=Resource.Kind.OFFICE, bookable=False)
    lease_create(
        actor=manager,
        cluster=cluster,
        organisation=org,
        resource=office,
        starts_on=month - datetime.timedelta(days=100),
        ends_on=month + datetime.timedelta(days=400),
        monthly_rent=Decimal("1000"),
        monthly_charges=Decimal("100"),
    )
    lab = ResourceFactory(cluster=cluster)
    Price.objects.create(
        cluster=cluster, resource=lab, category="tenant", unit="hour", amount=Decimal("40")
    )
    project = application(cluster)
    start = timezone.make_aware(
        datetime.datetime.combine(month + datetime.timedelta(days=3), datetime.time(9))
    )
    used = Booking.objects.create(
        cluster=cluster,
        resource=lab,
        person=tenant_a.director,
        organisation=org,
        application=project,
        start=start,
        end=start + datetime.timedelta(hours=4),
        checked_in_at=start,
        checked_out_at=start + datetime.timedelta(hours=2),
    )
    Booking.objects.create(  # cancelled: not billed
        cluster=cluster,
        resource=lab,
        person=tenant_a.director,
        organisation=org,
        start=start + datetime.timedelta(days=1),
        end=start + datetime.timedelta(days=1, hours=2),
        status=Booking.Status.CANCELLED,
    )
    consumable_add(
        actor=manager,
        cluster=cluster,
        organisation=org,
        date=month,
        description="CO2",
        quantity=Decimal("2"),
        unit_price=Decimal("12.50"),
    )
    with pytest.raises(NotAllowed):
        statement_issue(
            actor=tenant_a.people[Role.FINANCE], cluster=cluster, organisation=org, month=month
        )
    statement = statement_issue(actor=manager, cluster=cluster, organisation=org, month=month)
    lines = {line.kind: line for line in statement.lines.all()}
    assert lines[StatementLine.Kind.RENT].amount == Decimal("1000.00")
    assert lines[StatementLine.Kind.CHARGES].amount == Decimal("100.00")
    assert lines[StatementLine.Kind.BOOKING].amount == Decimal("80.00")  # 2 h used, not 4
    assert lines[StatementLine.Kind.BOOKING].booking == used
    assert lines[StatementLine.Kind.BOOKING].application == project
    assert lines[StatementLine.Kind.CONSUMABLE].amount == Decimal("25.00")
    assert statement.total == Decimal("1205.00")
    rows = statement_rows([statement])
    assert {row[7] for row in rows} == {"708300", "708400", "706000", "707000"}
    with pytest.raises(Conflict):
        statement_issue(actor=manager, cluster=cluster, organisation=org, month=month)
    assert statements_issue_month(actor=manager, cluster=cluster, month=month) == []


def test_statement_for_a_month_not_closed_refused(tenant_a: Tenant) -> None:
    org = follow(tenant_a.cluster)
    this_month = timezone.localdate().replace(day=1)
    for month in (this_month, next_month(this_month)):
        with pytest.raises(ValidationError) as refused:
            statement_issue(
                actor=tenant_a.director, cluster=tenant_a.cluster, organisation=org, month=month
            )
        assert "not closed" in refused.value.message_dict["month"][0]


def test_expiry_warned_thirty_days_ahead_once(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    person = tenant_a.people[Role.EXPERT]
    soon = authorise(tenant_a.cluster, person, level="P3", days_left=20)
    authorise(tenant_a.cluster, person, level="P2", days_left=45)
    authorise(tenant_a.cluster, person, level="P2", days_left=-3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_expiring_authorisations.call(tenant_a.cluster.pk) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    assert Authorisation.objects.get(pk=soon.pk).expiry_warned_on == timezone.localdate()
    assert warn_expiring_authorisations.call(tenant_a.cluster.pk) == 0


def test_daily_command_warns_every_cluster(
    tenant_a: Tenant, tenant_b: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    authorise(tenant_a.cluster, tenant_a.people[Role.EXPERT], level="P3", days_left=5)
    authorise(tenant_b.cluster, tenant_b.people[Role.EXPERT], level="P2", days_left=30)
    out = StringIO()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("facilities_warn_expiries", "--now", stdout=out)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [tenant_a.people[Role.EXPERT].email, tenant_b.people[Role.EXPERT].email]
    )
    assert "1 warning(s)" in out.getvalue()
