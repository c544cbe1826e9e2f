"""The labelling services decide who may do what themselves: whoever calls them (a page,
the API, a task) gets the same refusal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from clusterdesk.core.errors import NotAllowed, NotVisible
from clusterdesk.core.roles import Role
from clusterdesk.projects.models import Application, Call, Conflict
from clusterdesk.projects.selectors.applications import application_moves_for
from clusterdesk.projects.services.calls import call_save
from clusterdesk.projects.services.reviews import conflict_record
from clusterdesk.projects.services.workflow import application_transition
from tests.conftest import Tenant
from tests.factories import ContactFactory, OrganisationFactory, UserFactory, application, grant
from tests.projects.factories_portal import assign, expert_profile

S = Application.State


@pytest.fixture
def file(tenant_a: Tenant) -> dict[str, object]:
    """A draft of an SME (coordinator) with a lab; a contact of each with a portal account."""
    with scopes_disabled():
        sme = OrganisationFactory(kind="pme", headcount_band="12")
        lab = OrganisationFactory(kind="research_org")
        app = application(
            tenant_a.cluster, partners=((sme, "coordinator"), (lab, "partner")), summary="Résumé"
        )
        people = {}
        for name, org in (("coordinator", sme), ("partner", lab)):
            people[name] = grant(UserFactory(), tenant_a.cluster, Role.MEMBER)
            ContactFactory(cluster=tenant_a.cluster, organisation=org, user=people[name])
    return {"app": app, **people}


def test_moves_offered_are_the_moves_the_service_accepts(
    tenant_a: Tenant, file: dict[str, object]
) -> None:
    app = file["app"]
    assert isinstance(app, Application)
    with scope(cluster=tenant_a.cluster):
        moves = {
            who: application_moves_for(actor=user, application=app)
            for who, user in (
                ("staff", tenant_a.people[Role.PROJECT_MANAGER]),
                ("coordinator", file["coordinator"]),
                ("partner", file["partner"]),
                ("expert", tenant_a.people[Role.EXPERT]),
            )
        }
    assert moves == {
        "staff": [S.SUBMITTED, S.WITHDRAWN],
        "coordinator": [S.SUBMITTED, S.WITHDRAWN],
        "partner": [],
        "expert": [],
    }


def test_transition_refuses_by_visibility_then_by_role(
    tenant_a: Tenant, file: dict[str, object]
) -> None:
    app = file["app"]
    assert isinstance(app, Application)
    with scope(cluster=tenant_a.cluster):
        # Not even seen: the same answer as a missing application.
        with pytest.raises(NotVisible):
            application_transition(
                actor=tenant_a.people[Role.EXPERT], application=app, to=S.SUBMITTED
            )
        # Seen, but not theirs to submit.
        with pytest.raises(NotAllowed):
            application_transition(actor=file["partner"], application=app, to=S.SUBMITTED)
        application_transition(actor=file["coordinator"], application=app, to=S.SUBMITTED)
        # The coordinator does not decide eligibility, even when the workflow allows it.
        with pytest.raises(NotAllowed):
            application_transition(actor=file["coordinator"], application=app, to=S.ELIGIBLE)
        application_transition(
            actor=tenant_a.people[Role.PROJECT_MANAGER], application=app, to=S.ELIGIBLE
        )
        app.refresh_from_db()
    assert app.state == S.ELIGIBLE


def test_call_save_is_the_project_staffs_and_saves_criteria_with_the_call(
    tenant_a: Tenant,
) -> None:
    values = {"title": "AAP 2027", "opens_on": datetime.date(2026, 1, 1)}
    with scope(cluster=tenant_a.cluster):
        with pytest.raises(NotAllowed):
            call_save(actor=tenant_a.people[Role.MEMBER], call=Call(cluster=tenant_a.cluster))
        with pytest.raises(ValidationError):
            call_save(
                actor=tenant_a.director,
                call=Call(cluster=tenant_a.cluster),
                criteria=[
                    {"name": "Innovation", "weight": Decimal(2)},
                    {"name": "Bad", "weight": 0},
                ],
                **values,
            )
        assert not Call.objects.filter(title="AAP 2027").exists()  # neither the call
        call = call_save(
            actor=tenant_a.director,
            call=Call(cluster=tenant_a.cluster),
            criteria=[{"name": "Innovation", "weight": Decimal(2)}],
            **values,
        )
        assert [c.name for c in call.criteria.all()] == ["Innovation"]


def test_conflict_declared_only_by_the_assigned_expert_for_themselves(
    tenant_a: Tenant, file: dict[str, object]
) -> None:
    app = file["app"]
    assert isinstance(app, Application)
    other = grant(UserFactory(), tenant_a.cluster, Role.EXPERT)
    with scopes_disabled():
        assignment = assign(app, tenant_a.people[Role.EXPERT])
        stranger = expert_profile(tenant_a.cluster, other)
    with scope(cluster=tenant_a.cluster):
        declared = {"reason": "Ancien salarié", "source": Conflict.Source.DECLARED}
        with pytest.raises(NotVisible):  # not assigned: the application is unknown to them
            conflict_record(actor=other, application=app, expert=stranger, **declared)
        with pytest.raises(NotAllowed):  # assigned, but not for someone else
            conflict_record(
                actor=tenant_a.people[Role.EXPERT], application=app, expert=stranger, **declared
            )
        with pytest.raises(NotAllowed):  # staff's record needs the staff
            conflict_record(
                actor=file["coordinator"],
                application=app,
                expert=assignment.expert,
                reason="x",
                source=Conflict.Source.STAFF,
            )
        conflict_record(
            actor=tenant_a.people[Role.EXPERT],
            application=app,
            expert=assignment.expert,
            **declared,
        )
        assert not app.assignments.exists()
