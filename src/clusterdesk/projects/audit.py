"""What the audit log shows of the projects domain (see ``audit.visibility``).

Every entry about an application (its consortium, documents, workflow, reviewers, reviews
and funding are all recorded on the application) is as confidential as the application.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from clusterdesk.audit import visibility
from clusterdesk.core.models import Cluster
from clusterdesk.projects.models import Application
from clusterdesk.projects.selectors.applications import applications_visible_to


def readable_applications(user: Any, cluster: Cluster) -> QuerySet[Application]:
    return applications_visible_to(user=user, cluster=cluster)


def register() -> None:
    visibility.register("projects.application", readable_applications)
