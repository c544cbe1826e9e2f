"""The `clusterdesk` command: `clusterdesk solve …` runs a solver without Django; anything
else is a manage.py command (demo, worker, token, migrate, runserver …)."""

from __future__ import annotations

import os
import sys

DEVELOPMENT_COMMANDS = frozenset({"demo", "runserver"})


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else ["clusterdesk", *argv])
    if len(args) > 1 and args[1] == "solve":
        # Imported here so that a solve loads neither Django nor the project.
        from clusterdesk.solvers.cli import main as solve

        return solve(args[2:])
    if len(args) > 1 and args[1] in DEVELOPMENT_COMMANDS:
        # The demo and the development server run in DEBUG unless told otherwise; nothing
        # else does (production runs `clusterdesk serve`).
        os.environ.setdefault("CLUSTERDESK_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
