"""The day of the event and after: a meeting cancelled (by either side or the organiser),
a no-show or a held meeting recorded, a walk-in request placed in a free slot, the event
closed (meetings not otherwise marked were held), each side's rating and six-month
follow-up, and the link from a meeting to the application it led to.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.audit.services import audit_record
from clusterdesk.brokerage.models import (
    Brokerage,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    ScheduleRun,
)
from clusterdesk.brokerage.selectors import common_free_slots, published_run, same_organisation
from clusterdesk.brokerage.services.participants import require_self
from clusterdesk.core.errors import NotAllowed, NotVisible, require
from clusterdesk.projects.models import Application

MANAGE = "brokerage.manage_brokerage"
ACT = "brokerage.act_as_participant"


def _require_party(actor: Any, meeting: Meeting) -> Participant | None:
    """The side of the meeting the actor is (None for the event staff)."""
    if actor.has_perm(MANAGE, meeting.cluster):
        return None
    for side in (meeting.participant_a, meeting.participant_b):
        if actor.has_perm(ACT, side):
            return side
    raise NotVisible(ACT)


def _published(meeting: Meeting) -> None:
    # Read again: a page may hold the run from before it was published.
    if not ScheduleRun.objects.filter(
        pk=meeting.run_id, state=ScheduleRun.State.PUBLISHED
    ).exists():
        raise ValidationError({"__all__": _("This meeting is not in the published schedule.")})


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str = "") -> Meeting:
    """Either side (or the organiser) cancels a published meeting; its table is freed."""
    _require_party(actor, meeting)
    _published(meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(
            {
                "__all__": _("This meeting is already “%(status)s”.")
                % {"status": meeting.get_status_display()}
            }
        )
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="meeting.cancelled",
        obj=meeting,
        before={"status": Meeting.Status.SCHEDULED},
        after={"status": meeting.status, "reason": reason.strip()[:500]},
    )
    return meeting


@transaction.atomic
def meeting_mark(*, actor: Any, meeting: Meeting, status: str) -> Meeting:
    """The organiser records on the day that a meeting was held or was a no-show."""
    require(actor, MANAGE, meeting.cluster)
    _published(meeting)
    if status not in (Meeting.Status.HELD, Meeting.Status.NO_SHOW, Meeting.Status.SCHEDULED):
        raise ValidationError({"status": _("Held, no-show or scheduled.")})
    before = meeting.status
    if before == Meeting.Status.CANCELLED:
        raise ValidationError({"status": _("This meeting was cancelled.")})
    meeting.status = status
    meeting.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="meeting.marked",
        obj=meeting,
        before={"status": before},
        after={"status": status},
    )
    return meeting


@transaction.atomic
def meeting_walk_in(
    *, actor: Any, requester: Participant, target: Participant, message: str = ""
) -> Meeting:
    """A request made on the day, placed at once in the first slot (from now on) where both
    are free and a table is left; refused with a message when there is none."""
    require_self(actor, requester)
    if target.pk == requester.pk:
        raise ValidationError({"target": _("You cannot request a meeting with yourself.")})
    if target.brokerage_id != requester.brokerage_id:
        raise ValidationError({"target": _("This participant takes part in another event.")})
    if same_organisation(requester, target):
        raise ValidationError(
            {"target": _("%(name)s is from your own organisation.") % {"name": target.name}}
        )
    if (
        requester.status != Participant.Status.VALIDATED
        or target.status != Participant.Status.VALIDATED
    ):
        raise NotAllowed(_("Both profiles must be validated."))
    brokerage = Brokerage.objects.select_for_update().get(pk=requester.brokerage_id)
    run = published_run(brokerage=brokerage)
    if run is None:
        raise ValidationError({"__all__": _("The schedule is not published yet.")})
    already = run.meetings.filter(
        Q(participant_a=requester, participant_b=target)
        | Q(participant_a=target, participant_b=requester)
    ).exclude(status=Meeting.Status.CANCELLED)
    if already.exists():
        raise ValidationError(
            {"target": _("You already have a meeting with %(name)s.") % {"name": target.name}}
        )
    free = common_free_slots(run=run, a=requester, b=target, after=timezone.now())
    if not free:
        raise ValidationError(
            {"target": _("No slot is left where you are both free and a table is available.")}
        )
    slot = free[0]
    taken = set(
        run.meetings.filter(slot=slot)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("table", flat=True)
    )
    last = run.meetings.filter(slot=slot).aggregate(m=Max("table"))["m"] or 0
    table = next((t for t in range(1, slot.tables + 1) if t not in taken), last + 1)
    a, b = sorted((requester, target), key=lambda p: p.pk)
    request, _created = MeetingRequest.objects.get_or_create(
        requester=requester,
        target=target,
        defaults={
            "cluster": brokerage.cluster,
            "brokerage": brokerage,
            "priority": MeetingRequest.Priority.MEDIUM,
            "message": message.strip()[:2000],
            "status": MeetingRequest.Status.ACCEPTED,
            "answered_at": timezone.now(),
        },
    )
    meeting = Meeting.objects.create(
        cluster=brokerage.cluster,
        brokerage=brokerage,
        run=run,
        participant_a=a,
        participant_b=b,
        slot=slot,
        table=table,
        walk_in=True,
        weight=0,
    )
    audit_record(
        actor=actor,
        action="meeting.walk_in",
        obj=meeting,
        after={"slot": str(slot), "table": table, "request": request.pk},
    )
    return meeting


@transaction.atomic
def brokerage_close(*, actor: Any, brokerage: Brokerage) -> int:
    """After the event: the published meetings still "scheduled" were held. Returns how many."""
    require(actor, MANAGE, brokerage.cluster)
    if brokerage.event.ends_at > timezone.now():
        raise ValidationError({"__all__": _("The event is not over yet.")})
    run = published_run(brokerage=brokerage)
    if run is None:
        return 0
    count = run.meetings.filter(status=Meeting.Status.SCHEDULED).update(status=Meeting.Status.HELD)
    audit_record(actor=actor, action="brokerage.closed", obj=brokerage, after={"held": count})
    return count


@transaction.atomic
def feedback_give(
    *,
    actor: Any,
    meeting: Meeting,
    participant: Participant,
    stage: str,
    rating: int | None = None,
    outcome: str = "",
    comment: str = "",
) -> MeetingFeedback:
    """One side's rating after the event, or what became of the meeting six months later
    (given again, it replaces the previous answer of that stage)."""
    require_self(actor, participant)
    if participant.pk not in (meeting.participant_a_id, meeting.participant_b_id):
        raise NotVisible(ACT)
    if stage not in MeetingFeedback.Stage.values:
        raise ValidationError({"stage": _("After the event or six months later.")})
    if (
        meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED)
        and meeting.slot.ends_at > timezone.now()
    ):
        raise ValidationError({"__all__": _("The meeting has not taken place yet.")})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"__all__": _("This meeting was cancelled.")})
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError({"rating": _("A rating from 1 to 5.")})
    if stage == MeetingFeedback.Stage.SIX_MONTHS and outcome not in MeetingFeedback.Outcome.values:
        raise ValidationError({"outcome": _("Say what became of the meeting.")})
    if outcome and outcome not in MeetingFeedback.Outcome.values:
        raise ValidationError({"outcome": _("Choose one of the outcomes offered.")})
    feedback, _created = MeetingFeedback.objects.update_or_create(
        meeting=meeting,
        participant=participant,
        stage=stage,
        defaults={
            "cluster": meeting.cluster,
            "rating": rating,
            "outcome": outcome,
            "comment": comment.strip()[:2000],
            "created_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="meeting.feedback",
        obj=meeting,
        after={"stage": stage, "rating": rating, "outcome": outcome, "by": participant.pk},
    )
    return feedback


@transaction.atomic
def meeting_link_application(
    *, actor: Any, meeting: Meeting, application: Application | None
) -> Meeting:
    """The organiser links the meeting to the application it led to (or unlinks it). The
    application must be of the cluster and one the organiser may see."""
    require(actor, MANAGE, meeting.cluster)
    if application is not None:
        if application.cluster_id != meeting.cluster_id:
            raise NotVisible("projects.view_application")
        require(actor, "projects.view_application", application, hidden=True)
    before = meeting.application_id
    meeting.application = application
    meeting.save(update_fields=["application"])
    audit_record(
        actor=actor,
        action="meeting.application_linked",
        obj=meeting,
        before={"application": before},
        after={"application": application.pk if application else None},
    )
    return meeting
