from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.services import api_token_create
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Membership
from clusterdesk.projects.models import Application, FundingApplication, FundingLine
from clusterdesk.results.indicators import REGISTRY, Scope, compute, yearly
from clusterdesk.results.models import Outcome
from tests.conftest import Tenant
from tests.factories import ClusterFactory, OrganisationFactory, application, follow

D = datetime.date


def labelled_project(
    cluster: object, day: D, budget: int, aid: int | None, funder: str = "fui", acronym: str = "P"
) -> Application:
    """A labelled project of two partners (half the budget each); ``aid`` granted, if any."""
    sme = OrganisationFactory(kind="pme", headcount_band="12")
    lab = OrganisationFactory(kind="research_org")
    app = application(
        cluster,
        state="labelled",
        label_date=day,
        acronym=acronym,
        partners=((sme, "coordinator"), (lab, "partner")),
    )
    app.partners.update(budget_eur=budget // 2)
    if aid is not None:
        funding = FundingApplication.objects.create(
            cluster=cluster, application=app, funder=funder, status="granted", decided_on=day
        )
        first = app.partners.first()
        FundingLine.objects.create(cluster=cluster, funding=funding, partner=first, granted_eur=aid)
    return app


@pytest.fixture
def world(tenant_a: Tenant, tenant_b: Tenant) -> dict[str, Application]:
    with scopes_disabled():
        a = tenant_a.cluster
        p1 = labelled_project(a, D(2010, 1, 1), 2_000_000, 800_000, "fui", "P1")
        p2 = labelled_project(a, D(2010, 12, 31), 1_000_000, 300_000, "anr", "P2")
        labelled_project(a, D(2011, 1, 1), 5_000_000, 1_000_000, "fui", "LATE")
        labelled_project(a, D(2010, 6, 1), 3_000_000, None, acronym="UNFUNDED")
        labelled_project(tenant_b.cluster, D(2010, 6, 1), 9_000_000, 4_000_000, acronym="B")
        for kind, extra in (
            ("patent", {}),
            ("patent", {}),
            ("jobs", {"fte": Decimal("7.5")}),
            ("jobs", {"fte": Decimal("2.5")}),
            ("startup", {}),
        ):
            Outcome.objects.create(
                cluster=a,
                application=p1,
                kind=kind,
                date=D(2010, 5, 1),
                title=kind,
                state="validated",
                **extra,
            )
        Outcome.objects.create(
            cluster=a,
            application=p2,
            kind="patent",
            date=D(2010, 5, 1),
            title="declared only",
            state="declared",
        )
        Outcome.objects.create(
            cluster=a,
            application=p2,
            kind="patent",
            date=D(2011, 5, 1),
            title="next year",
            state="validated",
        )
        sme, big = (
            OrganisationFactory(kind="pme"),
            OrganisationFactory(kind="large_company", headcount_band="53"),
        )
        for org in (sme, big):
            follow(a, org)
            Membership.objects.create(cluster=a, organisation=org, year=2010, status="active")
        Membership.objects.create(cluster=a, organisation=big, year=2009, status="active")
        follow(tenant_b.cluster, sme)
        Membership.objects.create(
            cluster=tenant_b.cluster, organisation=sme, year=2010, status="active"
        )
    return {"p1": p1, "p2": p2}


def test_indicator_values_on_hand_made_data(tenant_a: Tenant, world: dict) -> None:
    with scope(cluster=tenant_a.cluster):
        v = compute(Scope((tenant_a.cluster.pk,), D(2010, 1, 1), D(2010, 12, 31)))
    assert v["projects_labelled"] == 3  # both ends of the year included; 2011 excluded
    assert v["projects_funded"] == 2
    assert v["investment_eur"] == Decimal(3_000_000)
    assert v["public_aid_eur"] == Decimal(1_100_000)
    assert v["leverage"] == pytest.approx(3_000_000 / 1_100_000, rel=1e-3)
    assert v["funding_rate"] == pytest.approx(2 / 3, rel=1e-3)
    assert v["aid_by_funder"] == {"anr": Decimal(300_000), "fui": Decimal(800_000)}
    assert v["patents"] == 2  # validated only, in the period
    assert v["jobs_created"] == Decimal(10)
    assert v["startups_created"] == 1
    # One unit per figure: the breakdown counts outcomes, never the job records (in FTE).
    assert v["outcomes_by_kind"] == {"patent": 2, "startup": 1}
    assert v["members"] == 2 and v["sme_members"] == 1 and v["sme_share"] == 0.5
    assert v["members_joined"] == 1 and v["members_left"] == 0


def test_period_boundaries_move_projects_between_years(tenant_a: Tenant, world: dict) -> None:
    with scope(cluster=tenant_a.cluster):
        series = yearly(
            Scope((tenant_a.cluster.pk,), D(2010, 1, 1), D(2011, 12, 31)), "projects_labelled"
        )
        after = compute(
            Scope((tenant_a.cluster.pk,), D(2010, 12, 31), D(2011, 1, 1)), ["projects_labelled"]
        )
    assert series == [(2010, 3), (2011, 1)]
    assert after["projects_labelled"] == 2  # P2 on the 31st and LATE on the 1st


def test_filters_by_funder_and_kind(tenant_a: Tenant, world: dict) -> None:
    with scope(cluster=tenant_a.cluster):
        fui = compute(
            Scope((tenant_a.cluster.pk,), D(2010, 1, 1), D(2010, 12, 31), funder="fui"),
            ["projects_funded", "public_aid_eur"],
        )
        big = compute(
            Scope((tenant_a.cluster.pk,), D(2010, 1, 1), D(2010, 12, 31), kind="large_company"),
            ["members", "projects_labelled"],
        )
    assert fui == {"projects_funded": 1, "public_aid_eur": Decimal(800_000)}
    assert big == {"members": 1, "projects_labelled": 0}


def test_region_counts_shared_members_once(tenant_a: Tenant, tenant_b: Tenant, world: dict) -> None:
    with scopes_disabled():
        both = (tenant_a.cluster.pk, tenant_b.cluster.pk)
        v = compute(
            Scope(both, D(2010, 1, 1), D(2010, 12, 31)),
            ["members", "shared_members", "projects_labelled"],
        )
    assert v == {"members": 2, "shared_members": 1, "projects_labelled": 4}


def test_query_count_does_not_grow_with_the_data(
    tenant_a: Tenant, world: dict, django_assert_max_num_queries: object
) -> None:
    scope_ = Scope((tenant_a.cluster.pk,), D(2010, 1, 1), D(2010, 12, 31))
    with scope(cluster=tenant_a.cluster):
        with django_assert_max_num_queries(len(REGISTRY) + 5):  # type: ignore[operator]
            compute(scope_)
        with scopes_disabled():
            for n in range(10):
                labelled_project(tenant_a.cluster, D(2010, 3, 1), 100, 10, acronym=f"X{n}")
        with django_assert_max_num_queries(len(REGISTRY) + 5):  # type: ignore[operator]
            compute(scope_)


def _get(user: object, url: str) -> object:
    _token, raw = api_token_create(user=user, name="t")  # type: ignore[arg-type]
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_indicators_endpoint(tenant_a: Tenant, world: dict) -> None:
    url = f"/api/v1/clusters/{tenant_a.cluster.slug}/indicators?from=2010-01-01&to=2010-12-31"
    body = _get(tenant_a.people[Role.FINANCE], url).json()  # type: ignore[attr-defined]
    assert body["from"] == "2010-01-01"
    assert body["indicators"]["projects_labelled"]["value"] == 3
    for name in (
        "projects_labelled",
        "projects_funded",
        "investment_eur",
        "public_aid_eur",
        "patents",
        "clinical_trials",
        "jobs_created",
        "startups_created",
        "members",
        "sme_members",
    ):
        assert name in body["indicators"]
    bad = _get(tenant_a.director, url.replace("2010-12-31", "2009-01-01"))
    assert bad.status_code == 400  # type: ignore[attr-defined]
    wrong = _get(tenant_a.director, url.replace("2010-12-31", "31/12/2010"))
    assert wrong.status_code == 422  # type: ignore[attr-defined]
    assert _get(tenant_a.people[Role.EXPERT], url).status_code == 403  # type: ignore[attr-defined]


def test_drill_down_lists_what_the_figure_counts(tenant_a: Tenant, world: dict) -> None:
    base = f"/api/v1/clusters/{tenant_a.cluster.slug}/indicators"
    period = "from=2010-01-01&to=2010-12-31"
    body = _get(tenant_a.director, f"{base}/projects_funded/records?{period}").json()  # type: ignore[attr-defined]
    assert body["count"] == 2 and sorted(r[0] for r in body["rows"]) == ["P1", "P2"]
    finance = _get(tenant_a.people[Role.FINANCE], f"{base}/projects_funded/records?{period}")
    assert finance.status_code == 403  # type: ignore[attr-defined]
    assert _get(tenant_a.director, f"{base}/nope/records?{period}").status_code == 404  # type: ignore[attr-defined]


def test_funder_reads_aggregates_but_never_the_records(
    tenant_a: Tenant, world: dict, region_funder: object
) -> None:
    base = f"/api/v1/clusters/{tenant_a.cluster.slug}/indicators"
    period = "from=2010-01-01&to=2010-12-31"
    assert _get(region_funder, f"{base}?{period}").status_code == 200  # type: ignore[attr-defined]
    records = _get(region_funder, f"{base}/projects_labelled/records?{period}")
    assert records.status_code == 403  # type: ignore[attr-defined]
    region = tenant_a.cluster.region.slug
    body = _get(region_funder, f"/api/v1/regions/{region}/indicators?{period}").json()  # type: ignore[attr-defined]
    assert body["indicators"]["projects_labelled"]["value"] == 3
    assert (
        _get(tenant_a.director, f"/api/v1/regions/{region}/indicators?{period}").status_code == 404
    )  # type: ignore[attr-defined]


def test_other_region_is_not_found_for_a_funder(region_funder: object) -> None:
    other = ClusterFactory().region
    response = _get(
        region_funder, f"/api/v1/regions/{other.slug}/indicators?from=2010-01-01&to=2010-12-31"
    )
    assert response.status_code == 404  # type: ignore[attr-defined]


def test_previous_period_of_whole_years_is_whole_years() -> None:
    previous = Scope((1,), D(2005, 1, 1), D(2015, 12, 31)).previous()
    assert (previous.start, previous.end) == (D(1994, 1, 1), D(2004, 12, 31))
    days = Scope((1,), D(2024, 3, 1), D(2024, 3, 10)).previous()
    assert (days.start, days.end) == (D(2024, 2, 20), D(2024, 2, 29))


@pytest.mark.parametrize(
    "name", ["projects_labelled", "projects_funded", "investment_eur", "public_aid_eur"]
)
def test_grouped_yearly_series_equal_the_year_by_year_values(
    tenant_a: Tenant, world: dict, name: str
) -> None:
    scope_ = Scope((tenant_a.cluster.pk,), D(2009, 7, 1), D(2011, 6, 30), funder="")
    with scope(cluster=tenant_a.cluster):
        grouped = yearly(scope_, name)
        one_by_one = [
            (
                year,
                REGISTRY[name].value(
                    Scope(
                        scope_.cluster_ids,
                        max(scope_.start, D(year, 1, 1)),
                        min(scope_.end, D(year, 12, 31)),
                    )
                ),
            )
            for year in (2009, 2010, 2011)
        ]
    assert grouped == one_by_one
