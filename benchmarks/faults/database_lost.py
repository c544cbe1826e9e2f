"""Fault (a): the database drops every connection while requests run.

Runs `clusterdesk serve` (gunicorn, 2 workers, DEBUG off) against a PostgreSQL database of
its own, requests pages and API routes from 4 threads for 24 s and, at 6, 12 and 18 s, ends
every server connection to that database (`pg_terminate_backend`, what a restart or a
failover does to the clients; the server itself keeps running for its other databases).
Reports the status codes seen, those around each cut, and how soon requests succeed again.

    .venv/bin/python benchmarks/faults/database_lost.py [--database-url postgres://…/cd_ops]
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from common import (
    CLUSTERDESK,
    DEFAULT_DATABASE_URL,
    django_setup,
    get,
    prepare,
    terminate_backends,
    wait_until_up,
)

PORT = 18471
DURATION = 24.0
CUTS = (6.0, 12.0, 18.0)
THREADS = 4


def build_world() -> tuple[str, str]:
    from django_scopes import scopes_disabled

    from clusterdesk.accounts.models import ClusterRole, User
    from clusterdesk.accounts.services import api_token_create
    from clusterdesk.core.models import Cluster, Region

    with scopes_disabled():
        region, _ = Region.objects.get_or_create(slug="faults", defaults={"name": "Faults"})
        cluster, _ = Cluster.objects.get_or_create(
            slug="faults", defaults={"name": "Pôle Faults", "region": region, "sector": "santé"}
        )
        user = User.objects.filter(email="faults@example.org").first()
        if user is None:
            user = User.objects.create_user("faults@example.org", "Faults-Password-42")
        ClusterRole.objects.get_or_create(cluster=cluster, user=user, role="director")
        _token, raw = api_token_create(user=user, name="faults")
    return cluster.slug, raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--out", type=Path, help="Write the raw results as JSON.")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="cd-faults-"))
    env = prepare(args.database_url, home)
    django_setup(env)
    slug, token = build_world()

    base = f"http://127.0.0.1:{PORT}"
    server = subprocess.Popen(
        [*CLUSTERDESK, "serve", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(home / "serve.log").open("w"),
    )
    try:
        wait_until_up(base + "/accounts/login/")
        bearer = {"Authorization": f"Bearer {token}"}
        routes = [
            ("page /", "/", {}),
            ("api /clusters", "/api/v1/clusters", bearer),
            ("api /clusters/{slug}", f"/api/v1/clusters/{slug}", bearer),
        ]
        results: list[tuple[float, str, int, float]] = []
        lock = threading.Lock()
        start = time.monotonic()

        def load(offset: int) -> None:
            i = offset
            while (now := time.monotonic() - start) < DURATION:
                name, path, headers = routes[i % len(routes)]
                i += 1
                t0 = time.monotonic()
                try:
                    status = get(base + path, headers)
                except OSError:
                    status = 0  # no HTTP answer at all
                with lock:
                    results.append((now, name, status, time.monotonic() - t0))

        threads = [threading.Thread(target=load, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        cuts = []
        for at in CUTS:
            time.sleep(max(0.0, at - (time.monotonic() - start)))
            cuts.append((time.monotonic() - start, terminate_backends(args.database_url)))
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    report(results, cuts, args.out)


def report(
    results: list[tuple[float, str, int, float]], cuts: list[tuple[float, int]], out: Path | None
) -> None:
    results.sort()
    statuses = collections.Counter(status for _, _, status, _ in results)
    print(f"{len(results)} requests in {DURATION:.0f} s; status codes: {dict(statuses)}")
    summary = []
    for at, killed in cuts:
        window = [r for r in results if at <= r[0] < at + 2.0]
        seen = collections.Counter(status for _, _, status, _ in window)
        after = [r for r in results if r[0] >= at]
        first_ok = next((r[0] - at for r in after if r[2] == 200), None)
        ok_run = 0
        for r in after:  # consecutive successes from the first one on
            if r[2] != 200:
                if ok_run:
                    break
                continue
            ok_run += 1
        summary.append(
            {
                "cut_at_s": round(at, 2),
                "connections_ended": killed,
                "statuses_next_2s": dict(seen),
                "first_200_after_ms": None if first_ok is None else round(first_ok * 1000, 1),
            }
        )
        print(
            f"cut at {at:5.2f} s: {killed} connections ended; next 2 s: {dict(seen)}; "
            f"first 200 after {summary[-1]['first_200_after_ms']} ms"
        )
    for t, name, status, latency in results:
        if status != 200:
            cut = min((at for at, _ in cuts), key=lambda at: abs(at - t))
            print(
                f"  {status} on {name}: sent {t - cut:+.3f} s from the cut at {cut:.2f} s, "
                f"answered in {latency * 1000:.0f} ms"
            )
    tail = results[-50:]
    print(f"last 50 requests: {dict(collections.Counter(r[2] for r in tail))}")
    if out:
        out.write_text(
            json.dumps({"statuses": dict(statuses), "cuts": summary, "requests": results})
        )


if __name__ == "__main__":
    main()
