"""What every organiser page of a brokerage event shares: the brokerage of the URL's
cluster (another cluster's is not found) and the flags templates read."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from clusterdesk.brokerage.models import Brokerage
from clusterdesk.brokerage.selectors import brokerages_of
from clusterdesk.web.views import ClusterPermissionMixin

VIEW = "brokerage.view_brokerage"
MANAGE = "brokerage.manage_brokerage"


class BrokerageMixin(ClusterPermissionMixin):
    permission_required = VIEW
    kwargs: dict[str, Any]

    @property
    def brokerage(self) -> Brokerage:
        if not hasattr(self, "_brokerage"):
            self._brokerage = get_object_or_404(
                brokerages_of(cluster=self.cluster), pk=self.kwargs["pk"]
            )
        return self._brokerage

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context |= {
            "cluster": self.cluster,
            "brokerage": self.brokerage,
            "event": self.brokerage.event,
            "can_manage": self.request.user.has_perm(MANAGE, self.cluster),
        }
        return render(self.request, f"brokerage/{template}", context, status=status)

    def back(self, name: str = "brokerage:brokerage", **kwargs: Any) -> HttpResponse:
        return redirect(name, cluster_slug=self.cluster.slug, pk=self.brokerage.pk, **kwargs)
