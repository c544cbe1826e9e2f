"""The demo's world holds together: every cluster of the region has its membership history,
a cluster labelled late has no grant or rating before it existed, and reviews agree with
their scores (issue 15, point 22)."""

from __future__ import annotations

import datetime

from django.db.models import Min
from django_scopes import scopes_disabled

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Membership
from clusterdesk.demo.world import REGION_SLUG
from clusterdesk.projects.models import Application, Review
from clusterdesk.projects.selectors.reviews import weighted_score
from clusterdesk.results.indicators import Scope, compute
from clusterdesk.results.models import RegionGrant, StateRating
from tests.demo.conftest import DEMO_DAY, Built

D = datetime.date


def regional() -> list[Cluster]:
    return list(Cluster.objects.filter(region__slug=REGION_SLUG).order_by("name"))


def test_every_cluster_of_the_region_has_its_membership_history(built: Built, db: None) -> None:
    with scopes_disabled():
        clusters = regional()
        first = dict(
            Membership.objects.filter(cluster__in=clusters)
            .values_list("cluster_id")
            .annotate(first=Min("year"))
        )
        years = {
            c.pk: set(Membership.objects.filter(cluster=c).values_list("year", flat=True))
            for c in clusters
        }
        ten_years = compute(
            Scope(tuple(c.pk for c in clusters), D(2005, 1, 1), D(2015, 12, 31)), ["members"]
        )["members"]
        health_only = compute(
            Scope((built.health.pk,), D(2005, 1, 1), D(2015, 12, 31)), ["members"]
        )["members"]
    for cluster in clusters:
        assert cluster.founded_year, cluster
        # Members from the founding year on, every year until this one.
        assert first[cluster.pk] == cluster.founded_year, cluster
        assert set(range(cluster.founded_year, DEMO_DAY.year + 1)) <= years[cluster.pk], cluster
    # The region's first ten years count every cluster's members, not the health cluster's.
    assert ten_years > 5 * health_only


def test_a_cluster_labelled_late_has_nothing_before_it_existed(built: Built, db: None) -> None:
    with scopes_disabled():
        late = [c for c in regional() if c.state_label == Cluster.StateLabel.NEW]
        assert [c.name for c in late] == ["Infr@2050"]
        cluster = late[0]
        assert cluster.founded_year == 2023
        grants = set(RegionGrant.objects.filter(cluster=cluster).values_list("year", flat=True))
        before = RegionGrant.objects.filter(year__lt=cluster.founded_year)
        assert grants == set(range(2023, DEMO_DAY.year + 1))
        assert not before.filter(cluster=cluster).exists()
        assert not StateRating.objects.filter(cluster=cluster).exists()  # phases III and IV
        assert not Membership.objects.filter(cluster=cluster, year__lt=2023).exists()
        # Its first call opened in the autumn before its first year's committee.
        assert not Application.objects.filter(cluster=cluster, created_at__year__lt=2022).exists()
        assert not Application.objects.filter(cluster=cluster, label_date__year__lt=2023).exists()
        # The Region's 15 M€ of those years went to the clusters that existed.
        assert before.values("cluster").distinct().count() == len(regional()) - 1


def test_reviews_agree_with_their_scores(built: Built, db: None) -> None:
    with scopes_disabled():
        reviews = (
            Review.objects.filter(submitted_at__isnull=False)
            .select_related("assignment__application__call")
            .prefetch_related("scores__criterion")
        )
        by_recommendation: dict[str, list[float]] = {"label": [], "revise": [], "reject": []}
        for review in reviews:
            score = weighted_score(review)
            assert score is not None, review
            share = score / review.assignment.application.call.score_max
            by_recommendation[review.recommendation].append(share)
    assert all(by_recommendation.values())
    # A better score never gets a worse recommendation: no "do not label" at 4.30/5.
    assert min(by_recommendation["label"]) > max(by_recommendation["revise"])
    assert min(by_recommendation["revise"]) > max(by_recommendation["reject"])
    assert max(by_recommendation["reject"]) < 0.6
