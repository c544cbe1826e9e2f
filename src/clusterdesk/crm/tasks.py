"""Background work of the CRM: the spreadsheet import and the organisation export (its
e-mails are in ``notices.py``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from clusterdesk.core.errors import Conflict
from clusterdesk.core.exports import write_table
from clusterdesk.crm.exports import organisation_rows
from clusterdesk.crm.importing.columns import MappingError, parse_map_options
from clusterdesk.crm.importing.parsing import ImportChoices
from clusterdesk.crm.importing.pipeline import import_organisations
from clusterdesk.crm.importing.tabular import TableError, read_table
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.selectors import OrganisationFilter
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import JobError, job_progress
from clusterdesk.jobs.tasks import job_task


@job_task
def import_organisations_file(
    job: Job,
    mapping: list[str],
    strict: bool,
    dry_run: bool,
    filename: str,
    kinds: dict[str, str] | None = None,
    new_terms: dict[str, list[str]] | None = None,
    saved_columns: dict[str, str] | None = None,
) -> None:
    """Check (dry run) or import the spreadsheet stored on the job; the report goes on it."""
    try:
        options = parse_map_options(mapping)
        with job.input_file.open("rb") as handle:
            table = read_table(handle.read(), filename)
    except (MappingError, TableError) as exc:
        raise JobError(str(exc)) from exc
    # A saved mapping's columns this file has; what the person typed wins.
    options = {
        name: column
        for name, column in (saved_columns or {}).items()
        if column in table.headers and column not in options.values()
    } | options
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
            choices=ImportChoices(kinds=kinds or {}, new_terms=new_terms or {}),
        )
    except (MappingError, Conflict) as exc:
        raise JobError(str(exc)) from exc
    job.report = report.as_dict() | {
        "text": report.as_text(),
        "filename": filename,
        "mapping": mapping,
        "saved_columns": saved_columns or {},
        # What the report page offers to confirm, decided by the same permissions.
        "kind_options": [[value, str(label)] for value, label in OrganisationKind.choices],
        "can_create_terms": bool(
            job.user and job.user.has_perm("core.change_cluster", job.cluster)
        ),
        "confirmed_kinds": kinds or {},
    }
    job.done = job.total
    job.save(update_fields=["report", "done"])


@job_task
def export_organisations(job: Job, fmt: str, filters: dict[str, Any]) -> tuple[str, bytes]:
    """The filtered organisation list as CSV or XLSX."""
    headers, rows = organisation_rows(cluster=job.cluster, filters=OrganisationFilter(**filters))
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return f"organisations-{job.cluster.slug}-{stamp}.{fmt}", write_table(
        fmt, headers, rows, title="Organisations"
    )
