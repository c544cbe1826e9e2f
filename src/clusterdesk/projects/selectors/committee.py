"""Committee sessions: who sees which, their agenda, their sizes, current ones first, and
a committee member's workspace (their sessions, each agenda with the reviews and their own
conflicts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, Prefetch, QuerySet, Value, When
from django.utils import timezone

from clusterdesk.core.models import Cluster
from clusterdesk.projects.models import (
    Application,
    CommitteeConflict,
    CommitteeSession,
    Partner,
    Review,
    ReviewScore,
)
from clusterdesk.projects.selectors.reviews import weighted_score


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


def sessions_current_first(sessions: QuerySet[CommitteeSession]) -> QuerySet[CommitteeSession]:
    """Sessions in date order with the coming ones first (the next one at the top), then
    the past ones, latest first."""
    today = timezone.localdate()
    return sessions.annotate(
        is_past=Case(When(date__lt=today, then=Value(1)), default=Value(0)),
        coming_on=Case(When(date__gte=today, then=F("date"))),
        held_on=Case(When(date__lt=today, then=F("date"))),
    ).order_by("is_past", "coming_on", "-held_on", "-pk")


def sessions_upcoming(*, cluster: Cluster) -> QuerySet[CommitteeSession]:
    """The sessions an application can still be put before: today's and the coming ones."""
    return CommitteeSession.objects.filter(
        cluster=cluster, date__gte=timezone.localdate()
    ).order_by("date", "pk")


def sessions_of_member(*, user: Any, cluster: Cluster) -> QuerySet[CommitteeSession]:
    """The sessions the person sits on (never another's: their agenda is confidential),
    coming ones first, with the size of their agenda."""
    sessions = CommitteeSession.objects.filter(cluster=cluster, members=user.pk).annotate(
        n_agenda=Count("agenda", distinct=True)
    )
    return sessions_current_first(sessions)


@dataclass(frozen=True)
class AgendaItem:
    """One application of a session as a member of its committee sees it: the file and the
    submitted reviews, unless they declared a conflict with it (then its name only)."""

    application: Application
    coordinator: str
    conflict: CommitteeConflict | None
    reviews: list[Any] = field(default_factory=list)  # (review, weighted score) pairs
    average: float | None = None


def session_workspace(*, user: Any, session: CommitteeSession) -> list[AgendaItem]:
    """The agenda of a session the person sits on, in a fixed number of queries: each
    application with its coordinator, the person's own conflict and the reviews handed in
    (for the applications they have no conflict with)."""
    agenda = list(session_agenda(session))
    ids = [a.pk for a in agenda]
    conflicts = {
        c.application_id: c
        for c in CommitteeConflict.objects.filter(application_id__in=ids, member=user.pk)
    }
    coordinators = dict(
        Partner.objects.filter(application_id__in=ids, role=Partner.Role.COORDINATOR)
        .values_list("application_id", "organisation__name")
        .order_by()
    )
    readable = [pk for pk in ids if pk not in conflicts]
    reviews: dict[int, list[Any]] = {}
    for review in (
        Review.objects.filter(assignment__application_id__in=readable, submitted_at__isnull=False)
        .select_related("assignment__expert__user")
        .prefetch_related(
            Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion"))
        )
        .order_by("submitted_at", "pk")
    ):
        reviews.setdefault(review.assignment.application_id, []).append(
            (review, weighted_score(review))
        )
    items = []
    for app in agenda:
        mine = reviews.get(app.pk, [])
        scores = [s for _r, s in mine if s is not None]
        items.append(
            AgendaItem(
                application=app,
                coordinator=coordinators.get(app.pk, ""),
                conflict=conflicts.get(app.pk),
                reviews=mine,
                average=sum(scores) / len(scores) if scores else None,
            )
        )
    return items


def committee_conflicts_of_session(session: CommitteeSession) -> dict[int, list[Any]]:
    """Per application of the agenda, the members who declared a conflict (the minutes)."""
    found: dict[int, list[Any]] = {}
    for c in CommitteeConflict.objects.filter(
        application__committee_session=session
    ).select_related("member"):
        found.setdefault(c.application_id, []).append(c.member)
    return found
