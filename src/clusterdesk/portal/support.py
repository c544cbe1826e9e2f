"""The member portal's support: a member company asks for support, follows its cases
(what is meant for it: the stage, the shared actions, the missions without their costs or
reports, the outcomes) and rates the support.

Every page needs ``crm.use_portal``; a case is found only among those the person may see
as the company's contact (``support.selectors.cases.support_cases_visible_to``), so any
other case is not found (404)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.crm.selectors import member_organisations
from clusterdesk.support.forms import CaseRequestForm, RatingForm
from clusterdesk.support.models import SupportCase
from clusterdesk.support.selectors.cases import (
    case_actions,
    case_outcomes,
    support_case_list,
    support_case_visible,
)
from clusterdesk.support.services.cases import support_case_rate, support_case_request
from clusterdesk.web.views import ClusterPermissionMixin, apply_service


class PortalSupportMixin(ClusterPermissionMixin):
    permission_required = "crm.use_portal"
    kwargs: dict[str, Any]

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        return render(self.request, f"support/portal/{template}", context, status=status)

    def to(self, name: str, **kwargs: Any) -> HttpResponse:
        return redirect(
            reverse(f"portal_support:{name}", kwargs={"cluster_slug": self.cluster.slug, **kwargs})
        )


class CaseMixin(PortalSupportMixin):
    @cached_property
    def case(self) -> SupportCase:
        case = support_case_visible(
            actor=self.request.user, cluster=self.cluster, pk=self.kwargs["case_id"]
        )
        return case

    def has_permission(self) -> bool:
        self.case  # noqa: B018 -- fetched (or refused) before the cluster check
        return super().has_permission()


class CaseListView(PortalSupportMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        mine = member_organisations(cluster=self.cluster, user=request.user).values("pk")
        cases = support_case_list(user=request.user, cluster=self.cluster).filter(
            organisation_id__in=mine
        )
        return self.page(
            "cases.html",
            cases=cases,
            can_request=request.user.has_perm("support.request_support", self.cluster),
        )


class CaseRequestView(PortalSupportMixin, View):
    permission_required = "support.request_support"

    def form(self, data: Any = None) -> CaseRequestForm:
        return CaseRequestForm(data, cluster=self.cluster, user=self.request.user)

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page("request.html", form=self.form())

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.form(request.POST)
        created: list[SupportCase] = []
        if form.is_valid() and apply_service(
            form,
            lambda: created.append(
                support_case_request(actor=request.user, cluster=self.cluster, **form.cleaned_data)
            ),
        ):
            messages.success(
                request, _("Your request is sent; the cluster's team will contact you.")
            )
            return self.to("case", case_id=created[0].pk)
        return self.page("request.html", status=400, form=form)


class CaseView(CaseMixin, View):
    def get(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        case = self.case
        can_rate = request.user.has_perm("support.rate_case", case)
        initial = {"satisfaction": case.satisfaction, "comment": case.satisfaction_comment}
        return self.page(
            "case.html",
            case=case,
            actions=case_actions(user=request.user, case=case),
            missions=case.missions.exclude(status="cancelled").select_related("expert"),
            outcomes=case_outcomes(case),
            can_rate=can_rate,
            form=RatingForm(initial=initial) if can_rate else None,
        )


class CaseRateView(CaseMixin, View):
    def post(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        form = RatingForm(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: support_case_rate(
                actor=request.user,
                case=self.case,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            ),
        ):
            messages.success(request, _("Thank you for your rating."))
        else:
            messages.error(request, _("Choose a rating from 1 to 5."))
        return self.to("case", case_id=self.case.pk)
