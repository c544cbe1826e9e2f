"""The same-cluster leak test for support cases: a case made through the services (so
audited as in real use) with distinctive words, with an action, an outcome and a mission;
then every role of the cluster walks every route whose only parameter is the cluster
(pages, their htmx partials, the API lists) and posts to each export, and the words must
appear only for those who may read the case. Object routes of another cluster are covered
by tests/test_leaks.py through ``tests/support/leak_cases.py``."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scope

from clusterdesk.core.roles import Role
from clusterdesk.support.services.cases import case_action_add, case_outcome_record
from tests.conftest import Tenant, client_for
from tests.support.factories import SECRET, case_with_expert
from tests.test_leaks import CLUSTER_ROUTES
from tests.test_leaks_roles import EXPORT_DATA, _export, _text

SECRETS = (SECRET, "ZQXACTION-licensing", "ZQXINVESTOR-fund")


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def confidential_case(tenant: Tenant) -> Any:
    c, _e = case_with_expert(tenant)
    pm = tenant.people[Role.PROJECT_MANAGER]
    with scope(cluster=tenant.cluster):
        case_action_add(actor=pm, case=c, kind="note", subject=SECRETS[1], shared_with_company=True)
        case_outcome_record(
            actor=pm,
            case=c,
            kind="funds_raised",
            date=c.opened_on,
            amount_eur=10,
            investors=SECRETS[2],
        )
    return c


@pytest.mark.parametrize("role", Role.values)
def test_cluster_pages_and_exports_hide_the_case_from_who_may_not_read_it(
    role: str, tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    c = confidential_case(tenant_a)
    person = tenant_a.people[role]
    with scope(cluster=tenant_a.cluster):
        may_read = person.has_perm("support.view_supportcase", c)
    client = client_for(person)
    seen: list[str] = []
    for name in CLUSTER_ROUTES:
        url = reverse(name, kwargs={"cluster_slug": tenant_a.cluster.slug})
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(url, **headers)
            if response.status_code == 200 and _leaks(_text(response)):
                seen.append(f"GET {name} {headers}")
        exported = _export(
            client, tenant_a, url, EXPORT_DATA.get(name, {}), django_capture_on_commit_callbacks
        )
        if exported is not None and _leaks(exported):
            seen.append(f"export {name}")
    if may_read:
        # The control: each reader finds the case somewhere among the cluster's pages.
        assert seen, role
        if role in (Role.DIRECTOR, Role.PROJECT_MANAGER):
            assert "GET backoffice:audit {}" in seen and "export backoffice:audit" in seen, seen
    else:
        assert not seen, f"{role} may not read the case but sees it on {seen}"


def test_the_oracle_splits_the_roles(tenant_a: Tenant) -> None:
    c = confidential_case(tenant_a)
    with scope(cluster=tenant_a.cluster):
        readers = {
            r for r in Role.values if tenant_a.people[r].has_perm("support.view_supportcase", c)
        }
    assert readers == {Role.DIRECTOR, Role.PROJECT_MANAGER, Role.MEMBER, Role.EXPERT}


def test_another_cluster_sees_nothing_of_the_case(tenant_a: Tenant, tenant_b: Tenant) -> None:
    c = confidential_case(tenant_a)
    for role in Role.values:
        client = client_for(tenant_b.people[role])
        for name in ("support:case", "portal_support:case"):
            url = reverse(name, kwargs={"cluster_slug": tenant_a.cluster.slug, "case_id": c.pk})
            assert client.get(url).status_code == 404, (role, name)
        for name in CLUSTER_ROUTES:
            url = reverse(name, kwargs={"cluster_slug": tenant_b.cluster.slug})
            response = client.get(url)
            if response.status_code == 200:
                assert not _leaks(_text(response)), (role, name)


@pytest.mark.parametrize(
    "role", [Role.EVENT_MANAGER, Role.FACILITY_MANAGER, Role.FINANCE, Role.COMMITTEE_MEMBER]
)
def test_the_case_page_is_not_found_for_who_may_not_read_it(role: str, tenant_a: Tenant) -> None:
    c = confidential_case(tenant_a)
    client = client_for(tenant_a.people[role])
    for name in ("support:case", "support:case_edit", "portal_support:case"):
        url = reverse(name, kwargs={"cluster_slug": tenant_a.cluster.slug, "case_id": c.pk})
        assert client.get(url).status_code == 404, name
