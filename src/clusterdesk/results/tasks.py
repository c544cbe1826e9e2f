"""Background work of results, thin: the yearly follow-up's e-mails, the reports for
funders (``results.reports.report_build``) and the export of the records behind a figure."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone, translation

from clusterdesk.core.exports import write_table
from clusterdesk.core.links import page_url
from clusterdesk.core.models import Cluster
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import JobError, job_progress
from clusterdesk.jobs.tasks import cluster_task, job_task
from clusterdesk.notifications.services import notify
from clusterdesk.results.models import FollowUpCampaign
from clusterdesk.results.reports import report_build
from clusterdesk.results.selectors import cluster_scope, drill_down_rows


@cluster_task
def send_follow_up_requests(
    cluster: Cluster, campaign_id: int, reminder: bool, only: list[int] | None = None
) -> int:
    """E-mail the campaign's pending requests (``only``: these requests, a project added
    to an open campaign)."""
    campaign = FollowUpCampaign.objects.get(pk=campaign_id)
    requests = campaign.requests.all() if only is None else campaign.requests.filter(pk__in=only)
    pending = (
        requests.filter(completed_at=None)
        .exclude(contact=None)
        .select_related("contact", "application")
    )
    now, sent = timezone.now(), 0
    for request in pending:
        person = request.contact
        if person is None or not person.email or person.anonymised_at is not None:
            continue
        context = {
            "campaign": campaign,
            "cluster": cluster,
            "request": request,
            "person": person,
            "reminder": reminder,
            "url": page_url("results.follow_ups_of_member", cluster=cluster),
        }
        notify(
            to=person.email,
            language=person.language,
            template="results/email/follow_up",
            context=context,
        )
        if reminder:
            request.reminded_at, request.reminders = now, request.reminders + 1
        else:
            request.sent_at = now
        request.save(update_fields=["sent_at", "reminded_at", "reminders"])
        sent += 1
    return sent


# -- reports for funders (built in the background; the job page shows progress) ---------


@job_task
def build_report(job: Job, *, language: str, **params: Any) -> tuple[str, bytes]:
    """A report as a PDF or an XLSX (``results.reports.report_build``), in the language of
    the person who asked for it."""

    def progress(done: int, total: int, message: str) -> None:
        job_progress(job, done=done, total=total + 1, message=message)

    with translation.override(language):
        try:
            return report_build(user=job.user, cluster=job.cluster, progress=progress, **params)
        except ValueError as exc:
            raise JobError(str(exc)) from exc


# -- the records behind a dashboard figure, exported (CSV or XLSX) -----------------------


@job_task
def export_indicator_records(
    job: Job, *, name: str, start: str, end: str, filters: dict[str, Any], fmt: str
) -> tuple[str, bytes]:
    """The records an indicator counts in the job's cluster over the period, as a file."""
    scope = cluster_scope(
        job.cluster, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end), **filters
    )
    try:
        headers, records, row = drill_down_rows(name, scope)
    except KeyError as exc:
        raise JobError(f"No records behind {name!r}.") from exc
    job_progress(job, done=0, total=records.count())
    rows = [row(r) for r in records.iterator(chunk_size=2000)]
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    content = write_table(fmt, headers, rows, title=name)
    return f"{name}-{job.cluster.slug}-{start}-{end}-{stamp}.{fmt}", content
