from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date

from clusterdesk.audit.selectors import AuditFilter, audit_entries
from clusterdesk.core.exports import write_table
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import job_progress
from clusterdesk.jobs.tasks import job_task

EXPORT_BATCH = 500


@job_task
def export_audit_log(job: Job, **filters: Any) -> tuple[str, bytes]:
    """Write the filtered audit log of the job's cluster to CSV: the entries the person
    who started the job may read, as on the log page."""
    f = AuditFilter(
        actor_id=filters.get("actor_id"),
        action=filters.get("action", ""),
        content_type_id=filters.get("content_type_id"),
        object_id=filters.get("object_id", ""),
        date_from=parse_date(filters["date_from"]) if filters.get("date_from") else None,
        date_to=parse_date(filters["date_to"]) if filters.get("date_to") else None,
    )
    entries = audit_entries(cluster=job.cluster, user=job.user, filters=f)
    total = entries.count()
    job_progress(job, done=0, total=total)

    def rows() -> Iterator[list[Any]]:
        for n, e in enumerate(entries.iterator(chunk_size=EXPORT_BATCH), start=1):
            yield [
                e.created_at,
                e.actor.email if e.actor else "",
                e.action,
                e.content_type.model if e.content_type else "",
                e.object_id,
                e.object_repr,
                e.before if e.before is not None else "",
                e.after if e.after is not None else "",
            ]
            if n % EXPORT_BATCH == 0:
                job_progress(job, done=n)

    headers = ["time", "actor", "action", "object_type", "object_id", "object", "before", "after"]
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return f"audit-{job.cluster.slug}-{stamp}.csv", write_table("csv", headers, rows())
