"""An organisation's events on its timeline (``crm.selectors.timeline_source_add``): one
entry per event its people registered for, with how many registered and came. Names stay
out of it: those who may read registrations open the event's list."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.core.links import page_path
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import TimelineItem, timeline_source_add
from clusterdesk.events.models import Event
from clusterdesk.events.rules import can_view_events, can_view_registrations
from clusterdesk.events.selectors import ACTIVE


def event_items(
    cluster: Cluster, organisation: Organisation, viewer: User
) -> Iterable[TimelineItem]:
    if not can_view_events.test(viewer, cluster):
        return
    linked = can_view_registrations.test(viewer, cluster)
    # One filter() call: both conditions hold for the same registration, and the counts
    # below reuse its join (the organisation's registrations that are not cancelled).
    events = (
        Event.objects.filter(
            cluster=cluster,
            registrations__organisation=organisation,
            registrations__status__in=ACTIVE,
        )
        .annotate(
            people=Count("registrations"),
            came=Count("registrations", filter=Q(registrations__attended_at__isnull=False)),
        )
        .order_by("-starts_at")
    )
    for event in events:
        detail = _("%(people)s registered") % {"people": event.people}
        if event.ends_at < timezone.now():
            detail += " · " + _("%(came)s came") % {"came": event.came}
        yield TimelineItem(
            date=timezone.localdate(event.starts_at),
            kind=f"event:{event.kind}",
            title=event.label,
            detail=f"{event.get_kind_display()} — {detail}",
            url=page_path("events.registrations", event=event) if linked else "",
        )


def register() -> None:
    timeline_source_add(event_items)
