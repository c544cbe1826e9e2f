"""Who may see and do what with support cases, experts and the pipeline.

A support case holds a company's plans (its stage, its need, its fundraising), so it is
confidential like an application. It is seen by:

- the cluster's staff who follow the companies: the **director and the project managers**
  of the case's cluster (the event, facility and finance staff do not see cases);
- the company's own contacts with a portal account (a ``Contact`` of the case's
  organisation in the case's cluster, linked to the person);
- the experts on the case: those with a mission on it that is not cancelled.

Nobody else: other members, committee members, other experts and other clusters get 404.
``selectors.support_cases_visible_to`` is the same rule as a queryset; tests hold the two
together for every role.
"""

from __future__ import annotations

from typing import Any

import rules

from clusterdesk.core.errors import require
from clusterdesk.core.roles import Role
from clusterdesk.core.rules import has_role, is_project_staff
from clusterdesk.crm.selectors import member_organisations

CANCELLED = "cancelled"


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_support_staff_of(user: Any, case: Any) -> bool:
    return case is not None and bool(is_project_staff(user, case.cluster))


@rules.predicate
def is_company_contact(user: Any, case: Any) -> bool:
    """The person speaks for the case's company in the case's own cluster."""
    if case is None or not _authenticated(user):
        return False
    return (
        member_organisations(cluster=case.cluster, user=user)
        .filter(pk=case.organisation_id)
        .exists()
    )


@rules.predicate
def is_expert_on_case(user: Any, case: Any) -> bool:
    if case is None or not _authenticated(user):
        return False
    return case.missions.filter(expert__user=user).exclude(status=CANCELLED).exists()


@rules.predicate
def is_expert_of_mission(user: Any, mission: Any) -> bool:
    if mission is None or not _authenticated(user):
        return False
    return mission.expert.user_id == user.pk and mission.status != CANCELLED


@rules.predicate
def is_support_staff_of_mission(user: Any, mission: Any) -> bool:
    return mission is not None and bool(is_project_staff(user, mission.cluster))


can_view_support_case = is_support_staff_of | is_company_contact | is_expert_on_case
can_change_support_case = is_support_staff_of

# Cluster-level permissions (the object is the cluster).
# The back office's case pages: the support staff see every case, experts those they
# work on. The API's list also answers members (their company's cases, as the portal).
rules.add_perm("support.view_cases", is_project_staff | has_role(Role.EXPERT))
rules.add_perm(
    "support.list_cases", is_project_staff | has_role(Role.EXPERT) | has_role(Role.MEMBER)
)
# Open cases, keep the expert network and the funding catalogue, read the pipeline.
rules.add_perm("support.manage_cases", is_project_staff)
rules.add_perm("support.manage_experts", is_project_staff)
rules.add_perm("support.view_pipeline", is_project_staff)
rules.add_perm("support.view_programmes", is_project_staff)
# A member company asks for support from the portal.
rules.add_perm("support.request_support", has_role(Role.MEMBER))
# Object-level, on a case (``view`` and ``change`` are the model's).
rules.add_perm("support.manage_case", is_support_staff_of)
rules.add_perm("support.rate_case", is_company_contact)
# Object-level, on a mission: the expert writes the report, the staff everything.
rules.add_perm("support.report_mission", is_expert_of_mission | is_support_staff_of_mission)
rules.add_perm("support.view_mission", is_expert_of_mission | is_support_staff_of_mission)


def require_on_case(actor: Any, permission: str, case: Any) -> None:
    """NotVisible (404) for a person who may not see the case, whose existence is
    confidential; NotAllowed (403) for one who sees it but may not do this."""
    require(actor, "support.view_supportcase", case, hidden=True)
    require(actor, permission, case)
