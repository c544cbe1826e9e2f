"""The demo's events: the health cluster's annual convention coming in six weeks with about
400 registrations (its categories filled, the last ones on the waitlist, a few registrants
whose organisation staff must still confirm), last year's edition and smaller past events
with their attendance, and a coming workshop that is full.

Registrants are the cluster's own contacts (linked to their organisation and contact) and
generated researchers and investors; dates are relative to the day the demo is built, the
choices come from a generator seeded with the demo's seed alone, so that the other steps
do not move them.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.text import slugify

from clusterdesk.audit.services import audit_record
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact, Membership
from clusterdesk.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from clusterdesk.events.models import Event, Registration, RegistrationCategory

if TYPE_CHECKING:
    from clusterdesk.demo.build import DemoContext

CONVENTION_REGISTRATIONS = 400
CONVENTION_CAPACITY = 385
RESEARCH_KINDS = ("research_org", "higher_education", "hospital", "tech_platform")
# Organisations typed by registrants that no record holds: staff confirm or create them.
NEW_ORGANISATIONS = (
    "Laboratoire Hospitalier Rhône Sud",
    "BioCapital Partners",
    "Institut Alpin de Virologie",
    "Medtech Angels Lyon",
    "Cabinet Conseil Santé Plus",
    "Start-up Immunoptic",
)


@dataclass(frozen=True)
class Plan:
    kind: str
    title: str
    title_en: str
    days: int  # from the demo's day
    hours: int
    registrations: int
    capacity: int | None
    attendance: float  # share of the confirmed who came (past events)
    venue: str


def _moment(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _categories(cluster: Cluster, event: Event) -> dict[str, RegistrationCategory]:
    rows = [
        ("member", "Adhérent", "Member", 255, None, True),
        ("non_member", "Non-adhérent", "Non-member", 95, Decimal("180.00"), True),
        ("researcher", "Chercheur", "Researcher", 60, None, True),
        ("investor", "Investisseur", "Investor", 30, None, True),
        ("speaker", "Intervenant", "Speaker", None, None, False),
    ]
    made = RegistrationCategory.objects.bulk_create(
        RegistrationCategory(
            cluster=cluster,
            event=event,
            name=name,
            name_en=name_en,
            capacity=capacity,
            fee=fee,
            open_to_public=public,
            position=n,
        )
        for n, (_key, name, name_en, capacity, fee, public) in enumerate(rows)
    )
    return {row[0]: category for row, category in zip(rows, made, strict=True)}


def _person(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(FEMALE_FIRST_NAMES if rng.random() < 0.5 else MALE_FIRST_NAMES)
    return first, rng.choice(LAST_NAMES)


def _email(first: str, last: str, domain: str, n: int) -> str:
    return f"{slugify(first)}.{slugify(last)}.{n}@{domain}"


def _event(cluster: Cluster, plan: Plan) -> Event:
    starts = _moment(plan.days, 9)
    return Event.objects.create(
        cluster=cluster,
        kind=plan.kind,
        title=plan.title,
        title_en=plan.title_en,
        slug=slugify(f"{plan.title} {starts.year}")[:80],
        description=(
            "Rencontres, conférences et ateliers du pôle de compétitivité santé : "
            "chercheurs, entrepreneurs, PME et grands groupes."
        ),
        description_en=(
            "Meetings, talks and workshops of the health cluster: researchers, entrepreneurs, "
            "SMEs and large companies."
        ),
        venue=plan.venue,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=plan.hours),
        registration_closes_at=starts - datetime.timedelta(days=1) if plan.days > 0 else None,
        capacity=plan.capacity,
        is_public=True,
    )


def _registrations(
    rng: random.Random,
    cluster: Cluster,
    event: Event,
    contacts: list[Contact],
    members: set[int],
    categories: dict[str, RegistrationCategory],
    total: int,
    attendance: float,
) -> list[Registration]:
    """``total`` registrations in the order they came: confirmed while the event and the
    category have room, then on the waitlist (the same rule as the service)."""
    chosen = rng.sample(contacts, min(len(contacts), int(total * 0.85)))
    people: list[tuple[str, str, str, Contact | None, str, str]] = []
    for c in chosen:
        org = c.organisation
        if categories and org.kind in RESEARCH_KINDS:
            key = "researcher"
        elif categories and org.kind == "bank_investor":
            key = "investor"
        else:
            key = "member" if org.pk in members else "non_member"
        people.append((c.first_name or "Camille", c.last_name, c.email, c, key, ""))
    n = 0
    while len(people) < total:
        n += 1
        first, last = _person(rng)
        typed = NEW_ORGANISATIONS[n % len(NEW_ORGANISATIONS)] if n % 4 == 0 else ""
        key = "investor" if n % 5 == 0 else "researcher"
        people.append((first, last, _email(first, last, "exemple.test", n), None, key, typed))
    rng.shuffle(people)
    opened = event.starts_at - datetime.timedelta(days=60)
    confirmed = 0
    by_category: dict[str, int] = {}
    waiting = 0
    rows = []
    seen: set[str] = set()
    for i, (first, last, raw_email, contact, key, typed) in enumerate(people):
        email = raw_email.lower()
        if not email or email in seen:
            continue
        seen.add(email)
        category = categories.get(key) if categories else None
        if i < 4 and categories:
            category = categories["speaker"]
        room = event.capacity is None or confirmed < event.capacity
        if category is not None and category.capacity is not None:
            room = room and by_category.get(key, 0) < category.capacity
        registration = Registration(
            cluster=cluster,
            event=event,
            category=category,
            first_name=first,
            last_name=last,
            email=email,
            organisation=contact.organisation if contact else None,
            organisation_name=str(contact.organisation) if contact else typed,
            contact=contact,
            fee=category.fee if category else None,
            created_at=opened + datetime.timedelta(minutes=i * 131 % (55 * 24 * 60)),
        )
        if room:
            registration.status = Registration.Status.CONFIRMED
            confirmed += 1
            by_category[key] = by_category.get(key, 0) + 1
            if event.ends_at < timezone.now() and rng.random() < attendance:
                registration.attended_at = event.starts_at + datetime.timedelta(
                    minutes=rng.randint(0, 90)
                )
        else:
            waiting += 1
            registration.status = Registration.Status.WAITLISTED
            registration.waitlist_position = waiting
        rows.append(registration)
    return Registration.objects.bulk_create(rows, batch_size=1000)


def build(ctx: DemoContext) -> None:
    rng = random.Random(f"{ctx.seed}-events")
    health: Cluster = ctx.objects["health"]
    year = timezone.localdate().year
    contacts = list(
        Contact.objects.filter(cluster=health, anonymised_at=None)
        .exclude(email="")
        .select_related("organisation")
        .order_by("pk")
    )
    members = set(
        Membership.objects.filter(cluster=health, status="active", year__gte=year - 1).values_list(
            "organisation_id", flat=True
        )
    )
    venue = "Centre de congrès de Lyon, 50 quai Charles de Gaulle, Lyon"
    plans = [
        Plan(
            "conference",
            "Convention annuelle du pôle santé",
            "Health cluster annual convention",
            45,
            9,
            CONVENTION_REGISTRATIONS,
            CONVENTION_CAPACITY,
            0,
            venue,
        ),
        Plan(
            "conference",
            "Convention annuelle du pôle santé (édition précédente)",
            "Health cluster annual convention (previous edition)",
            -320,
            9,
            340,
            360,
            0.81,
            venue,
        ),
        Plan(
            "workshop",
            "Atelier propriété industrielle",
            "Intellectual property workshop",
            -60,
            3,
            38,
            40,
            0.9,
            "Bioparc, Lyon 8e",
        ),
        Plan(
            "networking",
            "Soirée start-ups et investisseurs",
            "Start-ups and investors evening",
            -25,
            4,
            72,
            80,
            0.74,
            "Hôtel de Région, Lyon",
        ),
        Plan(
            "webinar",
            "Webinaire financements européens",
            "EU funding webinar",
            -10,
            2,
            120,
            None,
            0.55,
            "En ligne",
        ),
        Plan(
            "visit",
            "Visite des laboratoires P3",
            "Visit of the BSL-3 laboratories",
            20,
            3,
            36,
            30,
            0,
            "Gerland, Lyon 7e",
        ),
    ]
    for n, plan in enumerate(plans):
        event = _event(health, plan)
        categories = _categories(health, event) if n == 0 else {}
        _registrations(
            rng, health, event, contacts, members, categories, plan.registrations, plan.attendance
        )
    audit_record(actor=None, action="demo.generated", obj=health, after={"step": "events"})
