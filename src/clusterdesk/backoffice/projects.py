"""The labelling pages of the cluster's project staff: the call board, each call with its
applications, reviews and reviewer assignment, the application file and its workflow,
committee sessions with their decisions, and the expert network.

Every page needs ``projects.manage_calls`` on the cluster. An application the person may
not see (``projects.view_application``) is not found, checked first. What may be written is
the services' to decide (``projects.rules``); the pages offer only the moves
``selectors.applications.application_moves_for`` gives.
"""

from __future__ import annotations

import copy
from functools import cached_property
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.audit.selectors import audit_entries_for_object
from clusterdesk.projects.forms import (
    APPLICATION_VALUES,
    ApplicationForm,
    AssignmentForm,
    CallForm,
    ConflictForm,
    CriterionForm,
    DecisionForm,
    DocumentForm,
    ExpertForm,
    FundingForm,
    PartnerForm,
    ProjectForm,
    SessionForm,
    TransitionForm,
)
from clusterdesk.projects.models import (
    Application,
    ApplicationDocument,
    Call,
    CommitteeSession,
    ExpertProfile,
    FundingApplication,
    Partner,
    ReviewAssignment,
)
from clusterdesk.projects.selectors.applications import (
    application_moves_for,
    application_totals,
    application_visible,
    applications_visible_to,
    eligibility_problems,
)
from clusterdesk.projects.selectors.calls import (
    applications_by_state,
    call_applications_with_totals,
    call_status,
    call_totals,
    calls_with_state_counts,
)
from clusterdesk.projects.selectors.committee import session_agenda, sessions_with_counts
from clusterdesk.projects.selectors.reviews import (
    assignment_proposal_last,
    call_assignments,
    conflicts_named,
    conflicts_of,
    experts_of_cluster,
    proposal_shortfalls,
    review_comparison,
    review_progress,
)
from clusterdesk.projects.services.applications import (
    application_create,
    application_update,
    document_add,
    partner_remove,
    partner_save,
    project_update,
)
from clusterdesk.projects.services.calls import call_save
from clusterdesk.projects.services.committee import session_save
from clusterdesk.projects.services.funding import funding_save
from clusterdesk.projects.services.reviews import (
    assignment_propose,
    assignment_remove,
    assignment_set,
    conflict_record,
    expert_profile_save,
    review_remind,
)
from clusterdesk.projects.services.workflow import application_transition
from clusterdesk.projects.states import CONSORTIUM_EDITABLE, FILE_EDITABLE, NEEDS_REASON
from clusterdesk.web.http import stored_file_download
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

S = Application.State
M = TypeVar("M", bound=Model)


def _id(value: str | None) -> int:
    """An object id from the form data; anything else finds nothing."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


class StaffMixin(ClusterPermissionMixin):
    permission_required = "projects.manage_calls"
    kwargs: dict[str, Any]

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        return render(self.request, f"projects/staff/{template}", context, status=status)

    def of_cluster(self, model: type[M], url_kwarg: str) -> M:
        """The cluster's object the URL names, or a new one when it names none."""
        if url_kwarg not in self.kwargs:
            return model(cluster=self.cluster)
        return get_object_or_404(
            model._default_manager.filter(cluster=self.cluster), pk=self.kwargs[url_kwarg]
        )

    def to(self, name: str, anchor: str = "", **kwargs: Any) -> HttpResponse:
        url = reverse(f"labelling:{name}", kwargs={"cluster_slug": self.cluster.slug, **kwargs})
        return redirect(f"{url}#{anchor}" if anchor else url)


class CallMixin(StaffMixin):
    """A page about one call of this cluster (a new one when the URL names none)."""

    @cached_property
    def call(self) -> Call:
        return self.of_cluster(Call, "call_id")

    def to_call(self, anchor: str = "") -> HttpResponse:
        return self.to("call", anchor, call_id=self.call.pk)


class ApplicationMixin(StaffMixin):
    """A page about one application of this cluster that the person may see; any other
    application is not found, before the cluster permission is checked, so a refusal never
    confirms that the application exists. The services decide what may be written."""

    @cached_property
    def application(self) -> Application:
        return application_visible(
            actor=self.request.user, cluster=self.cluster, pk=self.kwargs["app_id"]
        )

    def has_permission(self) -> bool:
        self.application  # noqa: B018 -- fetched (or refused) before the cluster check
        return super().has_permission()

    def to_application(self, anchor: str = "") -> HttpResponse:
        return self.to("application", anchor, app_id=self.application.pk)

    def application_page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        return self.page(template, status=status, application=self.application, **context)


# -- calls ------------------------------------------------------------------------------


class CallListView(StaffMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page("calls.html", rows=calls_with_state_counts(cluster=self.cluster))


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
        if action == "propose":
            try:
                summary = assignment_propose(actor=actor, call=call)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Reviewers proposed: %(n)d pairs, %(kept)d of them kept.")
                    % {"n": summary["assigned"], "kept": summary["kept"]},
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


class AssignmentActionView(CallMixin, View):
    """Keep, release or remove one proposed pair; htmx gets the pairs table back."""

    def post(
        self, request: Any, cluster_slug: str, call_id: int, pk: int, action: str
    ) -> HttpResponse:
        assignment: ReviewAssignment = get_object_or_404(
            ReviewAssignment.objects.filter(
                cluster=self.cluster, application__call=self.call
            ).select_related("application", "expert"),
            pk=pk,
        )
        try:
            if action in ("lock", "unlock"):
                assignment_set(
                    actor=request.user,
                    application=assignment.application,
                    expert=assignment.expert,
                    locked=action == "lock",
                )
            elif action == "remove":
                assignment_remove(actor=request.user, assignment=assignment)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        if request.htmx:
            return self.page(
                "partials/assignments.html",
                call=self.call,
                assignments=call_assignments(call=self.call),
            )
        return self.to_call("assignment")


# -- applications -----------------------------------------------------------------------


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
                request, _("The application is now “%(state)s”.") % {"state": S(to).label}
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
            problems=eligibility_problems(app) if to in (S.ELIGIBLE, S.INELIGIBLE) else None,
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
                **form.values(),
            ),
        ):
            messages.success(request, _("The funding application is saved."))
            return self.to_application("funding")
        return self.application_page(
            "form.html", status=400, form=form, title=_("Funding application")
        )


# -- committee --------------------------------------------------------------------------


class SessionListView(StaffMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page("sessions.html", sessions=sessions_with_counts(cluster=self.cluster))


class SessionMixin(StaffMixin):
    @cached_property
    def session(self) -> CommitteeSession:
        return self.of_cluster(CommitteeSession, "session_id")


class SessionEditView(SessionMixin, View):
    def titles(self) -> dict[str, Any]:
        back = reverse("labelling:sessions", kwargs={"cluster_slug": self.cluster.slug})
        return {"title": str(self.session) if self.session.pk else _("New session"), "back": back}

    def form(self, data: Any = None) -> SessionForm:
        session = self.session
        initial = {"members": list(session.members.all())} if session.pk else {}
        return SessionForm(data, instance=copy.copy(session), initial=initial, cluster=self.cluster)

    def get(self, request: Any, cluster_slug: str, session_id: int | None = None) -> HttpResponse:
        return self.page("form.html", form=self.form(), **self.titles())

    def post(self, request: Any, cluster_slug: str, session_id: int | None = None) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            members = list(values.pop("members"))
            if apply_service(
                form,
                lambda: session_save(
                    actor=request.user, session=self.session, members=members, **values
                ),
            ):
                messages.success(request, _("The committee session is saved."))
                return self.to("session", session_id=self.session.pk)
        return self.page("form.html", status=400, form=form, **self.titles())


class SessionView(SessionMixin, View):
    """The session's agenda, with the decision form of each application still at committee."""

    def agenda(self) -> QuerySet[Application]:
        visible = applications_visible_to(user=self.request.user, cluster=self.cluster)
        return session_agenda(self.session).filter(pk__in=visible.values("pk"))

    def get(self, request: Any, cluster_slug: str, session_id: int) -> HttpResponse:
        return self.render()

    def post(self, request: Any, cluster_slug: str, session_id: int) -> HttpResponse:
        application = get_object_or_404(
            self.agenda().select_related("cluster"),
            pk=_id(request.POST.get("application")),
        )
        form = DecisionForm(request.POST, prefix=f"decision-{application.pk}")
        if form.is_valid() and apply_service(
            form,
            lambda: application_transition(
                actor=request.user,
                application=application,
                to=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            ),
        ):
            messages.success(
                request,
                _("The decision on %(acronym)s is recorded.") % {"acronym": application.acronym},
            )
            return self.to("session", session_id=self.session.pk)
        return self.render(bound={application.pk: form}, status=400)

    def render(
        self, bound: dict[int, DecisionForm] | None = None, status: int = 200
    ) -> HttpResponse:
        bound = bound or {}
        agenda = []
        for application in self.agenda():
            form = None
            if application.state == S.AT_COMMITTEE:  # decided ones show their decision
                form = bound.get(application.pk) or DecisionForm(
                    prefix=f"decision-{application.pk}"
                )
            agenda.append((application, form))
        return self.page(
            "session.html",
            status=status,
            session=self.session,
            members=self.session.members.all(),
            agenda=agenda,
        )


# -- experts ----------------------------------------------------------------------------


class ExpertListView(StaffMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        experts = (
            experts_of_cluster(cluster=self.cluster)
            .prefetch_related("domains")
            .annotate(n_assignments=Count("assignments"))
        )
        return self.page("experts.html", experts=experts)


class ExpertEditView(StaffMixin, View):
    def get_profile(self) -> ExpertProfile:
        return self.of_cluster(ExpertProfile, "pk")

    def titles(self, profile: ExpertProfile) -> dict[str, Any]:
        back = reverse("labelling:experts", kwargs={"cluster_slug": self.cluster.slug})
        return {"title": str(profile) if profile.pk else _("New expert profile"), "back": back}

    def form(self, profile: ExpertProfile, data: Any = None) -> ExpertForm:
        return ExpertForm(data, instance=copy.copy(profile), cluster=self.cluster)

    def get(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        profile = self.get_profile()
        return self.page("form.html", form=self.form(profile), **self.titles(profile))

    def post(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        profile = self.get_profile()
        form = self.form(profile, request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            user = values.pop("user", None) or profile.user
            domains = values.pop("domains")
            if apply_service(
                form,
                lambda: expert_profile_save(
                    actor=request.user, cluster=self.cluster, user=user, domains=domains, **values
                ),
            ):
                messages.success(request, _("The expert's profile is saved."))
                return self.to("experts")
        return self.page("form.html", status=400, form=form, **self.titles(profile))
