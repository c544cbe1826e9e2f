"""Starting long work and reporting its progress."""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled
from django_tasks.base import Task

from clusterdesk.core.models import Cluster
from clusterdesk.jobs.models import Job

logger = logging.getLogger(__name__)

# A running job shows a sign of life this often; one silent for JOB_STALE_AFTER lost its
# worker (killed, machine gone) and is failed rather than left "running" for ever.
JOB_HEARTBEAT = datetime.timedelta(seconds=15)
JOB_STALE_AFTER = datetime.timedelta(minutes=2)


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
    Job.objects.filter(pk=job.pk).update(
        done=job.done, total=job.total, message=job.message, heartbeat_at=timezone.now()
    )


class JobError(Exception):
    """Work that cannot be done as asked (a bad file …): the job fails with this message."""


def job_run(job: Job, work: Callable[[Job], tuple[str, bytes] | None]) -> None:
    """Run ``work``; it may return a result file (name, content) that the person downloads."""
    job.status, job.started_at = Job.Status.RUNNING, timezone.now()
    job.heartbeat_at = job.started_at
    job.save(update_fields=["status", "started_at", "heartbeat_at"])
    try:
        with _heartbeat(job):
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


@contextlib.contextmanager
def _heartbeat(job: Job) -> Iterator[None]:
    """Touch the job's heartbeat from a thread while ``work`` runs, even through long steps
    that report no progress; the beats stop with the process that runs the job."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(JOB_HEARTBEAT.total_seconds()):
                try:
                    # By primary key, for this job only; scopes are per thread of execution.
                    with scopes_disabled():
                        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("Could not record the heartbeat of job %s", job.pk)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def jobs_fail_interrupted(*, stale_after: datetime.timedelta = JOB_STALE_AFTER) -> int:
    """Fail the jobs left "running" by a worker that stopped; return how many.

    Run by `clusterdesk worker` when it starts and then every minute, for every cluster: the
    worker is the instance's, not a cluster's. The person sees the job failed and why, and
    starts it again (no automatic retry: an interrupted import may have written part of
    its rows, and the person decides).
    """
    now = timezone.now()
    cutoff = now - stale_after
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    with translation.override(settings.LANGUAGE_CODE):
        message = gettext(
            "Interrupted: the background worker stopped during this work. Start it again."
        )
    with scopes_disabled():
        count = Job.objects.filter(silent, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, message=message, finished_at=now
        )
    if count:
        logger.warning("Marked %d interrupted job(s) as failed", count)
    return count
