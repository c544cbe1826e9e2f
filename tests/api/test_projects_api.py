"""Labelling over the API: the whole workflow, who sees an application (every role, another
member of the same cluster, another cluster), who may ask for which move, the expert's
declaration and review, funding, input errors naming their fields, and a constant number
of queries per list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import api_token_create
from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.projects.models import (
    Application,
    Call,
    CommitteeSession,
    Conflict,
    ExpertProfile,
    FundingApplication,
    Partner,
    Review,
    ReviewAssignment,
)
from tests.api.projects_factories import (
    People,
    assign,
    call_with_criteria,
    committee,
    coordinator_of,
    domain,
    eligible_application,
    expert,
    funding,
    lab,
    organisation,
    people_around,
    person,
    portal_account,
    review,
    sme,
)
from tests.conftest import Tenant
from tests.factories import funder

S = Application.State


def _api(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    # English messages, so that the assertions on them do not follow the French catalogue.
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})


def _url(tenant: Tenant, path: str) -> str:
    return f"/api/v1/clusters/{tenant.cluster.slug}/{path}"


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def _put(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.put(url, body, content_type="application/json")


def _errors(response: Any) -> dict[str | None, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def _state(app: Application) -> str:
    with scopes_disabled():
        return Application.objects.get(pk=app.pk).state


def _set_state(app: Application, state: str) -> None:
    Application.objects.with_scopes_disabled().filter(pk=app.pk).update(state=state)


@pytest.fixture
def people(tenant_a: Tenant) -> People:
    """A draft application of tenant A and everyone around it."""
    with scopes_disabled():
        return people_around(tenant_a.cluster, eligible_application(tenant_a.cluster))


# -- the whole workflow -----------------------------------------------------------------------


def test_workflow_from_call_to_funding_through_the_api(tenant_a: Tenant) -> None:
    staff = _api(tenant_a.director)
    with scopes_disabled():
        diagnostic = domain(tenant_a.cluster)
        own, research = sme(tenant_a.cluster), lab(tenant_a.cluster)
        member = portal_account(tenant_a.cluster, own)
        profile = expert(tenant_a.cluster)
        session = committee(tenant_a.cluster, tenant_a.people[Role.COMMITTEE_MEMBER])

    # The staff open a call with two criteria.
    created = _post(
        staff,
        _url(tenant_a, "calls"),
        {
            "title": "Appel 2026",
            "opens_on": "2020-01-01",
            "domains": [diagnostic.pk],
            "criteria": [{"name": "Innovation", "weight": "2"}, {"name": "Impact"}],
        },
    )
    assert created.status_code == 201, created.json()
    call = created.json()
    assert [c["name"] for c in call["criteria"]] == ["Innovation", "Impact"]
    assert call["domains"][0]["id"] == diagnostic.pk

    # A member starts an application coordinated by its own organisation, adds a lab.
    client = _api(member)
    started = _post(
        client,
        _url(tenant_a, "applications"),
        {
            "call": call["id"],
            "coordinator": own.pk,
            "acronym": "DIAG",
            "title": "Diagnostic rapide",
            "summary": "Un test en dix minutes.",
            "domains": [diagnostic.pk],
        },
    )
    assert started.status_code == 201, started.json()
    app = started.json()
    assert app["state"] == "draft"
    assert app["coordinator"]["id"] == own.pk
    base = f"applications/{app['id']}"
    shares = {"budget_eur": "800000", "requested_aid_eur": "300000", "person_months": "24.5"}
    joined = _post(client, _url(tenant_a, f"{base}/partners"), {"organisation": research.pk})
    assert joined.status_code == 201, joined.json()
    changed = _post(
        client, _url(tenant_a, f"{base}/partners"), {"organisation": research.pk, **shares}
    )
    assert changed.status_code == 200
    assert changed.json()["budget_eur"] == "800000.00"

    # The member submits; the staff take it through eligibility and review.
    def move(who: Client, to: str, **extra: Any) -> dict[str, Any]:
        response = _post(who, _url(tenant_a, f"{base}/transitions"), {"to": to, **extra})
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == to
        return response.json()

    assert move(client, "submitted")["submitted_at"]
    move(staff, "eligible")
    with scopes_disabled():
        assignment = assign(Application.objects.get(pk=app["id"]), profile, cleared=False)
    move(staff, "under_review")

    # The expert declares no conflict, then scores and submits.
    reviewer = _api(profile.user)
    declared = _post(
        reviewer, _url(tenant_a, f"assignments/{assignment.pk}/declaration"), {"conflict": False}
    )
    assert declared.status_code == 200
    assert declared.json()["acronym"] == "DIAG"
    criteria = {c["name"]: c["id"] for c in call["criteria"]}
    sent = _put(
        reviewer,
        _url(tenant_a, f"assignments/{assignment.pk}/review"),
        {
            "scores": {str(criteria["Innovation"]): 5, str(criteria["Impact"]): 2},
            "comments": "Très solide.",
            "recommendation": "label",
            "submit": True,
        },
    )
    assert sent.status_code == 200, sent.json()
    assert sent.json()["weighted_score"] == pytest.approx(4.0)  # (2 * 5 + 1 * 2) / 3

    # The committee decides: a label with its number and date.
    move(staff, "at_committee", session=session.pk)
    labelled = move(staff, "labelled", reason="Structurant pour la filière.")
    assert labelled["label_number"].endswith("-2026-001")
    assert labelled["label_date"] == "2026-03-01"  # the session's date
    assert labelled["committee_session"]["id"] == session.pk
    assert labelled["project_status"] == "not_started"
    assert labelled["totals"]["budget"] == "800000.00"

    # The staff record the funding it got; the totals follow.
    research_partner = next(
        p for p in labelled["partners"] if p["organisation"]["id"] == research.pk
    )
    granted = _post(
        staff,
        _url(tenant_a, f"{base}/fundings"),
        {
            "funder": "region",
            "programme": "Innov'R",
            "status": "granted",
            "decided_on": "2026-06-01",
            "lines": [
                {
                    "partner": research_partner["id"],
                    "requested_eur": "300000",
                    "granted_eur": "250000",
                }
            ],
        },
    )
    assert granted.status_code == 201, granted.json()
    assert granted.json()["lines"][0]["granted_eur"] == "250000.00"
    detail = client.get(_url(tenant_a, base)).json()
    assert detail["totals"]["granted"] == "250000.00"
    assert detail["label_number"] == labelled["label_number"]
    with scopes_disabled():
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "call.created",
        "application.created",
        "application.partner_saved",
        "application.submitted",
        "application.labelled",
        "review.no_conflict_declared",
        "review.submitted",
        "funding.created",
    } <= actions


# -- who sees an application --------------------------------------------------------------


def _viewers(tenant: Tenant, people: People) -> dict[str, User]:
    return {
        "director": tenant.director,
        "project_manager": tenant.people[Role.PROJECT_MANAGER],
        "coordinator": people.coordinator,
        "partner": people.partner,
        "cleared_expert": people.cleared_expert,
        "session_member": people.session_member,
        "event_manager": tenant.people[Role.EVENT_MANAGER],
        "finance": tenant.people[Role.FINANCE],
        "facility_manager": tenant.people[Role.FACILITY_MANAGER],
        "expert": tenant.people[Role.EXPERT],
        "committee_member": tenant.people[Role.COMMITTEE_MEMBER],
        "member": tenant.people[Role.MEMBER],
        "other_member": people.other_member,
        "uncleared_expert": people.uncleared_expert,
    }


SEES = {
    "director",
    "project_manager",
    "coordinator",
    "partner",
    "cleared_expert",
    "session_member",
}
NOT_SEES = {
    "event_manager",
    "finance",
    "facility_manager",
    "expert",
    "committee_member",
    "member",
    "other_member",
    "uncleared_expert",
}


@pytest.mark.parametrize("viewer", sorted(SEES | NOT_SEES))
def test_application_is_listed_and_shown_only_to_who_may_see_it(
    viewer: str, tenant_a: Tenant, people: People
) -> None:
    with scopes_disabled():
        # Another application of the same cluster, seen by the staff only: the control.
        eligible_application(tenant_a.cluster)
    client = _api(_viewers(tenant_a, people)[viewer])
    app = people.app
    detail = client.get(_url(tenant_a, f"applications/{app.pk}"))
    listed = client.get(_url(tenant_a, "applications"))
    assert listed.status_code == 200
    ids = [item["id"] for item in listed.json()["items"]]
    for path in ("", "/partners", "/transitions", "/fundings"):
        response = client.get(_url(tenant_a, f"applications/{app.pk}{path}"))
        assert response.status_code == (200 if viewer in SEES else 404), path
    if viewer in SEES:
        assert detail.json()["acronym"] == app.acronym
        assert app.pk in ids
    else:
        # The same answer as for an application that does not exist.
        assert detail.json() == client.get(_url(tenant_a, "applications/999999")).json()
        assert app.pk not in ids
    staff = viewer in {"director", "project_manager"}
    assert len(ids) == (2 if staff else 1 if viewer in SEES else 0)


def test_application_of_another_cluster_is_404_and_never_listed(
    tenant_a: Tenant, tenant_b: Tenant, people: People
) -> None:
    with scopes_disabled():
        theirs = eligible_application(tenant_b.cluster)
        their_people = people_around(tenant_b.cluster, theirs)
    for user in (tenant_a.director, people.coordinator, people.cleared_expert):
        client = _api(user)
        assert client.get(_url(tenant_a, f"applications/{theirs.pk}")).status_code == 404
        assert client.get(_url(tenant_b, f"applications/{theirs.pk}")).status_code == 404
        listed = client.get(_url(tenant_a, "applications")).json()["items"]
        assert theirs.pk not in [item["id"] for item in listed]
    # B's coordinator does not see A's application either.
    response = _api(their_people.coordinator).get(_url(tenant_a, f"applications/{people.app.pk}"))
    assert response.status_code == 404


def test_region_funder_sees_no_application(tenant_a: Tenant, people: People) -> None:
    client = _api(funder(tenant_a.cluster.region))
    assert client.get(_url(tenant_a, f"applications/{people.app.pk}")).status_code == 404
    assert client.get(_url(tenant_a, "applications")).json()["count"] == 0


def test_application_detail_has_consortium_totals_and_no_label_before_the_decision(
    tenant_a: Tenant, people: People
) -> None:
    with scopes_disabled():
        coordinator = coordinator_of(people.app)
    body = _api(people.coordinator).get(_url(tenant_a, f"applications/{people.app.pk}")).json()
    assert [p["role"] for p in body["partners"]] == ["coordinator", "partner"]
    assert body["partners"][0]["organisation"] == {"id": coordinator.pk, "name": coordinator.name}
    assert body["coordinator"]["id"] == coordinator.pk
    assert body["totals"] == {
        "budget": "2000000.00",
        "requested": "800000.00",
        "person_months": "0.0",
        "granted": "0.00",
    }
    assert body["label_number"] is None and body["label_date"] is None
    assert body["committee_session"] is not None
    assert body["state"] == "draft"


def test_application_list_filters_by_call_and_state(tenant_a: Tenant) -> None:
    with scopes_disabled():
        call = call_with_criteria(tenant_a.cluster)
        draft = eligible_application(tenant_a.cluster, call)
        submitted = eligible_application(tenant_a.cluster, call, state="submitted")
        elsewhere = eligible_application(tenant_a.cluster, state="submitted")
    client = _api(tenant_a.director)

    def ids(query: str) -> set[int]:
        response = client.get(_url(tenant_a, f"applications?{query}"))
        assert response.status_code == 200, response.json()
        return {item["id"] for item in response.json()["items"]}

    assert ids(f"call={call.pk}") == {draft.pk, submitted.pk}
    assert ids("state=submitted") == {submitted.pk, elsewhere.pk}
    assert ids(f"call={call.pk}&state=submitted") == {submitted.pk}
    assert client.get(_url(tenant_a, "applications?limit=1")).json()["count"] == 3


def test_application_list_with_an_unknown_state_is_422_naming_it(tenant_a: Tenant) -> None:
    response = _api(tenant_a.director).get(_url(tenant_a, "applications?state=approved"))
    assert response.status_code == 422
    assert "state" in _errors(response)


# -- creating and changing an application -----------------------------------------------------


def _draft_body(call: Call, coordinator: int, **extra: Any) -> dict[str, Any]:
    return {"call": call.pk, "coordinator": coordinator, "acronym": "NEW", "title": "T", **extra}


def test_member_creates_an_application_only_for_its_own_organisation(tenant_a: Tenant) -> None:
    with scopes_disabled():
        call = call_with_criteria(tenant_a.cluster)
        own, other = sme(tenant_a.cluster), sme(tenant_a.cluster)
        member = portal_account(tenant_a.cluster, own)
    client = _api(member)
    refused = _post(client, _url(tenant_a, "applications"), _draft_body(call, other.pk))
    assert refused.status_code == 400
    assert str(other.pk) in _errors(refused)["coordinator"]
    created = _post(client, _url(tenant_a, "applications"), _draft_body(call, own.pk))
    assert created.status_code == 201, created.json()
    assert created.json()["coordinator"]["id"] == own.pk
    with scopes_disabled():
        assert Application.objects.get().created_by == member


def test_staff_create_an_application_for_any_followed_organisation(tenant_a: Tenant) -> None:
    with scopes_disabled():
        call = call_with_criteria(tenant_a.cluster)
        followed = sme(tenant_a.cluster)
        unknown = organisation()
    client = _api(tenant_a.people[Role.PROJECT_MANAGER])
    stranger = _post(client, _url(tenant_a, "applications"), _draft_body(call, unknown.pk))
    assert stranger.status_code == 400
    assert "coordinator" in _errors(stranger)
    created = _post(client, _url(tenant_a, "applications"), _draft_body(call, followed.pk))
    assert created.status_code == 201


@pytest.mark.parametrize(
    "role", [Role.EVENT_MANAGER, Role.FINANCE, Role.EXPERT, Role.COMMITTEE_MEMBER]
)
def test_application_create_is_refused_to_other_roles(role: str, tenant_a: Tenant) -> None:
    with scopes_disabled():
        call = call_with_criteria(tenant_a.cluster)
        org = sme(tenant_a.cluster)
    client = _api(tenant_a.people[role])
    response = _post(client, _url(tenant_a, "applications"), _draft_body(call, org.pk))
    assert response.status_code == 403
    assert not Application.objects.with_scopes_disabled().exists()


@pytest.mark.parametrize(
    ("extra", "field", "status"),
    [
        ({"acronym": ""}, "acronym", 400),
        ({"trl_start": 12}, "trl_start", 400),
        ({"trl_start": 70000}, "trl_start", 422),
        ({"domains": [999999]}, "domains", 400),
        ({"title": None}, "title", 422),
    ],
)
def test_application_create_with_bad_input_names_the_field(
    extra: dict[str, Any], field: str, status: int, tenant_a: Tenant
) -> None:
    with scopes_disabled():
        call = call_with_criteria(tenant_a.cluster)
        org = sme(tenant_a.cluster)
    client = _api(tenant_a.director)
    response = _post(client, _url(tenant_a, "applications"), _draft_body(call, org.pk, **extra))
    assert response.status_code == status
    assert field in _errors(response)
    assert not Application.objects.with_scopes_disabled().exists()


def test_application_for_a_call_of_another_cluster_is_400(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        theirs = call_with_criteria(tenant_b.cluster)
        org = sme(tenant_a.cluster)
    response = _post(
        _api(tenant_a.director), _url(tenant_a, "applications"), _draft_body(theirs, org.pk)
    )
    assert response.status_code == 400
    assert _errors(response)["call"] == f"call {theirs.pk} is not a call of this cluster"


def test_application_update_by_the_coordinator_while_a_draft_only(
    tenant_a: Tenant, people: People
) -> None:
    url = _url(tenant_a, f"applications/{people.app.pk}")
    assert _patch(_api(people.partner), url, {"title": "Partner"}).status_code == 403
    assert _patch(_api(people.cleared_expert), url, {"title": "Expert"}).status_code == 403
    assert _patch(_api(people.other_member), url, {"title": "Other"}).status_code == 404
    changed = _patch(_api(people.coordinator), url, {"title": "Nouveau titre", "trl_start": 3})
    assert changed.status_code == 200
    assert (changed.json()["title"], changed.json()["trl_start"]) == ("Nouveau titre", 3)
    assert changed.json()["acronym"] == people.app.acronym
    _set_state(people.app, S.SUBMITTED)
    assert _patch(_api(people.coordinator), url, {"title": "Late"}).status_code == 403
    # The staff may correct it until review starts, not after.
    assert _patch(_api(tenant_a.director), url, {"title": "Corrigé"}).status_code == 200
    _set_state(people.app, S.UNDER_REVIEW)
    frozen = _patch(_api(tenant_a.director), url, {"title": "Too late"})
    assert frozen.status_code == 400
    assert list(_errors(frozen)) == [None]


# -- the consortium ---------------------------------------------------------------------------


def test_partner_rules_come_back_per_field(tenant_a: Tenant, people: People) -> None:
    with scopes_disabled():
        unknown = organisation()
        newcomer = lab(tenant_a.cluster)
    client = _api(people.coordinator)
    url = _url(tenant_a, f"applications/{people.app.pk}/partners")
    stranger = _post(client, url, {"organisation": unknown.pk})
    assert stranger.status_code == 400
    assert "organisation" in _errors(stranger)
    greedy = _post(
        client, url, {"organisation": newcomer.pk, "budget_eur": 10, "requested_aid_eur": 20}
    )
    assert greedy.status_code == 400
    assert "requested_aid_eur" in _errors(greedy)
    second = _post(client, url, {"organisation": newcomer.pk, "role": "coordinator"})
    assert second.status_code == 400
    assert "role" in _errors(second)
    negative = _post(client, url, {"organisation": newcomer.pk, "budget_eur": -1})
    assert negative.status_code == 422
    assert "budget_eur" in _errors(negative)
    assert _post(_api(people.partner), url, {"organisation": newcomer.pk}).status_code == 403
    with scopes_disabled():
        assert not Partner.objects.filter(organisation=newcomer).exists()


# -- the workflow: who may ask for which move -------------------------------------------------


def _move(client: Client, tenant: Tenant, app: Application, body: dict[str, Any]) -> Any:
    return _post(client, _url(tenant, f"applications/{app.pk}/transitions"), body)


@pytest.mark.parametrize(
    ("who", "state", "to"),
    [
        ("partner", S.DRAFT, S.SUBMITTED),  # of the consortium, not its coordinator
        ("partner", S.DRAFT, S.WITHDRAWN),
        ("coordinator", S.SUBMITTED, S.ELIGIBLE),
        ("coordinator", S.AT_COMMITTEE, S.LABELLED),
        ("cleared_expert", S.UNDER_REVIEW, S.AT_COMMITTEE),
        ("session_member", S.AT_COMMITTEE, S.LABELLED),
    ],
)
def test_transition_asked_by_the_wrong_role_is_403(
    who: str, state: str, to: str, tenant_a: Tenant, people: People
) -> None:
    _set_state(people.app, state)
    response = _move(_api(getattr(people, who)), tenant_a, people.app, {"to": to, "reason": "x"})
    assert response.status_code == 403
    assert response.json()["detail"]
    assert _state(people.app) == state


def test_transition_by_someone_who_does_not_see_the_application_is_404(
    tenant_a: Tenant, people: People
) -> None:
    for user in (people.other_member, people.uncleared_expert, tenant_a.people[Role.FINANCE]):
        response = _move(_api(user), tenant_a, people.app, {"to": "withdrawn"})
        assert response.status_code == 404
    assert _state(people.app) == S.DRAFT


def test_coordinator_submits_resubmits_and_withdraws(tenant_a: Tenant, people: People) -> None:
    client = _api(people.coordinator)
    assert _move(client, tenant_a, people.app, {"to": "submitted"}).status_code == 200
    _set_state(people.app, S.REVISE)
    assert _move(client, tenant_a, people.app, {"to": "submitted"}).status_code == 200
    assert _move(client, tenant_a, people.app, {"to": "withdrawn"}).status_code == 200
    assert _state(people.app) == S.WITHDRAWN


@pytest.mark.parametrize(
    ("who", "state", "to"),
    [
        ("coordinator", S.SUBMITTED, S.SUBMITTED),
        ("coordinator", S.WITHDRAWN, S.SUBMITTED),
        ("director", S.DRAFT, S.LABELLED),
        ("director", S.LABELLED, S.WITHDRAWN),
        ("director", S.SUBMITTED, S.UNDER_REVIEW),
    ],
)
def test_transition_from_the_wrong_state_is_400(
    who: str, state: str, to: str, tenant_a: Tenant, people: People
) -> None:
    _set_state(people.app, state)
    user = people.coordinator if who == "coordinator" else tenant_a.director
    response = _move(_api(user), tenant_a, people.app, {"to": to, "reason": "Motif."})
    assert response.status_code == 400
    assert response.json()["detail"]
    assert _state(people.app) == state


def test_transition_bad_input_names_the_field(
    tenant_a: Tenant, tenant_b: Tenant, people: People
) -> None:
    client = _api(tenant_a.director)
    unknown = _move(client, tenant_a, people.app, {"to": "approved"})
    assert unknown.status_code == 422
    assert "to" in _errors(unknown)
    missing = _move(client, tenant_a, people.app, {"reason": "x"})
    assert missing.status_code == 422
    assert "to" in _errors(missing)
    _set_state(people.app, S.AT_COMMITTEE)
    no_reason = _move(client, tenant_a, people.app, {"to": "labelled", "reason": "  "})
    assert no_reason.status_code == 400
    assert "reason" in _errors(no_reason)
    _set_state(people.app, S.UNDER_REVIEW)
    no_session = _move(client, tenant_a, people.app, {"to": "at_committee"})
    assert no_session.status_code == 400
    assert "session" in _errors(no_session)
    with scopes_disabled():
        theirs = committee(tenant_b.cluster)
    foreign = _move(client, tenant_a, people.app, {"to": "at_committee", "session": theirs.pk})
    assert foreign.status_code == 400
    assert "session" in _errors(foreign)
    assert _state(people.app) == S.UNDER_REVIEW


def test_transition_for_an_ineligible_consortium_lists_the_problems(tenant_a: Tenant) -> None:
    with scopes_disabled():
        alone = eligible_application(tenant_a.cluster, state="submitted")
        alone.partners.filter(role="partner").delete()
    response = _move(_api(tenant_a.director), tenant_a, alone, {"to": "eligible"})
    assert response.status_code == 400
    assert "at least 2 partners" in response.json()["detail"]


def test_transition_list_shows_the_moves_each_person_may_ask(
    tenant_a: Tenant, people: People
) -> None:
    url = _url(tenant_a, f"applications/{people.app.pk}/transitions")

    def moves(user: User) -> list[str]:
        return [m["to"] for m in _api(user).get(url).json()]

    assert moves(people.coordinator) == ["submitted", "withdrawn"]
    assert moves(people.partner) == []
    assert moves(tenant_a.director) == ["submitted", "withdrawn"]
    _set_state(people.app, S.AT_COMMITTEE)
    assert moves(people.coordinator) == ["withdrawn"]
    options = _api(tenant_a.director).get(url).json()
    assert [(m["to"], m["needs_reason"]) for m in options] == [
        ("labelled", True),
        ("not_labelled", True),
        ("revise", True),
        ("withdrawn", False),
    ]


# -- declarations and reviews -----------------------------------------------------------------


def _under_review(people: People) -> None:
    _set_state(people.app, S.UNDER_REVIEW)


def test_only_the_assigned_expert_declares_and_reviews(tenant_a: Tenant, people: People) -> None:
    _under_review(people)
    with scopes_disabled():
        other_expert = expert(tenant_a.cluster).user
    declaration = _url(tenant_a, f"assignments/{people.assignment.pk}/declaration")
    review_url = _url(tenant_a, f"assignments/{people.assignment.pk}/review")
    for user in (
        other_expert,
        people.uncleared_expert,
        tenant_a.director,
        people.coordinator,
        tenant_a.people[Role.EXPERT],
    ):
        client = _api(user)
        assert _post(client, declaration, {"conflict": False}).status_code == 404
        assert client.get(declaration).status_code == 404
        assert _put(client, review_url, {"comments": "Me"}).status_code == 404
        assert client.get(review_url).status_code == 404
    with scopes_disabled():
        assert not Review.objects.exists()
    saved = _put(_api(people.cleared_expert), review_url, {"comments": "Mine"})
    assert saved.status_code == 200
    assert saved.json()["submitted_at"] is None


def test_an_expert_sees_the_application_only_after_declaring_no_conflict(
    tenant_a: Tenant, people: People
) -> None:
    client = _api(people.uncleared_expert)
    pending = people.pending_assignment
    listed = client.get(_url(tenant_a, "assignments")).json()["items"]
    assert [(a["id"], a["acronym"], a["review"]) for a in listed] == [(pending.pk, None, "none")]
    assert client.get(_url(tenant_a, f"applications/{people.app.pk}")).status_code == 404
    declared = _post(
        client, _url(tenant_a, f"assignments/{pending.pk}/declaration"), {"conflict": False}
    )
    assert declared.status_code == 200
    assert declared.json()["acronym"] == people.app.acronym
    assert declared.json()["no_conflict_declared_at"]
    assert client.get(_url(tenant_a, f"applications/{people.app.pk}")).status_code == 200


def test_a_declared_conflict_needs_its_reason_and_ends_the_assignment(
    tenant_a: Tenant, people: People
) -> None:
    client = _api(people.uncleared_expert)
    url = _url(tenant_a, f"assignments/{people.pending_assignment.pk}/declaration")
    no_reason = _post(client, url, {"conflict": True})
    assert no_reason.status_code == 400
    assert "reason" in _errors(no_reason)
    missing = _post(client, url, {"reason": "x"})
    assert missing.status_code == 422
    assert "conflict" in _errors(missing)
    declared = _post(client, url, {"conflict": True, "reason": "J'ai conseillé la PME."})
    assert declared.status_code == 204
    with scopes_disabled():
        conflict = Conflict.objects.get()
        assert not ReviewAssignment.objects.filter(pk=people.pending_assignment.pk).exists()
    assert (conflict.source, conflict.expert.user) == ("declared", people.uncleared_expert)
    assert client.get(url).status_code == 404
    assert client.get(_url(tenant_a, f"applications/{people.app.pk}")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"scores": {"CRIT": 9}}, "scores.CRIT", 400),  # above the call's maximum (5)
        ({"scores": {"CRIT": -1}}, "scores.CRIT", 400),
        ({"scores": {"999999": 3}}, "scores.999999", 400),  # not a criterion of the call
        ({"scores": {"CRIT": "high"}}, "scores.CRIT", 422),
        ({"submit": True, "recommendation": "label"}, "scores", 400),  # not every criterion
        ({"recommendation": "maybe"}, "recommendation", 422),
    ],
)
def test_review_bad_input_names_the_field(
    body: dict[str, Any], field: str, status: int, tenant_a: Tenant, people: People
) -> None:
    _under_review(people)
    with scopes_disabled():
        criterion = people.app.call.criteria.first()
    assert criterion is not None
    field = field.replace("CRIT", str(criterion.pk))
    if "scores" in body:
        body = body | {
            "scores": {k.replace("CRIT", str(criterion.pk)): v for k, v in body["scores"].items()}
        }
    url = _url(tenant_a, f"assignments/{people.assignment.pk}/review")
    response = _put(_api(people.cleared_expert), url, body)
    assert response.status_code == status, response.json()
    assert field in _errors(response)
    with scopes_disabled():
        assert not Review.objects.filter(submitted_at__isnull=False).exists()


def test_review_refused_before_the_declaration_or_outside_review(
    tenant_a: Tenant, people: People
) -> None:
    _under_review(people)
    early = _put(
        _api(people.uncleared_expert),
        _url(tenant_a, f"assignments/{people.pending_assignment.pk}/review"),
        {"comments": "x"},
    )
    assert early.status_code == 400
    assert "conflict" in early.json()["detail"]
    _set_state(people.app, S.AT_COMMITTEE)
    late = _put(
        _api(people.cleared_expert),
        _url(tenant_a, f"assignments/{people.assignment.pk}/review"),
        {"comments": "x"},
    )
    assert late.status_code == 400


def test_a_submitted_review_cannot_change(tenant_a: Tenant, people: People) -> None:
    _under_review(people)
    with scopes_disabled():
        review(people.assignment)
    url = _url(tenant_a, f"assignments/{people.assignment.pk}/review")
    client = _api(people.cleared_expert)
    assert client.get(url).json()["recommendation"] == "label"
    assert _put(client, url, {"comments": "Changed"}).status_code == 400


def test_reviews_are_all_for_the_staff_and_committee_and_their_own_for_an_expert(
    tenant_a: Tenant, people: People
) -> None:
    with scopes_disabled():
        mine = review(people.assignment, score=4)
        third = expert(tenant_a.cluster)
        theirs = review(assign(people.app, third), score=2)
    url = _url(tenant_a, f"applications/{people.app.pk}/reviews")
    everything = _api(tenant_a.people[Role.PROJECT_MANAGER]).get(url).json()
    assert {r["id"] for r in everything} == {mine.pk, theirs.pk}
    assert {len(r["scores"]) for r in everything} == {2}
    own = _api(people.cleared_expert).get(url).json()
    assert [(r["id"], r["weighted_score"]) for r in own] == [(mine.pk, 4.0)]
    # The members of its committee session read the reviews handed in (issue 15, point 1).
    committee = _api(people.session_member).get(url).json()
    assert {r["id"] for r in committee} == {mine.pk, theirs.pk}
    for user in (people.coordinator, people.partner):
        assert _api(user).get(url).status_code == 403
    for user in (people.uncleared_expert, people.other_member):
        assert _api(user).get(url).status_code == 404


def test_assignments_list_is_the_experts_own(tenant_a: Tenant, people: People) -> None:
    with scopes_disabled():
        other = eligible_application(tenant_a.cluster)
        assign(other, expert(tenant_a.cluster))
    body = _api(people.cleared_expert).get(_url(tenant_a, "assignments")).json()
    assert [a["id"] for a in body["items"]] == [people.assignment.pk]
    assert body["items"][0]["acronym"] == people.app.acronym
    assert _api(tenant_a.director).get(_url(tenant_a, "assignments")).status_code == 403


# -- committee sessions -----------------------------------------------------------------------


def test_committee_sessions_for_the_staff_and_their_members_only(
    tenant_a: Tenant, people: People
) -> None:
    with scopes_disabled():
        session = CommitteeSession.objects.get()
        other = committee(tenant_a.cluster, tenant_a.people[Role.COMMITTEE_MEMBER])
    staff = _api(tenant_a.people[Role.PROJECT_MANAGER])
    listed = staff.get(_url(tenant_a, "committee-sessions")).json()
    assert {s["id"] for s in listed["items"]} == {session.pk, other.pk}
    member = _api(people.session_member)
    assert [s["id"] for s in member.get(_url(tenant_a, "committee-sessions")).json()["items"]] == [
        session.pk
    ]
    detail = member.get(_url(tenant_a, f"committee-sessions/{session.pk}"))
    assert detail.status_code == 200
    assert [a["id"] for a in detail.json()["agenda"]] == [people.app.pk]
    assert [m["id"] for m in detail.json()["members"]] == [people.session_member.pk]
    assert member.get(_url(tenant_a, f"committee-sessions/{other.pk}")).status_code == 404
    for user in (people.coordinator, people.cleared_expert, tenant_a.people[Role.FINANCE]):
        client = _api(user)
        assert client.get(_url(tenant_a, "committee-sessions")).status_code == 403
        assert client.get(_url(tenant_a, f"committee-sessions/{session.pk}")).status_code == 404


# -- funding ----------------------------------------------------------------------------------


def _funding_body(**extra: Any) -> dict[str, Any]:
    return {"funder": "bpifrance", "status": "submitted", "submitted_on": "2026-05-01", **extra}


def test_funding_is_recorded_by_the_staff_only(tenant_a: Tenant, people: People) -> None:
    _set_state(people.app, S.LABELLED)
    url = _url(tenant_a, f"applications/{people.app.pk}/fundings")
    for user in (people.coordinator, people.cleared_expert, people.session_member):
        assert _post(_api(user), url, _funding_body()).status_code == 403
    assert _post(_api(tenant_a.people[Role.FINANCE]), url, _funding_body()).status_code == 404
    assert not FundingApplication.objects.with_scopes_disabled().exists()
    created = _post(_api(tenant_a.director), url, _funding_body())
    assert created.status_code == 201, created.json()
    # The consortium follows its funding.
    assert [f["id"] for f in _api(people.coordinator).get(url).json()] == [created.json()["id"]]


def test_funding_rules_come_back_per_field(tenant_a: Tenant, people: People) -> None:
    with scopes_disabled():
        elsewhere = eligible_application(tenant_a.cluster).partners.first()
    assert elsewhere is not None
    url = _url(tenant_a, f"applications/{people.app.pk}/fundings")
    client = _api(tenant_a.director)
    draft = _post(client, url, _funding_body())
    assert draft.status_code == 400  # not labelled
    _set_state(people.app, S.LABELLED)
    undated = _post(client, url, _funding_body(status="granted"))
    assert undated.status_code == 400
    assert "decided_on" in _errors(undated)
    foreign = _post(client, url, _funding_body(lines=[{"partner": elsewhere.pk}]))
    assert foreign.status_code == 400
    assert "lines.0.partner" in _errors(foreign)
    negative = _post(client, url, _funding_body(lines=[{"partner": 1, "requested_eur": -3}]))
    assert negative.status_code == 422
    assert "lines.0.requested_eur" in _errors(negative)
    unknown = _post(client, url, _funding_body(funder="santa"))
    assert unknown.status_code == 422
    assert "funder" in _errors(unknown)
    assert not FundingApplication.objects.with_scopes_disabled().exists()


# -- calls ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DIRECTOR, 200),
        (Role.PROJECT_MANAGER, 200),
        (Role.MEMBER, 200),
        (Role.FINANCE, 403),
        (Role.EXPERT, 403),
        (Role.COMMITTEE_MEMBER, 403),
    ],
)
def test_calls_are_read_with_view_calls(role: str, status: int, tenant_a: Tenant) -> None:
    with scopes_disabled():
        call = call_with_criteria(tenant_a.cluster)
    client = _api(tenant_a.people[role])
    assert client.get(_url(tenant_a, "calls")).status_code == status
    detail = client.get(_url(tenant_a, f"calls/{call.pk}"))
    assert detail.status_code == status
    if status == 200:
        assert len(detail.json()["criteria"]) == 2
        assert detail.json()["is_open"] is True


@pytest.mark.parametrize("role", [Role.MEMBER, Role.FINANCE, Role.EVENT_MANAGER])
def test_calls_are_written_by_the_project_staff_only(role: str, tenant_a: Tenant) -> None:
    with scopes_disabled():
        call = call_with_criteria(tenant_a.cluster)
    client = _api(tenant_a.people[role])
    body = {"title": "X", "opens_on": "2026-01-01"}
    assert _post(client, _url(tenant_a, "calls"), body).status_code == 403
    assert _patch(client, _url(tenant_a, f"calls/{call.pk}"), {"title": "Y"}).status_code == 403
    with scopes_disabled():
        assert list(Call.objects.values_list("title", flat=True)) == [call.title]


def test_call_update_changes_the_fields_sent_and_adds_criteria(tenant_a: Tenant) -> None:
    with scopes_disabled():
        call = call_with_criteria(tenant_a.cluster, criteria=1, reference="AAP-1")
    response = _patch(
        _api(tenant_a.people[Role.PROJECT_MANAGER]),
        _url(tenant_a, f"calls/{call.pk}"),
        {"closes_on": "2026-12-31", "add_criteria": [{"name": "Faisabilité", "weight": "1.5"}]},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["closes_on"], body["reference"]) == ("2026-12-31", "AAP-1")
    assert [(c["name"], c["weight"]) for c in body["criteria"]][1:] == [("Faisabilité", "1.50")]


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"closes_on": "2019-01-01"}, "closes_on", 400),
        ({"title": ""}, "title", 400),
        ({"kind": "lottery"}, "kind", 422),
        ({"score_max": 0}, "score_max", 400),
        ({"score_max": 99999}, "score_max", 422),
        ({"opens_on": None}, "opens_on", 422),
        ({"add_criteria": [{"name": "X", "weight": 0}]}, "add_criteria.0.weight", 422),
        ({"add_criteria": [{"name": ""}]}, "add_criteria.0.name", 422),
        ({"domains": [999999]}, "domains", 400),
    ],
)
def test_call_bad_input_names_the_field(
    body: dict[str, Any], field: str, status: int, tenant_a: Tenant
) -> None:
    with scopes_disabled():
        call = call_with_criteria(tenant_a.cluster)
    response = _patch(_api(tenant_a.director), _url(tenant_a, f"calls/{call.pk}"), body)
    assert response.status_code == status, response.json()
    assert field in _errors(response)
    with scopes_disabled():
        assert Call.objects.get().title == call.title
        assert call.criteria.count() == 2


def test_call_create_is_atomic_with_its_criteria(tenant_a: Tenant) -> None:
    response = _post(
        _api(tenant_a.director),
        _url(tenant_a, "calls"),
        {"title": "X", "opens_on": "2026-01-01", "criteria": [{"name": "A", "weight": -1}]},
    )
    assert response.status_code == 422
    assert "criteria.0.weight" in _errors(response)
    assert not Call.objects.with_scopes_disabled().exists()


# -- scoping of the writes --------------------------------------------------------------------


def _writes(people: People) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Each write route on ``people``'s objects: the role of the other cluster's person who
    would be allowed it on their own, the method, the path and a valid body."""
    app, assignment = people.app, people.assignment
    with scopes_disabled():
        org = coordinator_of(app)
    return [
        (Role.DIRECTOR, "patch", f"calls/{app.call_id}", {"title": "Changed"}),
        (Role.DIRECTOR, "patch", f"applications/{app.pk}", {"title": "Changed"}),
        (
            Role.DIRECTOR,
            "post",
            f"applications/{app.pk}/partners",
            {"organisation": org.pk, "budget_eur": 1},
        ),
        (Role.DIRECTOR, "post", f"applications/{app.pk}/transitions", {"to": "withdrawn"}),
        (Role.DIRECTOR, "post", f"applications/{app.pk}/fundings", _funding_body()),
        (
            Role.EXPERT,
            "post",
            f"assignments/{assignment.pk}/declaration",
            {"conflict": True, "reason": "x"},
        ),
        (Role.EXPERT, "put", f"assignments/{assignment.pk}/review", {"comments": "Changed"}),
    ]


def test_write_on_another_clusters_object_is_404_and_changes_nothing(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        theirs = people_around(tenant_b.cluster, eligible_application(tenant_b.cluster))
        # Tenant A's expert has a profile in A, as B's expert has in B.
        expert(tenant_a.cluster, tenant_a.people[Role.EXPERT])
    _set_state(theirs.app, S.UNDER_REVIEW)
    for role, method, path, body in _writes(theirs):
        send = getattr(_api(tenant_a.people[role]), method)
        for through in (tenant_a, tenant_b):
            response = send(_url(through, path), body, content_type="application/json")
            assert response.status_code == 404, (method, path, through.cluster.slug)
    with scopes_disabled():
        app = Application.objects.get(pk=theirs.app.pk)
        assert app.title != "Changed" and app.call.title != "Changed"
        assert app.state == S.UNDER_REVIEW
        assert not Partner.objects.filter(application=app, budget_eur=1).exists()
        assert not Conflict.objects.exists()
        assert not Review.objects.exists()
        assert not FundingApplication.objects.exists()
    # The control: B's own people are not refused the same writes.
    expert_b = _api(theirs.cleared_expert)
    saved = _put(expert_b, _url(tenant_b, f"assignments/{theirs.assignment.pk}/review"), {})
    assert saved.status_code == 200
    patched = _patch(_api(tenant_b.director), _url(tenant_b, f"calls/{app.call_id}"), {})
    assert patched.status_code == 200


# -- queries ----------------------------------------------------------------------------------


def _fill(kind: str, tenant: Tenant, viewer: User, count: int) -> str:
    """``count`` more items of the list ``viewer`` reads; its path."""
    cluster = tenant.cluster
    with scopes_disabled():
        anchor = Application.objects.filter(cluster=cluster, acronym="ANCHOR").first()
        if anchor is None:
            anchor = eligible_application(cluster, acronym="ANCHOR", state="labelled")
        profile = ExpertProfile.objects.filter(cluster=cluster, user=viewer).first()
        for _ in range(count):
            if kind in ("applications", "member_applications"):
                app = eligible_application(cluster)
                app.domains.add(domain(cluster))
                if kind == "member_applications":
                    portal_account(cluster, coordinator_of(app), viewer)
            elif kind == "calls":
                call_with_criteria(cluster)
            elif kind == "assignments":
                profile = profile or expert(cluster, viewer)
                review(assign(eligible_application(cluster), profile), submitted=False)
            elif kind == "committee-sessions":
                committee(cluster, viewer, agenda=(eligible_application(cluster),))
            elif kind == "reviews":
                review(assign(anchor, expert(cluster)))
            elif kind == "fundings":
                funding(anchor, granted=Decimal(1000))
            elif kind == "partners":
                anchor.partners.create(cluster=cluster, organisation=lab(cluster))
    if kind in ("reviews", "fundings", "partners"):
        return f"applications/{anchor.pk}/{kind}"
    return "applications" if kind == "member_applications" else kind


LISTS: dict[str, Callable[[Tenant], User]] = {
    "applications": lambda t: t.director,
    "member_applications": lambda t: person(t.cluster, Role.MEMBER),
    "calls": lambda t: t.people[Role.MEMBER],
    "assignments": lambda t: person(t.cluster, Role.EXPERT),
    "committee-sessions": lambda t: t.people[Role.COMMITTEE_MEMBER],
    "reviews": lambda t: t.director,
    "fundings": lambda t: t.director,
    "partners": lambda t: t.director,
}


def _items(response: Any) -> list[Any]:
    body = response.json()
    return body["items"] if isinstance(body, dict) else body


@pytest.mark.parametrize("kind", sorted(LISTS))
def test_list_needs_as_many_queries_for_ten_items_as_for_one(
    kind: str, tenant_a: Tenant, django_assert_max_num_queries: Any
) -> None:
    with scopes_disabled():
        viewer = LISTS[kind](tenant_a)
    url = _url(tenant_a, _fill(kind, tenant_a, viewer, 1))
    client = _api(viewer)
    with CaptureQueriesContext(connection) as one:
        before = len(_items(client.get(url)))
    assert before >= 1
    _fill(kind, tenant_a, viewer, 9)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(_items(client.get(url))) == before + 9


def test_application_detail_dates_are_iso(tenant_a: Tenant, people: People) -> None:
    with scopes_disabled():
        Application.objects.filter(pk=people.app.pk).update(
            state="labelled", label_number="ALPHA-2026-007", label_date=datetime.date(2026, 3, 1)
        )
    body = _api(tenant_a.director).get(_url(tenant_a, f"applications/{people.app.pk}")).json()
    assert (body["label_number"], body["label_date"]) == ("ALPHA-2026-007", "2026-03-01")
