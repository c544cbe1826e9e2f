from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from clusterdesk.demo.build import DEMO_PASSWORD, SCALES, build_demo, demo_accounts, demo_exists


class Command(BaseCommand):
    help = "Build the demo world (once), print its accounts and serve it on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Build and print only.")
        parser.add_argument("--scale", choices=SCALES, default="region")
        parser.add_argument("--seed", type=int, default=2005)
        parser.add_argument("--reset", action="store_true", help="Empty the database first.")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write("The demo world is already built (use --reset to rebuild it).")
        else:
            self.stdout.write(f"Building the demo world (scale {options['scale']}) …")
            build_demo(seed=options["seed"], scale=options["scale"])
        self.print_accounts(options["addr"])
        if options["no_serve"]:
            return
        # The worker runs beside the server so that background work (exports …) completes.
        worker = subprocess.Popen([sys.executable, "-m", "clusterdesk.cli", "worker"])
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            worker.terminate()

    def print_accounts(self, addr: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"ClusterDesk demo on http://{addr}/"))
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        for email, what in demo_accounts():
            self.stdout.write(f"  {email:<40} {what}")
        self.stdout.write("")
