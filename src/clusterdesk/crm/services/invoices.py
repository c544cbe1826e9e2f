"""Fee invoices and credit notes. Calling a fee issues its invoice; a credit note cancels
one (the fee can then be called again). Numbers form one series per cluster and year
without gaps (French invoicing rules): the next number is taken under a row lock in the
transaction that issues the document. Finance only (``crm.manage_fees``)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import Conflict, require
from clusterdesk.crm.models import Invoice, InvoiceSequence, Membership

MANAGE_FEES = "crm.manage_fees"
PAYMENT_DAYS = 30
INVOICE_FIELDS = ("number", "kind", "issued_on", "due_on", "amount", "buyer_name", "reason")


def _next_number(cluster_id: int, year: int) -> str:
    sequence, _created = InvoiceSequence.objects.select_for_update().get_or_create(
        cluster_id=cluster_id, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{year}-{sequence.last:05d}"


def _buyer_address(membership: Membership) -> str:
    org = membership.organisation
    town = " ".join(part for part in (org.postal_code, org.city) if part)
    return ", ".join(part for part in (org.street, town) if part)


def invoice_for_fee(*, actor: User, membership: Membership, issued_on: datetime.date) -> Invoice:
    """The invoice of a fee being called; part of the caller's transaction and check."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An invoice is issued inside the fee call's transaction.")
    if membership.fee_amount is None or membership.fee_amount <= 0:
        raise ValidationError(_("A fee invoice needs a positive amount."))
    org = membership.organisation
    invoice = Invoice.objects.create(
        cluster_id=membership.cluster_id,
        number=_next_number(membership.cluster_id, issued_on.year),
        membership=membership,
        organisation=org,
        issued_on=issued_on,
        due_on=issued_on + datetime.timedelta(days=PAYMENT_DAYS),
        amount=membership.fee_amount,
        buyer_name=org.name,
        buyer_address=_buyer_address(membership),
        buyer_siren=org.siren or "",
        buyer_vat_number=org.vat or "",
    )
    audit_record(
        actor=actor,
        action="invoice.issued",
        obj=invoice,
        after=audit_snapshot(invoice, INVOICE_FIELDS),
    )
    return invoice


@transaction.atomic
def invoice_issue(*, actor: User, membership: Membership, issued_on: datetime.date) -> Invoice:
    """The invoice of a fee called before invoices existed (or after a credit note)."""
    require(actor, MANAGE_FEES, membership.cluster)
    if membership.fee_called_on is None:
        raise ValidationError(_("Call the fee before invoicing it."))
    current = membership.invoices.filter(kind=Invoice.Kind.INVOICE, credit_note=None).first()
    if current is not None:
        raise Conflict(_("The fee is already invoiced (%(number)s).") % {"number": current.number})
    return invoice_for_fee(actor=actor, membership=membership, issued_on=issued_on)


@transaction.atomic
def credit_note_issue(
    *, actor: User, invoice: Invoice, reason: str, issued_on: datetime.date
) -> Invoice:
    """Cancel an invoice by a credit note of the same amount; the membership's fee is no
    longer called, so that it can be called again (a new invoice) or left."""
    require(actor, MANAGE_FEES, invoice.cluster)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != Invoice.Kind.INVOICE:
        raise ValidationError(_("A credit note cannot itself be cancelled."))
    if hasattr(invoice, "credit_note"):
        raise Conflict(
            _("This invoice is already cancelled by %(number)s.")
            % {"number": invoice.credit_note.number}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the invoice is cancelled.")})
    if issued_on < invoice.issued_on:
        raise ValidationError({"issued_on": _("A credit note cannot precede its invoice.")})
    membership = invoice.membership
    if membership.fee_paid_amount:
        raise ValidationError(
            _("A payment is recorded on this fee: refund it before cancelling the invoice.")
        )
    note = Invoice.objects.create(
        cluster_id=invoice.cluster_id,
        number=_next_number(invoice.cluster_id, issued_on.year),
        kind=Invoice.Kind.CREDIT_NOTE,
        membership=membership,
        organisation=invoice.organisation,
        credited=invoice,
        issued_on=issued_on,
        due_on=issued_on,
        amount=invoice.amount,
        reason=reason.strip(),
        buyer_name=invoice.buyer_name,
        buyer_address=invoice.buyer_address,
        buyer_siren=invoice.buyer_siren,
        buyer_vat_number=invoice.buyer_vat_number,
    )
    before = audit_snapshot(membership, ("fee_called_on",))
    membership.fee_called_on = None
    membership.save(update_fields=["fee_called_on"])
    audit_record(
        actor=actor,
        action="invoice.credited",
        obj=note,
        after=audit_snapshot(note, INVOICE_FIELDS),
    )
    audit_record(
        actor=actor,
        action="membership.updated",
        obj=membership,
        before=before,
        after=audit_snapshot(membership, ("fee_called_on",)),
    )
    return note
