"""One region demo for the whole package, built on a fixed day.

The demo is built relative to today (calls open and close, projects end, campaigns run):
its tests run on one fixed day so that what they expect holds whatever the date. A build
takes seconds, so it is made once per test run (and a second time, rolled back, to prove
that a seed gives the same world); every test runs inside a savepoint of it.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django_scopes import scopes_disabled

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact, Interaction, Membership, Organisation
from clusterdesk.demo.build import build_demo
from clusterdesk.demo.world import HEALTH_CLUSTER
from clusterdesk.projects.models import Application, Partner

# A day while the year's call is open and the follow-up campaign runs.
DEMO_DAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@dataclass
class Built:
    health: Cluster
    first: str
    second: str


def fingerprint() -> str:
    """A digest of what a person sees of the generated records."""
    digest = hashlib.sha256()
    with scopes_disabled():
        for rows in (
            Organisation.objects.instance_wide()
            .order_by("name", "siren", "ror")
            .values_list("name", "kind", "siren", "siret", "ror", "street", "city", "description"),
            Membership.objects.order_by("cluster__slug", "organisation__name", "year").values_list(
                "cluster__slug", "organisation__name", "year", "status", "fee_amount", "fee_paid_on"
            ),
            Contact.objects.order_by("cluster__slug", "email").values_list(
                "cluster__slug", "email", "phone", "job_title"
            ),
            Interaction.objects.order_by("date", "subject", "organisation__name").values_list(
                "date", "subject", "organisation__name", "owner__email"
            ),
            Application.objects.order_by("cluster__slug", "acronym").values_list(
                "cluster__slug", "acronym", "title", "state", "label_number", "label_code"
            ),
            Partner.objects.order_by(
                "application__cluster__slug", "application__acronym", "organisation__name"
            ).values_list(
                "application__acronym", "organisation__name", "budget_eur", "requested_aid_eur"
            ),
        ):
            # Sorted here: rows equal in the ordering fields (two interactions on one day)
            # come in any order on PostgreSQL, and ids differ between two builds.
            for row in sorted(repr(row) for row in rows):
                digest.update(row.encode())
    return digest.hexdigest()


@pytest.fixture(scope="package", autouse=True)
def demo_day() -> Iterator[None]:
    with time_machine.travel(DEMO_DAY, tick=True):
        yield


@pytest.fixture(scope="package")
def built(django_db_setup: Any, django_db_blocker: Any, demo_day: None) -> Iterator[Built]:
    with django_db_blocker.unblock(), transaction.atomic():
        with transaction.atomic():
            build_demo()
            first = fingerprint()
            transaction.set_rollback(True)
        build_demo()
        with scopes_disabled():
            health = Cluster.objects.get(name=HEALTH_CLUSTER)
        yield Built(health, first, fingerprint())
        transaction.set_rollback(True)


@pytest.fixture
def demo(built: Built, db: None) -> Built:
    """The region demo, for a test that reads it (its writes are rolled back)."""
    return built
