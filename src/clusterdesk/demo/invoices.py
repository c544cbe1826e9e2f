"""The health cluster's billing details and an invoice for every fee it called, numbered
per year in the order the fees were called (as ``crm.services.invoices`` would have)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from clusterdesk.crm.models import Invoice, InvoiceSequence, Membership
from clusterdesk.crm.services.invoices import PAYMENT_DAYS


def build(ctx: Any) -> None:
    health = ctx.objects["health"]
    health.legal_name = f"Association {health.name} (démonstration)"
    health.siret = "12345678200017"  # fictitious, with a valid check digit
    health.billing_address = "321 avenue Jean Jaurès, 69007 Lyon"
    health.iban = "FR76 3000 6000 0112 3456 7890 189"  # the banks' published example
    health.bic = "AGRIFRPP"
    health.save()
    called = (
        Membership.objects.filter(cluster=health, fee_called_on__isnull=False)
        .exclude(fee_amount=None)
        .select_related("organisation")
        .order_by("fee_called_on", "pk")
    )
    last: dict[int, int] = defaultdict(int)
    invoices = []
    for m in called:
        issued_on = m.fee_called_on
        assert issued_on is not None and m.fee_amount is not None
        year = issued_on.year
        last[year] += 1
        org = m.organisation
        town = " ".join(p for p in (org.postal_code, org.city) if p)
        invoices.append(
            Invoice(
                cluster=health,
                number=f"{year}-{last[year]:05d}",
                membership=m,
                organisation=org,
                issued_on=issued_on,
                due_on=issued_on + datetime.timedelta(days=PAYMENT_DAYS),
                amount=m.fee_amount,
                buyer_name=org.name,
                buyer_address=", ".join(p for p in (org.street, town) if p),
                buyer_siren=org.siren or "",
                buyer_vat_number=org.vat or "",
            )
        )
    Invoice.objects.bulk_create(invoices, batch_size=1000)
    InvoiceSequence.objects.bulk_create(
        InvoiceSequence(cluster=health, year=year, last=n) for year, n in last.items()
    )
