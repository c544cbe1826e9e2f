from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster
from clusterdesk.core.roles import Role
from tests.factories import ClusterFactory, DomainFactory, UserFactory, funder, grant


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
