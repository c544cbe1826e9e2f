"""One CRM scenario for every role of a cluster, through the back office's pages and through
the API: the same results and the same refusals, because the services decide both."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.accounts.services import api_token_create
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Membership, Organisation
from tests.conftest import Tenant, client_for
from tests.factories import MembershipFactory, follow

YEAR = 2026


def _outcome(status: int) -> str:
    """What a front end answered, in words both front ends share."""
    if status in (200, 201, 302):
        return "done"
    return {400: "rejected", 409: "rejected", 403: "refused", 404: "hidden"}[status]


class Pages:
    def __init__(self, tenant: Tenant, role: str) -> None:
        self.cluster = tenant.cluster
        self.client = client_for(tenant.people[role])

    def _url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"members:{name}", kwargs={"cluster_slug": self.cluster.slug, **kwargs})

    def create_membership(self, org: Organisation, **values: Any) -> str:
        data = {"year": YEAR, "status": "active", **values}
        url = self._url("membership_create", org_id=org.pk)
        return _outcome(self.client.post(url, data).status_code)

    def change_fee(self, membership: Membership, amount: str) -> str:
        data = {"year": membership.year, "status": membership.status, "fee_amount": amount}
        url = self._url("membership_edit", org_id=membership.organisation_id, pk=membership.pk)
        return _outcome(self.client.post(url, data).status_code)

    def read_memberships(self, org: Organisation) -> str:
        return _outcome(self.client.get(self._url("organisation", org_id=org.pk)).status_code)

    def edit_organisation(self, org: Organisation, city: str) -> str:
        data = {"name": org.name, "kind": org.kind, "country": "FR", "city": city}
        url = self._url("organisation_edit", org_id=org.pk)
        return _outcome(self.client.post(url, data).status_code)


class Api:
    def __init__(self, tenant: Tenant, role: str) -> None:
        _token, raw = api_token_create(user=tenant.people[role], name="scenario")
        self.client = Client(headers={"authorization": f"Bearer {raw}"})
        self.base = f"/api/v1/clusters/{tenant.cluster.slug}"

    def _send(self, method: str, path: str, body: dict[str, Any]) -> str:
        call = getattr(self.client, method)
        response = call(f"{self.base}/{path}", body, content_type="application/json")
        return _outcome(response.status_code)

    def create_membership(self, org: Organisation, **values: Any) -> str:
        body = {"organisation": org.pk, "year": YEAR, "status": "active", **values}
        return self._send("post", "memberships", body)

    def change_fee(self, membership: Membership, amount: str) -> str:
        return self._send("patch", f"memberships/{membership.pk}", {"fee_amount": amount})

    def read_memberships(self, org: Organisation) -> str:
        response = self.client.get(f"{self.base}/memberships", {"organisation": org.pk})
        return _outcome(response.status_code)

    def edit_organisation(self, org: Organisation, city: str) -> str:
        return self._send("patch", f"organisations/{org.pk}", {"city": city})


def _run(front: Pages | Api, tenant: Tenant) -> dict[str, Any]:
    """The scenario, on records of its own; returns what each step answered and left."""
    with scopes_disabled():
        org = follow(tenant.cluster)
        held = MembershipFactory(cluster=tenant.cluster, organisation=follow(tenant.cluster))
        held_fee = held.fee_amount
    steps = {
        "create with a fee": front.create_membership(org, fee_amount="1500"),
        "create without a fee": front.create_membership(follow_new(tenant)),
        "create a second for the year": front.create_membership(held.organisation),
        "change the fee": front.change_fee(held, "1800"),
        "read the memberships": front.read_memberships(org),
        "edit the organisation": front.edit_organisation(org, "Grenoble"),
    }
    with scopes_disabled():
        created = Membership.objects.filter(organisation=org).first()
        held.refresh_from_db()
        org.refresh_from_db()
        count_held = Membership.objects.filter(organisation=held.organisation).count()
    return steps | {
        "fee stored": created.fee_amount if created else None,
        "fee changed": held.fee_amount != held_fee,
        "memberships of the held one": count_held,
        "city": org.city,
    }


def follow_new(tenant: Tenant) -> Organisation:
    with scopes_disabled():
        return follow(tenant.cluster)


EXPECTED = {
    # Finance sets fees; the director holds every right.
    Role.DIRECTOR: ("done", "done", "done", "Grenoble"),
    Role.FINANCE: ("done", "done", "done", "refused"),
    # Keepers of the members write memberships but not their fees.
    Role.PROJECT_MANAGER: ("refused", "done", "refused", "Grenoble"),
    Role.EVENT_MANAGER: ("refused", "done", "refused", "Grenoble"),
    # Other staff read; experts, committee members and members do not reach the CRM.
    Role.FACILITY_MANAGER: ("refused", "refused", "refused", "refused"),
    Role.EXPERT: ("refused", "refused", "refused", "refused"),
    Role.COMMITTEE_MEMBER: ("refused", "refused", "refused", "refused"),
    Role.MEMBER: ("refused", "refused", "refused", "refused"),
}


@pytest.mark.parametrize("role", list(Role.values))
def test_crm_scenario_gives_the_same_answers_on_pages_and_api(role: str, tenant_a: Tenant) -> None:
    pages = _run(Pages(tenant_a, role), tenant_a)
    api = _run(Api(tenant_a, role), tenant_a)
    assert pages == api

    with_fee, without_fee, fee_change, edit = EXPECTED[role]
    assert pages["create with a fee"] == with_fee
    assert pages["create without a fee"] == without_fee
    assert pages["change the fee"] == fee_change
    assert pages["fee stored"] == (Decimal(1500) if with_fee == "done" else None)
    assert pages["fee changed"] is (fee_change == "done")
    # One membership a year, refused by name on both (never silently overwritten).
    assert pages["create a second for the year"] == (
        "rejected" if without_fee == "done" else "refused"
    )
    assert pages["memberships of the held one"] == 1
    can_read = role not in (Role.EXPERT, Role.COMMITTEE_MEMBER, Role.MEMBER)
    assert pages["read the memberships"] == ("done" if can_read else "refused")
    assert pages["edit the organisation"] == ("done" if edit == "Grenoble" else "refused")
    assert pages["city"] == ("Grenoble" if edit == "Grenoble" else "Lyon")
