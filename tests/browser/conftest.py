"""A real Chromium (Debian's build) driven by Playwright against the live test server.

Skipped with a visible reason when no Chromium is installed, unless
CLUSTERDESK_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        reason = "no Chromium found: install Debian's 'chromium' package (.ci/run does)"
        if os.environ.get("CLUSTERDESK_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
    # still synchronous and safe.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as p:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


AXE = Axe()  # axe-core, shipped inside the axe-playwright-python package
SERIOUS = ("serious", "critical")


def accessibility_problems(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.1 AA)."""
    results = AXE.run(page, options={"resultTypes": ["violations"]})
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {v['help']}: "
        + ", ".join(str(n["target"][0]) for n in v["nodes"][:4])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def watch(page: Any) -> Any:
    """Record the page's JavaScript errors and failed requests in ``page.errors``."""
    page.errors = []  # JavaScript errors and failed requests, checked by the tests
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: page.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    page.on(
        "response",
        lambda r: page.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return page


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="fr-FR")
    yield watch(context.new_page())
    context.close()
