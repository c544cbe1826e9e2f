from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from clusterdesk.accounts.services import api_token_create, api_token_revoke
from clusterdesk.core.roles import Role
from tests.conftest import Tenant, client_for


def _bearer(user: object, **kwargs: object) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="test", **kwargs)  # type: ignore[arg-type]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_cluster_list_shows_only_the_callers_clusters(tenant_a: Tenant, tenant_b: Tenant) -> None:
    response = Client().get("/api/v1/clusters", **_bearer(tenant_a.director))
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()] == [tenant_a.cluster.slug]


def test_cluster_detail_with_taxonomy(tenant_a: Tenant) -> None:
    url = f"/api/v1/clusters/{tenant_a.cluster.slug}"
    body = Client().get(url, **_bearer(tenant_a.people[Role.EXPERT])).json()
    assert body["name"] == tenant_a.cluster.name
    assert body["region"] == tenant_a.cluster.region.name
    assert len(body["domains"]) == 1


def test_cluster_of_another_tenant_and_unknown_slug_answer_the_same_json_404(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    headers = _bearer(tenant_a.director)
    theirs = Client().get(f"/api/v1/clusters/{tenant_b.cluster.slug}", **headers)
    unknown = Client().get("/api/v1/clusters/nope", **headers)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()
    assert theirs.json()["detail"]


def test_region_funder_lists_the_regions_clusters(
    tenant_a: Tenant, tenant_b: Tenant, region_funder: object
) -> None:
    body = Client().get("/api/v1/clusters", **_bearer(region_funder)).json()
    assert [c["slug"] for c in body] == [tenant_a.cluster.slug]


@pytest.mark.parametrize(
    "header",
    ["Bearer cd_00000000_wrong", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"],
)
def test_bad_credentials_answer_json_401(header: str, db: None) -> None:
    response = Client().get("/api/v1/clusters", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_no_credentials_answer_json_401(db: None) -> None:
    response = Client().get("/api/v1/clusters")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_expired_and_revoked_tokens_answer_401(tenant_a: Tenant) -> None:
    past = timezone.now() - datetime.timedelta(minutes=1)
    expired = _bearer(tenant_a.director, expires_at=past)
    assert Client().get("/api/v1/clusters", **expired).status_code == 401
    token, raw = api_token_create(user=tenant_a.director, name="x")
    api_token_revoke(user=tenant_a.director, token=token)
    revoked = Client().get("/api/v1/clusters", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert revoked.status_code == 401


def test_session_works_for_the_browser(tenant_a: Tenant) -> None:
    response = client_for(tenant_a.director).get("/api/v1/clusters")
    assert response.status_code == 200


def test_unknown_route_answers_json_404(tenant_a: Tenant) -> None:
    response = Client().get("/api/v1/no-such-route", **_bearer(tenant_a.director))
    assert response.status_code == 404
    assert response.json()["detail"]


def test_openapi_lists_the_routes_and_the_bearer_scheme(db: None) -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/clusters/{cluster_slug}" in spec["paths"]
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_interactive_docs_are_served_without_a_cdn(db: None) -> None:
    html = Client().get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    assert "cdn.jsdelivr" not in html
