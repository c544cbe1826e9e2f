"""Who reads indicators and who declares and reviews outcomes.

Indicators: the cluster's staff and its region's funders; the records behind a figure (the
drill-down) are shown to the staff who may see them, and what is public about labelled and
funded projects and their outcomes to the funders too.

Outcomes: a project's outcome is declared by the cluster's project staff (back office) or
by a contact of one of the project's consortium organisations who holds the portal role
(member portal); an outcome tied to no project (an organisation's) by the project staff
only. A follow-up request is answered by whoever may declare its project's outcomes and by
the portal account of the contact it was sent to. Validating outcomes, the yearly follow-up
campaign and the evidence of an outcome already declared are the project staff's.
"""

from __future__ import annotations

from typing import Any

import rules

from clusterdesk.core.roles import Role
from clusterdesk.core.rules import has_role, is_project_staff, is_region_funder, is_staff
from clusterdesk.projects.rules import is_consortium_contact, is_project_staff_of


@rules.predicate
def has_portal_role_in_its_cluster(user: Any, application: Any) -> bool:
    return application is not None and bool(has_role(Role.MEMBER)(user, application.cluster))


can_declare_outcome = is_project_staff_of | (is_consortium_contact & has_portal_role_in_its_cluster)


@rules.predicate
def may_answer_follow_up(user: Any, request: Any) -> bool:
    """Who answers a follow-up request: whoever may declare its project's outcomes, and the
    portal account of the contact it was sent to."""
    if request is None:
        return False
    application = request.application
    if can_declare_outcome.test(user, application):
        return True
    contact = request.contact
    return (
        contact is not None
        and contact.user_id is not None
        and contact.user_id == getattr(user, "pk", None)
        and contact.anonymised_at is None
        and bool(has_portal_role_in_its_cluster(user, application))
    )


rules.add_perm("results.view_indicators", is_staff | is_region_funder)
# Cluster-level (the object is the cluster).
rules.add_perm("results.manage_outcomes", is_project_staff)
# Object-level, on an application: declare one of its outcomes (or close its follow-up).
rules.add_perm("results.declare_outcome", can_declare_outcome)
# Object-level, on a follow-up request: declare in answer to it, or close it.
rules.add_perm("results.answer_follow_up", may_answer_follow_up)

# The permission a drill-down needs, per indicator group: the staff's, every record.
DRILL_DOWN_PERMISSIONS = {
    "projects": "projects.manage_calls",
    "outcomes": "projects.manage_calls",
    "members": "crm.view_members",
}
# An indicator tagged ``PUBLIC_RECORDS`` counts only what is public (labelled and funded
# projects, their outcomes): the cluster's staff and its region's funders read what is public
# about its records (acronym, title, partners, amounts, outcomes), never an application's file.
PUBLIC_RECORDS = "public_records"
rules.add_perm("results.view_public_records", is_staff | is_region_funder)


def drill_down_mode(user: Any, cluster: Any, indicator: Any) -> str | None:
    """How the person may open the records behind a figure: ``"full"`` (the staff of its
    group: every column, the export), ``"public"`` (what is public about them) or None."""
    permission = DRILL_DOWN_PERMISSIONS.get(indicator.group)
    if permission is not None and user.has_perm(permission, cluster):
        return "full"
    if PUBLIC_RECORDS in indicator.tags and user.has_perm("results.view_public_records", cluster):
        return "public"
    return None
