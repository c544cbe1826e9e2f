"""Reads of the brokerage domain: participants and the marketplace, suggestions of whom to
meet, requests, the scheduler's input, runs, agendas, table plans and the meetings an
organisation had."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from clusterdesk.brokerage.models import (
    Brokerage,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    MeetingSlot,
    Participant,
    ScheduleRun,
    Unavailability,
)
from clusterdesk.brokerage.rules import acting_participant_ids, can_view_brokerage
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.events.models import Event, Registration
from clusterdesk.projects.matching import text_scores

PARTICIPANT_RELATED = ("registration", "registration__organisation", "brokerage__event")


def brokerage_of(*, event: Event) -> Brokerage | None:
    return Brokerage.objects.filter(event=event).select_related("event").first()


def brokerages_of(*, cluster: Cluster) -> QuerySet[Brokerage]:
    return (
        Brokerage.objects.filter(cluster=cluster)
        .select_related("event")
        .annotate(n_participants=Count("participants", distinct=True))
        .order_by("-event__starts_at")
    )


def slots_of(*, brokerage: Brokerage) -> QuerySet[MeetingSlot]:
    return MeetingSlot.objects.filter(brokerage=brokerage).order_by("starts_at")


# -- participants ---------------------------------------------------------------------------


def participants_visible_to(*, user: Any, cluster: Cluster) -> QuerySet[Participant]:
    """Every participant for the staff; for a participant, themself and the validated
    participants of the events where they are validated (``brokerage.view_participant``)."""
    qs = Participant.objects.filter(cluster=cluster).select_related(*PARTICIPANT_RELATED)
    if can_view_brokerage.test(user, cluster):
        return qs
    mine = acting_participant_ids(user)
    if not mine:
        return qs.none()
    validated_in = Participant.objects.filter(
        pk__in=mine, status=Participant.Status.VALIDATED
    ).values("brokerage_id")
    return qs.filter(
        Q(pk__in=mine) | Q(brokerage_id__in=validated_in, status=Participant.Status.VALIDATED)
    )


def own_participations(*, user: Any, cluster: Cluster) -> QuerySet[Participant]:
    """The participants a portal account is, in this cluster (their registration's
    contact has the account), coming events first."""
    return (
        Participant.objects.filter(
            cluster=cluster,
            pk__in=acting_participant_ids(user),
        )
        .select_related(*PARTICIPANT_RELATED)
        .order_by("-brokerage__event__starts_at")
    )


def participant_list(
    *, brokerage: Brokerage, q: str = "", status: str = ""
) -> QuerySet[Participant]:
    qs = Participant.objects.filter(brokerage=brokerage).select_related(*PARTICIPANT_RELATED)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = participants_search(qs, q)
    return qs.annotate(
        n_sent=Count("requests_sent", distinct=True),
        n_received=Count("requests_received", distinct=True),
    ).order_by("registration__last_name", "registration__first_name", "pk")


def participants_search(qs: Any, q: str) -> Any:
    """Participants with every word in a name, the organisation, the profile or an
    opportunity's title."""
    for word in q.split()[:8]:
        qs = qs.filter(
            Q(registration__first_name__icontains=word)
            | Q(registration__last_name__icontains=word)
            | Q(registration__organisation_name__icontains=word)
            | Q(registration__organisation__name__icontains=word)
            | Q(headline__icontains=word)
            | Q(description__icontains=word)
            | Q(keywords__icontains=word)
            | Q(opportunities__title__icontains=word)
        )
    return qs.distinct()


def marketplace(
    *,
    brokerage: Brokerage,
    q: str = "",
    kind: str = "",
    partnership_type_id: int | None = None,
    exclude: Participant | None = None,
) -> QuerySet[Participant]:
    """The validated profiles of the event, searched by words (names, organisation,
    profile, opportunities) and filtered by what they offer or look for."""
    qs = Participant.objects.filter(
        brokerage=brokerage, status=Participant.Status.VALIDATED
    ).select_related(*PARTICIPANT_RELATED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    if q:
        qs = participants_search(qs, q)
    if kind:
        qs = qs.filter(opportunities__kind=kind)
    if partnership_type_id:
        qs = qs.filter(opportunities__partnership_type_id=partnership_type_id)
    return qs.distinct().prefetch_related("opportunities__partnership_type")


def same_organisation(a: Participant, b: Participant) -> bool:
    """Two participants from one organisation (the record, or the same name as given)."""
    ra, rb = a.registration, b.registration
    if ra.organisation_id and rb.organisation_id:
        return ra.organisation_id == rb.organisation_id
    name_a, name_b = ra.organisation_name.strip().lower(), rb.organisation_name.strip().lower()
    return bool(name_a) and name_a == name_b


# -- suggestions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    participant: Participant
    score: float
    reasons: tuple[str, ...]


def _profile_text(p: Participant) -> str:
    return "\n".join(t for t in (p.headline, p.description, ", ".join(p.keyword_list())) if t)


def _words(text: str) -> set[str]:
    return {
        w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if len(w) > 3
    }


def meeting_suggestions(*, participant: Participant, limit: int = 10) -> list[Suggestion]:
    """Whom this participant could meet, best first: the one place that decides it.

    A complementary opportunity (my request, their offer of the same partnership type, or
    the reverse) weighs most, then shared keywords, then the matcher's fit of the two
    profiles' texts (up to 3) and their shared words.
    Those already requested, colleagues and people not validated are left out.
    """
    others = list(
        marketplace(brokerage=participant.brokerage, exclude=participant).prefetch_related(
            "opportunities"
        )
    )
    asked = set(
        MeetingRequest.objects.filter(requester=participant).values_list("target_id", flat=True)
    )
    mine = list(participant.opportunities.all())
    my_keywords = {k.lower() for k in participant.keyword_list()}
    my_words = _words(f"{participant.headline} {participant.description}")
    # The matcher reads the profiles' texts (French and English, stemmed, explained).
    fits, _model = text_scores(
        _profile_text(participant), {o.pk: [_profile_text(o)] for o in others}
    )
    out: list[Suggestion] = []
    for other in others:
        if other.pk in asked or same_organisation(participant, other):
            continue
        fit = fits.get(other.pk)
        score = 3 * fit.score if fit else 0.0
        reasons: list[str] = []
        for mo in mine:
            for oo in other.opportunities.all():
                if mo.kind != oo.kind and mo.partnership_type_id == oo.partnership_type_id:
                    score += 3
                    reasons.append(oo.title)
        shared = my_keywords & {k.lower() for k in other.keyword_list()}
        if shared:
            score += 2 * len(shared)
            reasons.extend(sorted(shared))
        common = my_words & _words(f"{other.headline} {other.description}")
        score += min(len(common), 10) * 0.3
        if fit and not reasons:
            reasons.extend(fit.why.terms[:3])
        if score > 0:
            out.append(Suggestion(other, round(score, 2), tuple(reasons[:4])))
    out.sort(key=lambda s: (-s.score, s.participant.pk))
    return out[:limit]


# -- requests -------------------------------------------------------------------------------


def requests_visible_to(*, user: Any, cluster: Cluster) -> QuerySet[MeetingRequest]:
    """All requests for the staff; those a participant sent or received otherwise."""
    qs = MeetingRequest.objects.filter(cluster=cluster).select_related(
        "requester__registration", "target__registration", "brokerage__event"
    )
    if can_view_brokerage.test(user, cluster):
        return qs
    mine = acting_participant_ids(user)
    return qs.filter(Q(requester_id__in=mine) | Q(target_id__in=mine)) if mine else qs.none()


def requests_of(*, participant: Participant) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """(sent, received)."""
    related = (
        "requester__registration__organisation",
        "target__registration__organisation",
    )
    sent = MeetingRequest.objects.filter(requester=participant).select_related(*related)
    received = MeetingRequest.objects.filter(target=participant).select_related(*related)
    return list(sent), list(received)


def requests_involving(*, participant: Participant) -> QuerySet[MeetingRequest]:
    return MeetingRequest.objects.filter(Q(requester=participant) | Q(target=participant))


def meetings_involving(*, participant: Participant) -> QuerySet[Meeting]:
    """The participant's meetings in the published schedule."""
    return Meeting.objects.filter(
        Q(participant_a=participant) | Q(participant_b=participant),
        run__state=ScheduleRun.State.PUBLISHED,
    ).select_related(*MEETING_RELATED, "run")


def request_list(*, brokerage: Brokerage, status: str = "") -> QuerySet[MeetingRequest]:
    qs = MeetingRequest.objects.filter(brokerage=brokerage).select_related(
        "requester__registration__organisation", "target__registration__organisation"
    )
    return qs.filter(status=status) if status else qs


def accepted_requests(*, brokerage: Brokerage) -> QuerySet[MeetingRequest]:
    """The accepted requests between two validated participants still registered."""
    active = ~Q(requester__registration__status=Registration.Status.CANCELLED) & ~Q(
        target__registration__status=Registration.Status.CANCELLED
    )
    return MeetingRequest.objects.filter(
        active,
        brokerage=brokerage,
        status=MeetingRequest.Status.ACCEPTED,
        requester__status=Participant.Status.VALIDATED,
        target__status=Participant.Status.VALIDATED,
    )


# -- the scheduler's input ------------------------------------------------------------------


def published_run(*, brokerage: Brokerage) -> ScheduleRun | None:
    return ScheduleRun.objects.filter(
        brokerage=brokerage, state=ScheduleRun.State.PUBLISHED
    ).first()


def runs_of(*, brokerage: Brokerage) -> QuerySet[ScheduleRun]:
    return ScheduleRun.objects.filter(brokerage=brokerage).select_related("job", "created_by")


def _available(participant: Participant, slots: list[MeetingSlot], blocked: set[int]) -> list[int]:
    return [
        s.pk
        for s in slots
        if s.pk not in blocked
        and (participant.arrival_at is None or s.starts_at >= participant.arrival_at)
        and (participant.departure_at is None or s.ends_at <= participant.departure_at)
    ]


def solver_input(*, brokerage: Brokerage, keep: bool, time_limit_s: float) -> dict[str, Any]:
    """The JSON document ``solvers.meetings`` reads: slots and tables, the validated
    participants (organisation, availability, cap), the accepted requests and, to re-run
    around a published schedule, its meetings still standing as ``keep``."""
    slots = list(slots_of(brokerage=brokerage))
    requests = list(
        accepted_requests(brokerage=brokerage).values_list("requester_id", "target_id", "priority")
    )
    people = {pk for a, b, _p in requests for pk in (a, b)}
    participants = list(Participant.objects.filter(pk__in=people).select_related("registration"))
    blocked: dict[int, set[int]] = defaultdict(set)
    for pid, sid in Unavailability.objects.filter(participant__in=people).values_list(
        "participant_id", "slot_id"
    ):
        blocked[pid].add(sid)
    doc_people = []
    for p in participants:
        reg = p.registration
        org = (
            f"o{reg.organisation_id}"
            if reg.organisation_id
            else (f"n:{reg.organisation_name.strip().lower()}" if reg.organisation_name else None)
        )
        doc_people.append(
            {
                "id": p.pk,
                "organisation": org,
                "available": _available(p, slots, blocked[p.pk]),
                "max_meetings": p.max_meetings
                if p.max_meetings is not None
                else brokerage.max_meetings,
            }
        )
    doc: dict[str, Any] = {
        "slots": [
            {"id": s.pk, "start": s.starts_at.isoformat(), "end": s.ends_at.isoformat()}
            for s in slots
        ],
        "tables": {str(s.pk): s.tables for s in slots},
        "participants": doc_people,
        "requests": [{"from": a, "to": b, "priority": prio} for a, b, prio in requests],
        "time_limit_s": time_limit_s,
    }
    if keep:
        run = published_run(brokerage=brokerage)
        if run is not None:
            doc["keep"] = [
                {"a": a, "b": b, "slot": s}
                for a, b, s in run.meetings.filter(status=Meeting.Status.SCHEDULED).values_list(
                    "participant_a_id", "participant_b_id", "slot_id"
                )
            ]
    return doc


# -- meetings, agendas, table plans ---------------------------------------------------------

MEETING_RELATED = (
    "slot",
    "participant_a__registration__organisation",
    "participant_b__registration__organisation",
    "brokerage__event",
)


def meetings_visible_to(*, user: Any, cluster: Cluster) -> QuerySet[Meeting]:
    """Every meeting for the staff; a participant's own published meetings otherwise."""
    qs = Meeting.objects.filter(cluster=cluster).select_related(*MEETING_RELATED)
    if can_view_brokerage.test(user, cluster):
        return qs
    mine = acting_participant_ids(user)
    if not mine:
        return qs.none()
    return qs.filter(
        Q(participant_a_id__in=mine) | Q(participant_b_id__in=mine),
        run__state=ScheduleRun.State.PUBLISHED,
    )


def meetings_of(*, brokerage: Brokerage) -> QuerySet[Meeting]:
    """Every meeting of the event, drafts included (the organiser's pages)."""
    return Meeting.objects.filter(brokerage=brokerage).select_related(
        *MEETING_RELATED, "run", "application"
    )


def run_meetings(*, run: ScheduleRun) -> QuerySet[Meeting]:
    return Meeting.objects.filter(run=run).select_related(*MEETING_RELATED)


def agenda_of(*, participant: Participant) -> list[Meeting]:
    """The participant's published meetings in time order (cancelled ones left out)."""
    run = published_run(brokerage=participant.brokerage)
    if run is None:
        return []
    return list(
        run_meetings(run=run)
        .filter(Q(participant_a=participant) | Q(participant_b=participant))
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("slot__starts_at")
    )


@dataclass(frozen=True)
class PlanRow:
    slot: MeetingSlot
    count: int
    free_tables: int
    meetings: list[Meeting]  # only for the slot asked for


def table_plan(*, run: ScheduleRun, slot_id: int | None = None) -> list[PlanRow]:
    """Per slot, how many meetings and free tables; the meetings themselves, in table order,
    for ``slot_id`` only (a plan of a thousand participants is read slot by slot)."""
    standing = Meeting.objects.filter(run=run).exclude(status=Meeting.Status.CANCELLED)
    counts = dict(
        standing.values_list("slot_id").annotate(n=Count("pk")).values_list("slot_id", "n")
    )
    shown = (
        list(
            run_meetings(run=run)
            .filter(slot_id=slot_id)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("table")
        )
        if slot_id is not None
        else []
    )
    return [
        PlanRow(
            slot,
            counts.get(slot.pk, 0),
            max(0, slot.tables - counts.get(slot.pk, 0)),
            shown if slot.pk == slot_id else [],
        )
        for slot in slots_of(brokerage=run.brokerage)
    ]


def common_free_slots(
    *, run: ScheduleRun, a: Participant, b: Participant, after: datetime.datetime | None = None
) -> list[MeetingSlot]:
    """Slots where both are available and free and a table is left (walk-in requests)."""
    slots = list(slots_of(brokerage=run.brokerage))
    standing = run.meetings.exclude(status=Meeting.Status.CANCELLED)
    busy = set(
        standing.filter(Q(participant_a__in=[a, b]) | Q(participant_b__in=[a, b])).values_list(
            "slot_id", flat=True
        )
    )
    used = dict(standing.values_list("slot_id").annotate(n=Count("pk")).values_list("slot_id", "n"))
    blocked = set(
        Unavailability.objects.filter(participant__in=[a, b]).values_list("slot_id", flat=True)
    )
    ok_a = set(_available(a, slots, blocked))
    ok_b = set(_available(b, slots, blocked))
    return [
        s
        for s in slots
        if s.pk in ok_a
        and s.pk in ok_b
        and s.pk not in busy
        and used.get(s.pk, 0) < s.tables
        and (after is None or s.starts_at >= after)
    ]


def feedback_of(*, participant: Participant) -> dict[tuple[int, str], MeetingFeedback]:
    return {
        (f.meeting_id, f.stage): f for f in MeetingFeedback.objects.filter(participant=participant)
    }


def organisation_meetings(*, cluster: Cluster, organisation: Organisation) -> QuerySet[Meeting]:
    """The organisation's published meetings (for its timeline)."""
    return (
        Meeting.objects.filter(cluster=cluster, run__state=ScheduleRun.State.PUBLISHED)
        .filter(
            Q(participant_a__registration__organisation=organisation)
            | Q(participant_b__registration__organisation=organisation)
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related(*MEETING_RELATED)
    )


def brokerage_figures(*, brokerage: Brokerage) -> dict[str, int]:
    """Counts for the organiser's page."""
    participants = Participant.objects.filter(brokerage=brokerage)
    requests = MeetingRequest.objects.filter(brokerage=brokerage)
    run = published_run(brokerage=brokerage)
    meetings = (
        run.meetings.exclude(status=Meeting.Status.CANCELLED) if run else Meeting.objects.none()
    )
    return {
        "participants": participants.count(),
        "pending": participants.filter(status=Participant.Status.PENDING).count(),
        "validated": participants.filter(status=Participant.Status.VALIDATED).count(),
        "requests": requests.count(),
        "accepted": requests.filter(status=MeetingRequest.Status.ACCEPTED).count(),
        "meetings": meetings.count(),
    }


def not_kept_labels(run: ScheduleRun) -> list[str]:
    """The published meetings a re-run could not keep, in words."""
    ids = {x for item in run.not_kept for x in (item.get("a"), item.get("b"))}
    names = {
        p.pk: p.name for p in Participant.objects.filter(pk__in=ids).select_related("registration")
    }
    return [
        _("%(a)s and %(b)s: %(reason)s")
        % {
            "a": names.get(i.get("a"), "?"),
            "b": names.get(i.get("b"), "?"),
            "reason": solver_reason(str(i.get("reason", ""))),
        }
        for i in run.not_kept
    ]


def solver_reason(reason: str) -> str:
    """The scheduler's reason (English, fixed words) in the reader's language."""
    known = {
        "no longer requested": _("no longer requested"),
        "locked in another slot": _("locked in another slot"),
        "the pair is kept in another slot": _("kept in another slot"),
        "clashes with a locked or kept meeting": _("clashes with another kept meeting"),
        "no free table in this slot": _("no table left in this slot"),
        "max meetings reached": _("most meetings reached"),
        "same organisation": _("same organisation"),
        "no common available slot": _("no slot where both are available"),
        "no common free slot": _("no slot where both are free"),
        "no free table": _("no table left"),
        "max_meetings is 0": _("wants no meeting"),
    }
    if reason in known:
        return str(known[reason])
    if "not available in this slot" in reason:
        return str(_("one of them is no longer available in this slot"))
    return reason
