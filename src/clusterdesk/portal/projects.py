"""The member portal's applications: a member organisation's contacts prepare, submit and
follow their collaborative projects.

Who may do what (``projects.rules``):

- every page needs ``crm.use_portal`` on the cluster (the member role);
- an application is fetched through ``applications_visible_to`` and checked with
  ``projects.view_application``: the contacts of every partner of the consortium see the
  whole file (summary, every partner's budget, documents, state and reasons);
- pages that change it check ``projects.change_application``: the coordinator's contacts,
  while the file is a draft or to revise;
- inviting partners' contacts and withdrawing are for the coordinator's contacts only
  (``projects.rules.is_coordinator_contact``).

Any refusal about an application answers 404, whatever its reason (not a partner, not the
coordinator, not editable in this state): one answer, nothing to learn from it.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.core.inputs import search_text
from clusterdesk.crm.models import Contact
from clusterdesk.crm.selectors import member_organisations
from clusterdesk.crm.services.contacts import contact_grant_portal_access
from clusterdesk.projects import services
from clusterdesk.projects.forms import ApplicationForm, DocumentForm
from clusterdesk.projects.member_forms import (
    ApplicationCreateForm,
    InviteForm,
    PartnerAddForm,
    PartnerSearchForm,
    PartnerShareForm,
    TransitionForm,
    open_calls,
)
from clusterdesk.projects.models import Application, Partner
from clusterdesk.projects.rules import is_coordinator_contact
from clusterdesk.projects.selectors import (
    application_file,
    application_totals,
    applications_visible_to,
)
from clusterdesk.web.http import stored_file_download
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

S = Application.State


class PortalMixin(ClusterPermissionMixin):
    permission_required = "crm.use_portal"

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        return render(self.request, f"projects/portal/{template}", context, status=status)


class ApplicationMixin(PortalMixin):
    """A page about one application; ``object_permission`` is checked on it."""

    object_permission = "projects.view_application"
    kwargs: dict[str, Any]

    @property
    def application(self) -> Application:
        if not hasattr(self, "_application"):
            visible = applications_visible_to(user=self.request.user, cluster=self.cluster)
            app = get_object_or_404(visible.select_related("call"), pk=self.kwargs["pk"])
            if not self.request.user.has_perm(self.object_permission, app):
                raise Http404
            self._application = app
        return self._application

    def is_coordinator(self) -> bool:
        return bool(is_coordinator_contact(self.request.user, self.application))

    def to_application(self) -> HttpResponse:
        return redirect(
            "portal_projects:application", cluster_slug=self.cluster.slug, pk=self.application.pk
        )

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["application"] = self.application
        return super().page(template, status=status, **context)


# -- lists and creation ------------------------------------------------------------------------


class ApplicationListView(PortalMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        applications = (
            applications_visible_to(user=request.user, cluster=self.cluster)
            .select_related("call")
            .order_by("-created_at")
        )
        return self.page(
            "application_list.html",
            applications=applications,
            calls=open_calls(self.cluster),
            can_create=member_organisations(cluster=self.cluster, user=request.user).exists(),
        )


class ApplicationCreateView(PortalMixin, View):
    """A new draft, coordinated by one of the organisations the person speaks for."""

    def form(self, data: Any = None) -> ApplicationCreateForm:
        initial = {"call": self.request.GET.get("call")}
        return ApplicationCreateForm(
            data,
            initial=initial,
            cluster=self.cluster,
            organisations=member_organisations(cluster=self.cluster, user=self.request.user),
        )

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page("application_create.html", form=self.form())

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.form(request.POST)
        created: list[Application] = []
        if form.is_valid() and apply_service(
            form,
            lambda: created.append(
                services.application_create(
                    actor=request.user,
                    call=form.cleaned_data["call"],
                    coordinator=form.cleaned_data["coordinator"],
                    acronym=form.cleaned_data["acronym"],
                    title=form.cleaned_data["title"],
                )
            ),
        ):
            messages.success(request, _("The draft is created: complete it, then submit it."))
            return redirect(
                "portal_projects:application_edit",
                cluster_slug=self.cluster.slug,
                pk=created[0].pk,
            )
        return self.page("application_create.html", status=400, form=form)


# -- one application ---------------------------------------------------------------------------


class ApplicationView(ApplicationMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        return self.render_file()

    def render_file(self, form: Any = None, status: int = 200) -> HttpResponse:
        app, user = self.application, self.request.user
        allowed = services.TRANSITIONS.get(app.state, set())
        can_change = user.has_perm("projects.change_application", app)
        coordinator = self.is_coordinator()
        return self.page(
            "application_detail.html",
            status=status,
            form=form,
            can_change=can_change,
            can_submit=can_change and S.SUBMITTED in allowed,
            can_withdraw=coordinator and S.WITHDRAWN in allowed,
            can_invite=coordinator,
            **application_file(app),
        )


class ApplicationEditView(ApplicationMixin, View):
    object_permission = "projects.change_application"

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        form = ApplicationForm(instance=self.application, cluster=self.cluster)
        return self.page("application_form.html", form=form)

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        form = ApplicationForm(
            request.POST, instance=copy.copy(self.application), cluster=self.cluster
        )
        if form.is_valid() and apply_service(
            form,
            lambda: services.application_update(
                actor=request.user, application=self.application, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The file is saved."))
            return self.to_application()
        return self.page("application_form.html", status=400, form=form)


class TransitionView(ApplicationView):
    """Submit (the coordinator, while it may change) or withdraw (the coordinator); a
    refusal of the workflow shows the file again with its reasons."""

    http_method_names = ["post"]
    to: str = ""

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        app = self.application
        if self.to == S.SUBMITTED:
            allowed = request.user.has_perm("projects.change_application", app)
        else:
            allowed = self.is_coordinator()
        if not allowed or self.to not in (S.SUBMITTED, S.WITHDRAWN):
            raise Http404
        form = TransitionForm(data={})
        if form.is_valid() and apply_service(
            form,
            lambda: services.application_transition(
                actor=request.user,
                application=app,
                to=self.to,
            ),
        ):
            messages.success(
                request,
                _("The application is submitted: the cluster's team will check it.")
                if self.to == S.SUBMITTED
                else _("The application is withdrawn."),
            )
            return self.to_application()
        return self.render_file(form=form, status=400)


# -- the consortium ----------------------------------------------------------------------------


class PartnersView(ApplicationMixin, View):
    """The consortium: add an organisation the cluster follows, found by its name."""

    object_permission = "projects.change_application"

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        search = PartnerSearchForm(request.GET or None)
        q = search.cleaned_data["q"].strip() if search.is_valid() else ""
        form = self.form(None, q) if q else None
        return self.render_partners(search, form)

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        q = search_text(request.POST.get("q", "")).strip()
        form = self.form(request.POST, q)
        if form.is_valid():
            values = dict(form.cleaned_data)
            organisation = values.pop("organisation")
            del values["q"]
            if apply_service(
                form,
                lambda: services.partner_save(
                    actor=request.user,
                    application=self.application,
                    organisation=organisation,
                    **values,
                ),
            ):
                messages.success(
                    request, _("%(org)s joins the consortium.") % {"org": organisation}
                )
                return redirect("portal_projects:partners", cluster_slug=self.cluster.slug, pk=pk)
        return self.render_partners(PartnerSearchForm(initial={"q": q}), form, status=400)

    def form(self, data: Any, q: str) -> PartnerAddForm:
        return PartnerAddForm(
            data,
            initial={"role": Partner.Role.PARTNER},
            cluster=self.cluster,
            application=self.application,
            q=q,
        )

    def render_partners(self, search: Any, form: Any, status: int = 200) -> HttpResponse:
        return self.page(
            "partners.html",
            status=status,
            search=search,
            form=form,
            partners=list(self.application.partners.select_related("organisation")),
            totals=application_totals(self.application),
        )


class PartnerMixin(ApplicationMixin):
    object_permission = "projects.change_application"

    @property
    def partner(self) -> Partner:
        return get_object_or_404(
            self.application.partners.select_related("organisation"),
            pk=self.kwargs["partner_id"],
        )


class PartnerEditView(PartnerMixin, View):
    def form(self, partner: Partner, data: Any = None) -> PartnerShareForm:
        initial = {
            "role": partner.role,
            "budget_eur": partner.budget_eur,
            "requested_aid_eur": partner.requested_aid_eur,
            "person_months": partner.person_months,
        }
        return PartnerShareForm(
            data, initial=initial, coordinator=partner.role == Partner.Role.COORDINATOR
        )

    def get(self, request: Any, cluster_slug: str, pk: int, partner_id: int) -> HttpResponse:
        partner = self.partner
        return self.page("partner_form.html", form=self.form(partner), partner=partner)

    def post(self, request: Any, cluster_slug: str, pk: int, partner_id: int) -> HttpResponse:
        partner = self.partner
        form = self.form(partner, request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: services.partner_save(
                actor=request.user,
                application=self.application,
                organisation=partner.organisation,
                **form.cleaned_data,
            ),
        ):
            messages.success(request, _("The share of %(org)s is saved.") % {"org": partner})
            return redirect("portal_projects:partners", cluster_slug=self.cluster.slug, pk=pk)
        return self.page("partner_form.html", status=400, form=form, partner=partner)


class PartnerRemoveView(PartnerMixin, View):
    def post(self, request: Any, cluster_slug: str, pk: int, partner_id: int) -> HttpResponse:
        partner = self.partner
        try:
            services.partner_remove(actor=request.user, partner=partner)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(org)s leaves the consortium.") % {"org": partner.organisation}
            )
        return redirect("portal_projects:partners", cluster_slug=self.cluster.slug, pk=pk)


class InviteView(ApplicationMixin, View):
    """The coordinator gives a partner's contact (known to the cluster, with an e-mail)
    portal access, so that they can follow the application."""

    def contacts(self) -> Any:
        if not self.is_coordinator():
            raise Http404
        return (
            Contact.objects.filter(
                cluster=self.cluster,
                organisation__in=self.application.partners.values("organisation_id"),
                anonymised_at=None,
            )
            .exclude(email="")
            .select_related("organisation")
            .order_by("organisation__name", "last_name")
        )

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        contacts = self.contacts()
        return self.render_invite(InviteForm(contacts=contacts.filter(user=None)), contacts)

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        contacts = self.contacts()
        form = InviteForm(request.POST, contacts=contacts.filter(user=None))
        if form.is_valid() and apply_service(
            form,
            lambda: contact_grant_portal_access(
                actor=request.user, contact=form.cleaned_data["contact"]
            ),
        ):
            messages.success(
                request,
                _("%(name)s can now use the member portal; an e-mail tells them how.")
                % {"name": form.cleaned_data["contact"]},
            )
            return redirect("portal_projects:invite", cluster_slug=self.cluster.slug, pk=pk)
        return self.render_invite(form, contacts, status=400)

    def render_invite(self, form: InviteForm, contacts: Any, status: int = 200) -> HttpResponse:
        return self.page(
            "invite.html",
            status=status,
            form=form,
            with_access=[c for c in contacts if c.user_id],
        )


# -- documents ---------------------------------------------------------------------------------


class DocumentsView(ApplicationMixin, View):
    """The file's documents; the coordinator uploads while the file may change."""

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        return self.render_documents(DocumentForm() if self.can_change() else None)

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        if not self.can_change():
            raise Http404
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid() and apply_service(
            form,
            lambda: services.document_add(
                actor=request.user,
                application=self.application,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            ),
        ):
            messages.success(request, _("The document is added."))
            return redirect("portal_projects:documents", cluster_slug=self.cluster.slug, pk=pk)
        return self.render_documents(form, status=400)

    def can_change(self) -> bool:
        return self.request.user.has_perm("projects.change_application", self.application)

    def render_documents(self, form: DocumentForm | None, status: int = 200) -> HttpResponse:
        return self.page(
            "documents.html",
            status=status,
            form=form,
            documents=list(self.application.documents.select_related("uploaded_by")),
        )


class DocumentDownloadView(ApplicationMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int, doc_id: int) -> FileResponse:
        document = get_object_or_404(self.application.documents.all(), pk=doc_id)
        return stored_file_download(document.file, document.name)
