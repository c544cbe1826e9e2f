"""Background work of events: an event's badges as one PDF (hundreds of pages of layout)."""

from __future__ import annotations

from clusterdesk.events.badges import badges_pdf
from clusterdesk.events.models import Event, Registration
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
