"""The scheduling job's work: read the event into ``solvers.meetings``' input, solve, and
write the draft (its meetings and figures) in one transaction.

Called by ``tasks.schedule_event`` for a run that ``services.scheduling.schedule_start``
created after checking the permission; a problem in the input fails the run with its
message and writes nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.audit.services import audit_record
from clusterdesk.brokerage.models import Meeting, ScheduleRun
from clusterdesk.brokerage.selectors import solver_input
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import JobError, job_progress
from clusterdesk.solvers.meetings import MeetingInputError, parse_instance, solve


def schedule_compute(*, job: Job, run_id: int) -> None:
    run = ScheduleRun.objects.select_related("brokerage__event").get(pk=run_id)
    try:
        _compute(job, run)
    except Exception as exc:
        ScheduleRun.objects.filter(pk=run.pk).update(state=ScheduleRun.State.FAILED)
        if isinstance(exc, MeetingInputError):
            raise JobError(str(exc)) from exc
        raise


def _compute(job: Job, run: ScheduleRun) -> None:
    def progress(done: int, message: str) -> None:
        job_progress(job, done=done, total=3, message=message)

    meetings = schedule_solve(run=run, actor=job.user, progress=progress)
    job.report = {"brokerage": run.brokerage_id, "run": run.pk, "meetings": meetings}
    Job.objects.filter(pk=job.pk).update(report=job.report)


def schedule_solve(
    *, run: ScheduleRun, actor: Any, progress: Callable[[int, str], None] | None = None
) -> int:
    """Solve the run's event and write its draft; returns the number of meetings."""
    brokerage = run.brokerage
    say = progress or (lambda done, message: None)
    say(0, _("Reading the requests and availability"))
    doc = solver_input(brokerage=brokerage, keep=run.keep_published, time_limit_s=run.time_limit_s)
    inst = parse_instance(doc)
    say(
        1,
        _("Scheduling %(pairs)s pairs of %(people)s participants (at most %(s)s s)")
        % {"pairs": len(inst.pairs), "people": inst.n, "s": f"{run.time_limit_s:g}"},
    )
    result = solve(inst, run.time_limit_s)
    say(2, _("Writing the draft"))
    people, slots = inst.participants, inst.slots
    weight = {(p.a, p.b): p.weight for p in inst.pairs}
    with transaction.atomic():
        Meeting.objects.bulk_create(
            [
                Meeting(
                    cluster=run.cluster,
                    brokerage=brokerage,
                    run=run,
                    participant_a_id=int(people[m.a].id),
                    participant_b_id=int(people[m.b].id),
                    slot_id=int(slots[m.slot].id),
                    table=m.table,
                    weight=weight.get((m.a, m.b), 0),
                )
                for m in result.meetings
            ],
            batch_size=1000,
        )
        run.state = ScheduleRun.State.DRAFT
        run.objective = result.objective
        run.upper_bound = float(result.upper_bound)
        run.gap = result.gap
        run.solve_s = result.solve_s
        run.requests_count = len(doc["requests"])
        run.unscheduled = [
            {"a": people[u.a].id, "b": people[u.b].id, "reason": u.reason}
            for u in result.unscheduled
        ]
        run.not_kept = [
            {"a": k.a, "b": k.b, "slot": k.slot, "reason": k.reason} for k in result.not_kept
        ]
        run.stats = {k: v for k, v in result.stats.items() if isinstance(v, int | float | str)}
        run.save()
        audit_record(
            actor=actor,
            action="schedule.drafted",
            obj=run,
            after={
                "meetings": len(result.meetings),
                "objective": result.objective,
                "upper_bound": run.upper_bound,
                "not_kept": len(run.not_kept),
            },
        )
    return len(result.meetings)
