from __future__ import annotations

import datetime
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections

from clusterdesk.jobs.services import JOB_HEARTBEAT, JOB_STALE_AFTER, jobs_fail_interrupted

CHECK_INTERVAL = 60.0


class Command(BaseCommand):
    help = "Run the background worker (database backend by default, RQ with CLUSTERDESK_TASKS=rq)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-tasks", type=int, default=None, help="Stop after N tasks.")
        parser.add_argument("--interval", type=float, default=1.0, help="Polling interval (s).")
        parser.add_argument(
            "--stale-after",
            type=float,
            default=JOB_STALE_AFTER.total_seconds(),
            help="Fail running jobs silent for this many seconds (their worker stopped).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stale_after = datetime.timedelta(seconds=options["stale_after"])
        if stale_after < 3 * JOB_HEARTBEAT:
            raise CommandError(f"--stale-after must be at least {3 * JOB_HEARTBEAT.seconds} s.")
        # Jobs a killed worker left "running" are failed now, then checked every minute
        # (another machine's worker may die while this one runs).
        jobs_fail_interrupted(stale_after=stale_after)
        watcher = threading.Thread(
            target=self.watch_interrupted, args=(stale_after,), name="jobs-watch", daemon=True
        )
        watcher.start()
        # Each task opens its own cluster's scope (clusterdesk.jobs.tasks).
        backend = str(settings.TASKS["default"]["BACKEND"])
        if backend.startswith("django_tasks_rq"):
            call_command("rqworker", "default", with_scheduler=False)
            return
        worker_options: dict[str, Any] = {"interval": options["interval"]}
        if options["max_tasks"] is not None:
            worker_options["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **worker_options)

    def watch_interrupted(self, stale_after: datetime.timedelta) -> None:
        stop = threading.Event()
        while not stop.wait(CHECK_INTERVAL):
            try:
                jobs_fail_interrupted(stale_after=stale_after)
            except DatabaseError as exc:  # the database restarting: try again next time
                self.stderr.write(f"Could not check for interrupted jobs: {exc}")
            finally:
                connections.close_all()
