"""The member CRM over the API: permissions per role, filters, pagination, input errors,
scoping to the URL's cluster, and a constant number of queries per list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import api_token_create
from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Contact, Interaction, Membership, Organisation
from tests.api.crm_factories import (
    ContactFactory,
    InteractionFactory,
    MembershipCategoryFactory,
    MembershipFactory,
    OrganisationFactory,
    followed_organisation,
)
from tests.conftest import Tenant
from tests.factories import DomainFactory

VALID_SIREN = "552100554"  # passes the Luhn check


def _api(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    # English messages, so that the assertions on them do not follow the French catalogue.
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})


def _url(tenant: Tenant, path: str) -> str:
    return f"/api/v1/clusters/{tenant.cluster.slug}/{path}"


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def _errors(response: Any) -> dict[str | None, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


# -- set-up helpers: one object of each kind in a tenant --------------------------------------


def _organisation(tenant: Tenant) -> tuple[str, int]:
    return "organisations", followed_organisation(tenant.cluster).pk


def _membership(tenant: Tenant) -> tuple[str, int]:
    org = followed_organisation(tenant.cluster)
    return "memberships", MembershipFactory(cluster=tenant.cluster, organisation=org).pk


def _contact(tenant: Tenant) -> tuple[str, int]:
    org = followed_organisation(tenant.cluster)
    return "contacts", ContactFactory(cluster=tenant.cluster, organisation=org).pk


def _interaction(tenant: Tenant) -> tuple[str, int]:
    org = followed_organisation(tenant.cluster)
    interaction = InteractionFactory(
        cluster=tenant.cluster, organisation=org, owner=tenant.director
    )
    return "interactions", interaction.pk


MAKERS: dict[str, Callable[[Tenant], tuple[str, int]]] = {
    "organisation": _organisation,
    "membership": _membership,
    "contact": _contact,
    "interaction": _interaction,
}
# A change each PATCH would make, to check it is not made across clusters.
CHANGES: dict[str, tuple[dict[str, Any], Callable[[int], Any]]] = {
    "organisation": (
        {"city": "Nantes"},
        lambda pk: Organisation.objects.instance_wide().get(pk=pk).city,
    ),
    "membership": ({"status": "lapsed"}, lambda pk: Membership.objects.get(pk=pk).status),
    "contact": ({"phone": "0102030405"}, lambda pk: Contact.objects.get(pk=pk).phone),
    "interaction": ({"subject": "Changed"}, lambda pk: Interaction.objects.get(pk=pk).subject),
}


# -- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["organisations", "memberships", "contacts", "interactions"])
@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.DIRECTOR, 200), (Role.FINANCE, 200), (Role.EXPERT, 403), (Role.MEMBER, 403)],
)
def test_crm_list_is_read_by_staff_only(
    resource: str, role: str, status: int, tenant_a: Tenant
) -> None:
    response = _api(tenant_a.people[role]).get(_url(tenant_a, resource))
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    if status == 403:
        assert response.json()["detail"]


def test_crm_list_is_refused_to_the_region_funder(tenant_a: Tenant, region_funder: User) -> None:
    # The funder may open the cluster (its scope), but not its members' records.
    assert _api(region_funder).get(_url(tenant_a, "organisations")).status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DIRECTOR, 201),
        (Role.PROJECT_MANAGER, 201),
        (Role.EVENT_MANAGER, 201),
        (Role.FINANCE, 403),
        (Role.FACILITY_MANAGER, 403),
        (Role.EXPERT, 403),
    ],
)
def test_organisation_create_needs_change_members(role: str, status: int, tenant_a: Tenant) -> None:
    client = _api(tenant_a.people[role])
    response = _post(client, _url(tenant_a, "organisations"), {"name": "Biotech Lyon"})
    assert response.status_code == status
    assert Organisation.objects.instance_wide().filter(name="Biotech Lyon").exists() == (
        status == 201
    )


def test_membership_fees_are_set_by_finance_not_by_project_managers(tenant_a: Tenant) -> None:
    with scopes_disabled():
        _path, pk = _membership(tenant_a)
    url = _url(tenant_a, f"memberships/{pk}")
    manager = _api(tenant_a.people[Role.PROJECT_MANAGER])
    finance = _api(tenant_a.people[Role.FINANCE])
    expert = _api(tenant_a.people[Role.EXPERT])

    assert _patch(manager, url, {"fee_amount": "900"}).status_code == 403
    assert _patch(expert, url, {"status": "lapsed"}).status_code == 403
    # As on the membership page, keepers of the members change the rest of it.
    assert _patch(manager, url, {"status": "lapsed"}).status_code == 200
    response = _patch(finance, url, {"fee_amount": "1200.50", "fee_called_on": "2025-02-01"})
    assert response.status_code == 200
    with scopes_disabled():
        membership = Membership.objects.get(pk=pk)
    assert membership.fee_amount == Decimal("1200.50")
    assert membership.fee_called_on == datetime.date(2025, 2, 1)
    assert membership.status == Membership.Status.LAPSED


@pytest.mark.parametrize("resource", ["contact", "interaction"])
def test_contact_and_interaction_writes_are_refused_to_finance(
    resource: str, tenant_a: Tenant
) -> None:
    with scopes_disabled():
        path, pk = MAKERS[resource](tenant_a)
        org = followed_organisation(tenant_a.cluster)
    client = _api(tenant_a.people[Role.FINANCE])
    body, current = CHANGES[resource]
    assert _patch(client, _url(tenant_a, f"{path}/{pk}"), body).status_code == 403
    created = _post(
        client, _url(tenant_a, path), {"organisation": org.pk, "subject": "x", "last_name": "x"}
    )
    assert created.status_code == 403
    with scopes_disabled():
        assert current(pk) != next(iter(body.values()))


# -- organisations ----------------------------------------------------------------------------


def test_organisation_list_shows_only_what_the_cluster_follows(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        ours = followed_organisation(tenant_a.cluster, name="Alpha Bio")
        followed_organisation(tenant_b.cluster, name="Beta Bio")
        OrganisationFactory(name="Nobody Bio")
    body = _api(tenant_a.director).get(_url(tenant_a, "organisations")).json()
    assert body["count"] == 1
    assert [o["id"] for o in body["items"]] == [ours.pk]


def test_organisation_list_filters_match_the_directory(tenant_a: Tenant) -> None:
    with scopes_disabled():
        domain = DomainFactory(cluster=tenant_a.cluster)
        startup = followed_organisation(
            tenant_a.cluster, name="Jeune Pousse", kind="startup", departement="69"
        )
        tpe = followed_organisation(tenant_a.cluster, name="Atelier", kind="tpe")
        big = followed_organisation(
            tenant_a.cluster, name="Groupe", kind="large_company", headcount_band="32"
        )
        startup.relationships.get().domains.add(domain)
        MembershipFactory(cluster=tenant_a.cluster, organisation=tpe, year=2024)
        MembershipFactory(cluster=tenant_a.cluster, organisation=big, year=2025, status="lapsed")
    client = _api(tenant_a.director)

    def ids(query: str) -> list[int]:
        response = client.get(_url(tenant_a, f"organisations?{query}"))
        assert response.status_code == 200, response.json()
        return [o["id"] for o in response.json()["items"]]

    assert ids("kind=startup&kind=tpe") == [tpe.pk, startup.pk]  # sorted by name
    assert ids(f"domain={domain.pk}") == [startup.pk]
    assert ids("membership_status=active&membership_year=2024") == [tpe.pk]
    assert ids("membership_status=lapsed") == [big.pk]
    assert ids("sme=false") == [big.pk]
    assert ids("q=pousse") == [startup.pk]
    assert ids("sort=-name") == [startup.pk, big.pk, tpe.pk]


def test_organisation_list_paginates(tenant_a: Tenant) -> None:
    with scopes_disabled():
        orgs = [followed_organisation(tenant_a.cluster, name=f"Org {i:02}") for i in range(7)]
    client = _api(tenant_a.director)
    body = client.get(_url(tenant_a, "organisations?limit=3&offset=3")).json()
    assert body["count"] == 7
    assert [o["id"] for o in body["items"]] == [o.pk for o in orgs[3:6]]
    assert len(client.get(_url(tenant_a, "organisations")).json()["items"]) == 7


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=501", "limit"), ("limit=0", "limit"), ("kind=nope", "kind.0"), ("sme=maybe", "sme")],
)
def test_organisation_list_bad_query_is_422_naming_the_parameter(
    query: str, field: str, tenant_a: Tenant
) -> None:
    response = _api(tenant_a.director).get(_url(tenant_a, f"organisations?{query}"))
    assert response.status_code == 422
    assert field in _errors(response)


def test_organisation_detail_has_identifiers_address_sme_and_the_clusters_terms(
    tenant_a: Tenant,
) -> None:
    with scopes_disabled():
        org = followed_organisation(
            tenant_a.cluster,
            siren=VALID_SIREN,
            street="1 rue de la Soie",
            kind="pme",
            headcount_band="12",
            turnover_band="0-2m",
        )
        domain = DomainFactory(cluster=tenant_a.cluster, name="Diagnostic")
        org.relationships.get(cluster=tenant_a.cluster).domains.add(domain)
    body = _api(tenant_a.director).get(_url(tenant_a, f"organisations/{org.pk}")).json()
    assert body["siren"] == VALID_SIREN
    assert (body["street"], body["postal_code"], body["city"]) == (
        "1 rue de la Soie",
        "69001",
        "Lyon",
    )
    assert body["is_sme"] is True
    assert [d["name"] for d in body["relationship"]["domains"]] == ["Diagnostic"]
    assert body["relationship"]["themes"] == []


def test_organisation_with_a_headcount_band_only_is_shown(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster, kind="pme", headcount_band="12")
    response = _api(tenant_a.director).get(_url(tenant_a, f"organisations/{org.pk}"))
    assert response.status_code == 200
    assert response.json()["is_sme"] is True  # fewer than 250, turnover unknown: by kind


def test_organisation_create_makes_the_cluster_follow_it_and_is_audited(
    tenant_a: Tenant,
) -> None:
    response = _post(
        _api(tenant_a.director),
        _url(tenant_a, "organisations"),
        {
            "name": "Institut X",
            "kind": "research_org",
            "siren": "552 100 554",
            "postal_code": "38000",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["siren"] == VALID_SIREN  # cleaned by the service
    assert body["departement"] == "38"
    assert body["relationship"]["domains"] == []
    with scope(cluster=tenant_a.cluster):
        org = Organisation.objects.instance_wide().get(pk=body["id"])
        assert org.relationships.filter(cluster=tenant_a.cluster).exists()
        entry = AuditEntry.objects.get(action="organisation.created", object_id=str(org.pk))
    assert entry.actor == tenant_a.director


def test_organisation_create_without_a_name_is_422_and_a_blank_one_400(
    tenant_a: Tenant,
) -> None:
    client = _api(tenant_a.director)
    missing = _post(client, _url(tenant_a, "organisations"), {"city": "Lyon"})
    assert missing.status_code == 422
    assert "name" in _errors(missing)
    blank = _post(client, _url(tenant_a, "organisations"), {"name": ""})
    assert blank.status_code == 400
    assert "name" in _errors(blank)
    assert not Organisation.objects.instance_wide().exists()


def test_organisation_with_an_invalid_siren_is_400_naming_the_field_and_the_reason(
    tenant_a: Tenant,
) -> None:
    response = _post(
        _api(tenant_a.director),
        _url(tenant_a, "organisations"),
        {"name": "Bad", "siren": "552100555"},
    )
    assert response.status_code == 400
    assert "Luhn" in _errors(response)["siren"]
    assert response.json()["detail"]


def test_organisation_with_a_siren_already_taken_is_409_naming_it(tenant_a: Tenant) -> None:
    with scopes_disabled():
        first = OrganisationFactory(siren=VALID_SIREN)
    response = _post(
        _api(tenant_a.director),
        _url(tenant_a, "organisations"),
        {"name": "Copy", "siren": VALID_SIREN},
    )
    assert response.status_code == 409
    assert response.json()["existing"] == {"id": first.pk, "name": first.name}


def test_organisation_update_changes_only_the_fields_sent(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster, name="Old", website="https://a.example")
    response = _patch(
        _api(tenant_a.director),
        _url(tenant_a, f"organisations/{org.pk}"),
        {"name": "New", "postal_code": "44000"},
    )
    assert response.status_code == 200
    org.refresh_from_db()
    assert (org.name, org.website, org.departement) == ("New", "https://a.example", "44")
    assert response.json()["name"] == "New"


def test_organisation_update_with_a_wrong_type_is_422_naming_the_field(
    tenant_a: Tenant,
) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
    response = _patch(
        _api(tenant_a.director),
        _url(tenant_a, f"organisations/{org.pk}"),
        {"creation_year": "soon"},
    )
    assert response.status_code == 422
    assert "creation_year" in _errors(response)


def test_malformed_json_is_a_json_400(tenant_a: Tenant) -> None:
    response = _api(tenant_a.director).post(
        _url(tenant_a, "organisations"), "{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]


# -- memberships ------------------------------------------------------------------------------


def test_membership_list_filters_by_year_status_and_organisation(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        org, other = (
            followed_organisation(tenant_a.cluster),
            followed_organisation(tenant_a.cluster),
        )
        old = MembershipFactory(cluster=tenant_a.cluster, organisation=org, year=2024)
        new = MembershipFactory(cluster=tenant_a.cluster, organisation=org, year=2025)
        lapsed = MembershipFactory(
            cluster=tenant_a.cluster, organisation=other, year=2025, status="lapsed"
        )
        _membership(tenant_b)
    client = _api(tenant_a.director)

    def ids(query: str) -> set[int]:
        body = client.get(_url(tenant_a, f"memberships?{query}")).json()
        return {m["id"] for m in body["items"]}

    assert ids("") == {old.pk, new.pk, lapsed.pk}
    assert ids("year=2025") == {new.pk, lapsed.pk}
    assert ids("status=lapsed") == {lapsed.pk}
    assert ids(f"organisation={org.pk}") == {old.pk, new.pk}


def test_membership_create_with_category_representative_and_fees(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
        category = MembershipCategoryFactory(cluster=tenant_a.cluster, name="Collège PME")
        person = ContactFactory(cluster=tenant_a.cluster, organisation=org)
    response = _post(
        _api(tenant_a.people[Role.FINANCE]),
        _url(tenant_a, "memberships"),
        {
            "organisation": org.pk,
            "year": 2026,
            "category": category.pk,
            "status": "active",
            "representative": person.pk,
            "fee_amount": 1500,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["category"] == {"id": category.pk, "name": "Collège PME"}
    assert body["representative"]["id"] == person.pk
    assert body["organisation"]["id"] == org.pk
    assert body["fee_amount"] == "1500.00"  # as stored, and as a GET shows it
    with scopes_disabled():
        assert Membership.objects.get(pk=body["id"]).year == 2026


def test_membership_with_a_category_of_another_cluster_is_400_naming_it(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
        theirs = MembershipCategoryFactory(cluster=tenant_b.cluster)
    response = _post(
        _api(tenant_a.director),
        _url(tenant_a, "memberships"),
        {"organisation": org.pk, "year": 2026, "category": theirs.pk},
    )
    assert response.status_code == 400
    assert _errors(response)["category"] == (
        f"category {theirs.pk} is not a membership category of this cluster"
    )
    with scopes_disabled():
        assert not Membership.objects.exists()


def test_membership_for_an_organisation_the_cluster_does_not_follow_is_400(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        theirs = followed_organisation(tenant_b.cluster)
    response = _post(
        _api(tenant_a.director),
        _url(tenant_a, "memberships"),
        {"organisation": theirs.pk, "year": 2026},
    )
    assert response.status_code == 400
    assert str(theirs.pk) in _errors(response)["organisation"]


def test_membership_create_for_a_year_already_held_is_409_naming_it(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
        held = MembershipFactory(cluster=tenant_a.cluster, organisation=org, year=2025)
    response = _post(
        _api(tenant_a.director),
        _url(tenant_a, "memberships"),
        {"organisation": org.pk, "year": 2025, "status": "resigned"},
    )
    assert response.status_code == 409
    assert response.json()["existing"]["id"] == held.pk
    with scopes_disabled():
        assert Membership.objects.get().status == Membership.Status.ACTIVE


def test_membership_rules_of_the_service_come_back_as_400_per_field(tenant_a: Tenant) -> None:
    with scopes_disabled():
        _path, pk = _membership(tenant_a)
        elsewhere = ContactFactory(
            cluster=tenant_a.cluster, organisation=followed_organisation(tenant_a.cluster)
        )
    client = _api(tenant_a.director)
    url = _url(tenant_a, f"memberships/{pk}")
    resigned = _patch(client, url, {"status": "resigned"})
    assert resigned.status_code == 400
    assert "resignation_reason" in _errors(resigned)
    stranger = _patch(client, url, {"representative": elsewhere.pk})
    assert stranger.status_code == 400
    assert "representative" in _errors(stranger)
    negative = _patch(client, url, {"fee_paid_amount": -5})
    assert negative.status_code == 422
    assert "fee_paid_amount" in _errors(negative)


# -- contacts ---------------------------------------------------------------------------------


def test_contact_list_filters_by_organisation_with_personal_fields(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
        person = ContactFactory(
            cluster=tenant_a.cluster, organisation=org, phone="0472000000", job_title="CEO"
        )
        _contact(tenant_a)
    body = _api(tenant_a.director).get(_url(tenant_a, f"contacts?organisation={org.pk}")).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["email"], item["phone"]) == (person.pk, person.email, "0472000000")
    assert item["has_portal_account"] is False


def test_contact_create_and_update_with_consent_date(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
    client = _api(tenant_a.people[Role.EVENT_MANAGER])
    created = _post(
        client,
        _url(tenant_a, "contacts"),
        {"organisation": org.pk, "first_name": "Inès", "last_name": "Durand"},
    )
    assert created.status_code == 201, created.json()
    assert created.json()["consent_on"] is None
    updated = _patch(client, _url(tenant_a, f"contacts/{created.json()['id']}"), {"consent": True})
    assert updated.status_code == 200
    assert updated.json()["consent_on"] is not None
    assert updated.json()["last_name"] == "Durand"


def test_contact_with_a_bad_email_or_no_last_name_is_rejected(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
    client = _api(tenant_a.director)
    url = _url(tenant_a, "contacts")
    bad_email = _post(client, url, {"organisation": org.pk, "last_name": "X", "email": "nope"})
    assert bad_email.status_code == 400
    assert "email" in _errors(bad_email)
    no_name = _post(client, url, {"organisation": org.pk})
    assert no_name.status_code == 422
    assert "last_name" in _errors(no_name)


def test_erased_contact_cannot_change(tenant_a: Tenant) -> None:
    with scopes_disabled():
        _path, pk = _contact(tenant_a)
        Contact.objects.filter(pk=pk).update(anonymised_at=datetime.datetime.now(datetime.UTC))
    response = _patch(_api(tenant_a.director), _url(tenant_a, f"contacts/{pk}"), {"phone": "1"})
    assert response.status_code == 400
    assert list(_errors(response)) == [None]  # a rule of the whole record, no field


# -- interactions -----------------------------------------------------------------------------


def test_interaction_create_is_owned_by_the_caller_with_people_met(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
        person = ContactFactory(cluster=tenant_a.cluster, organisation=org)
    manager = tenant_a.people[Role.PROJECT_MANAGER]
    response = _post(
        _api(manager),
        _url(tenant_a, "interactions"),
        {"organisation": org.pk, "subject": "Kick-off", "kind": "call", "contacts": [person.pk]},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"]["id"] == manager.pk
    assert [c["id"] for c in body["contacts"]] == [person.pk]
    assert body["date"] == datetime.date.today().isoformat()


def test_interaction_update_replaces_the_people_met(tenant_a: Tenant) -> None:
    with scopes_disabled():
        _path, pk = _interaction(tenant_a)
        interaction = Interaction.objects.get(pk=pk)
        first, second = (
            ContactFactory(cluster=tenant_a.cluster, organisation=interaction.organisation)
            for _ in range(2)
        )
        interaction.contacts.add(first)
    response = _patch(
        _api(tenant_a.director), _url(tenant_a, f"interactions/{pk}"), {"contacts": [second.pk]}
    )
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["contacts"]] == [second.pk]
    with scopes_disabled():
        assert list(interaction.contacts.all()) == [second]


def test_interaction_people_met_must_be_the_organisations_contacts(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
        elsewhere = ContactFactory(
            cluster=tenant_a.cluster, organisation=followed_organisation(tenant_a.cluster)
        )
        _path, theirs = _contact(tenant_b)
    client = _api(tenant_a.director)
    url = _url(tenant_a, "interactions")
    base = {"organisation": org.pk, "subject": "Visit"}
    unknown = _post(client, url, base | {"contacts": [theirs]})
    assert unknown.status_code == 400
    assert _errors(unknown)["contacts"] == f"contact {theirs} is not a contact of this cluster"
    stranger = _post(client, url, base | {"contacts": [elsewhere.pk]})
    assert stranger.status_code == 400
    assert "contacts" in _errors(stranger)
    with scopes_disabled():
        assert not Interaction.objects.exists()


def test_interaction_list_filters_by_owner_and_organisation(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
        mine = InteractionFactory(
            cluster=tenant_a.cluster, organisation=org, owner=tenant_a.director
        )
        other = InteractionFactory(cluster=tenant_a.cluster, organisation=org)
        InteractionFactory(
            cluster=tenant_a.cluster,
            organisation=followed_organisation(tenant_a.cluster),
            owner=tenant_a.director,
        )
    client = _api(tenant_a.director)

    def ids(query: str) -> set[int]:
        return {
            i["id"] for i in client.get(_url(tenant_a, f"interactions?{query}")).json()["items"]
        }

    assert ids(f"organisation={org.pk}") == {mine.pk, other.pk}
    assert ids(f"organisation={org.pk}&owner={tenant_a.director.pk}") == {mine.pk}


def test_interaction_next_action_due_needs_the_action(tenant_a: Tenant) -> None:
    with scopes_disabled():
        _path, pk = _interaction(tenant_a)
    response = _patch(
        _api(tenant_a.director),
        _url(tenant_a, f"interactions/{pk}"),
        {"next_action_due": "2026-03-01"},
    )
    assert response.status_code == 400
    assert "next_action" in _errors(response)


# -- scoping ----------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", sorted(MAKERS))
def test_object_of_another_cluster_is_404_for_read_and_write(
    resource: str, tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        path, theirs = MAKERS[resource](tenant_b)
    client = _api(tenant_a.director)
    url = _url(tenant_a, f"{path}/{theirs}")
    body, current = CHANGES[resource]
    missing = client.get(_url(tenant_a, f"{path}/999999"))
    assert client.get(url).status_code == 404
    assert client.get(url).json() == missing.json()
    assert _patch(client, url, body).status_code == 404
    with scopes_disabled():
        assert current(theirs) != next(iter(body.values()))
    listed = client.get(_url(tenant_a, path)).json()
    assert theirs not in [item["id"] for item in listed["items"]]


def test_organisation_nobody_follows_is_404_like_a_missing_one(tenant_a: Tenant) -> None:
    with scopes_disabled():
        lone = OrganisationFactory()
    client = _api(tenant_a.director)
    response = client.get(_url(tenant_a, f"organisations/{lone.pk}"))
    assert response.status_code == 404
    assert response.json() == client.get(_url(tenant_a, "organisations/999999")).json()
    assert _patch(client, _url(tenant_a, f"organisations/{lone.pk}"), {}).status_code == 404


# -- queries ----------------------------------------------------------------------------------


def _fill(resource: str, tenant: Tenant, count: int) -> None:
    with scopes_disabled():
        for _ in range(count):
            MAKERS[resource](tenant)
            if resource == "interaction":
                interaction = Interaction.objects.latest("pk")
                interaction.contacts.add(
                    ContactFactory(cluster=tenant.cluster, organisation=interaction.organisation)
                )
            if resource == "membership":
                membership = Membership.objects.latest("pk")
                membership.category = MembershipCategoryFactory(cluster=tenant.cluster)
                membership.representative = ContactFactory(
                    cluster=tenant.cluster, organisation=membership.organisation
                )
                membership.save()


@pytest.mark.parametrize("resource", sorted(MAKERS))
def test_list_needs_as_many_queries_for_ten_items_as_for_one(
    resource: str, tenant_a: Tenant, django_assert_max_num_queries: Any
) -> None:
    client = _api(tenant_a.director)
    url = _url(tenant_a, f"{resource}s")
    _fill(resource, tenant_a, 1)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()["items"]) == 1
    _fill(resource, tenant_a, 9)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(url).json()["items"]) == 10
