"""The events of the demo: the annual convention with about 400 registrations within its
capacities, past events with their attendance, and the indicators that count them."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django_scopes import scopes_disabled

from clusterdesk.events.models import Event, Registration
from clusterdesk.results.indicators import compute
from clusterdesk.results.selectors import cluster_scope, drill_down_rows
from tests.demo.conftest import DEMO_DAY, Built


def test_the_convention_has_about_400_registrations_within_its_capacities(demo: Built) -> None:
    with scopes_disabled():
        convention = (
            Event.objects.filter(cluster=demo.health, kind="conference", starts_at__gt=DEMO_DAY)
            .order_by("starts_at")
            .first()
        )
        assert convention is not None and convention.is_public
        registrations = Registration.objects.filter(event=convention)
        assert 380 <= registrations.count() <= 400
        confirmed = registrations.filter(status="confirmed")
        assert confirmed.count() <= (convention.capacity or 0)
        for category in convention.categories.all():
            taken = confirmed.filter(category=category).count()
            assert category.capacity is None or taken <= category.capacity
        waiting = registrations.filter(status="waitlisted").order_by("waitlist_position")
        assert waiting.exists()
        positions = list(waiting.values_list("waitlist_position", flat=True))
        assert positions == list(range(1, len(positions) + 1))
        assert confirmed.filter(organisation__isnull=False, contact__isnull=False).count() > 200
        assert registrations.filter(organisation__isnull=True).exclude(organisation_name="")


def test_past_events_have_attendance_and_feed_the_indicators(demo: Built) -> None:
    with scopes_disabled():
        past = Event.objects.filter(cluster=demo.health, ends_at__lt=DEMO_DAY).annotate(
            came=Count("registrations", filter=Q(registrations__attended_at__isnull=False))
        )
        assert past.count() >= 3
        # A brokerage event counts the meetings held (its own demo), not check-ins.
        assert all(e.came > 0 for e in past if e.kind != Event.Kind.BROKERAGE)
        scope = cluster_scope(
            demo.health, DEMO_DAY.date() - datetime.timedelta(days=400), DEMO_DAY.date()
        )
        values = compute(scope, ["events_held", "event_registrations", "attendance_rate"])
        in_period = past.filter(starts_at__date__gte=scope.start)
        assert values["events_held"] == in_period.count() >= 3
        assert 0.5 < values["attendance_rate"] < 0.95  # type: ignore[operator]
        headers, records, row = drill_down_rows("attendance_rate", scope)
        assert "attended_at" in headers and records.count() > 0
        assert len(row(records.first())) == len(headers)
