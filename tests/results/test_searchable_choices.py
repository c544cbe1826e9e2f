"""Outcome forms choose a project and an organisation among hundreds by typing: the page
suggests them (a native datalist, no script), the choice is read back from the suggestion
and still checked against what the person may choose."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.results.models import Outcome
from tests.conftest import Tenant, client_for
from tests.factories import OrganisationFactory, application


def _labelled(tenant: Tenant, acronym: str) -> Any:
    return application(
        tenant.cluster,
        state="labelled",
        acronym=acronym,
        label_date=datetime.date(2020, 5, 1),
        partners=((OrganisationFactory(name=f"Coordinateur {acronym}"), "coordinator"),),
    )


def test_the_outcome_form_suggests_projects_and_reads_the_choice_back(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        mine = _labelled(tenant_a, "ZQXMINE")
        theirs = _labelled(tenant_b, "ZQXTHEIRS")
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    url = reverse("outcomes:outcome_declare", args=[tenant_a.cluster.slug]) + "?kind=patent"
    page = client.get(url).content.decode()
    field = re.search(r'<input[^>]*name="application"[^>]*>', page)
    assert field and 'list="id_application_choices"' in field.group(0)
    assert '<datalist id="id_application_choices">' in page
    assert "ZQXMINE" in page and "ZQXTHEIRS" not in page
    assert "<select" not in page.split('name="application"')[0][-200:]
    suggestion = re.search(r'<option value="([^"]*ZQXMINE[^"]*)">', page)
    assert suggestion is not None
    common = {"kind": "patent", "date": "2024-06-01", "title": "Brevet"}
    common |= {"registry": "INPI", "reference": "FR1"}
    typed = client.post(url, common | {"application": "ZQXMINE sans suggestion"})
    assert typed.status_code == 400 and "application" in typed.context["form"].errors
    # The typed text stays in the field beside its error.
    assert 'value="ZQXMINE sans suggestion"' in typed.content.decode()
    other = client.post(url, common | {"application": f"ZQXTHEIRS [{theirs.pk}]"})
    assert other.status_code == 400 and "application" in other.context["form"].errors
    chosen = client.post(url, common | {"application": suggestion.group(1).replace("&amp;", "&")})
    assert chosen.status_code == 302
    with scopes_disabled():
        assert Outcome.objects.get().application_id == mine.pk
