"""Committee sessions: the list, the session form, and each session's agenda with its
decisions.
"""

from __future__ import annotations

import copy
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.labelling.common import StaffMixin, notice_sent_message
from clusterdesk.projects.forms import DecisionForm, SessionForm
from clusterdesk.projects.models import Application, CommitteeSession
from clusterdesk.projects.selectors.applications import applications_visible_to
from clusterdesk.projects.selectors.committee import (
    session_agenda,
    sessions_current_first,
    sessions_with_counts,
)
from clusterdesk.projects.services.committee import session_save
from clusterdesk.projects.services.workflow import application_transition
from clusterdesk.web.views import apply_service

S = Application.State
PAGE_SIZE = 30


def _id(value: str | None) -> int:
    """An object id from the form data; anything else finds nothing."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


class SessionListView(StaffMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        sessions = sessions_current_first(sessions_with_counts(cluster=self.cluster))
        page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
        return self.page("sessions.html", sessions=page, page=page, today=timezone.localdate())


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
                _("The decision on %(acronym)s is recorded.") % {"acronym": application.acronym}
                + " "
                + notice_sent_message(application),
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
