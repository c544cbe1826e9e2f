"""Eligibility is checked before submission (issue 15, point 9): the applicants see each
problem; a blocking one (no coordinator, no budget) stops the submission, any other needs
their confirmation; the service decides for every front end."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.projects.models import Application, Partner
from clusterdesk.projects.selectors.applications import eligibility_check
from clusterdesk.projects.services.workflow import application_transition
from tests.conftest import Tenant, client_for
from tests.factories import CallFactory, application
from tests.projects.factories_portal import speaks_for
from tests.projects.factories_staff import new_organisation

S = Application.State


@pytest.fixture
def lonely(tenant_a: Tenant) -> Application:
    """One partner (a large company) to a call asking for two, an SME and a research lab."""
    with scopes_disabled():
        call = CallFactory(cluster=tenant_a.cluster, min_partners=2)
        big = new_organisation(name="Cellnova", kind="large_company", headcount_band="53")
        return application(tenant_a.cluster, call, partners=((big, "coordinator"),))


def _submit(tenant: Tenant, app: Application, **kw: object) -> Application:
    with scope(cluster=tenant.cluster):
        return application_transition(actor=tenant.director, application=app, to=S.SUBMITTED, **kw)


def test_each_problem_is_named_with_whether_it_blocks(
    tenant_a: Tenant, lonely: Application
) -> None:
    with scope(cluster=tenant_a.cluster):
        problems = {p.rule: p.blocking for p in eligibility_check(lonely)}
    assert problems == {"partners": False, "sme": False, "research": False}


def test_submission_past_the_rules_needs_a_confirmation(
    tenant_a: Tenant, lonely: Application
) -> None:
    with pytest.raises(ValidationError) as refused:
        _submit(tenant_a, lonely)
    assert "confirm_eligibility" in refused.value.message_dict
    lonely.refresh_from_db()
    assert lonely.state == S.DRAFT
    app = _submit(tenant_a, lonely, confirm_eligibility=True)
    assert app.state == S.SUBMITTED
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="application.submitted")
    assert entry.after["submitted_despite"] == ["partners", "sme", "research"]


def test_a_blocking_problem_refuses_even_a_confirmed_submission(
    tenant_a: Tenant, lonely: Application
) -> None:
    with scopes_disabled():
        Partner.objects.filter(application=lonely).update(budget_eur=0)
    with pytest.raises(ValidationError) as refused:
        _submit(tenant_a, lonely, confirm_eligibility=True)
    assert "0" in " ".join(refused.value.messages)
    lonely.refresh_from_db()
    assert lonely.state == S.DRAFT


def test_the_member_sees_the_problems_and_confirms_to_submit(
    tenant_a: Tenant, lonely: Application
) -> None:
    with scopes_disabled():
        member = speaks_for(tenant_a.cluster, lonely.partners.get().organisation)
    client = client_for(member)
    client.cookies["django_language"] = "en"
    slug = tenant_a.cluster.slug
    page = client.get(reverse("portal_projects:application", args=[slug, lonely.pk]))
    html = page.content.decode()
    assert "The call needs at least 2 partners; there are 1." in html
    assert "The call needs at least one research partner." in html
    assert 'name="confirm_eligibility"' in html
    submit = reverse("portal_projects:submit", args=[slug, lonely.pk])
    refused = client.post(submit, {})
    assert refused.status_code == 400
    assert "confirm to submit it anyway" in refused.content.decode()
    lonely.refresh_from_db()
    assert lonely.state == S.DRAFT
    assert client.post(submit, {"confirm_eligibility": "on"}).status_code == 302
    lonely.refresh_from_db()
    assert lonely.state == S.SUBMITTED


def test_a_blocked_file_offers_no_submit_button(tenant_a: Tenant, lonely: Application) -> None:
    with scopes_disabled():
        Partner.objects.filter(application=lonely).update(budget_eur=0)
        member = speaks_for(tenant_a.cluster, lonely.partners.get().organisation)
    client = client_for(member)
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("portal_projects:application", args=[tenant_a.cluster.slug, lonely.pk])
    )
    html = page.content.decode()
    assert "blocks the submission" in html
    assert "Submit the application" not in html


def test_the_api_submits_past_the_rules_only_when_told(
    tenant_a: Tenant, lonely: Application
) -> None:
    client = client_for(tenant_a.director)
    url = f"/api/v1/clusters/{tenant_a.cluster.slug}/applications/{lonely.pk}/transitions"
    refused = client.post(url, {"to": "submitted"}, content_type="application/json")
    assert refused.status_code in (400, 422)
    done = client.post(
        url, {"to": "submitted", "confirm_eligibility": True}, content_type="application/json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "submitted"
