"""The support API's object routes for the generic leak test (tests/test_leaks.py).

A POST route with a required body shares its path with a GET, and its case checks that
path by GET (see tests/api/projects_leak_cases.py); a PATCH without a body changes
nothing and answers 200 for the cluster's own object. The writes themselves are checked
across clusters with valid bodies in tests/support/test_api.py."""

from __future__ import annotations

from typing import Any

from clusterdesk.core.roles import Role
from tests.leak_cases import LeakCase
from tests.support.leak_cases import _case, _expert, _mission


def _api_expert(tenant: Any) -> dict[str, Any]:
    return {"expert_id": _expert(tenant)["pk"]}


def _api_mission(tenant: Any) -> dict[str, Any]:
    return {"mission_id": _mission(tenant)["pk"]}


LEAK_CASES: dict[str, LeakCase] = {
    "api-v1:support_case_detail": LeakCase(_case),
    "api-v1:support_case_update": LeakCase(_case, method="patch"),
    "api-v1:support_action_list": LeakCase(_case),
    "api-v1:support_action_create": LeakCase(_case),
    "api-v1:support_outcome_list": LeakCase(_case),
    "api-v1:support_outcome_create": LeakCase(_case),
    "api-v1:support_mission_list": LeakCase(_case),
    "api-v1:support_mission_create": LeakCase(_case),
    "api-v1:support_mission_detail": LeakCase(_api_mission, viewer=Role.EXPERT),
    "api-v1:support_mission_update": LeakCase(_api_mission, viewer=Role.EXPERT, method="patch"),
    "api-v1:support_expert_detail": LeakCase(_api_expert),
    "api-v1:support_expert_update": LeakCase(_api_expert, method="patch"),
    "api-v1:support_conflict_list": LeakCase(_api_expert),
    "api-v1:support_conflict_create": LeakCase(_api_expert),
}
