"""The events' indicators (``results.indicators``), each with the records it counts:

- ``events_held``: events that started in the period and have ended;
- ``event_registrations``: registrations (confirmed or waitlisted, not cancelled) for the
  events that start in the period;
- ``attendance_rate``: among the confirmed registrations of the events held in the period,
  the share of people who were checked in.

The organisation-kind filter of a scope applies to the registrants' organisations.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterdesk.events.models import Event, Registration
from clusterdesk.results.indicators import Indicator, Scope, register
from clusterdesk.results.rules import DRILL_DOWN_PERMISSIONS
from clusterdesk.results.selectors import drill_down_table_register

GROUP = "events"


def _moments(scope: Scope) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(scope.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def events_held(scope: Scope) -> QuerySet[Event]:
    start, end = _moments(scope)
    qs = Event.objects.filter(
        cluster_id__in=scope.cluster_ids,
        starts_at__gte=start,
        starts_at__lt=end,
        ends_at__lt=timezone.now(),
    )
    if scope.kind:
        qs = qs.filter(registrations__organisation__kind=scope.kind).distinct()
    return qs


def registrations(scope: Scope) -> QuerySet[Registration]:
    start, end = _moments(scope)
    qs = Registration.objects.filter(
        cluster_id__in=scope.cluster_ids,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
    ).exclude(status=Registration.Status.CANCELLED)
    if scope.kind:
        qs = qs.filter(organisation__kind=scope.kind)
    return qs


def confirmed_at_held_events(scope: Scope) -> QuerySet[Registration]:
    return registrations(scope).filter(
        status=Registration.Status.CONFIRMED, event__ends_at__lt=timezone.now()
    )


def _attendance_rate(scope: Scope) -> float | None:
    qs = confirmed_at_held_events(scope)
    expected = qs.count()
    if not expected:
        return None
    return round(qs.filter(attended_at__isnull=False).count() / expected, 4)


def _event_table(records: QuerySet[Any]) -> tuple[list[str], QuerySet[Any], Any]:
    records = records.order_by("starts_at", "pk")
    return (
        ["title", "kind", "starts_at", "venue", "capacity"],
        records,
        lambda e: [e.title, e.get_kind_display(), e.starts_at, e.venue, e.capacity],
    )


def _registration_table(records: QuerySet[Any]) -> tuple[list[str], QuerySet[Any], Any]:
    records = records.select_related("event", "organisation").order_by("event__starts_at", "pk")
    return (
        ["event", "last_name", "first_name", "organisation", "status", "attended_at"],
        records,
        lambda r: [
            r.event.title,
            r.last_name,
            r.first_name,
            str(r.organisation) if r.organisation_id else r.organisation_name,
            r.get_status_display(),
            r.attended_at,
        ],
    )


def register_all() -> None:
    DRILL_DOWN_PERMISSIONS[GROUP] = "events.view_registrations"
    drill_down_table_register(Event, _event_table)
    drill_down_table_register(Registration, _registration_table)
    register(
        Indicator(
            "events_held",
            _("Events held"),
            "count",
            lambda s: events_held(s).count(),
            events_held,
            GROUP,
        )
    )
    register(
        Indicator(
            "event_registrations",
            _("Event registrations"),
            "count",
            lambda s: registrations(s).count(),
            registrations,
            GROUP,
        )
    )
    register(
        Indicator(
            "attendance_rate",
            _("Attendance rate at events"),
            "ratio",
            _attendance_rate,
            confirmed_at_held_events,
            GROUP,
        )
    )
