"""The participant's space behind the personal signed link: what the code opens and what it
does not (leak cases: another cluster, an altered code, another participant's objects)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.brokerage.access import participant_code
from clusterdesk.brokerage.models import Meeting, MeetingRequest, Participant
from clusterdesk.core.roles import Role
from tests.brokerage.factories import brokerage, participant, request, run_with_meeting
from tests.conftest import Tenant, client_for
from tests.factories import follow

PAGES = ("home", "market", "requests", "agenda")


def _url(p: Participant, name: str = "home", code: str | None = None, **kw: Any) -> str:
    return reverse(
        f"participant_space:{name}",
        kwargs={"public_cluster_slug": p.cluster.slug, "code": code or participant_code(p), **kw},
    )


def _en() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_the_code_opens_its_own_space_and_nothing_else(tenant_a: Tenant, tenant_b: Tenant) -> None:
    with scopes_disabled():
        mine = participant(brokerage(tenant_a.cluster), headline="ZQXMINE")
        theirs = participant(brokerage(tenant_b.cluster), headline="ZQXTHEIRS")
        theirs_code = participant_code(theirs)
    client = _en()
    for name in PAGES:
        assert client.get(_url(mine, name)).status_code == 200
        # Another cluster's code through this cluster's address.
        assert client.get(_url(mine, name, code=theirs_code)).status_code == 404
    assert "ZQXMINE" in client.get(_url(mine)).content.decode()
    code = participant_code(mine)
    for forged in (code[:-1] + ("A" if code[-1] != "A" else "B"), f"{mine.pk}.x", "nothing"):
        assert client.get(_url(mine, code=forged)).status_code == 404
    assert client.get(_url(mine, "agenda_file", fmt="ics")).status_code == 200
    assert client.get(_url(mine, "agenda_file", fmt="exe")).status_code == 404


def test_a_code_cannot_touch_another_participants_requests_or_meetings(tenant_a: Tenant) -> None:
    with scopes_disabled():
        b = brokerage(tenant_a.cluster)
        me, other, third = participant(b), participant(b), participant(b)
        foreign = request(other, third, status="pending")
        _run, meeting = run_with_meeting(b)
    client = _en()
    response = client.post(_url(me, "requests"), {"request": foreign.pk, "action": "accept"})
    assert response.status_code == 404
    response = client.post(_url(me, "agenda"), {"meeting": meeting.pk, "action": "cancel"})
    assert response.status_code == 404
    with scopes_disabled():
        foreign.refresh_from_db()
        meeting.refresh_from_db()
    assert foreign.status == MeetingRequest.Status.PENDING
    assert meeting.status == Meeting.Status.SCHEDULED
    # Its own meeting, it may cancel.
    owner = meeting.participant_a
    client.post(_url(owner, "agenda"), {"meeting": meeting.pk, "action": "cancel"})
    with scopes_disabled():
        meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_requesting_answering_and_refusals_from_the_space(tenant_a: Tenant) -> None:
    with scopes_disabled():
        b = brokerage(tenant_a.cluster)
        org = follow(tenant_a.cluster)
        me = participant(b, organisation=org)
        colleague = participant(b, organisation=org)
        other = participant(b)
        pending = participant(b, status=Participant.Status.PENDING)
    client = _en()
    refused = client.post(_url(me, "request", target_pk=colleague.pk), {"priority": 1})
    assert refused.status_code == 400
    assert "own organisation" in refused.content.decode()
    # A profile not validated is not in the marketplace at all.
    assert client.get(_url(me, "request", target_pk=pending.pk)).status_code == 404
    sent = client.post(
        _url(me, "request", target_pk=other.pk), {"priority": 1, "message": "Bonjour"}
    )
    assert sent.status_code == 302
    with scopes_disabled():
        r = MeetingRequest.objects.get(requester=me, target=other)
    client.post(_url(other, "requests"), {"request": r.pk, "action": "accept"})
    with scopes_disabled():
        r.refresh_from_db()
    assert r.status == MeetingRequest.Status.ACCEPTED


def test_availability_outside_the_event_is_refused_on_the_page(tenant_a: Tenant) -> None:
    with scopes_disabled():
        b = brokerage(tenant_a.cluster)
        me = participant(b)
    before = b.event.starts_at.replace(year=b.event.starts_at.year - 1)
    response = _en().post(
        _url(me),
        {"action": "availability", "arrival_at": before.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    assert "within the event" in response.content.decode()
    with scopes_disabled():
        me.refresh_from_db()
    assert me.arrival_at is None


@pytest.mark.parametrize("role", [Role.MEMBER, Role.FINANCE])
def test_a_signed_in_person_who_is_not_the_participant_acts_only_as_the_code(
    tenant_a: Tenant, role: str
) -> None:
    """Signed in or not, the page acts as the code's participant, never as the account."""
    with scopes_disabled():
        b = brokerage(tenant_a.cluster)
        me, other = participant(b), participant(b)
    client = client_for(tenant_a.people[role])
    client.post(_url(me, "request", target_pk=other.pk), {"priority": 2})
    with scopes_disabled():
        assert MeetingRequest.objects.filter(requester=me, target=other).exists()
        assert not MeetingRequest.objects.filter(requester=other).exists()


def test_the_portal_lists_the_members_own_participations_with_their_link(
    tenant_a: Tenant,
) -> None:
    member = tenant_a.people[Role.MEMBER]
    with scopes_disabled():
        b = brokerage(tenant_a.cluster)
        mine = participant(b, user=member)
        other = participant(b)
    client = client_for(member)
    page = client.get(reverse("portal:meetings", kwargs={"cluster_slug": "alpha"}))
    text = page.content.decode()
    assert page.status_code == 200
    assert participant_code(mine) in text
    assert participant_code(other) not in text
    # The staff have no portal.
    staff = client_for(tenant_a.people[Role.EVENT_MANAGER])
    assert (
        staff.get(reverse("portal:meetings", kwargs={"cluster_slug": "alpha"})).status_code == 403
    )
