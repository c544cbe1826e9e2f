"""Funding amounts: a grant above the request needs an explicit confirmation, and the
funding history reads as labelled values (issue 15, point 11)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.projects.models import Application, FundingLine
from clusterdesk.projects.services.funding import funding_save
from tests.conftest import Tenant, client_for
from tests.projects.factories_staff import eligible_application

S = Application.State


@pytest.fixture
def labelled(tenant_a: Tenant) -> Application:
    with scopes_disabled():
        return eligible_application(tenant_a.cluster, state=S.LABELLED, acronym="LAB")


def _lines(app: Application, granted: int) -> dict[int, tuple[Decimal, Decimal]]:
    with scopes_disabled():
        coordinator = app.partners.get(role="coordinator")
    return {coordinator.pk: (Decimal(100), Decimal(granted))}


def _save(tenant: Tenant, app: Application, granted: int, **kw: object) -> object:
    with scope(cluster=tenant.cluster):
        return funding_save(
            actor=tenant.director,
            application=app,
            funding=None,
            lines=_lines(app, granted),
            funder="region",
            status="granted",
            decided_on="2026-07-01",
            **kw,
        )


def test_a_grant_above_the_request_is_refused_without_confirmation(
    tenant_a: Tenant, labelled: Application
) -> None:
    with pytest.raises(ValidationError) as refused:
        _save(tenant_a, labelled, 5_000_000)
    assert "confirm_above_requested" in refused.value.message_dict
    assert not FundingLine.objects.with_scopes_disabled().exists()
    _save(tenant_a, labelled, 5_000_000, confirm_above_requested=True)
    line = FundingLine.objects.with_scopes_disabled().get()
    assert line.granted_eur == 5_000_000


def test_a_grant_within_the_request_needs_no_confirmation(
    tenant_a: Tenant, labelled: Application
) -> None:
    _save(tenant_a, labelled, 100)
    assert FundingLine.objects.with_scopes_disabled().get().granted_eur == 100


def test_the_page_asks_to_confirm_then_the_history_shows_labelled_amounts(
    tenant_a: Tenant, labelled: Application
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    client.cookies["django_language"] = "en"
    kwargs = {"cluster_slug": tenant_a.cluster.slug, "app_id": labelled.pk}
    with scopes_disabled():
        partner = labelled.partners.get(role="coordinator")
        other = labelled.partners.get(role="partner")
    data = {
        "funder": "region",
        "status": "granted",
        "decided_on": "2026-07-01",
        f"requested_{partner.pk}": "100",
        f"granted_{partner.pk}": "5000000",
        f"requested_{other.pk}": "0",
        f"granted_{other.pk}": "0",
    }
    create = reverse("labelling:funding_create", kwargs=kwargs)
    refused = client.post(create, data)
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert "confirm_above_requested" in errors and f"granted_{partner.pk}" in errors
    assert "€5,000,000.00" in str(errors)
    assert client.post(create, data | {"confirm_above_requested": "on"}).status_code == 302
    page = client.get(reverse("labelling:application", kwargs=kwargs))
    html = page.content.decode()
    assert "{&#x27;" not in html and "{'" not in html  # no raw dict in the history
    assert "granted : €5,000,000.00" in html and "requested_eur" not in html
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="funding.created")
    assert entry.after["confirmed_above_requested"] is True
