"""Benchmark of the SME support pages and API on a region demo database.

    DATABASE_URL=sqlite:////tmp/demo.db .venv/bin/clusterdesk demo --no-serve --reset
    DATABASE_URL=sqlite:////tmp/demo.db .venv/bin/python benchmarks/support_pages.py [--requests 20]

Each page is requested as the health cluster's director (or its expert, for "My missions")
with Django's test ``Client`` (``force_login``): 2 warm-ups, then ``--requests`` timed
requests (median and 95th percentile), then one more inside ``CaptureQueriesContext`` for
its number of SQL queries. Run with ``CLUSTERDESK_DEBUG=0`` as in production.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterdesk.settings")
os.environ.setdefault("CLUSTERDESK_DEBUG", "0")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from clusterdesk.accounts.models import User  # noqa: E402
from clusterdesk.support.models import SupportCase  # noqa: E402

CLUSTER = "lyonbiopole-auvergne-rhone-alpes"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args(argv)
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with scopes_disabled():
        case = SupportCase.objects.filter(cluster__slug=CLUSTER, missions__isnull=False).first()
        cases = SupportCase.objects.filter(cluster__slug=CLUSTER).count()
    assert case is not None, "build the demo first"
    director = User.objects.get(email="direction@lyonbiopole.test")
    expert = User.objects.get(email="expert@lyonbiopole.test")
    pages = [
        ("case list", director, f"/c/{CLUSTER}/support/"),
        ("case list, current, page 3", director, f"/c/{CLUSTER}/support/?status=current&page=3"),
        ("case file", director, f"/c/{CLUSTER}/support/cases/{case.pk}/"),
        ("pipeline board", director, f"/c/{CLUSTER}/support/pipeline/"),
        ("stages and cohorts", director, f"/c/{CLUSTER}/support/pipeline/figures/"),
        ("expert network", director, f"/c/{CLUSTER}/support/experts/"),
        ("my missions (expert)", expert, f"/c/{CLUSTER}/support/missions/"),
        ("API case list", director, f"/api/v1/clusters/{CLUSTER}/support/cases"),
        (
            "indicators API",
            director,
            f"/api/v1/clusters/{CLUSTER}/indicators?from=2010-01-01&to=2025-12-31",
        ),
    ]
    print(f"{cases} cases in the health cluster, {connection.vendor}")
    print("| page | p50 ms | p95 ms | queries |\n|---|---:|---:|---:|")
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"| {label} | {statistics.median(times):.0f} | {p95:.0f} | {len(queries)} |")


if __name__ == "__main__":
    main(sys.argv[1:])
