"""The support routes that name an object, and how to make one in a cluster: a case of a
followed company (seen by the director), an expert, a mission of the tenant's expert, a
funding programme; the portal's case of the tenant's member."""

from __future__ import annotations

from typing import Any

from clusterdesk.core.roles import Role
from clusterdesk.support.models import FundingProgramme
from tests.leak_cases import LeakCase
from tests.support.factories import case, case_with_expert, expert, mission_of


def _case(tenant: Any) -> dict[str, Any]:
    return {"case_id": case(tenant).pk}


def _expert(tenant: Any) -> dict[str, Any]:
    return {"pk": expert(tenant).pk}


def _mission(tenant: Any) -> dict[str, Any]:
    c, _e = case_with_expert(tenant)
    return {"pk": mission_of(c).pk}


def _programme(tenant: Any) -> dict[str, Any]:
    p = FundingProgramme.objects.create(
        cluster=tenant.cluster, name="Bourse French Tech", funder="bpifrance"
    )
    return {"pk": p.pk}


LEAK_CASES: dict[str, LeakCase] = {
    "support:case": LeakCase(_case),
    "support:case_edit": LeakCase(_case),
    "support:case_move": LeakCase(_case, method="post"),
    "support:case_status": LeakCase(_case, method="post"),
    "support:action_create": LeakCase(_case),
    "support:outcome_create": LeakCase(_case),
    "support:mission_create": LeakCase(_case),
    "support:mission_report": LeakCase(_mission, viewer=Role.EXPERT),
    "support:expert": LeakCase(_expert),
    "support:expert_edit": LeakCase(_expert),
    "support:expert_agreement": LeakCase(_expert),
    "support:expert_conflict": LeakCase(_expert),
    "support:programme_edit": LeakCase(_programme),
    "portal_support:case": LeakCase(_case, viewer=Role.MEMBER),
    "portal_support:rate": LeakCase(_case, viewer=Role.MEMBER, method="post"),
}
