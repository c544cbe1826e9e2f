"""What the support pages share: rendering, redirects, and the case a URL names (found
only if the person may see it, before any other check, so a refusal never confirms that
the case exists)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from clusterdesk.support.models import SupportCase
from clusterdesk.support.selectors.cases import support_case_visible
from clusterdesk.web.views import ClusterPermissionMixin

PAGE_SIZE = 25


class SupportMixin(ClusterPermissionMixin):
    permission_required = "support.manage_cases"
    kwargs: dict[str, Any]

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        user = self.request.user
        context["can_view_pipeline"] = user.has_perm("support.view_pipeline", self.cluster)
        context["can_manage_experts"] = user.has_perm("support.manage_experts", self.cluster)
        context["can_view_programmes"] = user.has_perm("support.view_programmes", self.cluster)
        return render(self.request, f"support/staff/{template}", context, status=status)

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"support:{name}", kwargs={"cluster_slug": self.cluster.slug, **kwargs})

    def to(self, name: str, anchor: str = "", **kwargs: Any) -> HttpResponse:
        url = self.url(name, **kwargs)
        return redirect(f"{url}#{anchor}" if anchor else url)


class CaseMixin(SupportMixin):
    """A page about one case the person may see (404 otherwise, whatever the reason).
    Reading needs ``support.view_cases`` (the support staff and the experts on the case);
    the services decide what may be written."""

    permission_required = "support.view_cases"

    @cached_property
    def case(self) -> SupportCase:
        return support_case_visible(
            actor=self.request.user, cluster=self.cluster, pk=self.kwargs["case_id"]
        )

    def has_permission(self) -> bool:
        self.case  # noqa: B018 -- fetched (or refused) before the cluster check
        return super().has_permission()

    def to_case(self, anchor: str = "") -> HttpResponse:
        return self.to("case", anchor, case_id=self.case.pk)

    def case_page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        return self.page(template, status=status, case=self.case, **context)
