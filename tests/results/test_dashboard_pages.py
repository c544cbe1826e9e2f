"""The dashboard pages: figures, comparisons, drill-down and export, the "ten years" story,
the region dashboard, permissions and query counts."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Membership
from clusterdesk.funders.views import round_number, side_by_side
from clusterdesk.jobs.models import Job
from clusterdesk.projects.models import Application, FundingApplication
from clusterdesk.results.charts import (
    Series,
    bar_chart,
    format_difference,
    format_eur,
    format_value,
    nice_ticks,
)
from clusterdesk.results.indicators import REGISTRY, Scope, compute
from clusterdesk.results.models import NationalFundingRound, Outcome, RegionGrant, StateRating
from clusterdesk.results.selectors import public_drill_down_rows, region_scope
from tests.conftest import Tenant, client_for, make_tenant
from tests.factories import OrganisationFactory, UserFactory, follow, funder
from tests.results.test_indicators import labelled_project
from tests.results.test_indicators import world as world  # a fixture

D = datetime.date
Y2010 = "from=2010-01-01&to=2010-12-31"


def dashboard(tenant: Tenant, query: str = Y2010) -> str:
    return reverse("dashboards:dashboard", args=[tenant.cluster.slug]) + f"?{query}"


def drill(tenant: Tenant, name: str, query: str = Y2010) -> str:
    return reverse("dashboards:drill_down", args=[tenant.cluster.slug, name]) + f"?{query}"


def story(tenant: Tenant, query: str = Y2010) -> str:
    return reverse("dashboards:story", args=[tenant.cluster.slug]) + f"?{query}"


def figures_of(response: Any) -> dict[str, Any]:
    return {f.name: f for f in response.context["figures"]}


# -- the dashboard ------------------------------------------------------------------------


def test_dashboard_shows_the_figures_of_the_period(tenant_a: Tenant, world: dict) -> None:
    response = client_for(tenant_a.director).get(dashboard(tenant_a))
    assert response.status_code == 200
    f = figures_of(response)
    assert [f[n].value for n in ("projects_labelled", "projects_funded", "patents")] == [
        "3",
        "2",
        "2",
    ]
    # French by default: millions of euros and shares as French readers write them.
    assert f["investment_eur"].value == "3\u00a0M€"
    assert f["public_aid_eur"].value == "1,1\u00a0M€"
    assert f["leverage"].value == "2,7\u00a0\u00d7"
    assert f["jobs_created"].value == "10"
    assert f["startups_created"].value == "1"
    assert f["members"].value == "2" and f["sme_share"].value == "50\u00a0%"
    html = response.content.decode()
    assert html.count('role="img"') == 5  # two yearly charts, three breakdowns
    assert "<details" in html and "<title>2010 — Projets labellisés: 3</title>" in html
    assert f'href="{drill(tenant_a, "projects_funded")}"'.replace("&", "&amp;") in html


def test_dashboard_compares_with_the_previous_period(tenant_a: Tenant, world: dict) -> None:
    response = client_for(tenant_a.director).get(
        dashboard(tenant_a, "from=2011-01-01&to=2011-12-31")
    )
    f = figures_of(response)
    labelled = f["projects_labelled"]
    assert (labelled.value, labelled.previous, labelled.difference, labelled.trend) == (
        "1",
        "3",
        "\u22122",
        "down",
    )
    assert f["patents"].difference == "\u22121" and f["patents"].trend == "down"
    assert f["public_aid_eur"].value == "1\u00a0M€" and f["public_aid_eur"].trend == "down"
    assert response.context["previous"].start == D(2010, 1, 1)
    assert response.context["previous"].end == D(2010, 12, 31)
    html = response.content.decode()
    assert "▼" in html and "\u22122" in html


def test_dashboard_defaults_to_this_year_and_filters(tenant_a: Tenant, world: dict) -> None:
    client = client_for(tenant_a.director)
    response = client.get(reverse("dashboards:dashboard", args=[tenant_a.cluster.slug]))
    year = datetime.date.today().year
    assert response.context["scope"].start == D(year, 1, 1)
    assert response.context["scope"].end == D(year, 12, 31)
    fui = figures_of(client.get(dashboard(tenant_a, f"{Y2010}&funder=fui")))
    assert fui["projects_funded"].value == "1"
    # Links keep the filters.
    assert fui["projects_funded"].url.endswith(f"?{Y2010}&funder=fui")


def test_bad_period_is_refused_with_the_reason(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    backwards = client.get(dashboard(tenant_a, "from=2011-01-01&to=2010-01-01"))
    assert backwards.status_code == 400 and backwards.context["form"].errors
    too_long = client.get(dashboard(tenant_a, "from=1990-01-01&to=2025-12-31"))
    assert too_long.status_code == 400
    assert client.get(dashboard(tenant_a, "from=hier&to=2010-01-01")).status_code == 400


def test_menu_has_the_dashboard_for_staff_and_funders(
    tenant_a: Tenant, region_funder: User
) -> None:
    home = reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug])
    url = reverse("dashboards:dashboard", args=[tenant_a.cluster.slug])
    for user in (tenant_a.director, tenant_a.people[Role.FINANCE], region_funder):
        assert f'href="{url}"' in client_for(user).get(home).content.decode()
    assert (
        f'href="{url}"' not in client_for(tenant_a.people[Role.EXPERT]).get(home).content.decode()
    )


# -- drill-down and export ----------------------------------------------------------------

COUNTS = [n for n in REGISTRY if REGISTRY[n].unit == "count" and REGISTRY[n].records]


@pytest.mark.parametrize("name", COUNTS)
def test_drill_down_lists_exactly_what_the_figure_counts(
    name: str, tenant_a: Tenant, world: dict
) -> None:
    response = client_for(tenant_a.director).get(drill(tenant_a, name))
    assert response.status_code == 200
    with scope(cluster=tenant_a.cluster):
        value = compute(Scope((tenant_a.cluster.pk,), D(2010, 1, 1), D(2010, 12, 31)), [name])
    assert response.context["page"].paginator.count == value[name]


def test_drill_down_rows_are_the_records(tenant_a: Tenant, world: dict) -> None:
    client = client_for(tenant_a.director)
    funded = client.get(drill(tenant_a, "projects_funded"))
    assert [row[0][1] for row in funded.context["rows"]] == ["P1", "P2"]
    assert funded.context["value"] == "2"
    patents = client.get(drill(tenant_a, "patents"))
    assert sorted(row[1][1] for row in patents.context["rows"]) == ["patent", "patent"]
    html = patents.content.decode()
    assert "declared only" not in html and "next year" not in html
    assert client.get(drill(tenant_a, "nope")).status_code == 404
    assert (
        client.get(drill(tenant_a, "projects_funded", "from=2010-12-31&to=2010-01-01")).status_code
        == 400
    )


def test_drill_down_pages(tenant_a: Tenant, world: dict) -> None:
    with scopes_disabled():
        for n in range(55):
            labelled_project(tenant_a.cluster, D(2010, 3, 1), 100, None, acronym=f"X{n:02}")
    client = client_for(tenant_a.director)
    first = client.get(drill(tenant_a, "projects_labelled"))
    assert first.context["page"].paginator.count == 58 and len(first.context["rows"]) == 50
    second = client.get(drill(tenant_a, "projects_labelled") + "&page=2")
    assert len(second.context["rows"]) == 8
    assert "page=2" in first.content.decode()


def _export(client: Any, url: str, fmt: str, capture: Callable[..., Any]) -> tuple[Job, bytes]:
    with capture(execute=True):
        response = client.post(url, {"format": fmt})
    assert response.status_code == 302
    with scopes_disabled():
        job = Job.objects.order_by("-pk").first()
    assert job is not None
    assert response.url == reverse("backoffice:job", args=[job.cluster.slug, job.pk])
    download = client.get(response.url + "download/")
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


def test_export_gives_a_csv_and_an_xlsx_of_the_records(
    tenant_a: Tenant, world: dict, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = client_for(tenant_a.director)
    url = drill(tenant_a, "projects_funded")
    job, content = _export(client, url, "csv", django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE and job.kind == "results.export"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "acronym" and sorted(r[0] for r in rows[1:]) == ["P1", "P2"]
    _job, content = _export(client, url, "xlsx", django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3 and sorted(r[0] for r in values[1:]) == ["P1", "P2"]
    # The members' list with a filter: the large company only.
    url = drill(tenant_a, "members", f"{Y2010}&kind=large_company")
    _job, content = _export(client, url, "csv", django_capture_on_commit_callbacks)
    assert len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))) == 2
    assert client.post(url, {"format": "pdf"}).status_code == 404


# -- permissions --------------------------------------------------------------------------


def test_expert_may_not_open_the_dashboard(tenant_a: Tenant, world: dict) -> None:
    expert = client_for(tenant_a.people[Role.EXPERT])
    assert expert.get(dashboard(tenant_a)).status_code == 403
    assert expert.get(story(tenant_a)).status_code == 403
    assert expert.get(drill(tenant_a, "members")).status_code == 403
    member = client_for(tenant_a.people[Role.MEMBER])
    assert member.get(dashboard(tenant_a)).status_code == 403


def test_finance_sees_figures_and_member_lists_and_only_what_is_public_of_projects(
    tenant_a: Tenant, world: dict
) -> None:
    finance = client_for(tenant_a.people[Role.FINANCE])
    response = finance.get(dashboard(tenant_a))
    assert response.status_code == 200
    f = figures_of(response)
    assert f["projects_funded"].url is not None and f["patents"].url is not None
    assert f["members"].url is not None
    public = finance.get(drill(tenant_a, "projects_funded"))
    assert public.status_code == 200 and public.context["public_only"]
    assert finance.get(drill(tenant_a, "applications")).status_code == 403
    assert finance.post(drill(tenant_a, "projects_funded"), {"format": "csv"}).status_code == 403
    assert finance.get(drill(tenant_a, "members")).status_code == 200


def test_funder_drills_down_to_what_is_public_of_labelled_projects_only(
    tenant_a: Tenant, tenant_b: Tenant, world: dict, region_funder: User
) -> None:
    with scopes_disabled():
        # What could leak: an application under review and one refused, both of the period.
        for acronym, state in (("ZQXREVIEW", "under_review"), ("ZQXREFUSED", "not_labelled")):
            refused = labelled_project(
                tenant_a.cluster, D(2010, 3, 1), 1_000, None, acronym=acronym
            )
            Application.objects.filter(pk=refused.pk).update(
                state=state, decided_at=datetime.datetime(2010, 3, 1, tzinfo=datetime.UTC)
            )
    client = client_for(region_funder)
    client.cookies["django_language"] = "en"
    response = client.get(dashboard(tenant_a))
    assert response.status_code == 200
    f = figures_of(response)
    # The figures about labelled and funded projects and their outcomes are links ...
    for name in ("projects_labelled", "projects_funded", "public_aid_eur", "patents"):
        assert f[name].url is not None, name
    # ... those about members and applications in progress are not.
    assert f["members"].url is None and f["sme_share"].url is None
    html = response.content.decode()
    assert "/dashboard/members" not in html
    funded = client.get(drill(tenant_a, "projects_funded"))
    assert funded.status_code == 200
    text = funded.content.decode()
    assert "P1" in text and "P2" in text and "UNFUNDED" not in text
    assert "Partners" in text and "Public aid granted" in text
    assert "800" in text  # P1's aid granted
    assert "Export these records" not in text
    labelled = client.get(drill(tenant_a, "projects_labelled")).content.decode()
    assert "UNFUNDED" in labelled
    patents = client.get(drill(tenant_a, "patents"))
    assert patents.status_code == 200 and "P1" in patents.content.decode()
    for name in ("applications", "label_rate", "members", "sme_members"):
        page = client.get(drill(tenant_a, name))
        assert page.status_code == 403, name
        assert "Ask your cluster's director" not in page.content.decode()
    for name in ("projects_labelled", "label_rate", "applications", "patents", "members"):
        text = client.get(drill(tenant_a, name)).content.decode()
        assert "ZQXREVIEW" not in text and "ZQXREFUSED" not in text, name
        assert client.post(drill(tenant_a, name), {"format": "csv"}).status_code == 403
    story_page = client.get(story(tenant_a))
    assert story_page.status_code == 200 and "<a href" in str(story_page.context["story"])
    # Another region's cluster does not exist for this funder.
    assert client.get(dashboard(tenant_b)).status_code == 404


def test_public_records_are_labelled_whatever_the_indicator_counts(
    tenant_a: Tenant, world: dict
) -> None:
    """The public rows keep labelled projects only, even for an indicator that would count
    others (a registry mistake must not show an application)."""
    with scopes_disabled():
        pending = labelled_project(tenant_a.cluster, D(2010, 3, 1), 1_000, None, acronym="ZQXP")
        Application.objects.filter(pk=pending.pk).update(
            state="under_review", submitted_at=datetime.datetime(2010, 3, 1, tzinfo=datetime.UTC)
        )
    with scope(cluster=tenant_a.cluster):
        s = Scope((tenant_a.cluster.pk,), D(2005, 1, 1), D(2015, 12, 31))
        assert REGISTRY["applications"].records(s).filter(acronym="ZQXP").exists()  # type: ignore[misc]
        _headers, records, _row = public_drill_down_rows("applications", s)
        assert not records.filter(acronym="ZQXP").exists()
        assert all(a.state == "labelled" for a in records)


# -- the story ----------------------------------------------------------------------------


def test_story_tells_the_period_with_links_to_the_records(tenant_a: Tenant, world: dict) -> None:
    client = client_for(tenant_a.director)
    client.cookies["django_language"] = "en"
    text = str(client.get(story(tenant_a, "from=2010-01-01&to=2011-12-31")).context["story"])
    assert text.startswith("From 2010 to 2011, Pôle Alpha labelled <a href=")
    query = "from=2010-01-01&amp;to=2011-12-31"
    assert f'/dashboard/projects_funded/?{query}">3</a> projects that were funded' in text
    assert f'/dashboard/investment_eur/?{query}">€8M</a> of investment' in text
    assert f'/dashboard/patents/?{query}">3</a> patents' in text
    assert ">10</a> jobs" in text and ">1</a> start-up." in text
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        english = str(
            client.get(story(tenant_a, Y2010), HTTP_ACCEPT_LANGUAGE="en").context["story"]
        )
    assert english.startswith("In 2010, Pôle Alpha labelled")
    assert "€3M</a> of investment and" in english and "€1.1M</a> of public aid" in english
    # In French every word is French (the plural forms once stayed English).
    client.cookies["django_language"] = "fr"
    french = str(client.get(story(tenant_a, "from=2010-01-01&to=2011-12-31")).context["story"])
    assert ">3</a> projets financés" in french and ">3</a> brevets" in french
    assert ">10</a> emplois" in french and ">1</a> start-up." in french
    assert not re.search(r"\b(projects|patents|jobs|trials)\b", re.sub("<[^>]+>", "", french))


def test_story_defaults_to_the_first_ten_years(tenant_a: Tenant) -> None:
    with scopes_disabled():
        Cluster.objects.filter(pk=tenant_a.cluster.pk).update(founded_year=2005)
    response = client_for(tenant_a.director).get(
        reverse("dashboards:story", args=[tenant_a.cluster.slug])
    )
    assert response.context["scope"].start == D(2005, 1, 1)
    assert response.context["scope"].end == D(2015, 12, 31)
    assert "De 2005 à 2015" in str(response.context["story"])


# -- the region ---------------------------------------------------------------------------


@pytest.fixture
def region_world(tenant_a: Tenant, world: dict) -> dict[str, Any]:
    """A second cluster in tenant A's region, a member shared by the two, FUI rounds, the
    Region's grants and the State's ratings."""
    with scopes_disabled():
        gamma = make_tenant(name="Pôle Gamma", slug="gamma", region=tenant_a.cluster.region)
        c, a = gamma.cluster, tenant_a.cluster
        shared = Membership.objects.filter(cluster=a, organisation__kind="pme").get().organisation
        follow(c, shared)
        Membership.objects.create(cluster=c, organisation=shared, year=2010, status="active")
        own = OrganisationFactory(kind="large_company", headcount_band="53")
        follow(c, own)
        Membership.objects.create(cluster=c, organisation=own, year=2010, status="active")
        g1 = labelled_project(c, D(2010, 4, 1), 1_000_000, 200_000, "fui", "G1")
        FundingApplication.objects.filter(application=g1).update(programme="FUI 10")
        FundingApplication.objects.filter(application=world["p1"]).update(programme="FUI 10")
        labelled_project(c, D(2009, 4, 1), 1_000_000, 200_000, "fui", "G0")
        NationalFundingRound.objects.create(number=10, year=2010, projects_funded=80)
        NationalFundingRound.objects.create(number=11, year=2011, projects_funded=90)
        for cluster, amount in ((a, 400_000), (c, 600_000)):
            RegionGrant.objects.create(cluster=cluster, year=2010, amount_eur=amount)
        RegionGrant.objects.create(cluster=a, year=2012, amount_eur=1)
        StateRating.objects.create(cluster=a, phase="III", rating="Très performant")
        StateRating.objects.create(cluster=c, phase="IV", rating="Performant")
    return {"gamma": gamma}


def region_url(tenant: Tenant, query: str = Y2010) -> str:
    return reverse("region_dashboard", args=[tenant.cluster.region.slug]) + f"?{query}"


def test_region_dashboard_puts_the_clusters_side_by_side(
    tenant_a: Tenant, region_world: dict, region_funder: User
) -> None:
    response = client_for(region_funder).get(region_url(tenant_a))
    assert response.status_code == 200
    rows = {r["column"].cluster.slug: r for r in response.context["rows"]}
    alpha, gamma = rows["alpha"]["column"], rows["gamma"]["column"]
    assert (alpha.members, alpha.sme_members, alpha.shared_members) == (2, 1, 1)
    assert (gamma.members, gamma.sme_members, gamma.shared_members) == (2, 1, 1)
    assert alpha.labelled == {2010: 3} and gamma.labelled == {2010: 1}
    assert alpha.fui == {10: 1} and gamma.fui == {10: 1}
    assert alpha.grants == {2010: Decimal(400_000)} and gamma.grants_total == Decimal(600_000)
    assert alpha.ratings == {"III": "Très performant"} and gamma.ratings == {"IV": "Performant"}
    totals = response.context["totals"]
    assert (totals["members"], totals["shared_members"], totals["projects_labelled"]) == (3, 1, 4)
    (round10,) = response.context["rounds"]
    assert (round10.number, round10.national, round10.region) == (10, 80, 2)
    assert round10.share == pytest.approx(2 / 80)
    html = response.content.decode()
    assert "Pôle Gamma" in html and "Très performant" in html and "FUI 10" in html
    assert not re.search(r"\bP1\b", html)  # aggregates only (a CSRF token may hold "P1")
    dashboard_link = (
        reverse("dashboards:dashboard", args=["gamma"]) + "?" + Y2010.replace("&", "&amp;")
    )
    assert dashboard_link in html
    # A cluster's count of labelled projects opens what is public about them.
    drill_link = reverse("dashboards:drill_down", args=["gamma", "projects_labelled"])
    assert drill_link + "?" + Y2010.replace("&", "&amp;") in html
    records = client_for(region_funder).get(drill_link + "?" + Y2010)
    assert records.status_code == 200 and records.context["public_only"]


def test_region_rows_match_the_indicators_cluster_by_cluster(
    tenant_a: Tenant, region_world: dict
) -> None:
    """The grouped queries of the side-by-side table give each cluster's own indicators."""
    region = tenant_a.cluster.region
    with scopes_disabled():
        clusters = list(Cluster.objects.filter(region=region).order_by("name"))
        for start, end in ((D(2010, 1, 1), D(2010, 12, 31)), (D(2009, 1, 1), D(2011, 12, 31))):
            columns, _rounds = side_by_side(
                region=region, clusters=clusters, scope=region_scope(region, start, end)
            )
            for column in columns:
                own = compute(
                    Scope((column.cluster.pk,), start, end),
                    ["members", "sme_members", "projects_labelled"],
                )
                assert column.members == own["members"]
                assert column.sme_members == own["sme_members"]
                assert column.labelled_total == own["projects_labelled"]


def test_region_dashboard_is_for_its_funders_and_superusers_only(
    tenant_a: Tenant, tenant_b: Tenant, region_world: dict, region_funder: User
) -> None:
    url = region_url(tenant_a)
    assert client_for(tenant_a.director).get(url).status_code == 404
    assert client_for(funder(tenant_b.cluster.region)).get(url).status_code == 404
    assert client_for(region_funder).get(region_url(tenant_b)).status_code == 404
    missing = reverse("region_dashboard", args=["nowhere"])
    assert client_for(region_funder).get(missing).status_code == 404
    with scopes_disabled():
        admin = UserFactory(is_superuser=True)
    assert client_for(admin).get(url).status_code == 200
    anonymous = client_for(UserFactory()).get(url)
    assert anonymous.status_code == 404
    from django.test import Client

    assert Client().get(url).status_code == 302
    assert client_for(region_funder).get(region_url(tenant_a, "from=x&to=y")).status_code == 400


def test_region_page_links_the_dashboard_for_its_funders(
    tenant_a: Tenant, region_funder: User
) -> None:
    region = tenant_a.cluster.region
    page = reverse("region", args=[region.slug])
    link = reverse("region_dashboard", args=[region.slug])
    assert link in client_for(region_funder).get(page).content.decode()
    assert link not in client_for(tenant_a.director).get(page).content.decode()


def test_fui_round_names(db: None) -> None:
    assert [round_number(p) for p in ("FUI 14", "FUI round 14", "AAP FUI-14", "FUI")] == [
        14,
        14,
        14,
        None,
    ]


def test_without_national_sizes_the_rounds_are_counted(
    tenant_a: Tenant, region_world: dict, region_funder: User
) -> None:
    with scopes_disabled():
        NationalFundingRound.objects.all().delete()
    response = client_for(region_funder).get(region_url(tenant_a))
    (round10,) = response.context["rounds"]
    assert round10.national is None and round10.share is None and round10.region == 2
    assert "pas encore enregistrée" in response.content.decode()


# -- query counts -------------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_data(tenant: Tenant, n: int, region_cluster: Cluster | None = None) -> None:
    with scopes_disabled():
        for i in range(n):
            for cluster in filter(None, (tenant.cluster, region_cluster)):
                app = labelled_project(cluster, D(2010, 1 + i % 12, 1), 100, 10, acronym=f"M{i}")
                FundingApplication.objects.filter(application=app).update(programme=f"FUI {i}")
                Outcome.objects.create(
                    cluster=cluster,
                    application=app,
                    kind="patent",
                    date=D(2010, 6, 1),
                    title="p",
                    state="validated",
                )
                org = follow(cluster, OrganisationFactory(kind="pme"))
                Membership.objects.create(cluster=cluster, organisation=org, year=2010)


def test_dashboard_queries_do_not_grow_with_the_data(
    tenant_a: Tenant, world: dict, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    client = client_for(tenant_a.director)
    ten_years = "from=2005-01-01&to=2015-12-31"
    small = {q: _queries(client, dashboard(tenant_a, q)) for q in (Y2010, ten_years)}
    _more_data(tenant_a, 30)
    with django_assert_max_num_queries(small[Y2010]):
        assert client.get(dashboard(tenant_a)).status_code == 200
    large = {q: _queries(client, dashboard(tenant_a, q)) for q in (Y2010, ten_years)}
    assert large == small
    # Bounded by the period: four yearly series, one query per year each (a ratio whose
    # denominator is zero skips its numerator's query).
    assert small[ten_years] - small[Y2010] <= 4 * 10
    assert _queries(client, story(tenant_a, ten_years)) <= small[ten_years]


def test_drill_down_and_region_queries_do_not_grow_with_the_data(
    tenant_a: Tenant, region_world: dict, region_funder: User
) -> None:
    client = client_for(tenant_a.director)
    funder_client = client_for(region_funder)
    before = (
        _queries(client, drill(tenant_a, "projects_labelled")),
        _queries(client, drill(tenant_a, "patents")),
        _queries(funder_client, region_url(tenant_a)),
    )
    _more_data(tenant_a, 20, region_world["gamma"].cluster)
    with scopes_disabled():
        make_tenant(name="Pôle Delta", slug="delta", region=tenant_a.cluster.region)
    after = (
        _queries(client, drill(tenant_a, "projects_labelled")),
        _queries(client, drill(tenant_a, "patents")),
        _queries(funder_client, region_url(tenant_a)),
    )
    assert after == before


# -- numbers and charts -------------------------------------------------------------------


def test_numbers_follow_the_language() -> None:
    with translation.override("fr"):
        assert format_eur(870_000_000) == "870\u00a0M€"
        assert format_eur(347_400_000) == "347,4\u00a0M€"
        assert format_eur(25_000) == "25\u00a0k€" and format_eur(950) == "950\u00a0€"
        assert format_value(Decimal("0.5"), "ratio", "sme_share") == "50\u00a0%"
        assert format_value(1234, "count") == "1\u00a0234"
        assert format_difference(Decimal("-0.05"), "ratio", "sme_share") == "\u22125\u00a0pts"
    with translation.override("en"):
        assert format_eur(870_000_000) == "€870M" and format_eur(950) == "€950"
        assert format_value(1234, "count") == "1,234"
        assert format_difference(3, "count") == "+3" and format_difference(0, "count") == "±0"
    assert format_value(None, "ratio") == "—"


def test_ticks_are_round_and_cover_the_top() -> None:
    assert nice_ticks(3, whole=True) == [0, 1, 2, 3]
    assert nice_ticks(10, whole=True)[-1] >= 10
    assert all(t == int(t) for t in nice_ticks(7, whole=True))
    assert nice_ticks(870_000_000)[-1] >= 870_000_000
    assert nice_ticks(0) == [0.0, 1.0]


def test_bar_chart_geometry_and_text() -> None:
    with translation.override("en"):
        chart = bar_chart(
            title="Projects",
            categories=["2010", "2011"],
            series=[Series("Labelled", [4, 2], ["/a", None]), Series("Funded", [2, 0])],
        )
    heights = {b.title: b.height for b in chart.bars}
    assert heights["2010 — Labelled: 4"] == 2 * heights["2010 — Funded: 2"]
    assert heights["2011 — Funded: 0"] == 0
    assert [b.text for b in chart.bars] == ["4", "2", "2", "0"]
    assert chart.rows[0].cells == [("Labelled", "4", "/a"), ("Funded", "2", None)]
    bars = [b for b in chart.bars if b.series == 0]
    assert bars[0].x < bars[1].x and bars[0].y < bars[1].y  # taller bar starts higher
    horizontal = bar_chart(
        title="Kinds", categories=["SME", "Hospital"], series=[Series("n", [3, 1])], horizontal=True
    )
    widths = [b.width for b in horizontal.bars]
    assert widths[0] == pytest.approx(3 * widths[1], rel=1e-3)
    assert not horizontal.empty and bar_chart(title="x", categories=[], series=[]).empty


def test_chart_template_is_accessible(tenant_a: Tenant, world: dict) -> None:
    from django.template import Context, Template

    with translation.override("fr"):
        chart = bar_chart(
            title="Aide publique",
            categories=["2010"],
            series=[Series("Aide", [Decimal("1100000.5")])],
            unit="eur",
            category_header="Année",
        )
        html = Template("{% load results_dashboard %}{% bar_chart chart %}").render(
            Context({"chart": chart})
        )
    assert 'role="img"' in html and 'aria-label="Aide publique.' in html
    assert "<title>2010 — Aide: 1,1\u00a0M€</title>" in html
    assert "<details" in html and '<th scope="row" data-label="Année">2010</th>' in html
    assert "1,1\u00a0M€</text>" in html
    # Coordinates are never localised (a French decimal comma would break the SVG).
    assert 'y="' in html and not any("," in part.split('"')[0] for part in html.split(' y="')[1:])


def test_shared_member_counts_in_each_of_its_clusters(tenant_a: Tenant, region_world: dict) -> None:
    region = tenant_a.cluster.region
    with scopes_disabled():
        assert Application.objects.filter(acronym="G1").exists()
        both = region_scope(region, D(2010, 1, 1), D(2010, 12, 31))
        assert compute(both, ["shared_members"]) == {"shared_members": 1}
