"""Fault (b): the worker is killed (SIGKILL) in the middle of a job.

Starts a long job (a dry-run check of a 60,000-row organisation import) on a PostgreSQL
database of its own, runs `clusterdesk worker`, kills it once the job is running, watches
the job for a minute (a job nobody runs must not stay "running"), then starts a worker
again and reports what the person sees on the job page.

    .venv/bin/python benchmarks/faults/worker_killed.py [--database-url postgres://…/cd_ops]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from common import CLUSTERDESK, DEFAULT_DATABASE_URL, django_setup, prepare

ROWS = 60_000
STALE_AFTER = 45  # seconds (the default is 120 s; 45 s is the smallest the worker accepts)


def start_job() -> int:
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django_scopes import scopes_disabled

    from clusterdesk.accounts.models import User
    from clusterdesk.core.models import Cluster, Region
    from clusterdesk.crm.tasks import import_organisations_file
    from clusterdesk.jobs.services import job_start

    lines = ["nom;siren;code postal"] + [
        f"Entreprise {n};;{69000 + n % 900:05d}" for n in range(ROWS)
    ]
    with scopes_disabled():
        region, _ = Region.objects.get_or_create(slug="faults", defaults={"name": "Faults"})
        cluster, _ = Cluster.objects.get_or_create(
            slug="faults", defaults={"name": "Pôle Faults", "region": region, "sector": "santé"}
        )
        user = User.objects.filter(email="faults@example.org").first() or (
            User.objects.create_user("faults@example.org", "Faults-Password-42")
        )
        with transaction.atomic():
            job = job_start(
                cluster=cluster,
                user=user,
                kind="crm.import_check",
                label="Import check: big.csv",
                task=import_organisations_file,
                mapping=[],
                strict=False,
                dry_run=True,
                filename="big.csv",
            )
            job.input_file.save("big.csv", ContentFile("\n".join(lines).encode()), save=True)
    return job.pk


def job_state(pk: int) -> tuple[str, int, int, str, float | None]:
    from django.db import close_old_connections
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from clusterdesk.jobs.models import Job

    close_old_connections()
    with scopes_disabled():
        job = Job.objects.get(pk=pk)
    silent = (timezone.now() - job.heartbeat_at).total_seconds() if job.heartbeat_at else None
    return job.status, job.done, job.total, job.message, silent


def worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*CLUSTERDESK, "worker", "--interval", "0.2", "--stale-after", str(STALE_AFTER)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("a"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="cd-faults-"))
    env = prepare(args.database_url, home)
    django_setup(env)
    pk = start_job()
    log = home / "worker.log"

    first = worker(env, log)
    try:
        killed_at = kill_during_job(first, pk)
    finally:
        if first.poll() is None:
            first.terminate()
    second = None
    try:
        second = watch_then_restart(env, log, pk, killed_at)
    finally:
        if second is not None:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=60)


def kill_during_job(first: subprocess.Popen[bytes], pk: int) -> float:
    start = time.monotonic()
    while (state := job_state(pk))[0] == "queued":
        if time.monotonic() - start > 300:
            raise SystemExit(f"the job did not start: {state}")
        time.sleep(0.1)
    time.sleep(1.0)
    before = job_state(pk)
    if before[0] != "running":
        raise SystemExit(f"the job ended before the kill: {before}")
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    killed_at = time.monotonic()
    print(f"killed the worker with the job {before[0]} at {before[1]}/{before[2]} rows")
    return killed_at


def watch_then_restart(
    env: dict[str, str], log: Path, pk: int, killed_at: float
) -> subprocess.Popen[bytes]:

    for _ in range(4):
        time.sleep(15)
        status, done, total, _message, silent = job_state(pk)
        print(
            f"  +{time.monotonic() - killed_at:4.0f} s: {status} {done}/{total}, "
            f"silent for {silent:.0f} s"
        )

    second = worker(env, log)
    waited = time.monotonic()
    while job_state(pk)[0] == "running" and time.monotonic() - waited < 120:
        time.sleep(0.5)
    status, done, total, message, _silent = job_state(pk)
    print(
        f"a worker started again: within {time.monotonic() - waited:.1f} s the job is "
        f"{status} ({done}/{total}); the page says: {message!r}"
    )
    return second


if __name__ == "__main__":
    main()
