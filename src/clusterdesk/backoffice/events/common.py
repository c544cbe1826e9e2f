"""The page about one event of the cluster, which every event page shares."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from clusterdesk.events.models import Event
from clusterdesk.events.selectors import events_of
from clusterdesk.web.views import ClusterPermissionMixin


class EventMixin(ClusterPermissionMixin):
    """A page about one event of the URL's cluster; another cluster's is not found."""

    kwargs: dict[str, Any]

    @property
    def event(self) -> Event:
        if not hasattr(self, "_event"):
            self._event = get_object_or_404(
                events_of(cluster=self.cluster), pk=self.kwargs["event_id"]
            )
        return self._event

    def flags(self) -> dict[str, bool]:
        user = self.request.user
        return {
            "can_manage": user.has_perm("events.manage_events", self.cluster),
            "can_view_registrations": user.has_perm("events.view_registrations", self.cluster),
            "can_check_in": user.has_perm("events.check_in", self.cluster),
        }

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context |= {"cluster": self.cluster, "event": self.event, **self.flags()}
        return render(self.request, template, context, status=status)

    def to_event(self, name: str = "events:event") -> HttpResponse:
        return redirect(name, cluster_slug=self.cluster.slug, event_id=self.event.pk)
