"""The innovation centre's API: the names and answers the issue fixes, per role."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import api_token_create
from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.facilities.models import Authorisation, Booking, Resource
from tests.conftest import Tenant
from tests.facilities.factories import ResourceFactory, authorise, hosted_person, slot


def api(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})


def url(tenant: Tenant, path: str) -> str:
    return f"/api/v1/clusters/{tenant.cluster.slug}/facilities/{path}"


def post(client: Client, address: str, body: dict[str, Any]) -> Any:
    return client.post(address, body, content_type="application/json")


def booking_body(
    resource: int, person: User, start: datetime.datetime, end: datetime.datetime
) -> dict[str, Any]:
    return {
        "resource": resource,
        "person": person.email,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def test_resource_created_with_working_days_by_default(tenant_a: Tenant) -> None:
    client = api(tenant_a.people[Role.FACILITY_MANAGER])
    answer = post(
        client,
        url(tenant_a, "resources"),
        {"name": "Labo P3", "kind": "lab", "containment_level": "P3", "requires_approval": True},
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["id"] and body["containment_level"] == "P3"
    assert body["open_days"] == [0, 1, 2, 3, 4]
    assert (body["opens_at"], body["closes_at"]) == ("08:00", "20:00")
    null_level = post(
        client,
        url(tenant_a, "resources"),
        {
            "name": "Salle",
            "kind": "meeting_room",
            "containment_level": None,
            "requires_approval": False,
        },
    )
    assert null_level.status_code == 201
    assert null_level.json()["containment_level"] is None
    assert (
        post(client, url(tenant_a, "resources"), {"name": "X", "kind": "garage"}).status_code == 422
    )
    for role in (Role.FINANCE, Role.PROJECT_MANAGER, Role.MEMBER, Role.EXPERT):
        refused = post(
            api(tenant_a.people[role]),
            url(tenant_a, "resources"),
            {"name": f"R {role}", "kind": "lab"},
        )
        assert refused.status_code == 403, role


def test_authorisation_created_for_a_known_account(tenant_a: Tenant, tenant_b: Tenant) -> None:
    client = api(tenant_a.people[Role.FACILITY_MANAGER])
    today = timezone.localdate()
    body = {
        "person": tenant_a.people[Role.EXPERT].email,
        "level": "P3",
        "valid_from": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=365)).isoformat(),
    }
    answer = post(client, url(tenant_a, "authorisations"), body)
    assert answer.status_code == 201, answer.content
    with scopes_disabled():
        assert Authorisation.objects.get(pk=answer.json()["id"]).level == "P3"
    stranger = post(
        client,
        url(tenant_a, "authorisations"),
        {**body, "person": tenant_b.people[Role.EXPERT].email},
    )
    assert stranger.status_code == 400
    assert "No account" in stranger.json()["detail"]
    with scopes_disabled():
        lab = ResourceFactory(cluster=tenant_a.cluster)
    by_resource = post(
        client, url(tenant_a, "authorisations"), {**body, "level": None, "resource": lab.pk}
    )
    assert by_resource.status_code == 201
    both = post(client, url(tenant_a, "authorisations"), {**body, "resource": lab.pk})
    assert both.status_code == 422
    refused = post(api(tenant_a.people[Role.FINANCE]), url(tenant_a, "authorisations"), body)
    assert refused.status_code == 403


def test_booking_answers(tenant_a: Tenant) -> None:
    with scopes_disabled():
        p3 = ResourceFactory(cluster=tenant_a.cluster, containment_level="P3")
        suite = ResourceFactory(
            cluster=tenant_a.cluster, kind=Resource.Kind.BIOPRODUCTION, requires_approval=True
        )
    manager = tenant_a.people[Role.FACILITY_MANAGER]
    person = tenant_a.people[Role.EXPERT]
    client = api(manager)
    start, end = slot(hours=2)

    missing = post(client, url(tenant_a, "bookings"), booking_body(p3.pk, person, start, end))
    assert missing.status_code == 422
    assert "no authorisation" in missing.json()["detail"]
    with scopes_disabled():
        authorise(tenant_a.cluster, person, level="P3", days_left=1)
    expired = post(client, url(tenant_a, "bookings"), booking_body(p3.pk, person, start, end))
    assert expired.status_code == 422
    assert "expired" in expired.json()["detail"]
    with scopes_disabled():
        authorise(tenant_a.cluster, person, level="P3", days_left=90)

    backwards = post(client, url(tenant_a, "bookings"), booking_body(p3.pk, person, end, start))
    assert backwards.status_code == 422
    assert "end must come after the start" in backwards.json()["detail"]
    late_start, late_end = slot(hour=21, hours=1)
    closed = post(
        client, url(tenant_a, "bookings"), booking_body(p3.pk, person, late_start, late_end)
    )
    assert closed.status_code == 422
    assert "Outside opening hours" in closed.json()["detail"]

    first = post(client, url(tenant_a, "bookings"), booking_body(p3.pk, person, start, end))
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "confirmed" and first.json()["id"]
    overlap = post(
        client,
        url(tenant_a, "bookings"),
        booking_body(p3.pk, person, start + datetime.timedelta(minutes=30), end),
    )
    assert overlap.status_code == 409
    assert overlap.json()["existing"]["id"] == first.json()["id"]
    next_one = post(
        client,
        url(tenant_a, "bookings"),
        booking_body(p3.pk, person, end, end + datetime.timedelta(hours=1)),
    )
    assert next_one.status_code == 201  # back to back

    pending = post(client, url(tenant_a, "bookings"), booking_body(suite.pk, manager, start, end))
    assert pending.status_code == 201
    assert pending.json()["status"] == "pending"

    gone = client.delete(url(tenant_a, f"bookings/{first.json()['id']}"))
    assert gone.status_code == 204
    again = post(client, url(tenant_a, "bookings"), booking_body(p3.pk, person, start, end))
    assert again.status_code == 201
    with scopes_disabled():
        assert Booking.objects.get(pk=first.json()["id"]).status == "cancelled"
        assert AuditEntry.objects.filter(action="booking.cancelled").count() == 1


def test_booking_without_offset_refused(tenant_a: Tenant) -> None:
    with scopes_disabled():
        lab = ResourceFactory(cluster=tenant_a.cluster)
    start, end = slot()
    body = booking_body(lab.pk, tenant_a.director, start, end)
    body["start"] = start.replace(tzinfo=None).isoformat()
    answer = post(api(tenant_a.director), url(tenant_a, "bookings"), body)
    assert answer.status_code == 422


def test_hosted_member_books_for_self_and_sees_only_own_bookings(tenant_a: Tenant) -> None:
    with scopes_disabled():
        lab = ResourceFactory(cluster=tenant_a.cluster)
        member, _org = hosted_person(tenant_a.cluster)
        other, _other_org = hosted_person(tenant_a.cluster)
    start, end = slot()
    mine = post(api(member), url(tenant_a, "bookings"), booking_body(lab.pk, member, start, end))
    assert mine.status_code == 201
    theirs = post(
        api(member),
        url(tenant_a, "bookings"),
        booking_body(lab.pk, other, end, end + datetime.timedelta(hours=1)),
    )
    assert theirs.status_code == 403
    other_client = api(other)
    assert other_client.get(url(tenant_a, f"bookings/{mine.json()['id']}")).status_code == 404
    assert other_client.delete(url(tenant_a, f"bookings/{mine.json()['id']}")).status_code == 404
    assert other_client.get(url(tenant_a, "bookings")).json()["count"] == 0
    assert api(member).get(url(tenant_a, "bookings")).json()["count"] == 1
    staff = api(tenant_a.people[Role.FINANCE]).get(url(tenant_a, "bookings")).json()
    assert staff["count"] == 1
    assert api(tenant_a.people[Role.EXPERT]).get(url(tenant_a, "bookings")).json()["count"] == 0


def test_other_cluster_resource_is_not_bookable(tenant_a: Tenant, tenant_b: Tenant) -> None:
    with scopes_disabled():
        theirs = ResourceFactory(cluster=tenant_b.cluster)
    start, end = slot()
    answer = post(
        api(tenant_a.director),
        url(tenant_a, "bookings"),
        booking_body(theirs.pk, tenant_a.director, start, end),
    )
    assert answer.status_code == 422
    assert "not a resource of this cluster" in answer.json()["detail"]
