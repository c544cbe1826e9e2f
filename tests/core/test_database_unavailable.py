"""A database that goes away (restart, failover) is answered 503 "try again" — a page for
people, JSON for the API — and the next request works again, without a restart.

The fault is injected with Django's own hook around every SQL statement
(``connection.execute_wrapper``), raising what psycopg raises for a terminated backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from clusterdesk.accounts.models import User
from tests.conftest import Tenant


@contextmanager
def database_gone(error: type[Exception] = OperationalError, when: str = "") -> Iterator[None]:
    """Every statement (or those naming ``when``) fails as on a terminated connection."""

    def fail(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if when in sql:
            raise error("terminating connection due to administrator command")
        return execute(sql, *args)

    with connection.execute_wrapper(fail):
        yield


def signed_in(user: User) -> Client:
    # The answer the person gets, not the exception the test client re-raises by default.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    client.cookies["django_language"] = "en"  # the tests read English messages
    return client


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_page_answers_503_when_the_database_is_gone(tenant_a: Tenant, error: type) -> None:
    client = signed_in(tenant_a.director)
    url = f"/c/{tenant_a.cluster.slug}/"
    # The first query is the session's, in a middleware before any view.
    with database_gone(error):
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "réessayez dans quelques secondes" in response.content.decode()
    assert client.get(url).status_code == 200  # recovered, same process


def test_page_answers_503_when_the_database_goes_during_the_view(tenant_a: Tenant) -> None:
    client = signed_in(tenant_a.director)
    url = f"/c/{tenant_a.cluster.slug}/members/"
    with database_gone(when="crm_relationship"):
        response = client.get(url)
    assert response.status_code == 503
    assert client.get(url).status_code == 200


# In a middleware (the session), in the handler, and while the response schema reads a
# lazy query (pydantic wraps the error into its own).
@pytest.mark.parametrize("when", ["django_session", "core_cluster", "core_domain"])
def test_api_answers_json_503_when_the_database_is_gone(tenant_a: Tenant, when: str) -> None:
    client = signed_in(tenant_a.director)
    url = f"/api/v1/clusters/{tenant_a.cluster.slug}"
    with database_gone(when=when):
        response = client.get(url)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "try again" in response.json()["detail"]
    assert response["Retry-After"] == "5"
    assert client.get(url).status_code == 200


def test_other_errors_stay_500(tenant_a: Tenant) -> None:
    client = signed_in(tenant_a.director)
    with database_gone(error=ZeroDivisionError):
        response = client.get(f"/c/{tenant_a.cluster.slug}/")
    assert response.status_code == 500
