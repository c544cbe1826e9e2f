"""Writing the valid rows of an import in one transaction: organisations, the cluster's
relationships with them, memberships and contacts, audited in bulk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from clusterdesk.audit.services import audit_record, audit_record_many
from clusterdesk.core.models import Cluster, Domain, Market, Theme
from clusterdesk.crm.importing.parsing import TERM_KINDS, ParsedRow
from clusterdesk.crm.importing.values import normalise
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.models import Contact, Membership, Organisation, Relationship
from clusterdesk.crm.services.organisations import organisation_derive

PROGRESS_EVERY = 500
ANALYZE_AFTER = 1000


@transaction.atomic
def write_rows(
    *,
    cluster: Cluster,
    actor: Any,
    rows: list[ParsedRow],
    progress: Callable[[int, int], None] | None,
) -> None:
    created: list[tuple[Organisation, ParsedRow]] = []
    updated: list[tuple[Organisation, dict[str, Any], dict[str, Any]]] = []
    changed_fields: set[str] = set()
    for n, row in enumerate(rows, start=1):
        if row.existing is None:
            org = Organisation(**{"kind": OrganisationKind.OTHER} | row.org)
            organisation_derive(org)
            created.append((org, row))
        else:
            org = row.existing
            before, after = {}, {}
            for name, value in row.org.items():
                if getattr(org, name) != value:
                    before[name], after[name] = getattr(org, name), value
                    setattr(org, name, value)
            if after:
                organisation_derive(org)
                changed_fields.update(after, {"departement", "region_code", "search_text"})
                updated.append((org, before, after))
        if progress and n % PROGRESS_EVERY == 0:
            progress(n, len(rows) * 2)
    Organisation.objects.bulk_create([o for o, _r in created], batch_size=1000)
    if updated:
        Organisation.objects.instance_wide().bulk_update(
            [o for o, _b, _a in updated], sorted(changed_fields), batch_size=1000
        )
    for org, row in created:
        row.existing = org
    audit_record_many(
        actor=actor,
        action="organisation.imported",
        cluster=cluster,
        changes=[
            (o, None, {k: v for k, v in r.org.items() if v not in ("", None)}) for o, r in created
        ],
    )
    audit_record_many(actor=actor, action="organisation.updated", cluster=cluster, changes=updated)
    _write_new_terms(cluster, actor, rows)
    _write_relationships(cluster, rows)
    _write_memberships(cluster, actor, rows)
    _write_contacts(cluster, actor, rows)
    audit_record(
        actor=actor,
        action="crm.import",
        obj=cluster,
        after={"created": len(created), "updated": len(updated), "rows": len(rows)},
    )
    if connection.vendor == "postgresql" and len(rows) >= ANALYZE_AFTER:
        # Fresh statistics, or the planner misjudges the directory's filters after a big load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE crm_organisation, crm_relationship")
    if progress:
        progress(len(rows) * 2, len(rows) * 2)


TERM_MODELS: dict[str, Any] = {"domains": Domain, "themes": Theme, "markets": Market}


def _write_new_terms(cluster: Cluster, actor: Any, rows: list[ParsedRow]) -> None:
    """Create the themes, markets and domains the staff chose to add, once each, and
    tag the rows with them."""
    for kind in TERM_KINDS:
        model = TERM_MODELS[kind]
        wanted: dict[str, str] = {}
        for row in rows:
            for label in row.new_terms.get(kind, []):
                wanted.setdefault(normalise(label), label)
        if not wanted:
            continue
        position = max(
            model.objects.filter(cluster=cluster).values_list("position", flat=True) or [0]
        )
        made = {}
        for n, (key, label) in enumerate(wanted.items(), start=1):
            term = model.objects.create(cluster=cluster, name=label[:160], position=position + n)
            audit_record(
                actor=actor,
                action=f"{model._meta.model_name}.created",
                obj=term,
                after={"name": term.name},
            )
            made[key] = term
        for row in rows:
            for label in row.new_terms.get(kind, []):
                term = made[normalise(label)]
                if term not in row.tags.setdefault(kind, []):
                    row.tags[kind].append(term)


def _write_relationships(cluster: Cluster, rows: list[ParsedRow]) -> None:
    orgs = [r.existing for r in rows if r.existing is not None]
    existing = dict(
        Relationship.objects.filter(cluster=cluster, organisation__in=orgs).values_list(
            "organisation_id", "pk"
        )
    )
    new = [Relationship(cluster=cluster, organisation=o) for o in orgs if o.pk not in existing]
    Relationship.objects.bulk_create(new, batch_size=1000)
    ids = existing | {r.organisation_id: r.pk for r in new}
    for kind in ("domains", "themes", "markets"):
        through = getattr(Relationship, kind).through
        term_field = {"domains": "domain_id", "themes": "theme_id", "markets": "market_id"}[kind]
        links = [
            through(relationship_id=ids[r.existing.pk], **{term_field: term.pk})
            for r in rows
            if r.existing is not None
            for term in r.tags.get(kind, [])
        ]
        through.objects.bulk_create(links, ignore_conflicts=True, batch_size=1000)


def _write_memberships(cluster: Cluster, actor: Any, rows: list[ParsedRow]) -> None:
    _write_history(cluster, actor, rows)
    wanted = [(r.existing, r.membership) for r in rows if r.membership and r.existing]
    if not wanted:
        return
    current = {
        (m.organisation_id, m.year): m
        for m in Membership.objects.filter(
            cluster=cluster, organisation__in=[o for o, _m in wanted]
        )
    }
    new, changed = [], []
    for org, values in wanted:
        assert org is not None
        membership = current.get((org.pk, values["year"]))
        if membership is None:
            new.append(Membership(cluster=cluster, organisation=org, **values))
        else:
            before = {k: getattr(membership, k) for k in values}
            for k, v in values.items():
                setattr(membership, k, v)
            if before != values:
                membership.save()
                changed.append((membership, before, values))
    Membership.objects.bulk_create(new, batch_size=1000)
    audit_record_many(
        actor=actor,
        action="membership.imported",
        cluster=cluster,
        changes=[(m, None, {"year": m.year, "status": m.status}) for m in new],
    )
    audit_record_many(actor=actor, action="membership.updated", cluster=cluster, changes=changed)


def _write_history(cluster: Cluster, actor: Any, rows: list[ParsedRow]) -> None:
    """A join date's years: an active membership each year the cluster has none yet
    (a year the file or the CRM already holds keeps its own row)."""
    wanted = [
        (r.existing, year, r.membership)
        for r in rows
        if r.existing is not None
        for year in r.history
        if not (r.membership and r.membership.get("year") == year)
    ]
    if not wanted:
        return
    held = set(
        Membership.objects.filter(
            cluster=cluster, organisation__in={o for o, _y, _m in wanted}
        ).values_list("organisation_id", "year")
    )
    new = [
        Membership(
            cluster=cluster,
            organisation=org,
            year=year,
            status=Membership.Status.ACTIVE,
            category=(membership or {}).get("category"),
        )
        for org, year, membership in wanted
        if org is not None and (org.pk, year) not in held
    ]
    Membership.objects.bulk_create(new, batch_size=1000)
    audit_record_many(
        actor=actor,
        action="membership.imported",
        cluster=cluster,
        changes=[(m, None, {"year": m.year, "status": m.status}) for m in new],
    )


def _write_contacts(cluster: Cluster, actor: Any, rows: list[ParsedRow]) -> None:
    wanted = [(r.existing, c) for r in rows if r.existing for c in r.contacts]
    if not wanted:
        return
    known = {
        (c.organisation_id, c.email or normalise(f"{c.first_name} {c.last_name}")): c
        for c in Contact.objects.filter(cluster=cluster, organisation__in=[o for o, _c in wanted])
    }
    new = []
    for org, values in wanted:
        assert org is not None
        key = (
            org.pk,
            values["email"] or normalise(f"{values['first_name']} {values['last_name']}"),
        )
        contact = known.get(key)
        if contact is None:
            contact = Contact(cluster=cluster, organisation=org, **values)
            known[key] = contact
            new.append(contact)
        elif contact.anonymised_at is None:
            for k, v in values.items():
                if v:
                    setattr(contact, k, v)
            contact.save()
    Contact.objects.bulk_create(new, batch_size=1000)
    # Personal data stays out of the audit log: only that a contact was added.
    audit_record_many(
        actor=actor,
        action="contact.imported",
        cluster=cluster,
        changes=[(c, None, None) for c in new],
    )
