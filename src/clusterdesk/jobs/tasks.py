"""The task base: every background task runs inside the scope of its cluster."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django_scopes import scope, scopes_disabled
from django_tasks import task
from django_tasks.base import Task

from clusterdesk.core.models import Cluster
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import job_run


def cluster_task(func: Callable[..., Any]) -> Task:
    """A task taking ``cluster_id`` first; ``func`` receives the Cluster, inside its scope."""

    @functools.wraps(func)
    def run(cluster_id: int, *args: Any, **kwargs: Any) -> Any:
        cluster = Cluster.objects.get(pk=cluster_id)
        with scope(cluster=cluster):
            return func(cluster, *args, **kwargs)

    return task()(run)


def job_task(func: Callable[..., tuple[str, bytes] | None]) -> Task:
    """A task that runs a Job: status, progress and result file are kept on the Job row."""

    @functools.wraps(func)
    def run(job_id: int, **params: Any) -> None:
        # The job id is the only way in; its row names the cluster to scope to.
        with scopes_disabled():
            job = Job.objects.select_related("cluster").get(pk=job_id)
        with scope(cluster=job.cluster):
            job_run(job, lambda j: func(j, **params))

    return task()(run)
