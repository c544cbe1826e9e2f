"""An invoice as a document: the PDF a person reads, with its Factur-X data (the EN 16931
"basic" profile, CII XML) embedded in a PDF/A-3, so that the buyer's accounting software
reads it without retyping (French e-invoicing between companies). The ``factur-x`` package
checks the XML against the official schema and writes the attachment and metadata."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from clusterdesk.core.pdf import html_to_pdf
from clusterdesk.crm.models import Invoice


def _seller(invoice: Invoice) -> dict[str, Any]:
    cluster = invoice.cluster
    return {
        "name": cluster.legal_name or cluster.name,
        "siret": cluster.siret,
        "siren": cluster.siret[:9],
        "vat_number": cluster.vat_number,
        "address": cluster.billing_address or cluster.seat_city,
        "iban": cluster.iban.replace(" ", ""),
        "bic": cluster.bic,
        "vat_exemption": cluster.vat_exemption,
    }


def _context(invoice: Invoice) -> dict[str, Any]:
    return {
        "invoice": invoice,
        "credit_note": invoice.kind == Invoice.Kind.CREDIT_NOTE,
        "seller": _seller(invoice),
        "line": _("Membership fee %(year)s") % {"year": invoice.membership.year},
        "amount": f"{invoice.amount.quantize(Decimal('0.01'))}",
    }


def invoice_xml(invoice: Invoice) -> bytes:
    return render_to_string("crm/invoices/facturx.xml", _context(invoice)).encode()


def invoice_pdf(invoice: Invoice) -> bytes:
    """The Factur-X PDF of an invoice or a credit note."""
    from facturx import generate_from_binary  # lxml and pypdf: only when an invoice is made

    context = _context(invoice)
    pdf = html_to_pdf(
        render_to_string("crm/invoices/invoice_pdf.html", context), variant="pdf/a-3b"
    )
    return generate_from_binary(
        pdf,
        invoice_xml(invoice),
        flavor="factur-x",
        level="basic",
        check_xsd=True,
        lang="fr-FR",
        pdf_metadata={
            "author": context["seller"]["name"],
            "keywords": "Factur-X",
            "title": str(invoice),
            "subject": context["line"],
        },
    )
