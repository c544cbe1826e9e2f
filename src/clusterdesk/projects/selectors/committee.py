"""Committee sessions: who sees which, their agenda, their sizes."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from clusterdesk.core.models import Cluster
from clusterdesk.projects.models import Application, CommitteeSession


def sessions_visible_to(*, user: Any, cluster: Cluster) -> QuerySet[CommitteeSession]:
    """Every session for the project staff; for anyone else, the sessions they sit on."""
    sessions = CommitteeSession.objects.filter(cluster=cluster)
    if user.has_perm("projects.manage_calls", cluster):
        return sessions
    return sessions.filter(members=user.pk)


def sessions_with_counts(*, cluster: Cluster) -> QuerySet[CommitteeSession]:
    """Sessions with the size of their agenda and of their committee."""
    return CommitteeSession.objects.filter(cluster=cluster).annotate(
        n_agenda=Count("agenda", distinct=True), n_members=Count("members", distinct=True)
    )


def session_agenda(session: CommitteeSession) -> QuerySet[Application]:
    return session.agenda.select_related("call").order_by("acronym")
