"""Benchmark of the organisation directory's search on about 15,000 organisations.

    .venv/bin/python benchmarks/directory_search.py [--backends sqlite,postgresql]
        [--queries 200] [--seed 1] [--explain]

The data set is the national-scale demo (``clusterdesk demo --scale national``: about
15,000 organisations with French names and descriptions), and the health cluster follows
every one of them, so that its directory spans the whole set. Each query is what the
directory page asks: ``organisation_list`` with a search text, its ``count()`` (for the
pager) and its first page of 25. Two kinds: the search text alone, and the search text
with filters (SME kinds, the SME rule, a département). Terms are drawn (seeded) from
what people type: trades, product words, cities, legal words, prefixes, two-word mixes.

The database is built once per backend (a scratch SQLite file, or a PostgreSQL database
created and dropped here; PostgreSQL searches through the French full-text index of crm
migration 0002); the queries run in a separate subprocess, after a warm-up.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import random
import statistics
import time
from collections.abc import Iterator
from typing import Any

# Run as a script, this directory is on the path: the helpers are the import benchmark's.
from crm_import import machine, run_child, scratch_database, versions

PAGE = 25
HEALTH_SLUG = "lyonbiopole-auvergne-rhone-alpes"
TERMS = (
    "bio", "biotech", "laboratoire", "laboratoires", "thérapie", "therapeutics", "diagnostic",
    "vaccin", "vaccins", "immuno", "anticorps", "cellulaire", "cancer", "infectieuses",
    "vétérinaire", "santé animale", "imagerie", "dispositifs", "capteurs", "robot",
    "robots collaboratifs", "textile", "fibres", "plasturgie", "composites", "hydrogène",
    "photovoltaïques", "batteries", "logiciel", "cybersécurité", "intelligence artificielle",
    "semences", "bois", "béton", "lyon", "grenoble", "saint-étienne", "clermont",
    "villeurbanne", "annecy", "toulouse", "nantes", "université", "institut", "recherche",
    "cnrs", "inserm", "sas", "métropole", "cci", "pharma", "medical", "sense", "nova", "gen",
    "tech", "santé lyon", "diag lyon", "université grenoble", "anticorps cancer",
    "chimie verte", "logistique urbaine", "énergie", "agro", "mobilité", "plateforme",
)  # fmt: skip
DEPARTEMENTS = ("69", "38", "42", "63", "75", "13", "31", "33", "44", "59", "67")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# -- children ------------------------------------------------------------------------------


def setup() -> dict[str, Any]:
    """Migrate, build the national demo, let the health cluster follow everyone."""
    import django
    from django.conf import settings

    django.setup()
    # The demo's accounts do not matter here; PBKDF2 for each cluster's director would
    # take longer than the rest of the build.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from clusterdesk import demo
    from clusterdesk.crm.models import Organisation, Relationship

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    steps: dict[str, float] = {}

    def timed(step: Any) -> Any:
        def run(ctx: Any) -> None:
            begun = time.perf_counter()
            step(ctx)
            steps[step.__module__.rsplit(".", 1)[-1]] = time.perf_counter() - begun

        return run

    demo.STEPS[:] = [timed(step) for step in demo.STEPS]
    ctx = demo.build_demo(scale="national")
    built = time.perf_counter()
    health = ctx.objects["health"]
    with scopes_disabled():
        followed = set(
            Relationship.objects.filter(cluster=health).values_list("organisation_id", flat=True)
        )
        missing = Organisation.objects.exclude(pk__in=followed).values_list("pk", flat=True)
        Relationship.objects.bulk_create(
            [Relationship(cluster=health, organisation_id=pk) for pk in missing], batch_size=2000
        )
        followed_now = Relationship.objects.filter(cluster=health).count()
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would give a live database: without them the
        # planner guesses the sizes of the filters.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE crm_organisation")
            cursor.execute("VACUUM ANALYZE crm_relationship")
            cursor.execute("VACUUM ANALYZE crm_membership")
    return {
        "migrate_s": migrated - started,
        "build_s": built - migrated,
        "steps": steps,
        "organisations": Organisation.objects.count(),
        "followed": followed_now,
        "slug": health.slug,
    }


def search(slug: str, count: int, seed: int, explain: bool) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django_scopes import scope

    from clusterdesk.core.models import Cluster
    from clusterdesk.crm.kinds import SME_KINDS
    from clusterdesk.crm.selectors import OrganisationFilter, organisation_list

    cluster = Cluster.objects.get(slug=slug)
    rng = random.Random(seed)
    kinds = tuple(sorted(SME_KINDS))
    plain = [OrganisationFilter(q=rng.choice(TERMS)) for _ in range(count)]
    filtered = [
        OrganisationFilter(
            q=rng.choice(TERMS), kinds=kinds, sme=True, departement=rng.choice(DEPARTEMENTS)
        )
        for _ in range(count)
    ]
    browse = [OrganisationFilter(sort=rng.choice(("name", "city", "-created"))) for _ in range(20)]
    results: dict[str, Any] = {}
    with scope(cluster=cluster):

        def run(filters: OrganisationFilter) -> tuple[float, float, int]:
            begun, cpu = time.perf_counter(), time.process_time()
            qs = organisation_list(cluster=cluster, filters=filters)
            total = qs.count()
            page = list(qs[:PAGE])
            assert len(page) == min(total, PAGE)
            wall_ms = (time.perf_counter() - begun) * 1000
            return wall_ms, (time.process_time() - cpu) * 1000, total

        for filters in plain[:10] + filtered[:10]:  # warm-up: caches, first connection
            run(filters)
        for name, batch in (("q", plain), ("q + filters", filtered), ("no q (browse)", browse)):
            timings = [run(f) for f in batch]
            ms = [t for t, _c, _n in timings]
            cpu_ms = [c for _t, c, _n in timings]
            hits = [n for _t, _c, n in timings]
            slowest = max(range(len(batch)), key=lambda i: ms[i])
            results[name] = {
                "queries": len(batch),
                "median_ms": statistics.median(ms),
                "p95_ms": percentile(ms, 0.95),
                "max_ms": max(ms),
                "cpu_median_ms": statistics.median(cpu_ms),
                "cpu_p95_ms": percentile(cpu_ms, 0.95),
                "mean_hits": statistics.mean(hits),
                "slowest": {"q": batch[slowest].q, "ms": ms[slowest], "hits": hits[slowest]},
            }
        if explain and connection.vendor == "postgresql":
            results["explain"] = {}
            for label, filters in (
                ("q=bio", OrganisationFilter(q="bio")),
                ("q=laboratoire lyon", OrganisationFilter(q="laboratoire lyon")),
                (
                    "q=capteurs + filters",
                    OrganisationFilter(q="capteurs", kinds=kinds, sme=True, departement="69"),
                ),
            ):
                qs = organisation_list(cluster=cluster, filters=filters)
                results["explain"][label] = {
                    "page": qs[:PAGE].explain(analyze=True),
                    "count": _explain_count(qs),
                }
    return results


def _explain_count(qs: Any) -> str:
    """EXPLAIN ANALYZE of the SQL the pager's ``count()`` sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        qs.count()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + captured.captured_queries[-1]["sql"])
        return "\n".join(row[0] for row in cursor.fetchall())


# -- the parent ------------------------------------------------------------------------------


@contextlib.contextmanager
def _database(backend: str, existing: bool) -> Iterator[str]:
    if existing:
        yield backend
    else:
        with scratch_database(backend, "clusterdesk_bench_search") as url:
            yield url


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="PostgreSQL query plans.")
    parser.add_argument(
        "--existing",
        action="append",
        metavar="DATABASE_URL",
        help="Query a database this script set up before (kept), instead of building one.",
    )
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "setup":
            out = setup()
        else:
            _phase, slug, count, seed, explain = args.child
            out = search(slug, int(count), int(seed), explain == "1")
        print(json.dumps(out))
        return 0

    print(f"Machine: {machine()}\n")
    today = datetime.date.today().isoformat()
    rows, builds, plans = [], [], []
    for backend in args.existing or args.backends.split(","):
        with _database(backend, existing=bool(args.existing)) as url:
            label = versions(url)
            if args.existing:
                built = {"slug": HEALTH_SLUG}
            else:
                built = run_child(__file__, url, "setup")
                builds.append((label, built))
            found = run_child(
                __file__,
                url,
                "search",
                built["slug"],
                str(args.queries),
                str(args.seed),
                "1" if args.explain else "0",
            )
            for name, r in found.items():
                if name == "explain":
                    plans.append((label, r))
                    continue
                rows.append((label, name, r))
    print(
        f"Data: the national-scale demo built on {today}; the health cluster follows every "
        "organisation.\n"
    )
    for label, b in builds:
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in b["steps"].items())
        print(
            f"- {label}: {b['organisations']:,} organisations, {b['followed']:,} followed; "
            f"migrate {b['migrate_s']:.1f} s, demo build {b['build_s']:.1f} s ({steps}; "
            "MD5 password hashing)"
        )
    print(
        f"\nQueries: count() + first page of {PAGE}, seed {args.seed}. Wall time, and the CPU "
        "time of the querying process: all of the work on SQLite (in-process), the client's "
        "share only on PostgreSQL (the server works in its own process).\n"
    )
    print(
        "| database | search | queries | median ms | p95 ms | max ms | CPU median ms "
        "| CPU p95 ms | mean hits | slowest |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, name, r in rows:
        slow = r["slowest"]
        print(
            f"| {label} | {name} | {r['queries']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} "
            f"| {r['max_ms']:.1f} | {r['cpu_median_ms']:.1f} | {r['cpu_p95_ms']:.1f} "
            f"| {r['mean_hits']:,.0f} | “{slow['q']}” "
            f"{slow['ms']:.0f} ms, {slow['hits']:,} hits |"
        )
    for label, explained in plans:
        for query, plan in explained.items():
            print(f"\n{label}, {query}, first page:\n\n```\n{plan['page']}\n```")
            print(f"\n{label}, {query}, count():\n\n```\n{plan['count']}\n```")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
