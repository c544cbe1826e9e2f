"""The matcher in projects: reviewers proposed with why, partners suggested for a draft
application (those who bring what the consortium lacks first), each with the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from clusterdesk.core.models import Domain
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Relationship
from clusterdesk.projects.models import ReviewAssignment
from clusterdesk.projects.selectors.partners import partner_suggestions
from clusterdesk.projects.services.reviews import assignment_propose
from tests.conftest import Tenant, client_for
from tests.factories import MembershipFactory, application, follow
from tests.projects.factories_portal import speaks_for
from tests.projects.factories_staff import expert, new_call, new_organisation


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def labelled_org(tenant: Tenant, *domains: Domain, **fields: Any) -> Any:
    org = follow(tenant.cluster, new_organisation(**fields))
    Relationship.objects.get(cluster=tenant.cluster, organisation=org).domains.set(domains)
    return org


@pytest.fixture
def draft(tenant_a: Tenant) -> dict[str, Any]:
    cluster = tenant_a.cluster
    with scopes_disabled():
        health = Domain.objects.create(cluster=cluster, name="Santé")
        digital = Domain.objects.create(cluster=cluster, name="Numérique")
        coordinator = labelled_org(tenant_a, digital, name="Logiciels Alpes")
        app = application(
            cluster,
            state="draft",
            acronym="SEPSIS",
            title="Détection précoce du sepsis",
            summary="Biocapteurs pour détecter le sepsis et les infections à l'hôpital, "
            "avec un logiciel d'aide à la décision.",
            partners=((coordinator, "coordinator"),),
        )
        app.domains.set([health, digital])
        sensors = labelled_org(
            tenant_a,
            health,
            name="BioSense",
            description="Nous concevons des biocapteurs pour le diagnostic des infections.",
        )
        bakery = labelled_org(
            tenant_a, name="Boulangerie Martin", description="Pain au levain et viennoiseries."
        )
        software = labelled_org(
            tenant_a,
            digital,
            name="Code Santé",
            description_en="Decision-support software for hospitals.",
        )
        # A past project of BioSense in the cluster counts in its profile.
        past = application(
            cluster,
            state="labelled",
            acronym="INFECT",
            title="Infections nosocomiales",
            summary="Détection rapide des infections",
            partners=((sensors, "partner"),),
        )
    return {
        "app": app,
        "sensors": sensors,
        "bakery": bakery,
        "software": software,
        "coordinator": coordinator,
        "past": past,
    }


def test_partners_that_bring_the_missing_domain_come_first(
    tenant_a: Tenant, draft: dict[str, Any]
) -> None:
    with scope(cluster=tenant_a.cluster):
        found = partner_suggestions(application=draft["app"])
    names = [s.organisation.name for s in found.suggestions]
    assert found.missing == ["Santé"]  # the coordinator already brings Numérique
    assert names[0] == "BioSense"
    assert "Logiciels Alpes" not in names  # already in the consortium
    assert "Boulangerie Martin" not in names
    why = found.suggestions[0].why
    assert why["covers"] == ["Santé"]
    assert "infections" in why["terms"]
    assert found.model.startswith("bm25+")


def test_the_portal_form_of_the_reason_quotes_no_profile_text(
    tenant_a: Tenant, draft: dict[str, Any]
) -> None:
    with scope(cluster=tenant_a.cluster):
        found = partner_suggestions(application=draft["app"], quote_texts=False)
    assert found.suggestions and all("text" not in s.why for s in found.suggestions)


def test_an_application_with_no_text_gets_no_suggestion_and_no_error(tenant_a: Tenant) -> None:
    with scopes_disabled():
        follow(tenant_a.cluster, new_organisation(description="Biocapteurs"))
        app = application(tenant_a.cluster, title="", summary="")
    with scope(cluster=tenant_a.cluster):
        assert partner_suggestions(application=app).suggestions == []


def test_the_consortium_section_shows_the_suggestions_with_their_reason(
    tenant_a: Tenant, draft: dict[str, Any]
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    client.cookies["django_language"] = "en"
    kwargs = {"cluster_slug": tenant_a.cluster.slug, "app_id": draft["app"].pk}
    page = client.get(reverse("labelling:application", kwargs=kwargs)).content.decode()
    url = reverse("labelling:partner_suggestions", kwargs=kwargs)
    assert f'hx-get="{url}"' in page
    response = client.get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "BioSense" in body and "Boulangerie Martin" not in body
    assert "Brings what the consortium lacks: Santé" in body
    assert "Words in common:" in body
    full = client.get(url).content.decode()
    assert "<html" in full and "BioSense" in full


def test_the_coordinator_sees_listed_members_only_in_the_portal(
    tenant_a: Tenant, draft: dict[str, Any]
) -> None:
    member = tenant_a.people[Role.MEMBER]
    with scopes_disabled():
        speaks_for(tenant_a.cluster, draft["coordinator"], member)
        sensors = draft["sensors"]
        sensors.directory_consent = True
        sensors.save()
        MembershipFactory(cluster=tenant_a.cluster, organisation=sensors, year=timezone.now().year)
        # Code Santé is followed but neither a member nor listed: never named to a member.
    client = client_for(member)
    client.cookies["django_language"] = "en"
    url = reverse(
        "portal_projects:partners",
        kwargs={"cluster_slug": tenant_a.cluster.slug, "pk": draft["app"].pk},
    )
    body = client.get(url).content.decode()
    assert "Partners to consider" in body
    assert "BioSense" in body and "Code Santé" not in body
    assert "Closest text:" not in body  # no other application's text is quoted


def test_the_proposal_keeps_why_each_expert_was_chosen(tenant_a: Tenant) -> None:
    cluster = tenant_a.cluster
    with scopes_disabled():
        call = new_call(cluster, reviewers_per_application=1)
        app = application(
            cluster,
            call,
            state="eligible",
            summary="Vaccins à ARN contre la grippe",
            partners=((new_organisation(), "coordinator"),),
        )
        vaccines = expert(cluster, competences="Immunologie\nVaccins ARN messager", max_load=2)
        expert(cluster, competences="Batteries lithium et recyclage", max_load=2)
    with scope(cluster=cluster):
        summary = assignment_propose(actor=tenant_a.director, call=call)
        chosen = ReviewAssignment.objects.get(application=app)
    assert chosen.expert_id == vaccines.pk
    assert "vaccins" in [t.lower() for t in chosen.affinity_why["terms"]]
    assert chosen.affinity_why["text"] == "Vaccins ARN messager"
    assert summary["model"].startswith("bm25+")
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("labelling:call", kwargs={"cluster_slug": cluster.slug, "call_id": call.pk})
    ).content.decode()
    assert "Closest text:" in page and "Vaccins ARN messager" in page
