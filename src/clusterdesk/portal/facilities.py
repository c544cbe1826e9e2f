"""The member portal's innovation centre: a hosted company's people book for themselves,
and see their authorisations, their bookings and their company's statements.

Every page needs ``facilities.use_portal`` (a member's portal account); booking needs
``facilities.book`` (the service checks it: a company with a current lease). A booking or
a statement that is not the person's (or their company's) is not found.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.accounts.models import User
from clusterdesk.core.errors import Conflict
from clusterdesk.facilities.billing import project_subtotals
from clusterdesk.facilities.documents import statement_pdf
from clusterdesk.facilities.forms import BookingForm
from clusterdesk.facilities.models import Statement
from clusterdesk.facilities.selectors import (
    authorisations_visible_to,
    bookings_visible_to,
    resources_of,
    statements_visible_to,
)
from clusterdesk.facilities.services.bookings import (
    booking_cancel,
    booking_create,
    waitlist_join,
)
from clusterdesk.projects.selectors.applications import applications_visible_to
from clusterdesk.web.views import ClusterPermissionMixin, apply_service


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class PortalFacilitiesMixin(ClusterPermissionMixin):
    permission_required = "facilities.use_portal"
    kwargs: dict[str, Any]

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        return render(self.request, f"facilities/portal/{template}", context, status=status)


class CentreHomeView(PortalFacilitiesMixin, View):
    def form(self, data: Any = None) -> BookingForm:
        return BookingForm(
            data,
            resources=resources_of(cluster=self.cluster, bookable=True),
            projects=applications_visible_to(user=self.request.user, cluster=self.cluster),
            for_others=False,
        )

    def render(
        self, form: BookingForm | None, status: int = 200, taken: bool = False
    ) -> HttpResponse:
        user, now = cast(User, self.request.user), timezone.now()
        mine = bookings_visible_to(user, self.cluster).filter(person=user)
        return self.page(
            "home.html",
            status=status,
            form=form,
            upcoming=mine.filter(end__gte=now).order_by("start")[:100],
            past=mine.filter(end__lt=now).order_by("-start")[:50],
            authorisations=authorisations_visible_to(user, self.cluster).filter(person=user),
            statements=statements_visible_to(user, self.cluster)[:36],
            today=timezone.localdate(),
            taken=taken,
        )

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        can_book = request.user.has_perm("facilities.book", self.cluster)
        return self.render(self.form() if can_book else None)

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            start, end = form.period()

            taken: list[Conflict] = []

            def book() -> None:
                try:
                    booking_create(
                        actor=request.user,
                        resource=form.cleaned_data["resource"],
                        person=request.user,
                        start=start,
                        end=end,
                        application=form.cleaned_data["project"],
                        purpose=form.cleaned_data["purpose"],
                        repeat_weeks=form.cleaned_data["repeat_weeks"],
                    )
                except Conflict as exc:
                    taken.append(exc)  # the slot is taken: offer the waiting list
                    raise

            if apply_service(form, book):
                messages.success(request, _("The booking is saved."))
                return redirect("portal_facilities:home", cluster_slug=self.cluster.slug)
            if taken:
                return self.render(form, status=409, taken=True)
        return self.render(form, status=400)


class WaitlistJoinView(PortalFacilitiesMixin, View):
    """Wait for a taken slot (the booking form's resource, day and times)."""

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = BookingForm(
            request.POST,
            resources=resources_of(cluster=self.cluster, bookable=True),
            projects=applications_visible_to(user=request.user, cluster=self.cluster),
            for_others=False,
        )
        if form.is_valid():
            start, end = form.period()
            try:
                waitlist_join(
                    actor=request.user,
                    resource=form.cleaned_data["resource"],
                    start=start,
                    end=end,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request, _("You are on the waiting list: we will e-mail you if it frees.")
                )
        return redirect("portal_facilities:home", cluster_slug=self.cluster.slug)


class BookingCancelView(PortalFacilitiesMixin, View):
    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        booking = get_object_or_404(bookings_visible_to(request.user, self.cluster), pk=pk)
        try:
            booking_cancel(actor=request.user, booking=booking)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The booking is cancelled."))
        return redirect("portal_facilities:home", cluster_slug=self.cluster.slug)


class StatementMixin(PortalFacilitiesMixin):
    @cached_property
    def statement(self) -> Statement:
        return get_object_or_404(
            statements_visible_to(self.request.user, self.cluster), pk=self.kwargs["pk"]
        )


class StatementView(StatementMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        return self.page(
            "statement.html",
            statement=self.statement,
            lines=self.statement.lines.select_related("application"),
            subtotals=project_subtotals(self.statement),
        )


class StatementPdfView(StatementMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        return pdf_response(statement_pdf(self.statement), f"{self.statement.number}.pdf")
