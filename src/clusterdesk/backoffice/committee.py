"""The committee member's workspace: the sessions they sit on, each session's agenda with
the reviews handed in, their own conflicts of interest, the decisions and the minutes.

Every page needs ``projects.sit_on_committee`` on the cluster (the committee member role).
A session is found among those the person sits on (any other is not found: an agenda is
confidential); an application's file among the agenda of that session, once
``projects.view_application`` allows it (a member who declared a conflict reads it no
more). What the person may do is the services' to decide.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.projects.member_forms import ConflictForm
from clusterdesk.projects.models import Application, CommitteeSession
from clusterdesk.projects.selectors.applications import application_file
from clusterdesk.projects.selectors.committee import (
    session_agenda,
    session_workspace,
    sessions_of_member,
)
from clusterdesk.projects.selectors.reviews import application_reviews_for, weighted_score
from clusterdesk.projects.services.committee import (
    committee_conflict_declare,
    committee_conflict_withdraw,
)
from clusterdesk.web.http import stored_file_download
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

PAGE_SIZE = 30


class CommitteeMixin(ClusterPermissionMixin):
    permission_required = "projects.sit_on_committee"
    kwargs: dict[str, Any]

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        return render(self.request, f"projects/committee/{template}", context, status=status)

    @cached_property
    def session(self) -> CommitteeSession:
        mine = sessions_of_member(user=self.request.user, cluster=self.cluster)
        return get_object_or_404(mine, pk=self.kwargs["session_id"])

    def to_session(self, anchor: str = "") -> HttpResponse:
        response = redirect(
            "committee:session", cluster_slug=self.cluster.slug, session_id=self.session.pk
        )
        if anchor:
            response["Location"] += f"#{anchor}"
        return response


class SessionListView(CommitteeMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        sessions = sessions_of_member(user=request.user, cluster=self.cluster)
        page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
        return self.page("sessions.html", page=page, today=timezone.localdate())


class SessionView(CommitteeMixin, View):
    """The agenda with the reviews, the person's conflicts, the decisions and the minutes."""

    def get(self, request: Any, cluster_slug: str, session_id: int) -> HttpResponse:
        return self.render_session()

    def render_session(
        self, bound: dict[int, ConflictForm] | None = None, status: int = 200
    ) -> HttpResponse:
        bound = bound or {}
        items = session_workspace(user=self.request.user, session=self.session)
        return self.page(
            "session.html",
            status=status,
            session=self.session,
            members=sorted(self.session.members.all(), key=lambda u: str(u).lower()),
            items=[
                (
                    item,
                    bound.get(item.application.pk)
                    or ConflictForm(prefix=f"conflict-{item.application.pk}"),
                )
                for item in items
            ],
            past=self.session.date < timezone.localdate(),
        )


class ConflictView(SessionView):
    """Declare a conflict with an application of the session, or withdraw one."""

    def get(  # type: ignore[override]
        self, request: Any, cluster_slug: str, session_id: int, app_id: int
    ) -> HttpResponse:
        """The form lives on the session's page, beside the application."""
        get_object_or_404(session_agenda(self.session), pk=app_id)
        return self.to_session(f"application-{app_id}")

    def post(self, request: Any, cluster_slug: str, session_id: int, app_id: int) -> HttpResponse:
        application: Application = get_object_or_404(
            session_agenda(self.session).select_related("cluster"), pk=app_id
        )
        if request.POST.get("action") == "withdraw":
            committee_conflict_withdraw(actor=request.user, application=application)
            messages.success(
                request,
                _("Your conflict with %(acronym)s is withdrawn.")
                % {"acronym": application.acronym},
            )
            return self.to_session(f"application-{app_id}")
        form = ConflictForm(request.POST, prefix=f"conflict-{app_id}")
        if form.is_valid() and apply_service(
            form,
            lambda: committee_conflict_declare(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            ),
        ):
            messages.success(
                request,
                _("Your conflict with %(acronym)s is recorded: you stand aside from its decision.")
                % {"acronym": application.acronym},
            )
            return self.to_session(f"application-{app_id}")
        return self.render_session(bound={application.pk: form}, status=400)


class ApplicationView(CommitteeMixin, View):
    """An application of the agenda, read-only, with the reviews handed in."""

    def application(self) -> Application:
        application: Application = get_object_or_404(
            session_agenda(self.session).select_related("cluster"), pk=self.kwargs["app_id"]
        )
        if not self.request.user.has_perm("projects.view_application", application):
            raise Http404  # a conflict declared: the file is closed to them
        return application

    def get(self, request: Any, cluster_slug: str, session_id: int, app_id: int) -> HttpResponse:
        application = self.application()
        reviews = [
            (review, weighted_score(review))
            for review in application_reviews_for(actor=request.user, application=application)
        ]
        return self.page(
            "application.html",
            committee_session=self.session,
            application=application,
            reviews=reviews,
            **application_file(application),
        )


class DocumentDownloadView(ApplicationView):
    def get(  # type: ignore[override]
        self, request: Any, cluster_slug: str, session_id: int, app_id: int, doc_id: int
    ) -> FileResponse:
        document = get_object_or_404(self.application().documents.all(), pk=doc_id)
        return stored_file_download(document.file, document.name)
