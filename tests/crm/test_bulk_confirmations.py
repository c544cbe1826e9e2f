"""The renewal campaign's bulk actions say what they will do and to how many, and run only
once confirmed (issue 15, point 8)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Membership
from tests.conftest import Tenant, client_for
from tests.factories import ContactFactory, follow


@pytest.fixture
def campaign(tenant_a: Tenant) -> dict[str, object]:
    """Three 2025 members (two with a representative with an e-mail), one already renewed
    for 2026 and called, unpaid."""
    cluster = tenant_a.cluster
    with scopes_disabled():
        orgs = [follow(cluster, name=f"Membre {n}") for n in range(3)]
        people = [
            ContactFactory(cluster=cluster, organisation=orgs[0]),
            ContactFactory(cluster=cluster, organisation=orgs[1], email=""),
        ]
        for org, person in zip(orgs, [*people, None], strict=True):
            Membership.objects.create(
                cluster=cluster,
                organisation=org,
                year=2025,
                status="active",
                fee_amount=500,
                representative=person,
            )
        Membership.objects.create(
            cluster=cluster,
            organisation=orgs[0],
            year=2026,
            status="active",
            fee_amount=500,
            fee_called_on="2026-01-15",
            representative=people[0],
        )
    return {"orgs": orgs}


def _url(tenant: Tenant, year: int = 2026) -> str:
    return reverse("members:renewals", args=[tenant.cluster.slug, year])


def _client(tenant: Tenant) -> object:
    client = client_for(tenant.people[Role.FINANCE])
    client.cookies["django_language"] = "en"
    return client


def _count(**filters: object) -> int:
    with scopes_disabled():
        return Membership.objects.filter(**filters).count()


def test_renewing_asks_to_confirm_with_the_count_then_renews(
    tenant_a: Tenant, campaign: dict
) -> None:
    client = _client(tenant_a)
    page = client.post(_url(tenant_a), {"action": "renew"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Renew 2 memberships" in html and "Membre 1" in html
    assert 'name="confirmed" value="yes"' in html and 'name="action" value="renew"' in html
    assert _count(year=2026) == 1  # nothing done yet
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action="membership.renewed").exists()
    done = client.post(_url(tenant_a), {"action": "renew", "confirmed": "yes"})
    assert done.status_code == 302
    assert _count(year=2026) == 3


def test_calling_fees_says_how_many_emails_then_sends_them(
    tenant_a: Tenant, campaign: dict, django_capture_on_commit_callbacks: object
) -> None:
    client = _client(tenant_a)
    client.post(_url(tenant_a), {"action": "renew", "confirmed": "yes"})
    with scopes_disabled():
        # No grid line applies to them: a fee without amount is not called (nor counted).
        page = client.post(_url(tenant_a), {"action": "call"})
        assert [e.count for e in page.context["confirmation"].effects] == [0, 0]
        Membership.objects.filter(year=2026, fee_called_on=None).update(fee_amount=800)
        Membership.objects.filter(year=2026, organisation=campaign["orgs"][2]).update(
            representative=ContactFactory(
                cluster=tenant_a.cluster, organisation=campaign["orgs"][2]
            )
        )
    page = client.post(_url(tenant_a), {"action": "call"})
    confirmation = page.context["confirmation"]
    counts = {str(e.label): e.count for e in confirmation.effects}
    assert counts == {"fees called": 2, "e-mails to the members' representatives": 1}
    assert _count(year=2026, fee_called_on=None) == 2
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(_url(tenant_a), {"action": "call", "confirmed": "yes"})
    assert _count(year=2026, fee_called_on=None) == 0
    assert len(mail.outbox) == 1


def test_lapsing_is_confirmed_as_a_danger_and_counts_the_unpaid(
    tenant_a: Tenant, campaign: dict
) -> None:
    client = _client(tenant_a)
    page = client.post(_url(tenant_a), {"action": "lapse"})
    confirmation = page.context["confirmation"]
    assert confirmation.danger and [e.count for e in confirmation.effects] == [1]
    assert "Lapse 1 memberships" in page.content.decode()
    assert _count(status="lapsed") == 0
    client.post(_url(tenant_a), {"action": "lapse", "confirmed": "yes"})
    assert _count(status="lapsed") == 1


def test_reminding_counts_the_emails_it_sends(
    tenant_a: Tenant, campaign: dict, django_capture_on_commit_callbacks: object
) -> None:
    client = _client(tenant_a)
    page = client.post(_url(tenant_a), {"action": "remind"})
    assert [e.count for e in page.context["confirmation"].effects] == [1, 1]
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(_url(tenant_a), {"action": "remind", "confirmed": "yes"})
    assert len(mail.outbox) == 1


def test_an_action_with_nothing_to_do_offers_no_confirm_button(
    tenant_a: Tenant, campaign: dict
) -> None:
    page = _client(tenant_a).post(_url(tenant_a, 2030), {"action": "lapse"})
    assert page.status_code == 200
    assert 'name="confirmed"' not in page.content.decode()


def test_the_confirmation_is_refused_to_who_may_not_run_the_campaign(
    tenant_a: Tenant, campaign: dict
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    assert client.post(_url(tenant_a), {"action": "renew"}).status_code == 403
