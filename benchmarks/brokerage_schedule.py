"""Benchmark: a 1,000-participant brokerage event scheduled from the organiser's page.

    .venv/bin/python benchmarks/brokerage_schedule.py [--participants 1000] [--seed 1]
        [--time-limit 10] [--database-url sqlite:////tmp/bk.sqlite3]

A scratch database (a temporary SQLite file unless ``--database-url`` names one) gets one
cluster, its director and a brokerage event whose participants, organisations,
availability (late arrivals, early departures, blocked slots), caps and accepted requests
are those of ``solvers.meetings.generator.generate(n, seed)`` (about 8 requests a person, 20
slots of 20 minutes, 0.4 n tables). Then, as the director in a browser would, through
Django's test client on the real URL configuration:

1. POST the "Compute a draft schedule" form (job start). Tasks run with the immediate
   backend here, so the job (reading the event into the solver's input, solving, writing
   the draft's meetings) runs when the request's transaction commits;
2. GET the page the form redirects to until it shows the draft (its proven gap and the
   "Publish" button).

Reported: the time from 1 to the draft shown, split into the POST (job included) and the
GET; the solver's own time, objective, bound and gap; the run's meeting count.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="cd-bench-brokerage-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["CLUSTERDESK_TASKS"] = "immediate"
    os.environ.setdefault("CLUSTERDESK_DEBUG", "0")
    os.environ.setdefault("CLUSTERDESK_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("CLUSTERDESK_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterdesk.settings")
    sys.path.insert(0, str(ROOT / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from clusterdesk.accounts.models import User
    from clusterdesk.brokerage.models import (
        Brokerage,
        MeetingRequest,
        MeetingSlot,
        Participant,
        ScheduleRun,
        Unavailability,
    )
    from clusterdesk.core.models import Cluster, ClusterRole, Region
    from clusterdesk.core.roles import Role
    from clusterdesk.events.models import Event, Registration
    from clusterdesk.solvers.meetings.generator import generate

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages need the manifest
    doc = generate(args.participants, seed=args.seed)
    t_setup = time.perf_counter()
    with scopes_disabled():
        region = Region.objects.create(name="Région", slug="region-bench", code="99")
        cluster = Cluster.objects.create(name="Pôle bench", slug="bench", region=region)
        director = User.objects.create_user("direction@bench.test", "bench-password-2026")
        ClusterRole.objects.create(cluster=cluster, user=director, role=Role.DIRECTOR)
        starts = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
        starts += datetime.timedelta(days=30)
        event = Event.objects.create(
            cluster=cluster,
            kind=Event.Kind.BROKERAGE,
            title="Rencontres d'affaires (benchmark)",
            slug="bench",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=9),
        )
        b = Brokerage.objects.create(
            cluster=cluster, event=event, tables=int(doc["tables"]), max_meetings=20
        )
        slots = MeetingSlot.objects.bulk_create(
            MeetingSlot(
                cluster=cluster,
                brokerage=b,
                starts_at=starts + datetime.timedelta(minutes=20 * k),
                ends_at=starts + datetime.timedelta(minutes=20 * (k + 1)),
                tables=int(doc["tables"]),
            )
            for k in range(len(doc["slots"]))
        )
        slot_of = {str(s["id"]): slots[k] for k, s in enumerate(doc["slots"])}
        people = doc["participants"]
        registrations = Registration.objects.bulk_create(
            Registration(
                cluster=cluster,
                event=event,
                first_name="P",
                last_name=str(p["id"]),
                email=f"p{k}@bench.test",
                organisation_name=f"Org {p.get('organisation') or p['id']}",
                status=Registration.Status.CONFIRMED,
            )
            for k, p in enumerate(people)
        )
        participants = Participant.objects.bulk_create(
            Participant(
                cluster=cluster,
                brokerage=b,
                registration=r,
                status=Participant.Status.VALIDATED,
                max_meetings=p.get("max_meetings"),
            )
            for p, r in zip(people, registrations, strict=True)
        )
        by_id = {str(p["id"]): part for p, part in zip(people, participants, strict=True)}
        blocked = []
        for p in people:
            if p.get("available") is not None:
                free = {str(s) for s in p["available"]}
                blocked += [
                    Unavailability(cluster=cluster, participant=by_id[str(p["id"])], slot=slot)
                    for sid, slot in slot_of.items()
                    if sid not in free
                ]
        Unavailability.objects.bulk_create(blocked, batch_size=2000)
        seen = set()
        requests = []
        for r in doc["requests"]:
            key = (str(r["from"]), str(r["to"]))
            if key in seen:
                continue
            seen.add(key)
            requests.append(
                MeetingRequest(
                    cluster=cluster,
                    brokerage=b,
                    requester=by_id[key[0]],
                    target=by_id[key[1]],
                    priority=r["priority"],
                    status=MeetingRequest.Status.ACCEPTED,
                )
            )
        MeetingRequest.objects.bulk_create(requests, batch_size=2000)
    setup_s = time.perf_counter() - t_setup

    client = Client()
    client.force_login(director)
    client.cookies["django_language"] = "en"
    start_url = reverse("brokerage:schedule", kwargs={"cluster_slug": "bench", "pk": b.pk})
    t0 = time.perf_counter()
    response = client.post(start_url, {"time_limit_s": args.time_limit}, secure=True)
    t_post = time.perf_counter() - t0
    assert response.status_code == 302, response.status_code
    run_url = response["Location"]
    polls = 0
    while True:
        polls += 1
        page = client.get(run_url, secure=True)
        if "Publish this schedule" in page.content.decode():
            break
        if time.perf_counter() - t0 > 600:
            raise SystemExit("no draft after 600 s")
        time.sleep(0.2)
    total = time.perf_counter() - t0
    with scopes_disabled():
        run = ScheduleRun.objects.get()
        meetings = run.meetings.count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load}; database {os.environ['DATABASE_URL'].split(':', 1)[0]}"
    )
    print(
        "| participants | accepted requests | pairs scheduled (meetings) | time limit s "
        "| job start → draft shown s | POST (job) s | solver s | objective | bound "
        "| gap | setup s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.participants} | {len(requests)} | {meetings} | {args.time_limit:g} "
        f"| **{total:.1f}** | {t_post:.1f} | {run.solve_s:.1f} | {run.objective} "
        f"| {run.upper_bound:.0f} | {100 * (run.gap or 0):.3f} % | {setup_s:.1f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
