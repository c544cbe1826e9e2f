"""The organiser's scheduling pages: start a run (a job with progress), review a draft
(its proven gap, the meetings it could not keep, the table plan), publish or discard it;
the published table plan with the changes on the day; one meeting (status, the
application it led to)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.brokerage.common import MANAGE, BrokerageMixin
from clusterdesk.brokerage.forms import ApplicationLinkForm, ScheduleForm
from clusterdesk.brokerage.models import Meeting, ScheduleRun
from clusterdesk.brokerage.selectors import (
    meetings_of,
    not_kept_labels,
    published_run,
    runs_of,
    solver_reason,
    table_plan,
)
from clusterdesk.brokerage.services import day, scheduling
from clusterdesk.core.errors import DomainError
from clusterdesk.projects.selectors.applications import applications_visible_to
from clusterdesk.web.views import apply_service


class ScheduleStartView(BrokerageMixin, View):
    permission_required = MANAGE

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        form = ScheduleForm(request.POST)
        runs: list[ScheduleRun] = []
        if form.is_valid() and apply_service(
            form,
            lambda: runs.append(
                scheduling.schedule_start(
                    actor=request.user, brokerage=self.brokerage, **form.cleaned_data
                )
            ),
        ):
            return self.back("brokerage:run", run_pk=runs[0].pk)
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return self.back()


class RunMixin(BrokerageMixin):
    @property
    def run(self) -> ScheduleRun:
        if not hasattr(self, "_run"):
            self._run = get_object_or_404(
                runs_of(brokerage=self.brokerage), pk=self.kwargs["run_pk"]
            )
        return self._run


class RunView(RunMixin, View):
    """A run: its progress while it computes (polled), then the draft to review."""

    def get(self, request: Any, cluster_slug: str, pk: int, run_pk: int) -> HttpResponse:
        run = self.run
        context: dict[str, Any] = {"run": run, "job": run.job}
        if run.state != ScheduleRun.State.RUNNING:
            context |= {
                "plan": table_plan(run=run, slot_id=_slot_asked(request, run)),
                "not_kept": not_kept_labels(run),
                "unscheduled_count": len(run.unscheduled),
                "reasons": _reason_counts(run),
            }
        if request.htmx and run.state == ScheduleRun.State.RUNNING:
            return self.page("partials/run_progress.html", **context)
        if request.htmx:
            response = HttpResponse()
            response["HX-Refresh"] = "true"
            return response
        return self.page("run_detail.html", **context)

    def post(self, request: Any, cluster_slug: str, pk: int, run_pk: int) -> HttpResponse:
        action = request.POST.get("action")
        try:
            if action == "publish":
                scheduling.schedule_publish(actor=request.user, run=self.run)
                messages.success(request, _("The schedule is published; participants are told."))
                return self.back("brokerage:plan")
            if action == "discard":
                scheduling.schedule_discard(actor=request.user, run=self.run)
                messages.success(request, _("The draft is discarded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return self.back("brokerage:run", run_pk=self.run.pk)


def _slot_asked(request: Any, run: ScheduleRun) -> int | None:
    """The slot whose tables the page shows: ``?slot=``, else the first one."""
    raw = request.GET.get("slot", "")
    slots = list(run.brokerage.slots.values_list("pk", flat=True))
    if raw.isdigit() and int(raw) in slots:
        return int(raw)
    return slots[0] if slots else None


def _reason_counts(run: ScheduleRun) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for item in run.unscheduled:
        label = solver_reason(str(item.get("reason", "")))
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])


class PlanView(BrokerageMixin, View):
    """The published schedule, slot by slot and table by table, with the day's changes."""

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        run = published_run(brokerage=self.brokerage)
        plan = table_plan(run=run, slot_id=_slot_asked(request, run)) if run else []
        return self.page("plan.html", run=run, plan=plan)


class MeetingView(BrokerageMixin, View):
    @property
    def meeting(self) -> Meeting:
        if not hasattr(self, "_meeting"):
            self._meeting = get_object_or_404(
                meetings_of(brokerage=self.brokerage), pk=self.kwargs["meeting_pk"]
            )
        return self._meeting

    def form(self, data: Any = None) -> ApplicationLinkForm:
        return ApplicationLinkForm(
            data,
            applications=applications_visible_to(user=self.request.user, cluster=self.cluster),
            initial={"application": self.meeting.application_id},
        )

    def get(self, request: Any, cluster_slug: str, pk: int, meeting_pk: int) -> HttpResponse:
        return self.page(
            "meeting_detail.html",
            meeting=self.meeting,
            feedback=self.meeting.feedback.select_related("participant__registration"),
            form=self.form() if request.user.has_perm(MANAGE, self.cluster) else None,
        )

    def post(self, request: Any, cluster_slug: str, pk: int, meeting_pk: int) -> HttpResponse:
        action = request.POST.get("action")
        meeting = self.meeting
        try:
            if action in (Meeting.Status.HELD, Meeting.Status.NO_SHOW, Meeting.Status.SCHEDULED):
                day.meeting_mark(actor=request.user, meeting=meeting, status=action)
            elif action == "cancel":
                day.meeting_cancel(actor=request.user, meeting=meeting)
            elif action == "application":
                form = self.form(request.POST)
                if form.is_valid():
                    day.meeting_link_application(
                        actor=request.user,
                        meeting=meeting,
                        application=form.cleaned_data["application"],
                    )
                else:
                    messages.error(request, _("Choose an application from the list."))
            messages.success(request, _("Saved."))
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, DomainError) and exc.status == 404:
                raise
            text = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
            messages.error(request, text)
        if request.POST.get("next") == "plan":
            plan = redirect("brokerage:plan", cluster_slug=self.cluster.slug, pk=pk)
            plan["Location"] += f"?slot={meeting.slot_id}"
            return plan
        return redirect(
            "brokerage:meeting", cluster_slug=self.cluster.slug, pk=pk, meeting_pk=meeting.pk
        )
