"""Merging organisations safely (issue 15, point 6): different identifiers are never
duplicates, a merge says what will move and asks to confirm, and it can be undone."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Contact, Membership, Organisation, Relationship
from clusterdesk.crm.previews import merges_undoable
from clusterdesk.crm.selectors import duplicate_candidates
from clusterdesk.crm.services import merges, organisations
from tests.conftest import Tenant, client_for
from tests.factories import ContactFactory, follow

SIREN = "732829320"  # valid SIRENs (Luhn)
OTHER_SIREN = "552100554"
VAT_OF_OTHER = "FR96552100554"


def _pairs(tenant: Tenant) -> set[frozenset[str]]:
    with scope(cluster=tenant.cluster):
        return {
            frozenset((p.first.name, p.second.name))
            for p in duplicate_candidates(cluster=tenant.cluster)
        }


def test_records_with_different_valid_identifiers_are_never_duplicates(tenant_a: Tenant) -> None:
    with scopes_disabled():
        follow(tenant_a.cluster, name="Diagnostics", city="Lyon", siren=SIREN)
        follow(tenant_a.cluster, name="Labdetect Diagnostics", city="Lyon", siren=OTHER_SIREN)
        follow(tenant_a.cluster, name="Immuno Lyon", city="Lyon", siren=SIREN[:8] + "1")
        follow(tenant_a.cluster, name="Immuno Lyon SAS", city="Lyon", vat=VAT_OF_OTHER)
        follow(tenant_a.cluster, name="Vetopharm", city="Lyon", vat=VAT_OF_OTHER[:-1] + "5")
        follow(tenant_a.cluster, name="Vetopharm SA", city="Lyon")
    pairs = _pairs(tenant_a)
    assert frozenset(("Diagnostics", "Labdetect Diagnostics")) not in pairs
    # An invalid SIREN says nothing: the names still make a pair.
    assert frozenset(("Immuno Lyon", "Immuno Lyon SAS")) in pairs
    assert frozenset(("Vetopharm", "Vetopharm SA")) in pairs


def test_the_merge_of_two_organisations_with_different_sirens_is_refused(
    tenant_a: Tenant,
) -> None:
    with scopes_disabled():
        keep = follow(tenant_a.cluster, name="Diagnostics", siren=SIREN)
        # A SIREN read from the French VAT number counts too.
        drop = follow(tenant_a.cluster, name="Labdetect Diagnostics", vat=VAT_OF_OTHER)
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError) as refused:
        organisations.organisation_merge(
            actor=tenant_a.director, cluster=tenant_a.cluster, keep=keep, drop=drop
        )
    assert "SIREN" in " ".join(refused.value.messages)
    assert Organisation.objects.instance_wide().filter(pk=drop.pk).exists()


@pytest.fixture
def pair(tenant_a: Tenant, tenant_b: Tenant) -> dict[str, Organisation]:
    """``drop`` followed by both clusters, with memberships, a contact and a 2025
    membership in A that ``keep`` has too (it cannot move: it goes with ``drop``)."""
    with scopes_disabled():
        keep = follow(tenant_a.cluster, name="Acme", city="Lyon")
        drop = follow(
            tenant_a.cluster, name="ACME SAS", city="Lyon", siren=SIREN, website="https://a.fr"
        )
        follow(tenant_b.cluster, drop)
        Membership.objects.create(cluster=tenant_b.cluster, organisation=drop, year=2025)
        Membership.objects.create(cluster=tenant_a.cluster, organisation=keep, year=2025)
        Membership.objects.create(cluster=tenant_a.cluster, organisation=drop, year=2025)
        Membership.objects.create(cluster=tenant_a.cluster, organisation=drop, year=2024)
        ContactFactory(cluster=tenant_a.cluster, organisation=drop, last_name="Durand")
    return {"keep": keep, "drop": drop}


def test_merging_from_the_duplicates_page_shows_what_moves_then_asks_to_confirm(
    tenant_a: Tenant, pair: dict[str, Organisation]
) -> None:
    client = client_for(tenant_a.director)
    client.cookies["django_language"] = "en"
    url = reverse("members:duplicates", args=[tenant_a.cluster.slug])
    data = {"keep": pair["keep"].pk, "drop": pair["drop"].pk}
    page = client.post(url, data)
    assert page.status_code == 200
    effects = {str(e.label): e.count for e in page.context["confirmation"].effects}
    # A's 2025 membership duplicates the kept record's: counted apart, it does not move.
    kept_too = "that “Acme” already has: not moved, deleted with “ACME SAS”"
    assert effects["memberships of Pôle Alpha"] == 1
    assert effects[f"memberships of Pôle Alpha {kept_too} (a relationship's tags are kept)"] == 1
    assert effects["memberships of Pôle Beta"] == 1
    assert effects["contacts of Pôle Alpha"] == 1
    assert effects["relationships of Pôle Beta"] == 1
    assert effects["relationships of Pôle Alpha"] == 0
    assert effects["organisation deleted"] == 1
    html = page.content.decode()
    assert "website" in html and "SIREN" in html  # the fields the merge fills
    assert Organisation.objects.instance_wide().filter(pk=pair["drop"].pk).exists()
    done = client.post(url, data | {"confirmed": "yes"})
    assert done.status_code == 302
    assert not Organisation.objects.instance_wide().filter(pk=pair["drop"].pk).exists()


def _merge(tenant: Tenant, pair: dict[str, Organisation]) -> AuditEntry:
    with scope(cluster=tenant.cluster):
        organisations.organisation_merge(
            actor=tenant.director, cluster=tenant.cluster, keep=pair["keep"], drop=pair["drop"]
        )
    with scopes_disabled():
        return AuditEntry.objects.get(action="organisation.merged")


def test_a_merge_is_undone_with_its_links_fields_and_deleted_rows(
    tenant_a: Tenant, tenant_b: Tenant, pair: dict[str, Organisation]
) -> None:
    keep, drop = pair["keep"], pair["drop"]
    entry = _merge(tenant_a, pair)
    assert "_undo" not in {name for name, _old, _new in entry.changes}  # not shown
    with scope(cluster=tenant_a.cluster):
        assert [m.entry.pk for m in merges_undoable(cluster=tenant_a.cluster, organisation=keep)]
        restored = merges.organisation_merge_undo(
            actor=tenant_a.director, cluster=tenant_a.cluster, organisation=keep, entry_id=entry.pk
        )
    assert restored.pk == drop.pk and restored.name == "ACME SAS" and restored.siren == SIREN
    keep.refresh_from_db()
    assert keep.siren is None and keep.website == ""  # the fields it took are given back
    with scopes_disabled():
        assert Membership.objects.filter(organisation=drop).count() == 3  # 2 of A, 1 of B
        assert Membership.objects.filter(organisation=keep).count() == 1
        assert Contact.objects.get(last_name="Durand").organisation_id == drop.pk
        assert Relationship.objects.filter(organisation=drop).count() == 2
        assert AuditEntry.objects.filter(action="organisation.merge_undone").count() == 1
    with scope(cluster=tenant_a.cluster):
        assert not merges_undoable(cluster=tenant_a.cluster, organisation=keep)
        with pytest.raises(ValidationError):  # once only
            merges.organisation_merge_undo(
                actor=tenant_a.director,
                cluster=tenant_a.cluster,
                organisation=keep,
                entry_id=entry.pk,
            )


def test_a_merge_cannot_be_undone_once_another_record_holds_its_identifier(
    tenant_a: Tenant, pair: dict[str, Organisation]
) -> None:
    entry = _merge(tenant_a, pair)
    with scopes_disabled():
        Organisation.objects.instance_wide().filter(pk=pair["keep"].pk).update(siren=None)
        follow(tenant_a.cluster, name="Successor", siren=SIREN)
    with scope(cluster=tenant_a.cluster):
        assert not merges_undoable(cluster=tenant_a.cluster, organisation=pair["keep"])
        with pytest.raises(ValidationError):
            merges.organisation_merge_undo(
                actor=tenant_a.director,
                cluster=tenant_a.cluster,
                organisation=pair["keep"],
                entry_id=entry.pk,
            )


def test_the_undo_button_confirms_then_restores(
    tenant_a: Tenant, pair: dict[str, Organisation]
) -> None:
    entry = _merge(tenant_a, pair)
    client = client_for(tenant_a.director)
    page = client.get(
        reverse("members:organisation", args=[tenant_a.cluster.slug, pair["keep"].pk])
    )
    url = reverse("members:merge_undo", args=[tenant_a.cluster.slug, pair["keep"].pk, entry.pk])
    assert url in page.content.decode()
    confirm = client.post(url)
    assert confirm.status_code == 200 and "ACME SAS" in confirm.content.decode()
    assert not Organisation.objects.instance_wide().filter(pk=pair["drop"].pk).exists()
    done = client.post(url, {"confirmed": "yes"})
    assert done.status_code == 302
    assert done["Location"] == reverse(
        "members:organisation", args=[tenant_a.cluster.slug, pair["drop"].pk]
    )
    # Who may not merge sees no button and is refused.
    other = client_for(tenant_a.people[Role.EVENT_MANAGER])
    assert other.post(url).status_code in (403, 404)


def test_a_merge_of_another_cluster_is_not_found(
    tenant_a: Tenant, tenant_b: Tenant, pair: dict[str, Organisation]
) -> None:
    entry = _merge(tenant_a, pair)
    with scope(cluster=tenant_b.cluster), pytest.raises(Exception) as refused:
        merges.organisation_merge_undo(
            actor=tenant_b.director,
            cluster=tenant_b.cluster,
            organisation=pair["keep"],
            entry_id=entry.pk,
        )
    assert type(refused.value).__name__ == "NotVisible"
