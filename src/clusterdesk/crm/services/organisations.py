"""Writes of organisations (one record per real organisation, shared by the clusters), their
merge, and the cluster's relationship with them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, cast

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import Conflict, NotAllowed, NotVisible, conflict_on_duplicate, require
from clusterdesk.core.models import Cluster
from clusterdesk.crm import identifiers
from clusterdesk.crm.geography import departement_of_postal_code, region_of_departement
from clusterdesk.crm.importing.values import normalise
from clusterdesk.crm.models import IDENTIFIER_FIELDS, Organisation, Relationship
from clusterdesk.crm.previews import merge_fills

CHANGE_MEMBERS = "crm.change_members"
CHANGE_PROFILE = "crm.change_profile_organisation"
MERGE = "crm.merge_organisations"

ORGANISATION_FIELDS = (
    "name",
    "usual_name",
    "kind",
    *IDENTIFIER_FIELDS,
    "creation_year",
    "naf_code",
    "ceased",
    "headcount_band",
    "turnover_band",
    "sme_override",
    "street",
    "postal_code",
    "city",
    "country",
    "website",
    "description",
    "description_en",
    "directory_consent",
)
# What a member may change on its own organisation from the portal: not its identity.
PORTAL_FIELDS = (
    "usual_name",
    "creation_year",
    "headcount_band",
    "turnover_band",
    "street",
    "postal_code",
    "city",
    "website",
    "description",
    "description_en",
    "directory_consent",
)
# What a cluster's staff may change on an organisation another cluster follows too. The
# record is one per real organisation, read by every cluster that follows it: correcting
# its facts (name, identifiers, kind, size, address, description) serves them all, so any
# following cluster may, and every one of them sees the change, who made it and for which
# cluster, in its log and on the organisation's timeline. What only the organisation itself
# says (its consent to be listed in the clusters' public directories, changed by its own
# contacts from the portal) and the SME override (a judgement that changes every following
# cluster's figures) are changed by staff only while their cluster alone follows it. What a
# cluster thinks of an organisation (domains, themes, markets, who follows it) is its own
# ``Relationship``, which no other cluster sees or changes.
SHARED_RECORD_FIELDS = tuple(
    f for f in ORGANISATION_FIELDS if f not in ("directory_consent", "sme_override")
)
SOLE_FOLLOWER_FIELDS = ("directory_consent", "sme_override")


def organisation_search_text(org: Organisation) -> str:
    parts = [org.name, org.usual_name, org.description, org.description_en, org.city]
    return normalise(" ".join(p for p in parts if p))


def organisation_derive(org: Organisation) -> None:
    """Set what an organisation's record derives: département and region from a French
    postal code, and the folded text the search reads. Every writer calls it."""
    if org.country == "FR" and org.postal_code:
        org.departement = departement_of_postal_code(org.postal_code) or ""
        org.region_code = region_of_departement(org.departement) or ""
    else:
        org.departement = org.region_code = ""
    org.search_text = organisation_search_text(org)


def organisation_clean(org: Organisation) -> None:
    """Validate identifiers, derive the département and region, and check uniqueness.

    Raises ValidationError naming each problem field, then Conflict naming the organisation
    that already holds one of the identifiers.
    """
    errors: dict[str, list[str]] = {}
    for field, clean in identifiers.CLEANERS.items():
        raw = getattr(org, field)
        if not raw:
            setattr(org, field, None)
            continue
        try:
            setattr(org, field, clean(raw))
        except identifiers.IdentifierError as exc:
            errors.setdefault(field, []).append(str(exc))
    if org.siret and not org.siren and "siret" not in errors:
        org.siren = identifiers.siren_of_siret(org.siret)
    if org.siret and org.siren and identifiers.siren_of_siret(org.siret) != org.siren:
        errors.setdefault("siret", []).append(_("The SIRET does not belong to this SIREN."))
    organisation_derive(org)
    try:
        org.full_clean(exclude=[*IDENTIFIER_FIELDS, "logo"], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    clash = _organisation_with_identifiers_of(org)
    if clash is not None:
        raise Conflict(_identifier_taken(clash), existing=clash)


def _organisation_with_identifiers_of(org: Organisation) -> Organisation | None:
    """Another organisation holding one of ``org``'s identifiers (they are unique across
    the instance, whoever follows the holder)."""
    taken = models.Q()
    for field in IDENTIFIER_FIELDS:
        if getattr(org, field):
            taken |= models.Q(**{field: getattr(org, field)})
    if not taken:
        return None
    return (
        Organisation.objects.instance_wide().filter(taken).exclude(pk=org.pk).order_by("pk").first()
    )


def _identifier_taken(existing: Organisation) -> str:
    return _("%(name)s (no. %(id)s) already has this identifier.") % {
        "name": existing,
        "id": existing.pk,
    }


def _unknown_fields(values: dict[str, Any], allowed: Iterable[str], what: str) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"{what}: {', '.join(sorted(unknown))}")


@transaction.atomic
def organisation_create(*, actor: User, cluster: Cluster, **values: Any) -> Organisation:
    """Create an organisation and the cluster's relationship with it."""
    require(actor, CHANGE_MEMBERS, cluster)
    _unknown_fields(values, ORGANISATION_FIELDS, "Not organisation fields")
    org = Organisation(**values)
    organisation_clean(org)
    # A concurrent request may have created it since the check: answer as the check does.
    with conflict_on_duplicate(lambda: _organisation_with_identifiers_of(org), _identifier_taken):
        org.save()
    Relationship.objects.create(cluster=cluster, organisation=org)
    audit_record(
        actor=actor,
        action="organisation.created",
        obj=org,
        cluster=cluster,
        after=audit_snapshot(org, ORGANISATION_FIELDS),
    )
    return org


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    cluster: Cluster,
    organisation: Organisation,
    portal: bool = False,
    **values: Any,
) -> Organisation:
    """Change an organisation the cluster follows: staff who keep the members change its
    record (only ``SHARED_RECORD_FIELDS`` while other clusters follow it too); its own
    contacts, from the portal (``portal=True``), only ``PORTAL_FIELDS``."""
    _unknown_fields(values, ORGANISATION_FIELDS, "Not organisation fields")
    if portal:
        require(actor, CHANGE_PROFILE, organisation, hidden=True)
        refused = sorted(set(values) - set(PORTAL_FIELDS))
        if refused:
            raise NotAllowed(
                _("Only the cluster's staff change: %(fields)s.") % {"fields": ", ".join(refused)}
            )
    else:
        require(actor, CHANGE_MEMBERS, cluster)
    org = (
        Organisation.objects.followed_by(cluster)
        .select_for_update()
        .filter(pk=organisation.pk)
        .first()
    )
    if org is None:
        raise NotVisible(_("This cluster does not follow this organisation."))
    before = audit_snapshot(org, ORGANISATION_FIELDS)
    for name, value in values.items():
        setattr(org, name, value)
    if not portal:
        _check_shared_record_change(org, cluster, before)
    organisation_clean(org)
    with conflict_on_duplicate(lambda: _organisation_with_identifiers_of(org), _identifier_taken):
        org.save()
    after = audit_snapshot(org, ORGANISATION_FIELDS)
    if before != after:
        changed = {k for k in after if before[k] != after[k]}
        audit_record(
            actor=actor,
            action="organisation.updated",
            obj=org,
            cluster=cluster,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return org


def _check_shared_record_change(
    org: Organisation, cluster: Cluster, before: dict[str, Any]
) -> None:
    """Refuse a change of a ``SOLE_FOLLOWER_FIELDS`` field while other clusters follow it."""
    changed = [f for f in SOLE_FOLLOWER_FIELDS if audit_snapshot(org, [f])[f] != before[f]]
    if not changed:
        return
    # Unscoped on purpose: whether other clusters follow it, not which ones.
    with scopes_disabled():
        shared = Relationship.objects.filter(organisation=org).exclude(cluster=cluster).exists()
    if shared:
        message = _(
            "Other clusters follow this organisation too: only the organisation itself (from "
            "its portal) or a cluster that alone follows it changes this."
        )
        raise ValidationError(dict.fromkeys(changed, message))


def organisations_insert_generated(*, organisations: list[Organisation]) -> list[Organisation]:
    """Insert generated organisations in bulk, unaudited: the demo builds its world with it
    (it derives each record first and creates the relationships itself)."""
    return Organisation.objects.bulk_create(organisations, batch_size=2000)


@transaction.atomic
def relationship_ensure(
    *, actor: User, cluster: Cluster, organisation: Organisation
) -> Relationship:
    """Start following an organisation that another cluster (or an import) created."""
    require(actor, CHANGE_MEMBERS, cluster)
    relationship, created = Relationship.objects.get_or_create(
        cluster=cluster, organisation=organisation
    )
    if created:
        audit_record(actor=actor, action="relationship.created", obj=relationship)
    return relationship


@transaction.atomic
def relationship_update(
    *,
    actor: User,
    relationship: Relationship,
    domains: Iterable[Any],
    themes: Iterable[Any],
    markets: Iterable[Any],
    owner: User | None,
) -> Relationship:
    """Classify the organisation for the cluster (domains, themes, markets) and name who
    follows it."""
    require(actor, CHANGE_MEMBERS, relationship.cluster)

    def ids(qs: Any) -> list[int]:
        return sorted(x.pk for x in qs)

    before = {
        "domains": ids(relationship.domains.all()),
        "themes": ids(relationship.themes.all()),
        "markets": ids(relationship.markets.all()),
        "owner": relationship.owner_id,
    }
    domains, themes, markets = list(domains), list(themes), list(markets)
    for term in (*domains, *themes, *markets):
        if term.cluster_id != relationship.cluster_id:
            raise ValidationError(_("A term of another cluster cannot be used."))
    relationship.domains.set(domains)
    relationship.themes.set(themes)
    relationship.markets.set(markets)
    relationship.owner = owner
    relationship.save(update_fields=["owner"])
    after = {
        "domains": ids(domains),
        "themes": ids(themes),
        "markets": ids(markets),
        "owner": owner.pk if owner else None,
    }
    if before != after:
        audit_record(
            actor=actor,
            action="relationship.updated",
            obj=relationship,
            before=before,
            after=after,
        )
    return relationship


def _links_to(model: type[models.Model]) -> list[models.ForeignObject]:
    """Every foreign key of the project pointing at ``model`` (later domains included)."""
    # The reverse side of a ForeignKey is one-to-many from the organisation's view.
    return [rel.field for rel in model._meta.related_objects if rel.one_to_many or rel.one_to_one]


@transaction.atomic
def organisation_merge(
    *, actor: User, cluster: Cluster, keep: Organisation, drop: Organisation
) -> Organisation:
    """Merge ``drop`` into ``keep``: every link moves, empty fields are filled, ``drop`` goes.

    Both must be organisations the cluster follows, and not two organisations: records
    holding two different valid identifiers of one kind (two SIRENs …) are refused. A link
    that would duplicate one ``keep`` already has (the same year's membership, the same
    cluster's relationship) is not moved; the merge lists those in its audit entry. The
    entry also keeps what the merge needs to be undone (``crm.services.merges``): the
    dropped record, the links moved, the fields filled and the rows deleted with ``drop``.
    """
    require(actor, MERGE, cluster)
    if keep.pk == drop.pk:
        raise ValidationError(_("An organisation cannot be merged into itself."))
    followed = {
        o.pk: o
        for o in Organisation.objects.followed_by(cluster)
        .select_for_update()
        .filter(pk__in=[keep.pk, drop.pk])
    }
    if len(followed) != 2:
        raise NotVisible(_("This cluster does not follow this organisation."))
    keep, drop = followed[keep.pk], followed[drop.pk]
    different = identifiers.different_identities(keep.identifiers, drop.identifiers)
    if different:
        raise ValidationError(
            _("These are two organisations: their %(identifiers)s differ.")
            % {"identifiers": ", ".join(str(identifiers.IDENTITY_LABELS[k]) for k in different)}
        )
    before = {
        "kept": audit_snapshot(keep, ORGANISATION_FIELDS),
        "dropped": audit_snapshot(drop, ORGANISATION_FIELDS),
    }
    moved: dict[str, dict[str, Any]] = {}
    kept_duplicates: list[str] = []
    # The organisation is shared by every cluster: its links in all of them move.
    with scopes_disabled():
        for fk in _links_to(Organisation):
            rows = fk.model._base_manager.filter(**{fk.name: drop})
            for row in rows:
                try:
                    with transaction.atomic():
                        type(row)._base_manager.filter(pk=row.pk).update(**{fk.name: keep})
                    label = fk.model._meta.label
                    moved.setdefault(label, {"field": fk.name, "pks": []})["pks"].append(row.pk)
                except IntegrityError:
                    kept_duplicates.append(f"{fk.model._meta.label}#{row.pk}")
                    if isinstance(row, Relationship):
                        _merge_relationship_into(row, keep)
        deleted = merge_snapshot_deleted(drop)
        filled = merge_fills(keep, drop, fields=ORGANISATION_FIELDS)
        values_of_drop = {f: getattr(drop, f) for f in filled}
        dropped_id = drop.pk
        try:
            drop.delete()
        except models.ProtectedError as exc:
            raise ValidationError(
                _("Both organisations are linked to one record (%(records)s): change it first.")
                % {"records": ", ".join(str(o) for o in list(exc.protected_objects)[:3])}
            ) from exc
    for field in filled:
        setattr(keep, field, values_of_drop[field])
    organisation_derive(keep)
    keep.save()
    audit_record(
        actor=actor,
        action="organisation.merged",
        obj=keep,
        cluster=cluster,
        before=before,
        after={
            "moved": {
                str(apps.get_model(label)._meta.verbose_name_plural): len(m["pks"])
                for label, m in moved.items()
            },
            "not_moved": kept_duplicates,
            "kept": keep.pk,
            # What undoing the merge restores (not shown in histories: keys with "_").
            "_undo": {
                "dropped_id": dropped_id,
                "moved": moved,
                "filled": filled,
                "deleted": deleted,
            },
        },
    )
    return keep


def merge_snapshot_deleted(drop: Organisation) -> dict[str, Any]:
    """Every row deleting ``drop`` removes (``drop`` itself first, then the links that could
    not move and what cascades from them) and the rows whose link it empties, serialised so
    that an undo can put them back."""
    collector = Collector(using=router.db_for_write(Organisation))
    collector.collect([drop])
    collector.sort()
    # Insertion order: the reverse of the deletion order (a parent before its children).
    instances = [obj for objs in reversed(list(collector.data.values())) for obj in objs]
    for qs in collector.fast_deletes:
        instances.extend(qs)
    emptied = []
    for (field, _value), batches in collector.field_updates.items():
        for batch in batches:
            for row in cast(Iterable[models.Model], batch):
                emptied.append(
                    {
                        "model": row._meta.label,
                        "pk": row.pk,
                        "field": field.attname,
                        "value": getattr(row, field.attname),
                    }
                )
    return {
        "rows": json.loads(serializers.serialize("json", instances)),
        "emptied": emptied,
    }


def _merge_relationship_into(duplicate: Relationship, keep: Organisation) -> None:
    """Both organisations were followed by one cluster: keep one relationship, all tags."""
    target = Relationship._base_manager.get(cluster=duplicate.cluster, organisation=keep)
    target.domains.add(*duplicate.domains.all())
    target.themes.add(*duplicate.themes.all())
    target.markets.add(*duplicate.markets.all())
    if target.owner_id is None and duplicate.owner_id is not None:
        target.owner_id = duplicate.owner_id
        target.save(update_fields=["owner"])
