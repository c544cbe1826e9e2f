"""The same labelling scenario for every role of a cluster, through the pages (the back
office, or the member portal for a member) and through the API: create an application, add
a partner, submit it, move it to eligible, list the applications, read the file. Both front
ends call the same services, so they must give the same results and the same refusals:
403 for an act on an application the person sees, 404 for an application they may not see
(it is confidential), whatever the front end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import api_token_create
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Organisation
from clusterdesk.projects.models import Application, Call, Partner
from tests.conftest import Tenant, client_for
from tests.factories import CallFactory, ContactFactory, application, follow

S = Application.State
OK, REFUSED, NOT_FOUND, INVALID = "ok", "refused", "not found", "invalid"
STAFF = {Role.DIRECTOR, Role.PROJECT_MANAGER}
# What each role gets at each step, whichever the front end.
EXPECTED: dict[str, dict[str, object]] = {
    role: (
        {
            "create": OK,
            "add_partner": OK,
            "submit": OK,
            "eligible": OK,
            "listed": True,
            "read": OK,
        }
        if role in STAFF
        else {
            # The coordinator's contact prepares and submits; the cluster decides.
            "create": OK,
            "add_partner": OK,
            "submit": OK,
            "eligible": REFUSED,
            "listed": True,
            "read": OK,
        }
        if role == Role.MEMBER
        else {
            # Anyone else of the cluster may not create one, nor see anyone's.
            "create": REFUSED,
            "add_partner": NOT_FOUND,
            "submit": NOT_FOUND,
            "eligible": NOT_FOUND,
            "listed": False,
            "read": NOT_FOUND,
        }
    )
    for role in Role.values
}


def outcome(status: int) -> str:
    if status in (200, 201, 302):
        return OK
    return {403: REFUSED, 404: NOT_FOUND, 400: INVALID}.get(status, str(status))


class World:
    def __init__(self, tenant: Tenant) -> None:
        with scopes_disabled():
            self.tenant = tenant
            self.call: Call = CallFactory(cluster=tenant.cluster)
            self.sme: Organisation = follow(tenant.cluster, kind="pme", headcount_band="12")
            self.lab: Organisation = follow(tenant.cluster, kind="research_org", name="Labo Zeta")
            # The member speaks for the coordinating SME.
            ContactFactory(
                cluster=tenant.cluster, organisation=self.sme, user=tenant.people[Role.MEMBER]
            )

    def fallback(self, acronym: str) -> Application:
        """The application the scenario goes on with when the role could not create it."""
        with scopes_disabled():
            return application(
                self.tenant.cluster,
                self.call,
                partners=((self.sme, "coordinator"),),
                acronym=acronym,
                title="Test",
                summary="Résumé",
            )

    def application(self, acronym: str) -> Application | None:
        with scopes_disabled():
            return Application.objects.filter(acronym=acronym).first()


class Pages:
    """The back office for the cluster's team, the member portal for a member."""

    def __init__(self, world: World, user: User, role: str) -> None:
        self.w, self.client, self.portal = world, client_for(user), role == Role.MEMBER
        self.slug = world.tenant.cluster.slug

    def url(self, name: str, **kwargs: Any) -> str:
        namespace = "portal_projects" if self.portal else "labelling"
        return reverse(f"{namespace}:{name}", kwargs={"cluster_slug": self.slug, **kwargs})

    def office(self, name: str, **kwargs: Any) -> str:
        return reverse(f"labelling:{name}", kwargs={"cluster_slug": self.slug, **kwargs})

    def create(self, acronym: str) -> str:
        body = {"call": self.w.call.pk, "coordinator": self.w.sme.pk, "acronym": acronym}
        body |= {"title": "Test", "summary": "Résumé"}
        return outcome(self.client.post(self.url("application_create"), body).status_code)

    def add_partner(self, app: Application) -> str:
        share = {"role": "partner", "budget_eur": "1000", "requested_aid_eur": "500"}
        share |= {"person_months": "2", "organisation": self.w.lab.pk}
        if self.portal:
            url = self.url("partners", pk=app.pk)
            share["q"] = "Zeta"  # the portal offers the organisations found by name
        else:
            url = self.url("partner_create", app_id=app.pk)
        return outcome(self.client.post(url, share).status_code)

    def move(self, app: Application, to: str) -> str:
        if self.portal and to == S.SUBMITTED:
            url = self.url("submit", pk=app.pk)
        else:  # every other move is made in the back office
            url = self.office("application_transition", app_id=app.pk, to=to)
        return outcome(self.client.post(url, {}).status_code)

    def listed(self, app: Application) -> bool:
        if self.portal:
            page = self.client.get(self.url("applications"))
            return page.status_code == 200 and app in page.context["applications"]
        page = self.client.get(self.office("call", call_id=self.w.call.pk))
        if page.status_code != 200:  # no page lists applications for them
            return False
        return any(a.pk == app.pk for _t, apps in page.context["by_state"] for a in apps)

    def read(self, app: Application) -> str:
        name, key = ("application", "pk") if self.portal else ("application", "app_id")
        return outcome(self.client.get(self.url(name, **{key: app.pk})).status_code)


class Api:
    def __init__(self, world: World, user: User, role: str) -> None:
        _token, raw = api_token_create(user=user, name="test")
        self.w, self.client = world, Client(headers={"authorization": f"Bearer {raw}"})
        self.base = f"/api/v1/clusters/{world.tenant.cluster.slug}"

    def post(self, path: str, body: dict[str, Any]) -> str:
        response = self.client.post(self.base + path, body, content_type="application/json")
        return outcome(response.status_code)

    def create(self, acronym: str) -> str:
        body = {"call": self.w.call.pk, "coordinator": self.w.sme.pk, "acronym": acronym}
        return self.post("/applications", body | {"title": "Test", "summary": "Résumé"})

    def add_partner(self, app: Application) -> str:
        share = {"organisation": self.w.lab.pk, "role": "partner", "budget_eur": "1000"}
        share |= {"requested_aid_eur": "500", "person_months": "2"}
        return self.post(f"/applications/{app.pk}/partners", share)

    def move(self, app: Application, to: str) -> str:
        return self.post(f"/applications/{app.pk}/transitions", {"to": to})

    def listed(self, app: Application) -> bool:
        items = self.client.get(self.base + "/applications").json()["items"]
        return any(item["id"] == app.pk for item in items)

    def read(self, app: Application) -> str:
        return outcome(self.client.get(f"{self.base}/applications/{app.pk}").status_code)


def scenario(world: World, front: Pages | Api, acronym: str) -> dict[str, object]:
    """Run the steps; when one is refused, the scenario goes on from the state it would have
    reached (made directly), so that every step is tried."""
    results: dict[str, object] = {"create": front.create(acronym)}
    app = world.application(acronym) or world.fallback(acronym)
    with scopes_disabled():  # the portal's first form asks for no summary
        Application.objects.filter(pk=app.pk, summary="").update(summary="Résumé")
    results["add_partner"] = front.add_partner(app)
    with scopes_disabled():
        if not app.partners.filter(organisation=world.lab).exists():
            Partner.objects.create(
                cluster=app.cluster, application=app, organisation=world.lab, role="partner"
            )
    results["submit"] = front.move(app, S.SUBMITTED)
    with scopes_disabled():
        Application.objects.filter(pk=app.pk, state=S.DRAFT).update(state=S.SUBMITTED)
    results["eligible"] = front.move(app, S.ELIGIBLE)
    results["listed"] = front.listed(app)
    results["read"] = front.read(app)
    with scopes_disabled():
        app.refresh_from_db()
    results["state"] = app.state
    return results


FRONTS: dict[str, Callable[[World, User, str], Pages | Api]] = {"pages": Pages, "api": Api}


@pytest.mark.parametrize("role", Role.values)
def test_labelling_scenario_gives_the_same_answers_through_pages_and_api(
    tenant_a: Tenant, role: str
) -> None:
    world = World(tenant_a)
    user = tenant_a.people[role]
    seen = {
        name: scenario(world, make(world, user, role), f"{name.upper()}{role[:4].upper()}")
        for name, make in FRONTS.items()
    }
    assert seen["pages"] == seen["api"]
    expected = EXPECTED[role] | {
        "state": S.ELIGIBLE if EXPECTED[role]["eligible"] == OK else S.SUBMITTED
    }
    assert seen["api"] == expected
