"""What the audit log shows of the projects domain (see ``audit.visibility``).

Every entry about an application (its consortium, documents, workflow, reviewers, reviews
and funding are all recorded on the application) is as confidential as the application.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clusterdesk.audit import visibility
from clusterdesk.audit.wording import actions_register
from clusterdesk.core.models import Cluster
from clusterdesk.projects.models import Application
from clusterdesk.projects.selectors.applications import applications_visible_to


def readable_applications(user: Any, cluster: Cluster) -> QuerySet[Application]:
    return applications_visible_to(user=user, cluster=cluster)


def register() -> None:
    visibility.register("projects.application", readable_applications)
    actions_register(
        {
            "application.*": _("Applications: every action"),
            "application.created": _("Application created"),
            "application.updated": _("Application changed"),
            "application.document_added": _("Document added to the application"),
            "application.partner_saved": _("Partner added or changed"),
            "application.partner_removed": _("Partner removed"),
            "call.*": _("Calls: every action"),
            "call.created": _("Call created"),
            "call.updated": _("Call changed"),
            "call.criterion_added": _("Criterion added to the call"),
            "committee.*": _("Committee sessions: every action"),
            "committee.created": _("Committee session created"),
            "committee.updated": _("Committee session changed"),
            "committee.conflict_declared": _("Committee member declared a conflict of interest"),
            "committee.conflict_withdrawn": _("Committee member withdrew a conflict of interest"),
            "expert.*": _("Experts: every action"),
            "expert.created": _("Expert added"),
            "expert.updated": _("Expert changed"),
            "funding.*": _("Funding: every action"),
            "funding.created": _("Funding request recorded"),
            "funding.updated": _("Funding request changed"),
            "project.*": _("Projects: every action"),
            "project.updated": _("Project follow-up changed"),
            "review.*": _("Reviews: every action"),
            "review.assigned": _("Expert assigned"),
            "review.unassigned": _("Expert unassigned"),
            "review.assignment_proposed": _("Assignment of experts proposed"),
            "review.no_conflict_declared": _("Expert declared no conflict of interest"),
            "review.conflict_recorded": _("Conflict of interest declared"),
            "review.conflict_after_review": _("Conflict of interest declared after the review"),
            "review.reminded": _("Expert reminded"),
            "review.saved": _("Review saved as draft"),
            "review.submitted": _("Review submitted"),
        }
        | {
            f"application.{state.value}": format_lazy(
                _("Application moved to “{state}”"), state=state.label
            )
            for state in Application.State
        }
    )
