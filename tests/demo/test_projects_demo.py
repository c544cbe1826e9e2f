"""The labelling demo adds up to the source document's figures, computed from its records."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from importlib import resources

import pytest
from django.db.models import Count, Exists, OuterRef, Q, Sum

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Relationship
from clusterdesk.demo.world import HEALTH_CLUSTER, REGION_SLUG
from clusterdesk.projects.models import (
    Application,
    CommitteeSession,
    ExpertProfile,
    FundingApplication,
    FundingLine,
    Partner,
    Review,
)
from tests.demo.conftest import Built

S = Application.State
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped", "demo")]


def health() -> Cluster:
    return Cluster.objects.get(name=HEALTH_CLUSTER)


def funded_2005_2015(cluster: Cluster) -> object:
    granted = FundingApplication.objects.filter(
        application=OuterRef("pk"), status=FundingApplication.Status.GRANTED
    )
    return Application.objects.filter(
        cluster=cluster,
        state=S.LABELLED,
        label_date__gte=datetime.date(2005, 1, 1),
        label_date__lte=datetime.date(2015, 12, 31),
    ).filter(Exists(granted))


def test_health_cluster_funded_183_labelled_projects_from_2005_to_2015() -> None:
    projects = funded_2005_2015(health())
    assert projects.count() == 183  # type: ignore[attr-defined]
    investment = Partner.objects.filter(application__in=projects).aggregate(s=Sum("budget_eur"))
    aid = FundingLine.objects.filter(
        funding__application__in=projects, funding__status=FundingApplication.Status.GRANTED
    ).aggregate(s=Sum("granted_eur"))
    assert investment["s"] == Decimal(870_000_000)
    assert aid["s"] == Decimal(347_000_000)


def test_the_aid_is_spread_over_funders_and_years() -> None:
    projects = funded_2005_2015(health())
    funders = set(
        FundingApplication.objects.filter(application__in=projects, status="granted").values_list(
            "funder", flat=True
        )
    )
    assert funders == {"fui", "anr", "region", "bpifrance", "eu"}
    years = set(projects.values_list("label_date__year", flat=True))  # type: ignore[attr-defined]
    assert years == set(range(2005, 2016))
    # No partner is granted more than its budget, nor more than it asked for.
    for partner in Partner.objects.filter(application__in=projects).annotate(
        granted=Sum(
            "funding_lines__granted_eur", filter=Q(funding_lines__funding__status="granted")
        )
    ):
        granted = partner.granted or 0  # type: ignore[attr-defined]
        assert granted <= partner.requested_aid_eur <= partner.budget_eur


def test_health_cluster_goes_on_after_2015_with_projects_still_running() -> None:
    cluster = health()
    later = Application.objects.filter(cluster=cluster, state=S.LABELLED, label_date__year__gt=2015)
    assert later.count() > 100
    running = later.filter(project_status=Application.ProjectStatus.RUNNING)
    assert running.exists()
    assert all(a.start_date and a.end_date and a.start_date < a.end_date for a in running)
    states = set(Application.objects.filter(cluster=cluster).values_list("state", flat=True))
    assert {S.NOT_LABELLED, S.REVISE, S.DRAFT} <= states


def test_labelled_projects_carry_number_code_and_session() -> None:
    labelled = Application.objects.filter(state=S.LABELLED)
    assert not labelled.filter(
        Q(label_number="") | Q(label_code=None) | Q(label_date=None)
    ).exists()
    assert not labelled.filter(committee_session=None).exists()
    first = labelled.filter(cluster=health()).order_by("label_date", "label_number").first()
    assert first is not None and first.label_number.endswith(f"-{first.label_date.year}-001")
    assert not Application.objects.exclude(state=S.LABELLED).exclude(label_code=None).exists()


def test_every_consortium_has_exactly_one_coordinator() -> None:
    coordinators = Count("partners", filter=Q(partners__role=Partner.Role.COORDINATOR))
    assert not Application.objects.annotate(n=coordinators).exclude(n=1).exists()
    # Mostly SMEs lead, and a research partner is in most consortia.
    apps = Application.objects.filter(cluster=health())
    research = ("research_org", "higher_education", "hospital")
    with_research = apps.filter(partners__organisation__kind__in=research).distinct().count()
    sme_led = apps.filter(
        partners__role="coordinator", partners__organisation__kind__in=("pme", "tpe", "startup")
    ).count()
    assert with_research > 0.7 * apps.count()
    assert sme_led > 0.6 * apps.count()


def test_consortia_are_the_clusters_organisations() -> None:
    outside = Partner.objects.exclude(
        Exists(
            Relationship.objects.filter(
                cluster=OuterRef("cluster"), organisation=OuterRef("organisation")
            )
        )
    )
    assert not outside.exists()


def test_the_other_clusters_label_about_350_projects_a_year() -> None:
    last_full_year = datetime.date.today().year - 1
    others = Application.objects.filter(
        cluster__region__slug=REGION_SLUG, state=S.LABELLED, label_date__year=last_full_year
    ).exclude(cluster=health())
    assert 300 <= others.count() <= 400


def test_the_region_takes_20_to_25_percent_of_each_national_fui_round() -> None:
    text = resources.files("clusterdesk.demo").joinpath("data", "fui_rounds.csv")
    rounds = list(csv.DictReader(text.read_text("utf-8").splitlines()))
    assert len(rounds) > 20
    for row in rounds:
        grants = FundingApplication.objects.filter(
            cluster__region__slug=REGION_SLUG,
            funder="fui",
            status="granted",
            programme=f"FUI {row['round']}",
        ).count()
        share = grants / int(row["projects_funded"])
        assert 0.20 <= share <= 0.25, (row["round"], grants)


def test_experts_reviewed_and_committees_sat() -> None:
    cluster = health()
    account = ExpertProfile.objects.get(cluster=cluster, user__email="expert@lyonbiopole.test")
    assert ExpertProfile.objects.filter(cluster=cluster).count() > 10
    assert Review.objects.filter(assignment__expert=account, submitted_at__isnull=False).exists()
    reviewed = Application.objects.filter(
        cluster=cluster, state__in=[S.LABELLED, S.NOT_LABELLED], assignments__review__isnull=False
    ).distinct()
    decided = Application.objects.filter(cluster=cluster, state__in=[S.LABELLED, S.NOT_LABELLED])
    assert reviewed.count() == decided.count()
    seated = CommitteeSession.objects.filter(cluster=cluster, date__lt=datetime.date.today())
    assert not seated.annotate(n=Count("members")).filter(n__lt=5).exists()
    assert seated.filter(members__email="comite@lyonbiopole.test").exists()


def test_the_demo_is_reproducible_for_a_seed(built: Built) -> None:
    assert built.first == built.second
