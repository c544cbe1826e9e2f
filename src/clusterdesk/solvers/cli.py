"""`clusterdesk solve NAME IN.json [options]`: run a solver on a JSON file, print JSON.

Each solver package exposes ``cli.main(argv) -> int``; exit code 2 means malformed input.
This module never imports Django, so solving needs no settings or database.
"""

from __future__ import annotations

import importlib
import sys

SOLVERS = {
    "affinity": "clusterdesk.solvers.matching.cli",
    "meetings": "clusterdesk.solvers.meetings.cli",
    "reviewers": "clusterdesk.solvers.reviewers.cli",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in SOLVERS:
        names = ", ".join(sorted(SOLVERS))
        print(f"usage: clusterdesk solve {{{names}}} IN.json [options]", file=sys.stderr)
        return 2
    module = importlib.import_module(SOLVERS[args[0]])
    return int(module.main(args[1:]))
