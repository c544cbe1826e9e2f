"""``clusterdesk solve reviewers IN.json``: read a problem (``-`` for stdin), print JSON.

Exit codes: 0 solved (possibly with ``unfilled`` or ``unmet_min_load``), 2 malformed input
or usage, 1 solver failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .problem import ReviewerInputError, parse_problem
from .solver import ReviewerSolveError, assign, assignment_to_json


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clusterdesk solve reviewers",
        description="Assign reviewers to applications (max affinity, loads, conflicts, locks).",
    )
    parser.add_argument("input", help="problem JSON file, or - for stdin")
    parser.add_argument("--indent", type=int, default=None, help="pretty-print the output")
    return parser


def _read(path: str) -> Any:
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits on usage errors; callers expect a return code
        return int(exc.code or 0)
    try:
        data = _read(args.input)
    except OSError as exc:
        print(f"{args.input}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        print(f"{args.input}: invalid JSON: {exc}", file=sys.stderr)
        return 2
    try:
        problem = parse_problem(data)
    except ReviewerInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        result = assign(problem)
    except ReviewerSolveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    json.dump(assignment_to_json(result), sys.stdout, indent=args.indent, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
