from __future__ import annotations

import pytest
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster, ClusterRole, Domain, Region, Theme
from clusterdesk.core.roles import Role
from clusterdesk.demo.build import DEMO_PASSWORD, demo_accounts
from clusterdesk.demo.world import HEALTH_CLUSTER
from tests.demo.conftest import Built


@pytest.mark.django_db
def test_demo_builds_the_region_with_its_13_poles(demo: Built) -> None:
    region = Region.objects.get(slug="auvergne-rhone-alpes")
    clusters = Cluster.objects.filter(region=region)
    assert clusters.count() == 13
    assert clusters.filter(state_label=Cluster.StateLabel.NEW).count() == 1  # Infr@2050
    assert clusters.filter(seat_city="Grenoble").count() == 2


@pytest.mark.django_db
def test_health_cluster_is_fully_described(demo: Built) -> None:
    health = Cluster.objects.get(name=HEALTH_CLUSTER)
    assert health.founded_year == 2005
    with scope(cluster=health):
        assert Domain.objects.count() == 4
        themes = {t.name_en: t.since_year for t in Theme.objects.all()}
        roles = set(ClusterRole.objects.values_list("role", flat=True))
    assert themes == {"Infectious diseases": 2005, "Cancer": 2013, "Metabolic diseases": 2013}
    assert roles == set(Role.values)


@pytest.mark.django_db
def test_every_cluster_has_a_director_and_the_funder_reads_the_region(demo: Built) -> None:
    with scopes_disabled():
        directed = set(
            ClusterRole.objects.filter(role=Role.DIRECTOR).values_list("cluster_id", flat=True)
        )
    assert directed == set(Cluster.objects.values_list("pk", flat=True))
    funder = User.objects.get(email="region@auvergnerhonealpes.test")
    assert all(funder.has_perm("core.view_cluster", c) for c in Cluster.objects.all())
    assert not any(funder.has_perm("core.change_cluster", c) for c in Cluster.objects.all())


@pytest.mark.django_db
def test_demo_accounts_sign_in_with_the_printed_password(demo: Built) -> None:
    for email, _what in demo_accounts():
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD), email
