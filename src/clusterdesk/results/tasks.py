"""Background work of the results: the yearly follow-up's e-mails, the funders' reports and
the export of the records behind a figure."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from clusterdesk.core.exports import write_table
from clusterdesk.core.links import page_url
from clusterdesk.core.models import Cluster
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import JobError, job_progress
from clusterdesk.jobs.tasks import cluster_task, job_task
from clusterdesk.notifications.services import notify
from clusterdesk.results import reports
from clusterdesk.results.models import FollowUpCampaign
from clusterdesk.results.selectors import cluster_scope, drill_down_rows


@cluster_task
def send_follow_up_requests(cluster: Cluster, campaign_id: int, reminder: bool) -> int:
    campaign = FollowUpCampaign.objects.get(pk=campaign_id)
    pending = (
        campaign.requests.filter(completed_at=None)
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
def build_report(
    job: Job,
    *,
    report: str,
    fmt: str,
    language: str,
    year: int | None = None,
    start: str | None = None,
    end: str | None = None,
    indicators: list[str] | None = None,
    title: str = "",
    lists: bool = False,
) -> tuple[str, bytes]:
    """The annual activity report (``report="annual"``, ``year``) or the configurable one
    (``report="custom"``, ``indicators`` from ``start`` to ``end``) as a PDF or an XLSX.

    What the report lists is decided here from the person who started the job, as they are
    now (``results.reports.access_of``): a funder gets aggregates only.
    """

    def progress(done: int, total: int, message: str) -> None:
        job_progress(job, done=done, total=total + 1, message=message)

    with translation.override(language):
        access = reports.access_of(job.user, job.cluster)
        if report == "annual" and year is not None:
            data = reports.annual_report(
                cluster=job.cluster, year=year, access=access, progress=progress
            )
        elif report == "custom" and start and end and indicators:
            data = reports.custom_report(
                cluster=job.cluster,
                names=indicators,
                start=datetime.date.fromisoformat(start),
                end=datetime.date.fromisoformat(end),
                access=access,
                title=title,
                lists=lists,
                progress=progress,
            )
        else:
            raise JobError(f"Unknown report {report!r}.")
        progress(4, 4, str(translation.gettext("Laying out the report")))
        if fmt == "pdf":
            content = reports.report_pdf(data)
        elif fmt == "xlsx":
            content = reports.report_xlsx(data)
        else:
            raise JobError(f"Unknown format {fmt!r}.")
        return data.filename(fmt), content


# -- the records behind a dashboard figure, exported (CSV or XLSX) -----------------------


@job_task
def export_indicator_records(
    job: Job, *, name: str, start: str, end: str, filters: dict[str, object], fmt: str
) -> tuple[str, bytes]:
    """The records an indicator counts in the job's cluster over the period, as a file."""
    try:
        headers, records, row = drill_down_rows(
            name,
            cluster_scope(
                job.cluster,
                datetime.date.fromisoformat(start),
                datetime.date.fromisoformat(end),
                **filters,
            ),
        )
    except KeyError as exc:
        raise JobError(f"No records behind {name!r}.") from exc
    job_progress(job, done=0, total=records.count())
    rows = [row(r) for r in records.iterator(chunk_size=2000)]
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    content = write_table(fmt, headers, rows, title=name)
    return f"{name}-{job.cluster.slug}-{start}-{end}-{stamp}.{fmt}", content
