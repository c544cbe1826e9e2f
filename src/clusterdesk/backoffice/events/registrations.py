"""An event's registrations: the list and its exports, registering someone, cancelling,
badges."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.events.common import EventMixin
from clusterdesk.core.exports import FORMATS
from clusterdesk.events.forms import STATUS_CHOICES, RegistrationForm
from clusterdesk.events.models import Registration
from clusterdesk.events.selectors import categories_of, registration_list, seats_of
from clusterdesk.events.services import badges
from clusterdesk.events.services.registrations import registration_cancel, registration_create
from clusterdesk.web.views import apply_service

PAGE_SIZE = 50


class RegistrationListView(EventMixin, View):
    permission_required = "events.view_registrations"

    def get(self, request: Any, cluster_slug: str, event_id: int) -> HttpResponse:
        return self.render(RegistrationForm(categories=categories_of(event=self.event)))

    def post(self, request: Any, cluster_slug: str, event_id: int) -> HttpResponse:
        """Register someone (event staff: any category, within the registration window)."""
        if not request.user.has_perm("events.manage_events", self.cluster):
            raise Http404
        form = RegistrationForm(request.POST, categories=categories_of(event=self.event))
        done: list[Registration] = []
        if form.is_valid() and apply_service(
            form,
            lambda: done.append(
                registration_create(actor=request.user, event=self.event, **form.cleaned_data)
            ),
        ):
            registration = done[0]
            messages.success(
                request,
                _("%(name)s is registered (%(status)s).")
                % {"name": registration, "status": registration.get_status_display().lower()},
            )
            return self.to_event("events:registrations")
        return self.render(form, status=400)

    def render(self, form: RegistrationForm, status: int = 200) -> HttpResponse:
        wanted = self.request.GET.get("status", "")
        if wanted not in dict(STATUS_CHOICES):
            wanted = ""
        q = self.request.GET.get("q", "")[:200]
        registrations = registration_list(
            user=self.request.user, event=self.event, status=wanted, q=q
        )
        page = Paginator(registrations, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return self.page(
            "events/registrations.html",
            status=status,
            page=page,
            form=form,
            statuses=STATUS_CHOICES,
            wanted=wanted,
            q=q,
            seats=seats_of(event=self.event),
        )


class RegistrationExportView(EventMixin, View):
    """The registrations as CSV or XLSX, written in the background."""

    permission_required = "events.view_registrations"

    def post(self, request: Any, cluster_slug: str, event_id: int) -> HttpResponse:
        fmt = request.POST.get("format", "csv")
        if fmt not in FORMATS:
            raise Http404
        job = badges.registrations_export_start(actor=request.user, event=self.event, fmt=fmt)
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


class RegistrationActionView(EventMixin, View):
    """Cancel a registration (POST), or download one badge (GET)."""

    permission_required = "events.manage_events"

    def registration(self, pk: int) -> Registration:
        return get_object_or_404(registration_list(user=self.request.user, event=self.event), pk=pk)

    def get(
        self, request: Any, cluster_slug: str, event_id: int, pk: int, action: str
    ) -> HttpResponse:
        if action != "badge":
            raise Http404
        registration = self.registration(pk)
        content = badges.badge_of(actor=request.user, registration=registration)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="badge-{registration.pk}.pdf"'
        return response

    def post(
        self, request: Any, cluster_slug: str, event_id: int, pk: int, action: str
    ) -> HttpResponse:
        if action != "cancel":
            raise Http404
        registration = self.registration(pk)
        try:
            registration_cancel(actor=request.user, registration=registration)
            messages.success(
                request, _("The registration of %(name)s is cancelled.") % {"name": registration}
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return self.to_event("events:registrations")


class BadgesView(EventMixin, View):
    """Every confirmed person's badge in one PDF, made in the background."""

    permission_required = "events.manage_events"

    def post(self, request: Any, cluster_slug: str, event_id: int) -> HttpResponse:
        job = badges.badges_start(actor=request.user, event=self.event)
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)
