"""The events API: the routes and shapes named in the issue, permissions per role, JSON
errors, writes across clusters refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import api_token_create
from clusterdesk.core.roles import Role
from clusterdesk.events.models import Event, Registration
from tests.conftest import Tenant
from tests.events.factories import RegistrationFactory, event, in_days, past_event


def _api(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})


def _url(tenant: Tenant, path: str) -> str:
    return f"/api/v1/clusters/{tenant.cluster.slug}/{path}"


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _person(n: int, **extra: Any) -> dict[str, Any]:
    return {"first_name": "Ana", "last_name": f"Silva {n}", "email": f"ana{n}@example.org"} | extra


def test_create_an_event_then_register_until_the_waitlist(tenant_a: Tenant) -> None:
    client = _api(tenant_a.people[Role.EVENT_MANAGER])
    created = _post(
        client,
        _url(tenant_a, "events"),
        {
            "title": "Rencontres santé",
            "kind": "networking",
            "starts_at": in_days(20).isoformat(),
            "ends_at": in_days(20, hour=18).isoformat(),
            "capacity": 2,
        },
    )
    assert created.status_code == 201, created.content
    event_id = created.json()["id"]
    registrations = _url(tenant_a, f"events/{event_id}/registrations")
    answers = [_post(client, registrations, _person(n)) for n in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.json()["status"] for a in answers] == ["confirmed", "confirmed", "waitlisted"]
    assert all("id" in a.json() for a in answers)

    twice = _post(client, registrations, _person(0))
    assert twice.status_code == 409
    assert "ana0@example.org" in twice.json()["detail"]

    listed = client.get(registrations, {"limit": 2, "offset": 0}).json()
    assert listed["count"] == 3
    assert len(listed["items"]) == 2
    assert set(listed["items"][0]) >= {"id", "email", "status"}

    first = answers[0].json()["id"]
    deleted = client.delete(f"{registrations}/{first}")
    assert deleted.status_code == 204
    with scopes_disabled():
        waiting = Registration.objects.get(pk=answers[2].json()["id"])
    assert waiting.status == "confirmed"


def test_event_detail_and_list_show_the_counts(tenant_a: Tenant) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster, capacity=10)
        RegistrationFactory(event=e)
        RegistrationFactory(event=e, status="waitlisted", waitlist_position=1)
    client = _api(tenant_a.director)
    detail = client.get(_url(tenant_a, f"events/{e.pk}")).json()
    assert (detail["confirmed"], detail["waitlisted"], detail["capacity"]) == (1, 1, 10)
    listed = client.get(_url(tenant_a, "events")).json()
    assert [item["id"] for item in listed["items"]] == [e.pk]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (_person(1, email="nope"), 400, "email"),
        ({"first_name": "A", "last_name": "B"}, 422, "email"),
    ],
)
def test_bad_registrations_are_json_errors(
    tenant_a: Tenant, body: dict[str, Any], status: int, field: str
) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster)
    answer = _post(_api(tenant_a.director), _url(tenant_a, f"events/{e.pk}/registrations"), body)
    assert answer.status_code == status
    assert field in answer.content.decode()
    with scopes_disabled():
        assert not Registration.objects.filter(event=e).exists()


def test_a_past_event_and_a_lowered_capacity_are_refused_by_name(tenant_a: Tenant) -> None:
    client = _api(tenant_a.director)
    with scopes_disabled():
        old = past_event(tenant_a.cluster)
        full = event(tenant_a.cluster, capacity=3)
        for _ in range(2):
            RegistrationFactory(event=full)
    past = _post(client, _url(tenant_a, f"events/{old.pk}/registrations"), _person(1))
    assert past.status_code == 400
    assert "already taken place" in past.content.decode()
    lowered = client.patch(
        _url(tenant_a, f"events/{full.pk}"), {"capacity": 1}, content_type="application/json"
    )
    assert lowered.status_code == 400
    assert "capacity" in lowered.content.decode()
    with scopes_disabled():
        assert Event.objects.get(pk=full.pk).capacity == 3


def test_an_event_that_ends_before_it_starts_is_a_400(tenant_a: Tenant) -> None:
    answer = _post(
        _api(tenant_a.director),
        _url(tenant_a, "events"),
        {
            "title": "Backwards",
            "kind": "visit",
            "starts_at": in_days(3).isoformat(),
            "ends_at": in_days(2).isoformat(),
            "capacity": None,
        },
    )
    assert answer.status_code == 400
    assert "ends_at" in answer.content.decode()


@pytest.mark.parametrize("role", Role.values)
def test_roles_on_the_events_api(tenant_a: Tenant, role: str) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster, is_public=False)
        r = RegistrationFactory(event=e)
    client = _api(tenant_a.people[role])
    staff = role in (Role.DIRECTOR, Role.EVENT_MANAGER)
    readers = staff or role == Role.FINANCE
    listed = client.get(_url(tenant_a, f"events/{e.pk}/registrations"))
    assert listed.status_code == (200 if readers else 403)
    created = _post(client, _url(tenant_a, f"events/{e.pk}/registrations"), _person(9))
    # A private event: only the event staff register people for it; to others it is unknown.
    assert created.status_code == (201 if staff else 404)
    cancelled = client.delete(_url(tenant_a, f"events/{e.pk}/registrations/{r.pk}"))
    assert cancelled.status_code == (204 if staff else 403 if readers else 404)
    new_event = _post(
        client,
        _url(tenant_a, "events"),
        {
            "title": "T",
            "kind": "webinar",
            "starts_at": in_days(9).isoformat(),
            "ends_at": in_days(9).isoformat(),
            "capacity": None,
        },
    )
    assert new_event.status_code == (201 if staff else 403)


def test_writes_on_another_clusters_event_are_404_and_change_nothing(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        theirs = event(tenant_b.cluster)
        their_registration = RegistrationFactory(event=theirs)
    client = _api(tenant_a.director)
    for url in (
        _url(tenant_a, f"events/{theirs.pk}/registrations"),
        _url(tenant_b, f"events/{theirs.pk}/registrations"),
    ):
        assert _post(client, url, _person(1)).status_code == 404
        assert client.delete(f"{url}/{their_registration.pk}").status_code == 404
    with scopes_disabled():
        assert Registration.objects.filter(event=theirs).count() == 1
        their_registration.refresh_from_db()
        assert their_registration.status == "confirmed"
