"""The approval queue, the desk (today's check-in and check-out) and the actions on one
booking (approve or decline, check in or out, cancel)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.facilities.common import MANAGE, FacilitiesMixin, day_param
from clusterdesk.facilities.selectors import (
    approval_queue,
    bookings_today,
    bookings_visible_to,
    flagged_bookings,
)
from clusterdesk.facilities.services.bookings import booking_cancel, booking_check, booking_decide


class ApprovalQueueView(FacilitiesMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page(
            "approvals.html",
            pending=approval_queue(cluster=self.cluster),
            flagged=flagged_bookings(cluster=self.cluster),
        )


class DeskView(FacilitiesMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        day = day_param(request.GET.get("date"))
        return self.page(
            "desk.html", day=day, bookings=bookings_today(cluster=self.cluster, day=day)
        )


class BookingActionView(FacilitiesMixin, View):
    """POST ``action`` = approve | decline | check_in | check_out | cancel."""

    permission_required = MANAGE

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        booking = get_object_or_404(bookings_visible_to(request.user, self.cluster), pk=pk)
        action = request.POST.get("action", "")
        calls = {
            "approve": lambda: booking_decide(actor=request.user, booking=booking, approve=True),
            "decline": lambda: booking_decide(actor=request.user, booking=booking, approve=False),
            "check_in": lambda: booking_check(actor=request.user, booking=booking),
            "check_out": lambda: booking_check(actor=request.user, booking=booking, out=True),
            "cancel": lambda: booking_cancel(actor=request.user, booking=booking),
        }
        try:
            if action not in calls:
                raise ValidationError(_("Choose what to do with the booking."))
            calls[action]()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done: %(booking)s.") % {"booking": booking})
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("facilities:approvals", cluster_slug=self.cluster.slug)
