"""The support pages: what each shows, the forms going through the services, the board's
htmx move, and the member portal."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.support.models import FundingProgramme, Mission, StagePeriod, SupportCase
from clusterdesk.support.services.cases import case_action_add, support_case_set_status
from clusterdesk.support.services.experts import expert_conflict_declare
from tests.conftest import Tenant, client_for
from tests.factories import DomainFactory, OrganisationFactory, follow
from tests.support.factories import case, case_with_expert, company, expert

TODAY = timezone.localdate()


def _url(tenant: Tenant, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"cluster_slug": tenant.cluster.slug, **kwargs})


def test_the_list_shows_current_cases_first_filters_and_pages(tenant_a: Tenant) -> None:
    org = company(tenant_a)
    old = case(
        tenant_a, org, title="Ancien dossier", opened_on=TODAY - datetime.timedelta(days=400)
    )
    closed = case(tenant_a, org, title="Dossier clos", need="ip")
    with scope(cluster=tenant_a.cluster):
        support_case_set_status(actor=tenant_a.director, case=closed, status="closed", on=TODAY)
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    page = client.get(_url(tenant_a, "support:cases"))
    titles = [c.title for c in page.context["page"]]
    assert titles == ["Ancien dossier", "Dossier clos"]  # the current one first, however old
    only_ip = client.get(_url(tenant_a, "support:cases"), {"need": "ip"})
    assert [c.title for c in only_ip.context["page"]] == ["Dossier clos"]
    current = client.get(_url(tenant_a, "support:cases"), {"status": "current"})
    assert [c.pk for c in current.context["page"]] == [old.pk]
    with scopes_disabled():
        for i in range(26):
            SupportCase.objects.create(
                cluster=tenant_a.cluster, organisation=org, title=f"N{i}", need="ip", stage="idea"
            )
    second = client.get(_url(tenant_a, "support:cases"), {"page": 2})
    assert second.context["page"].number == 2 and len(second.context["page"]) == 3


def test_a_case_is_opened_from_its_form(tenant_a: Tenant) -> None:
    org = company(tenant_a)
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    response = client.post(
        _url(tenant_a, "support:case_create"),
        {
            "organisation": org.pk,
            "title": "Levée de fonds série A",
            "need": "fundraising",
            "stage": "clinical",
            "opened_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        c = SupportCase.objects.get()
    assert c.title == "Levée de fonds série A" and c.stage == "clinical"
    page = client.get(response.url)  # type: ignore[attr-defined]
    assert page.status_code == 200 and "Levée de fonds série A" in page.content.decode()


def test_the_case_form_offers_only_followed_organisations(tenant_a: Tenant) -> None:
    with scopes_disabled():
        stranger = OrganisationFactory(name="Pas Suivie SA")
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    response = client.post(
        _url(tenant_a, "support:case_create"),
        {
            "organisation": stranger.pk,
            "title": "x",
            "need": "ip",
            "stage": "idea",
            "opened_on": TODAY,
        },
    )
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    with scopes_disabled():
        assert not SupportCase.objects.exists()


def test_the_case_page_suggests_experts_and_programmes(tenant_a: Tenant) -> None:
    with scopes_disabled():
        domain = DomainFactory(cluster=tenant_a.cluster, name="Dispositifs médicaux")
        org = company(tenant_a)
        rel = org.relationships.get(cluster=tenant_a.cluster)
        rel.domains.add(domain)
    c = case(tenant_a, org, need="regulatory", stage="clinical")
    fits = expert(tenant_a, name="Dr Réglementaire", competences="regulatory affairs, CE marking")
    by_domain = expert(tenant_a, name="Dr Domaine", competences="cell biology")
    by_domain.domains.add(domain)
    expert(tenant_a, name="Dr Hors Sujet", competences="accounting")
    conflicted = expert(tenant_a, name="Dr Conflit", competences="regulatory")
    with scopes_disabled():
        FundingProgramme.objects.create(
            cluster=tenant_a.cluster, name="EIC Accelerator", funder="eic", stages=["clinical"]
        )
        FundingProgramme.objects.create(
            cluster=tenant_a.cluster, name="Bourse French Tech", funder="bpifrance", stages=["idea"]
        )
        FundingProgramme.objects.create(
            cluster=tenant_a.cluster,
            name="Appel clos",
            funder="anr",
            deadline=TODAY - datetime.timedelta(days=1),
        )
    with scope(cluster=tenant_a.cluster):
        expert_conflict_declare(
            actor=tenant_a.director, expert=conflicted, organisation=org, reason="Actionnaire"
        )
    page = client_for(tenant_a.people[Role.PROJECT_MANAGER]).get(
        _url(tenant_a, "support:case", case_id=c.pk)
    )
    names = [s.expert.name for s in page.context["suggestions"]]
    assert names[0] == "Dr Réglementaire" and "Dr Domaine" in names
    assert "Dr Hors Sujet" not in names and "Dr Conflit" not in names
    assert fits.pk == page.context["suggestions"][0].expert.pk
    assert [p.name for p in page.context["programmes"]] == ["EIC Accelerator"]


def test_the_expert_on_the_case_reads_it_without_the_staff_tools(tenant_a: Tenant) -> None:
    c, _e = case_with_expert(tenant_a)
    page = client_for(tenant_a.people[Role.EXPERT]).get(
        _url(tenant_a, "support:case", case_id=c.pk)
    )
    assert page.status_code == 200
    assert "suggestions" not in page.context and page.context["can_manage"] is False
    edit = client_for(tenant_a.people[Role.EXPERT]).post(
        _url(tenant_a, "support:case_edit", case_id=c.pk), {"title": "x", "need": "ip"}
    )
    assert edit.status_code == 403


def test_the_board_moves_a_case_through_the_service_with_htmx(tenant_a: Tenant) -> None:
    c = case(tenant_a, stage="preclinical", opened_on=TODAY - datetime.timedelta(days=10))
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    board = client.get(_url(tenant_a, "support:pipeline"))
    columns = {col.stage: [x.pk for x in col.cases] for col in board.context["columns"]}
    assert columns["preclinical"] == [c.pk]
    response = client.post(
        _url(tenant_a, "support:case_move", case_id=c.pk),
        {"stage": "clinical", "board": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'id="board"' in response.content and b"<html" not in response.content
    columns = {col.stage: [x.pk for x in col.cases] for col in response.context["columns"]}
    assert columns["clinical"] == [c.pk] and columns["preclinical"] == []
    with scopes_disabled():
        assert list(StagePeriod.objects.filter(case=c).values_list("stage", flat=True)) == [
            "preclinical",
            "clinical",
        ]


def test_the_board_and_figures_are_the_support_staffs(tenant_a: Tenant) -> None:
    for role in (Role.FINANCE, Role.EXPERT, Role.EVENT_MANAGER):
        client = client_for(tenant_a.people[role])
        assert client.get(_url(tenant_a, "support:pipeline")).status_code == 403
        assert client.get(_url(tenant_a, "support:pipeline_figures")).status_code == 403
    figures = client_for(tenant_a.director).get(_url(tenant_a, "support:pipeline_figures"))
    assert figures.status_code == 200


def test_a_mission_form_names_the_missing_agreement(tenant_a: Tenant) -> None:
    c = case(tenant_a)
    e = expert(tenant_a, name="Dr Sans NDA", agreement_days=None)
    response = client_for(tenant_a.people[Role.PROJECT_MANAGER]).post(
        _url(tenant_a, "support:mission_create", case_id=c.pk),
        {"expert": e.pk, "title": "Audit", "start_on": TODAY, "hours": 4, "cost_eur": 400},
    )
    assert response.status_code == 400
    assert "Dr Sans NDA" in str(response.context["form"].errors["expert"])
    with scopes_disabled():
        assert not Mission.objects.exists()


def test_the_expert_network_pages(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    with scopes_disabled():
        org = follow(tenant_a.cluster, OrganisationFactory(name="Conseil Santé"))
    response = client.post(
        _url(tenant_a, "support:expert_create"),
        {
            "name": "Marie Curie",
            "organisation": org.pk,
            "competences": "radiology, imaging",
            "languages": "fr,en",
            "availability": "available",
            "daily_rate_eur": "900",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    listing = client.get(_url(tenant_a, "support:experts"))
    assert "Marie Curie" in listing.content.decode()
    assert (
        client_for(tenant_a.people[Role.FINANCE]).get(_url(tenant_a, "support:experts")).status_code
        == 403
    )


def test_a_member_asks_follows_and_rates(tenant_a: Tenant) -> None:
    org = company(tenant_a)
    member = client_for(tenant_a.people[Role.MEMBER])
    response = member.post(
        _url(tenant_a, "portal_support:request"),
        {
            "organisation": org.pk,
            "title": "Trouver un CDMO",
            "need": "partner_search",
            "stage": "clinical",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        c = SupportCase.objects.get()
    assert c.status == "requested"
    listing = member.get(_url(tenant_a, "portal_support:cases"))
    assert "Trouver un CDMO" in listing.content.decode()
    rated = member.post(
        _url(tenant_a, "portal_support:rate", case_id=c.pk), {"satisfaction": 4, "comment": "Utile"}
    )
    assert rated.status_code == 302
    c.refresh_from_db()
    assert c.satisfaction == 4
    # The staff see the request among the current cases.
    staff = client_for(tenant_a.people[Role.PROJECT_MANAGER]).get(_url(tenant_a, "support:cases"))
    assert c.pk in [x.pk for x in staff.context["page"]]


def test_the_portal_shows_only_what_is_meant_for_the_company(tenant_a: Tenant) -> None:
    c, _e = case_with_expert(tenant_a)
    with scope(cluster=tenant_a.cluster):
        pm = tenant_a.people[Role.PROJECT_MANAGER]
        case_action_add(actor=pm, case=c, kind="note", subject="Note interne ZQXINTERNE")
        case_action_add(
            actor=pm, case=c, kind="meeting", subject="Réunion partagée", shared_with_company=True
        )
    page = client_for(tenant_a.people[Role.MEMBER]).get(
        _url(tenant_a, "portal_support:case", case_id=c.pk)
    )
    text = page.content.decode()
    assert "Réunion partagée" in text and "ZQXINTERNE" not in text
    assert "Revue CE" in text  # the mission, without its cost
    staff = client_for(tenant_a.people[Role.PROJECT_MANAGER]).get(
        _url(tenant_a, "support:case", case_id=c.pk)
    )
    assert "ZQXINTERNE" in staff.content.decode()


def test_the_timeline_shows_the_case_to_its_readers_only(tenant_a: Tenant) -> None:
    c, _e = case_with_expert(tenant_a)
    url = reverse("members:organisation", args=[tenant_a.cluster.slug, c.organisation_id])
    assert c.title in client_for(tenant_a.director).get(url).content.decode()
    finance = client_for(tenant_a.people[Role.FINANCE]).get(url)
    assert finance.status_code == 200 and c.title not in finance.content.decode()


def test_an_expert_declares_a_conflict_and_is_kept_off_the_company(tenant_a: Tenant) -> None:
    c = case(tenant_a)
    expert(tenant_a, user=tenant_a.people[Role.EXPERT])
    client = client_for(tenant_a.people[Role.EXPERT])
    missions = client.get(_url(tenant_a, "support:my_missions"))
    assert missions.context["is_network_expert"] is True
    declared = client.post(
        _url(tenant_a, "support:my_conflicts"),
        {"organisation": c.organisation_id, "reason": "Actionnaire"},
    )
    assert declared.status_code == 302
    page = client_for(tenant_a.people[Role.PROJECT_MANAGER]).get(
        _url(tenant_a, "support:case", case_id=c.pk)
    )
    assert tenant_a.people[Role.EXPERT].pk not in [
        s.expert.user_id for s in page.context["suggestions"]
    ]
    # A person of the team who is not in the network has no such page.
    assert (
        client_for(tenant_a.people[Role.FINANCE])
        .get(_url(tenant_a, "support:my_conflicts"))
        .status_code
        == 403
    )
    assert (
        client_for(tenant_a.director).get(_url(tenant_a, "support:my_conflicts")).status_code == 403
    )


def test_the_matcher_finds_an_expert_whose_competences_fit_the_case_text(
    tenant_a: Tenant,
) -> None:
    """No need word, no domain in common: the matcher reads the competences against the
    case (French case, English competences) and says what they share."""
    org = company(tenant_a)
    c = case(tenant_a, org, need="other", stage="clinical")
    with scopes_disabled():
        SupportCase.objects.filter(pk=c.pk).update(
            title="Bioproduction d'anticorps monoclonaux",
            description="Passage à l'échelle de la bioproduction en bioréacteur",
        )
    expert(tenant_a, name="Dr Bioprocédés", competences="bioproduction, bioreactor scale-up")
    expert(tenant_a, name="Dr Comptable", competences="accounting, payroll")
    page = client_for(tenant_a.people[Role.PROJECT_MANAGER]).get(
        _url(tenant_a, "support:case", case_id=c.pk)
    )
    suggestions = page.context["suggestions"]
    assert [s.expert.name for s in suggestions] == ["Dr Bioprocédés"]
    assert suggestions[0].terms and "bioproduct" in " ".join(suggestions[0].terms)
