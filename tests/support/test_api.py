"""The support API: the same permissions and refusals as the pages, JSON errors naming
the field, the company's contacts seeing what is meant for them, nothing of another
cluster."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import api_token_create
from clusterdesk.core.roles import Role
from clusterdesk.support.models import CaseOutcome, Mission, StagePeriod, SupportCase
from tests.conftest import Tenant
from tests.factories import OrganisationFactory
from tests.support.factories import SECRET, case, case_with_expert, company, expert, mission_of

TODAY = timezone.localdate()


def _api(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})


def _url(tenant: Tenant, path: str) -> str:
    return f"/api/v1/clusters/{tenant.cluster.slug}/support/{path}"


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def _fields(response: Any) -> dict[str | None, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.mark.parametrize("role", Role.values)
def test_the_case_list_shows_each_role_what_it_may_see(role: str, tenant_a: Tenant) -> None:
    c, _e = case_with_expert(tenant_a)
    response = _api(tenant_a.people[role]).get(_url(tenant_a, "cases"))
    readers = {Role.DIRECTOR, Role.PROJECT_MANAGER, Role.MEMBER, Role.EXPERT}
    if role in readers:
        assert [x["id"] for x in response.json()["items"]] == [c.pk]
    else:
        assert response.status_code == 403 or response.json()["count"] == 0
        assert SECRET not in response.content.decode()
    detail = _api(tenant_a.people[role]).get(_url(tenant_a, f"cases/{c.pk}"))
    assert detail.status_code == (200 if role in readers else 404)


def test_a_case_is_created_and_moved_through_the_api(tenant_a: Tenant) -> None:
    org = company(tenant_a)
    client = _api(tenant_a.people[Role.PROJECT_MANAGER])
    created = _post(
        client,
        _url(tenant_a, "cases"),
        {"organisation": org.pk, "title": "Levée", "need": "fundraising", "stage": "preclinical"},
    )
    assert created.status_code == 201, created.json()
    case_id = created.json()["id"]
    moved = _patch(client, _url(tenant_a, f"cases/{case_id}"), {"stage": "clinical"})
    assert moved.status_code == 200 and moved.json()["stage"] == "clinical"
    closed = _patch(client, _url(tenant_a, f"cases/{case_id}"), {"status": "closed"})
    assert closed.json()["status"] == "closed" and closed.json()["closed_on"] == TODAY.isoformat()
    with scopes_disabled():
        assert StagePeriod.objects.filter(case_id=case_id).count() == 2


def test_bad_input_is_refused_by_name(tenant_a: Tenant) -> None:
    client = _api(tenant_a.people[Role.PROJECT_MANAGER])
    with scopes_disabled():
        stranger = OrganisationFactory()
    refused = _post(
        client,
        _url(tenant_a, "cases"),
        {"organisation": stranger.pk, "title": "x", "need": "ip", "stage": "idea"},
    )
    assert refused.status_code == 400 and "organisation" in _fields(refused)
    c = case(tenant_a)
    negative = _post(
        client,
        _url(tenant_a, f"cases/{c.pk}/outcomes"),
        {"kind": "funds_raised", "date": TODAY.isoformat(), "amount_eur": "-10"},
    )
    assert negative.status_code == 400 and "amount_eur" in _fields(negative)
    dollars = _post(
        client,
        _url(tenant_a, f"cases/{c.pk}/outcomes"),
        {"kind": "funds_raised", "date": TODAY.isoformat(), "amount_eur": "10", "currency": "USD"},
    )
    assert dollars.status_code == 400 and "USD" in _fields(dollars)["currency"]
    no_agreement = expert(tenant_a, name="Dr Sans Accord", agreement_days=None)
    mission = _post(
        client, _url(tenant_a, f"cases/{c.pk}/missions"), {"expert": no_agreement.pk, "title": "x"}
    )
    assert mission.status_code == 400 and "Dr Sans Accord" in _fields(mission)["expert"]
    with scopes_disabled():
        assert not CaseOutcome.objects.exists() and not Mission.objects.exists()


def test_an_expert_with_a_conflict_is_refused_a_mission(tenant_a: Tenant) -> None:
    c = case(tenant_a)
    e = expert(tenant_a, name="Dr Conflit")
    client = _api(tenant_a.people[Role.PROJECT_MANAGER])
    declared = _post(
        client,
        _url(tenant_a, f"experts/{e.pk}/conflicts"),
        {"organisation": c.organisation_id, "reason": "Administrateur de la société"},
    )
    assert declared.status_code == 201
    again = _post(
        client,
        _url(tenant_a, f"experts/{e.pk}/conflicts"),
        {"organisation": c.organisation_id, "reason": "x"},
    )
    assert again.status_code == 409
    refused = _post(
        client, _url(tenant_a, f"cases/{c.pk}/missions"), {"expert": e.pk, "title": "x"}
    )
    assert refused.status_code == 400
    assert "Administrateur de la société" in _fields(refused)["expert"]


def test_the_company_sees_shared_actions_and_missions_without_costs(tenant_a: Tenant) -> None:
    c, _e = case_with_expert(tenant_a)
    staff = _api(tenant_a.people[Role.PROJECT_MANAGER])
    for subject, shared in (("Interne", False), ("Partagée", True)):
        _post(
            staff,
            _url(tenant_a, f"cases/{c.pk}/actions"),
            {"kind": "note", "subject": subject, "shared_with_company": shared},
        )
    member = _api(tenant_a.people[Role.MEMBER])
    actions = member.get(_url(tenant_a, f"cases/{c.pk}/actions")).json()
    assert [a["subject"] for a in actions] == ["Partagée"]
    missions = member.get(_url(tenant_a, f"cases/{c.pk}/missions")).json()
    assert missions[0]["cost_eur"] is None and missions[0]["report"] is None
    assert staff.get(_url(tenant_a, f"cases/{c.pk}/missions")).json()[0]["cost_eur"] is not None
    # The member may not act on the case.
    assert _patch(member, _url(tenant_a, f"cases/{c.pk}"), {"title": "x"}).status_code == 403


def test_the_expert_writes_the_report(tenant_a: Tenant) -> None:
    c, _e = case_with_expert(tenant_a)
    mission = mission_of(c)
    response = _patch(
        _api(tenant_a.people[Role.EXPERT]),
        _url(tenant_a, f"missions/{mission.pk}"),
        {"report": "Dossier technique conforme", "hours": "12.5"},
    )
    assert response.status_code == 200 and response.json()["status"] == "done"
    finance = _api(tenant_a.people[Role.FINANCE]).get(_url(tenant_a, f"missions/{mission.pk}"))
    assert finance.status_code == 404


def test_writes_on_another_clusters_case_are_404_and_change_nothing(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    theirs = case(tenant_b, title="Leur dossier")
    client = _api(tenant_a.people[Role.PROJECT_MANAGER])
    for path, body in (
        (f"cases/{theirs.pk}/actions", {"kind": "note", "subject": "x"}),
        (f"cases/{theirs.pk}/outcomes", {"kind": "patent_filed", "date": TODAY.isoformat()}),
        (f"cases/{theirs.pk}/missions", {"expert": 1, "title": "x"}),
    ):
        assert _post(client, _url(tenant_a, path), body).status_code == 404
    assert (
        _patch(client, _url(tenant_a, f"cases/{theirs.pk}"), {"stage": "market"}).status_code == 404
    )
    with scopes_disabled():
        assert SupportCase.objects.get(pk=theirs.pk).stage == "preclinical"


def test_experts_are_the_support_staffs(tenant_a: Tenant) -> None:
    e = expert(tenant_a, name="Dr Liste")
    assert _api(tenant_a.people[Role.FINANCE]).get(_url(tenant_a, "experts")).status_code == 403
    body = _api(tenant_a.director).get(_url(tenant_a, "experts")).json()
    assert [x["name"] for x in body["items"]] == ["Dr Liste"]
    assert body["items"][0]["agreement_on_file"] is True
    changed = _patch(
        _api(tenant_a.director), _url(tenant_a, f"experts/{e.pk}"), {"daily_rate_eur": "-1"}
    )
    assert changed.status_code == 400 and "daily_rate_eur" in _fields(changed)


def test_the_indicators_count_cases_and_funds(tenant_a: Tenant) -> None:
    year = TODAY.year
    c = case(tenant_a, opened_on=datetime.date(year, 1, 2))
    staff = _api(tenant_a.people[Role.PROJECT_MANAGER])
    for amount in ("1000000", "250000.50"):
        _post(
            staff,
            _url(tenant_a, f"cases/{c.pk}/outcomes"),
            {
                "kind": "funds_raised",
                "date": datetime.date(year, 1, 3).isoformat(),
                "amount_eur": amount,
            },
        )
    _patch(
        staff, _url(tenant_a, f"cases/{c.pk}"), {"status": "closed", "status_on": f"{year}-01-04"}
    )
    url = f"/api/v1/clusters/{tenant_a.cluster.slug}/indicators?from={year}-01-01&to={year}-12-31"
    body = _api(tenant_a.people[Role.FINANCE]).get(url).json()["indicators"]
    assert body["support_cases_opened"]["value"] == 1
    assert body["support_cases_closed"]["value"] == 1
    assert float(body["funds_raised_eur"]["value"]) == 1250000.5
    assert body["hosted_companies"]["value"] == 0  # the innovation centre's, from its leases
    records = (
        f"/api/v1/clusters/{tenant_a.cluster.slug}/indicators/funds_raised_eur/records"
        f"?from={year}-01-01&to={year}-12-31"
    )
    assert _api(tenant_a.people[Role.FINANCE]).get(records).status_code == 403
    drill = _api(tenant_a.director).get(records).json()
    assert drill["count"] == 2 and drill["rows"][0][1] == c.organisation.name
