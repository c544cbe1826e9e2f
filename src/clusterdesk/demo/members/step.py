"""The members step of the demo: writing the rows in bulk, the portal account, and
``build`` itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.models import Cluster, ClusterRole
from clusterdesk.core.roles import STAFF_ROLES
from clusterdesk.crm.kinds import OrganisationKind as Kind
from clusterdesk.crm.models import Contact, Membership, Relationship
from clusterdesk.crm.services.contacts import contact_grant_portal_access
from clusterdesk.crm.services.organisations import organisations_insert_generated
from clusterdesk.demo.members.contacts import make_contacts, make_interactions
from clusterdesk.demo.members.figures import (
    COMPANY_KINDS,
    CONTACTS_PER_ORGANISATION,
    HEALTH_INTERACTIONS,
    HEALTH_MEMBERS,
    MEMBER_EMAIL,
    NATIONAL_HISTORY,
    NATIONAL_ORGANISATIONS,
    REGION_COMPANIES,
    REGION_HISTORY,
    weighted_choice,
)
from clusterdesk.demo.members.health import health_tags, make_health
from clusterdesk.demo.members.memberships import Fees, make_memberships
from clusterdesk.demo.members.organisations import Maker, Plan
from clusterdesk.demo.members.others import make_others

if TYPE_CHECKING:
    from random import Random

    from clusterdesk.demo.build import DemoContext


@dataclass
class Written:
    relationships: dict[tuple[int, int], int]  # (cluster pk, id(MadeOrg)) -> relationship pk
    contacts: dict[tuple[int, int], list[Contact]]


def write_rows(
    rng: Random,
    today: datetime.date,
    fees: Fees,
    plans: dict[Cluster, list[Plan]],
    owners: dict[int, list[int]],
) -> Written:
    """Organisations, relationships, contacts and memberships, in bulk."""
    orgs = {id(p.o): p.o.org for group in plans.values() for p in group}
    organisations_insert_generated(organisations=list(orgs.values()))
    relationships = []
    contacts: dict[tuple[int, int], list[Contact]] = {}
    for cluster, group in plans.items():
        for p in group:
            relationships.append(
                Relationship(
                    cluster=cluster,
                    organisation=p.o.org,
                    owner_id=rng.choice(owners[cluster.pk]) if owners.get(cluster.pk) else None,
                    created_at=datetime.datetime(p.span.join, 1, 15, 9, tzinfo=datetime.UTC),
                )
            )
            count = weighted_choice(rng, CONTACTS_PER_ORGANISATION)
            contacts[(cluster.pk, id(p.o))] = make_contacts(rng, today, cluster, p.o, count)
    Relationship.objects.bulk_create(relationships, batch_size=2000)
    Contact.objects.bulk_create(
        [c for people in contacts.values() for c in people], batch_size=2000
    )
    memberships = []
    for cluster, group in plans.items():
        for p in group:
            category = fees.category(cluster, p.o.org)
            fee = fees.amount(category, p.o.org)
            leader = contacts[(cluster.pk, id(p.o))][0]
            memberships += make_memberships(rng, today, cluster, p, category, fee, leader)
    Membership.objects.bulk_create(memberships, batch_size=2000)
    rel_ids = {
        (r.cluster_id, id_): r.pk
        for r, id_ in zip(relationships, (id(p.o) for g in plans.values() for p in g), strict=True)
    }
    return Written(rel_ids, contacts)


def _portal_member(ctx: DemoContext, plans: list[Plan], written: Written) -> User:
    """A start-up's leader signs in to the member portal: the service grants the member
    role (and queues the welcome e-mail for when the demo's transaction commits)."""
    health: Cluster = ctx.objects["health"]
    startups = [p for p in plans[:HEALTH_MEMBERS] if p.o.org.kind == Kind.STARTUP]
    plan = ctx.rng.choice(startups)
    contact = written.contacts[(health.pk, id(plan.o))][0]
    contact.email = MEMBER_EMAIL
    contact.consent = True
    contact.save(update_fields=["email", "consent"])
    # The instance's administrator opens the portal to the demo's member.
    user = contact_grant_portal_access(actor=ctx.objects["admin"], contact=contact)
    user.set_password(ctx.password)
    user.save(update_fields=["password"])
    return user


def _team(roles: frozenset[str] | set[str]) -> dict[int, list[int]]:
    """The users holding ``roles``, per cluster pk, in a stable order."""
    team: dict[int, list[int]] = {}
    rows = ClusterRole.objects.filter(role__in=roles).order_by("cluster_id", "user__email")
    for cluster_id, user_id in rows.values_list("cluster_id", "user_id"):
        if user_id not in team.setdefault(cluster_id, []):
            team[cluster_id].append(user_id)
    return team


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = datetime.date.today()
    health: Cluster = ctx.objects["health"]
    regional = [c for c in ctx.objects["clusters"].values() if c != health]
    national: list[Cluster] = ctx.objects.get("national_clusters", [])
    maker, fees = Maker(rng, today), Fees()
    fees.create(health, factor=1.0)
    for cluster in regional + national:
        fees.create(cluster, factor=rng.uniform(0.6, 1.2))

    plans = {health: make_health(rng, maker, today)}
    member_companies = [
        p.o for p in plans[health][:HEALTH_MEMBERS] if p.o.org.kind in COMPANY_KINDS
    ]
    companies = REGION_COMPANIES + rng.randint(-40, 40) - len(member_companies)
    plans |= make_others(
        rng, maker, regional, companies, today.year, REGION_HISTORY, shared_from=member_companies
    )
    if national:
        made = len({id(p.o) for group in plans.values() for p in group})
        # About 8 % more organisations than companies: public bodies and former members.
        companies = round((NATIONAL_ORGANISATIONS - made) / 1.08)
        plans |= make_others(rng, maker, national, companies, today.year, NATIONAL_HISTORY)

    written = write_rows(rng, today, fees, plans, owners=_team(STAFF_ROLES))
    rels = {o: pk for (c, o), pk in written.relationships.items() if c == health.pk}
    health_tags(rng, health, plans[health], rels)
    staff = _team(STAFF_ROLES)
    done = {
        health.pk: make_interactions(
            rng,
            today,
            health,
            staff[health.pk],
            plans[health],
            written.contacts,
            HEALTH_INTERACTIONS,
        )
    }
    for cluster in regional:
        count = len(plans[cluster]) // 12
        done[cluster.pk] = make_interactions(
            rng, today, cluster, staff[cluster.pk], plans[cluster], written.contacts, count
        )
    ctx.objects["portal_member"] = _portal_member(ctx, plans[health], written)
    # One summary entry per cluster instead of one per row (see the module's docstring).
    for cluster, group in plans.items():
        audit_record(
            actor=None,
            action="demo.generated",
            obj=cluster,
            cluster=cluster,
            after={
                "organisations": len(group),
                "contacts": sum(len(written.contacts[(cluster.pk, id(p.o))]) for p in group),
                "interactions": done.get(cluster.pk, 0),
            },
        )
