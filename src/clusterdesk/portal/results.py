"""The member portal's yearly follow-up: a project's consortium declares what the project
achieved in the year (patents, trials, jobs …) or that there is nothing new.

Every page needs ``crm.use_portal`` on the cluster. A follow-up request is the person's when
its contact is one of the person's contacts, or when one of the person's organisations is a
partner of its project (``results.selectors.follow_ups_of``); any other request is not
found (404), whatever the reason. Declaring is the back office's service too
(``results.services.outcome_declare``): it decides who may (``results.answer_follow_up``).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.projects.models import Application
from clusterdesk.results import services
from clusterdesk.results.models import FollowUpRequest, Outcome
from clusterdesk.results.outcome_forms import OutcomeForm, OutcomeKindForm
from clusterdesk.results.selectors import follow_ups_of, project_partners, projects_of_member
from clusterdesk.web.views import ClusterPermissionMixin, apply_service


class PortalResultsMixin(ClusterPermissionMixin):
    permission_required = "crm.use_portal"
    kwargs: dict[str, Any]

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        return render(self.request, f"results/portal/{template}", context, status=status)

    @cached_property
    def follow_up(self) -> FollowUpRequest:
        mine = follow_ups_of(cluster=self.cluster, user=self.request.user)
        return get_object_or_404(mine, pk=self.kwargs["pk"])


class FollowUpListView(PortalResultsMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        requests = list(follow_ups_of(cluster=self.cluster, user=request.user))
        return self.page(
            "list.html",
            pending=[r for r in requests if r.completed_at is None],
            completed=[r for r in requests if r.completed_at is not None],
            projects=projects_of_member(cluster=self.cluster, user=request.user),
        )


class ProjectOutcomesView(PortalResultsMixin, View):
    """One of the member's labelled projects: all its outcomes, and a declaration at any
    time of the year (the service decides who may: ``results.declare_outcome``)."""

    @cached_property
    def project(self) -> Application:
        mine = projects_of_member(cluster=self.cluster, user=self.request.user)
        return get_object_or_404(mine, pk=self.kwargs["pk"])

    def kind(self) -> str:
        kind = self.request.GET.get("kind") or self.request.POST.get("kind") or ""
        return kind if kind in Outcome.Kind.values else ""

    def form(self, kind: str, data: Any = None, files: Any = None) -> OutcomeForm:
        organisations = project_partners(self.project)
        return OutcomeForm(data, files, kind=kind, projects=None, organisations=organisations)

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        kind = self.kind()
        return self.render(kind, self.form(kind) if kind else None)

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        kind = self.kind()
        if not kind:
            return self.render(kind, None, status=400)
        form = self.form(kind, request.POST, request.FILES)
        if form.is_valid() and apply_service(
            form,
            lambda: services.outcome_declare(
                actor=request.user,
                cluster=self.cluster,
                application=self.project,
                **form.outcome_values(),
            ),
        ):
            messages.success(request, _("Thank you: the outcome is declared."))
            return redirect("portal_results:project", cluster_slug=self.cluster.slug, pk=pk)
        return self.render(kind, form, status=400)

    def render(self, kind: str, form: OutcomeForm | None, status: int = 200) -> HttpResponse:
        return self.page(
            "project.html",
            status=status,
            project=self.project,
            outcomes=self.project.outcomes.order_by("-date", "-pk"),
            kind=kind,
            kind_form=OutcomeKindForm(initial={"kind": kind}),
            kind_label=Outcome.Kind(kind).label if kind else "",
            form=form,
        )


class FollowUpView(PortalResultsMixin, View):
    """One project's follow-up: what it declared, a form for the next outcome, and "nothing
    else to declare"."""

    def kind(self) -> str:
        kind = self.request.GET.get("kind") or self.request.POST.get("kind") or ""
        return kind if kind in Outcome.Kind.values else ""

    def form(self, kind: str, data: Any = None, files: Any = None) -> OutcomeForm:
        # The project is the request's; the organisations are its consortium's.
        organisations = project_partners(self.follow_up.application)
        return OutcomeForm(data, files, kind=kind, projects=None, organisations=organisations)

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        kind = self.kind()
        return self.render(kind, self.form(kind) if kind else None)

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        follow_up, kind = self.follow_up, self.kind()
        if not kind:
            return self.render(kind, None, status=400)
        form = self.form(kind, request.POST, request.FILES)

        def declare() -> None:
            services.outcome_declare(
                actor=request.user,
                cluster=self.cluster,
                follow_up=follow_up,
                **form.outcome_values(),
            )

        if form.is_valid() and apply_service(form, declare):
            messages.success(
                request,
                _(
                    "Thank you: the outcome is declared. Declare another one, or say there is "
                    "nothing else."
                ),
            )
            return redirect("portal_results:follow_up", cluster_slug=self.cluster.slug, pk=pk)
        return self.render(kind, form, status=400)

    def render(self, kind: str, form: OutcomeForm | None, status: int = 200) -> HttpResponse:
        follow_up = self.follow_up
        return self.page(
            "follow_up.html",
            status=status,
            follow_up=follow_up,
            outcomes=follow_up.outcomes.order_by("-date", "-pk"),
            kind=kind,
            kind_form=OutcomeKindForm(initial={"kind": kind}),
            kind_label=Outcome.Kind(kind).label if kind else "",
            form=form,
        )


class FollowUpCompleteView(PortalResultsMixin, View):
    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        follow_up = self.follow_up
        services.follow_up_complete(actor=request.user, request=follow_up)
        messages.success(
            request,
            _("Thank you: %(acronym)s's follow-up for %(year)d is complete.")
            % {"acronym": follow_up.application.acronym, "year": follow_up.campaign.year},
        )
        return redirect("portal_results:follow_ups", cluster_slug=self.cluster.slug)
