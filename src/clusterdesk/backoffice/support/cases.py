"""Support cases: the list (filters, current first, pages), a new case, one case with its
actions, missions and outcomes (plus the suggested experts and the fitting programmes for
the staff), and the forms that act on it."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.support.common import PAGE_SIZE, CaseMixin, SupportMixin
from clusterdesk.backoffice.support.pipeline import board_response
from clusterdesk.support.forms import (
    ActionForm,
    CaseFilterForm,
    CaseForm,
    ConflictForm,
    MissionForm,
    MissionReportForm,
    MoveForm,
    OutcomeForm,
    StatusForm,
)
from clusterdesk.support.models import SupportCase
from clusterdesk.support.selectors.cases import (
    CaseFilter,
    case_actions,
    case_missions,
    case_outcomes,
    mission_visible,
    missions_of_expert,
    support_case_list,
)
from clusterdesk.support.selectors.experts import (
    expert_conflicts,
    expert_of_user,
    experts_suggested_for,
)
from clusterdesk.support.selectors.programmes import programmes_fitting
from clusterdesk.support.services import cases as services
from clusterdesk.support.services.experts import expert_conflict_declare
from clusterdesk.support.services.missions import mission_create, mission_report
from clusterdesk.web.views import apply_service


class CaseListView(SupportMixin, View):
    permission_required = "support.view_cases"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = CaseFilterForm(request.GET or None, cluster=self.cluster)
        f = CaseFilter()
        if form.is_valid():
            d = form.cleaned_data
            f = CaseFilter(
                q=d["q"] or "",
                status=d["status"] or "",
                need=d["need"] or "",
                stage=d["stage"] or "",
                owner_id=d["owner"].pk if d["owner"] else None,
                year=d["year"],
            )
        cases = support_case_list(user=request.user, cluster=self.cluster, filters=f)
        page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return self.page(
            "cases.html",
            form=form,
            page=page,
            query=query.urlencode(),
            can_manage=request.user.has_perm("support.manage_cases", self.cluster),
        )


class CaseCreateView(SupportMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = CaseForm(cluster=self.cluster, initial={"owner": request.user})
        return self.page(
            "form.html", form=form, title=_("New support case"), back=self.url("cases")
        )

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = CaseForm(request.POST, cluster=self.cluster)
        created: list[SupportCase] = []
        if form.is_valid():
            d = form.cleaned_data
            if apply_service(
                form,
                lambda: created.append(
                    services.support_case_create(
                        actor=request.user,
                        cluster=self.cluster,
                        organisation=d["organisation"],
                        title=d["title"],
                        need=d["need"],
                        stage=d["stage"],
                        trl=d["trl"],
                        description=d["description"],
                        owner=d["owner"],
                        opened_on=d["opened_on"],
                    )
                ),
            ):
                messages.success(request, _("The case is open."))
                return self.to("case", case_id=created[0].pk)
        return self.page(
            "form.html", status=400, form=form, title=_("New support case"), back=self.url("cases")
        )


class CaseView(CaseMixin, View):
    def get(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        case = self.case
        manage = request.user.has_perm("support.manage_case", case)
        context: dict[str, Any] = {
            "actions": case_actions(user=request.user, case=case),
            "missions": case_missions(case),
            "outcomes": case_outcomes(case),
            "periods": case.stage_periods.all(),
            "can_manage": manage,
        }
        if manage:
            context |= {
                "suggestions": experts_suggested_for(case),
                "programmes": programmes_fitting(case),
                "move_form": MoveForm(initial={"stage": case.stage}),
                "status_form": StatusForm(initial={"status": case.status}),
            }
        return self.case_page("case.html", **context)


class CaseEditView(CaseMixin, View):
    def form(self, data: Any = None) -> CaseForm:
        return CaseForm(data, instance=copy.copy(self.case), cluster=self.cluster)

    def get(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        return self.case_page("form.html", form=self.form(), title=_("Change the case"))

    def post(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: services.support_case_update(
                actor=request.user, case=self.case, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The case is saved."))
            return self.to_case()
        return self.case_page("form.html", status=400, form=form, title=_("Change the case"))


class CaseMoveView(CaseMixin, View):
    """Move the case to another stage (the case page and the pipeline board, whose htmx
    request gets the board back)."""

    def post(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        form = MoveForm(request.POST)
        ok = form.is_valid() and apply_service(
            form,
            lambda: services.support_case_move(
                actor=request.user,
                case=self.case,
                stage=form.cleaned_data["stage"],
                on=form.cleaned_data["on"],
            ),
        )
        if request.htmx and request.POST.get("board"):
            return board_response(self, request, error=None if ok else _errors(form))
        if ok:
            messages.success(request, _("The case moved to its new stage."))
        else:
            messages.error(request, _errors(form))
        return self.to_case()


class CaseStatusView(CaseMixin, View):
    def post(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        form = StatusForm(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: services.support_case_set_status(
                actor=request.user,
                case=self.case,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
            ),
        ):
            messages.success(request, _("The case's status is saved."))
        else:
            messages.error(request, _errors(form))
        return self.to_case()


def _errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


class ActionCreateView(CaseMixin, View):
    def get(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        form = ActionForm(cluster=self.cluster)
        return self.case_page("form.html", form=form, title=_("New action"))

    def post(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        form = ActionForm(request.POST, request.FILES, cluster=self.cluster)
        if form.is_valid() and apply_service(
            form,
            lambda: services.case_action_add(
                actor=request.user, case=self.case, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The action is recorded."))
            return self.to_case("actions")
        return self.case_page("form.html", status=400, form=form, title=_("New action"))


class OutcomeCreateView(CaseMixin, View):
    def get(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        form = OutcomeForm(case=self.case)
        return self.case_page("form.html", form=form, title=_("New outcome"))

    def post(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        form = OutcomeForm(request.POST, case=self.case)
        if form.is_valid() and apply_service(
            form,
            lambda: services.case_outcome_record(
                actor=request.user, case=self.case, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The outcome is recorded."))
            return self.to_case("outcomes")
        return self.case_page("form.html", status=400, form=form, title=_("New outcome"))


class MissionCreateView(CaseMixin, View):
    def form(self, data: Any = None) -> MissionForm:
        initial = {}
        if "expert" in self.request.GET:
            initial["expert"] = self.request.GET["expert"]
        return MissionForm(data, cluster=self.cluster, initial=initial)

    def get(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        return self.case_page("form.html", form=self.form(), title=_("New mission"))

    def post(self, request: Any, cluster_slug: str, case_id: int) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: mission_create(actor=request.user, case=self.case, **form.cleaned_data),
        ):
            messages.success(request, _("The mission is given."))
            return self.to_case("missions")
        return self.case_page("form.html", status=400, form=form, title=_("New mission"))


class MyMissionsView(SupportMixin, View):
    """The missions of the person as an expert."""

    permission_required = "support.view_cases"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page(
            "missions.html",
            missions=missions_of_expert(user=request.user, cluster=self.cluster),
            is_network_expert=expert_of_user(cluster=self.cluster, user=request.user) is not None,
        )


class MyConflictsView(SupportMixin, View):
    """An expert of the network declares their conflicts of interest with companies (they
    then get no mission on those companies' cases)."""

    permission_required = "support.view_cases"

    def expert(self) -> Any:
        expert = expert_of_user(cluster=self.cluster, user=self.request.user)
        if expert is None:  # of the team, but not in the expert network
            raise PermissionDenied
        return expert

    def render_page(self, form: ConflictForm, status: int = 200) -> HttpResponse:
        expert = self.expert()
        return self.page(
            "my_conflicts.html", status=status, form=form, conflicts=expert_conflicts(expert)
        )

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.render_page(ConflictForm(cluster=self.cluster))

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = ConflictForm(request.POST, cluster=self.cluster)
        if form.is_valid() and apply_service(
            form,
            lambda: expert_conflict_declare(
                actor=request.user,
                expert=self.expert(),
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            ),
        ):
            messages.success(request, _("The conflict of interest is recorded."))
            return self.to("my_conflicts")
        return self.render_page(form, status=400)


class MissionReportView(SupportMixin, View):
    """The expert writes the mission's report (or the staff for them)."""

    permission_required = "support.view_cases"

    def mission(self) -> Any:
        return mission_visible(actor=self.request.user, cluster=self.cluster, pk=self.kwargs["pk"])

    def has_permission(self) -> bool:
        self.mission()
        return super().has_permission()

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        mission = self.mission()
        form = MissionReportForm(initial={"report": mission.report, "hours": mission.hours})
        return self.page("mission_report.html", form=form, mission=mission)

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        mission = self.mission()
        form = MissionReportForm(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: mission_report(
                actor=request.user,
                mission=mission,
                report=form.cleaned_data["report"],
                hours=form.cleaned_data["hours"],
            ),
        ):
            messages.success(request, _("The report is saved."))
            return self.to("my_missions")
        return self.page("mission_report.html", status=400, form=form, mission=mission)
