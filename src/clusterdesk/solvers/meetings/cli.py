"""`clusterdesk solve meetings IN.json [--time-limit S]`: print the schedule as JSON.

`IN.json` may be `-` for standard input. Exit codes: 0 solved, 2 malformed input (the
message on stderr names the field).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from .model import MeetingInputError
from .parse import parse_instance
from .solver import schedule_to_json, solve


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits 2 too, but via SystemExit
        raise MeetingInputError(message)


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    parser = _Parser(prog="clusterdesk solve meetings", add_help=False)
    parser.add_argument("input")
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument(
        "--method", choices=("auto", "greedy", "cpsat", "cpsat_warm"), default="auto"
    )
    parser.add_argument("--seed", type=int, default=0)
    try:
        args = parser.parse_args(argv)
        if args.time_limit is not None and not args.time_limit > 0:
            raise MeetingInputError("--time-limit: must be a positive number of seconds")
        try:
            if args.input == "-":
                data = json.load(sys.stdin)
            else:
                with open(args.input, encoding="utf-8") as fh:
                    data = json.load(fh)
        except OSError as exc:
            raise MeetingInputError(f"{args.input}: cannot read ({exc.strerror})") from None
        except json.JSONDecodeError as exc:
            raise MeetingInputError(f"{args.input}: invalid JSON ({exc})") from None
        instance = parse_instance(data)
    except MeetingInputError as exc:
        print(f"clusterdesk solve meetings: {exc}", file=sys.stderr)
        return 2
    limit = args.time_limit if args.time_limit is not None else instance.time_limit_s
    if limit is not None:
        # The limit covers the whole command: reading the input and writing the output too.
        limit = max(0.01, 0.99 * limit - (time.perf_counter() - started))
    schedule = solve(instance, limit, method=args.method, seed=args.seed)
    json.dump(schedule_to_json(instance, schedule), sys.stdout)
    sys.stdout.write("\n")
    return 0
