"""Duplicate writes answer a conflict naming the record already there: an organisation's
identifier, a membership of the same year, a partner of the same consortium. On PostgreSQL,
simultaneous identical requests give one success and conflicts (409), never a 500."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.services import api_token_create
from clusterdesk.core.errors import Conflict
from clusterdesk.crm.models import Membership, Organisation
from clusterdesk.crm.services import memberships, organisations
from clusterdesk.projects.models import Partner
from tests.api.projects_factories import eligible_application
from tests.conftest import Tenant, client_for
from tests.factories import MembershipFactory, OrganisationFactory, follow

SIREN = "552100554"
THREADS = 4

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a real race needs concurrent transactions: PostgreSQL only (SQLite serialises "
    "writers); run with DATABASE_URL=postgres://…",
)


# -- the same write twice, one after the other -------------------------------------------


def test_second_organisation_with_the_same_siren_is_a_conflict_naming_the_first(
    tenant_a: Tenant,
) -> None:
    with scope(cluster=tenant_a.cluster):
        first = organisations.organisation_create(
            actor=tenant_a.director, cluster=tenant_a.cluster, name="Première", siren=SIREN
        )
        with pytest.raises(Conflict) as refused:
            organisations.organisation_create(
                actor=tenant_a.director, cluster=tenant_a.cluster, name="Seconde", siren=SIREN
            )
    assert refused.value.existing == first
    assert "Première" in refused.value.message


def test_changing_an_identifier_to_one_taken_is_a_conflict(tenant_a: Tenant) -> None:
    with scopes_disabled():
        holder = follow(tenant_a.cluster, OrganisationFactory(siren=SIREN))
        other = follow(tenant_a.cluster, OrganisationFactory())
    with scope(cluster=tenant_a.cluster), pytest.raises(Conflict) as refused:
        organisations.organisation_update(
            actor=tenant_a.director, cluster=tenant_a.cluster, organisation=other, siren=SIREN
        )
    assert refused.value.existing == holder


def test_new_membership_of_a_year_already_held_is_a_conflict_naming_it(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster, OrganisationFactory())
    with scope(cluster=tenant_a.cluster):
        first = memberships.membership_create(
            actor=tenant_a.director, cluster=tenant_a.cluster, organisation=org, year=2026
        )
        with pytest.raises(Conflict) as refused:
            memberships.membership_create(
                actor=tenant_a.director,
                cluster=tenant_a.cluster,
                organisation=org,
                year=2026,
                status="resigned",
                resignation_reason="Doublon",
            )
        assert Membership.objects.get().status == first.status != "resigned"
    assert refused.value.existing == first
    assert "2026" in refused.value.message


def test_back_office_new_membership_never_overwrites_the_year(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster, OrganisationFactory(name="Déjà Membre"))
        held = MembershipFactory(cluster=tenant_a.cluster, organisation=org, year=2026)
    response = client_for(tenant_a.director).post(
        reverse("members:membership_create", args=[tenant_a.cluster.slug, org.pk]),
        {"year": 2026, "status": "resigned", "resignation_reason": "Doublon"},
    )
    assert response.status_code == 400
    # The refusal names the membership that holds the year.
    assert f"{held.pk})" in " ".join(response.context["form"].non_field_errors())
    with scopes_disabled():
        held.refresh_from_db()
    assert held.status == Membership.Status.ACTIVE


# -- simultaneous identical requests (PostgreSQL) --------------------------------------------


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls at the same moment, each in its own thread and database connection;
    the result of each, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = calls[i]()
        except Exception as exc:  # the outcome under test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _api_post(user: Any, url: str, body: dict[str, Any]) -> Callable[[], Any]:
    _token, raw = api_token_create(user=user, name="race")
    client = Client(headers={"authorization": f"Bearer {raw}"})
    return lambda: client.post(url, body, content_type="application/json")


def _statuses(responses: list[Any]) -> list[int]:
    return sorted(r.status_code for r in responses)


@on_postgresql
def test_simultaneous_organisations_with_one_siren_give_one_201_and_409s(
    transactional_db: None, tenant_a: Tenant
) -> None:
    url = f"/api/v1/clusters/{tenant_a.cluster.slug}/organisations"
    body = {"name": "Course SA", "siren": SIREN}
    responses = _race([_api_post(tenant_a.director, url, body) for _ in range(THREADS)])
    assert _statuses(responses) == [201] + [409] * (THREADS - 1)
    winner = Organisation.objects.instance_wide().get(siren=SIREN)
    for r in responses:
        if r.status_code == 409:
            assert r.json()["existing"]["id"] == winner.pk


@on_postgresql
def test_simultaneous_memberships_of_one_year_give_one_201_and_409s(
    transactional_db: None, tenant_a: Tenant
) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster, OrganisationFactory())
    url = f"/api/v1/clusters/{tenant_a.cluster.slug}/memberships"
    body = {"organisation": org.pk, "year": 2026}
    responses = _race([_api_post(tenant_a.director, url, body) for _ in range(THREADS)])
    assert _statuses(responses) == [201] + [409] * (THREADS - 1)
    with scopes_disabled():
        winner = Membership.objects.get()
    assert {r.json()["existing"]["id"] for r in responses if r.status_code == 409} == {winner.pk}


@on_postgresql
def test_simultaneous_partners_of_one_consortium_give_one_201_and_409s(
    transactional_db: None, tenant_a: Tenant
) -> None:
    with scopes_disabled():
        app = eligible_application(tenant_a.cluster)
        newcomer = follow(tenant_a.cluster, OrganisationFactory(name="Nouveau Partenaire"))
    url = f"/api/v1/clusters/{tenant_a.cluster.slug}/applications/{app.pk}/partners"
    body = {"organisation": newcomer.pk}
    responses = _race([_api_post(tenant_a.director, url, body) for _ in range(THREADS)])
    statuses = _statuses(responses)
    # A request that starts after the winner committed changes its share (200): no 500.
    # Whether a loser answers 409 (it raced) or 200 (it came after) depends on timing.
    assert statuses.count(201) == 1 and set(statuses) <= {200, 201, 409}, statuses
    with scopes_disabled():
        assert Partner.objects.filter(application=app, organisation=newcomer).count() == 1


@on_postgresql
def test_simultaneous_services_raise_conflict_naming_the_winner(
    transactional_db: None, tenant_a: Tenant
) -> None:
    def create() -> Organisation:
        with scope(cluster=tenant_a.cluster):
            return organisations.organisation_create(
                actor=tenant_a.director, cluster=tenant_a.cluster, name="Service SA", siren=SIREN
            )

    results = _race([create for _ in range(THREADS)])
    created = [r for r in results if isinstance(r, Organisation)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(created) == 1 and len(conflicts) == THREADS - 1, results
    assert {c.existing.pk for c in conflicts} == {created[0].pk}


@on_postgresql
def test_simultaneous_imports_end_with_a_message_not_a_traceback(
    transactional_db: None, tenant_a: Tenant, tmp_path: Path
) -> None:
    sheet = tmp_path / "orgs.csv"
    sheet.write_text(f"nom;siren\nCourse;{SIREN}\nAutre;732829320\n", encoding="utf-8")

    def run() -> str:
        with translation.override("en"):  # the assertion below reads the English message
            call_command("import", "organisations", str(sheet), "--cluster", tenant_a.cluster.slug)
        return "done"

    results = _race([run for _ in range(THREADS)])
    assert all(r == "done" or isinstance(r, (CommandError, SystemExit)) for r in results), results
    assert "done" in results
    for r in results:
        if isinstance(r, CommandError):
            assert "Run the import again" in str(r)
    assert Organisation.objects.instance_wide().filter(siren=SIREN).count() == 1


def test_every_page_loads_the_double_submission_guard(tenant_a: Tenant) -> None:
    page = client_for(tenant_a.director).get(
        reverse("members:organisations", args=[tenant_a.cluster.slug])
    )
    assert "clusterdesk/forms.js" in page.content.decode()
    script = finders.find("clusterdesk/forms.js")
    assert script is not None and "submitting" in Path(str(script)).read_text()
