"""The member portal's applications: a member organisation's contacts prepare, submit and
follow their collaborative projects.

Who may do what (``projects.rules``):

- every page needs ``crm.use_portal`` on the cluster (the member role);
- an application is fetched through ``applications_visible_to``: the contacts of every
  partner of the consortium see the whole file (summary, every partner's budget, documents,
  state and reasons); any other application answers 404, like a missing one;
- what changes it is the services' to decide (``projects.change_application``: the
  coordinator's contacts, while the file is a draft or to revise; the workflow's moves:
  the coordinator's contacts submit and withdraw). A page that only leads to a refused act
  answers 403, as the service and the API do; the file page shows only the acts the person
  may make (``can_…`` flags from the same rules).
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.core.errors import require
from clusterdesk.core.inputs import search_text
from clusterdesk.crm.models import Contact
from clusterdesk.crm.selectors import public_directory
from clusterdesk.crm.services.contacts import contact_grant_portal_access
from clusterdesk.projects.forms import ApplicationForm, DocumentForm
from clusterdesk.projects.member_forms import (
    ApplicationCreateForm,
    InviteForm,
    PartnerAddForm,
    PartnerSearchForm,
    PartnerShareForm,
    TransitionForm,
)
from clusterdesk.projects.models import Application, Partner
from clusterdesk.projects.rules import is_editable_by_consortium
from clusterdesk.projects.selectors.applications import (
    application_coordinators_for,
    application_file,
    application_moves_for,
    application_totals,
    applications_visible_to,
    eligibility_check,
)
from clusterdesk.projects.selectors.calls import calls_open
from clusterdesk.projects.selectors.partners import partner_suggestions
from clusterdesk.projects.services.applications import (
    application_create,
    application_update,
    document_add,
    partner_remove,
    partner_save,
)
from clusterdesk.projects.services.workflow import application_transition
from clusterdesk.web.http import stored_file_download
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

S = Application.State


class PortalMixin(ClusterPermissionMixin):
    permission_required = "crm.use_portal"

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        return render(self.request, f"projects/portal/{template}", context, status=status)


class ApplicationMixin(PortalMixin):
    """A page about one application the person sees (any other is not found); a page that
    leads to one act names its permission (``object_permission``), refused with 403."""

    object_permission = ""
    kwargs: dict[str, Any]

    @property
    def application(self) -> Application:
        if not hasattr(self, "_application"):
            visible = applications_visible_to(user=self.request.user, cluster=self.cluster)
            app = get_object_or_404(visible.select_related("call"), pk=self.kwargs["pk"])
            if self.object_permission:
                require(self.request.user, self.object_permission, app)
            self._application = app
        return self._application

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
            calls=calls_open(self.cluster),
            can_create=application_coordinators_for(
                actor=request.user, cluster=self.cluster
            ).exists(),
        )


class ApplicationCreateView(PortalMixin, View):
    """A new draft, coordinated by one of the organisations the person speaks for."""

    def form(self, data: Any = None) -> ApplicationCreateForm:
        initial = {"call": self.request.GET.get("call")}
        return ApplicationCreateForm(
            data,
            initial=initial,
            cluster=self.cluster,
            organisations=application_coordinators_for(
                actor=self.request.user, cluster=self.cluster
            ),
        )

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page("application_create.html", form=self.form())

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.form(request.POST)
        created: list[Application] = []
        if form.is_valid() and apply_service(
            form,
            lambda: created.append(
                application_create(
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
        moves = application_moves_for(actor=user, application=app)
        eligibility = eligibility_check(app) if S.SUBMITTED in moves else []
        return self.page(
            "application_detail.html",
            status=status,
            form=form,
            can_change=user.has_perm("projects.change_application", app),
            can_submit=S.SUBMITTED in moves,
            can_withdraw=S.WITHDRAWN in moves,
            can_invite=user.has_perm("projects.invite_partners", app),
            # The call's rules the file does not meet, shown before it is submitted.
            eligibility=eligibility,
            eligibility_blocked=any(p.blocking for p in eligibility),
            submit_form=form if form is not None else TransitionForm(),
            # Before submission the consortium prepares the file; then the cluster has it.
            in_preparation=bool(is_editable_by_consortium(user, app)),
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
            lambda: application_update(
                actor=request.user, application=self.application, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The file is saved."))
            return self.to_application()
        return self.page("application_form.html", status=400, form=form)


class TransitionView(ApplicationView):
    """Submit or withdraw (``to``, set by the URL); the workflow service decides who may
    (the coordinator's contacts), and a refusal of its rules shows the file again with its
    reasons."""

    http_method_names = ["post"]
    to: str = ""

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        app = self.application
        form = TransitionForm(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: application_transition(
                actor=request.user,
                application=app,
                to=self.to,
                confirm_eligibility=self.to == S.SUBMITTED
                and form.cleaned_data["confirm_eligibility"],
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
        # Members listed in the directory only: the coordinator learns nothing of the
        # cluster's other contacts, nor other applications' texts.
        found = partner_suggestions(
            application=self.application,
            quote_texts=False,
            among=public_directory(cluster=self.cluster),
        )
        return self.render_partners(search, form, found=found)

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        q = search_text(request.POST.get("q", "")).strip()
        form = self.form(request.POST, q)
        if form.is_valid():
            values = dict(form.cleaned_data)
            organisation = values.pop("organisation")
            del values["q"]
            if apply_service(
                form,
                lambda: partner_save(
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

    def render_partners(
        self, search: Any, form: Any, status: int = 200, found: Any = None
    ) -> HttpResponse:
        return self.page(
            "partners.html",
            status=status,
            found=found,
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
            lambda: partner_save(
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
            partner_remove(actor=request.user, partner=partner)
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

    object_permission = "projects.invite_partners"

    def contacts(self) -> Any:
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
        # The form is offered only to those who may add a document: refused before parsing.
        require(request.user, "projects.change_application", self.application)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid() and apply_service(
            form,
            lambda: document_add(
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
