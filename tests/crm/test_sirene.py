"""The Sirene register fills in the organisation form from a typed SIREN (recorded answers
replayed through an injected transport: the test machines have no network)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusterdesk.crm import identifiers, sirene
from tests.conftest import Tenant, client_for
from tests.crm.sirene import ASKED, recorded, unreachable

RECORDED = "tests.crm.sirene.recorded"
UNREACHABLE = "tests.crm.sirene.unreachable"


def test_register_lookup_reads_the_company_as_organisation_fields() -> None:
    values = sirene.register_lookup(siren="732 829 320", transport=recorded)
    assert values == {
        "siren": "732829320",
        "name": "ACME BIOTECHNOLOGIES",
        "usual_name": "ACME",
        "siret": "73282932000074",
        "naf_code": "72.11Z",
        "postal_code": "38100",
        "city": "GRENOBLE",
        "street": "9 AVENUE PAUL VERLAINE",
        "headcount_band": "11",
        "kind": "pme",
        "creation_year": 2012,
        "ceased": False,
    }
    assert "q=732829320" in ASKED[-1] and ASKED[-1].startswith(sirene.SEARCH_URL)


def test_register_lookup_of_an_unknown_company_is_none() -> None:
    assert sirene.register_lookup(siren="552100554", transport=recorded) is None


def test_register_lookup_unreachable_and_invalid() -> None:
    with pytest.raises(sirene.SireneUnavailable):
        sirene.register_lookup(siren="732829320", transport=unreachable)
    with pytest.raises(sirene.SireneUnavailable):
        sirene.register_lookup(siren="732829320", transport=lambda url, timeout: b"<html>")
    asked = len(ASKED)
    with pytest.raises(identifiers.IdentifierError):
        sirene.register_lookup(siren="732829321", transport=recorded)
    assert len(ASKED) == asked  # an invalid SIREN asks nothing


def test_the_form_asks_the_register_when_a_siren_is_typed(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    page = client.get(reverse("members:organisation_create", args=[tenant_a.cluster.slug]))
    url = reverse("members:organisation_register", args=[tenant_a.cluster.slug])
    assert f'hx-get="{url}"' in page.content.decode()


def test_the_register_fills_the_empty_fields_of_the_form(
    tenant_a: Tenant, settings: object
) -> None:
    settings.CLUSTERDESK_SIRENE_TRANSPORT = RECORDED  # type: ignore[attr-defined]
    client = client_for(tenant_a.director)
    client.cookies["django_language"] = "en"
    url = reverse("members:organisation_register", args=[tenant_a.cluster.slug])
    response = client.get(url, {"siren": "732829320", "city": "Meylan"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["name"] == "ACME BIOTECHNOLOGIES"
    assert form.initial["naf_code"] == "72.11Z"
    assert form.initial["city"] == "Meylan"  # what the person typed stays
    html = response.content.decode()
    assert 'value="ACME BIOTECHNOLOGIES"' in html
    assert "Filled in from the Sirene register" in html


def test_an_unreachable_register_says_so_clearly(tenant_a: Tenant, settings: object) -> None:
    settings.CLUSTERDESK_SIRENE_TRANSPORT = UNREACHABLE  # type: ignore[attr-defined]
    client = client_for(tenant_a.director)
    client.cookies["django_language"] = "en"
    url = reverse("members:organisation_register", args=[tenant_a.cluster.slug])
    response = client.get(url, {"siren": "732829320", "name": "Acme"})
    assert response.status_code == 200
    assert "cannot be reached" in response.content.decode()
    assert response.context["form"].initial["name"] == "Acme"


def test_the_register_lookup_needs_the_right_to_change_members(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.people["finance"])
    url = reverse("members:organisation_register", args=[tenant_a.cluster.slug])
    assert client.get(url, {"siren": "732829320"}).status_code == 403
