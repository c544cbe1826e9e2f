"""The confirmation step of a bulk action and the focus on the first error after a refused
form, in a real Chromium (issue 15, points 8 and 16)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Membership
from tests.browser.conftest import accessibility_problems, watch
from tests.conftest import Tenant, make_tenant
from tests.factories import follow

pytestmark = pytest.mark.browser


@pytest.fixture
def tenant(transactional_db: None) -> Tenant:
    with scopes_disabled():
        tenant = make_tenant(name="Pôle Navigateur", slug="navigateur")
        for n in range(3):
            org = follow(tenant.cluster, name=f"Membre {n}")
            Membership.objects.create(
                cluster=tenant.cluster, organisation=org, year=2025, status="active"
            )
    return tenant


def signed_in_page(browser: Any, base: str, user: Any, **context: Any) -> Any:
    """A page whose browser holds the person's session (signing in is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    ctx = browser.new_context(locale="fr-FR", **context)
    ctx.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    return watch(ctx.new_page())


def test_a_bulk_action_asks_to_confirm_then_runs(
    tenant: Tenant, live_server: Any, browser: Any
) -> None:
    base = live_server.url
    page = signed_in_page(browser, base, tenant.people[Role.FINANCE])
    page.goto(f"{base}{reverse('members:renewals', args=[tenant.cluster.slug, 2026])}")
    page.locator("button[name=action][value=renew]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Renouveler")
    assert "3" in page.locator(".effects").inner_text()
    assert not accessibility_problems(page)
    with scopes_disabled():
        assert not Membership.objects.filter(year=2026).exists()  # nothing done yet
    page.locator("form.actions button[type=submit]").click()
    page.wait_for_load_state()
    assert "/renewals/2026/" in page.url
    with scopes_disabled():
        assert Membership.objects.filter(year=2026).count() == 3
    assert not page.errors, page.errors
    page.context.close()


def test_a_refused_form_brings_its_first_error_into_view_and_focus(
    tenant: Tenant, live_server: Any, browser: Any
) -> None:
    base = live_server.url
    page = signed_in_page(browser, base, tenant.director, viewport={"width": 390, "height": 640})
    page.goto(f"{base}{reverse('members:organisation_create', args=[tenant.cluster.slug])}")
    page.locator("#id_name").fill("Nouvelle PME")
    page.locator("#id_website").fill("pas une adresse")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "id_website"
    assert page.evaluate("window.scrollY") > 0  # the page no longer sits at its top
    assert page.locator("#id_website").is_visible()
    box = page.locator("#id_website").bounding_box()
    assert box is not None and 0 <= box["y"] <= 640
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    page.context.close()
