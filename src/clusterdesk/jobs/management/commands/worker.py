from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background worker (database backend by default, RQ with CLUSTERDESK_TASKS=rq)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-tasks", type=int, default=None, help="Stop after N tasks.")
        parser.add_argument("--interval", type=float, default=1.0, help="Polling interval (s).")

    def handle(self, *args: Any, **options: Any) -> None:
        # Each task opens its own cluster's scope (clusterdesk.jobs.tasks).
        backend = str(settings.TASKS["default"]["BACKEND"])
        if backend.startswith("django_tasks_rq"):
            call_command("rqworker", "default", with_scheduler=False)
            return
        worker_options: dict[str, Any] = {"interval": options["interval"]}
        if options["max_tasks"] is not None:
            worker_options["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **worker_options)
