"""Monthly statements: the list by month, issuing a closed month's, consumables, one
statement, its PDF, and the accountant's export (CSV or XLSX)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.documents import pdf_response
from clusterdesk.backoffice.facilities.common import MANAGE, FacilitiesMixin
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.facilities.billing import project_subtotals
from clusterdesk.facilities.documents import statement_pdf, statements_table
from clusterdesk.facilities.forms import ConsumableForm, MonthForm
from clusterdesk.facilities.models import Statement
from clusterdesk.facilities.selectors import statements_visible_to
from clusterdesk.facilities.services.billing import consumable_add, statements_issue_month
from clusterdesk.web.views import apply_service

PAGE = 200


class StatementListView(FacilitiesMixin, View):
    permission_required = "facilities.view_statements"

    def statements(self) -> Any:
        qs = statements_visible_to(self.request.user, self.cluster)
        form = MonthForm(self.request.GET or None)
        if form.is_bound and form.is_valid():
            qs = qs.filter(month=form.cleaned_data["month"].replace(day=1))
        return qs

    def render(
        self, issue: MonthForm, consumable: ConsumableForm, status: int = 200
    ) -> HttpResponse:
        return self.page(
            "statements.html",
            status=status,
            statements=self.statements().prefetch_related("lines")[:PAGE],
            filter_form=MonthForm(self.request.GET or None),
            issue_form=issue,
            consumable_form=consumable,
        )

    def consumable_form(self, data: Any = None) -> ConsumableForm:
        return ConsumableForm(
            data, organisations=organisations_followed(cluster=self.cluster).order_by("name")
        )

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            content = statements_table(
                self.statements().prefetch_related("lines__application", "lines__resource"), fmt
            )
            kind = (
                "text/csv"
                if fmt == "csv"
                else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            )
            response = HttpResponse(content, content_type=kind)
            response["Content-Disposition"] = f'attachment; filename="statements.{fmt}"'
            return response
        return self.render(MonthForm(), self.consumable_form())

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        issue, consumable = MonthForm(), self.consumable_form()
        if request.POST.get("what") == "consumable":
            if not request.user.has_perm(MANAGE, self.cluster):
                return HttpResponse(status=403)
            consumable = self.consumable_form(request.POST)
            if consumable.is_valid() and apply_service(
                consumable,
                lambda: consumable_add(
                    actor=request.user, cluster=self.cluster, **consumable.cleaned_data
                ),
            ):
                messages.success(request, _("The consumable is recorded."))
                return redirect("facilities:statements", cluster_slug=self.cluster.slug)
        else:
            issue = MonthForm(request.POST)
            done: list[list[Statement]] = []
            if issue.is_valid() and apply_service(
                issue,
                lambda: done.append(
                    statements_issue_month(
                        actor=request.user, cluster=self.cluster, month=issue.cleaned_data["month"]
                    )
                ),
            ):
                messages.success(request, _("%(n)s statements issued.") % {"n": len(done[0])})
                return redirect("facilities:statements", cluster_slug=self.cluster.slug)
        return self.render(issue, consumable, status=400)


class StatementMixin(FacilitiesMixin):
    permission_required = "facilities.view_statements"

    @cached_property
    def statement(self) -> Statement:
        return get_object_or_404(
            statements_visible_to(self.request.user, self.cluster), pk=self.kwargs["pk"]
        )


class StatementView(StatementMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        statement = self.statement
        return self.page(
            "statement.html",
            statement=statement,
            lines=statement.lines.select_related("application"),
            subtotals=project_subtotals(statement),
        )


class StatementPdfView(StatementMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        return pdf_response(statement_pdf(self.statement), f"{self.statement.number}.pdf")
