"""What every labelling page shares: the staff permission, rendering, redirects, and the
page about one call or one application (the application found only if the person may see it).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, TypeVar

from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterdesk.projects.models import Application, Call
from clusterdesk.projects.selectors.applications import application_notices, application_visible
from clusterdesk.web.views import ClusterPermissionMixin

M = TypeVar("M", bound=Model)


class StaffMixin(ClusterPermissionMixin):
    permission_required = "projects.manage_calls"
    kwargs: dict[str, Any]

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        return render(self.request, f"projects/staff/{template}", context, status=status)

    def of_cluster(self, model: type[M], url_kwarg: str) -> M:
        """The cluster's object the URL names, or a new one when it names none."""
        if url_kwarg not in self.kwargs:
            return model(cluster=self.cluster)
        return get_object_or_404(
            model._default_manager.filter(cluster=self.cluster), pk=self.kwargs[url_kwarg]
        )

    def to(self, name: str, anchor: str = "", **kwargs: Any) -> HttpResponse:
        url = reverse(f"labelling:{name}", kwargs={"cluster_slug": self.cluster.slug, **kwargs})
        return redirect(f"{url}#{anchor}" if anchor else url)


class CallMixin(StaffMixin):
    """A page about one call of this cluster (a new one when the URL names none)."""

    @cached_property
    def call(self) -> Call:
        return self.of_cluster(Call, "call_id")

    def to_call(self, anchor: str = "") -> HttpResponse:
        return self.to("call", anchor, call_id=self.call.pk)


class ApplicationMixin(StaffMixin):
    """A page about one application of this cluster that the person may see; any other
    application is not found, before the cluster permission is checked, so a refusal never
    confirms that the application exists. The services decide what may be written."""

    @cached_property
    def application(self) -> Application:
        return application_visible(
            actor=self.request.user, cluster=self.cluster, pk=self.kwargs["app_id"]
        )

    def has_permission(self) -> bool:
        self.application  # noqa: B018 -- fetched (or refused) before the cluster check
        return super().has_permission()

    def to_application(self, anchor: str = "") -> HttpResponse:
        return self.to("application", anchor, app_id=self.application.pk)

    def application_page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        return self.page(template, status=status, application=self.application, **context)


def notice_sent_message(application: Application) -> str:
    """Who the notice of the application's last move went to, for the staff's message."""
    notices = application_notices(application)
    recipients = notices[0]["recipients"] if notices else []
    if not recipients:
        return _("No contact of the consortium has an e-mail: nobody was notified.")
    return ngettext(
        "The notice went by e-mail to %(n)d contact: %(names)s.",
        "The notice went by e-mail to %(n)d contacts: %(names)s.",
        len(recipients),
    ) % {"n": len(recipients), "names": "; ".join(recipients)}
