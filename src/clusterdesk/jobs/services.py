"""Starting long work and reporting its progress."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from clusterdesk.core.models import Cluster
from clusterdesk.jobs.models import Job


def job_start(
    *, cluster: Cluster, user: Any, kind: str, label: str, task: Task, **params: Any
) -> Job:
    """Record the job and enqueue its task once the transaction commits."""
    with transaction.atomic():
        job = Job.objects.create(cluster=cluster, user=user, kind=kind, label=label)
        transaction.on_commit(functools.partial(task.enqueue, job_id=job.pk, **params))
    return job


def job_progress(job: Job, *, done: int, total: int | None = None, message: str = "") -> None:
    job.done = done
    if total is not None:
        job.total = total
    if message:
        job.message = message
    Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total, message=job.message)


class JobError(Exception):
    """Work that cannot be done as asked (a bad file …): the job fails with this message."""


def job_run(job: Job, work: Callable[[Job], tuple[str, bytes] | None]) -> None:
    """Run ``work``; it may return a result file (name, content) that the person downloads."""
    job.status, job.started_at = Job.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        result = work(job)
    except Exception as exc:
        job.status, job.message = Job.Status.FAILED, str(exc)[:2000] or exc.__class__.__name__
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        if isinstance(exc, JobError):
            return  # an expected refusal, told to the person; not a crash to log
        raise
    if result is not None:
        name, content = result
        job.result_file.save(name, ContentFile(content), save=False)
    job.status, job.finished_at = Job.Status.DONE, timezone.now()
    job.done = max(job.done, job.total)
    job.save(update_fields=["status", "finished_at", "result_file", "done"])
