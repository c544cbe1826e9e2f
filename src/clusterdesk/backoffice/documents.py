"""The labelling workflow's PDFs in the back office: a labelled project's certificate and
a committee session's minutes.

One certificate or one set of minutes renders in well under a second (a page or two of
HTML laid out by WeasyPrint), so both are made in the request rather than as a job.
A person who may not read the document gets the same 404 as for a missing one.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, NoReturn

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views import View

from clusterdesk.projects import documents
from clusterdesk.projects.models import Application, CommitteeSession, Partner
from clusterdesk.projects.selectors.committee import (
    committee_conflicts_of_session,
    session_agenda,
)
from clusterdesk.web.views import ClusterPermissionMixin


def sits_on_session(user: Any, session: CommitteeSession) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        session.members.filter(pk=user.pk).exists()
    )


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class _DocumentView(ClusterPermissionMixin, View):
    """The permission is checked on the document's object; refused is not found."""

    def handle_no_permission(self) -> NoReturn:
        raise Http404


class CertificateView(_DocumentView):
    permission_required = "projects.view_application"

    @cached_property
    def application(self) -> Application:
        # The scoped manager and the cluster filter keep other clusters' projects out.
        application = (
            Application.objects.filter(cluster=self.cluster, state=Application.State.LABELLED)
            .select_related("cluster", "call", "committee_session")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if application is None or not application.label_code:
            raise Http404
        return application

    def get_permission_object(self) -> Application:
        return self.application

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        application = self.application
        partners = list(
            Partner.objects.filter(application=application)
            .select_related("organisation")
            .order_by("role", "organisation__name")
        )
        url = settings.SITE_URL + reverse("label_verify", args=[application.label_code])
        # Rendered in the request: one certificate takes a fraction of a second.
        content = documents.certificate_pdf(
            application=application, partners=partners, verification_url=url
        )
        return pdf_response(content, f"label-{application.label_number}.pdf")


class MinutesView(_DocumentView):
    def has_permission(self) -> bool:
        # The cluster's project staff, and the session's own members.
        user = self.request.user
        return user.has_perm("projects.manage_calls", self.cluster) or sits_on_session(
            user, self.session
        )

    @cached_property
    def session(self) -> CommitteeSession:
        session = (
            CommitteeSession.objects.filter(cluster=self.cluster, pk=self.kwargs["pk"])
            .select_related("cluster")
            .first()
        )
        if session is None:
            raise Http404
        return session

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        session = self.session
        agenda = list(session_agenda(session))
        coordinators = dict(
            Partner.objects.filter(application__in=agenda, role=Partner.Role.COORDINATOR)
            .values_list("application_id", "organisation__name")
            .order_by()
        )
        members = sorted(session.members.all(), key=lambda u: str(u).lower())
        # Rendered in the request: a session's agenda is a few dozen lines at most.
        content = documents.minutes_pdf(
            session=session,
            members=members,
            items=documents.agenda_items(
                agenda, coordinators, committee_conflicts_of_session(session)
            ),
        )
        return pdf_response(content, f"minutes-{session.date:%Y-%m-%d}-{session.pk}.pdf")
