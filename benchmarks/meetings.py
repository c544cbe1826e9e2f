"""Benchmark of the B2B meeting scheduler against two baselines.

    .venv/bin/python benchmarks/meetings.py [--sizes 200,1000,5000] [--seed 1]

For each size, a seeded instance (see ``clusterdesk.solvers.meetings.generator``) is
written to a temporary JSON file and each method runs the real command-line entry point
in a fresh subprocess, so that the reported peak memory (``ru_maxrss`` of that process) and
wall time (interpreter start-up excluded, imports, parsing, solving and JSON output
included) are those of one honest run. Methods: ``auto`` (ours), ``greedy`` (the draft
alone), ``cpsat`` (CP-SAT alone on the slot-indexed model, same time limit) and
``cpsat_warm`` (the same, started from the draft).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMITS = {200: 2.0, 1000: 10.0, 5000: 60.0}
METHODS = {
    "auto": "ours (draft, LP rounding, CP-SAT LNS)",
    "greedy": "greedy only (draft)",
    "cpsat": "CP-SAT only",
    "cpsat_warm": "CP-SAT warm-started from draft",
}


def time_limit_for(n: int) -> float:
    return TIME_LIMITS.get(n, max(2.0, n / 100))


def child(method: str, path: str, time_limit: float) -> None:
    """Run the CLI once in this process and print a JSON summary line on stdout."""
    import contextlib
    import io
    import resource

    t0 = time.perf_counter()
    from clusterdesk.solvers.meetings.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main([path, "--time-limit", str(time_limit), "--method", method])
    wall = time.perf_counter() - t0
    out = json.loads(buffer.getvalue())
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    summary = {
        "code": code,
        "objective": out["objective"],
        "upper_bound": out["upper_bound"],
        "gap": out["gap"],
        "solve_s": out["solve_s"],
        "wall_s": wall,
        "peak_mb": peak_kb / 1024,
        "meetings": len(out["meetings"]),
        "stats": out.get("stats", {}),
    }
    print(json.dumps(summary))


def run_one(method: str, path: str, time_limit: float) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run(
        [sys.executable, __file__, "--child", method, path, str(time_limit)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{method} failed:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {model}, {mem_gb:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,1000,5000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--methods", default="auto,greedy,cpsat,cpsat_warm")
    parser.add_argument("--child", nargs=3, metavar=("METHOD", "PATH", "LIMIT"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], float(args.child[2]))
        return 0

    sys.path.insert(0, str(ROOT / "src"))
    from clusterdesk.solvers.meetings.generator import generate

    sizes = [int(s) for s in args.sizes.split(",")]
    methods = args.methods.split(",")
    print(f"Machine: {machine()}\n")
    print(
        "| N | pairs | time limit s | method | objective | its upper bound | gap to it "
        "| gap to best bound | wall s | peak MB |"
    )
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            doc = generate(n, seed=args.seed)
            path = os.path.join(tmp, f"meetings-{n}.json")
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(doc, fh)
            pairs = len({frozenset((r["from"], r["to"])) for r in doc["requests"]})
            limit = time_limit_for(n)
            results = {m: run_one(m, path, limit) for m in methods}
            best = min(float(r["upper_bound"]) for r in results.values())
            for m in methods:
                r = results[m]
                gap_best = 1 - r["objective"] / best if best else 0.0
                print(
                    f"| {n} | {pairs} | {limit:g} | {METHODS.get(m, m)} | {r['objective']} "
                    f"| {r['upper_bound']} | {100 * r['gap']:.3f} % | {100 * gap_best:.3f} % "
                    f"| {r['wall_s']:.1f} | {r['peak_mb']:.0f} |",
                    flush=True,
                )
            stats = results.get("auto", {}).get("stats")
            if stats:
                print(f"<!-- N={n} ours: {json.dumps(stats)} -->", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
