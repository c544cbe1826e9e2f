"""No double booking, held by the database. On PostgreSQL, many threads book the same slot
at once, each through its own connection: exactly one wins, the others get 409, none a
500; and the exclusion constraint refuses an overlap written past the service. On SQLite
the service's check runs under the write lock (IMMEDIATE transactions), tested in
``test_bookings``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django_scopes import scopes_disabled

from clusterdesk.accounts.services import api_token_create
from clusterdesk.core.roles import Role
from clusterdesk.facilities.models import Booking
from tests.conftest import Tenant
from tests.facilities.factories import ResourceFactory, hosted_person, slot

THREADS = 8

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a real race needs concurrent transactions and the exclusion constraint: "
    "PostgreSQL only; run with DATABASE_URL=postgres://…",
)


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = calls[i]()
        except Exception as exc:  # the outcome under test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_many_threads_booking_one_slot_give_one_booking_and_conflicts(tenant_a: Tenant) -> None:
    with scopes_disabled():
        lab = ResourceFactory(cluster=tenant_a.cluster)
        people = [hosted_person(tenant_a.cluster)[0] for _n in range(THREADS - 1)]
    people.append(tenant_a.people[Role.FACILITY_MANAGER])
    start, end = slot(hours=2)
    address = f"/api/v1/clusters/{tenant_a.cluster.slug}/facilities/bookings"

    def booking_by(person: Any) -> Callable[[], Any]:
        _token, raw = api_token_create(user=person, name="race")
        client = Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})
        body = {
            "resource": lab.pk,
            "person": person.email,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        return lambda: client.post(address, body, content_type="application/json")

    responses = _race([booking_by(p) for p in people])
    statuses = sorted(getattr(r, "status_code", repr(r)) for r in responses)
    assert statuses == [201] + [409] * (THREADS - 1), statuses
    with scopes_disabled():
        winner = Booking.objects.get(resource=lab)
    for response in responses:
        if response.status_code == 409:
            assert response.json()["existing"]["id"] == winner.pk
            assert "already booked" in response.json()["detail"]


@on_postgresql
@pytest.mark.django_db
def test_the_database_refuses_an_overlap_written_past_the_service(tenant_a: Tenant) -> None:
    with scopes_disabled():
        lab = ResourceFactory(cluster=tenant_a.cluster)
        start, end = slot(hours=2)
        Booking.objects.create(
            cluster=tenant_a.cluster, resource=lab, person=tenant_a.director, start=start, end=end
        )
        # Back to back is allowed ([start, end) ranges), and a cancelled one frees the slot.
        Booking.objects.create(
            cluster=tenant_a.cluster,
            resource=lab,
            person=tenant_a.director,
            start=end,
            end=end + (end - start),
        )
        Booking.objects.create(
            cluster=tenant_a.cluster,
            resource=lab,
            person=tenant_a.director,
            start=start,
            end=end,
            status=Booking.Status.CANCELLED,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Booking.objects.create(
                cluster=tenant_a.cluster,
                resource=lab,
                person=tenant_a.director,
                start=start,
                end=end,
            )
