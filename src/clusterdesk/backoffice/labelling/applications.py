"""The application file: creating and editing it, its workflow moves, its consortium,
documents, project and funding.
"""

from __future__ import annotations

import copy
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.audit.selectors import audit_entries_for_object
from clusterdesk.backoffice.labelling.common import (
    ApplicationMixin,
    StaffMixin,
    notice_sent_message,
)
from clusterdesk.projects.forms import (
    APPLICATION_VALUES,
    ApplicationForm,
    DocumentForm,
    FundingForm,
    PartnerForm,
    ProjectForm,
    TransitionForm,
)
from clusterdesk.projects.models import (
    Application,
    ApplicationDocument,
    FundingApplication,
    Partner,
)
from clusterdesk.projects.selectors.applications import (
    application_moves_for,
    application_notices,
    application_totals,
    eligibility_problems,
)
from clusterdesk.projects.selectors.partners import partner_suggestions
from clusterdesk.projects.services.applications import (
    application_create,
    application_update,
    document_add,
    partner_remove,
    partner_save,
    project_update,
)
from clusterdesk.projects.services.funding import funding_save
from clusterdesk.projects.services.workflow import application_transition
from clusterdesk.projects.states import CONSORTIUM_EDITABLE, FILE_EDITABLE, NEEDS_REASON
from clusterdesk.web.http import stored_file_download
from clusterdesk.web.views import apply_service

S = Application.State


class ApplicationCreateView(StaffMixin, View):
    """Staff enter an application themselves, for a coordinator the cluster follows."""

    def titles(self) -> dict[str, Any]:
        back = reverse("labelling:calls", kwargs={"cluster_slug": self.cluster.slug})
        return {"title": _("New application"), "back": back}

    def form(self, data: Any = None) -> ApplicationForm:
        initial = {"call": self.request.GET.get("call")}
        return ApplicationForm(data, initial=initial, cluster=self.cluster, creating=True)

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page("form.html", form=self.form(), **self.titles())

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.form(request.POST)
        created: list[Application] = []
        if form.is_valid() and apply_service(
            form,
            lambda: created.append(application_create(actor=request.user, **form.cleaned_data)),
        ):
            messages.success(request, _("The application is created as a draft."))
            return self.to("application", app_id=created[0].pk)
        return self.page("form.html", status=400, form=form, **self.titles())


class ApplicationView(ApplicationMixin, View):
    """The application file as staff see it, with the moves they may make."""

    def get(self, request: Any, cluster_slug: str, app_id: int) -> HttpResponse:
        application = self.application
        moves = application_moves_for(actor=request.user, application=application)
        labelled = application.state == S.LABELLED
        return self.application_page(
            "application.html",
            domains=application.domains.all(),
            themes=application.themes.all(),
            partners=application.partners.select_related("organisation", "contact"),
            totals=application_totals(application),
            documents=application.documents.all(),
            assignments=application.assignments.select_related("expert__user", "review"),
            history=audit_entries_for_object(obj=application),
            notices=application_notices(application),
            transitions=[
                (s, TransitionForm(cluster=self.cluster, to=s, prefix=s), s in NEEDS_REASON)
                for s in moves
            ],
            problems=eligibility_problems(application) if S.ELIGIBLE in moves else None,
            file_open=application.state in FILE_EDITABLE,
            consortium_open=application.state in CONSORTIUM_EDITABLE,
            labelled=labelled,
            project_form=ProjectForm(
                initial={
                    "status": application.project_status,
                    "start_date": application.start_date,
                    "end_date": application.end_date,
                }
            )
            if labelled
            else None,
            fundings=application.fundings.prefetch_related("lines__partner__organisation")
            if labelled
            else [],
        )


class PartnerSuggestionsView(ApplicationMixin, View):
    """Organisations that would complete the consortium, with why (loaded after the page)."""

    def get(self, request: Any, cluster_slug: str, app_id: int) -> HttpResponse:
        found = partner_suggestions(application=self.application)
        if request.htmx:
            return render(
                request,
                "projects/partials/partner_suggestions.html",
                {"cluster": self.cluster, "found": found, "organisation_links": True},
            )
        return self.application_page("partner_suggestions.html", found=found)


class ApplicationEditView(ApplicationMixin, View):
    def form(self, data: Any = None) -> ApplicationForm:
        return ApplicationForm(
            data, instance=copy.copy(self.application), cluster=self.cluster, creating=False
        )

    def get(self, request: Any, cluster_slug: str, app_id: int) -> HttpResponse:
        return self.application_page("form.html", form=self.form(), title=_("The file"))

    def post(self, request: Any, cluster_slug: str, app_id: int) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: application_update(
                actor=request.user,
                application=self.application,
                domains=form.cleaned_data["domains"],
                themes=form.cleaned_data["themes"],
                **{name: form.cleaned_data[name] for name in APPLICATION_VALUES},
            ),
        ):
            messages.success(request, _("The application is saved."))
            return self.to_application()
        return self.application_page("form.html", status=400, form=form, title=_("The file"))


class TransitionView(ApplicationMixin, View):
    """Move the application to one state: the file page posts here; this page confirms
    (with the eligibility problems before "eligible") and shows the errors."""

    def target(self, to: str) -> str:
        if to not in S.values:
            raise Http404
        return to

    def get(self, request: Any, cluster_slug: str, app_id: int, to: str) -> HttpResponse:
        form = TransitionForm(cluster=self.cluster, to=self.target(to), prefix=to)
        return self.render(to, form)

    def post(self, request: Any, cluster_slug: str, app_id: int, to: str) -> HttpResponse:
        form = TransitionForm(request.POST, cluster=self.cluster, to=self.target(to), prefix=to)
        if form.is_valid() and apply_service(
            form,
            lambda: application_transition(
                actor=request.user, application=self.application, to=to, **form.cleaned_data
            ),
        ):
            messages.success(
                request,
                _("The application is now “%(state)s”.") % {"state": S(to).label}
                + " "
                + notice_sent_message(self.application),
            )
            return self.to_application()
        return self.render(to, form, status=400)

    def render(self, to: str, form: TransitionForm, status: int = 200) -> HttpResponse:
        app = self.application
        return self.application_page(
            "transition.html",
            status=status,
            to=S(to),
            form=form,
            allowed=to in application_moves_for(actor=self.request.user, application=app),
            needs_reason=to in NEEDS_REASON,
            problems=eligibility_problems(app)
            if to in (S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE)
            else None,
        )


class PartnerEditView(ApplicationMixin, View):
    """Add an organisation to the consortium (no ``pk``) or change its share."""

    def get_partner(self) -> Partner | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(
            self.application.partners.select_related("organisation"), pk=self.kwargs["pk"]
        )

    def form(self, data: Any = None) -> PartnerForm:
        partner = self.get_partner()
        return PartnerForm(
            data, instance=copy.copy(partner) if partner else None, cluster=self.cluster
        )

    def get(
        self, request: Any, cluster_slug: str, app_id: int, pk: int | None = None
    ) -> HttpResponse:
        return self.application_page("form.html", form=self.form(), title=_("Partner"))

    def post(
        self, request: Any, cluster_slug: str, app_id: int, pk: int | None = None
    ) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: partner_save(
                actor=request.user, application=self.application, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The consortium is saved."))
            return self.to_application("consortium")
        return self.application_page("form.html", status=400, form=form, title=_("Partner"))


class PartnerRemoveView(ApplicationMixin, View):
    def post(self, request: Any, cluster_slug: str, app_id: int, pk: int) -> HttpResponse:
        partner = get_object_or_404(self.application.partners.select_related("application"), pk=pk)
        try:
            partner_remove(actor=request.user, partner=partner)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The partner has left the consortium."))
        return self.to_application("consortium")


class DocumentAddView(ApplicationMixin, View):
    def get(self, request: Any, cluster_slug: str, app_id: int) -> HttpResponse:
        return self.application_page("form.html", form=DocumentForm(), title=_("Document"))

    def post(self, request: Any, cluster_slug: str, app_id: int) -> HttpResponse:
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
            return self.to_application("documents")
        return self.application_page("form.html", status=400, form=form, title=_("Document"))


class DocumentDownloadView(ApplicationMixin, View):
    """Documents are confidential: they are served here, after the checks, never as media."""

    def get(self, request: Any, cluster_slug: str, app_id: int, pk: int) -> FileResponse:
        document: ApplicationDocument = get_object_or_404(self.application.documents.all(), pk=pk)
        return stored_file_download(document.file, document.name)


class ProjectEditView(ApplicationMixin, View):
    """A labelled project's status and dates."""

    def get(self, request: Any, cluster_slug: str, app_id: int) -> HttpResponse:
        return self.to_application("project")

    def post(self, request: Any, cluster_slug: str, app_id: int) -> HttpResponse:
        form = ProjectForm(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: project_update(
                actor=request.user, application=self.application, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The project is saved."))
            return self.to_application("project")
        return self.application_page(
            "form.html", status=400, form=form, title=_("Labelled project")
        )


class FundingEditView(ApplicationMixin, View):
    """A funding application of the labelled project (no ``pk``: a new one)."""

    @cached_property
    def funding(self) -> FundingApplication | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.application.fundings.all(), pk=self.kwargs["pk"])

    def form(self, data: Any = None) -> FundingForm:
        funding = self.funding
        return FundingForm(
            data,
            instance=copy.copy(funding) if funding else None,
            partners=list(self.application.partners.select_related("organisation")),
        )

    def get(
        self, request: Any, cluster_slug: str, app_id: int, pk: int | None = None
    ) -> HttpResponse:
        return self.application_page("form.html", form=self.form(), title=_("Funding application"))

    def post(
        self, request: Any, cluster_slug: str, app_id: int, pk: int | None = None
    ) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: funding_save(
                actor=request.user,
                application=self.application,
                funding=self.funding,
                lines=form.lines(),
                confirm_above_requested=form.confirmed_above_requested(),
                **form.values(),
            ),
        ):
            messages.success(request, _("The funding application is saved."))
            return self.to_application("funding")
        return self.application_page(
            "form.html", status=400, form=form, title=_("Funding application")
        )
