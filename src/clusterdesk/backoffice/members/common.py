"""The page about one organisation the cluster follows, which every organisation's page
shares.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.web.views import ClusterPermissionMixin


class OrganisationMixin(ClusterPermissionMixin):
    """A page about one organisation the cluster follows; any other is not found."""

    kwargs: dict[str, Any]

    @property
    def organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(
                organisations_followed(cluster=self.cluster), pk=self.kwargs["org_id"]
            )
        return self._organisation

    def get_object_of_organisation(self, model: type[Model], pk: int | None) -> Any:
        if pk is None:
            return None
        objects = model._default_manager.filter(
            cluster=self.cluster, organisation=self.organisation
        )
        return get_object_or_404(objects, pk=pk)

    def to_organisation(self) -> HttpResponse:
        return redirect(
            "members:organisation", cluster_slug=self.cluster.slug, org_id=self.organisation.pk
        )

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context |= {"cluster": self.cluster, "organisation": self.organisation}
        return render(self.request, template, context, status=status)
