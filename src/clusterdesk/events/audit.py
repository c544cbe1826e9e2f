"""What the audit log shows of the events domain (see ``audit.visibility``): an entry about
a registration (a person's name and e-mail) is shown to those who may read registrations."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from clusterdesk.audit import visibility
from clusterdesk.core.models import Cluster
from clusterdesk.events.models import Registration
from clusterdesk.events.selectors import registrations_visible_to


def readable_registrations(user: Any, cluster: Cluster) -> QuerySet[Registration]:
    return registrations_visible_to(user=user, cluster=cluster)


def register() -> None:
    visibility.register("events.registration", readable_registrations)
