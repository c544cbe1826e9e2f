"""The call board, the call form, and each call's page: its applications by state,
review progress and comparison, the reviewer assignment and conflicts of interest.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.labelling.common import CallMixin, StaffMixin
from clusterdesk.projects.forms import AssignmentForm, CallForm, ConflictForm, CriterionForm
from clusterdesk.projects.models import Call
from clusterdesk.projects.selectors.calls import (
    applications_by_state,
    call_applications_with_totals,
    call_status,
    call_totals,
    calls_with_state_counts,
)
from clusterdesk.projects.selectors.reviews import (
    assignment_proposal_last,
    assignment_proposal_preview,
    call_assignments,
    conflicts_named,
    conflicts_of,
    experts_of_cluster,
    proposal_shortfalls,
    review_comparison,
    review_progress,
)
from clusterdesk.projects.services.calls import call_save
from clusterdesk.projects.services.reviews import (
    assignment_propose,
    assignment_set,
    conflict_record,
    review_remind,
)
from clusterdesk.web.confirm import Confirmation, Effect, confirmation_page, is_confirmed
from clusterdesk.web.views import apply_service

PAGE_SIZE = 25


class CallListView(StaffMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        rows = calls_with_state_counts(cluster=self.cluster)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        return self.page("calls.html", rows=page, page=page)


class CallEditView(CallMixin, View):
    """Create a call (no ``call_id``) or change it and add its evaluation criteria."""

    def get(self, request: Any, cluster_slug: str, call_id: int | None = None) -> HttpResponse:
        call = self.call
        form = CallForm(instance=copy.copy(call), cluster=self.cluster, prefix="call")
        return self.render(call, form, CriterionForm(prefix="criterion"))

    def post(self, request: Any, cluster_slug: str, call_id: int | None = None) -> HttpResponse:
        call = self.call
        call_form = CallForm(instance=copy.copy(call), cluster=self.cluster, prefix="call")
        criterion_form = CriterionForm(prefix="criterion")
        if call.pk and "criterion-name" in request.POST:
            criterion_form = CriterionForm(request.POST, prefix="criterion")
            if criterion_form.is_valid() and apply_service(
                criterion_form,
                lambda: call_save(
                    actor=request.user, call=call, criteria=[criterion_form.cleaned_data]
                ),
            ):
                return redirect(request.path)
            return self.render(call, call_form, criterion_form, status=400)
        call_form = CallForm(
            request.POST, instance=copy.copy(call), cluster=self.cluster, prefix="call"
        )
        if call_form.is_valid():
            values = dict(call_form.cleaned_data)
            domains = values.pop("domains")
            creating = call.pk is None
            if apply_service(
                call_form,
                lambda: call_save(actor=request.user, call=call, domains=domains, **values),
            ):
                messages.success(request, _("The call is saved."))
                # A new call goes on to its criteria.
                return self.to("call_edit" if creating else "call", call_id=call.pk)
        return self.render(call, call_form, criterion_form, status=400)

    def render(self, call: Call, form: Any, criterion_form: Any, status: int = 200) -> HttpResponse:
        criteria = call.criteria.all() if call.pk else []
        return self.page(
            "call_form.html",
            status=status,
            call=call,
            form=form,
            criterion_form=criterion_form,
            criteria=criteria,
        )


class CallView(CallMixin, View):
    """Applications by state with totals, review progress and comparison, the reviewer
    assignment and the conflicts of interest. Its POST runs the assignment forms."""

    def get(self, request: Any, cluster_slug: str, call_id: int) -> HttpResponse:
        return self.render()

    def post(self, request: Any, cluster_slug: str, call_id: int) -> HttpResponse:
        action, actor, call = request.POST.get("action"), request.user, self.call
        if action == "propose" and not is_confirmed(request):
            return confirmation_page(request, self.proposal_confirmation(), cluster=self.cluster)
        if action == "propose":
            try:
                summary = assignment_propose(actor=actor, call=call)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _(
                        "Reviewers proposed: %(n)d pairs, %(kept)d of them kept, %(added)d "
                        "new, %(removed)d removed; the experts concerned are told by e-mail."
                    )
                    % {
                        "n": summary["assigned"],
                        "kept": summary["kept"],
                        "added": summary["added"],
                        "removed": summary["removed"],
                    },
                )
            return self.to_call("assignment")
        if action == "remind":
            count = review_remind(actor=actor, call=call)
            messages.success(request, _("%(n)d reviewers reminded.") % {"n": count})
            return self.to_call("assignment")
        if action == "assign":
            form = AssignmentForm(request.POST, call=call, prefix="assign")
            if form.is_valid() and apply_service(
                form, lambda: assignment_set(actor=actor, **form.cleaned_data)
            ):
                return self.to_call("assignment")
            return self.render(assign_form=form, status=400)
        if action == "conflict":
            conflict = ConflictForm(request.POST, call=call, prefix="conflict")
            if conflict.is_valid() and apply_service(
                conflict,
                lambda: conflict_record(actor=actor, source="staff", **conflict.cleaned_data),
            ):
                messages.success(request, _("The conflict of interest is recorded."))
                return self.to_call("conflicts")
            return self.render(conflict_form=conflict, status=400)
        raise Http404

    def proposal_confirmation(self) -> Confirmation:
        preview = assignment_proposal_preview(call=self.call)
        return Confirmation(
            title=_("Propose the reviewers of “%(call)s” again?") % {"call": self.call},
            summary=_(
                "The solver assigns reviewers to every application awaiting review. The "
                "assignments someone relies on stay: locked by staff, declared free of "
                "conflict by the expert, with a review started or submitted. The others may "
                "be replaced; each expert concerned is told by e-mail of new and removed "
                "assignments."
            ),
            effects=[
                Effect(_("applications awaiting review"), preview.applications),
                Effect(_("experts in the pool"), preview.experts),
                Effect(_("assignments kept as they are"), preview.kept),
                Effect(_("assignments that may be replaced"), preview.replaceable),
            ],
            confirm_label=_("Propose the reviewers"),
            cancel_url=reverse(
                "labelling:call",
                kwargs={"cluster_slug": self.cluster.slug, "call_id": self.call.pk},
            )
            + "#assignment",
            allowed=preview.applications > 0 and preview.experts > 0,
        )

    def render(
        self,
        assign_form: AssignmentForm | None = None,
        conflict_form: ConflictForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        call = self.call
        applications = list(call_applications_with_totals(call=call, user=self.request.user))
        totals = call_totals(call=call)
        progress = review_progress(call=call)
        experts = list(experts_of_cluster(cluster=self.cluster))
        conflicts = conflicts_of(call=call, experts=experts)
        proposal = assignment_proposal_last(call=call)
        return self.page(
            "call.html",
            status=status,
            call=call,
            criteria=call.criteria.all(),
            domains=call.domains.all(),
            status_name=call_status(call),
            totals=totals,
            by_state=applications_by_state(applications, totals),
            progress=progress,
            comparison=review_comparison(progress=progress),
            assignments=call_assignments(call=call),
            experts=experts,
            conflicts=conflicts_named(conflicts, experts, applications),
            proposal=proposal,
            shortfalls=proposal_shortfalls(
                call=call,
                unfilled=proposal.unfilled if proposal else [],
                experts=experts,
                conflicts=conflicts,
            ),
            assign_form=assign_form or AssignmentForm(call=call, prefix="assign"),
            conflict_form=conflict_form or ConflictForm(call=call, prefix="conflict"),
        )
