"""The contacts of the organisations, and the health cluster's interactions with its members."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.text import slugify

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact, Interaction, Membership
from clusterdesk.demo import names
from clusterdesk.demo.members.figures import day_between
from clusterdesk.demo.members.organisations import MadeOrg, Plan

if TYPE_CHECKING:
    from random import Random


def make_contacts(
    rng: Random, today: datetime.date, cluster: Cluster, o: MadeOrg, count: int
) -> list[Contact]:
    people = []
    used: set[str] = set()
    for position in range(count):
        female = rng.random() < 0.5
        first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
        last = rng.choice(names.LAST_NAMES)
        titles: Sequence[tuple[str, str]]
        if o.public:
            titles = names.PUBLIC_LEADER_TITLES if position == 0 else names.PUBLIC_JOB_TITLES
        else:
            titles = names.LEADER_TITLES if position == 0 else names.JOB_TITLES
        local = f"{slugify(first)}.{slugify(last)}"
        while local in used:
            local = f"{slugify(first)[0]}{local}"
        used.add(local)
        consent = rng.random() < 0.8
        groups = " ".join(f"{rng.randint(10, 99)}" for _ in range(4))
        mobile = rng.random() < 0.3
        people.append(
            Contact(
                cluster=cluster,
                organisation=o.org,
                first_name=first,
                last_name=last,
                email=f"{local}@{o.email_domain}",
                phone=f"+33 {rng.choice('67') if mobile else o.zone} {groups}",
                job_title=rng.choice(titles)[female],
                language="en" if rng.random() < 0.06 else "fr",
                consent=consent,
                consent_on=day_between(rng, o.org.created_at.date(), today) if consent else None,
                newsletter=consent and rng.random() < 0.7,
            )
        )
    return people


def make_interactions(
    rng: Random,
    today: datetime.date,
    cluster: Cluster,
    staff: list[int],
    plans: list[Plan],
    contacts: dict[tuple[int, int], list[Contact]],
    count: int,
) -> int:
    """Meetings, calls and e-mails of the last three years with the cluster's members and
    former members; some next actions are still due."""
    members = [p for p in plans if p.span.end != Membership.Status.PROSPECT]
    made, met = [], []
    for _ in range(count):
        plan = rng.choice(members)
        first = max(datetime.date(today.year - 3, 1, 1), datetime.date(plan.span.join, 1, 1))
        last = min(today, datetime.date(plan.span.last + 1, 12, 31))
        if first > last:
            continue
        # Staff note more now than when they started with the CRM: recent days weigh more.
        date = last - datetime.timedelta(days=int((last - first).days * rng.random() ** 1.5))
        kind, subject = rng.choice(names.INTERACTION_SUBJECTS)
        item = Interaction(
            cluster=cluster,
            organisation=plan.o.org,
            kind=kind,
            date=date,
            owner_id=rng.choice(staff),
            subject=subject,
            notes=rng.choice(names.INTERACTION_NOTES),
        )
        if rng.random() < 0.4:
            item.next_action = rng.choice(names.NEXT_ACTIONS)
            item.next_action_due = date + datetime.timedelta(days=rng.randint(7, 60))
            item.next_action_done = item.next_action_due < today and rng.random() < 0.85
        made.append(item)
        people = contacts[(cluster.pk, id(plan.o))]
        met.append(rng.sample(people, min(len(people), rng.randint(1, 2))))
    Interaction.objects.bulk_create(made, batch_size=2000)
    through = Interaction.contacts.through
    through.objects.bulk_create(
        [
            through(interaction_id=item.pk, contact_id=person.pk)
            for item, people in zip(made, met, strict=True)
            for person in people
        ],
        batch_size=2000,
    )
    return len(made)
