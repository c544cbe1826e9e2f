"""`clusterdesk serve`: the production web server (gunicorn), static files by WhiteNoise.

The static files are collected into STATIC_ROOT first, so that an installed package serves
its stylesheet and the vendored htmx with no other step; WhiteNoise reads the manifest that
collectstatic writes. Collecting (hashing and compressing) takes a while, so it is redone
only when the source files changed since the last time (a fingerprint kept in STATIC_ROOT).
Migrations are not applied here: several web machines may start at once, and
`clusterdesk migrate` is one deliberate step of an upgrade (docs/deployment.md).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.core.wsgi import get_wsgi_application
from django.db import connections
from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    # gunicorn's advice (2 per core + 1), bounded: each worker holds a database connection.
    return min(2 * (os.cpu_count() or 1) + 1, 9)


STAMP = ".clusterdesk-collected"


def static_fingerprint() -> str:
    """A digest of every source static file's name, size and time, and of the settings."""
    digest = hashlib.sha256(str(settings.STORAGES["staticfiles"]).encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    return digest.hexdigest()


def collect_static_files() -> bool:
    """Run collectstatic unless STATIC_ROOT already holds these files; say if it ran."""
    stamp = Path(settings.STATIC_ROOT) / STAMP
    fingerprint = static_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True


class ClusterDeskServer(BaseApplication):
    """gunicorn run from inside the command, with Django already set up."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return get_wsgi_application()


class Command(BaseCommand):
    help = "Serve ClusterDesk in production: gunicorn, with static files served by WhiteNoise."
    requires_system_checks: list[str] = []  # checked below, once, before forking the workers

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            action="append",
            help="Address to listen on, HOST:PORT or unix:PATH (repeatable; default "
            "$CLUSTERDESK_BIND or 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("CLUSTERDESK_WORKERS", 0)) or default_workers(),
            help="Worker processes (default $CLUSTERDESK_WORKERS or 2 per core + 1, at most 9).",
        )
        parser.add_argument(
            "--timeout", type=int, default=60, help="Seconds before a silent worker is restarted."
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Skip collectstatic (when STATIC_ROOT is prepared at build time).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.check(display_num_errors=False)
        if settings.DEBUG:
            self.stderr.write(
                "CLUSTERDESK_DEBUG is on: static files are not served and errors show "
                "tracebacks. Use `clusterdesk runserver` for development."
            )
        if not options["no_collectstatic"]:
            self.stdout.write("Collecting static files …")
            if not collect_static_files():
                self.stdout.write("Static files unchanged since the last collection.")
        # The workers are forked from this process: none may inherit an open connection.
        connections.close_all()
        binds = options["bind"] or [os.environ.get("CLUSTERDESK_BIND", "127.0.0.1:8000")]
        ClusterDeskServer(
            {
                "bind": binds,
                "workers": options["workers"],
                "timeout": options["timeout"],
                "accesslog": "-",
                "errorlog": "-",
                "proc_name": "clusterdesk",
                # No control socket in the home directory: several servers may run side by side.
                "control_socket_disable": True,
                # Workers restart now and then so that a slow leak never grows unbounded.
                "max_requests": 2000,
                "max_requests_jitter": 200,
            }
        ).run()
