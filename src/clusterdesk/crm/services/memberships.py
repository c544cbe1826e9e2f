"""Writes of memberships and fees: a year's membership, resignations, the renewal campaign
(renew, call the fees, remind, record payments, lapse the unpaid), the fee grid.

Who writes what: the staff who keep the members (``crm.change_members``) and finance
(``crm.manage_fees``) write memberships (``crm.change_memberships``); only finance sets the
fee fields, runs the campaign and keeps the grid.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import Conflict, NotAllowed, conflict_on_duplicate, require
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import (
    FeeRule,
    Membership,
    MembershipCategory,
    Organisation,
    Relationship,
)
from clusterdesk.crm.notices import send_fee_notices
from clusterdesk.crm.previews import memberships_to_renew, memberships_unpaid
from clusterdesk.crm.selectors import fee_for
from clusterdesk.crm.services.invoices import invoice_for_fee

CHANGE_MEMBERSHIPS = "crm.change_memberships"
MANAGE_FEES = "crm.manage_fees"

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
# Set by finance only (``crm.manage_fees``): forms hide them from the others.
FEE_FIELDS = ("fee_amount", "fee_called_on", "fee_paid_amount", "fee_paid_on")


def _require_membership_write(actor: User, cluster: Cluster, fields: Iterable[str]) -> None:
    require(actor, CHANGE_MEMBERSHIPS, cluster)
    fees = sorted(set(fields) & set(FEE_FIELDS))
    if fees and not actor.has_perm(MANAGE_FEES, cluster):
        raise NotAllowed(
            _("Only finance sets the fee fields: %(fields)s.") % {"fields": ", ".join(fees)}
        )


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
    if m.category is not None and m.category.cluster_id != m.cluster_id:
        raise ValidationError({"category": _("This category belongs to another cluster.")})
    m.full_clean(exclude=["organisation", "category", "representative"], validate_unique=False)


def _membership_exists(existing: Membership) -> str:
    return _("%(organisation)s already has a membership for %(year)s (no. %(id)s).") % {
        "organisation": existing.organisation,
        "year": existing.year,
        "id": existing.pk,
    }


@transaction.atomic
def membership_create(
    *, actor: User, cluster: Cluster, organisation: Organisation, year: int, **values: Any
) -> Membership:
    """The organisation's membership for ``year``; one per year, so a second is refused
    with ``Conflict`` naming the first (change that one with ``membership_update``)."""
    unknown = set(values) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"Not membership fields: {', '.join(sorted(unknown))}")
    _require_membership_write(actor, cluster, values)
    same_year = Membership.objects.filter(cluster=cluster, organisation=organisation, year=year)
    existing = same_year.first()
    if existing is not None:
        raise Conflict(_membership_exists(existing), existing=existing)
    membership = Membership(cluster=cluster, organisation=organisation, year=year, **values)
    _membership_check(membership)
    # Two requests creating the same year at once: the second is told of the first.
    with conflict_on_duplicate(same_year.first, _membership_exists):
        membership.save()
    Relationship.objects.get_or_create(cluster=cluster, organisation=organisation)
    audit_record(
        actor=actor,
        action="membership.created",
        obj=membership,
        after=audit_snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return membership


@transaction.atomic
def membership_update(*, actor: User, membership: Membership, **values: Any) -> Membership:
    """Change a membership; its organisation and year are its identity and do not change."""
    unknown = set(values) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"Not membership fields: {', '.join(sorted(unknown))}")
    _require_membership_write(actor, membership.cluster, values)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if "year" in values and values.pop("year") != membership.year:
        raise ValidationError({"year": _("The year of a membership cannot change.")})
    before = audit_snapshot(membership, MEMBERSHIP_FIELDS)
    for name, value in values.items():
        setattr(membership, name, value)
    _membership_check(membership)
    membership.save()
    after = audit_snapshot(membership, MEMBERSHIP_FIELDS)
    if before != after:
        audit_record(
            actor=actor, action="membership.updated", obj=membership, before=before, after=after
        )
    return membership


@transaction.atomic
def membership_resign(*, actor: User, membership: Membership, reason: str) -> Membership:
    return membership_update(
        actor=actor,
        membership=membership,
        status=Membership.Status.RESIGNED,
        resignation_reason=reason,
    )


@transaction.atomic
def membership_renew(*, actor: User, cluster: Cluster, year: int) -> list[Membership]:
    """Open ``year``: every member active the year before gets this year's membership, in
    the same category, with its fee from the grid (not yet called)."""
    require(actor, MANAGE_FEES, cluster)
    created = []
    for old in memberships_to_renew(cluster=cluster, year=year):
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
    *, actor: User, cluster: Cluster, memberships: Iterable[Membership], called_on: datetime.date
) -> list[Membership]:
    """Call the fee of each membership not yet called (amount from the grid when unset),
    issue its invoice, and e-mail the representatives once the transaction commits."""
    require(actor, MANAGE_FEES, cluster)
    called = []
    for membership in memberships:
        if membership.cluster_id != cluster.pk:
            raise ValidationError(_("A membership of another cluster cannot be called."))
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
        invoice_for_fee(actor=actor, membership=membership, issued_on=called_on)
        called.append(membership)
    ids = [m.pk for m in called]
    if ids:
        transaction.on_commit(lambda: send_fee_notices.enqueue(cluster.pk, ids, "call"))
    return called


@transaction.atomic
def membership_record_payment(
    *, actor: User, membership: Membership, amount: Decimal, paid_on: datetime.date
) -> Membership:
    require(actor, MANAGE_FEES, membership.cluster)
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
    *, actor: User, cluster: Cluster, year: int, today: datetime.date
) -> list[Membership]:
    """Remind every representative whose called fee is still unpaid."""
    require(actor, MANAGE_FEES, cluster)
    due = list(memberships_unpaid(cluster=cluster, year=year).select_for_update(of=("self",)))
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
def membership_lapse_unpaid(*, actor: User, cluster: Cluster, year: int) -> int:
    """Close ``year``: active memberships whose fee was called and never paid lapse."""
    require(actor, MANAGE_FEES, cluster)
    unpaid = memberships_unpaid(cluster=cluster, year=year)
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
    *, actor: User, category: MembershipCategory, **values: Any
) -> MembershipCategory:
    require(actor, MANAGE_FEES, category.cluster)
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
def fee_rule_add(*, actor: User, cluster: Cluster, **values: Any) -> FeeRule:
    require(actor, MANAGE_FEES, cluster)
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
