"""The iCalendar file (RFC 5545) sent with a confirmation, through the ``icalendar``
package: one VEVENT with a stable UID, so that a calendar updates the entry it already has
when a later e-mail (a promotion from the waitlist) brings it again."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from clusterdesk.events.models import Event


def event_uid(event: Event) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "clusterdesk"
    return f"event-{event.pk}@{host}"


def event_ics(event: Event, *, url: str = "", cancelled: bool = False) -> bytes:
    """The event as an iCalendar file (a cancellation when ``cancelled``)."""
    calendar = Calendar()
    calendar.add("prodid", "-//ClusterDesk//Events//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.label)
    if event.venue:
        entry.add("location", event.venue)
    if event.description_label:
        entry.add("description", event.description_label)
    if url:
        entry.add("url", url)
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(entry)
    return calendar.to_ical()
