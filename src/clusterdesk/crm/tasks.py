"""E-mails of the CRM, sent by the worker once the change that asks for them commits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clusterdesk.core.errors import Conflict
from clusterdesk.core.exports import write_table
from clusterdesk.core.models import Cluster
from clusterdesk.crm.importing.columns import MappingError, parse_map_options
from clusterdesk.crm.importing.pipeline import import_organisations
from clusterdesk.crm.importing.tabular import TableError, read_table
from clusterdesk.crm.models import Contact, Membership
from clusterdesk.crm.selectors import OrganisationFilter
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import JobError, job_progress
from clusterdesk.jobs.tasks import cluster_task, job_task


def _send(template: str, context: dict[str, object], language: str, to: str) -> None:
    with translation.override(language):
        subject = render_to_string(f"crm/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"crm/email/{template}.txt", context)
    send_mail(subject, body, None, [to])


@cluster_task
def send_fee_notices(cluster: Cluster, membership_ids: list[int], notice: str) -> int:
    """A fee call or reminder to each membership's representative; returns how many."""
    sent = 0
    memberships = Membership.objects.filter(pk__in=membership_ids).select_related(
        "organisation", "representative", "category"
    )
    for membership in memberships:
        person = membership.representative
        if person is None or not person.email or person.anonymised_at is not None:
            continue
        context = {
            "membership": membership,
            "cluster": cluster,
            "person": person,
            "reminder": notice == "reminder",
        }
        _send("fee_notice", context, person.language, person.email)
        sent += 1
    return sent


@cluster_task
def send_portal_welcome(cluster: Cluster, contact_id: int) -> None:
    contact = Contact.objects.select_related("user", "organisation").get(pk=contact_id)
    user = contact.user
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", args=[uid, token])
    context = {"contact": contact, "cluster": cluster, "url": f"{settings.SITE_URL}{path}"}
    _send("portal_welcome", context, contact.language, user.email)


@job_task
def import_organisations_file(
    job: Job, mapping: list[str], strict: bool, dry_run: bool, filename: str
) -> None:
    """Check (dry run) or import the spreadsheet stored on the job; the report goes on it."""
    try:
        options = parse_map_options(mapping)
        with job.input_file.open("rb") as handle:
            table = read_table(handle.read(), filename)
    except (MappingError, TableError) as exc:
        raise JobError(str(exc)) from exc
    job_progress(job, done=0, total=len(table.rows))

    def progress(done: int, total: int) -> None:
        job_progress(job, done=done * len(table.rows) // max(total, 1))

    try:
        report = import_organisations(
            cluster=job.cluster,
            actor=job.user,
            table=table,
            mapping=options,
            dry_run=dry_run,
            strict=strict,
            progress=progress,
        )
    except (MappingError, Conflict) as exc:
        raise JobError(str(exc)) from exc
    job.report = report.as_dict() | {
        "text": report.as_text(),
        "filename": filename,
        "mapping": mapping,
    }
    job.done = job.total
    job.save(update_fields=["report", "done"])


@job_task
def export_organisations(job: Job, fmt: str, filters: dict[str, Any]) -> tuple[str, bytes]:
    """The filtered organisation list as CSV or XLSX."""
    from clusterdesk.crm.exports import organisation_rows

    headers, rows = organisation_rows(cluster=job.cluster, filters=OrganisationFilter(**filters))
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return f"organisations-{job.cluster.slug}-{stamp}.{fmt}", write_table(
        fmt, headers, rows, title="Organisations"
    )
