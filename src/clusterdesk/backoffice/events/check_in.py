"""Check-in on the day, from a phone: search by name or organisation, or the badge's code
(its QR code opens this page with the code; a scanner can type it into the field)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.events.common import EventMixin
from clusterdesk.events.forms import CheckInSearchForm
from clusterdesk.events.selectors import check_in_search, registration_list, seats_of
from clusterdesk.events.services.registrations import registration_check_in


class CheckInView(EventMixin, View):
    permission_required = "events.check_in"

    def get(self, request: Any, cluster_slug: str, event_id: int) -> HttpResponse:
        q = request.GET.get("q") or request.GET.get("code") or ""
        form = CheckInSearchForm({"q": q} if q else None)
        found = []
        if q and form.is_valid():
            found = check_in_search(user=request.user, event=self.event, q=form.cleaned_data["q"])
        return self.page(
            "events/check_in.html",
            form=form,
            found=found,
            searched=bool(q),
            q=q,
            seats=seats_of(event=self.event),
            arrived=registration_list(user=request.user, event=self.event)
            .filter(attended_at__isnull=False)
            .count(),
        )


class CheckInMarkView(EventMixin, View):
    permission_required = "events.check_in"

    def post(self, request: Any, cluster_slug: str, event_id: int, pk: int) -> HttpResponse:
        registration = get_object_or_404(
            registration_list(user=request.user, event=self.event), pk=pk
        )
        present = request.POST.get("present", "1") != "0"
        try:
            registration_check_in(actor=request.user, registration=registration, present=present)
            if present:
                messages.success(request, _("%(name)s is checked in.") % {"name": registration})
            else:
                messages.success(
                    request, _("%(name)s's check-in is undone.") % {"name": registration}
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("events:check_in", cluster_slug=self.cluster.slug, event_id=self.event.pk)
