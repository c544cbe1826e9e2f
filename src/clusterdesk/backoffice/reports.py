"""Reports for funders in the back office: the annual activity report and the configurable
report (chosen indicators over a chosen period), each as a PDF or an XLSX.

The page needs ``results.view_indicators``: the cluster's staff and its region's funders.
Both reports are started by ``results.services.report_start`` and built in the background;
the person follows the job's page and downloads the file there. What a report lists beyond
the figures is decided from the person's permissions
(``results.reports.access.access_of``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.results.outcome_forms import AnnualReportForm, CustomReportForm
from clusterdesk.results.reports import FORMATS
from clusterdesk.results.reports.access import access_of
from clusterdesk.results.services import report_start
from clusterdesk.web.views import ClusterPermissionMixin


class ReportsMixin(ClusterPermissionMixin):
    permission_required = "results.view_indicators"

    def can_list(self) -> bool:
        return bool(access_of(self.request.user, self.cluster).record_groups)

    def fmt(self) -> str:
        fmt = self.request.POST.get("format", "pdf")
        return fmt if fmt in FORMATS else "pdf"

    def render_page(
        self,
        annual: AnnualReportForm | None = None,
        custom: CustomReportForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "cluster": self.cluster,
            "annual_form": annual or AnnualReportForm(cluster=self.cluster),
            "custom_form": custom or CustomReportForm(can_list=self.can_list()),
            "can_list": self.can_list(),
        }
        return render(self.request, "results/reports/index.html", context, status=status)

    def start(self, label: str, **params: Any) -> HttpResponse:
        actor: Any = self.request.user  # signed in: the mixin let the request through
        job = report_start(
            actor=actor,
            cluster=self.cluster,
            label=label,
            language=translation.get_language() or "fr",
            **params,
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


class ReportsView(ReportsMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.render_page()


class AnnualReportView(ReportsMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return redirect("reports:reports", cluster_slug=self.cluster.slug)

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = AnnualReportForm(request.POST, cluster=self.cluster)
        if not form.is_valid():
            return self.render_page(annual=form, status=400)
        year, fmt = form.cleaned_data["year"], self.fmt()
        return self.start(
            _("Annual activity report %(year)d (%(format)s)")
            % {"year": year, "format": fmt.upper()},
            report="annual",
            fmt=fmt,
            year=year,
        )


class CustomReportView(ReportsMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return redirect("reports:reports", cluster_slug=self.cluster.slug)

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = CustomReportForm(request.POST, can_list=self.can_list())
        if not form.is_valid():
            return self.render_page(custom=form, status=400)
        data, fmt = form.cleaned_data, self.fmt()
        title = data["title"] or _("Indicators report")
        return self.start(
            f"{title} ({fmt.upper()})",
            report="custom",
            fmt=fmt,
            start=data["start"].isoformat(),
            end=data["end"].isoformat(),
            indicators=list(data["indicators"]),
            title=data["title"],
            lists=bool(data.get("lists")),
        )
