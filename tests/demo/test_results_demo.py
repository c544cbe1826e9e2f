"""The demo tells the source document's ten-year story from its records."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from clusterdesk.core.models import Cluster
from clusterdesk.demo.world import HEALTH_CLUSTER
from clusterdesk.results.indicators import Scope, compute
from clusterdesk.results.models import NationalFundingRound, RegionGrant
from tests.demo.conftest import Built

D = datetime.date


@pytest.mark.django_db
def test_ten_years_add_up_to_the_source_document(demo: Built) -> None:
    health = Cluster.objects.get(name=HEALTH_CLUSTER)
    with scopes_disabled():
        v = compute(Scope((health.pk,), D(2005, 1, 1), D(2015, 12, 31)))
    assert v["projects_funded"] == 183
    assert v["investment_eur"] == Decimal(870_000_000)
    assert v["public_aid_eur"] == Decimal(347_000_000)
    assert (v["patents"], v["clinical_trials"], v["startups_created"]) == (153, 21, 15)
    assert v["jobs_created"] == Decimal(405)


@pytest.mark.django_db
def test_the_region_grants_15_million_a_year(demo: Built) -> None:
    with scopes_disabled():
        years = {g.year for g in RegionGrant.objects.all()}
        for year in (2005, 2015, max(years)):
            total = sum(g.amount_eur for g in RegionGrant.objects.filter(year=year))
            assert total == Decimal(15_000_000), year
    assert NationalFundingRound.objects.exists()
