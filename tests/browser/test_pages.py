"""Every role signs in through the real form and opens every page its menu offers."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.demo.build import DEMO_PASSWORD, build_demo, demo_accounts
from clusterdesk.demo.world import HEALTH_CLUSTER
from tests.browser.conftest import SCREENSHOTS, accessibility_problems, watch

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db: None) -> Cluster:
    build_demo()
    return Cluster.objects.get(name=HEALTH_CLUSTER)


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}{reverse('accounts:login')}")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{email} could not sign in"


def check_page(page: Any, url: str, shot: str | None = None) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    assert page.locator("h1").first.is_visible(), url
    assert page.evaluate("typeof htmx") == "object", f"{url}: htmx did not load"
    assert not page.errors, f"{url}: {page.errors}"
    problems = accessibility_problems(page)
    assert not problems, "\n".join(problems)
    if shot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=True)


def test_each_demo_account_opens_every_page_of_its_menu(
    demo: Cluster, live_server: Any, browser: Any
) -> None:
    # One demo build for every account: each signs in in a fresh browser context.
    for email, _what in demo_accounts():
        context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="fr-FR")
        page = watch(context.new_page())
        base = live_server.url
        sign_in(page, base, email)
        user = User.objects.get(email=email)
        with scopes_disabled():
            clusters = [c for c in Cluster.objects.all() if user.has_perm("core.view_cluster", c)]
        check_page(page, f"{base}/")
        check_page(page, f"{base}{reverse('accounts:profile')}")
        check_page(page, f"{base}{reverse('region', args=[demo.region.slug])}")
        for cluster in clusters[:2]:
            home = f"{base}{reverse('backoffice:cluster_home', args=[cluster.slug])}"
            check_page(page, home)
            links = page.locator("nav.menu a").evaluate_all("els => els.map(e => e.href)")
            for link in links:
                check_page(page, link)
        context.close()


def test_director_walkthrough_with_screenshots(demo: Cluster, live_server: Any, page: Any) -> None:
    base = live_server.url
    slug = demo.slug
    sign_in(page, base, "direction@lyonbiopole.test")
    check_page(page, f"{base}{reverse('backoffice:cluster_home', args=[slug])}", "cluster-home")
    check_page(page, f"{base}{reverse('region', args=[demo.region.slug])}", "region")

    # Invite a new expert: the form re-displays errors, then succeeds.
    check_page(page, f"{base}{reverse('backoffice:team', args=[slug])}")
    page.get_by_label("Adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert page.locator(".has-error").count() >= 1
    page.errors.clear()  # that 400 was the point
    page.get_by_label("Adresse e-mail").fill("nouvelle.experte@example.org")
    page.get_by_label("Expert·e").check()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state()
    assert "nouvelle.experte@example.org" in page.content()
    check_page(page, page.url, "team")

    # The audit log filters with htmx, then exports in the background with progress.
    check_page(page, f"{base}{reverse('backoffice:audit', args=[slug])}")
    page.get_by_label("Action").select_option("team")
    invited = "Invitation dans l'équipe"  # in words, not the code team.invited
    page.wait_for_function(
        f"document.querySelector('#audit-table').innerText.includes(\"{invited}\")"
    )
    assert "team.invited" not in page.locator("#audit-table").inner_text()
    check_page(page, page.url, "audit-log")
    page.get_by_role("button", name="Exporter ces entrées (CSV)").click()
    page.wait_for_selector("text=Télécharger le résultat")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le résultat").click()
    assert download.value.suggested_filename.endswith(".csv")

    # On a phone (390 px) the organisation record fits the screen and the menu stays one line.
    with scopes_disabled():
        org = organisations_followed(cluster=demo).order_by("pk").first()
        assert org is not None
        org.website = "https://www.une-entreprise-au-nom-vraiment-tres-long-de-biotechnologie.fr/"
        org.street = "Bâtiment Accinov-Technopôle-Gerland-Sud-Rhône-Alpes-Auvergne, 317 avenue"
        org.save()
    page.set_viewport_size({"width": 390, "height": 844})
    check_page(page, f"{base}{reverse('members:organisation', args=[slug, org.pk])}", "phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("nav.menu").bounding_box()["height"] < 844 / 8
    page.set_viewport_size({"width": 1280, "height": 860})

    # English on demand.
    page.get_by_role("button", name="EN", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Audit log" in page.content()
    assert not page.errors, page.errors


def test_unknown_page_shows_the_friendly_404(
    transactional_db: None, live_server: Any, page: Any
) -> None:
    response = page.goto(f"{live_server.url}/no/such/page/")
    assert response.status == 404
    page.errors.clear()  # the 404 is what this test asked for
    assert "Cette page n'existe pas" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "not-found.png"))


def test_accessibility_check_reports_serious_problems(browser: Any) -> None:
    # The check the page walks rely on: an image without text and an unlabelled field.
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html lang="fr"><body><img src="x.png"><input type="text"></body></html>')
    problems = accessibility_problems(page)
    context.close()
    assert any("image-alt" in p for p in problems)
    assert any("label" in p for p in problems)


def tab_to(page: Any, test: str, what: str, presses: int = 60) -> None:
    """Press Tab until the focused element passes the JavaScript ``test`` (of ``el``)."""
    for _ in range(presses):
        if page.evaluate(f"(el => Boolean({test}))(document.activeElement)"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{what} cannot be reached with the keyboard")


def test_keyboard_alone_signs_in_and_opens_a_menu_page(
    demo: Cluster, live_server: Any, page: Any
) -> None:
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    tab_to(page, "el.type === 'email'", "the e-mail field")
    page.keyboard.type("direction@lyonbiopole.test")
    tab_to(page, "el.type === 'password'", "the password field")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url
    page.goto(f"{live_server.url}{reverse('backoffice:cluster_home', args=[demo.slug])}")
    tab_to(page, "(el.getAttribute('href') || '').endsWith('/audit/')", "the audit log link")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused link shows no focus ring"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/audit/")
