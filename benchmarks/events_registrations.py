"""Benchmark: 200 people register for one event at the same second, on PostgreSQL.

    .venv/bin/python benchmarks/events_registrations.py [--people 200] [--capacity 150]
        [--workers 5] [--server postgres://postgres@127.0.0.1:5432]

A scratch database (``clusterdesk_bench_events``) is created, migrated and given a cluster,
an event manager with an API token and a public event of ``--capacity`` seats; then two
runs, each with ``--people`` threads released together by a barrier:

- **API**: ``clusterdesk serve`` (gunicorn, ``CLUSTERDESK_DEBUG=0``) on 127.0.0.1:8766 and
  one HTTP client per person posting ``POST /api/v1/clusters/{slug}/events/{id}/registrations``
  with the token: the whole path a client takes (authentication, scope, service, audit,
  e-mail queued);
- **service**: ``events.services.registrations.registration_create`` called from each thread
  through its own database connection, as the concurrency test does: the database's share
  (at most ``--connections`` open at once: PostgreSQL allows 100 by default).

Each run reports throughput (registrations per second over the run's wall time), the 50th,
95th percentiles and maximum of the latencies, the errors (any answer other than 201, any
exception) and checks the outcome in the database: confirmed = capacity, the others on the
waitlist with positions 1..n. Client, server and PostgreSQL share the machine's cores:
figures are upper bounds of the latency.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"
DB_NAME = "clusterdesk_bench_events"
SERVE = (str(BIN / "clusterdesk"), "serve", "--bind")

SETUP = """
import datetime, json
from django.utils import timezone
from django_scopes import scopes_disabled
from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import api_token_create
from clusterdesk.core.models import Cluster, ClusterRole, Region
from clusterdesk.events.models import Event
with scopes_disabled():
    region = Region.objects.create(name="Bench region", slug="bench-region")
    cluster = Cluster.objects.create(name="Bench cluster", slug="bench", region=region)
    user = User.objects.create_user("events@bench.test", "x" * 20, full_name="Bench")
    ClusterRole.objects.create(cluster=cluster, user=user, role="event_manager")
    start = timezone.now() + datetime.timedelta(days=30)
    events = [
        Event.objects.create(
            cluster=cluster, kind="conference", title=f"Bench {{n}}", slug=f"bench-{{n}}",
            starts_at=start, ends_at=start + datetime.timedelta(hours=8),
            capacity={capacity}, is_public=True,
        )
        for n in ("api", "service")
    ]
    _token, raw = api_token_create(user=user, name="bench")
print(json.dumps({{"token": raw, "api": events[0].pk, "service": events[1].pk}}))
"""

SERVICE_RUN = """
import json, threading, time
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django_scopes import scope, scopes_disabled
from clusterdesk.events.models import Event
from clusterdesk.events.services.registrations import registration_create
with scopes_disabled():
    event = Event.objects.select_related("cluster").get(pk={event_id})
people = {people}
barrier = threading.Barrier(people)
# PostgreSQL's max_connections (100 by default) bounds the connections open at once.
slots = threading.BoundedSemaphore({connections})
latencies, errors = [], []
lock = threading.Lock()
def register(n):
    try:
        barrier.wait(timeout=60)
        t = time.perf_counter()
        with slots:
            try:
                with scope(cluster=event.cluster):
                    registration_create(actor=AnonymousUser(), event=event, first_name="P",
                                        last_name=str(n), email=f"service{{n}}@bench.test")
            finally:
                connection.close()
        with lock:
            latencies.append(time.perf_counter() - t)
    except Exception as exc:
        with lock:
            errors.append(repr(exc))
threads = [threading.Thread(target=register, args=(n,)) for n in range(people)]
start = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({{"wall": time.perf_counter() - start, "latencies": latencies, "errors": errors}}))
"""

CHECK = """
import json
from django_scopes import scopes_disabled
from clusterdesk.events.models import Registration
with scopes_disabled():
    out = {{}}
    for name, pk in (("api", {api}), ("service", {service})):
        qs = Registration.objects.filter(event_id=pk)
        out[name] = {{
            "confirmed": qs.filter(status="confirmed").count(),
            "waitlisted": qs.filter(status="waitlisted").count(),
            "positions": sorted(qs.filter(status="waitlisted").values_list(
                "waitlist_position", flat=True)),
        }}
print(json.dumps(out))
"""


def env_for(database: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "clusterdesk.settings",
        "CLUSTERDESK_DEBUG": "0",
        "CLUSTERDESK_SECRET_KEY": "events-benchmark-" + "k" * 40,
        "CLUSTERDESK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CLUSTERDESK_SSL_REDIRECT": "0",
        "CLUSTERDESK_LOG_LEVEL": "WARNING",
        # E-mails go nowhere; the immediate task backend sends them in the request.
        "EMAIL_URL": "dummymail://",
    }


def django_python(env: dict[str, str], code: str) -> Any:
    script = "import django; django.setup()\n" + code
    out = subprocess.run(
        [str(BIN / "python"), "-c", script], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(name: str, people: int, wall: float, latencies: list[float], errors: int) -> str:
    ms = [v * 1000 for v in latencies]
    return (
        f"| {name} | {people} | {people / wall:.0f} | {statistics.median(ms):.0f} | "
        f"{percentile(ms, 95):.0f} | {max(ms):.0f} | {errors} |"
    )


def api_run(token: str, event_id: int, people: int) -> tuple[float, list[float], int]:
    url = f"{BASE}/api/v1/clusters/bench/events/{event_id}/registrations"
    barrier = threading.Barrier(people)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def register(n: int) -> None:
        session = requests.Session()
        body = {"first_name": "P", "last_name": str(n), "email": f"api{n}@bench.test"}
        try:
            barrier.wait(timeout=60)
            t = time.perf_counter()
            answer = session.post(
                url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=120
            )
            elapsed = time.perf_counter() - t
            with lock:
                latencies.append(elapsed)
                if answer.status_code != 201:
                    errors.append(f"{answer.status_code} {answer.text[:200]}")
        except Exception as exc:
            with lock:
                errors.append(repr(exc))

    threads = [threading.Thread(target=register, args=(n,)) for n in range(people)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    for e in errors[:5]:
        print("error:", e, file=sys.stderr)
    return wall, latencies, len(errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=150)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--connections", type=int, default=80)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    admin = f"{args.server}/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {DB_NAME}"], check=True)
    env = env_for(f"{args.server}/{DB_NAME}")
    try:
        subprocess.run([str(BIN / "clusterdesk"), "migrate", "-v0"], env=env, check=True)
        ids = django_python(env, SETUP.format(capacity=args.capacity))
        server = subprocess.Popen(
            [*SERVE, f"127.0.0.1:{PORT}", "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            for _ in range(240):
                try:
                    if requests.get(f"{BASE}/health/", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.5)
            api = api_run(ids["token"], ids["api"], args.people)
        finally:
            server.terminate()
            server.wait()
        run = SERVICE_RUN.format(
            event_id=ids["service"], people=args.people, connections=args.connections
        )
        service = django_python(env, run)
        outcome = django_python(env, CHECK.format(api=ids["api"], service=ids["service"]))
    finally:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {DB_NAME}"], check=False)
    load = os.getloadavg()
    print(
        f"# {args.people} people registering at once for {args.capacity} seats "
        f"(PostgreSQL, {args.workers} gunicorn workers, load {load[0]:.1f} {load[1]:.1f})\n"
    )
    print("| run | registrations | per second | p50 ms | p95 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(report("API over HTTP", args.people, *api))
    print(
        report(
            f"service, {args.connections} connections at once",
            args.people,
            service["wall"],
            service["latencies"],
            len(service["errors"]),
        )
    )
    print()
    for error in service["errors"][:5]:
        print("service error:", error, file=sys.stderr)
    waiting = args.people - args.capacity
    ok = True
    for name, got in outcome.items():
        right = (
            got["confirmed"] == args.capacity
            and got["waitlisted"] == waiting
            and got["positions"] == list(range(1, waiting + 1))
        )
        ok = ok and right
        print(
            f"- {name}: {got['confirmed']} confirmed, {got['waitlisted']} waitlisted "
            f"(positions 1..{waiting}: {'yes' if right else 'NO'})"
        )
    return 0 if ok and api[2] == 0 and not service["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
