"""The cluster's expert network: the list and each expert's profile."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.labelling.common import StaffMixin
from clusterdesk.projects.forms import ExpertForm
from clusterdesk.projects.models import ExpertProfile
from clusterdesk.projects.selectors.reviews import experts_of_cluster
from clusterdesk.projects.services.reviews import expert_profile_save
from clusterdesk.web.views import apply_service


class ExpertListView(StaffMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        experts = (
            experts_of_cluster(cluster=self.cluster)
            .prefetch_related("domains")
            .annotate(n_assignments=Count("assignments"))
        )
        return self.page("experts.html", experts=experts)


class ExpertEditView(StaffMixin, View):
    def get_profile(self) -> ExpertProfile:
        return self.of_cluster(ExpertProfile, "pk")

    def titles(self, profile: ExpertProfile) -> dict[str, Any]:
        back = reverse("labelling:experts", kwargs={"cluster_slug": self.cluster.slug})
        return {"title": str(profile) if profile.pk else _("New expert profile"), "back": back}

    def form(self, profile: ExpertProfile, data: Any = None) -> ExpertForm:
        return ExpertForm(data, instance=copy.copy(profile), cluster=self.cluster)

    def get(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        profile = self.get_profile()
        return self.page("form.html", form=self.form(profile), **self.titles(profile))

    def post(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        profile = self.get_profile()
        form = self.form(profile, request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            user = values.pop("user", None) or profile.user
            domains = values.pop("domains")
            if apply_service(
                form,
                lambda: expert_profile_save(
                    actor=request.user, cluster=self.cluster, user=user, domains=domains, **values
                ),
            ):
                messages.success(request, _("The expert's profile is saved."))
                return self.to("experts")
        return self.page("form.html", status=400, form=form, **self.titles(profile))
