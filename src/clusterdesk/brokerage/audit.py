"""What the audit log shows of brokerage events (see ``audit.visibility``): entries about a
participant, a request or a meeting are shown to those who read the brokerage pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from clusterdesk.audit import visibility
from clusterdesk.brokerage.models import Meeting, MeetingRequest, Participant
from clusterdesk.brokerage.rules import can_view_brokerage
from clusterdesk.core.models import Cluster


def _readable(model: Any) -> Any:
    def readable(user: Any, cluster: Cluster) -> QuerySet[Any]:
        qs = model.objects.filter(cluster=cluster)
        return qs if can_view_brokerage.test(user, cluster) else qs.none()

    return readable


def register() -> None:
    visibility.register("brokerage.participant", _readable(Participant))
    visibility.register("brokerage.meetingrequest", _readable(MeetingRequest))
    visibility.register("brokerage.meeting", _readable(Meeting))
