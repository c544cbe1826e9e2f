"""Every page a visitor who has not signed in can reach, loaded anonymously.

The walk covers every web route (the API and Django's admin have their own tests): a route
registered in ``PUBLIC_PAGES`` must answer its expected status; every other route must send
the visitor to the sign-in page. A new public page that is not registered fails the test,
and no route may answer 500 to a visitor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.services import invitation_create, invitation_token
from clusterdesk.brokerage.codes import participant_code
from clusterdesk.core.roles import Role
from clusterdesk.events.selectors import cancel_code
from tests.brokerage.factories import brokerage, participant
from tests.conftest import Tenant, make_tenant
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import MembershipFactory, application, follow
from tests.test_leaks import ROUTES

SKIPPED_PREFIXES = ("api-v1:", "admin:")


@dataclass
class World:
    """The objects a visitor's URLs point at."""

    tenant: Tenant
    label_code: str
    invitation_token: str
    reset_uid: str
    reset_token: str
    event_slug: str
    cancel_code: str
    participant_code: str = ""
    participant_target: int = 0


def _world() -> World:
    tenant = make_tenant()
    cluster = tenant.cluster
    with scopes_disabled():
        org = follow(cluster, name="Listed SA", directory_consent=True)
        MembershipFactory(cluster=cluster, organisation=org)
        labelled = application(cluster, state="labelled", label_code="ABCD2345")
        public_event = EventFactory(cluster=cluster, is_public=True)
        registration = RegistrationFactory(event=public_event)
        b2b = brokerage(cluster)
        me, other = participant(b2b), participant(b2b)
    with scope(cluster=cluster):
        invitation = invitation_create(
            actor=tenant.director, cluster=cluster, email="new@example.org", roles=[Role.FINANCE]
        )
    user = tenant.director
    return World(
        tenant=tenant,
        label_code=labelled.label_code,
        invitation_token=invitation_token(invitation),
        reset_uid=urlsafe_base64_encode(force_bytes(user.pk)),
        reset_token=default_token_generator.make_token(user),
        event_slug=public_event.slug,
        cancel_code=cancel_code(registration),
        participant_code=participant_code(me),
        participant_target=other.pk,
    )


Kwargs = Callable[[World], dict[str, Any]]


def _region(w: World) -> dict[str, Any]:
    return {"region_slug": w.tenant.cluster.region.slug}


# name -> (the URL's arguments, the expected status for a visitor)
PUBLIC_PAGES: dict[str, tuple[Kwargs, int]] = {
    "home": (lambda w: {}, 200),
    "health": (lambda w: {}, 200),
    "region": (_region, 200),
    "directory": (lambda w: {"public_cluster_slug": w.tenant.cluster.slug}, 200),
    "label_verify": (lambda w: {"code": w.label_code}, 200),
    "label_verify_form": (lambda w: {}, 200),
    "accounts:login": (lambda w: {}, 200),
    "accounts:password_reset": (lambda w: {}, 200),
    "accounts:password_reset_done": (lambda w: {}, 200),
    # A valid link redirects to the same page without the token in the address (Django).
    "accounts:password_reset_confirm": (
        lambda w: {"uidb64": w.reset_uid, "token": w.reset_token},
        302,
    ),
    "accounts:password_reset_complete": (lambda w: {}, 200),
    "accounts:invitation": (lambda w: {"token": w.invitation_token}, 200),
    # Logging out is a POST; the language switch is a POST that redirects back.
    "accounts:logout": (lambda w: {}, 405),
    "set_language": (lambda w: {}, 302),
    "public_events:event": (
        lambda w: {"public_cluster_slug": w.tenant.cluster.slug, "event_slug": w.event_slug},
        200,
    ),
    "public_events:cancel": (
        lambda w: {
            "public_cluster_slug": w.tenant.cluster.slug,
            "event_slug": w.event_slug,
            "code": w.cancel_code,
        },
        200,
    ),
}


def _space(**extra: Any) -> Kwargs:
    def kwargs(w: World) -> dict[str, Any]:
        return {
            "public_cluster_slug": w.tenant.cluster.slug,
            "code": w.participant_code,
            **{
                k: getattr(w, v) if isinstance(v, str) and hasattr(w, v) else v
                for k, v in extra.items()
            },
        }

    return kwargs


# A brokerage participant's space, behind their personal signed link.
PUBLIC_PAGES.update(
    {
        "participant_space:home": (_space(), 200),
        "participant_space:market": (_space(), 200),
        "participant_space:requests": (_space(), 200),
        "participant_space:agenda": (_space(), 200),
        "participant_space:agenda_file": (_space(fmt="ics"), 200),
        "participant_space:request": (_space(target_pk="participant_target"), 200),
    }
)
# A visitor asking for the funders' dashboard is asked to sign in, like any staff page.
LOGIN_PAGES: dict[str, Kwargs] = {"region_dashboard": _region}


def _placeholder_kwargs(w: World, params: tuple[str, ...]) -> dict[str, Any]:
    """Arguments for a route that needs a login: real slugs, any identifier."""
    kwargs: dict[str, Any] = {}
    for param in params:
        if param == "cluster_slug":
            kwargs[param] = w.tenant.cluster.slug
        elif param.endswith(("_id", "_pk")) or param in {"year", "pk"}:
            kwargs[param] = 1
        else:
            kwargs[param] = "x"
    return kwargs


WEB_ROUTES = sorted(n for n in ROUTES if not n.startswith(SKIPPED_PREFIXES))


def test_public_page_registry_names_existing_routes() -> None:
    assert not [n for n in [*PUBLIC_PAGES, *LOGIN_PAGES] if n not in ROUTES]


@pytest.mark.parametrize("name", WEB_ROUTES)
def test_web_route_answers_a_visitor_without_error(name: str, db: None) -> None:
    world = _world()
    client = Client()
    if name in PUBLIC_PAGES:
        kwargs_of, expected = PUBLIC_PAGES[name]
        response = client.get(reverse(name, kwargs=kwargs_of(world)))
        assert response.status_code == expected, response.content[:500]
        if expected == 302:
            assert reverse("accounts:login") not in response["Location"]
        return
    kwargs = (LOGIN_PAGES.get(name) or (lambda w: _placeholder_kwargs(w, ROUTES[name])))(world)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302, (
        f"{name} answered {response.status_code} to a visitor: register it in PUBLIC_PAGES "
        "if it is meant to be public"
    )
    assert response["Location"].startswith(reverse("accounts:login"))


def test_region_page_shows_its_clusters_to_a_visitor(db: None) -> None:
    world = _world()
    response = Client().get(reverse("region", kwargs=_region(world)))
    assert response.status_code == 200
    assert world.tenant.cluster.name in response.content.decode()


def test_directory_search_with_control_characters_answers(db: None) -> None:
    world = _world()
    url = reverse("directory", kwargs={"public_cluster_slug": world.tenant.cluster.slug})
    response = Client().get(url, {"q": "Lis\x00ted\x07"})
    assert response.status_code == 200
    assert "Listed SA" in response.content.decode()
