"""The cluster staff's labelling pages: calls, applications, reviewer assignment, committee.

Design under test: every page needs ``projects.manage_calls`` (403 for the rest of the
cluster's people); an application page first needs the right to see the application, so a
person who may not see it gets 404 whatever their role.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.projects.models import (
    Application,
    Call,
    Conflict,
    Criterion,
    ExpertProfile,
    FundingApplication,
    ReviewAssignment,
)
from clusterdesk.projects.selectors.applications import application_totals
from tests.conftest import Tenant, client_for
from tests.factories import ContactFactory, application, follow
from tests.projects.factories_staff import (
    committee_session,
    criterion,
    document,
    eligible_application,
    expert,
    new_call,
    new_organisation,
    new_user,
    submitted_review,
)

S = Application.State
STAFF = (Role.DIRECTOR, Role.PROJECT_MANAGER)
OTHERS = (
    Role.EVENT_MANAGER,
    Role.FACILITY_MANAGER,
    Role.FINANCE,
    Role.EXPERT,
    Role.COMMITTEE_MEMBER,
)
# The call page's queries, whatever the number of applications (measured: 28).
CALL_PAGE_QUERIES = 32


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def url(tenant: Tenant, name: str, **kwargs: Any) -> str:
    return reverse(f"labelling:{name}", kwargs={"cluster_slug": tenant.cluster.slug, **kwargs})


@pytest.fixture
def world(tenant_a: Tenant) -> SimpleNamespace:
    """A call with a submitted application and its document, a labelled one with a funding
    application, a committee session, an expert."""
    cluster = tenant_a.cluster
    with scopes_disabled():
        call = new_call(cluster)
        criterion(call)
        app = eligible_application(cluster, call, state=S.SUBMITTED, acronym="DIAG")
        labelled = eligible_application(cluster, call, state=S.LABELLED, acronym="LAB")
        funding = FundingApplication.objects.create(
            cluster=cluster, application=labelled, funder="fui"
        )
        return SimpleNamespace(
            call=call,
            app=app,
            doc=document(app),
            partner=app.partners.get(role="partner"),
            labelled=labelled,
            funding=funding,
            session=committee_session(cluster, tenant_a.people[Role.COMMITTEE_MEMBER]),
            expert=expert(cluster, tenant_a.people[Role.EXPERT]),
        )


def cluster_pages(w: SimpleNamespace) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("calls", {}),
        ("call_create", {}),
        ("call", {"call_id": w.call.pk}),
        ("call_edit", {"call_id": w.call.pk}),
        ("application_create", {}),
        ("sessions", {}),
        ("session_create", {}),
        ("session", {"session_id": w.session.pk}),
        ("session_edit", {"session_id": w.session.pk}),
        ("experts", {}),
        ("expert_create", {}),
        ("expert_edit", {"pk": w.expert.pk}),
    ]


def application_pages(w: SimpleNamespace) -> list[tuple[str, dict[str, Any]]]:
    app = {"app_id": w.app.pk}
    return [
        ("application", app),
        ("application_edit", app),
        ("application_transition", {**app, "to": "eligible"}),
        ("partner_create", app),
        ("partner_suggestions", app),
        ("partner_edit", {**app, "pk": w.partner.pk}),
        ("document_add", app),
        ("document", {**app, "pk": w.doc.pk}),
        ("application", {"app_id": w.labelled.pk}),
        ("funding_create", {"app_id": w.labelled.pk}),
        ("funding_edit", {"app_id": w.labelled.pk, "pk": w.funding.pk}),
    ]


# -- who may open the pages -------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_every_page_renders_for_the_project_staff(
    tenant_a: Tenant, world: SimpleNamespace, role: str
) -> None:
    client = client_for(tenant_a.people[role])
    for name, kwargs in cluster_pages(world) + application_pages(world):
        assert client.get(url(tenant_a, name, **kwargs)).status_code == 200, name


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_are_refused_and_do_not_learn_that_an_application_exists(
    tenant_a: Tenant, world: SimpleNamespace, role: str
) -> None:
    client = client_for(tenant_a.people[role])
    for name, kwargs in cluster_pages(world):
        assert client.get(url(tenant_a, name, **kwargs)).status_code == 403, name
    for name, kwargs in application_pages(world):
        assert client.get(url(tenant_a, name, **kwargs)).status_code == 404, name
        assert client.post(url(tenant_a, name, **kwargs)).status_code == 404, name


def test_a_member_sees_no_application_page_unless_in_the_consortium(
    tenant_a: Tenant, world: SimpleNamespace
) -> None:
    outsider = new_user(tenant_a.cluster, Role.MEMBER)
    insider = tenant_a.people[Role.MEMBER]
    with scopes_disabled():
        ContactFactory(
            cluster=tenant_a.cluster, organisation=follow(tenant_a.cluster), user=outsider
        )
        ContactFactory(
            cluster=tenant_a.cluster, organisation=world.partner.organisation, user=insider
        )
    for name, kwargs in application_pages(world)[:7]:
        assert client_for(outsider).get(url(tenant_a, name, **kwargs)).status_code == 404, name
    # A partner's contact may read the file (in the portal): the back office refuses them
    # (403), which reveals nothing they do not see already.
    insider_client = client_for(insider)
    for name, kwargs in application_pages(world)[:7]:
        assert insider_client.get(url(tenant_a, name, **kwargs)).status_code == 403, name


def test_the_menu_offers_projects_to_the_project_staff_only(
    tenant_a: Tenant, world: SimpleNamespace
) -> None:
    home = reverse("backoffice:cluster_home", kwargs={"cluster_slug": tenant_a.cluster.slug})
    board = url(tenant_a, "calls")
    assert board in client_for(tenant_a.director).get(home).content.decode()
    assert board not in client_for(tenant_a.people[Role.FINANCE]).get(home).content.decode()


# -- the whole workflow through the pages -----------------------------------------------


def test_from_entry_to_label_and_funding_through_the_pages(
    tenant_a: Tenant, world: SimpleNamespace
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    with scopes_disabled():
        sme = follow(tenant_a.cluster, kind="pme", headcount_band="12")
        lab = follow(tenant_a.cluster, kind="research_org")
    response = client.post(
        url(tenant_a, "application_create"),
        {
            "call": world.call.pk,
            "coordinator": sme.pk,
            "acronym": "NEWDX",
            "title": "Diagnostic rapide",
            "summary": "Un test rapide des infections.",
            "trl_start": 3,
            "trl_target": 6,
            "duration_months": 36,
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    with scopes_disabled():
        app = Application.objects.get(acronym="NEWDX")
    assert app.state == S.DRAFT and response["Location"] == url(
        tenant_a, "application", app_id=app.pk
    )

    response = client.post(
        url(tenant_a, "partner_create", app_id=app.pk),
        {
            "organisation": lab.pk,
            "role": "partner",
            "budget_eur": "500000",
            "requested_aid_eur": "250000",
            "person_months": "48",
        },
    )
    assert response.status_code == 302
    upload = SimpleUploadedFile("dossier.pdf", b"%PDF-dossier", content_type="application/pdf")
    response = client.post(
        url(tenant_a, "document_add", app_id=app.pk), {"kind": "proposal", "file": upload}
    )
    assert response.status_code == 302

    def move(to: str, **data: Any) -> Any:
        return client.post(
            url(tenant_a, "application_transition", app_id=app.pk, to=to),
            {f"{to}-{k}": v for k, v in data.items()},
        )

    assert move(S.SUBMITTED).status_code == 302
    page = client.get(url(tenant_a, "application", app_id=app.pk))
    assert page.context["problems"] == []  # shown before staff confirm "eligible"
    assert move(S.ELIGIBLE).status_code == 302

    response = client.post(
        url(tenant_a, "call", call_id=world.call.pk),
        {
            "action": "assign",
            "assign-application": app.pk,
            "assign-expert": world.expert.pk,
            "assign-locked": "on",
        },
    )
    assert response.status_code == 302
    assert move(S.UNDER_REVIEW).status_code == 302
    refused = move(S.AT_COMMITTEE)
    assert refused.status_code == 400 and "session" in refused.context["form"].errors
    assert move(S.AT_COMMITTEE, session=world.session.pk).status_code == 302

    session_url = url(tenant_a, "session", session_id=world.session.pk)
    agenda = client.get(session_url).context["agenda"]
    assert [a.acronym for a, form in agenda if form] == ["NEWDX"]
    response = client.post(
        session_url,
        {
            "application": app.pk,
            f"decision-{app.pk}-decision": S.LABELLED,
            f"decision-{app.pk}-reason": "Projet structurant pour la filière.",
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.LABELLED and app.label_number and app.committee_session == world.session

    response = client.post(
        url(tenant_a, "project_edit", app_id=app.pk),
        {"status": "running", "start_date": "2026-04-01", "end_date": "2029-03-31"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        partners = {p.organisation_id: p.pk for p in app.partners.all()}
    response = client.post(
        url(tenant_a, "funding_create", app_id=app.pk),
        {
            "funder": "region",
            "programme": "Pack Ambition Recherche",
            "status": "granted",
            "submitted_on": "2026-04-15",
            "decided_on": "2026-07-01",
            f"requested_{partners[sme.pk]}": "0",
            f"granted_{partners[sme.pk]}": "0",
            f"requested_{partners[lab.pk]}": "250000",
            f"granted_{partners[lab.pk]}": "200000",
        },
    )
    assert response.status_code == 302
    page = client.get(url(tenant_a, "application", app_id=app.pk))
    assert page.context["totals"]["granted"] == 200_000
    actions = {e.action for e in page.context["history"]}
    assert {"application.created", "application.submitted", "application.labelled"} <= actions
    certificate = reverse(
        "labelling_documents:certificate",
        kwargs={"cluster_slug": tenant_a.cluster.slug, "pk": app.pk},
    )
    assert certificate in page.content.decode()
    app.refresh_from_db()
    assert app.project_status == "running"


def test_a_decision_without_motivation_is_refused_and_shown(
    tenant_a: Tenant, world: SimpleNamespace
) -> None:
    with scopes_disabled():
        app = eligible_application(
            tenant_a.cluster, world.call, state=S.AT_COMMITTEE, committee_session=world.session
        )
    response = client_for(tenant_a.director).post(
        url(tenant_a, "session", session_id=world.session.pk),
        {"application": app.pk, f"decision-{app.pk}-decision": S.LABELLED},
    )
    assert response.status_code == 400
    form = dict(response.context["agenda"])[app]
    assert "reason" in form.errors
    assert form.errors["reason"][0] in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.AT_COMMITTEE and not app.label_number


def test_a_decision_on_an_application_outside_the_agenda_is_not_found(
    tenant_a: Tenant, world: SimpleNamespace
) -> None:
    response = client_for(tenant_a.director).post(
        url(tenant_a, "session", session_id=world.session.pk),
        {"application": world.app.pk, f"decision-{world.app.pk}-decision": S.LABELLED},
    )
    assert response.status_code == 404


def test_eligibility_problems_are_shown_and_refuse_the_transition(tenant_a: Tenant) -> None:
    with scopes_disabled():
        app = application(
            tenant_a.cluster,
            state=S.SUBMITTED,
            partners=((new_organisation(kind="large_company"), "coordinator"),),
        )
    client = client_for(tenant_a.director)
    page = client.get(url(tenant_a, "application", app_id=app.pk))
    assert len(page.context["problems"]) >= 2
    confirm = client.get(url(tenant_a, "application_transition", app_id=app.pk, to="eligible"))
    assert confirm.context["problems"] == page.context["problems"]
    response = client.post(url(tenant_a, "application_transition", app_id=app.pk, to="eligible"))
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    response = client.post(
        url(tenant_a, "application_transition", app_id=app.pk, to="ineligible"),
        {"ineligible-reason": "Pas de PME ni de laboratoire."},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.INELIGIBLE


def test_an_unknown_state_is_not_found(tenant_a: Tenant, world: SimpleNamespace) -> None:
    client = client_for(tenant_a.director)
    assert (
        client.get(
            url(tenant_a, "application_transition", app_id=world.app.pk, to="nowhere")
        ).status_code
        == 404
    )


def test_consortium_errors_are_redisplayed(tenant_a: Tenant, world: SimpleNamespace) -> None:
    with scopes_disabled():
        draft = eligible_application(tenant_a.cluster, world.call)
        stranger = new_organisation()  # not followed by the cluster
        newcomer = follow(tenant_a.cluster)
    client = client_for(tenant_a.director)
    data = {
        "role": "partner",
        "budget_eur": "100",
        "requested_aid_eur": "200",
        "person_months": "1",
    }
    response = client.post(
        url(tenant_a, "partner_create", app_id=draft.pk), {**data, "organisation": newcomer.pk}
    )
    assert response.status_code == 400 and "requested_aid_eur" in response.context["form"].errors
    response = client.post(
        url(tenant_a, "partner_create", app_id=draft.pk), {**data, "organisation": stranger.pk}
    )
    assert response.status_code == 400 and "organisation" in response.context["form"].errors
    # A submitted file's consortium is frozen: the service says so, the page shows it.
    response = client.post(
        url(tenant_a, "partner_edit", app_id=world.app.pk, pk=world.partner.pk),
        {**data, "requested_aid_eur": "50"},
    )
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    with scopes_disabled():
        assert draft.partners.count() == 2


# -- calls, criteria, sessions and experts ----------------------------------------------


def test_a_call_is_created_then_given_criteria(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    fields = {
        "call-title": "Appel 2026",
        "call-kind": "labelling",
        "call-funder": "fui",
        "call-opens_on": "2026-01-01",
        "call-closes_on": "2025-12-01",
        "call-min_partners": 2,
        "call-requires_sme": "on",
        "call-reviewers_per_application": 2,
        "call-score_max": 5,
    }
    response = client.post(url(tenant_a, "call_create"), fields)
    assert response.status_code == 400 and "closes_on" in response.context["form"].errors
    response = client.post(url(tenant_a, "call_create"), {**fields, "call-closes_on": ""})
    with scopes_disabled():
        call = Call.objects.get(title="Appel 2026")
    assert response["Location"] == url(tenant_a, "call_edit", call_id=call.pk)
    edit = url(tenant_a, "call_edit", call_id=call.pk)
    response = client.post(edit, {"criterion-name": "Innovation", "criterion-weight": "0"})
    assert response.status_code == 400 and "weight" in response.context["criterion_form"].errors
    assert (
        client.post(edit, {"criterion-name": "Marché", "criterion-weight": "2"}).status_code == 302
    )
    with scopes_disabled():
        assert list(Criterion.objects.filter(call=call).values_list("name", flat=True)) == [
            "Marché"
        ]
    assert client.get(url(tenant_a, "calls")).context["rows"][0].status == "continuous"


def test_a_session_takes_only_committee_members(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    data = {"title": "Comité de juin", "date": "2026-06-12", "location": "Lyon"}
    response = client.post(
        url(tenant_a, "session_create"), {**data, "members": [tenant_a.people[Role.FINANCE].pk]}
    )
    assert response.status_code == 400 and "members" in response.context["form"].errors
    member = tenant_a.people[Role.COMMITTEE_MEMBER]
    response = client.post(url(tenant_a, "session_create"), {**data, "members": [member.pk]})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert list(page.context["members"]) == [member]


def test_an_expert_profile_is_for_a_person_with_the_expert_role(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    with scopes_disabled():
        lab = follow(tenant_a.cluster, kind="research_org")
    data = {"organisation": lab.pk, "competences": "immunologie", "languages": "fr", "max_load": 3}
    response = client.post(
        url(tenant_a, "expert_create"), {**data, "user": tenant_a.people[Role.FINANCE].pk}
    )
    assert response.status_code == 400 and "user" in response.context["form"].errors
    response = client.post(
        url(tenant_a, "expert_create"), {**data, "user": tenant_a.people[Role.EXPERT].pk}
    )
    assert response.status_code == 302
    with scopes_disabled():
        profile = ExpertProfile.objects.get(user=tenant_a.people[Role.EXPERT])
    assert profile.organisation == lab and profile.max_load == 3
    response = client.post(url(tenant_a, "expert_edit", pk=profile.pk), {**data, "max_load": 6})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.max_load == 6
    assert [e.pk for e in client.get(url(tenant_a, "experts")).context["experts"]] == [profile.pk]


# -- reviewer assignment ----------------------------------------------------------------


@pytest.fixture
def review_round(tenant_a: Tenant) -> SimpleNamespace:
    """Three eligible applications, two reviewers each, three experts of load two."""
    cluster = tenant_a.cluster
    with scopes_disabled():
        call = new_call(cluster, reviewers_per_application=2)
        apps = [
            eligible_application(cluster, call, state=S.ELIGIBLE, acronym=f"P{n}") for n in range(3)
        ]
        experts = [
            expert(cluster, competences=c, max_load=2)
            for c in ("diagnostic des infections", "oncologie", "vaccins")
        ]
    return SimpleNamespace(call=call, apps=apps, experts=experts)


def test_assignment_run_keep_remove_and_conflict_through_the_pages(
    tenant_a: Tenant, review_round: SimpleNamespace
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    call_url = url(tenant_a, "call", call_id=review_round.call.pk)
    assert client.post(call_url, {"action": "propose", "confirmed": "yes"}).status_code == 302
    page = client.get(call_url)
    assert page.context["proposal"].assigned == 6 and not page.context["shortfalls"]
    pairs = list(page.context["assignments"])
    assert len(pairs) == 6

    kept = pairs[0]
    response = client.post(
        url(tenant_a, "assignment_action", call_id=review_round.call.pk, pk=kept.pk, action="lock"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b'id="assignments"' in response.content
    assert b"<html" not in response.content  # the table only, for htmx to swap
    dropped = pairs[-1]
    response = client.post(
        url(
            tenant_a,
            "assignment_action",
            call_id=review_round.call.pk,
            pk=dropped.pk,
            action="remove",
        )
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not ReviewAssignment.objects.filter(pk=dropped.pk).exists()

    # A fourth application: the experts' loads are full, the proposal says why.
    with scopes_disabled():
        extra = eligible_application(
            tenant_a.cluster, review_round.call, state=S.ELIGIBLE, acronym="P3"
        )
    assert client.post(call_url, {"action": "propose", "confirmed": "yes"}).status_code == 302
    page = client.get(call_url)
    with scopes_disabled():
        kept.refresh_from_db()
    assert kept.locked  # kept through the new run
    shortfalls = page.context["shortfalls"]
    assert page.context["proposal"].assigned == 6 and sum(s.missing for s in shortfalls) == 2
    assert all(s.reason and s.application.call_id == extra.call_id for s in shortfalls)

    with scopes_disabled():
        pair = ReviewAssignment.objects.filter(application__call=extra.call, locked=False)[0]
    response = client.post(
        call_url,
        {
            "action": "conflict",
            "conflict-application": pair.application_id,
            "conflict-expert": pair.expert_id,
            "conflict-reason": "Ancien salarié du coordinateur",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Conflict.objects.filter(source="staff", expert_id=pair.expert_id).exists()
        assert not ReviewAssignment.objects.filter(
            application_id=pair.application_id, expert_id=pair.expert_id
        ).exists()
    rows = client.get(call_url).context["conflicts"]
    assert any("Ancien salarié" in r.reason and r.expert.pk == pair.expert_id for r in rows)

    # By hand, the same pair is refused: the form shows why.
    response = client.post(
        call_url,
        {
            "action": "assign",
            "assign-application": pair.application_id,
            "assign-expert": pair.expert_id,
        },
    )
    assert response.status_code == 400 and response.context["assign_form"].non_field_errors()


def test_an_unknown_assignment_action_is_not_found(
    tenant_a: Tenant, review_round: SimpleNamespace
) -> None:
    with scopes_disabled():
        pair = ReviewAssignment.objects.create(
            cluster=tenant_a.cluster,
            application=review_round.apps[0],
            expert=review_round.experts[0],
        )
    response = client_for(tenant_a.director).post(
        url(tenant_a, "assignment_action", call_id=review_round.call.pk, pk=pair.pk, action="x")
    )
    assert response.status_code == 404


# -- documents --------------------------------------------------------------------------


def test_documents_are_served_only_to_those_who_may_see_the_application(
    tenant_a: Tenant, tenant_b: Tenant, world: SimpleNamespace
) -> None:
    link = url(tenant_a, "document", app_id=world.app.pk, pk=world.doc.pk)
    response = client_for(tenant_a.director).get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-secret"  # type: ignore[attr-defined]
    page = client_for(tenant_a.director).get(url(tenant_a, "application", app_id=world.app.pk))
    assert link in page.content.decode() and "/media/" not in page.content.decode()

    another_member = new_user(tenant_a.cluster, Role.MEMBER)
    with scopes_disabled():
        ContactFactory(
            cluster=tenant_a.cluster, organisation=follow(tenant_a.cluster), user=another_member
        )
    assert client_for(another_member).get(link).status_code == 404
    assert client_for(tenant_a.people[Role.EVENT_MANAGER]).get(link).status_code == 404
    assert client_for(tenant_b.director).get(link).status_code == 404
    # A document of another application, through this application's address.
    with scopes_disabled():
        other = document(eligible_application(tenant_a.cluster, world.call))
    stray = url(tenant_a, "document", app_id=world.app.pk, pk=other.pk)
    assert client_for(tenant_a.director).get(stray).status_code == 404


# -- the call page: totals and a constant number of queries ------------------------------


def _reviewed_applications(tenant: Tenant, call: Call, n: int, start: int) -> None:
    """``n`` applications under review, two submitted reviews each, one conflict each."""
    cluster = tenant.cluster
    crits = list(Criterion.objects.filter(call=call))
    for i in range(start, start + n):
        app = eligible_application(cluster, call, state=S.UNDER_REVIEW, acronym=f"A{i:02d}")
        for score in (3, 5):
            pair = ReviewAssignment.objects.create(
                cluster=cluster, application=app, expert=expert(cluster), affinity=0.5
            )
            submitted_review(pair, dict.fromkeys(crits, score))
        Conflict.objects.create(
            cluster=cluster, application=app, expert=expert(cluster), source="staff", reason="x"
        )


def test_the_call_page_totals_match_the_consortia(tenant_a: Tenant, world: SimpleNamespace) -> None:
    page = client_for(tenant_a.director).get(url(tenant_a, "call", call_id=world.call.pk))
    totals = page.context["totals"]
    with scopes_disabled():
        expected = [application_totals(a) for a in (world.app, world.labelled)]
    assert totals.count == 2
    assert totals.budget == sum(t["budget"] for t in expected) == Decimal(4_000_000)
    assert totals.requested == sum(t["requested"] for t in expected)
    row = next(a for group, apps in page.context["by_state"] for a in apps if a.pk == world.app.pk)
    assert (row.budget, row.requested, row.n_partners) == (Decimal(2_000_000), 800_000, 2)


def test_the_call_page_makes_as_many_queries_for_ten_applications_as_for_two(
    tenant_a: Tenant, django_assert_max_num_queries: Any
) -> None:
    client = client_for(tenant_a.director)
    with scopes_disabled():
        call = new_call(tenant_a.cluster)
        criterion(call, "Innovation", 2)
        criterion(call, "Marché", 1)
        _reviewed_applications(tenant_a, call, 2, start=0)
    call_url = url(tenant_a, "call", call_id=call.pk)
    client.get(call_url)  # warm the caches (content types, session)

    counts = []
    for more in (0, 8):
        with scopes_disabled():
            _reviewed_applications(tenant_a, call, more, start=2)
        with (
            django_assert_max_num_queries(CALL_PAGE_QUERIES),
            CaptureQueriesContext(connection) as queries,
        ):
            page = client.get(call_url)
        assert page.status_code == 200
        counts.append(len(queries))
    assert len(page.context["comparison"]) == 10
    best = page.context["comparison"][0]
    assert best.progress.average == pytest.approx(4.0)  # (3 + 5) / 2, each weighted 2:1
    assert [o.score for o in best.opinions] == [3.0, 5.0] and best.opinions[0].recommendation
    assert counts[0] == counts[1], counts


def test_the_call_board_counts_applications_per_state(
    tenant_a: Tenant, world: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    with scopes_disabled():
        new_call(tenant_a.cluster, closes_on="2020-06-30")
        for _ in range(3):
            eligible_application(tenant_a.cluster, world.call, state=S.SUBMITTED)
    client = client_for(tenant_a.director)
    client.get(url(tenant_a, "calls"))  # warm the caches (session, content types)
    with django_assert_max_num_queries(10):
        page = client.get(url(tenant_a, "calls"))
    rows = {r.call.pk: r for r in page.context["rows"]}
    assert rows[world.call.pk].total == 5
    assert dict(rows[world.call.pk].counts)[S.SUBMITTED.label] == 4
    assert {r.status for r in rows.values()} == {"continuous", "closed"}


def test_the_audit_keeps_who_moved_an_application(tenant_a: Tenant, world: SimpleNamespace) -> None:
    client = client_for(tenant_a.director)
    client.post(
        url(tenant_a, "application_transition", app_id=world.app.pk, to="withdrawn"),
        {"withdrawn-reason": "Le consortium renonce."},
    )
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="application.withdrawn")
    assert entry.actor == tenant_a.director and entry.object_id == str(world.app.pk)
    # The history says it in words, in the reader's language, never the codes.
    client.cookies["django_language"] = "fr"
    page = client.get(url(tenant_a, "application", app_id=world.app.pk)).content.decode()
    assert "application.withdrawn" not in page and "Dossier passé à « Retiré »" in page
