"""What the audit log shows of the results domain (see ``audit.visibility``): an outcome
of a project is as confidential as the project's application."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clusterdesk.audit import visibility
from clusterdesk.audit.wording import actions_register
from clusterdesk.core.models import Cluster
from clusterdesk.projects.selectors.applications import applications_visible_to
from clusterdesk.results.models import Outcome


def readable_outcomes(user: Any, cluster: Cluster) -> QuerySet[Outcome]:
    applications = applications_visible_to(user=user, cluster=cluster).values("pk")
    return Outcome.objects.filter(cluster=cluster).filter(
        Q(application=None) | Q(application__in=applications)
    )


def register() -> None:
    visibility.register("results.outcome", readable_outcomes)
    actions_register(
        {
            "outcome.*": _("Outcomes: every action"),
            "outcome.evidence": _("Evidence added to an outcome"),
            "follow_up.*": _("Yearly follow-up: every action"),
            "follow_up.opened": _("Yearly follow-up opened"),
            "follow_up.reminded": _("Follow-up reminders sent"),
            "follow_up.completed": _("Follow-up answered"),
            "follow_up.project_added": _("Project added to the follow-up"),
        }
        | {
            f"outcome.{state.value}": format_lazy(_("Outcome {state}"), state=state.label.lower())
            for state in Outcome.State
        }
    )
