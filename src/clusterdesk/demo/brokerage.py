"""The demo's B2B meetings.

- A coming brokerage event of the health cluster with about 300 participants: the 166 French
  exhibitors at CES 2025 (``demo/data/ces2025_french_exhibitors.csv``) come in through the
  product's own participant import (registration, organisation record, profile from their
  description), the others are members' contacts; about 2,000 meeting requests, mostly
  accepted; the schedule computed by ``solvers.meetings`` (a short time limit) and published.
- Two past brokerage events whose meetings were held, rated, and followed up six months
  later; the pairs that later applied together for the label are linked to their
  application: the meeting → project → funding chain the indicators count.

Choices come from a generator seeded with the demo's seed alone; dates are relative to the
day the demo is built.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from collections import defaultdict
from importlib import resources
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.brokerage.importing import headline_of, participants_import
from clusterdesk.brokerage.models import (
    Brokerage,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    PartnershipType,
    ScheduleRun,
)
from clusterdesk.brokerage.scheduler import schedule_solve
from clusterdesk.brokerage.services.scheduling import schedule_publish
from clusterdesk.brokerage.services.setup import slots_generate
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact
from clusterdesk.demo.members.figures import MEMBER_EMAIL
from clusterdesk.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from clusterdesk.events.models import Event, Registration
from clusterdesk.projects.models import Application, Partner

if TYPE_CHECKING:
    from clusterdesk.demo.build import DemoContext

PARTICIPANTS = 300
REQUESTS = 2_000
# The solver proves the optimum of events this size in well under a second; the limit
# keeps the demo fast whatever the machine.
TIME_LIMIT_S = 1.0
TYPES = (
    ("Partenariat technologique", "Technology partnership"),
    ("Partenariat commercial", "Commercial partnership"),
    ("Projet de R&D collaboratif", "Collaborative R&D project"),
    ("Investissement", "Investment"),
)
HEALTH_KEYWORDS = (
    "diagnostic in vitro",
    "dispositifs médicaux",
    "bioproduction",
    "oncologie",
    "maladies infectieuses",
    "IA en santé",
    "médicament vétérinaire",
    "e-santé",
    "imagerie",
    "essais cliniques",
)
DIRECTOR_EMAIL = "direction@lyonbiopole.test"


def _moment(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _event(cluster: Cluster, days: int, title: str, title_en: str) -> Brokerage:
    starts = _moment(days, 9)
    event = Event.objects.create(
        cluster=cluster,
        kind=Event.Kind.BROKERAGE,
        title=title,
        title_en=title_en,
        slug=slugify(f"{title} {starts.year}")[:80],
        description="Rendez-vous d'affaires préprogrammés de 20 minutes entre participants.",
        description_en="Pre-scheduled 20-minute business meetings between participants.",
        venue="Cité internationale, Lyon",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=9),
        is_public=True,
    )
    return Brokerage.objects.create(
        cluster=cluster, event=event, meeting_minutes=20, tables=80, max_meetings=12
    )


def _slots(director: User, b: Brokerage) -> None:
    start = b.event.starts_at
    slots_generate(
        actor=director,
        brokerage=b,
        start=start,
        end=start + datetime.timedelta(hours=8, minutes=20),
        breaks=[
            (start + datetime.timedelta(hours=3, minutes=20), start + datetime.timedelta(hours=5))
        ],
    )


def _types(b: Brokerage) -> list[PartnershipType]:
    return PartnershipType.objects.bulk_create(
        PartnershipType(cluster=b.cluster, brokerage=b, name=fr, name_en=en) for fr, en in TYPES
    )


def _person(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(FEMALE_FIRST_NAMES if rng.random() < 0.5 else MALE_FIRST_NAMES)
    return first, rng.choice(LAST_NAMES)


def _ces_rows(rng: random.Random) -> list[dict[str, str]]:
    text = (
        resources.files("clusterdesk.demo")
        .joinpath("data/ces2025_french_exhibitors.csv")
        .read_text(encoding="utf-8")
    )
    rows = []
    for n, row in enumerate(csv.DictReader(io.StringIO(text))):
        first, last = _person(rng)
        categories = [c.strip() for c in row["categories"].split(",") if c.strip()]
        topic = next((c for c in categories if c != "Startups"), "Innovation")
        rows.append(
            {
                "first_name": first,
                "last_name": last,
                "email": f"{slugify(first)}.{slugify(last)}.{n}@{slugify(row['name'])[:40]}.test",
                "organisation": row["name"],
                "description": row["description"],
                "categories": row["categories"],
                "website": row["website"],
                "offer": headline_of(row["description"])[:200],
                "request": f"Partenaires industriels : {topic}",
            }
        )
    return rows


def _member_participants(
    rng: random.Random, b: Brokerage, contacts: list[Contact], count: int, validated: float
) -> list[Participant]:
    """``count`` registrations and profiles of members' contacts (one per organisation)."""
    seen: set[int] = set()
    chosen: list[Contact] = []
    for c in contacts:
        if c.organisation_id not in seen:
            seen.add(c.organisation_id)
            chosen.append(c)
        if len(chosen) >= count:
            break
    registrations = Registration.objects.bulk_create(
        Registration(
            cluster=b.cluster,
            event=b.event,
            first_name=c.first_name or "Camille",
            last_name=c.last_name,
            email=c.email.lower(),
            organisation=c.organisation,
            organisation_name=c.organisation.name,
            contact=c,
            status=Registration.Status.CONFIRMED,
        )
        for c in chosen
    )
    participants = []
    for c, reg in zip(chosen, registrations, strict=True):
        org = c.organisation
        description = org.description or f"{org.name} ({org.get_kind_display()}, {org.city})."
        participants.append(
            Participant(
                cluster=b.cluster,
                brokerage=b,
                registration=reg,
                status=Participant.Status.VALIDATED
                if rng.random() < validated
                else Participant.Status.PENDING,
                headline=headline_of(description),
                description=description,
                keywords=", ".join(rng.sample(HEALTH_KEYWORDS, 2)),
                validated_at=timezone.now(),
            )
        )
    return Participant.objects.bulk_create(participants)


def _requests(
    rng: random.Random,
    b: Brokerage,
    people: list[Participant],
    total: int,
    statuses: tuple[float, float],
    must: list[tuple[Participant, Participant]] = (),  # type: ignore[assignment]
) -> None:
    """``total`` requests aimed by a skewed popularity, none between colleagues."""
    org = {p.pk: p.registration.organisation_id or -p.pk for p in people}
    popularity = [rng.lognormvariate(0, 1) for _ in people]
    pairs: set[tuple[int, int]] = set()
    rows = []

    def add(a: Participant, t: Participant) -> None:
        if a.pk == t.pk or org[a.pk] == org[t.pk] or (a.pk, t.pk) in pairs:
            return
        pairs.add((a.pk, t.pk))
        roll = rng.random()
        status = (
            MeetingRequest.Status.ACCEPTED
            if roll < statuses[0]
            else MeetingRequest.Status.PENDING
            if roll < statuses[0] + statuses[1]
            else MeetingRequest.Status.DECLINED
        )
        rows.append(
            MeetingRequest(
                cluster=b.cluster,
                brokerage=b,
                requester=a,
                target=t,
                priority=rng.choices((1, 2, 3), weights=(25, 45, 30))[0],
                message="Bonjour, votre activité rejoint la nôtre : pouvons-nous en parler ?",
                status=status,
                answered_at=None if status == MeetingRequest.Status.PENDING else timezone.now(),
            )
        )

    for a, t in must:
        add(a, t)
        rows[-1].status = MeetingRequest.Status.ACCEPTED
    attempts = 0
    while len(rows) < total and attempts < total * 5:
        attempts += 1
        a = rng.choice(people)
        t = rng.choices(people, weights=popularity)[0]
        add(a, t)
    MeetingRequest.objects.bulk_create(rows, batch_size=1000)


def _schedule(director: User, b: Brokerage, time_limit: float) -> ScheduleRun:
    run = ScheduleRun.objects.create(
        cluster=b.cluster, brokerage=b, time_limit_s=time_limit, created_by=director
    )
    schedule_solve(run=run, actor=director)
    return schedule_publish(actor=director, run=run, notify_participants=False)


def _coming(ctx: DemoContext, rng: random.Random, director: User, contacts: list[Contact]) -> None:
    health: Cluster = ctx.objects["health"]
    b = _event(
        health, 24, "Rencontres d'affaires Santé & Deeptech", "Health & Deeptech B2B meetings"
    )
    types = _types(b)
    _slots(director, b)
    report = participants_import(
        actor=director,
        brokerage=b,
        rows=_ces_rows(rng),
        offer_type=types[0],
        request_type=types[1],
    )
    imported = report.participants
    Participant.objects.filter(pk__in=[p.pk for p in imported[:-6]]).update(
        status=Participant.Status.VALIDATED, validated_at=timezone.now()
    )
    # The demo's member (a start-up's leader with a portal account) takes part too.
    own = [c for c in contacts if c.email == MEMBER_EMAIL]
    others = [c for c in contacts if c.email != MEMBER_EMAIL]
    _member_participants(rng, b, own + others, PARTICIPANTS - len(imported), 0.97)
    people = list(
        Participant.objects.filter(brokerage=b, status=Participant.Status.VALIDATED)
        .select_related("registration")
        .order_by("pk")
    )
    _requests(rng, b, people, REQUESTS, (0.82, 0.10))
    _schedule(director, b, TIME_LIMIT_S)
    ctx.objects["brokerage"] = b


def _later_consortia(cluster: Cluster, after: datetime.datetime) -> list[tuple[int, int, int]]:
    """(application, organisation, organisation) of applications created within 18 months
    after ``after`` with two partners or more: pairs that later applied together."""
    apps = (
        Application.objects.filter(
            cluster=cluster,
            created_at__gt=after,
            created_at__lt=after + datetime.timedelta(days=540),
        )
        .annotate(n=Count("partners"))
        .filter(n__gte=2)
        .order_by("pk")
    )
    partners: dict[int, list[int]] = defaultdict(list)
    for app_id, org_id in Partner.objects.filter(application__in=apps).values_list(
        "application_id", "organisation_id"
    ):
        partners[app_id].append(org_id)
    return [(a, orgs[0], orgs[1]) for a, orgs in sorted(partners.items()) if len(orgs) >= 2]


def _past(
    ctx: DemoContext,
    rng: random.Random,
    director: User,
    contacts: list[Contact],
    days: int,
    title: str,
    title_en: str,
) -> None:
    health: Cluster = ctx.objects["health"]
    b = _event(health, days, title, title_en)
    _types(b)
    _slots(director, b)
    by_org: dict[int, Contact] = {}
    for c in contacts:
        by_org.setdefault(c.organisation_id, c)
    chain = _later_consortia(health, b.event.ends_at)[:12]
    wanted = [by_org[o] for _a, x, y in chain for o in (x, y) if o in by_org]
    pool = wanted + [c for c in rng.sample(contacts, min(len(contacts), 200)) if c not in wanted]
    people = _member_participants(rng, b, pool, 70, 1.0)
    by_organisation = {p.registration.organisation_id: p for p in people}
    must = [
        (by_organisation[x], by_organisation[y])
        for _a, x, y in chain
        if x in by_organisation and y in by_organisation
    ]
    _requests(rng, b, people, 260, (0.85, 0.0), must=must)
    run = _schedule(director, b, 1.0)
    meetings = list(
        run.meetings.select_related("participant_a__registration", "participant_b__registration")
    )
    no_show = [m.pk for m in meetings if rng.random() < 0.08]
    Meeting.objects.filter(run=run).update(status=Meeting.Status.HELD)
    Meeting.objects.filter(pk__in=no_show).update(status=Meeting.Status.NO_SHOW)
    apps = {frozenset((x, y)): a for a, x, y in chain}
    feedback = []
    later = b.event.ends_at + datetime.timedelta(days=182)
    outcomes = ("none", "none", "discussion", "discussion", "agreement")
    for m in meetings:
        if m.pk in no_show:
            continue
        key = frozenset(
            (
                m.participant_a.registration.organisation_id or 0,
                m.participant_b.registration.organisation_id or 0,
            )
        )
        app = apps.get(key)
        if app is not None:
            Meeting.objects.filter(pk=m.pk).update(application_id=app)
        for side in (m.participant_a, m.participant_b):
            if rng.random() < 0.7:
                feedback.append(
                    MeetingFeedback(
                        cluster=health,
                        meeting=m,
                        participant=side,
                        stage=MeetingFeedback.Stage.AFTER_EVENT,
                        rating=rng.choices((2, 3, 4, 5), weights=(1, 3, 5, 3))[0],
                        created_at=b.event.ends_at + datetime.timedelta(days=2),
                    )
                )
            if later < timezone.now() and (app is not None or rng.random() < 0.5):
                feedback.append(
                    MeetingFeedback(
                        cluster=health,
                        meeting=m,
                        participant=side,
                        stage=MeetingFeedback.Stage.SIX_MONTHS,
                        outcome="application" if app is not None else rng.choice(outcomes),
                        created_at=later,
                    )
                )
    MeetingFeedback.objects.bulk_create(feedback, batch_size=1000)


def build(ctx: DemoContext) -> None:
    rng = random.Random(f"{ctx.seed}-brokerage")
    health: Cluster = ctx.objects["health"]
    director = User.objects.get(email=DIRECTOR_EMAIL)
    contacts = list(
        Contact.objects.filter(cluster=health, anonymised_at=None)
        .exclude(email="")
        .select_related("organisation")
        .order_by("pk")
    )
    _coming(ctx, rng, director, contacts)
    _past(
        ctx,
        rng,
        director,
        contacts,
        -200,
        "Rencontres d'affaires du pôle santé",
        "Health cluster B2B meetings",
    )
    _past(
        ctx,
        rng,
        director,
        contacts,
        -560,
        "Rencontres d'affaires du pôle santé (édition précédente)",
        "Health cluster B2B meetings (previous edition)",
    )
    audit_record(actor=None, action="demo.generated", obj=health, after={"step": "brokerage"})
