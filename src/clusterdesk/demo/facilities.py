"""The demo's innovation centre (health cluster): about twenty hosted SMEs in offices, P2
and P3 laboratories, a bioproduction suite, a cleanroom, instruments; the people of the
hosted companies with their authorisations (some about to expire, some expired); a year of
bookings (most checked in and out, a few cancelled, some awaiting approval) and the monthly
statements of the closed months. Bulk inserts: a few hundred milliseconds."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.models import Cluster, ClusterRole
from clusterdesk.core.roles import Role
from clusterdesk.crm.kinds import SME_KINDS
from clusterdesk.crm.models import Contact
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.facilities.billing import PriceBook, month_lines, statement_line_rows
from clusterdesk.facilities.models import (
    Authorisation,
    Booking,
    Consumable,
    Lease,
    Price,
    Resource,
    Site,
    Statement,
    StatementLine,
)
from clusterdesk.facilities.selectors import next_month
from clusterdesk.projects.models import Partner

if TYPE_CHECKING:
    from clusterdesk.demo.build import DemoContext

HOSTED = 20
PEOPLE_PER_COMPANY = 2
K = Resource.Kind
# name, kind, level, ISO class, approval, restricted, (hour, half-day, day) tenant prices
BOOKABLE = [
    ("Laboratoire P2 — A", K.LAB, "P2", None, False, False, (35, 120, 220)),
    ("Laboratoire P2 — B", K.LAB, "P2", None, False, False, (35, 120, 220)),
    ("Laboratoire P2 — culture cellulaire", K.LAB, "P2", None, False, False, (40, 140, 250)),
    ("Laboratoire P3 — A", K.LAB, "P3", None, True, False, (80, 280, 500)),
    ("Laboratoire P3 — B", K.LAB, "P3", None, True, False, (80, 280, 500)),
    ("Suite de bioproduction", K.BIOPRODUCTION, "P2", None, True, False, (150, 520, 950)),
    ("Salle blanche ISO 7", K.CLEANROOM, "", 7, False, False, (60, 210, 380)),
    ("Cytomètre en flux", K.EQUIPMENT, "", None, False, True, (45, 0, 0)),
    ("Microscope confocal", K.EQUIPMENT, "", None, False, True, (55, 0, 0)),
    ("Spectromètre de masse", K.EQUIPMENT, "", None, True, True, (90, 0, 0)),
    ("Séquenceur haut débit", K.EQUIPMENT, "", None, False, True, (70, 0, 0)),
    ("Thermocycleur qPCR", K.EQUIPMENT, "", None, False, False, (15, 0, 0)),
    ("Salle de réunion Pasteur", K.MEETING_ROOM, "", None, False, False, (20, 60, 100)),
    ("Salle de réunion Mérieux", K.MEETING_ROOM, "", None, False, False, (25, 80, 140)),
]
# Members pay a third more than tenants, outsiders twice as much.
FACTORS: dict[str, Decimal] = {
    Price.Category.TENANT: Decimal(1),
    Price.Category.MEMBER: Decimal("1.35"),
    Price.Category.EXTERNAL: Decimal(2),
}
CONSUMABLES = [
    ("CO2 (bouteille)", Decimal("38.00")),
    ("Azote liquide (litre)", Decimal("1.90")),
    ("Milieux de culture (lot)", Decimal("120.00")),
    ("Élimination des déchets DASRI (fût)", Decimal("45.00")),
]


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _resources(
    ctx: DemoContext, health: Cluster, site: Site
) -> tuple[list[Resource], list[Resource]]:
    offices = [
        Resource(
            cluster=health,
            site=site,
            name=f"Bureau {n:02d}",
            kind=K.OFFICE,
            bookable=False,
            capacity=ctx.rng.choice([2, 4, 6]),
            area_m2=Decimal(ctx.rng.choice([18, 24, 36])),
        )
        for n in range(1, HOSTED + 3)
    ]
    bookable = []
    for name, kind, level, iso, approval, restricted, _prices in BOOKABLE:
        resource = Resource(
            cluster=health,
            site=site,
            name=name,
            kind=kind,
            containment_level=level,
            iso_grade=iso,
            requires_approval=approval,
            requires_authorisation=restricted,
            capacity=4 if kind != K.EQUIPMENT else 1,
            horizon_days=120,
            max_duration_minutes=12 * 60,
        )
        if kind == K.BIOPRODUCTION:
            # Runs go on day and night, every day, up to five days.
            resource.open_days = list(range(7))
            resource.opens_at = resource.closes_at = datetime.time(0)
            resource.max_duration_minutes = 5 * 24 * 60
            resource.min_duration_minutes = 4 * 60
        bookable.append(resource)
    Resource.objects.bulk_create(offices + bookable)
    prices = []
    for resource, row in zip(bookable, BOOKABLE, strict=True):
        for category, factor in FACTORS.items():
            for unit, amount in zip(Price.Unit.values, row[6], strict=True):
                if amount:
                    prices.append(
                        Price(
                            cluster=health,
                            resource=resource,
                            category=category,
                            unit=unit,
                            amount=Decimal(cast(int, amount)) * factor,
                        )
                    )
    Price.objects.bulk_create(prices)
    return offices, bookable


def _people(ctx: DemoContext, health: Cluster, hosted: list[int]) -> dict[int, list[User]]:
    """Two portal accounts per hosted company, on its contacts (the demo's member first)."""
    contacts = Contact.objects.filter(cluster=health, organisation_id__in=hosted).order_by("pk")
    by_org: dict[int, list[Contact]] = {}
    for contact in contacts:
        by_org.setdefault(contact.organisation_id, []).append(contact)
    users, linked = [], []
    for org_id in hosted:
        for n, contact in enumerate(by_org.get(org_id, [])[:PEOPLE_PER_COMPANY]):
            if contact.user_id is not None:
                continue
            user = User(
                email=f"centre.{org_id}.{n}@lyonbiopole.test",
                full_name=f"{contact.first_name} {contact.last_name}".strip(),
                password=ctx.objects["password_hash"],
            )
            users.append(user)
            contact.user = user
            linked.append(contact)
    User.objects.bulk_create(users)
    for contact in linked:
        contact.user_id = contact.user.pk  # type: ignore[union-attr]
    Contact.objects.bulk_update(linked, ["user"])
    ClusterRole.objects.bulk_create(
        [ClusterRole(cluster=health, user=u, role=Role.MEMBER) for u in users],
        ignore_conflicts=True,
    )
    people: dict[int, list[User]] = {}
    for contact in Contact.objects.filter(
        cluster=health, organisation_id__in=hosted, user__isnull=False
    ).select_related("user"):
        people.setdefault(contact.organisation_id, []).append(contact.user)  # type: ignore[arg-type]
    return people


def build(ctx: DemoContext) -> None:
    rng, health = ctx.rng, ctx.objects["health"]
    today = timezone.localdate()
    site = Site.objects.create(
        cluster=health,
        name="Centre d'innovation — Bioparc",
        address="60 avenue Rockefeller, 69008 Lyon",
    )
    offices, bookable = _resources(ctx, health, site)

    # The hosted companies: SMEs and start-ups of the cluster, the demo member's first.
    member_orgs = set(
        Contact.objects.filter(user=ctx.objects["portal_member"]).values_list(
            "organisation_id", flat=True
        )
    )
    smes = list(
        organisations_followed(cluster=health)
        .filter(kind__in=SME_KINDS)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    others = [pk for pk in smes if pk not in member_orgs]
    hosted = sorted(member_orgs)[:1] + rng.sample(others, min(HOSTED + 3, len(others)))
    leases = []
    for n, org_id in enumerate(hosted):
        office = offices[n % len(offices)]
        rent = (office.area_m2 or Decimal(20)) * Decimal("22.50")
        if n < HOSTED - 2:  # hosted all year, some since long
            start = today - datetime.timedelta(days=rng.randint(400, 1500))
            leases.append(
                Lease(
                    cluster=health,
                    organisation_id=org_id,
                    resource=office,
                    starts_on=start,
                    ends_on=today + datetime.timedelta(days=rng.randint(60, 900)),
                    monthly_rent=rent,
                    monthly_charges=rent * Decimal("0.15"),
                )
            )
        elif n < HOSTED:  # arrived during the year
            start = today - datetime.timedelta(days=rng.randint(60, 200))
            leases.append(
                Lease(
                    cluster=health,
                    organisation_id=org_id,
                    resource=office,
                    starts_on=start,
                    ends_on=start + datetime.timedelta(days=3 * 365),
                    monthly_rent=rent,
                    monthly_charges=rent * Decimal("0.15"),
                )
            )
        else:  # left during the year (notice given)
            end = today - datetime.timedelta(days=rng.randint(30, 150))
            leases.append(
                Lease(
                    cluster=health,
                    organisation_id=org_id,
                    resource=office,
                    starts_on=end - datetime.timedelta(days=700),
                    ends_on=end,
                    notice_given_on=end - datetime.timedelta(days=95),
                    monthly_rent=rent,
                    monthly_charges=rent * Decimal("0.15"),
                )
            )
    Lease.objects.bulk_create(leases)
    current = [lease.organisation_id for lease in leases if lease.ends_on >= today]
    people = _people(ctx, health, current)
    everyone = [(org_id, u) for org_id, users in people.items() for u in users]

    # Authorisations: most people P2, a third P3, instruments for some; a few expire soon
    # (the warnings), a few expired (their bookings stop then).
    authorisations = []
    restricted = [r for r in bookable if r.requires_authorisation]
    for _org_id, user in everyone:
        roll = rng.random()
        until = today + datetime.timedelta(days=rng.randint(60, 700))
        if roll < 0.12:
            until = today + datetime.timedelta(days=rng.randint(3, 29))
        elif roll < 0.22:
            until = today - datetime.timedelta(days=rng.randint(5, 120))
        since = today - datetime.timedelta(days=rng.randint(380, 900))
        trainer = rng.choice(["Dr Anne Morel", "Karim Benali", "Sophie Garnier"])
        levels = ["P2"] + (["P3"] if rng.random() < 0.35 else [])
        for level in levels:
            authorisations.append(
                Authorisation(
                    cluster=health,
                    person=user,
                    level=level,
                    valid_from=since,
                    valid_until=until,
                    trained_on=since - datetime.timedelta(days=7),
                    trainer=trainer,
                )
            )
        for resource in rng.sample(restricted, rng.randint(0, 2)):
            authorisations.append(
                Authorisation(
                    cluster=health,
                    person=user,
                    resource=resource,
                    valid_from=since,
                    valid_until=today + datetime.timedelta(days=rng.randint(30, 500)),
                    trained_on=since,
                    trainer=trainer,
                )
            )
    Authorisation.objects.bulk_create(authorisations)
    allowed: dict[int, list[tuple[int, User, datetime.date, datetime.date]]] = {}
    for resource in bookable:
        rank = {"": 0, "P1": 1, "P2": 2, "P3": 3}[resource.containment_level]
        for a in authorisations:
            covers = (
                a.resource_id == resource.pk
                if resource.requires_authorisation
                else (rank < 2 or (a.level and {"P1": 1, "P2": 2, "P3": 3}[a.level] >= rank))
            )
            if covers:
                org_id = next(o for o, u in everyone if u is a.person)
                allowed.setdefault(resource.pk, []).append(
                    (org_id, a.person, a.valid_from, a.valid_until)
                )
        if rank < 2 and not resource.requires_authorisation:
            allowed[resource.pk] = [
                (o, u, today - datetime.timedelta(days=999), today + datetime.timedelta(days=999))
                for o, u in everyone
            ]

    projects: dict[int, list[int]] = {}
    for org_id, app_id in Partner.objects.filter(
        organisation_id__in=current,
        application__cluster=health,
        application__state="labelled",
    ).values_list("organisation_id", "application_id"):
        projects.setdefault(org_id, []).append(app_id)

    # A year of bookings, and four weeks ahead: sequential slots per resource and day.
    bookings = []
    first_day = today - datetime.timedelta(days=365)
    for n in range(365 + 28):
        day = first_day + datetime.timedelta(days=n)
        for resource in bookable:
            if day.weekday() not in resource.open_days or rng.random() < 0.5:
                continue
            candidates = [c for c in allowed.get(resource.pk, []) if c[2] <= day <= c[3]]
            if not candidates:
                continue
            if resource.kind == K.BIOPRODUCTION:
                if day.weekday() != 0 or rng.random() < 0.3:
                    continue
                slots = [
                    (_aware(day, 8), _aware(day + datetime.timedelta(days=rng.randint(1, 4)), 18))
                ]
            else:
                slots, hour = [], 8
                while hour < 19 and len(slots) < 2:
                    hour += rng.choice([0, 0, 1, 2])
                    length = rng.choice([1, 2, 2, 3, 4])
                    if hour + length > 20:
                        break
                    slots.append((_aware(day, hour), _aware(day, hour + length)))
                    hour += length
            for start, end in slots:
                org_id, person, _f, _u = rng.choice(candidates)
                past = end < timezone.now()
                status = Booking.Status.CONFIRMED
                if rng.random() < 0.05:
                    status = Booking.Status.CANCELLED
                elif not past and resource.requires_approval and rng.random() < 0.4:
                    status = Booking.Status.PENDING
                checked = past and status == Booking.Status.CONFIRMED and rng.random() < 0.85
                late = datetime.timedelta(minutes=rng.choice([0, 5, 10, 20]))
                early = datetime.timedelta(minutes=rng.choice([0, 0, 15, 30]))
                apps = projects.get(org_id, [])
                bookings.append(
                    Booking(
                        cluster=health,
                        resource=resource,
                        person=person,
                        organisation_id=org_id,
                        application_id=rng.choice(apps) if apps and rng.random() < 0.3 else None,
                        start=start,
                        end=end,
                        status=status,
                        created_by=person,
                        created_at=start - datetime.timedelta(days=rng.randint(1, 20)),
                        checked_in_at=start + late if checked else None,
                        checked_out_at=end - early if checked else None,
                        cancelled_at=start - datetime.timedelta(days=1)
                        if status == Booking.Status.CANCELLED
                        else None,
                    )
                )
    Booking.objects.bulk_create(bookings, batch_size=2000)

    consumables = []
    for months_ago in range(12, 0, -1):
        month = (today.replace(day=1) - datetime.timedelta(days=31 * months_ago - 15)).replace(
            day=1
        )
        for org_id in rng.sample(current, min(8, len(current))):
            description, price = rng.choice(CONSUMABLES)
            consumables.append(
                Consumable(
                    cluster=health,
                    organisation_id=org_id,
                    date=month + datetime.timedelta(days=rng.randint(0, 25)),
                    description=description,
                    quantity=Decimal(rng.randint(1, 12)),
                    unit_price=price,
                )
            )
    Consumable.objects.bulk_create(consumables)

    # The statements of the last twelve closed months, computed like the service's.
    month = today.replace(day=1)
    statements, lines = [], []
    for _n in range(12):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        book = PriceBook(health, hosted, month.year)
        for org_id, org_lines in sorted(
            month_lines(cluster=health, month=month, book=book).items()
        ):
            if not org_lines:
                continue
            statement = Statement(
                cluster=health,
                organisation_id=org_id,
                month=month,
                number=f"{health.slug.upper()[:12]}-{month:%Y%m}-{org_id:05d}",
                total=sum((line.amount for line in org_lines), Decimal(0)),
                issued_at=_aware(next_month(month) + datetime.timedelta(days=2), 9),
            )
            statements.append((statement, org_lines))
    Statement.objects.bulk_create([s for s, _l in statements])
    for statement, org_lines in statements:
        lines.extend(statement_line_rows(org_lines, statement))
    StatementLine.objects.bulk_create(lines, batch_size=2000)
    audit_record(
        actor=None,
        action="demo.generated",
        obj=health,
        after={
            "facilities": {
                "resources": len(offices) + len(bookable),
                "leases": len(leases),
                "bookings": len(bookings),
                "statements": len(statements),
            }
        },
    )
