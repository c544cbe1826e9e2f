"""Benchmark of the results pages and the indicators API on the national and region demos.

    .venv/bin/python benchmarks/indicators.py [--backends sqlite,postgresql]
        [--scales national,region] [--requests 30] [--warmups 3] [--other-requests 5] [--no-build]
        [--explain]

Each (backend, scale) database is built with the demo command itself, in a subprocess:
``DATABASE_URL=… .venv/bin/clusterdesk demo --no-serve --reset --scale SCALE`` (a SQLite
file under ``--dir``, or the PostgreSQL database ``clusterdesk_bench_ind_SCALE`` on
127.0.0.1:5432, both kept afterwards so that ``--no-build`` can measure them again).

A second subprocess then requests, with Django's test ``Client`` (``force_login``, or a
personal API token from ``api_token_create`` sent as ``Authorization: Bearer``):

- the health cluster's dashboard (``/c/<slug>/dashboard/``) as its director and as the
  Region funder, for one year (2015) and for 2005-2015;
- the region's dashboard (``/regions/auvergne-rhone-alpes/dashboard/``) as the funder;
- ``GET /api/v1/clusters/<slug>/indicators`` (director) and
  ``GET /api/v1/regions/auvergne-rhone-alpes/indicators`` (funder), same periods.

Per page: ``--warmups`` requests, then ``--requests`` timed ones (median, 95th percentile,
max), then one more inside ``CaptureQueriesContext`` for its number of SQL queries. The
child runs with ``CLUSTERDESK_DEBUG=0`` (no query log), plain static storage and no SSL
redirect. Then each indicator of the registry is timed alone (``REGISTRY[name].value``,
median of 5) for the cluster and for the region over 2005-2015; ``--explain`` adds
PostgreSQL's EXPLAIN ANALYZE of the slowest indicators' queries.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# Run as a script, this directory is on the path: the helpers are the import benchmark's.
from crm_import import PG_SERVER, ROOT, machine, run_child, versions

CLUSTER = "lyonbiopole-auvergne-rhone-alpes"
REGION = "auvergne-rhone-alpes"
DIRECTOR = "direction@lyonbiopole.test"
FUNDER = "region@auvergnerhonealpes.test"
PERIODS = {"2015": ("2015-01-01", "2015-12-31"), "2005-2015": ("2005-01-01", "2015-12-31")}
TARGET_MS = 200
# (label, who, path; ``{q}`` is the period's query string)
PAGES = [
    ("cluster dashboard (director)", "director", f"/c/{CLUSTER}/dashboard/?{{q}}"),
    ("cluster dashboard (funder)", "funder", f"/c/{CLUSTER}/dashboard/?{{q}}"),
    ("region dashboard (funder)", "funder", f"/regions/{REGION}/dashboard/?{{q}}"),
    (
        "API cluster indicators (director)",
        "director-token",
        f"/api/v1/clusters/{CLUSTER}/indicators?{{q}}",
    ),
    (
        "API region indicators (funder)",
        "funder-token",
        f"/api/v1/regions/{REGION}/indicators?{{q}}",
    ),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# -- the child -------------------------------------------------------------------------------


def measure(requests: int, warmups: int, explain: bool) -> dict[str, Any]:
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    import datetime

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from clusterdesk.accounts.models import User
    from clusterdesk.accounts.services import api_token_create
    from clusterdesk.core.models import Cluster, Region
    from clusterdesk.results.indicators import REGISTRY
    from clusterdesk.results.selectors import cluster_scope, region_scope

    with scopes_disabled():
        director = User.objects.get(email=DIRECTOR)
        funder = User.objects.get(email=FUNDER)
        _t, director_token = api_token_create(user=director, name="benchmark")
        _t, funder_token = api_token_create(user=funder, name="benchmark")
    clients = {}
    for who, user in (("director", director), ("funder", funder)):
        client = Client()
        client.force_login(user)
        clients[who] = client
    tokens = {"director-token": director_token, "funder-token": funder_token}

    def get(who: str, url: str) -> int:
        if who in tokens:
            response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {tokens[who]}")
        else:
            response = clients[who].get(url)
        return response.status_code

    pages = []
    for label, who, path in PAGES:
        for period, (start, end) in PERIODS.items():
            url = path.format(q=f"from={start}&to={end}")
            for _ in range(warmups):
                status = get(who, url)
                if status != 200:
                    raise RuntimeError(f"{url} as {who}: HTTP {status}")
            ms = []
            for _ in range(requests):
                begun = time.perf_counter()
                get(who, url)
                ms.append((time.perf_counter() - begun) * 1000)
            with CaptureQueriesContext(connection) as captured:
                get(who, url)
            pages.append(
                {
                    "page": label,
                    "period": period,
                    "url": url,
                    "median_ms": statistics.median(ms),
                    "p95_ms": percentile(ms, 0.95),
                    "max_ms": max(ms),
                    "queries": len(captured.captured_queries),
                }
            )

    # Each indicator alone, over the ten years, for the cluster and for the region.
    singles: dict[str, dict[str, float]] = {}
    plans: dict[str, list[str]] = {}
    with scopes_disabled():
        cluster = Cluster.objects.get(slug=CLUSTER)
        region = Region.objects.get(slug=REGION)
        start, end = datetime.date(2005, 1, 1), datetime.date(2015, 12, 31)
        scopes = {
            "cluster": cluster_scope(cluster, start, end),
            "region": region_scope(region, start, end),
        }
        for where, scope in scopes.items():
            timings = {}
            for name, indicator in REGISTRY.items():
                indicator.value(scope)
                ms = []
                for _ in range(5):
                    begun = time.perf_counter()
                    indicator.value(scope)
                    ms.append((time.perf_counter() - begun) * 1000)
                timings[name] = statistics.median(ms)
            singles[where] = timings
        if explain and connection.vendor == "postgresql":
            slowest = sorted(singles["region"], key=lambda n: -singles["region"][n])[:3]
            for name in slowest:
                with CaptureQueriesContext(connection) as captured:
                    REGISTRY[name].value(scopes["region"])
                plans[name] = []
                for query in captured.captured_queries:
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                        plan = "\n".join(row[0] for row in cursor.fetchall())
                    plans[name].append(f"{query['sql']}\n\n{plan}")
        counts = {
            "clusters in region": len(scopes["region"].cluster_ids),
            "clusters": Cluster.objects.count(),
        }
    return {"pages": pages, "singles": singles, "plans": plans, "counts": counts}


# -- the parent ------------------------------------------------------------------------------


def database_url(backend: str, scale: str, directory: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{directory}/{scale}.sqlite3"
    return f"{PG_SERVER}/clusterdesk_bench_ind_{scale}"


def build(backend: str, scale: str, url: str) -> float:
    """An empty database, then the demo command; returns its wall time in seconds."""
    if backend == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    env = dict(os.environ, DATABASE_URL=url, CLUSTERDESK_DEBUG="0", CLUSTERDESK_HOME=str(ROOT))
    begun = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv/bin/clusterdesk"), "demo", "--no-serve", "--reset", "--scale", scale],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - begun


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--scales", default="national,region")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument(
        "--other-requests",
        type=int,
        default=5,
        help="Timed requests on the scales after the first (there for the query counts).",
    )
    parser.add_argument("--dir", default="/tmp/cd-bench-ind", help="Where the SQLite files go.")
    parser.add_argument("--no-build", action="store_true", help="Measure the kept databases.")
    parser.add_argument("--explain", action="store_true", help="PostgreSQL query plans.")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        _phase, requests, warmups, explain = args.child
        print(json.dumps(measure(int(requests), int(warmups), explain == "1")))
        return 0

    print(f"Machine: {machine()}\n")
    directory = Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    scales = args.scales.split(",")
    results: dict[tuple[str, str], dict[str, Any]] = {}
    labels: dict[str, str] = {}
    for backend in args.backends.split(","):
        for scale in scales:
            url = database_url(backend, scale, directory)
            if not args.no_build:
                seconds = build(backend, scale, url)
                print(f"- built the {scale} demo on {backend} in {seconds:.0f} s", flush=True)
            labels[backend] = versions(url)
            results[backend, scale] = run_child(
                __file__,
                url,
                "measure",
                str(args.requests if scale == scales[0] else args.other_requests),
                str(args.warmups),
                "1" if args.explain else "0",
            )
    main_scale = scales[0]
    print(
        f"\nLatency on the {main_scale} demo: {args.warmups} warm-ups, then {args.requests} "
        f"requests each (Django test Client, in-process); target p95 < {TARGET_MS} ms.\n"
    )
    print("| database | page | period | median ms | p95 ms | max ms | SQL queries | < 200 ms |")
    print("|---|---|---|---:|---:|---:|---:|---|")
    for backend, label in labels.items():
        for r in results[backend, main_scale]["pages"]:
            ok = "yes" if r["p95_ms"] < TARGET_MS else "**no**"
            print(
                f"| {label} | {r['page']} | {r['period']} | {r['median_ms']:.0f} "
                f"| {r['p95_ms']:.0f} | {r['max_ms']:.0f} | {r['queries']} | {ok} |"
            )
    if len(scales) > 1:
        print("\nSQL queries per request, by demo scale (the same count means it does not grow):\n")
        head = " | ".join(f"{s} queries" for s in scales)
        print(
            f"| database | page | period | {head} | {' | '.join(f'{s} p95 ms' for s in scales)} |"
        )
        print("|---|---|---|" + "---:|" * (2 * len(scales)))
        for backend, label in labels.items():
            for i, r in enumerate(results[backend, main_scale]["pages"]):
                rows = [results[backend, s]["pages"][i] for s in scales]
                counts = " | ".join(str(x["queries"]) for x in rows)
                p95s = " | ".join(f"{x['p95_ms']:.0f}" for x in rows)
                print(f"| {label} | {r['page']} | {r['period']} | {counts} | {p95s} |")
        for scale in scales:
            c = results[next(iter(labels)), scale]["counts"]
            print(
                f"\n- {scale} demo: {c['clusters']} clusters, "
                f"{c['clusters in region']} in the region"
            )
    print(
        f"\nEach indicator alone on the {main_scale} demo, 2005-2015 "
        "(median of 5 `REGISTRY[name].value(scope)` calls, ms):\n"
    )
    cols = [(b, w) for b in labels for w in ("cluster", "region")]
    print("| indicator | " + " | ".join(f"{labels[b]} {w}" for b, w in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    first = results[cols[0][0], main_scale]["singles"]["cluster"]
    for name in first:
        cells = " | ".join(f"{results[b, main_scale]['singles'][w][name]:.1f}" for b, w in cols)
        print(f"| {name} | {cells} |")
    for backend in labels:
        for name, plans in results[backend, main_scale]["plans"].items():
            for plan in plans:
                print(f"\n{labels[backend]}, {name}, region 2005-2015:\n\n```\n{plan}\n```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
