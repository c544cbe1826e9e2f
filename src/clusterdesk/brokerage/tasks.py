"""Background work of brokerage events: the scheduling run (thin: see ``scheduler``)."""

from __future__ import annotations

from clusterdesk.brokerage.scheduler import schedule_compute
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.tasks import job_task


@job_task
def schedule_event(job: Job, run_id: int) -> None:
    """Schedule the event's accepted requests into a draft for the organiser to review."""
    schedule_compute(job=job, run_id=run_id)
