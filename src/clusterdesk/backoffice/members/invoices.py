"""Fee invoices for finance: the list with its export for the accountant, each PDF
(Factur-X), and the credit note that cancels one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.core.exports import write_table
from clusterdesk.crm.forms import CreditNoteForm
from clusterdesk.crm.invoice_documents import invoice_pdf
from clusterdesk.crm.models import Invoice
from clusterdesk.crm.selectors import (
    INVOICE_EXPORT_COLUMNS,
    invoice_export_rows,
    invoices_of,
    invoices_visible_to,
)
from clusterdesk.crm.services.invoices import credit_note_issue
from clusterdesk.web.http import pdf_download
from clusterdesk.web.views import ClusterPermissionMixin, apply_service


class InvoiceListView(ClusterPermissionMixin, View):
    permission_required = "crm.manage_fees"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            raise Http404 from None
        invoices = invoices_of(cluster=self.cluster, year=year)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            content = write_table(
                fmt, INVOICE_EXPORT_COLUMNS, invoice_export_rows(invoices), title=str(year)
            )
            response = HttpResponse(content, content_type="application/octet-stream")
            name = f"invoices-{self.cluster.slug}-{year}.{fmt}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        context = {
            "cluster": self.cluster,
            "year": year,
            "years": range(timezone.localdate().year, 2004, -1),
            "invoices": invoices,
            "form": CreditNoteForm(),
        }
        return render(request, "crm/invoices/list.html", context)


class InvoicePdfView(ClusterPermissionMixin, View):
    """Finance's copy of any invoice of the cluster."""

    permission_required = "crm.manage_fees"

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        invoice = get_object_or_404(
            invoices_visible_to(user=request.user, cluster=self.cluster), pk=pk
        )
        return pdf_download(invoice_pdf(invoice), f"{invoice.number}.pdf")


class CreditNoteView(ClusterPermissionMixin, View):
    permission_required = "crm.manage_fees"

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        invoice = get_object_or_404(invoices_of(cluster=self.cluster), pk=pk)
        form = CreditNoteForm(request.POST)
        notes: list[Invoice] = []
        if form.is_valid() and apply_service(
            form,
            lambda: notes.append(
                credit_note_issue(
                    actor=request.user,
                    invoice=invoice,
                    reason=form.cleaned_data["reason"],
                    issued_on=timezone.localdate(),
                )
            ),
        ):
            messages.success(
                request,
                _("Invoice %(invoice)s is cancelled by credit note %(note)s.")
                % {"invoice": invoice.number, "note": notes[0].number},
            )
        else:
            messages.error(request, " ".join(str(e) for e in form.errors.values()))
        url = reverse("members:invoices", args=[cluster_slug])
        return redirect(f"{url}?year={invoice.issued_on.year}")
