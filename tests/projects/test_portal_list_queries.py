"""The member portal's "Nos dossiers": a constant number of queries whatever the number of
applications (1 and 3), and each listed once although several ways make it visible."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.core.roles import Role
from tests.api.projects_factories import (
    assign,
    committee,
    coordinator_of,
    eligible_application,
    expert,
    portal_account,
)
from tests.conftest import Tenant, client_for


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_nos_dossiers_costs_the_same_queries_for_one_and_three_applications(
    tenant_a: Tenant,
) -> None:
    cluster = tenant_a.cluster
    member = tenant_a.people[Role.MEMBER]
    with scopes_disabled():
        first = eligible_application(cluster, acronym="ZQXUN")
        organisation = coordinator_of(first)
        portal_account(cluster, organisation, user=member)
    client = client_for(member)
    url = reverse("portal_projects:applications", args=[cluster.slug])
    client.get(url)  # the session and the role caches
    one = _queries(client, url)
    with scopes_disabled():
        for acronym in ("ZQXDEUX", "ZQXTROIS"):
            app = eligible_application(cluster, acronym=acronym)
            app.partners.filter(role="partner").update(organisation=organisation)
    response = client.get(url)
    assert [a.acronym for a in response.context["applications"]].count("ZQXDEUX") == 1
    assert len(response.context["applications"]) == 3
    assert _queries(client, url) == one


def test_an_application_seen_several_ways_is_listed_once(tenant_a: Tenant) -> None:
    """Partner, cleared reviewer and committee member at once: one row, not three (the
    list no longer relies on DISTINCT over a join)."""
    cluster = tenant_a.cluster
    person = tenant_a.people[Role.MEMBER]
    with scopes_disabled():
        app = eligible_application(cluster, state="at_committee", acronym="ZQXMULTI")
        portal_account(cluster, coordinator_of(app), user=person)
        assign(app, expert(cluster, user=person))
        committee(cluster, person, tenant_a.people[Role.COMMITTEE_MEMBER], agenda=(app,))
    url = reverse("portal_projects:applications", args=[cluster.slug])
    response = client_for(person).get(url)
    assert [a.acronym for a in response.context["applications"]] == ["ZQXMULTI"]
