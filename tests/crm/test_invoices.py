"""Fee invoices: issued when a fee is called, numbered without gaps, cancelled by credit
notes, produced as Factur-X PDFs whose embedded data an accounting tool reads."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled
from facturx import get_xml_from_pdf
from lxml import etree

from clusterdesk.core.errors import Conflict, NotAllowed
from clusterdesk.core.roles import Role
from clusterdesk.crm.invoice_documents import invoice_pdf
from clusterdesk.crm.models import Invoice, Membership
from clusterdesk.crm.services import invoices, memberships
from tests.conftest import Tenant
from tests.factories import follow

D = datetime.date
RSM = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}"
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


def _called(tenant: Tenant, n: int = 2) -> list[Membership]:
    cluster = tenant.cluster
    with scopes_disabled():
        cluster.legal_name = "Association Pôle Alpha"
        cluster.siret = "73282932000074"
        cluster.iban = "FR76 3000 6000 0112 3456 7890 189"
        cluster.save()
        rows = [
            Membership.objects.create(
                cluster=cluster,
                organisation=follow(cluster, name=f"Biotech {i}", siren=None),
                year=2026,
                status="active",
                fee_amount=Decimal("1200.00"),
            )
            for i in range(n)
        ]
    with scope(cluster=cluster):
        return memberships.membership_call_fees(
            actor=tenant.people[Role.FINANCE],
            cluster=cluster,
            memberships=rows,
            called_on=D(2026, 1, 15),
        )


def test_calling_fees_issues_invoices_numbered_without_gaps(tenant_a: Tenant) -> None:
    called = _called(tenant_a, 3)
    with scope(cluster=tenant_a.cluster):
        numbers = sorted(Invoice.objects.values_list("number", flat=True))
        invoice = Invoice.objects.get(membership=called[0])
    assert numbers == ["2026-00001", "2026-00002", "2026-00003"]
    assert invoice.amount == Decimal("1200.00") and invoice.due_on == D(2026, 2, 14)
    assert invoice.buyer_name == "Biotech 0"


def test_a_credit_note_cancels_and_the_fee_can_be_called_again(tenant_a: Tenant) -> None:
    first = _called(tenant_a, 1)[0]
    finance = tenant_a.people[Role.FINANCE]
    with scope(cluster=tenant_a.cluster):
        invoice = Invoice.objects.get(membership=first)
        with pytest.raises(ValidationError):
            invoices.credit_note_issue(
                actor=finance, invoice=invoice, reason=" ", issued_on=D(2026, 2, 1)
            )
        note = invoices.credit_note_issue(
            actor=finance, invoice=invoice, reason="Erreur de catégorie", issued_on=D(2026, 2, 1)
        )
        assert (note.number, note.kind, note.credited) == ("2026-00002", "credit_note", invoice)
        with pytest.raises(Conflict):
            invoices.credit_note_issue(
                actor=finance, invoice=invoice, reason="x", issued_on=D(2026, 2, 1)
            )
        first.refresh_from_db()
        assert first.fee_called_on is None
        memberships.membership_call_fees(
            actor=finance, cluster=tenant_a.cluster, memberships=[first], called_on=D(2026, 2, 2)
        )
        assert Invoice.objects.filter(membership=first).count() == 3


def test_only_finance_issues_credit_notes(tenant_a: Tenant) -> None:
    first = _called(tenant_a, 1)[0]
    with scope(cluster=tenant_a.cluster):
        invoice = Invoice.objects.get(membership=first)
        for role in (Role.PROJECT_MANAGER, Role.EVENT_MANAGER, Role.DIRECTOR):
            if tenant_a.people[role].has_perm("crm.manage_fees", tenant_a.cluster):
                continue
            with pytest.raises(NotAllowed):
                invoices.credit_note_issue(
                    actor=tenant_a.people[role],
                    invoice=invoice,
                    reason="x",
                    issued_on=D(2026, 2, 1),
                )
        assert not Invoice.objects.filter(kind="credit_note").exists()


def test_the_pdf_is_factur_x_with_the_invoice_data(tenant_a: Tenant) -> None:
    first = _called(tenant_a, 1)[0]
    with scope(cluster=tenant_a.cluster):
        invoice = Invoice.objects.get(membership=first)
        pdf = invoice_pdf(invoice)
    assert pdf.startswith(b"%PDF")
    filename, xml = get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    root = etree.fromstring(xml)
    assert root.find(f"{RSM}ExchangedDocument/{RAM}ID").text == "2026-00001"
    assert root.find(f".//{RAM}DuePayableAmount").text == "1200.00"
    assert root.find(f".//{RAM}IBANID").text == "FR7630006000011234567890189"
    assert root.find(f".//{RAM}SellerTradeParty/{RAM}Name").text == "Association Pôle Alpha"
