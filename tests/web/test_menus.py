"""Menus and buttons offer only what a person may do: every role (and the region's funder)
starts from its menu and follows every link of the cluster's pages, two clicks deep; none
answers 403 (a refused page behind an offered link is the bug)."""

from __future__ import annotations

import datetime
from collections import deque
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.core.roles import Role
from tests.api.projects_factories import (
    assign,
    committee,
    eligible_application,
    expert,
    funding,
    portal_account,
)
from tests.conftest import Tenant, client_for
from tests.factories import MembershipFactory, funder

MAX_PAGES = 250
DEPTH = 2


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href.split("#")[0])


def links_of(html: str, prefixes: tuple[str, ...]) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [link for link in parser.links if link.startswith(prefixes)]


def world(tenant: Tenant) -> None:
    """Something behind every button: a labelled, funded project with its consortium, a
    member's portal account, an expert's assignment and a committee session."""
    cluster = tenant.cluster
    with scopes_disabled():
        app = eligible_application(
            cluster,
            state="labelled",
            label_date=datetime.date(2026, 2, 1),
            label_number="ALPHA-2026-001",
        )
        funding(app, granted=100_000)
        coordinator = app.partners.get(role="coordinator").organisation
        MembershipFactory(cluster=cluster, organisation=coordinator)
        portal_account(cluster, coordinator, user=tenant.people[Role.MEMBER])
        assign(app, expert(cluster, user=tenant.people[Role.EXPERT]))
        committee(cluster, tenant.people[Role.COMMITTEE_MEMBER], agenda=(app,))


def walk(client: Client, start: list[str], prefixes: tuple[str, ...]) -> dict[str, int]:
    """GET every page reachable from ``start`` by links under ``prefixes``, ``DEPTH`` clicks
    deep: the status of each."""
    seen: dict[str, int] = {}
    queue = deque((url, 0) for url in start)
    while queue and len(seen) < MAX_PAGES:
        url, depth = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if depth < DEPTH and response.status_code == 200 and "html" in response["Content-Type"]:
            for link in links_of(response.content.decode(), prefixes):
                if link not in seen:
                    queue.append((link, depth + 1))
    return seen


@pytest.mark.parametrize("role", [*Role.values, "funder"])
def test_no_menu_entry_or_button_of_a_role_answers_403(role: str, tenant_a: Tenant) -> None:
    world(tenant_a)
    slug = tenant_a.cluster.slug
    with scopes_disabled():
        person = funder(tenant_a.cluster.region) if role == "funder" else tenant_a.people[role]
    client = client_for(person)
    home = reverse("portal:home" if role == Role.MEMBER else "backoffice:cluster_home", args=[slug])
    first = client.get(home)
    assert first.status_code == 200
    menu = [item["url"] for item in first.context["cluster_menu"]]
    assert menu, role
    prefixes = (f"/c/{slug}/", f"/portal/{slug}/")
    statuses = walk(client, [home, *menu], prefixes)
    refused = sorted(url for url, status in statuses.items() if status == 403)
    assert not refused, f"{role} is offered links that answer 403: {refused}"
    assert len(statuses) > len(menu)  # the walk went past the menu
