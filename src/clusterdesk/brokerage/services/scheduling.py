"""Scheduling: the organiser starts a run (a background job with progress), reviews the
draft with its proven gap, then publishes it (the previous schedule is replaced) or discards
it. A re-run may keep the published meetings; those it cannot keep are listed on the run.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.brokerage.models import Brokerage, MeetingSlot, Participant, ScheduleRun
from clusterdesk.brokerage.selectors import accepted_requests
from clusterdesk.brokerage.tasks import schedule_event
from clusterdesk.core.errors import Conflict, require
from clusterdesk.core.links import page_url
from clusterdesk.jobs.services import job_start
from clusterdesk.notifications.services import notify

MANAGE = "brokerage.manage_brokerage"
MAX_TIME_LIMIT_S = 600.0


@transaction.atomic
def schedule_start(
    *, actor: User, brokerage: Brokerage, keep_published: bool = False, time_limit_s: float = 10.0
) -> ScheduleRun:
    """Check that there is something to schedule, then start the job. Refused, with
    nothing written, when the event has no slot or no accepted request, or a run is
    already under way."""
    require(actor, MANAGE, brokerage.cluster)
    if not 0.1 <= time_limit_s <= MAX_TIME_LIMIT_S:
        raise ValidationError(
            {"time_limit_s": _("Between 0.1 and %(max)s seconds.") % {"max": int(MAX_TIME_LIMIT_S)}}
        )
    if not MeetingSlot.objects.filter(brokerage=brokerage).exists():
        raise ValidationError(
            {"__all__": _("The event has no meeting slot yet: create them first.")}
        )
    if not accepted_requests(brokerage=brokerage).exists():
        raise ValidationError(
            {
                "__all__": _(
                    "There is nothing to schedule: no accepted meeting request between two "
                    "validated participants."
                )
            }
        )
    # One run at a time per event: the brokerage row is the lock.
    Brokerage.objects.select_for_update().get(pk=brokerage.pk)
    running = ScheduleRun.objects.filter(brokerage=brokerage, state=ScheduleRun.State.RUNNING)
    # A run whose job failed or vanished no longer blocks.
    stale = running.exclude(job__status__in=["pending", "running"])
    stale.update(state=ScheduleRun.State.FAILED)
    current = running.first()
    if current is not None:
        raise Conflict(
            _("A schedule is already being computed (run no. %(id)s).") % {"id": current.pk},
            existing=current,
        )
    run = ScheduleRun.objects.create(
        cluster=brokerage.cluster,
        brokerage=brokerage,
        keep_published=keep_published,
        time_limit_s=time_limit_s,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="schedule.started",
        obj=run,
        after={"keep_published": keep_published, "time_limit_s": time_limit_s},
    )
    run.job = job_start(
        cluster=brokerage.cluster,
        user=actor,
        kind="brokerage.schedule",
        label=_("Meeting schedule: %(event)s") % {"event": brokerage.event.title},
        task=schedule_event,
        run_id=run.pk,
    )
    run.save(update_fields=["job"])
    return run


@transaction.atomic
def schedule_publish(
    *, actor: User, run: ScheduleRun, notify_participants: bool = True
) -> ScheduleRun:
    """Publish a draft: it becomes everyone's agenda, the previous schedule is replaced."""
    require(actor, MANAGE, run.cluster)
    run = ScheduleRun.objects.select_for_update().select_related("brokerage__event").get(pk=run.pk)
    if run.state != ScheduleRun.State.DRAFT:
        raise ValidationError(
            {
                "__all__": _("Only a draft can be published (this run is “%(state)s”).")
                % {"state": run.get_state_display()}
            }
        )
    ScheduleRun.objects.filter(brokerage=run.brokerage, state=ScheduleRun.State.PUBLISHED).update(
        state=ScheduleRun.State.SUPERSEDED
    )
    run.state, run.published_at = ScheduleRun.State.PUBLISHED, timezone.now()
    run.save(update_fields=["state", "published_at"])
    audit_record(
        actor=actor,
        action="schedule.published",
        obj=run,
        after={"meetings": run.meetings.count(), "objective": run.objective},
    )
    if notify_participants:
        _notify_agendas(run)
    return run


def _notify_agendas(run: ScheduleRun) -> None:
    """Tell every participant with a meeting that their agenda is ready (with its link)."""
    from_ids = set(run.meetings.values_list("participant_a_id", flat=True)) | set(
        run.meetings.values_list("participant_b_id", flat=True)
    )
    for p in Participant.objects.filter(pk__in=from_ids).select_related(
        "registration", "brokerage__event"
    ):
        notify(
            to=p.registration.email,
            language=p.registration.language,
            template="brokerage/email/agenda_published",
            context={
                "participant": p,
                "event": p.brokerage.event,
                "link": page_url("brokerage.participant", participant=p),
            },
        )


@transaction.atomic
def schedule_discard(*, actor: User, run: ScheduleRun) -> ScheduleRun:
    require(actor, MANAGE, run.cluster)
    if run.state != ScheduleRun.State.DRAFT:
        raise ValidationError({"__all__": _("Only a draft can be discarded.")})
    run.state = ScheduleRun.State.DISCARDED
    run.save(update_fields=["state"])
    run.meetings.all().delete()
    audit_record(actor=actor, action="schedule.discarded", obj=run)
    return run
