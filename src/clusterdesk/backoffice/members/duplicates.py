"""Duplicate organisations and their merge."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.crm.selectors import duplicate_candidates, organisations_followed
from clusterdesk.crm.services import organisations
from clusterdesk.web.views import ClusterPermissionMixin


class DuplicatesView(ClusterPermissionMixin, View):
    permission_required = "crm.merge_organisations"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        pairs = duplicate_candidates(cluster=self.cluster)
        return render(request, "crm/duplicates.html", {"cluster": self.cluster, "pairs": pairs})

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        orgs = organisations_followed(cluster=self.cluster)
        try:
            keep = get_object_or_404(orgs, pk=int(request.POST.get("keep", "")))
            drop = get_object_or_404(orgs, pk=int(request.POST.get("drop", "")))
        except ValueError as exc:
            raise Http404 from exc
        try:
            organisations.organisation_merge(
                actor=request.user, cluster=self.cluster, keep=keep, drop=drop
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("members:duplicates", cluster_slug=self.cluster.slug)
        messages.success(
            request, _("“%(drop)s” is merged into “%(keep)s”.") % {"drop": drop, "keep": keep}
        )
        return redirect("members:organisation", cluster_slug=self.cluster.slug, org_id=keep.pk)
