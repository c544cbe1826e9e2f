"""A participant's agenda as files: iCalendar (one VEVENT per meeting, stable UIDs so a
calendar updates its entries when the schedule changes) and PDF (WeasyPrint)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from clusterdesk.brokerage.models import Meeting, Participant
from clusterdesk.brokerage.selectors import agenda_of
from clusterdesk.core.pdf import html_to_pdf


def meeting_uid(meeting: Meeting, participant: Participant) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "clusterdesk"
    other = meeting.other(participant)
    return f"meeting-{meeting.brokerage_id}-{participant.pk}-{other.pk}@{host}"


def agenda_ics(participant: Participant) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//ClusterDesk//Brokerage//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = participant.brokerage.event
    for meeting in agenda_of(participant=participant):
        other = meeting.other(participant)
        entry = CalendarEvent()
        entry.add("uid", meeting_uid(meeting, participant))
        entry.add("dtstamp", timezone.now())
        entry.add("dtstart", meeting.slot.starts_at)
        entry.add("dtend", meeting.slot.ends_at)
        entry.add(
            "summary",
            _("Meeting with %(name)s (%(organisation)s)")
            % {"name": other.name, "organisation": other.organisation_label},
        )
        location = _("Table %(table)s") % {"table": meeting.table}
        entry.add("location", f"{location}, {event.venue}" if event.venue else location)
        if other.headline:
            entry.add("description", other.headline)
        calendar.add_component(entry)
    return calendar.to_ical()


def agenda_pdf(participant: Participant) -> bytes:
    html = render_to_string(
        "brokerage/agenda_pdf.html",
        {
            "participant": participant,
            "event": participant.brokerage.event,
            "meetings": agenda_of(participant=participant),
        },
    )
    return html_to_pdf(html)
