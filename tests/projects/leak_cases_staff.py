"""The staff's labelling routes that take an object identifier, for the generic leak test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clusterdesk.projects.models import Application, FundingApplication, ReviewAssignment
from tests.leak_cases import LeakCase
from tests.projects.factories_staff import (
    committee_session,
    document,
    eligible_application,
    expert,
    new_call,
)


def _call(tenant: Any) -> dict[str, Any]:
    return {"call_id": new_call(tenant.cluster).pk}


def _app(state: str = "draft", **extra: Any) -> Callable[[Any], dict[str, Any]]:
    def kwargs(tenant: Any) -> dict[str, Any]:
        return {"app_id": eligible_application(tenant.cluster, state=state).pk, **extra}

    return kwargs


def _of_app(
    make: Callable[[Application], Any], state: str = "draft"
) -> Callable[[Any], dict[str, Any]]:
    """URL kwargs for an object (made by ``make(application)``) of a new application."""

    def kwargs(tenant: Any) -> dict[str, Any]:
        app = eligible_application(tenant.cluster, state=state)
        return {"app_id": app.pk, "pk": make(app).pk}

    return kwargs


def _research_partner(app: Application) -> Any:
    return app.partners.get(role="partner")


def _funding(app: Application) -> FundingApplication:
    return FundingApplication.objects.create(cluster=app.cluster, application=app, funder="fui")


def _assignment(tenant: Any) -> dict[str, Any]:
    app = eligible_application(tenant.cluster, state="eligible")
    pair = ReviewAssignment.objects.create(
        cluster=tenant.cluster, application=app, expert=expert(tenant.cluster)
    )
    return {"call_id": app.call_id, "pk": pair.pk, "action": "lock"}


LEAK_CASES: dict[str, LeakCase] = {
    "labelling:call": LeakCase(_call),
    "labelling:call_edit": LeakCase(_call),
    "labelling:assignment_action": LeakCase(_assignment, method="post"),
    "labelling:application": LeakCase(_app()),
    "labelling:application_edit": LeakCase(_app()),
    "labelling:application_transition": LeakCase(_app("submitted", to="eligible")),
    "labelling:partner_create": LeakCase(_app()),
    "labelling:partner_suggestions": LeakCase(_app()),
    "labelling:partner_edit": LeakCase(_of_app(_research_partner)),
    "labelling:partner_remove": LeakCase(_of_app(_research_partner), method="post"),
    "labelling:document_add": LeakCase(_app()),
    "labelling:document": LeakCase(_of_app(document)),
    "labelling:project_edit": LeakCase(_app("labelled")),
    "labelling:funding_create": LeakCase(_app("labelled")),
    "labelling:funding_edit": LeakCase(_of_app(_funding, state="labelled")),
    "labelling:session": LeakCase(lambda t: {"session_id": committee_session(t.cluster).pk}),
    "labelling:session_edit": LeakCase(lambda t: {"session_id": committee_session(t.cluster).pk}),
    "labelling:expert_edit": LeakCase(lambda t: {"pk": expert(t.cluster).pk}),
}
