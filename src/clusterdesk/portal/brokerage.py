"""A member's B2B meetings in the portal: the brokerage events where their account is a
participant, each with the way into their participant space (the same pages as the
personal link's, which the portal builds for the member's own participants only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from clusterdesk.brokerage.selectors import own_participations
from clusterdesk.core.links import page_path
from clusterdesk.web.views import ClusterPermissionMixin


class MyMeetingsView(ClusterPermissionMixin, View):
    permission_required = "crm.use_portal"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        rows = [
            (p, page_path("brokerage.participant", participant=p))
            for p in own_participations(user=request.user, cluster=self.cluster)
        ]
        return render(
            request, "brokerage/portal_list.html", {"cluster": self.cluster, "rows": rows}
        )
