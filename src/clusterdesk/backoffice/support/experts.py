"""The expert network: the list, one expert (conflicts, missions, agreement), the profile
form, the agreement upload and the conflicts of interest."""

from __future__ import annotations

import copy
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.support.common import SupportMixin
from clusterdesk.support.forms import AgreementForm, ConflictForm, ExpertForm
from clusterdesk.support.models import Expert
from clusterdesk.support.selectors.experts import expert_conflicts, expert_of, experts_of
from clusterdesk.support.services.experts import (
    expert_agreement_file,
    expert_conflict_declare,
    expert_save,
)
from clusterdesk.web.views import apply_service


class ExpertsMixin(SupportMixin):
    permission_required = "support.manage_experts"

    @cached_property
    def expert(self) -> Expert:
        if "pk" not in self.kwargs:
            return Expert(cluster=self.cluster)
        return expert_of(cluster=self.cluster, pk=self.kwargs["pk"])


class ExpertListView(ExpertsMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page("experts.html", experts=experts_of(cluster=self.cluster))


class ExpertView(ExpertsMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        expert = self.expert
        return self.page(
            "expert.html",
            expert=expert,
            conflicts=expert_conflicts(expert),
            missions=expert.missions.select_related("case", "case__organisation"),
            conflict_form=ConflictForm(cluster=self.cluster),
            agreement_form=AgreementForm(),
        )


class ExpertEditView(ExpertsMixin, View):
    def title(self) -> str:
        return str(self.expert) if self.expert.pk else _("New expert")

    def form(self, data: Any = None) -> ExpertForm:
        return ExpertForm(data, instance=copy.copy(self.expert), cluster=self.cluster)

    def get(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        return self.page(
            "form.html", form=self.form(), title=self.title(), back=self.url("experts")
        )

    def post(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        form = self.form(request.POST)
        saved: list[Expert] = []
        if form.is_valid():
            values = dict(form.cleaned_data)
            domains = values.pop("domains")
            if apply_service(
                form,
                lambda: saved.append(
                    expert_save(
                        actor=request.user,
                        cluster=self.cluster,
                        expert=self.expert if self.expert.pk else None,
                        domains=domains,
                        **values,
                    )
                ),
            ):
                messages.success(request, _("The expert is saved."))
                return self.to("expert", pk=saved[0].pk)
        return self.page(
            "form.html", status=400, form=form, title=self.title(), back=self.url("experts")
        )


class ExpertAgreementView(ExpertsMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        return self.page(
            "form.html",
            form=AgreementForm(),
            title=_("Confidentiality agreement"),
            back=self.url("expert", pk=self.expert.pk),
        )

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        form = AgreementForm(request.POST, request.FILES)
        if form.is_valid() and apply_service(
            form,
            lambda: expert_agreement_file(
                actor=request.user,
                expert=self.expert,
                upload=form.cleaned_data["agreement"],
                signed_on=form.cleaned_data["signed_on"],
                expires_on=form.cleaned_data["expires_on"],
            ),
        ):
            messages.success(request, _("The agreement is on file."))
            return self.to("expert", pk=self.expert.pk)
        return self.page(
            "form.html",
            status=400,
            form=form,
            title=_("Confidentiality agreement"),
            back=self.url("expert", pk=self.expert.pk),
        )


class ExpertConflictView(ExpertsMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        return self.page(
            "form.html",
            form=ConflictForm(cluster=self.cluster),
            title=_("Conflict of interest"),
            back=self.url("expert", pk=self.expert.pk),
        )

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        form = ConflictForm(request.POST, cluster=self.cluster)
        if form.is_valid() and apply_service(
            form,
            lambda: expert_conflict_declare(
                actor=request.user,
                expert=self.expert,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            ),
        ):
            messages.success(request, _("The conflict of interest is recorded."))
            return self.to("expert", "conflicts", pk=self.expert.pk)
        return self.page(
            "form.html",
            status=400,
            form=form,
            title=_("Conflict of interest"),
            back=self.url("expert", pk=self.expert.pk),
        )
