"""The generic leak test: no route shows one cluster's objects to a person of another."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from clusterdesk.core.roles import Role
from tests.conftest import Tenant, client_for
from tests.leak_cases import LEAK_CASES, NOT_TENANT_ROUTES


def _routes(
    resolver: URLResolver | None = None, namespace: str = "", params: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every named route with the parameters of its whole path."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        names = params + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _routes(entry, ns, names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", names


def _exempt(name: str) -> bool:
    return name in NOT_TENANT_ROUTES or any(
        key.endswith(":*") and name.startswith(key[:-1]) for key in NOT_TENANT_ROUTES
    )


ROUTES = dict(_routes())
OBJECT_ROUTES = sorted(n for n, p in ROUTES.items() if set(p) - {"cluster_slug"})
CLUSTER_ROUTES = sorted(n for n, p in ROUTES.items() if set(p) == {"cluster_slug"})


def test_every_object_route_is_registered_with_the_leak_test() -> None:
    missing = [n for n in OBJECT_ROUTES if n not in LEAK_CASES and not _exempt(n)]
    assert not missing, f"register these routes in tests/leak_cases.py: {missing}"


def test_leak_registry_names_only_existing_routes() -> None:
    assert not [n for n in LEAK_CASES if n not in ROUTES]


def test_the_walk_finds_cluster_and_api_routes() -> None:
    assert "backoffice:cluster_home" in CLUSTER_ROUTES
    assert any(n.startswith("api-v1:") for n in CLUSTER_ROUTES)


@pytest.mark.parametrize("name", sorted(LEAK_CASES))
def test_object_of_another_cluster_is_not_found(
    name: str, tenant_a: Tenant, tenant_b: Tenant
) -> None:
    case = LEAK_CASES[name]
    with scopes_disabled():
        theirs = case.make(tenant_b)
        ours = case.make(tenant_a)
    client = client_for(tenant_a.people[case.viewer])
    call = getattr(client, case.method)
    takes_slug = "cluster_slug" in ROUTES[name]

    def url(kwargs: dict[str, object], cluster: Tenant) -> str:
        extra = {"cluster_slug": cluster.cluster.slug} if takes_slug else {}
        return reverse(name, kwargs={**kwargs, **extra})

    # Cluster B's object, asked through cluster A's address and through B's own.
    assert call(url(theirs, tenant_a)).status_code == 404
    if takes_slug:
        assert call(url(theirs, tenant_b)).status_code == 404
    # The control: the same request for cluster A's own object is not refused.
    assert call(url(ours, tenant_a)).status_code in (200, 204, 302)


@pytest.mark.parametrize("name", CLUSTER_ROUTES)
def test_cluster_page_of_another_cluster_is_not_found(
    name: str, tenant_a: Tenant, tenant_b: Tenant
) -> None:
    client = client_for(tenant_a.director)
    theirs = reverse(name, kwargs={"cluster_slug": tenant_b.cluster.slug})
    assert client.get(theirs).status_code == 404
    assert client.post(theirs).status_code == 404
    missing = reverse(name, kwargs={"cluster_slug": "no-such-cluster"})
    assert client.get(missing).status_code == 404
    ours = reverse(name, kwargs={"cluster_slug": tenant_a.cluster.slug})
    assert client.get(ours).status_code != 404


def test_every_role_of_a_cluster_is_refused_another_cluster(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    url = reverse("backoffice:cluster_home", kwargs={"cluster_slug": tenant_b.cluster.slug})
    for role in Role.values:
        assert client_for(tenant_a.people[role]).get(url).status_code == 404, role
