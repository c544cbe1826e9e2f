"""Benchmark of the CRM import on the CORDIS H2020 organisations (16,592 rows).

    .venv/bin/python benchmarks/crm_import.py [--backends sqlite,postgresql] [--file PATH]

The file goes through the product's own path, ``read_table`` then ``import_organisations``
(what the import page's task and the ``import_organisations`` command call): a dry run,
the import, and the same import again, which must update every row and create none.
CORDIS activity codes (PRC, REC, HES, PUB, OTH) become kinds through the import's kind
aliases; ``orgId`` (the participant code) is the organisation's foreign identifier.

Each phase runs in a fresh subprocess with DATABASE_URL set to a scratch database (a
temporary SQLite file, or a PostgreSQL database on 127.0.0.1:5432 created and dropped
here), so its peak memory (``ru_maxrss``: interpreter, Django and data) is its own. The
children run with CLUSTERDESK_DEBUG=0, as in production: DEBUG keeps every SQL query.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORDIS = Path("/work/shared/data/cordis_h2020_orgs_2017/h2020_organisations_2017_network_nodes.csv")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PHASES = {"dry": "dry run", "import": "import", "again": "import again"}


# -- helpers shared with directory_search.py ------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{model}, {os.cpu_count()} cores, {mem_gb:.0f} GiB RAM, Python "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}; "
        f"load average at start {load}"
    )


@contextlib.contextmanager
def scratch_database(backend: str, name: str) -> Iterator[str]:
    """A DATABASE_URL for an empty database, removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/{name}.sqlite3"
        return
    import psycopg

    database = f"{name}_{os.getpid()}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        yield f"{PG_SERVER}/{database}"
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def run_child(script: str, database_url: str, *args: str) -> dict[str, Any]:
    """Run ``script --child ARGS`` with the database; return its last line, parsed."""
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="clusterdesk.settings",
        CLUSTERDESK_DEBUG="0",
        CLUSTERDESK_HOME=str(ROOT),
    )
    proc = subprocess.run(
        [sys.executable, script, "--child", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def versions(database_url: str) -> str:
    """The database server's version, for the tables."""
    if database_url.startswith("sqlite"):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0].split()[0] if row else '?'}"


# -- the child ---------------------------------------------------------------------------------


def child(phase: str, path: str) -> None:
    """One phase in this process; prints a JSON summary line."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from django_scopes import scope

    from clusterdesk.core.models import Cluster, Region

    if phase == "setup":
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        region = Region.objects.create(name="Benchmark", slug="benchmark")
        Cluster.objects.create(name="Pôle benchmark", slug="benchmark", region=region)
        print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak_mb()}))
        return

    from clusterdesk.audit.models import AuditEntry
    from clusterdesk.crm.importing.pipeline import import_organisations
    from clusterdesk.crm.importing.tabular import read_table
    from clusterdesk.crm.models import Organisation, Relationship

    cluster = Cluster.objects.get(slug="benchmark")
    with scope(cluster=cluster):
        audited = AuditEntry.objects.filter(cluster=cluster).count()
    started = time.perf_counter()
    table = read_table(Path(path).read_bytes(), Path(path).name)
    read_s = time.perf_counter() - started
    with scope(cluster=cluster):
        report = import_organisations(
            cluster=cluster, actor=None, table=table, dry_run=phase == "dry"
        )
        total_s = time.perf_counter() - started
        kinds = dict(
            Organisation.objects.instance_wide()
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by("kind")
        )
        followed = Relationship.objects.filter(cluster=cluster).count()
        audited = AuditEntry.objects.filter(cluster=cluster).count() - audited
    if report.columns.get("foreign_id") != "orgId":
        raise SystemExit(f"orgId was not mapped to the foreign identifier: {report.columns}")
    print(
        json.dumps(
            {
                "rows": len(report.rows),
                "created": report.count("create"),
                "updated": report.count("update"),
                "rejected": len(report.rejected),
                "read_s": read_s,
                "seconds": total_s,
                "peak_mb": peak_mb(),
                "organisations": sum(kinds.values()),
                "kinds": kinds,
                "followed": followed,
                "audit_entries": audited,
            }
        )
    )


# -- the parent --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--file", default=str(CORDIS))
    parser.add_argument("--child", nargs=2, metavar=("PHASE", "PATH"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0

    print(f"Machine: {machine()}\n")
    print(f"File: {Path(args.file).name} ({Path(args.file).stat().st_size / 2**20:.1f} MiB)\n")
    print(
        "| database | phase | rows | to create | to update | rejected | audit entries "
        "| read s | total s | rows/s | peak MB |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    summaries = []
    for backend in args.backends.split(","):
        with scratch_database(backend, "clusterdesk_bench_import") as url:
            setup = run_child(__file__, url, "setup", args.file)
            label = versions(url)
            print(
                f"| {label} | migrate + cluster | | | | | | | {setup['seconds']:.1f} | "
                f"| {setup['peak_mb']:.0f} |",
                flush=True,
            )
            whole = 0.0
            for phase, title in PHASES.items():
                r = run_child(__file__, url, phase, args.file)
                whole += r["seconds"]
                print(
                    f"| {label} | {title} | {r['rows']:,} | {r['created']:,} | {r['updated']:,} "
                    f"| {r['rejected']:,} | {r['audit_entries']:,} | {r['read_s']:.2f} "
                    f"| {r['seconds']:.1f} "
                    f"| {r['rows'] / r['seconds']:,.0f} | {r['peak_mb']:.0f} |",
                    flush=True,
                )
            summaries.append((label, whole, r))
    print()
    for label, whole, last in summaries:
        print(
            f"- {label}: the three phases take {whole:.1f} s; after them the database holds "
            f"{last['organisations']:,} organisations, all followed by the cluster "
            f"({last['followed']:,}); kinds: {json.dumps(last['kinds'])}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
