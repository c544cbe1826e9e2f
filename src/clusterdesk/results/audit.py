"""What the audit log shows of the results domain (see ``audit.visibility``): an outcome
of a project is as confidential as the project's application."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from clusterdesk.audit import visibility
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
