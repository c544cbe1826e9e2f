"""An event's registrations: list, register, cancel (the waitlist is promoted at once)."""

# No ``from __future__ import annotations``: django-ninja reads the handlers' annotations.
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import (
    Pagination,
    actor_of,
    cluster_of,
    get_or_404,
    referenced,
    require,
    sent,
)
from clusterdesk.api.events.schemas import (
    RegistrationCreateIn,
    RegistrationFilterIn,
    RegistrationOut,
)
from clusterdesk.events.models import Event, Registration
from clusterdesk.events.selectors import categories_of, events_of, registration_list
from clusterdesk.events.services.registrations import registration_cancel, registration_create

router = Router(tags=["events"])
VIEW = "events.view_registrations"
EVENT = "/clusters/{cluster_slug}/events/{event_id}"


def _event(request: HttpRequest, event_id: int) -> Event:
    return get_or_404(events_of(cluster=cluster_of(request)), event_id)


@router.get(
    f"{EVENT}/registrations",
    response=list[RegistrationOut],
    url_name="events_registration_list",
    summary="An event's registrations, by name",
)
@paginate(Pagination)
def registration_list_view(
    request: HttpRequest, cluster_slug: str, event_id: int, filters: Query[RegistrationFilterIn]
) -> QuerySet[Registration]:
    require(request, VIEW)
    return registration_list(
        user=request.user,
        event=_event(request, event_id),
        status=filters.status or "",
        q=filters.q,
    )


@router.post(
    f"{EVENT}/registrations",
    response={201: RegistrationOut},
    url_name="events_registration_create",
    summary=(
        "Register someone: 201 with the status, confirmed or waitlisted; the same e-mail "
        "twice for one event is a 409 naming the first registration"
    ),
)
def registration_create_view(
    request: HttpRequest, cluster_slug: str, event_id: int, payload: RegistrationCreateIn
) -> Any:
    event = _event(request, event_id)
    values = sent(payload, exclude={"category"})
    category = None
    if payload.category is not None:
        category = referenced(
            categories_of(event=event),
            payload.category,
            field="category",
            message=_("The event has no category no. %(id)s."),
        )
    registration = registration_create(
        actor=actor_of(request), event=event, category=category, **values
    )
    return Status(201, registration)


@router.get(
    f"{EVENT}/registrations/{{registration_id}}",
    response=RegistrationOut,
    url_name="events_registration_detail",
    summary="One registration",
)
def registration_detail(
    request: HttpRequest, cluster_slug: str, event_id: int, registration_id: int
) -> Any:
    require(request, VIEW)
    event = _event(request, event_id)
    return get_or_404(registration_list(user=request.user, event=event), registration_id)


@router.delete(
    f"{EVENT}/registrations/{{registration_id}}",
    response={204: None},
    url_name="events_registration_cancel",
    summary="Cancel a registration; the first person waiting is promoted in the same transaction",
)
def registration_cancel_view(
    request: HttpRequest, cluster_slug: str, event_id: int, registration_id: int
) -> Any:
    event = _event(request, event_id)
    registration = get_or_404(registration_list(user=request.user, event=event), registration_id)
    registration_cancel(actor=actor_of(request), registration=registration)
    return Status(204, None)
