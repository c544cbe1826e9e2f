from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster
from clusterdesk.core.roles import Role
from tests.factories import ClusterFactory, DomainFactory, UserFactory, funder, grant


@pytest.fixture(scope="session", autouse=True)
def test_day() -> Iterator[None]:
    """``CLUSTERDESK_TEST_TODAY=2026-12-31`` runs the whole suite on that day (the clock
    ticks from its start), to prove that no test depends on the date it runs."""
    day = os.environ.get("CLUSTERDESK_TEST_TODAY")
    if not day:
        yield
        return
    start = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(9))
    with time_machine.travel(start.astimezone(), tick=True):
        yield


@dataclass
class Tenant:
    """A cluster with one person per role, for permission and leak tests."""

    cluster: Cluster
    people: dict[str, User]

    @property
    def director(self) -> User:
        return self.people[Role.DIRECTOR]


def make_tenant(**cluster_fields: object) -> Tenant:
    cluster = ClusterFactory(**cluster_fields)
    DomainFactory(cluster=cluster)
    people = {role: grant(UserFactory(), cluster, role) for role in Role.values}
    return Tenant(cluster=cluster, people=people)


@pytest.fixture
def unscoped() -> Iterator[None]:
    """For test set-up only: the code under test opens its own scopes."""
    with scopes_disabled():
        yield


@pytest.fixture
def tenant_a(db: None) -> Tenant:
    with scopes_disabled():
        return make_tenant(name="Pôle Alpha", slug="alpha")


@pytest.fixture
def tenant_b(db: None) -> Tenant:
    with scopes_disabled():
        return make_tenant(name="Pôle Beta", slug="beta")


@pytest.fixture
def region_funder(tenant_a: Tenant) -> User:
    return funder(tenant_a.cluster.region)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist, a module's tests stay on one worker (its module fixtures are built
    once) and the demo package's tests share one worker and its single demo build."""
    for item in items:
        demo = item.path.parent.name == "demo" and item.path.parent.parent.name == "tests"
        item.add_marker(pytest.mark.xdist_group("demo" if demo else str(item.path)))
