from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.models import ClusterRole, User
from clusterdesk.core.models import Cluster, Domain, Region, Theme
from clusterdesk.core.roles import Role
from clusterdesk.demo import DEMO_PASSWORD, build_demo, demo_accounts
from clusterdesk.demo.world import HEALTH_CLUSTER


def test_demo_builds_the_region_with_its_13_poles(db: None) -> None:
    build_demo()
    region = Region.objects.get(slug="auvergne-rhone-alpes")
    clusters = Cluster.objects.filter(region=region)
    assert clusters.count() == 13
    assert clusters.filter(state_label=Cluster.StateLabel.NEW).count() == 1  # Infr@2050
    assert clusters.filter(seat_city="Grenoble").count() == 2


def test_health_cluster_is_fully_described(db: None) -> None:
    build_demo()
    health = Cluster.objects.get(name=HEALTH_CLUSTER)
    assert health.founded_year == 2005
    with scope(cluster=health):
        assert Domain.objects.count() == 4
        themes = {t.name_en: t.since_year for t in Theme.objects.all()}
        roles = set(ClusterRole.objects.values_list("role", flat=True))
    assert themes == {"Infectious diseases": 2005, "Cancer": 2013, "Metabolic diseases": 2013}
    assert roles == set(Role.values)


def test_every_cluster_has_a_director_and_the_funder_reads_the_region(db: None) -> None:
    build_demo()
    with scopes_disabled():
        directed = set(
            ClusterRole.objects.filter(role=Role.DIRECTOR).values_list("cluster_id", flat=True)
        )
    assert directed == set(Cluster.objects.values_list("pk", flat=True))
    funder = User.objects.get(email="region@auvergnerhonealpes.test")
    assert all(funder.has_perm("core.view_cluster", c) for c in Cluster.objects.all())
    assert not any(funder.has_perm("core.change_cluster", c) for c in Cluster.objects.all())


def test_demo_accounts_sign_in_with_the_printed_password(db: None) -> None:
    build_demo()
    for email, _what in demo_accounts():
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD), email


def _people_of_a_demo(seed: int) -> list[tuple[str, str]]:
    """Build a demo, read its people, and roll it back (flush fails inside a test's
    transaction on PostgreSQL)."""
    with transaction.atomic():
        build_demo(seed=seed)
        people = list(User.objects.order_by("email").values_list("email", "full_name"))
        transaction.set_rollback(True)
    return people


def test_demo_is_reproducible_for_a_seed(db: None) -> None:
    assert _people_of_a_demo(7) == _people_of_a_demo(7)
    assert not User.objects.exists()


def test_national_scale_adds_the_other_poles(db: None) -> None:
    build_demo(scale="national")
    assert Cluster.objects.count() > 40
    assert Cluster.objects.filter(name="Aerospace Valley").exists()


def test_demo_command_prints_accounts_and_is_idempotent(db: None) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert text.count("direction@lyonbiopole.test") == 2
    assert "already built" in text
    assert DEMO_PASSWORD in text
    assert Cluster.objects.count() == 13
