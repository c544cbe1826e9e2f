"""Many people registering at the same second: capacity is never exceeded and no request
fails. On PostgreSQL (CI runs the suite on it too), each thread has its own connection and
the registration service locks the event's row; SQLite's transactions are IMMEDIATE with a
busy timeout (settings), and its in-memory test database cannot be shared by threads."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django_scopes import scope, scopes_disabled

from clusterdesk.events.models import Registration
from clusterdesk.events.services.registrations import registration_create
from tests.conftest import Tenant
from tests.events.factories import CategoryFactory, event

PEOPLE = 50
CAPACITY = 20


@pytest.mark.django_db(transaction=True)
def test_people_registering_at_once_never_exceed_capacity(tenant_a: Tenant) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that several connections share (PostgreSQL)")
    with scopes_disabled():
        e = event(tenant_a.cluster, capacity=CAPACITY)
        speakers = CategoryFactory(event=e, capacity=5)
    start = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []
    statuses: list[str] = []
    lock = threading.Lock()

    def register(n: int) -> None:
        try:
            start.wait(timeout=30)
            with scope(cluster=tenant_a.cluster):
                r = registration_create(
                    actor=AnonymousUser(),
                    event=e,
                    first_name="Person",
                    last_name=str(n),
                    email=f"person{n}@example.org",
                    category=speakers if n % 3 == 0 else None,
                )
            with lock:
                statuses.append(r.status)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(PEOPLE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(statuses) == PEOPLE
    with scopes_disabled():
        confirmed = Registration.objects.filter(event=e, status="confirmed")
        assert confirmed.count() == CAPACITY
        assert confirmed.filter(category=speakers).count() <= 5
        waiting = Registration.objects.filter(event=e, status="waitlisted")
        assert waiting.count() == PEOPLE - CAPACITY
        positions = sorted(waiting.values_list("waitlist_position", flat=True))
        assert positions == list(range(1, PEOPLE - CAPACITY + 1))
