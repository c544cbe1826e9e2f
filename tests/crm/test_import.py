from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.models import Domain
from clusterdesk.crm.importing.columns import MappingError
from clusterdesk.crm.importing.pipeline import import_organisations
from clusterdesk.crm.importing.tabular import read_table
from clusterdesk.crm.models import (
    Contact,
    Membership,
    MembershipCategory,
    Organisation,
    Relationship,
)
from clusterdesk.jobs.models import Job
from tests.conftest import Tenant, client_for

HEADER = (
    "Raison sociale;SIRET;Type;Code postal;Ville;Domaines;Année d'adhésion;"
    "Catégorie d'adhésion;Prénom;Nom du contact;E-mail\n"
)
GOOD = (
    "Acme Bio;73282932000074;PME;69003;Lyon;{domain};2025;Entreprises;Inès;Morel;"
    "ines@acme.example\n"
)
BAD_SIRET = "Beta Diag;73282932000075;PME;38000;Grenoble;;;;;;\n"
NO_NAME = ";;Start-up;69001;Lyon;;;;;;\n"
BAD_KIND = "Gamma;;Startupp;69001;Lyon;;;;;;\n"
NO_ID = "Delta Lab;;Laboratoire;63000;Clermont-Ferrand;;;;;;\n"


def run(tenant: Tenant, text: str, **options: object) -> object:
    table = read_table(text.encode("utf-8"), "orgs.csv")
    with scope(cluster=tenant.cluster):
        return import_organisations(
            cluster=tenant.cluster, actor=tenant.director, table=table, **options
        )


@pytest.fixture
def domain(tenant_a: Tenant) -> Domain:
    with scopes_disabled():
        MembershipCategory.objects.create(cluster=tenant_a.cluster, name="Entreprises")
        return Domain.objects.get(cluster=tenant_a.cluster)


def test_dry_run_reports_every_problem_and_writes_nothing(tenant_a: Tenant, domain: Domain) -> None:
    text = HEADER + GOOD.format(domain=domain.name) + BAD_SIRET + NO_NAME + BAD_KIND + NO_ID
    report = run(tenant_a, text)
    # An unknown kind is no longer a rejection: a guess shown for confirmation.
    assert [r.action for r in report.rows] == ["create", "reject", "reject", "create", "create"]
    problems = {r.line: " ".join(r.problems) for r in report.rows}
    assert "SIRET" in problems[3]
    assert problems[4]  # the missing name
    assert [(k.text, k.guess, k.rows) for k in report.kinds] == [("Startupp", "startup", 1)]
    assert [r.line for r in report.rows] == [2, 3, 4, 5, 6]
    assert not Organisation.objects.instance_wide().exists()


def test_real_run_writes_valid_rows_with_membership_contact_and_tags(
    tenant_a: Tenant, domain: Domain
) -> None:
    report = run(tenant_a, HEADER + GOOD.format(domain=domain.name) + BAD_SIRET, dry_run=False)
    assert report.count("create") == 1 and len(report.rejected) == 1
    org = Organisation.objects.instance_wide().get()
    assert (org.siren, org.departement, org.kind) == ("732829320", "69", "pme")
    with scope(cluster=tenant_a.cluster):
        membership = Membership.objects.get()
        contact = Contact.objects.get()
        relationship = Relationship.objects.get()
        assert list(relationship.domains.all()) == [domain]
        assert AuditEntry.objects.filter(action="organisation.imported").count() == 1
    assert membership.year == 2025 and membership.category.name == "Entreprises"
    assert contact.email == "ines@acme.example" and contact.organisation == org


def test_importing_twice_updates_and_never_duplicates(tenant_a: Tenant, domain: Domain) -> None:
    text = HEADER + GOOD.format(domain=domain.name) + NO_ID
    run(tenant_a, text, dry_run=False)
    second = run(tenant_a, text.replace("69003;Lyon", "69007;Lyon"), dry_run=False)
    assert second.count("update") == 2 and second.count("create") == 0
    assert Organisation.objects.instance_wide().count() == 2
    assert Organisation.objects.instance_wide().get(siret="73282932000074").postal_code == "69007"
    with scopes_disabled():
        assert Membership.objects.count() == 1 and Contact.objects.count() == 1


def test_strict_refuses_the_whole_file(tenant_a: Tenant, domain: Domain) -> None:
    report = run(
        tenant_a, HEADER + GOOD.format(domain=domain.name) + BAD_SIRET, dry_run=False, strict=True
    )
    assert report.refused and not report.written
    assert not Organisation.objects.instance_wide().exists()


def test_rows_repeating_a_siren_merge_into_one(tenant_a: Tenant, domain: Domain) -> None:
    row = GOOD.format(domain=domain.name)
    report = run(tenant_a, HEADER + row + row)
    assert [r.action for r in report.rows] == ["create", "merge"]
    assert report.rows[1].merged_into == 2
    assert [(m.siren, m.lines) for m in report.merged] == [("732829320", [2, 3])]


def test_rows_without_identifier_repeating_name_and_town_are_rejected(tenant_a: Tenant) -> None:
    report = run(tenant_a, HEADER + NO_ID + NO_ID)
    assert report.rows[1].action == "reject"
    assert "2" in report.rows[1].problems[0]


def test_unknown_domain_is_said_once_not_a_rejection(tenant_a: Tenant, domain: Domain) -> None:
    row = GOOD.format(domain="Astrophysique")
    report = run(tenant_a, HEADER + row + row.replace("73282932000074", "") + NO_ID)
    assert report.rows[0].action == "create"
    assert not report.rows[0].warnings
    assert [(t.kind, t.label, t.rows) for t in report.unknown_terms] == [
        ("domains", "Astrophysique", 2)
    ]


def test_explicit_mapping_and_unknown_column(tenant_a: Tenant) -> None:
    text = "Société;Numéro\nAcme;73282932000074\n"
    report = run(tenant_a, text, mapping={"name": "Société", "siret": "Numéro"})
    assert report.rows[0].action == "create"
    with pytest.raises(MappingError):
        run(tenant_a, text, mapping={"name": "Nope"})


def test_windows_1252_csv_and_xlsx_give_the_same_rows(tmp_path: Path) -> None:
    csv_text = "Nom;Ville\nSociété Générale de Biologie;Lyon\n"
    cp1252 = read_table(csv_text.encode("cp1252"), "a.csv")
    workbook = Workbook()
    workbook.active.append(["Nom", "Ville"])
    workbook.active.append(["Société Générale de Biologie", "Lyon"])
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    xlsx = read_table(path.read_bytes(), "a.xlsx")
    assert cp1252.rows == xlsx.rows


def test_import_command_prints_the_report_and_fails_on_rejected_rows(
    tenant_a: Tenant, tmp_path: Path
) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("Nom;SIREN\nAcme;732829320\nBad;123\n", encoding="utf-8")
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import",
            "organisations",
            str(path),
            "--cluster",
            tenant_a.cluster.slug,
            "--dry-run",
            stdout=out,
        )
    assert exit_.value.code == 1
    assert "Line 3" in out.getvalue() or "Ligne 3" in out.getvalue()
    assert not Organisation.objects.instance_wide().exists()
    out = StringIO()
    path.write_text("Nom;SIREN\nAcme;732829320\n", encoding="utf-8")
    call_command(
        "import", "organisations", str(path), "--cluster", tenant_a.cluster.slug, stdout=out
    )
    assert Organisation.objects.instance_wide().get().siren == "732829320"


def test_web_import_checks_then_imports_after_confirmation(
    tenant_a: Tenant, domain: Domain, django_capture_on_commit_callbacks: object
) -> None:
    client = client_for(tenant_a.director)
    url = reverse("members:import", args=[tenant_a.cluster.slug])
    text = HEADER + GOOD.format(domain=domain.name) + BAD_SIRET
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("members.csv", text.encode("utf-8"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(url, {"file": upload, "mapping": ""})
    with scopes_disabled():
        check = Job.objects.get()
    assert check.status == Job.Status.DONE and check.report["created"] == 1
    assert not Organisation.objects.instance_wide().exists()
    page = client.get(response.url).content.decode()
    assert "73282932000075" in page  # the bad SIRET's row is shown with its problem
    confirm = reverse("members:import_confirm", args=[tenant_a.cluster.slug, check.pk])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(confirm)
    assert Organisation.objects.instance_wide().count() == 1


def test_web_import_refuses_other_file_types(tenant_a: Tenant) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(tenant_a.director)
    upload = SimpleUploadedFile("members.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        reverse("members:import", args=[tenant_a.cluster.slug]), {"file": upload}
    )
    assert response.status_code == 400 and response.context["form"].errors["file"]


def test_web_import_refuses_a_decompression_bomb_before_storing_it(tenant_a: Tenant) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.crm.test_tabular import HEADER_ROW, xlsx_by_hand

    client = client_for(tenant_a.director)
    client.cookies["django_language"] = "en"
    data = xlsx_by_hand(HEADER_ROW, rows=20_000)
    upload = SimpleUploadedFile("members.xlsx", data)
    response = client.post(
        reverse("members:import", args=[tenant_a.cluster.slug]), {"file": upload}
    )
    assert response.status_code == 400
    assert "compressed" in response.context["form"].errors["file"][0]
    with scopes_disabled():
        assert not Job.objects.exists()
