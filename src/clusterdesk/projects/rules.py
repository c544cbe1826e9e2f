"""Who may see an application, which holds its partners' trade secrets: the cluster's
project staff, its own consortium's contacts, the experts assigned to it once they have
declared no conflict, and the members of the committee session that holds it. Nobody else.

``selectors.applications_visible_to`` is the same rule as a queryset; tests hold the two
together.
"""

from __future__ import annotations

from typing import Any

import rules

from clusterdesk.core.errors import require
from clusterdesk.core.roles import Role
from clusterdesk.core.rules import has_role, is_project_staff
from clusterdesk.crm.rules import PORTAL_INVITERS
from clusterdesk.crm.selectors import member_organisations
from clusterdesk.projects.states import APPLICANT_MOVES, CONSORTIUM_EDITABLE, UNDER_REVIEW


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_project_staff_of(user: Any, application: Any) -> bool:
    return application is not None and bool(is_project_staff(user, application.cluster))


def _own_organisations(user: Any, application: Any) -> Any:
    """The organisations the person speaks for in the application's own cluster: being a
    contact of the same organisation in another cluster gives nothing here."""
    return member_organisations(cluster=application.cluster, user=user).values("pk")


@rules.predicate
def is_consortium_contact(user: Any, application: Any) -> bool:
    if application is None or not _authenticated(user):
        return False
    mine = _own_organisations(user, application)
    return application.partners.filter(organisation_id__in=mine).exists()


@rules.predicate
def is_coordinator_contact(user: Any, application: Any) -> bool:
    if application is None or not _authenticated(user):
        return False
    mine = _own_organisations(user, application)
    return application.partners.filter(organisation_id__in=mine, role="coordinator").exists()


@rules.predicate
def is_cleared_reviewer(user: Any, application: Any) -> bool:
    """Assigned to it, and has declared no conflict of interest."""
    if application is None or not _authenticated(user):
        return False
    return application.assignments.filter(
        expert__user=user, no_conflict_declared_at__isnull=False
    ).exists()


@rules.predicate
def is_assigned_reviewer(user: Any, application: Any) -> bool:
    if application is None or not _authenticated(user):
        return False
    return application.assignments.filter(expert__user=user).exists()


@rules.predicate
def is_member_of_its_committee(user: Any, application: Any) -> bool:
    if application is None or application.committee_session_id is None or not _authenticated(user):
        return False
    return application.committee_session.members.filter(pk=user.pk).exists()


@rules.predicate
def has_declared_committee_conflict(user: Any, application: Any) -> bool:
    """The person declared, as a member of its committee, a conflict with the application."""
    if application is None or not _authenticated(user):
        return False
    return application.committee_conflicts.filter(member=user.pk).exists()


# A committee member reads the files and reviews of their session's agenda, except those
# they declared a conflict with.
is_cleared_committee_member = is_member_of_its_committee & ~has_declared_committee_conflict


@rules.predicate
def is_editable_by_consortium(user: Any, application: Any) -> bool:
    return application is not None and application.state in CONSORTIUM_EDITABLE


@rules.predicate
def is_under_review(user: Any, application: Any) -> bool:
    return application is not None and application.state == UNDER_REVIEW


can_view_application = (
    is_project_staff_of | is_consortium_contact | is_cleared_reviewer | is_cleared_committee_member
)
can_change_application = is_project_staff_of | (is_coordinator_contact & is_editable_by_consortium)
can_review_application = is_cleared_reviewer & is_under_review

# Cluster-level permissions (the object is the cluster). ``manage_calls`` is the project
# staff's: calls and criteria, experts, committee sessions, the reviewer assignment.
rules.add_perm("projects.manage_calls", is_project_staff)
rules.add_perm("projects.view_calls", is_project_staff | has_role(Role.MEMBER))
rules.add_perm("projects.create_application", is_project_staff | has_role(Role.MEMBER))
rules.add_perm("projects.review", has_role(Role.EXPERT))
rules.add_perm("projects.sit_on_committee", has_role(Role.COMMITTEE_MEMBER))
# Object-level, on an application (``view``, ``change`` and ``review`` are the model's).
# The staff's acts on a file: every move of the workflow, reviewers and conflicts,
# the labelled project and its funding.
rules.add_perm("projects.manage_application", is_project_staff_of)
# The applicants' moves (``states.APPLICANT_MOVES``: submit, resubmit, withdraw).
rules.add_perm("projects.submit_application", is_project_staff_of | is_coordinator_contact)
rules.add_perm("projects.invite_partners", is_coordinator_contact)
rules.add_perm("projects.declare_conflict", is_assigned_reviewer)
# A committee member declares (or withdraws) their own conflict with an application of the
# session they sit on; the submitted reviews are read by the staff and the cleared members.
rules.add_perm("projects.declare_committee_conflict", is_member_of_its_committee)
rules.add_perm("projects.read_reviews", is_project_staff_of | is_cleared_committee_member)


def move_permission(to: str) -> str:
    """The permission a move of the workflow needs: the applicants' moves, or the staff's."""
    return "projects.submit_application" if to in APPLICANT_MOVES else "projects.manage_application"


def require_on_application(actor: Any, permission: str, application: Any) -> None:
    """Refuse unless ``actor`` may act (``permission``) on the application: NotVisible (404)
    when they may not even see it, whose existence is confidential too; NotAllowed (403)
    when they see it but may not do this."""
    require(actor, "projects.view_application", application, hidden=True)
    require(actor, permission, application)


@rules.predicate
def coordinates_an_application_of(user: Any, contact: Any) -> bool:
    """The contact works for a partner of an application the person coordinates (the
    portal's invite page): the coordinator may open the member portal to them."""
    if contact is None or not _authenticated(user):
        return False
    mine = member_organisations(cluster=contact.cluster, user=user).values("pk")
    return contact.organisation.partnerships.filter(
        cluster=contact.cluster,
        application__partners__organisation_id__in=mine,
        application__partners__role="coordinator",
    ).exists()


PORTAL_INVITERS.append(coordinates_an_application_of)
