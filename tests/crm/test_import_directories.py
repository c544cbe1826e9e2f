"""Importing a pôle's own member directory as it is, and files exported from the Sirene
register (issue 15, point 12)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.errors import NotAllowed
from clusterdesk.core.models import Theme
from clusterdesk.crm.importing.columns import IMPORT_FIELDS, map_columns
from clusterdesk.crm.importing.parsing import ImportChoices
from clusterdesk.crm.importing.pipeline import import_organisations
from clusterdesk.crm.importing.reports import ImportReport
from clusterdesk.crm.importing.tabular import read_table
from clusterdesk.crm.models import Contact, ImportMapping, Membership, Organisation, Relationship
from clusterdesk.jobs.models import Job
from tests.conftest import Tenant, client_for

# The header row of a real pôle's member directory (its own words).
DIRECTORY = (
    "Raison sociale;SIREN;Type d'organisme;Date de création;Date d'adhésion;"
    "Thématiques;Marchés;Ville\n"
)


def run(tenant: Tenant, text: str, actor: object = None, **options: object) -> ImportReport:
    table = read_table(text.encode("utf-8"), "annuaire.csv")
    with scope(cluster=tenant.cluster):
        return import_organisations(
            cluster=tenant.cluster, actor=actor or tenant.director, table=table, **options
        )


def test_a_directory_s_own_headers_are_recognised() -> None:
    headers = DIRECTORY.strip().split(";")
    assert map_columns(headers).columns == {
        "name": "Raison sociale",
        "siren": "SIREN",
        "kind": "Type d'organisme",
        "creation_date": "Date de création",
        "join_date": "Date d'adhésion",
        "themes": "Thématiques",
        "markets": "Marchés",
        "city": "Ville",
    }


def test_kinds_in_the_directory_s_own_words_are_guessed_for_confirmation(
    tenant_a: Tenant,
) -> None:
    text = DIRECTORY + (
        "Grenoble Alpes Développement;;Organisme de développement économique;;;;;Grenoble\n"
        "Minalogic;;Pôle de compétitivité, clusters & French Tech;;;;;Grenoble\n"
        "Acme Bio;;PME, PME;;;;;Lyon\n"
        "Beta Diag;;Organisme de développement économique;;;;;Lyon\n"
    )
    check = run(tenant_a, text)
    assert [r.action for r in check.rows] == ["create"] * 4
    assert [(k.text, k.guess, k.rows, k.chosen) for k in check.kinds] == [
        ("Organisme de développement économique", "economic_development", 2, ""),
        ("Pôle de compétitivité, clusters & French Tech", "cluster", 1, ""),
    ]
    confirmed = ImportChoices(
        kinds={
            "organisme de developpement economique": "economic_development",
            "pole de competitivite clusters french tech": "cluster",
        }
    )
    run(tenant_a, text, dry_run=False, choices=confirmed)
    kinds = dict(Organisation.objects.instance_wide().values_list("name", "kind"))
    assert kinds == {
        "Grenoble Alpes Développement": "economic_development",
        "Minalogic": "cluster",
        "Acme Bio": "pme",
        "Beta Diag": "economic_development",
    }


def test_an_unconfirmed_guess_leaves_the_kind_other_and_the_row_imported(
    tenant_a: Tenant,
) -> None:
    run(tenant_a, DIRECTORY + "Minalogic;;Pôle de compétitivité & French Tech;;;;;Grenoble\n",
        dry_run=False)  # fmt: skip
    assert Organisation.objects.instance_wide().get().kind == "other"


def test_unknown_themes_and_markets_are_said_once_and_created_on_request(
    tenant_a: Tenant,
) -> None:
    rows = "".join(f"Org {n};;PME;;;Santé numérique, IA;Oncologie;Lyon\n" for n in range(5))
    check = run(tenant_a, DIRECTORY + rows)
    assert not any(r.warnings for r in check.rows)  # not 5 times 3 warnings
    assert [(t.kind, t.label, t.rows, t.create) for t in check.unknown_terms] == [
        ("themes", "IA", 5, False),
        ("themes", "Santé numérique", 5, False),
        ("markets", "Oncologie", 5, False),
    ]
    choices = ImportChoices(new_terms={"themes": ["Santé numérique"], "markets": ["Oncologie"]})
    done = run(tenant_a, DIRECTORY + rows, dry_run=False, choices=choices)
    assert [t.create for t in done.unknown_terms] == [False, True, True]
    with scope(cluster=tenant_a.cluster):
        theme = Theme.objects.get(cluster=tenant_a.cluster, name="Santé numérique")
        assert not Theme.objects.filter(name="IA").exists()
        tagged = Relationship.objects.filter(cluster=tenant_a.cluster, themes=theme).count()
        assert AuditEntry.objects.filter(action="theme.created").count() == 1
        assert Relationship.objects.filter(markets__name="Oncologie").count() == 5
    assert tagged == 5


def test_only_the_director_may_add_themes_through_an_import(tenant_a: Tenant) -> None:
    choices = ImportChoices(new_terms={"themes": ["IA"]})
    with pytest.raises(NotAllowed):
        run(tenant_a, DIRECTORY + "Org;;PME;;;IA;;Lyon\n", actor=tenant_a.people["project_manager"],
            dry_run=False, choices=choices)  # fmt: skip
    assert not Organisation.objects.instance_wide().exists()


def test_a_join_date_is_the_membership_it_means(tenant_a: Tenant) -> None:
    this_year = datetime.date.today().year
    joined = this_year - 3
    text = DIRECTORY + f"Acme Bio;;PME;12/05/2011;15/03/{joined};;;Lyon\n"
    run(tenant_a, text, dry_run=False)
    org = Organisation.objects.instance_wide().get()
    with scope(cluster=tenant_a.cluster):
        years = dict(Membership.objects.values_list("year", "status"))
    assert org.creation_year == 2011
    assert years == dict.fromkeys(range(joined, this_year + 1), "active")
    # Importing again leaves the years it made (and any the staff changed) alone.
    with scope(cluster=tenant_a.cluster):
        Membership.objects.filter(year=joined).update(status="resigned")
    run(tenant_a, text, dry_run=False)
    with scope(cluster=tenant_a.cluster):
        assert Membership.objects.count() == 4
        assert Membership.objects.get(year=joined).status == "resigned"


# A file exported from the Sirene register (annuaire-entreprises / INSEE), in its words.
SIRENE = (
    "SIREN;Dénomination;Nom usuel;Activité principale;Tranche effectifs;"
    "Catégorie entreprise;État administratif;Adresse\n"
    "732829320;ACME BIOTECHNOLOGIES;ACME;6201Z;11;PME;A;"
    "9 AVENUE PAUL VERLAINE, 38100 GRENOBLE\n"
    "552100554;ANCIENNE SOCIETE;;72.11Z;1;GE;C;12 RUE DE LA REPUBLIQUE 69002 LYON\n"
)


def test_a_sirene_file_is_read_in_the_register_s_vocabulary(tenant_a: Tenant) -> None:
    report = run(tenant_a, SIRENE, dry_run=False)
    assert [r.action for r in report.rows] == ["create", "create"]
    acme = Organisation.objects.instance_wide().get(siren="732829320")
    assert (acme.name, acme.usual_name, acme.naf_code) == ("ACME BIOTECHNOLOGIES", "ACME", "62.01Z")
    assert (acme.headcount_band, acme.kind, acme.ceased) == ("11", "pme", False)
    assert (acme.street, acme.postal_code, acme.city) == (
        "9 AVENUE PAUL VERLAINE",
        "38100",
        "GRENOBLE",
    )
    assert acme.departement == "38"
    old = Organisation.objects.instance_wide().get(siren="552100554")
    assert (old.kind, old.ceased, old.headcount_band, old.city) == (
        "large_company",
        True,
        "01",
        "LYON",
    )
    assert report.rows[1].warnings  # the ceased company is flagged in the report too
    client = client_for(tenant_a.director)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("members:organisation", args=[tenant_a.cluster.slug, old.pk]))
    assert "Ceased trading (Sirene register)" in page.content.decode()
    assert "72.11Z" in page.content.decode()


def test_a_placeholder_in_an_identifier_column_is_an_empty_value_with_a_warning(
    tenant_a: Tenant,
) -> None:
    text = "Raison sociale;SIREN;SIRET;Ville\n" + "".join(
        f"Start-up {n};{placeholder};-;Lyon\n"
        for n, placeholder in enumerate(("Non disponible", "N/A", "-", "n.c."))
    )
    report = run(tenant_a, text)
    assert [r.action for r in report.rows] == ["create"] * 4
    assert all(r.warnings and not r.problems for r in report.rows)
    assert "Non disponible" in report.rows[0].warnings[0]


def test_rows_repeating_a_siren_merge_into_one_organisation(tenant_a: Tenant) -> None:
    text = (
        "Raison sociale;SIREN;Ville;Site web;Thématiques;Prénom;Nom du contact;E-mail\n"
        "Acme Bio;732829320;Lyon;;;Inès;Morel;ines@acme.example\n"
        "Acme Bio;732 829 320;;acme.example;;Paul;Durand;paul@acme.example\n"
        "Beta;552100554;Lyon;;;;;\n"
    )
    report = run(tenant_a, text, dry_run=False)
    assert [r.action for r in report.rows] == ["create", "merge", "create"]
    assert [(m.siren, m.lines) for m in report.merged] == [("732829320", [2, 3])]
    acme = Organisation.objects.instance_wide().get(siren="732829320")
    assert (acme.city, acme.website) == ("Lyon", "https://acme.example")
    with scope(cluster=tenant_a.cluster):
        emails = set(Contact.objects.filter(organisation=acme).values_list("email", flat=True))
    assert emails == {"ines@acme.example", "paul@acme.example"}
    assert "732829320" in report.as_text()


def test_the_summary_speaks_the_file_s_words(tenant_a: Tenant) -> None:
    with translation.override("en"):
        text = run(tenant_a, DIRECTORY + "Acme;;PME;;;;;Lyon\n").as_text()
    assert "“Raison sociale” → Name" in text
    assert "“Type d'organisme” → Kind" in text
    assert "name ←" not in text


# The pages: the check offers the choices, the recognised headers, the template.


def _upload(client: object, tenant: Tenant, text: str, **data: object) -> Job:
    upload = SimpleUploadedFile("annuaire.csv", text.encode("utf-8"), content_type="text/csv")
    url = reverse("members:import", args=[tenant.cluster.slug])
    response = client.post(url, {"file": upload, "mapping": "", **data})  # type: ignore[attr-defined]
    assert response.status_code == 302, response.content
    with scopes_disabled():
        return Job.objects.filter(kind="crm.import_check").latest("pk")


@pytest.mark.django_db(transaction=False)
def test_the_check_page_asks_to_confirm_kinds_and_terms_then_imports_them(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    client = client_for(tenant_a.director)
    client.cookies["django_language"] = "en"
    text = DIRECTORY + "Minalogic;;Pôle de compétitivité, clusters & French Tech;;;IA;;Grenoble\n"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        check = _upload(client, tenant_a, text)
    page = client.get(reverse("backoffice:job", args=[tenant_a.cluster.slug, check.pk]))
    html = page.content.decode()
    assert "Pôle de compétitivité, clusters &amp; French Tech" in html
    assert '<option value="cluster" selected>' in html
    assert 'name="term_0"' in html
    assert "“Raison sociale” → Name" in html
    confirm = reverse("members:import_confirm", args=[tenant_a.cluster.slug, check.pk])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(confirm, {"kind_0": "cluster", "term_0": "1"})
    org = Organisation.objects.instance_wide().get()
    assert org.kind == "cluster"
    with scope(cluster=tenant_a.cluster):
        assert Relationship.objects.get().themes.get().name == "IA"


def test_a_project_manager_is_not_offered_to_create_themes(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    client = client_for(tenant_a.people["project_manager"])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        check = _upload(client, tenant_a, DIRECTORY + "Org;;PME;;;IA;;Lyon\n")
    html = client.get(reverse("backoffice:job", args=[tenant_a.cluster.slug, check.pk])).content
    assert b'name="term_0"' not in html


def test_a_saved_mapping_is_reused_for_the_next_file(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    client = client_for(tenant_a.director)
    text = "Société;Numéro;Genre\nAcme;732829320;Organisme de développement économique\n"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        check = _upload(client, tenant_a, text, mapping="name=Société\nsiren=Numéro\nkind=Genre")
    save = reverse("members:import_mapping", args=[tenant_a.cluster.slug, check.pk])
    response = client.post(save, {"mapping_name": "Annuaire CCI", "kind_0": "economic_development"})
    assert response.status_code == 200
    with scopes_disabled():
        mapping = ImportMapping.objects.get()
    assert mapping.columns == {"name": "Société", "siren": "Numéro", "kind": "Genre"}
    assert mapping.kinds == {"organisme de developpement economique": "economic_development"}
    # The next file, with the saved mapping and nothing typed (and a column fewer).
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        second = _upload(
            client,
            tenant_a,
            "Société;Genre\nBeta;Organisme de développement économique\n",
            saved_mapping=mapping.pk,
        )
    with scopes_disabled():
        second.refresh_from_db()
    assert second.status == Job.Status.DONE, second.message
    assert second.report["created"] == 1
    assert [k["chosen"] for k in second.report["kinds"]] == ["economic_development"]
    # Listed on the recognised columns page, and forgotten from there.
    columns = client.get(reverse("members:import_columns", args=[tenant_a.cluster.slug]))
    assert "Annuaire CCI" in columns.content.decode()
    delete = reverse("members:import_mapping_delete", args=[tenant_a.cluster.slug, mapping.pk])
    assert client.post(delete).status_code == 302
    with scopes_disabled():
        assert not ImportMapping.objects.exists()
        assert AuditEntry.objects.filter(action="import_mapping.deleted").count() == 1


def test_the_recognised_headers_page_and_the_template_file(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    page = client.get(reverse("members:import_columns", args=[tenant_a.cluster.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    for header in ("type d&#x27;organisme", "date d&#x27;adhésion", "activité principale"):
        assert header in html
    response = client.get(reverse("members:import_template", args=[tenant_a.cluster.slug]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    # Every field has its column, and the template reads back as it was written.
    assert set(map_columns(headers).columns) == set(IMPORT_FIELDS)
    table = read_table(response.content, "modele.xlsx")
    with scope(cluster=tenant_a.cluster):
        report = import_organisations(
            cluster=tenant_a.cluster, actor=tenant_a.director, table=table
        )
    assert [r.action for r in report.rows] == ["create"]


def test_the_command_takes_the_guessed_kinds_and_creates_terms_when_told(
    tenant_a: Tenant, tmp_path: object
) -> None:
    path = tmp_path / "annuaire.csv"  # type: ignore[operator]
    path.write_text(DIRECTORY + "Minalogic;;Pôle de compétitivité & French Tech;;;IA;;Grenoble\n")
    out = io.StringIO()
    args = ["import", "organisations", str(path), "--cluster", tenant_a.cluster.slug]
    call_command(*args, "--accept-kinds", "--create-terms", stdout=out)
    assert Organisation.objects.instance_wide().get().kind == "cluster"
    with scope(cluster=tenant_a.cluster):
        assert Theme.objects.filter(cluster=tenant_a.cluster, name="IA").exists()
    assert "as confirmed" in out.getvalue() or "confirmé" in out.getvalue()
