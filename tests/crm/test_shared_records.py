"""An organisation is one record shared by the clusters that follow it: a change one cluster
makes is seen (who, for which cluster) by every other follower, and only the fields
``SHARED_RECORD_FIELDS`` may be changed by staff while another cluster follows it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.services import api_token_create
from clusterdesk.core.errors import NotVisible
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.services.organisations import (
    ORGANISATION_FIELDS,
    SHARED_RECORD_FIELDS,
    SOLE_FOLLOWER_FIELDS,
    organisation_update,
    relationship_update,
)
from tests.conftest import Tenant, client_for
from tests.factories import OrganisationFactory, follow


def _shared(a: Tenant, b: Tenant, **fields: object) -> Organisation:
    with scopes_disabled():
        org = OrganisationFactory(**fields)
        follow(a.cluster, org)
        follow(b.cluster, org)
    return org


def test_the_shared_record_rule_names_every_organisation_field_once() -> None:
    assert set(SHARED_RECORD_FIELDS) | set(SOLE_FOLLOWER_FIELDS) == set(ORGANISATION_FIELDS)
    assert not set(SHARED_RECORD_FIELDS) & set(SOLE_FOLLOWER_FIELDS)


def test_change_to_a_shared_organisation_shows_in_every_following_cluster(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    org = _shared(tenant_a, tenant_b, name="Biopharma Lyon")
    with scope(cluster=tenant_a.cluster):
        organisation_update(
            actor=tenant_a.director, cluster=tenant_a.cluster, organisation=org, city="Grenoble"
        )
    audit = reverse("backoffice:audit", args=[tenant_b.cluster.slug])
    for role in (Role.DIRECTOR, Role.FINANCE):
        page = client_for(tenant_b.people[role]).get(audit)
        entries = list(page.context["page"])
        assert [e.action for e in entries] == ["organisation.updated"], role
        assert entries[0].actor == tenant_a.director
        body = page.content.decode()
        assert "Grenoble" in body and tenant_a.cluster.name in body
    detail = reverse("members:organisation", args=[tenant_b.cluster.slug, org.pk])
    timeline = client_for(tenant_b.director).get(detail).context["timeline"]
    records = [item for item in timeline if item.kind == "record"]
    assert len(records) == 1
    # In words: the action's sentence and the field's label, not the codes.
    city = str(Organisation._meta.get_field("city").verbose_name)
    assert records[0].title == f"Fiche : Organisation modifiée ({city})"
    assert tenant_a.cluster.name in records[0].detail


def test_a_cluster_that_does_not_follow_the_organisation_sees_none_of_its_changes(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster, OrganisationFactory(name="Seulement Alpha"))
    with scope(cluster=tenant_a.cluster):
        organisation_update(
            actor=tenant_a.director, cluster=tenant_a.cluster, organisation=org, city="Annecy"
        )
    page = client_for(tenant_b.director).get(
        reverse("backoffice:audit", args=[tenant_b.cluster.slug])
    )
    assert page.context["page"].paginator.count == 0
    assert "Annecy" not in page.content.decode()


def test_a_cluster_own_view_of_a_shared_organisation_stays_its_own(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    org = _shared(tenant_a, tenant_b)
    with scope(cluster=tenant_a.cluster):
        relationship = org.relationships.get(cluster=tenant_a.cluster)
        relationship_update(
            actor=tenant_a.director,
            relationship=relationship,
            domains=[],
            themes=[],
            markets=[],
            owner=tenant_a.director,
        )
    page = client_for(tenant_b.director).get(
        reverse("backoffice:audit", args=[tenant_b.cluster.slug])
    )
    assert page.context["page"].paginator.count == 0


def test_staff_change_the_facts_of_a_shared_organisation_but_not_its_consent(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    org = _shared(tenant_a, tenant_b, name="Partagée")
    with scope(cluster=tenant_a.cluster):
        organisation_update(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            organisation=org,
            name="Partagée SA",
            headcount_band=org.headcount_band,
            directory_consent=org.directory_consent,  # unchanged: a full form is accepted
        )
        for field, value in (("directory_consent", True), ("sme_override", False)):
            with pytest.raises(ValidationError) as refused:
                organisation_update(
                    actor=tenant_a.director,
                    cluster=tenant_a.cluster,
                    organisation=org,
                    **{field: value},
                )
            assert field in refused.value.message_dict
    org.refresh_from_db()
    assert (org.name, org.directory_consent, org.sme_override) == ("Partagée SA", False, None)


def test_staff_of_the_only_following_cluster_change_the_consent(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster, OrganisationFactory())
    with scope(cluster=tenant_a.cluster):
        organisation_update(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            organisation=org,
            directory_consent=True,
        )
    org.refresh_from_db()
    assert org.directory_consent is True


def test_organisation_update_by_a_cluster_that_does_not_follow_it_is_refused(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        org = follow(tenant_b.cluster, OrganisationFactory(name="Beta seulement"))
    with scope(cluster=tenant_a.cluster), pytest.raises(NotVisible):
        organisation_update(
            actor=tenant_a.director, cluster=tenant_a.cluster, organisation=org, name="Pris"
        )


def test_api_refuses_the_consent_of_a_shared_organisation_naming_the_field(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    org = _shared(tenant_a, tenant_b)
    _token, raw = api_token_create(user=tenant_a.director, name="test")
    response = client_for(tenant_a.director).patch(
        f"/api/v1/clusters/{tenant_a.cluster.slug}/organisations/{org.pk}",
        {"directory_consent": True},
        content_type="application/json",
        headers={"authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["directory_consent"]
