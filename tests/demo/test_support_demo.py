"""The demo's SME support: about a hundred cases a year in the health cluster, companies
moving through the stages, experts with missions, funds raised, about twenty companies
hosted; the pages and the indicators read them."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.core.models import ClusterRole
from clusterdesk.core.roles import Role
from clusterdesk.demo.members.figures import MEMBER_EMAIL
from clusterdesk.results.indicators import Scope, compute
from clusterdesk.support.choices import STAGE_ORDER
from clusterdesk.support.models import CaseOutcome, Expert, Mission, StagePeriod, SupportCase
from clusterdesk.support.selectors.cases import support_cases_visible_to
from clusterdesk.support.selectors.pipeline import cohorts, stage_conversions
from tests.conftest import client_for
from tests.demo.conftest import Built

D = datetime.date


@pytest.mark.django_db
def test_about_a_hundred_cases_a_year(demo: Built) -> None:
    with scopes_disabled():
        years = Counter(
            SupportCase.objects.filter(cluster=demo.health, opened_on__year__lt=2026).values_list(
                "opened_on__year", flat=True
            )
        )
    assert min(years) == 2010
    assert all(85 <= n <= 115 for n in years.values()), years


@pytest.mark.django_db
def test_companies_move_forward_through_the_stages(demo: Built) -> None:
    with scopes_disabled():
        moves = StagePeriod.objects.filter(cluster=demo.health, left_on__isnull=False).count()
        by_company: dict[int, list[tuple[datetime.date, str]]] = {}
        for org, opened, stage in SupportCase.objects.filter(cluster=demo.health).values_list(
            "organisation_id", "opened_on", "stage"
        ):
            by_company.setdefault(org, []).append((opened, stage))
        conversions = stage_conversions(cluster=demo.health)
        groups = cohorts(cluster=demo.health)
    assert moves > 300
    # A company's stage never goes back from one case to the next.
    for rows in by_company.values():
        ranks = [STAGE_ORDER[s] for _d, s in sorted(rows)]
        assert ranks == sorted(ranks)
    assert all(c.entered >= c.went_on for c in conversions) and conversions[0].went_on > 0
    assert groups[-1].year == 2010 and sum(groups[-1].by_stage.values()) == groups[-1].companies


@pytest.mark.django_db
def test_experts_missions_funds_and_hosted_companies(demo: Built) -> None:
    with scopes_disabled():
        experts = Expert.objects.filter(cluster=demo.health)
        assert 24 <= experts.count() <= 48
        assert Mission.objects.filter(cluster=demo.health).count() > 300
        hosted = CaseOutcome.objects.filter(cluster=demo.health, kind="hosted")
        assert 15 <= hosted.values("case__organisation").distinct().count() <= 20
        values = compute(Scope((demo.health.pk,), D(2010, 1, 1), D(2025, 12, 31)))
    assert values["funds_raised_eur"] > 100_000_000
    assert values["support_cases_opened"] > 1400
    assert 0 < values["support_cases_closed"] < values["support_cases_opened"]


@pytest.mark.django_db
def test_the_demo_expert_and_member_see_their_cases(demo: Built) -> None:
    with scopes_disabled():
        expert = User.objects.get(
            pk=ClusterRole.objects.filter(cluster=demo.health, role=Role.EXPERT).values("user")[:1]
        )
        member = User.objects.get(email=MEMBER_EMAIL)  # the demo's member account
    with scope(cluster=demo.health):
        assert support_cases_visible_to(user=expert, cluster=demo.health).exists()
        mine = support_cases_visible_to(user=member, cluster=demo.health)
        assert mine.filter(status="requested").exists()


@pytest.mark.django_db
def test_the_support_pages_read_the_demo(demo: Built) -> None:
    with scopes_disabled():
        director = User.objects.get(
            pk=ClusterRole.objects.filter(cluster=demo.health, role=Role.DIRECTOR).values("user")[
                :1
            ]
        )
        case = SupportCase.objects.filter(cluster=demo.health, missions__isnull=False).first()
    client = client_for(director)
    slug = demo.health.slug
    for name in (
        "support:cases",
        "support:pipeline",
        "support:pipeline_figures",
        "support:experts",
        "support:programmes",
    ):
        assert client.get(reverse(name, args=[slug])).status_code == 200, name
    assert case is not None
    page = client.get(reverse("support:case", args=[slug, case.pk]))
    assert page.status_code == 200 and page.context["programmes"] is not None
