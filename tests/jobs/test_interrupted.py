"""A worker killed in the middle of a job: the job is failed and says so, never left running."""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled

from clusterdesk.jobs import services
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import JOB_STALE_AFTER, job_run, jobs_fail_interrupted
from tests.conftest import client_for, make_tenant
from tests.factories import ClusterFactory

INTERRUPTED = "Interrupted: the background worker stopped during this work. Start it again."


def make_job(status: str, *, silent_for: datetime.timedelta | None) -> Job:
    now = timezone.now()
    with scopes_disabled():
        cluster = ClusterFactory()
        return Job.objects.create(
            cluster=cluster,
            kind="x",
            label="x",
            status=status,
            started_at=now - datetime.timedelta(hours=1),
            heartbeat_at=None if silent_for is None else now - silent_for,
        )


def test_jobs_fail_interrupted_fails_only_silent_running_jobs(db: None) -> None:
    stale = make_job(Job.Status.RUNNING, silent_for=JOB_STALE_AFTER * 2)
    never_beat = make_job(Job.Status.RUNNING, silent_for=None)  # from before heartbeats
    alive = make_job(Job.Status.RUNNING, silent_for=datetime.timedelta(seconds=5))
    queued = make_job(Job.Status.QUEUED, silent_for=JOB_STALE_AFTER * 2)
    done = make_job(Job.Status.DONE, silent_for=JOB_STALE_AFTER * 2)

    assert jobs_fail_interrupted() == 2

    with scopes_disabled(), translation.override(settings.LANGUAGE_CODE):
        for job in (stale, never_beat):
            job.refresh_from_db()
            assert job.status == Job.Status.FAILED
            assert job.is_finished and job.finished_at is not None
            assert job.message == gettext(INTERRUPTED)
        for job, status in ((alive, "running"), (queued, "queued"), (done, "done")):
            job.refresh_from_db()
            assert job.status == status
    assert jobs_fail_interrupted() == 0


def test_interrupted_job_page_shows_it_failed(db: None) -> None:
    with scopes_disabled():
        tenant = make_tenant()
        job = Job.objects.create(
            cluster=tenant.cluster,
            user=tenant.director,
            kind="crm.export",
            label="Export",
            status=Job.Status.RUNNING,
            started_at=timezone.now() - JOB_STALE_AFTER * 3,
            heartbeat_at=timezone.now() - JOB_STALE_AFTER * 2,
        )
    jobs_fail_interrupted()
    client = client_for(tenant.director)
    page = client.get(f"/c/{tenant.cluster.slug}/jobs/{job.pk}/").content.decode()
    assert 'class="status-failed"' in page
    assert "hx-trigger" not in page  # the page stops polling a job that will not move


@pytest.mark.django_db(transaction=True)
def test_job_heartbeat_beats_through_a_long_silent_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "JOB_HEARTBEAT", datetime.timedelta(seconds=0.05))
    job = make_job(Job.Status.QUEUED, silent_for=None)
    beats: list[datetime.datetime | None] = []

    def work(j: Job) -> None:
        for _ in range(2):
            time.sleep(0.4)  # no progress reported
            with scopes_disabled():
                beats.append(Job.objects.get(pk=j.pk).heartbeat_at)

    job_run(job, work)
    assert job.started_at is not None
    assert beats[0] is not None and beats[0] > job.started_at
    assert beats[1] is not None and beats[1] > beats[0]
