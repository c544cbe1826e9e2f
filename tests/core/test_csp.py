"""Every page is sent with a Content-Security-Policy that refuses inline scripts, and no
template relies on inline script or style (which the policy would break)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import Tenant, client_for

TEMPLATES = Path(settings.PACKAGE_DIR) / "templates"
# Rendered to PDF by WeasyPrint, never served to a browser.
PDF_TEMPLATES = {"projects/pdf/base.html", "results/reports/pdf.html", "events/badges.html"}
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on…= event attribute"),
    (re.compile(r"\shx-on", re.I), "an hx-on attribute (evaluated script)"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"<style", re.I), "a <style> element"),
]


def _policy(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    directives = [d.strip().split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("name", ["home", "accounts:login"])
def test_public_pages_send_the_policy(name: str, db: None) -> None:
    policy = _policy(Client().get(reverse(name)))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_back_office_pages_and_api_send_the_policy(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    page = client.get(reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug]))
    assert page.status_code == 200
    assert _policy(page)["script-src"] == ["'self'"]
    assert "Content-Security-Policy" in client.get("/api/v1/clusters").headers


def test_templates_have_no_inline_script_or_style() -> None:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PDF_TEMPLATES or name in ("500.html", "503.html"):
            continue
        text = path.read_text("utf-8")
        found += [f"{name}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not found, found


@pytest.mark.parametrize("page", ["500.html", "503.html"])
def test_error_page_style_is_allowed_by_its_hash(page: str) -> None:
    text = (TEMPLATES / page).read_text("utf-8")
    styles = re.findall(r"<style>(.*?)</style>", text, re.S)
    assert len(styles) == 1 and "<script" not in text
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]


def test_htmx_is_told_not_to_inject_its_inline_styles(db: None) -> None:
    html = Client().get(reverse("accounts:login")).content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert "clusterdesk/clusterdesk.js" in html
