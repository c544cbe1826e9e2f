from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import job_run
from tests.conftest import Tenant


def test_failing_job_is_marked_failed_with_its_message(tenant_a: Tenant) -> None:
    with scopes_disabled():
        job = Job.objects.create(cluster=tenant_a.cluster, kind="x", label="x")

    def work(j: Job) -> None:
        raise ValueError("the file has no header row")

    with pytest.raises(ValueError):
        job_run(job, work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "the file has no header row"
    assert job.finished_at is not None


def test_job_percent_follows_progress(tenant_a: Tenant) -> None:
    job = Job(cluster=tenant_a.cluster, kind="x", label="x", done=3, total=12)
    assert job.percent == 25
    job.status = Job.Status.DONE
    assert job.percent == 100
