"""``/verify/``: the address the certificate names, where a visitor types the code."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.conftest import Tenant
from tests.factories import application


def test_verify_without_a_code_is_a_form(db: None) -> None:
    response = Client().get("/verify/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="code"' in html
    assert 'action="/verify/"' in html


def test_verify_form_leads_to_the_verification_page_of_the_code(tenant_a: Tenant) -> None:
    with scopes_disabled():
        app = application(tenant_a.cluster, state="labelled", label_code="C0DE5AFE1234")
    # As typed by a person: lower case, spaces around and inside.
    response = Client().get("/verify/", {"code": "  c0de 5afe 1234 "})
    assert response.status_code == 302
    assert response["Location"] == reverse("label_verify", args=["C0DE5AFE1234"])
    page = Client().get(response["Location"])
    assert page.status_code == 200
    assert app.acronym in page.content.decode()


def test_verify_form_refuses_an_empty_or_overlong_code(db: None) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    for code in ("", "A" * 40):
        response = client.get("/verify/", {"code": code})
        assert response.status_code == 400, code
        assert 'class="error"' in response.content.decode()


def test_an_unknown_code_offers_to_type_another(db: None) -> None:
    response = Client().get(reverse("label_verify", args=["0123456789AB"]))
    assert response.status_code == 404
    assert reverse("label_verify_form") in response.content.decode()
