"""Benchmark of the member portal's "Nos dossiers" (the applications list) on the national demo.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ro_load \\
        .venv/bin/python benchmarks/portal_applications.py [--requests 60] [--email …]

The database must hold the national demo (``clusterdesk demo --no-serve --reset --scale
national``; ``benchmarks/load.py --build`` makes it too). The page is rendered in-process
through Django's test client (no network, ``CLUSTERDESK_DEBUG=0``), signed in as the demo's
member account by default, then as the portal account that sees the most applications.
After three warm-up requests it reports, per account, the 50th and 95th percentiles of
``--requests`` renderings, the number of SQL queries of one rendering, and, for the
query behind the list, the time of the former form (a join on the committee's members
with ``DISTINCT`` over every column) and of the current one (subqueries only).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterdesk.settings")
os.environ.setdefault("CLUSTERDESK_DEBUG", "0")
os.environ.setdefault("CLUSTERDESK_SECRET_KEY", "portal-benchmark-" + "k" * 40)
# Plain HTTP in-process, as the load benchmark serves on loopback.
os.environ.setdefault("CLUSTERDESK_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Exists, OuterRef, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from clusterdesk.accounts.models import User  # noqa: E402
from clusterdesk.core.models import ClusterRole  # noqa: E402
from clusterdesk.crm.models import Contact  # noqa: E402
from clusterdesk.crm.selectors import member_organisations  # noqa: E402
from clusterdesk.projects.models import Application, Partner, ReviewAssignment  # noqa: E402
from clusterdesk.projects.selectors.applications import applications_visible_to  # noqa: E402


def former_visible(user: Any, cluster: Any) -> Any:
    """The list's query before issue 15 (a join and DISTINCT), for comparison."""
    mine = member_organisations(cluster=cluster, user=user).values("pk")
    visible = Q(
        Exists(Partner.objects.filter(application=OuterRef("pk"), organisation_id__in=mine))
    )
    visible |= Q(
        Exists(
            ReviewAssignment.objects.filter(
                application=OuterRef("pk"), expert__user=user, no_conflict_declared_at__isnull=False
            )
        )
    )
    visible |= Q(committee_session__members=user)
    return Application.objects.filter(cluster=cluster).filter(visible).distinct()


def timed(fn: Any, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def accounts(email: str) -> list[tuple[User, Any]]:
    """The named account, and the portal account that sees the most applications."""
    with scopes_disabled():
        found = []
        named = User.objects.filter(email=email).first()
        if named is not None:
            role = ClusterRole.objects.filter(user=named, role="member").select_related("cluster")
            found.append((named, role.first().cluster))  # type: ignore[union-attr]
        busiest = (
            Contact.objects.filter(user__isnull=False, organisation__partnerships__isnull=False)
            .values("user_id", "cluster_id")
            .annotate(n=Count("organisation__partnerships"))
            .order_by("-n")
            .first()
        )
        if busiest:
            user = User.objects.get(pk=busiest["user_id"])
            role = ClusterRole.objects.filter(user=user, cluster_id=busiest["cluster_id"]).first()
            if role is not None and role.role == "member":
                found.append((user, role.cluster))
    return found


# The static files' manifest is collectstatic's (``clusterdesk serve``); plain storage here.
@override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--email", default="membre@startup.test")
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    with scopes_disabled():
        print(f"applications: {Application.objects.count()}")
    for user, cluster in accounts(args.email):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)
        url = reverse("portal_projects:applications", args=[cluster.slug])
        for _ in range(3):
            status = client.get(url).status_code
            assert status == 200, (user.email, status)
        executed: list[str] = []

        def count(execute: Any, sql: str, *rest: Any) -> Any:
            executed.append(sql)  # noqa: B023 -- called within this iteration
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200
        with scope(cluster=cluster):
            rows = applications_visible_to(user=user, cluster=cluster).count()
        pages = timed(lambda: client.get(url), args.requests)  # noqa: B023
        with scope(cluster=cluster):
            new = timed(lambda: list(applications_visible_to(user=user, cluster=cluster)), 20)  # noqa: B023
            old = timed(lambda: list(former_visible(user, cluster)), 20)  # noqa: B023
        print(
            f"{user.email} ({cluster.slug}): {rows} applications listed, {len(executed)} queries; "
            f"page p50 {statistics.median(pages):.0f} ms, p95 {p95(pages):.0f} ms; "
            f"list query former p50 {statistics.median(old):.1f} ms, "
            f"current p50 {statistics.median(new):.1f} ms"
        )


if __name__ == "__main__":
    main()
