"""The renewal page finds a membership among hundreds: filtered by name and fee state,
paged."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.core.roles import Role
from tests.conftest import Tenant, client_for
from tests.factories import MembershipFactory, follow

YEAR = 2026


def test_renewals_are_filtered_and_paged(tenant_a: Tenant) -> None:
    with scopes_disabled():
        for n in range(60):
            org = follow(tenant_a.cluster, name=f"Adhérent {n:02d}")
            paid = datetime.date(YEAR, 2, 1) if n < 5 else None
            MembershipFactory(
                cluster=tenant_a.cluster,
                organisation=org,
                year=YEAR,
                fee_amount=800,
                fee_called_on=datetime.date(YEAR, 1, 10) if n < 40 else None,
                fee_paid_on=paid,
                fee_paid_amount=800 if paid else None,
            )
    client = client_for(tenant_a.people[Role.FINANCE])
    url = reverse("members:renewals", args=[tenant_a.cluster.slug, YEAR])

    def names(**query: object) -> list[str]:
        response = client.get(url, query)
        assert response.status_code == 200
        return [m.organisation.name for m in response.context["due"]]

    first = client.get(url)
    assert first.context["page"].paginator.count == 60 and len(first.context["due"]) == 50
    assert len(names(page=2)) == 10
    assert names(q="Adhérent 07") == ["Adhérent 07"]
    assert len(names(fee_state="paid")) == 5
    assert len(names(fee_state="to_call")) == 20
    assert len(names(fee_state="called")) == 35
