"""The cluster's back office: home, settings and taxonomy, team, audit log, jobs."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from clusterdesk.accounts.models import Invitation, User
from clusterdesk.accounts.selectors import cluster_pending_invitations, cluster_team
from clusterdesk.accounts.services import (
    invitation_create,
    invitation_revoke,
    team_member_set_roles,
)
from clusterdesk.audit.selectors import (
    audit_actions,
    audit_actors,
    audit_entries,
    audit_object_types,
)
from clusterdesk.audit.tasks import export_audit_log
from clusterdesk.backoffice.forms import (
    AuditFilterForm,
    ClusterForm,
    DomainForm,
    InviteForm,
    RolesForm,
    ThemeForm,
)
from clusterdesk.clusters.services import cluster_update, taxonomy_term_save
from clusterdesk.core.models import Domain, Theme
from clusterdesk.core.selectors import cluster_facts
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import job_start
from clusterdesk.web.http import stored_file_download
from clusterdesk.web.views import ClusterPermissionMixin

AUDIT_PAGE_SIZE = 50


class ClusterHomeView(ClusterPermissionMixin, TemplateView):
    permission_required = "core.view_backoffice_cluster"
    template_name = "backoffice/cluster_home.html"

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # A member's way into the cluster is the member portal.
        if not request.user.has_perm(self.permission_required, self.cluster) and (
            request.user.has_perm("crm.use_portal", self.cluster)
        ):
            return redirect("portal:home", cluster_slug=self.cluster.slug)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.request.session["last_cluster"] = self.cluster.slug
        context = super().get_context_data(**kwargs)
        context["facts"] = cluster_facts(cluster=self.cluster)
        if self.request.user.has_perm("core.view_audit_cluster", self.cluster):
            context["recent_changes"] = audit_entries(cluster=self.cluster, user=self.request.user)[
                :8
            ]
        return context


class ClusterSettingsView(ClusterPermissionMixin, View):
    permission_required = "core.change_cluster"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.render(ClusterForm(instance=self.cluster))

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        # The form works on a copy: the service compares the stored values with the new ones.
        form = ClusterForm(request.POST, instance=copy.copy(self.cluster))
        if form.is_valid():
            try:
                cluster_update(actor=request.user, cluster=self.cluster, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The cluster's facts are saved."))
                return redirect("backoffice:cluster_settings", cluster_slug=self.cluster.slug)
        return self.render(form, status=400)

    def render(self, form: ClusterForm, status: int = 200) -> HttpResponse:
        context = {
            "cluster": self.cluster,
            "form": form,
            "domains": Domain.objects.all(),
            "themes": Theme.objects.all(),
        }
        return render(self.request, "backoffice/cluster_settings.html", context, status=status)


class TaxonomyTermView(ClusterPermissionMixin, View):
    """Add (no ``pk``) or edit one domain or theme of the cluster."""

    permission_required = "core.change_cluster"
    model: type[Domain] | type[Theme]
    form_class: type[DomainForm] | type[ThemeForm]

    def get_term(self, pk: int | None) -> Domain | Theme:
        if pk is None:
            return self.model(cluster=self.cluster)
        return get_object_or_404(self.model.objects.all(), pk=pk)

    def get(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        term = self.get_term(pk)
        return self.render(self.form_class(instance=term), term)

    def post(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        term = self.get_term(pk)
        form = self.form_class(request.POST, instance=copy.copy(term))
        if form.is_valid():
            try:
                taxonomy_term_save(actor=request.user, term=term, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("“%(term)s” is saved.") % {"term": term})
                return redirect("backoffice:cluster_settings", cluster_slug=self.cluster.slug)
        return self.render(form, term, status=400)

    def render(self, form: Any, term: Model, status: int = 200) -> HttpResponse:
        kind = self.model._meta.verbose_name
        context = {"cluster": self.cluster, "form": form, "term": term, "kind": kind}
        return render(self.request, "backoffice/taxonomy_form.html", context, status=status)


class DomainView(TaxonomyTermView):
    model = Domain
    form_class = DomainForm


class ThemeView(TaxonomyTermView):
    model = Theme
    form_class = ThemeForm


class TeamView(ClusterPermissionMixin, View):
    permission_required = "core.manage_team_cluster"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.render(InviteForm())

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = InviteForm(request.POST)
        if form.is_valid():
            invitation_create(
                actor=request.user,
                cluster=self.cluster,
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
            )
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("backoffice:team", cluster_slug=self.cluster.slug)
        return self.render(form, status=400)

    def render(self, form: InviteForm, status: int = 200) -> HttpResponse:
        context = {
            "cluster": self.cluster,
            "team": cluster_team(cluster=self.cluster),
            "invitations": cluster_pending_invitations(cluster=self.cluster),
            "form": form,
        }
        return render(self.request, "backoffice/team.html", context, status=status)


class TeamMemberView(ClusterPermissionMixin, View):
    """Change a team member's roles; removing every role revokes them from the cluster."""

    permission_required = "core.manage_team_cluster"

    def get_member(self, user_id: int) -> tuple[User, list[str]]:
        for user, roles in cluster_team(cluster=self.cluster):
            if user.pk == user_id:
                return user, [r.role for r in roles]
        raise Http404

    def get(self, request: Any, cluster_slug: str, user_id: int) -> HttpResponse:
        member, roles = self.get_member(user_id)
        return self.render(member, RolesForm(initial={"roles": roles}))

    def post(self, request: Any, cluster_slug: str, user_id: int) -> HttpResponse:
        member, _roles = self.get_member(user_id)
        form = RolesForm(request.POST)
        if form.is_valid():
            try:
                roles = team_member_set_roles(
                    actor=request.user,
                    cluster=self.cluster,
                    user=member,
                    roles=form.cleaned_data["roles"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if roles:
                    messages.success(
                        request, _("The roles of %(name)s are saved.") % {"name": member}
                    )
                else:
                    messages.success(request, _("%(name)s has left the team.") % {"name": member})
                if not request.user.has_perm("core.view_cluster", self.cluster):
                    return redirect("home")
                return redirect("backoffice:team", cluster_slug=self.cluster.slug)
        return self.render(member, form, status=400)

    def render(self, member: User, form: RolesForm, status: int = 200) -> HttpResponse:
        audit_url = reverse("backoffice:audit", kwargs={"cluster_slug": self.cluster.slug})
        context = {
            "cluster": self.cluster,
            "member": member,
            "form": form,
            "audit_url": f"{audit_url}?actor={member.pk}",
        }
        return render(self.request, "backoffice/team_member.html", context, status=status)


class InvitationRevokeView(ClusterPermissionMixin, View):
    permission_required = "core.manage_team_cluster"

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        invitation: Invitation = get_object_or_404(Invitation.objects.all(), pk=pk)
        try:
            invitation_revoke(actor=request.user, invitation=invitation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
            )
        return redirect("backoffice:team", cluster_slug=self.cluster.slug)


class AuditLogView(ClusterPermissionMixin, View):
    """The cluster's audit log, filtered by person, action, object and dates."""

    permission_required = "core.view_audit_cluster"

    def get_form(self) -> AuditFilterForm:
        return AuditFilterForm(
            self.request.GET or None,
            people=audit_actors(cluster=self.cluster, user=self.request.user),
            actions=audit_actions(cluster=self.cluster, user=self.request.user),
            object_types=audit_object_types(cluster=self.cluster, user=self.request.user),
        )

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.get_form()
        entries = audit_entries(cluster=self.cluster, user=request.user, filters=form.to_filter())
        page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {"cluster": self.cluster, "form": form, "page": page, "query": query.urlencode()}
        template = "backoffice/audit_list.html"
        if request.htmx:
            template = "backoffice/partials/audit_table.html"
        return render(request, template, context)

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        """Export the filtered log to CSV in the background."""
        form = self.get_form()
        f = form.to_filter()
        job = job_start(
            cluster=self.cluster,
            user=request.user,
            kind="audit.export",
            label=_("Audit log export"),
            task=export_audit_log,
            actor_id=f.actor_id,
            action=f.action,
            content_type_id=f.content_type_id,
            object_id=f.object_id,
            date_from=f.date_from.isoformat() if f.date_from else None,
            date_to=f.date_to.isoformat() if f.date_to else None,
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


class JobMixin(ClusterPermissionMixin):
    permission_required = "jobs.view_job"

    def get_permission_object(self) -> Any:
        # A job someone else started in the cluster is "not found", not "forbidden".
        job: Job = get_object_or_404(Job.objects.all(), pk=self.kwargs["pk"])  # type: ignore[attr-defined]
        if not self.request.user.has_perm("jobs.view_job", job):
            raise Http404
        self.job = job
        return job


class JobView(JobMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        context: dict[str, Any] = {"cluster": self.cluster, "job": self.job}
        context["report_template"] = None
        if self.job.report is not None:
            # A job that reports what it found shows it with its kind's template.
            context["report_template"] = f"backoffice/reports/{self.job.kind}.html"
        if request.htmx:
            return render(request, "backoffice/partials/job_progress.html", context)
        return render(request, "backoffice/job.html", context)


class JobDownloadView(JobMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> FileResponse:
        if self.job.status != Job.Status.DONE:
            raise Http404
        return stored_file_download(self.job.result_file)
