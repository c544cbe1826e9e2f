"""Writes of the CRM: organisations and their merge, the cluster's relationship with them,
memberships and fees, contacts (with GDPR export and erasure), interactions.

Every function is atomic and audited. Organisations are shared by the whole instance;
everything else belongs to one cluster and needs its scope.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import Conflict, NotVisible, conflict_on_duplicate
from clusterdesk.core.models import Cluster, ClusterRole
from clusterdesk.core.roles import Role
from clusterdesk.crm import identifiers
from clusterdesk.crm.geography import departement_of_postal_code, region_of_departement
from clusterdesk.crm.importing.values import normalise
from clusterdesk.crm.models import (
    IDENTIFIER_FIELDS,
    Contact,
    FeeRule,
    Interaction,
    Membership,
    MembershipCategory,
    Organisation,
    Relationship,
)
from clusterdesk.crm.notices import send_fee_notices, send_portal_welcome
from clusterdesk.crm.selectors import fee_for

ORGANISATION_FIELDS = (
    "name",
    "usual_name",
    "kind",
    *IDENTIFIER_FIELDS,
    "creation_year",
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
MEMBERSHIP_FIELDS = (
    "year",
    "category",
    "status",
    "resignation_reason",
    "representative",
    "fee_amount",
    "fee_called_on",
    "fee_paid_amount",
    "fee_paid_on",
)
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "language",
    "consent",
    "newsletter",
)
# Personal data never goes into the append-only audit log: only that it changed.
CONTACT_PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "job_title")
INTERACTION_FIELDS = (
    "kind",
    "date",
    "subject",
    "notes",
    "next_action",
    "next_action_due",
    "next_action_done",
)


# -- organisations -------------------------------------------------------------------


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
    """Another organisation holding one of ``org``'s identifiers (they are unique)."""
    taken = models.Q()
    for field in IDENTIFIER_FIELDS:
        if getattr(org, field):
            taken |= models.Q(**{field: getattr(org, field)})
    if not taken:
        return None
    return Organisation.objects.filter(taken).exclude(pk=org.pk).order_by("pk").first()


def _identifier_taken(existing: Organisation) -> str:
    return _("%(name)s (no. %(id)s) already has this identifier.") % {
        "name": existing,
        "id": existing.pk,
    }


@transaction.atomic
def organisation_create(*, actor: Any, cluster: Cluster, **values: Any) -> Organisation:
    """Create an organisation and the cluster's relationship with it."""
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Not organisation fields: {', '.join(sorted(unknown))}")
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
    *, actor: Any, cluster: Cluster, organisation: Organisation, portal: bool = False, **values: Any
) -> Organisation:
    """Change an organisation's record; from the portal, only ``PORTAL_FIELDS``; staff of
    a cluster that shares it with others, only ``SHARED_RECORD_FIELDS``."""
    allowed = PORTAL_FIELDS if portal else ORGANISATION_FIELDS
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    following = Relationship.objects.filter(cluster=cluster, organisation=organisation)
    if not portal and not following.exists():
        raise NotVisible(_("This cluster does not follow this organisation."))
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
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


@transaction.atomic
def relationship_ensure(
    *, actor: Any, cluster: Cluster, organisation: Organisation
) -> Relationship:
    """Start following an organisation that another cluster (or an import) created."""
    relationship, created = Relationship.objects.get_or_create(
        cluster=cluster, organisation=organisation
    )
    if created:
        audit_record(actor=actor, action="relationship.created", obj=relationship)
    return relationship


@transaction.atomic
def relationship_update(
    *,
    actor: Any,
    relationship: Relationship,
    domains: Iterable[Any],
    themes: Iterable[Any],
    markets: Iterable[Any],
    owner: User | None,
) -> Relationship:
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
    *, actor: Any, cluster: Cluster, keep: Organisation, drop: Organisation
) -> Organisation:
    """Merge ``drop`` into ``keep``: every link moves, empty fields are filled, ``drop`` goes.

    A link that would duplicate one ``keep`` already has (the same year's membership, the
    same cluster's relationship) is not moved; the merge lists those in its audit entry.
    """
    if keep.pk == drop.pk:
        raise ValidationError(_("An organisation cannot be merged into itself."))
    keep = Organisation.objects.select_for_update().get(pk=keep.pk)
    drop = Organisation.objects.select_for_update().get(pk=drop.pk)
    before = {
        "kept": audit_snapshot(keep, ORGANISATION_FIELDS),
        "dropped": audit_snapshot(drop, ORGANISATION_FIELDS),
    }
    moved: dict[str, int] = {}
    kept_duplicates: list[str] = []
    # The organisation is shared by every cluster: its links in all of them move.
    with scopes_disabled():
        for fk in _links_to(Organisation):
            rows = fk.model._base_manager.filter(**{fk.name: drop})
            for row in rows:
                try:
                    with transaction.atomic():
                        type(row)._base_manager.filter(pk=row.pk).update(**{fk.name: keep})
                    moved[fk.model._meta.label] = moved.get(fk.model._meta.label, 0) + 1
                except IntegrityError:
                    kept_duplicates.append(f"{fk.model._meta.label}#{row.pk}")
                    if isinstance(row, Relationship):
                        _merge_relationship_into(row, keep)
    identifiers_of_drop = {f: getattr(drop, f) for f in IDENTIFIER_FIELDS}
    drop.delete()
    for field in ORGANISATION_FIELDS:
        if field in IDENTIFIER_FIELDS:
            if not getattr(keep, field) and identifiers_of_drop[field]:
                setattr(keep, field, identifiers_of_drop[field])
        elif getattr(keep, field) in ("", None) and before["dropped"][field] not in ("", None):
            setattr(keep, field, getattr(drop, field))
    organisation_derive(keep)
    keep.save()
    audit_record(
        actor=actor,
        action="organisation.merged",
        obj=keep,
        cluster=cluster,
        before=before,
        after={"moved": moved, "not_moved": kept_duplicates, "kept": keep.pk},
    )
    return keep


def _merge_relationship_into(duplicate: Relationship, keep: Organisation) -> None:
    """Both organisations were followed by one cluster: keep one relationship, all tags."""
    target = Relationship._base_manager.get(cluster=duplicate.cluster, organisation=keep)
    target.domains.add(*duplicate.domains.all())
    target.themes.add(*duplicate.themes.all())
    target.markets.add(*duplicate.markets.all())
    if target.owner_id is None and duplicate.owner_id is not None:
        target.owner_id = duplicate.owner_id
        target.save(update_fields=["owner"])


# -- memberships and fees --------------------------------------------------------------


def _membership_check(m: Membership) -> None:
    if m.status == Membership.Status.RESIGNED and not m.resignation_reason.strip():
        raise ValidationError({"resignation_reason": _("Give the reason for resigning.")})
    if m.fee_paid_on and m.fee_paid_amount is None:
        raise ValidationError({"fee_paid_amount": _("Give the amount paid.")})
    person = m.representative
    if person is not None and person.organisation_id != m.organisation_id:
        raise ValidationError(
            {"representative": _("The representative must work for the organisation.")}
        )
    m.full_clean(exclude=["organisation", "category", "representative"], validate_unique=False)


def _membership_exists(existing: Membership) -> str:
    return _("%(organisation)s already has a membership for %(year)s (no. %(id)s).") % {
        "organisation": existing.organisation,
        "year": existing.year,
        "id": existing.pk,
    }


@transaction.atomic
def membership_save(
    *,
    actor: Any,
    cluster: Cluster,
    organisation: Organisation,
    year: int,
    create: bool = False,
    **values: Any,
) -> Membership:
    """Change the organisation's membership for ``year``, or create it. With ``create``
    (a new membership asked for), an existing one is refused with ``Conflict`` naming it."""
    unknown = set(values) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"Not membership fields: {', '.join(sorted(unknown))}")
    same_year = Membership.objects.filter(cluster=cluster, organisation=organisation, year=year)
    membership = same_year.select_for_update().first()
    if create and membership is not None:
        raise Conflict(_membership_exists(membership), existing=membership)
    creating = membership is None
    if membership is None:
        membership = Membership(cluster=cluster, organisation=organisation, year=year)
    before = None if creating else audit_snapshot(membership, MEMBERSHIP_FIELDS)
    for name, value in values.items():
        setattr(membership, name, value)
    _membership_check(membership)
    # Two requests creating the same year at once: the second is told of the first.
    with conflict_on_duplicate(same_year.first, _membership_exists):
        membership.save()
    Relationship.objects.get_or_create(cluster=cluster, organisation=organisation)
    after = audit_snapshot(membership, MEMBERSHIP_FIELDS)
    if before != after:
        action = "membership.created" if creating else "membership.updated"
        audit_record(actor=actor, action=action, obj=membership, before=before, after=after)
    return membership


@transaction.atomic
def membership_resign(*, actor: Any, membership: Membership, reason: str) -> Membership:
    return membership_save(
        actor=actor,
        cluster=membership.cluster,
        organisation=membership.organisation,
        year=membership.year,
        status=Membership.Status.RESIGNED,
        resignation_reason=reason,
    )


@transaction.atomic
def membership_renew(*, actor: Any, cluster: Cluster, year: int) -> list[Membership]:
    """Open ``year``: every member active the year before gets this year's membership, in
    the same category, with its fee from the grid (not yet called)."""
    previous = Membership.objects.filter(
        cluster=cluster, year=year - 1, status=Membership.Status.ACTIVE
    ).select_related("organisation", "category", "representative")
    already = set(
        Membership.objects.filter(cluster=cluster, year=year).values_list(
            "organisation_id", flat=True
        )
    )
    created = []
    for old in previous:
        if old.organisation_id in already:
            continue
        fee = fee_for(category=old.category, organisation=old.organisation)
        membership = Membership.objects.create(
            cluster=cluster,
            organisation=old.organisation,
            year=year,
            category=old.category,
            status=Membership.Status.ACTIVE,
            representative=old.representative,
            fee_amount=fee,
        )
        audit_record(
            actor=actor,
            action="membership.renewed",
            obj=membership,
            before={"year": year - 1},
            after=audit_snapshot(membership, MEMBERSHIP_FIELDS),
        )
        created.append(membership)
    return created


@transaction.atomic
def membership_call_fees(
    *, actor: Any, cluster: Cluster, memberships: Iterable[Membership], called_on: datetime.date
) -> list[Membership]:
    """Call the fee of each membership not yet called (amount from the grid when unset),
    and e-mail the representatives once the transaction commits."""
    called = []
    for membership in memberships:
        if membership.fee_called_on is not None or membership.status != Membership.Status.ACTIVE:
            continue
        before = audit_snapshot(membership, ("fee_amount", "fee_called_on"))
        if membership.fee_amount is None:
            membership.fee_amount = fee_for(
                category=membership.category, organisation=membership.organisation
            )
        if membership.fee_amount is None:
            continue  # no line of the grid applies: staff set the amount by hand
        membership.fee_called_on = called_on
        membership.save(update_fields=["fee_amount", "fee_called_on"])
        audit_record(
            actor=actor,
            action="membership.fee_called",
            obj=membership,
            before=before,
            after=audit_snapshot(membership, ("fee_amount", "fee_called_on")),
        )
        called.append(membership)
    ids = [m.pk for m in called]
    if ids:
        transaction.on_commit(lambda: send_fee_notices.enqueue(cluster.pk, ids, "call"))
    return called


@transaction.atomic
def membership_record_payment(
    *, actor: Any, membership: Membership, amount: Decimal, paid_on: datetime.date
) -> Membership:
    if amount <= 0:
        raise ValidationError({"amount": _("The amount paid must be positive.")})
    if membership.fee_called_on is None:
        raise ValidationError(_("Call the fee before recording a payment."))
    if paid_on < membership.fee_called_on:
        raise ValidationError({"paid_on": _("The payment cannot precede the call.")})
    before = audit_snapshot(membership, ("fee_paid_amount", "fee_paid_on"))
    membership.fee_paid_amount = (membership.fee_paid_amount or Decimal(0)) + amount
    membership.fee_paid_on = paid_on
    membership.save(update_fields=["fee_paid_amount", "fee_paid_on"])
    audit_record(
        actor=actor,
        action="membership.payment_recorded",
        obj=membership,
        before=before,
        after=audit_snapshot(membership, ("fee_paid_amount", "fee_paid_on")),
    )
    return membership


@transaction.atomic
def membership_remind(
    *, actor: Any, cluster: Cluster, year: int, today: datetime.date
) -> list[Membership]:
    """Remind every representative whose called fee is still unpaid."""
    due = list(
        Membership.objects.select_for_update()
        .filter(cluster=cluster, year=year, status=Membership.Status.ACTIVE)
        .exclude(fee_called_on=None)
        .filter(fee_paid_on=None)
    )
    for membership in due:
        membership.reminded_on = today
        membership.reminders += 1
        membership.save(update_fields=["reminded_on", "reminders"])
        audit_record(
            actor=actor,
            action="membership.reminded",
            obj=membership,
            after={"reminders": membership.reminders, "reminded_on": today},
        )
    ids = [m.pk for m in due]
    if ids:
        transaction.on_commit(lambda: send_fee_notices.enqueue(cluster.pk, ids, "reminder"))
    return due


@transaction.atomic
def membership_lapse_unpaid(*, actor: Any, cluster: Cluster, year: int) -> int:
    """Close ``year``: active memberships whose fee was called and never paid lapse."""
    unpaid = Membership.objects.filter(
        cluster=cluster, year=year, status=Membership.Status.ACTIVE, fee_paid_on=None
    ).exclude(fee_called_on=None)
    count = 0
    for membership in unpaid:
        membership.status = Membership.Status.LAPSED
        membership.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="membership.lapsed",
            obj=membership,
            before={"status": Membership.Status.ACTIVE},
            after={"status": Membership.Status.LAPSED},
        )
        count += 1
    return count


@transaction.atomic
def membership_category_save(
    *, actor: Any, category: MembershipCategory, **values: Any
) -> MembershipCategory:
    fields = ("name", "name_en", "voting_right", "position")
    creating = category.pk is None
    before = None if creating else audit_snapshot(category, fields)
    for name, value in values.items():
        setattr(category, name, value)
    category.full_clean(exclude=["cluster"])
    category.save()
    action = "membership_category.created" if creating else "membership_category.updated"
    audit_record(
        actor=actor,
        action=action,
        obj=category,
        before=before,
        after=audit_snapshot(category, fields),
    )
    return category


@transaction.atomic
def fee_rule_add(*, actor: Any, cluster: Cluster, **values: Any) -> FeeRule:
    rule = FeeRule(cluster=cluster, **values)
    if rule.category.cluster_id != cluster.pk:
        raise ValidationError({"category": _("This category belongs to another cluster.")})
    if rule.max_headcount is not None and rule.max_headcount < rule.min_headcount:
        raise ValidationError({"max_headcount": _("The range ends before it starts.")})
    rule.full_clean(exclude=["cluster", "category"])
    rule.save()
    audit_record(
        actor=actor,
        action="fee_rule.created",
        obj=rule,
        after=audit_snapshot(
            rule, ("category", "kind", "min_headcount", "max_headcount", "amount")
        ),
    )
    return rule


# -- contacts --------------------------------------------------------------------------


def _contact_audit(contact: Contact) -> dict[str, Any]:
    snap = audit_snapshot(contact, CONTACT_FIELDS)
    for field in CONTACT_PERSONAL_FIELDS:
        snap[field] = "•••" if snap[field] else ""
    return snap


@transaction.atomic
def contact_save(
    *,
    actor: Any,
    cluster: Cluster,
    organisation: Organisation,
    contact: Contact | None = None,
    **values: Any,
) -> Contact:
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Not contact fields: {', '.join(sorted(unknown))}")
    creating = contact is None
    if contact is None:
        contact = Contact(cluster=cluster, organisation=organisation)
    if contact.anonymised_at is not None:
        raise ValidationError(_("This person was erased; their record cannot change."))
    before = None if creating else audit_snapshot(contact, CONTACT_FIELDS)
    before_audit = None if creating else _contact_audit(contact)
    for name, value in values.items():
        setattr(contact, name, value)
    if contact.consent and contact.consent_on is None:
        contact.consent_on = timezone.localdate()
    contact.full_clean(exclude=["organisation", "user"])
    contact.save()
    Relationship.objects.get_or_create(cluster=cluster, organisation=organisation)
    if before != audit_snapshot(contact, CONTACT_FIELDS):
        action = "contact.created" if creating else "contact.updated"
        audit_record(
            actor=actor,
            action=action,
            obj=contact,
            before=before_audit,
            after=_contact_audit(contact),
        )
    return contact


@transaction.atomic
def contact_grant_portal_access(*, actor: Any, contact: Contact) -> User:
    """Give the contact a portal account with the member role, and e-mail them a link to
    choose their password."""
    if not contact.email:
        raise ValidationError(_("The contact needs an e-mail address for portal access."))
    if contact.anonymised_at is not None:
        raise ValidationError(_("This person was erased."))
    user = User.objects.filter(email__iexact=contact.email).first()
    if user is None:
        user = User.objects.create_user(
            contact.email, None, full_name=str(contact), language=contact.language
        )
        audit_record(
            actor=actor,
            action="account.created",
            obj=user,
            cluster=contact.cluster,
            after={"email": user.email},
        )
    ClusterRole.objects.get_or_create(cluster=contact.cluster, user=user, role=Role.MEMBER)
    contact.user = user
    contact.save(update_fields=["user"])
    audit_record(
        actor=actor, action="contact.portal_access_granted", obj=contact, after={"user": user.pk}
    )
    transaction.on_commit(lambda: send_portal_welcome.enqueue(contact.cluster_id, contact.pk))
    return user


def contact_personal_data(*, contact: Contact) -> dict[str, Any]:
    """Everything the cluster holds on a person (GDPR right of access), as JSON-ready data."""
    memberships = Membership.objects.filter(representative=contact).select_related("organisation")
    interactions = Interaction.objects.filter(contacts=contact)
    return {
        "person": {f: getattr(contact, f) for f in CONTACT_FIELDS}
        | {
            "organisation": str(contact.organisation),
            "consent_on": contact.consent_on.isoformat() if contact.consent_on else None,
            "created_at": contact.created_at.isoformat(),
            "portal_account": contact.user.email if contact.user else None,
        },
        "represents": [{"organisation": str(m.organisation), "year": m.year} for m in memberships],
        "interactions": [
            {"date": i.date.isoformat(), "kind": i.kind, "subject": i.subject} for i in interactions
        ],
    }


@transaction.atomic
def contact_anonymise(*, actor: Any, contact: Contact) -> Contact:
    """Erase a person (GDPR) but keep the history: the row stays, nameless."""
    if contact.anonymised_at is not None:
        return contact
    contact.first_name = ""
    contact.last_name = _("Erased person")
    contact.email = contact.phone = contact.job_title = ""
    contact.consent = contact.newsletter = False
    contact.consent_on = None
    if contact.user_id is not None:
        ClusterRole.objects.filter(
            cluster=contact.cluster, user_id=contact.user_id, role=Role.MEMBER
        ).delete()
        contact.user = None
    contact.anonymised_at = timezone.now()
    contact.save()
    audit_record(actor=actor, action="contact.anonymised", obj=contact)
    return contact


# -- interactions ----------------------------------------------------------------------


@transaction.atomic
def interaction_save(
    *,
    actor: Any,
    cluster: Cluster,
    organisation: Organisation,
    interaction: Interaction | None = None,
    contacts: Iterable[Contact] | None = None,
    **values: Any,
) -> Interaction:
    unknown = set(values) - set(INTERACTION_FIELDS)
    if unknown:
        raise TypeError(f"Not interaction fields: {', '.join(sorted(unknown))}")
    creating = interaction is None
    if interaction is None:
        interaction = Interaction(cluster=cluster, organisation=organisation, owner=actor)
    before = None if creating else audit_snapshot(interaction, INTERACTION_FIELDS)
    for name, value in values.items():
        setattr(interaction, name, value)
    if interaction.next_action_due and not interaction.next_action.strip():
        raise ValidationError({"next_action": _("Say what the next action is.")})
    interaction.full_clean(exclude=["organisation", "owner", "contacts"])
    interaction.save()
    if contacts is not None:
        people = list(contacts)
        if any(c.organisation_id != organisation.pk for c in people):
            raise ValidationError({"contacts": _("People met must work for the organisation.")})
        interaction.contacts.set(people)
    Relationship.objects.get_or_create(cluster=cluster, organisation=organisation)
    after = audit_snapshot(interaction, INTERACTION_FIELDS)
    if before != after:
        action = "interaction.created" if creating else "interaction.updated"
        audit_record(actor=actor, action=action, obj=interaction, before=before, after=after)
    return interaction
