"""The funding programmes catalogue."""

from __future__ import annotations

import copy
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.support.common import SupportMixin
from clusterdesk.support.forms import ProgrammeForm
from clusterdesk.support.models import FundingProgramme
from clusterdesk.support.selectors.programmes import programme_of, programmes_of
from clusterdesk.support.services.programmes import funding_programme_save
from clusterdesk.web.views import apply_service


class ProgrammeListView(SupportMixin, View):
    permission_required = "support.view_programmes"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page(
            "programmes.html",
            programmes=programmes_of(cluster=self.cluster),
            can_manage=request.user.has_perm("support.manage_cases", self.cluster),
        )


class ProgrammeEditView(SupportMixin, View):
    @cached_property
    def programme(self) -> FundingProgramme:
        if "pk" not in self.kwargs:
            return FundingProgramme(cluster=self.cluster)
        return programme_of(cluster=self.cluster, pk=self.kwargs["pk"])

    def title(self) -> str:
        return str(self.programme) if self.programme.pk else _("New funding programme")

    def form(self, data: Any = None) -> ProgrammeForm:
        return ProgrammeForm(data, instance=copy.copy(self.programme))

    def get(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        return self.page(
            "form.html", form=self.form(), title=self.title(), back=self.url("programmes")
        )

    def post(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: funding_programme_save(
                actor=request.user,
                cluster=self.cluster,
                programme=self.programme if self.programme.pk else None,
                **form.cleaned_data,
            ),
        ):
            messages.success(request, _("The programme is saved."))
            return self.to("programmes")
        return self.page(
            "form.html", status=400, form=form, title=self.title(), back=self.url("programmes")
        )
