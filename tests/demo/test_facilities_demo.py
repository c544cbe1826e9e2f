"""The demo's innovation centre: about twenty hosted SMEs, P2 and P3 labs, a bioproduction
suite, instruments, authorisations about to expire and expired, a year of bookings that
never overlap, monthly statements; and the centre's indicators read them."""

from __future__ import annotations

import datetime
from itertools import pairwise

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from clusterdesk.facilities.models import Authorisation, Booking, Resource, Statement
from clusterdesk.results.indicators import Scope, compute
from tests.demo.conftest import Built


@pytest.mark.django_db
def test_the_innovation_centre_is_generated(demo: Built) -> None:
    today = timezone.localdate()
    with scopes_disabled():
        kinds = set(Resource.objects.filter(cluster=demo.health).values_list("kind", flat=True))
        levels = set(
            Resource.objects.filter(cluster=demo.health).values_list("containment_level", flat=True)
        )
        expiring = Authorisation.objects.filter(
            valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=30)
        ).count()
        expired = Authorisation.objects.filter(valid_until__lt=today).count()
        months = Statement.objects.filter(cluster=demo.health).dates("month", "month")
        values = compute(
            Scope((demo.health.pk,), today - datetime.timedelta(days=365), today),
            [
                "hosted_companies",
                "facility_utilisation",
                "facility_revenue",
                "authorisations_expiring",
                "facility_occupancy",
            ],
        )
    assert {"office", "lab", "bioproduction", "equipment", "cleanroom"} <= kinds
    assert {"P2", "P3"} <= levels
    assert expiring > 0 and expired > 0
    assert len(months) == 12
    assert 18 <= values["hosted_companies"] <= 25
    assert values["authorisations_expiring"] == expiring
    assert 0 < values["facility_utilisation"] < 1
    assert 0 < values["facility_occupancy"] <= 1
    assert values["facility_revenue"] > 0


@pytest.mark.django_db
def test_demo_bookings_never_overlap(demo: Built) -> None:
    with scopes_disabled():
        rows = list(
            Booking.objects.filter(cluster=demo.health)
            .exclude(status=Booking.Status.CANCELLED)
            .order_by("resource_id", "start")
            .values_list("resource_id", "start", "end")
        )
    assert len(rows) > 1000
    for (r1, _s1, e1), (r2, s2, _e2) in pairwise(rows):
        assert r1 != r2 or e1 <= s2
