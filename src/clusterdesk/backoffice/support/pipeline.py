"""The pipeline: the board of current cases by stage (htmx moves a case through the
service), and the figures (time in each stage, conversions, cohorts)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.views import View

from clusterdesk.backoffice.support.common import SupportMixin
from clusterdesk.support.choices import Need, Stage
from clusterdesk.support.selectors.cases import support_staff
from clusterdesk.support.selectors.pipeline import (
    cohorts,
    pipeline_board,
    stage_conversions,
    time_in_stages,
)


def board_context(view: SupportMixin, request: Any) -> dict[str, Any]:
    need = request.GET.get("need") or request.POST.get("need_filter") or ""
    need = need if need in Need.values else ""
    owner = request.GET.get("owner") or request.POST.get("owner_filter") or ""
    owner_id = int(owner) if owner.isdigit() else None
    return {
        "columns": pipeline_board(cluster=view.cluster, need=need, owner_id=owner_id),
        "stages": Stage.choices,
        "needs": Need.choices,
        "need": need,
        "owner_id": owner_id,
        "owners": support_staff(cluster=view.cluster),
    }


def board_response(view: SupportMixin, request: Any, error: str | None = None) -> HttpResponse:
    """The board alone: what an htmx move replaces."""
    return view.page("partials/board.html", **board_context(view, request), error=error)


class PipelineView(SupportMixin, View):
    permission_required = "support.view_pipeline"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        if request.htmx:
            return board_response(self, request)
        return self.page("pipeline.html", **board_context(self, request))


class PipelineFiguresView(SupportMixin, View):
    permission_required = "support.view_pipeline"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page(
            "pipeline_figures.html",
            times=time_in_stages(cluster=self.cluster),
            conversions=stage_conversions(cluster=self.cluster),
            cohorts=cohorts(cluster=self.cluster),
            stages=Stage.choices,
        )
