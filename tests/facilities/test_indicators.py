"""The centre's indicators (with their drill-down) and the organisation's timeline."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.crm.selectors import organisation_timeline
from clusterdesk.facilities.models import Lease, Resource
from clusterdesk.results.indicators import Scope, compute
from tests.conftest import Tenant, client_for
from tests.facilities.factories import ResourceFactory, authorise, booking
from tests.factories import follow

NAMES = [
    "hosted_companies",
    "facility_occupancy",
    "facility_utilisation",
    "facility_revenue",
    "authorisations_expiring",
]


def _lease(tenant: Tenant, start: datetime.date, end: datetime.date) -> Lease:
    office = ResourceFactory(cluster=tenant.cluster, kind=Resource.Kind.OFFICE, bookable=False)
    return Lease.objects.create(
        cluster=tenant.cluster,
        organisation=follow(tenant.cluster),
        resource=office,
        starts_on=start,
        ends_on=end,
        monthly_rent=Decimal(500),
    )


@pytest.mark.usefixtures("unscoped")
def test_hosted_companies_count_the_leases_of_the_period(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    _lease(tenant_a, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    _lease(tenant_a, datetime.date(2025, 6, 1), datetime.date(2027, 5, 31))
    _lease(tenant_a, datetime.date(2023, 1, 1), datetime.date(2024, 12, 31))
    _lease(tenant_b, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    values = compute(
        Scope((tenant_a.cluster.pk,), datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)), NAMES
    )
    assert values["hosted_companies"] == 2
    assert values["facility_occupancy"] == pytest.approx((365 + 214) / (3 * 365), abs=0.001)
    authorise(tenant_a.cluster, tenant_a.people[Role.EXPERT], level="P2", days_left=10)
    authorise(tenant_a.cluster, tenant_a.people[Role.EXPERT], level="P3", days_left=90)
    today = timezone.localdate()
    assert (
        compute(Scope((tenant_a.cluster.pk,), today, today), ["authorisations_expiring"])[
            "authorisations_expiring"
        ]
        == 1
    )


@pytest.mark.parametrize("name", NAMES)
def test_drill_down_for_the_centre_and_finance_staff_only(tenant_a: Tenant, name: str) -> None:
    with scopes_disabled():
        lease = _lease(tenant_a, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
        booking(tenant_a.cluster, person=tenant_a.director, organisation=lease.organisation)
        authorise(tenant_a.cluster, tenant_a.people[Role.EXPERT], level="P2", days_left=10)
    address = reverse("dashboards:drill_down", args=[tenant_a.cluster.slug, name])
    address += "?from=2025-01-01&to=2025-12-31"
    for role, status in (
        (Role.FACILITY_MANAGER, 200),
        (Role.FINANCE, 200),
        (Role.PROJECT_MANAGER, 403),
    ):
        assert client_for(tenant_a.people[role]).get(address).status_code == status, role


def test_leases_on_the_timeline_for_the_centre_staff(tenant_a: Tenant) -> None:
    with scopes_disabled():
        lease = _lease(tenant_a, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    with scope(cluster=tenant_a.cluster):
        staff = organisation_timeline(
            cluster=tenant_a.cluster,
            organisation=lease.organisation,
            viewer=tenant_a.people[Role.FACILITY_MANAGER],
        )
        other = organisation_timeline(
            cluster=tenant_a.cluster,
            organisation=lease.organisation,
            viewer=tenant_a.people[Role.EVENT_MANAGER],
        )
    assert [i.kind for i in staff if i.kind == "lease"] == ["lease"]
    assert not [i for i in other if i.kind == "lease"]
