"""The labelling API's object routes for the generic leak test (tests/test_leaks.py).

Each ninja operation is its own URL pattern. The leak test sends a bodiless request, which
ninja refuses (400/422) before the handler for a route whose body is required: each POST
or PUT route with a required body therefore shares its path with a GET, and its case
checks that path by GET. The writes themselves are checked across clusters, with valid
bodies, by ``test_write_on_another_clusters_object_is_404_and_changes_nothing`` in
tests/api/test_projects_api.py. A PATCH with no body changes nothing, so it answers 200
for the cluster's own object.

The viewer is the person the route is for: the project staff (the director) for calls and
staff routes, a member of the consortium for an application's file, the tenant's expert
(with their profile and a cleared assignment) for the assignment routes, a member of the
session for a committee session.
"""

from __future__ import annotations

from typing import Any

from clusterdesk.core.roles import Role
from tests.api.projects_factories import (
    assign,
    call_with_criteria,
    committee,
    coordinator_of,
    eligible_application,
    expert,
    portal_account,
    review,
)
from tests.leak_cases import LeakCase


def _call(tenant: Any) -> dict[str, Any]:
    return {"call_id": call_with_criteria(tenant.cluster).pk}


def _application(tenant: Any) -> dict[str, Any]:
    return {"application_id": eligible_application(tenant.cluster).pk}


def _members_application(tenant: Any) -> dict[str, Any]:
    """A draft whose coordinator the tenant's member speaks for."""
    app = eligible_application(tenant.cluster)
    portal_account(tenant.cluster, coordinator_of(app), tenant.people[Role.MEMBER])
    return {"application_id": app.pk}


def _assignment(tenant: Any) -> dict[str, Any]:
    """The tenant's expert, cleared on an application under review, with a saved review."""
    app = eligible_application(tenant.cluster, state="under_review")
    assignment = assign(app, expert(tenant.cluster, tenant.people[Role.EXPERT]))
    review(assignment, submitted=False)
    return {"assignment_id": assignment.pk}


def _session(tenant: Any) -> dict[str, Any]:
    member = tenant.people[Role.COMMITTEE_MEMBER]
    app = eligible_application(tenant.cluster, state="at_committee")
    return {"session_id": committee(tenant.cluster, member, agenda=(app,)).pk}


LEAK_CASES: dict[str, LeakCase] = {
    "api-v1:projects_call_detail": LeakCase(_call, viewer=Role.MEMBER),
    "api-v1:projects_call_update": LeakCase(_call, method="patch"),
    "api-v1:projects_application_detail": LeakCase(_members_application, viewer=Role.MEMBER),
    "api-v1:projects_application_update": LeakCase(
        _members_application, viewer=Role.MEMBER, method="patch"
    ),
    "api-v1:projects_partner_list": LeakCase(_members_application, viewer=Role.MEMBER),
    "api-v1:projects_partner_save": LeakCase(_application),
    "api-v1:projects_transition_list": LeakCase(_members_application, viewer=Role.MEMBER),
    "api-v1:projects_application_transition": LeakCase(_application),
    "api-v1:projects_review_list": LeakCase(_application),
    "api-v1:projects_funding_list": LeakCase(_application),
    "api-v1:projects_funding_create": LeakCase(_application),
    "api-v1:projects_assignment_declaration_detail": LeakCase(_assignment, viewer=Role.EXPERT),
    "api-v1:projects_assignment_declare": LeakCase(_assignment, viewer=Role.EXPERT),
    "api-v1:projects_review_detail": LeakCase(_assignment, viewer=Role.EXPERT),
    "api-v1:projects_review_save": LeakCase(_assignment, viewer=Role.EXPERT),
    "api-v1:projects_session_detail": LeakCase(_session, viewer=Role.COMMITTEE_MEMBER),
}
