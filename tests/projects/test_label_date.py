"""A label is never dated in the future: a decision recorded before its session's date
bears the decision's date (issue 15, point 16)."""

from __future__ import annotations

import datetime

import time_machine
from django_scopes import scope, scopes_disabled

from clusterdesk.projects.models import Application, CommitteeSession
from clusterdesk.projects.services.workflow import application_transition
from tests.conftest import Tenant
from tests.projects.factories_staff import eligible_application

S = Application.State


def _decide(tenant: Tenant, session_day: datetime.date, decided: datetime.datetime) -> Application:
    with scopes_disabled():
        session = CommitteeSession.objects.create(
            cluster=tenant.cluster, title="Comité de décembre", date=session_day
        )
        app = eligible_application(tenant.cluster, state=S.AT_COMMITTEE, committee_session=session)
    with time_machine.travel(decided, tick=False), scope(cluster=tenant.cluster):
        return application_transition(
            actor=tenant.director, application=app, to=S.LABELLED, reason="Structurant."
        )


def test_a_decision_before_its_session_is_dated_the_day_of_the_decision(
    tenant_a: Tenant,
) -> None:
    app = _decide(
        tenant_a,
        datetime.date(2026, 12, 15),
        datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC),
    )
    assert app.label_date == datetime.date(2026, 12, 6)
    assert app.label_number.split("-")[-2] == "2026"


def test_a_decision_after_its_session_bears_the_session_date(tenant_a: Tenant) -> None:
    app = _decide(
        tenant_a,
        datetime.date(2026, 3, 1),
        datetime.datetime(2026, 3, 4, 10, tzinfo=datetime.UTC),
    )
    assert app.label_date == datetime.date(2026, 3, 1)
