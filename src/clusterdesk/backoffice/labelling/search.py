"""The staff's search over applications: a text, a state, a call; current work first,
paginated, the table refreshed by htmx as the person types."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.views import View

from clusterdesk.backoffice.labelling.common import StaffMixin
from clusterdesk.core.inputs import search_text
from clusterdesk.projects.forms import ApplicationSearchForm
from clusterdesk.projects.selectors.applications import applications_search

PAGE_SIZE = 30


class ApplicationListView(StaffMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = ApplicationSearchForm(request.GET or None, cluster=self.cluster)
        values = form.cleaned_data if form.is_valid() else {}
        applications = applications_search(
            user=request.user,
            cluster=self.cluster,
            q=search_text(values.get("q") or ""),
            state=values.get("state") or "",
            call=values.get("call"),
        )
        page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        template = "partials/application_table.html" if request.htmx else "applications.html"
        return self.page(template, form=form, page=page, query=query.urlencode())
