"""Events: list, detail, create, change."""

# No ``from __future__ import annotations``: django-ninja reads the handlers' annotations.
import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import Pagination, actor_of, cluster_of, get_or_404, require, sent
from clusterdesk.api.events.schemas import EventCreateIn, EventFilterIn, EventOut, EventPatchIn
from clusterdesk.events.models import Event
from clusterdesk.events.selectors import event_list, events_of
from clusterdesk.events.services.events import event_create, event_update

router = Router(tags=["events"])
VIEW = "events.view_events"
BASE = "/clusters/{cluster_slug}"
MOMENTS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


def aware(values: dict[str, Any]) -> dict[str, Any]:
    """Times sent without an offset are the cluster's local time."""
    for name in MOMENTS:
        value = values.get(name)
        if isinstance(value, datetime.datetime) and timezone.is_naive(value):
            values[name] = timezone.make_aware(value)
    return values


@router.get(
    f"{BASE}/events",
    response=list[EventOut],
    url_name="events_event_list",
    summary="Events, the latest first (``when``: coming or past)",
)
@paginate(Pagination)
def event_list_view(
    request: HttpRequest, cluster_slug: str, filters: Query[EventFilterIn]
) -> QuerySet[Event]:
    require(request, VIEW)
    return event_list(cluster=cluster_of(request), when=filters.when)


@router.get(
    f"{BASE}/events/{{event_id}}",
    response=EventOut,
    url_name="events_event_detail",
    summary="One event, with its confirmed and waitlisted counts",
)
def event_detail(request: HttpRequest, cluster_slug: str, event_id: int) -> Any:
    require(request, VIEW)
    return get_or_404(events_of(cluster=cluster_of(request)), event_id)


@router.post(
    f"{BASE}/events",
    response={201: EventOut},
    url_name="events_event_create",
    summary="Create an event (event staff)",
)
def event_create_view(request: HttpRequest, cluster_slug: str, payload: EventCreateIn) -> Any:
    cluster = cluster_of(request)
    event = event_create(actor=actor_of(request), cluster=cluster, **aware(sent(payload)))
    return Status(201, events_of(cluster=cluster).get(pk=event.pk))


@router.patch(
    f"{BASE}/events/{{event_id}}",
    response=EventOut,
    url_name="events_event_update",
    summary="Change an event (event staff); a capacity below the confirmed count is refused",
)
def event_update_view(
    request: HttpRequest, cluster_slug: str, event_id: int, payload: EventPatchIn | None = None
) -> Any:
    require(request, VIEW)
    cluster = cluster_of(request)
    event = get_or_404(events_of(cluster=cluster), event_id)
    event_update(actor=actor_of(request), event=event, **aware(sent(payload)))
    return events_of(cluster=cluster).get(pk=event.pk)
