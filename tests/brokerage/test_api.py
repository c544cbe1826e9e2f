"""The brokerage API: the pages' reach per role, requests with their JSON refusals,
meetings and agendas."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import api_token_create
from clusterdesk.brokerage.models import MeetingRequest
from clusterdesk.core.roles import STAFF_ROLES, Role
from tests.brokerage.factories import brokerage, participant, run_with_meeting
from tests.conftest import Tenant
from tests.factories import follow


def _api(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})


def _url(b: Any, path: str) -> str:
    return f"/api/v1/clusters/{b.cluster.slug}/events/{b.event_id}/brokerage/{path}"


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("role", sorted(Role.values))
def test_lists_follow_the_pages_reach(tenant_a: Tenant, role: str) -> None:
    with scopes_disabled():
        b = brokerage(tenant_a.cluster)
        meeting = run_with_meeting(b)[1]
        participant(b)
    client = _api(tenant_a.people[role])
    staff = role in STAFF_ROLES
    for path, total in (("participants", 3), ("requests", 1), ("meetings", 1)):
        response = client.get(_url(b, path))
        assert response.status_code == 200, path
        assert response.json()["count"] == (total if staff else 0), path
    agenda = client.get(_url(b, f"participants/{meeting.participant_a_id}/agenda"))
    assert agenda.status_code == (200 if staff else 404)
    if staff:
        assert agenda.json()[0]["with_participant"] == meeting.participant_b_id


def test_a_member_participant_reads_their_own_and_asks_for_meetings(tenant_a: Tenant) -> None:
    member = tenant_a.people[Role.MEMBER]
    with scopes_disabled():
        b = brokerage(tenant_a.cluster)
        org = follow(tenant_a.cluster)
        me = participant(b, organisation=org, user=member)
        colleague = participant(b, organisation=org)
        other = participant(b)
    client = _api(member)
    listed = {p["id"] for p in client.get(_url(b, "participants")).json()["items"]}
    assert listed == {me.pk, colleague.pk, other.pk}
    ok = _post(client, _url(b, "requests"), {"requester": me.pk, "target": other.pk, "priority": 1})
    assert ok.status_code == 201 and ok.json()["status"] == "pending"
    again = _post(client, _url(b, "requests"), {"requester": me.pk, "target": other.pk})
    assert again.status_code == 409 and "already" in again.json()["detail"]
    self_request = _post(client, _url(b, "requests"), {"requester": me.pk, "target": me.pk})
    assert self_request.status_code == 400
    colleague_request = _post(
        client, _url(b, "requests"), {"requester": me.pk, "target": colleague.pk}
    )
    assert colleague_request.status_code == 400
    assert "own organisation" in json.dumps(colleague_request.json())
    # As someone else: not found.
    forged = _post(client, _url(b, "requests"), {"requester": other.pk, "target": me.pk})
    assert forged.status_code == 404
    # The target answers; the member cannot answer their own request.
    request_id = ok.json()["id"]
    refused = client.post(_url(b, f"requests/{request_id}/accept"))
    assert refused.status_code == 404
    with scopes_disabled():
        assert MeetingRequest.objects.get(pk=request_id).status == "pending"
        assert MeetingRequest.objects.count() == 1


def test_another_clusters_event_is_not_found(tenant_a: Tenant, tenant_b: Tenant) -> None:
    with scopes_disabled():
        theirs = brokerage(tenant_b.cluster)
    client = _api(tenant_a.director)
    url = (
        f"/api/v1/clusters/{tenant_a.cluster.slug}/events/{theirs.event_id}/brokerage/participants"
    )
    response = client.get(url)
    assert response.status_code == 404 and "detail" in response.json()
