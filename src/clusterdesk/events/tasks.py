"""Background work of events: an event's badges as one PDF (hundreds of pages of layout),
and its registrations as CSV or XLSX."""

from __future__ import annotations

from django.utils import timezone

from clusterdesk.core.exports import write_table
from clusterdesk.events.badges import badges_pdf
from clusterdesk.events.models import Event, Registration
from clusterdesk.events.selectors import EXPORT_HEADERS, export_rows, registration_list
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import job_progress
from clusterdesk.jobs.tasks import job_task


@job_task
def render_badges(job: Job, *, event_id: int) -> tuple[str, bytes]:
    """The badges of the event's confirmed registrations, by name."""
    event = Event.objects.get(pk=event_id, cluster=job.cluster)
    people = list(
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .select_related("event", "category", "organisation")
        .order_by("last_name", "first_name", "pk")
    )
    job_progress(job, done=0, total=len(people))
    content = badges_pdf(people)
    job_progress(job, done=len(people))
    return f"badges-{event.slug}.pdf", content


@job_task
def export_registrations(job: Job, *, event_id: int, fmt: str) -> tuple[str, bytes]:
    """The registrations the job's person may read (``registration_list``), by name."""
    event = Event.objects.get(pk=event_id, cluster=job.cluster)
    registrations = registration_list(user=job.user, event=event)
    job_progress(job, done=0, total=registrations.count())
    content = write_table(fmt, EXPORT_HEADERS, export_rows(registrations), title="registrations")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"registrations-{event.slug}-{stamp}.{fmt}", content
