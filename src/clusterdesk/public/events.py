"""An event's public page in French and English, with its registration form, and the page
where a person cancels their registration through the signed link of their e-mails.

The middleware opened the scope of the cluster named in the address; only public events
are found here (another is not found, like a missing one).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clusterdesk.core.errors import NotVisible
from clusterdesk.events.forms import RegistrationForm
from clusterdesk.events.models import Event, Registration
from clusterdesk.events.selectors import (
    categories_of,
    public_event,
    registration_by_cancel_code,
    registration_open,
    seats_of,
)
from clusterdesk.events.services.registrations import (
    registration_cancel_by_link,
    registration_create,
)
from clusterdesk.web.views import apply_service


def _event(request: HttpRequest, event_slug: str) -> Event:
    event = public_event(cluster=request.cluster, slug=event_slug)  # type: ignore[attr-defined]
    if event is None:
        raise Http404
    return event


@require_http_methods(["GET", "POST"])
def event_page(request: HttpRequest, public_cluster_slug: str, event_slug: str) -> HttpResponse:
    event = _event(request, event_slug)
    categories = categories_of(event=event, public=True)
    form = RegistrationForm(request.POST or None, categories=categories)
    status = 200
    if request.method == "POST":
        done: list[Registration] = []
        if form.is_valid() and apply_service(
            form,
            lambda: done.append(
                registration_create(
                    actor=request.user,
                    event=event,
                    language=get_language() or "fr",
                    **form.cleaned_data,
                )
            ),
        ):
            if done[0].status == Registration.Status.CONFIRMED:
                messages.success(
                    request,
                    _(
                        "Your registration is confirmed; an e-mail with the event for your "
                        "calendar is on its way."
                    ),
                )
            else:
                messages.info(
                    request,
                    _(
                        "The event is full: you are on the waitlist (position %(position)s); "
                        "we write to you as soon as a seat is free."
                    )
                    % {"position": done[0].waitlist_position},
                )
            return redirect(
                "public_events:event",
                public_cluster_slug=public_cluster_slug,
                event_slug=event.slug,
            )
        status = 400
    context = {
        "cluster": event.cluster,
        "event": event,
        "form": form,
        "open": registration_open(event=event),
        "seats": seats_of(event=event),
    }
    return render(request, "events/public_event.html", context, status=status)


@require_http_methods(["GET", "POST"])
def cancel_page(
    request: HttpRequest, public_cluster_slug: str, event_slug: str, code: str
) -> HttpResponse:
    registration = registration_by_cancel_code(code=code)
    if registration is None or registration.event.slug != event_slug:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            registration = registration_cancel_by_link(code=code)
        except NotVisible as exc:
            raise Http404 from exc
        except ValidationError as exc:
            error = " ".join(exc.messages)
    context = {
        "cluster": registration.event.cluster,
        "event": registration.event,
        "registration": registration,
        "error": error,
    }
    return render(request, "events/public_cancel.html", context, status=400 if error else 200)
