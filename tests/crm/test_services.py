from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.errors import Conflict, NotAllowed, NotVisible
from clusterdesk.core.models import ClusterRole
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import (
    Contact,
    FeeRule,
    Interaction,
    Membership,
    MembershipCategory,
    Organisation,
    Relationship,
)
from clusterdesk.crm.selectors import fee_for, membership_figures
from clusterdesk.crm.services import contacts, interactions, memberships, organisations
from tests.conftest import Tenant
from tests.factories import ContactFactory, OrganisationFactory, follow

SIREN = "732829320"  # a valid SIREN (Luhn)
SIRET = "73282932000074"


def test_organisation_create_validates_identifiers_and_derives_the_departement(
    tenant_a: Tenant,
) -> None:
    with scope(cluster=tenant_a.cluster):
        org = organisations.organisation_create(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            name="Acme Bio",
            siret=SIRET,
            postal_code="38000",
            city="Grenoble",
        )
        assert Relationship.objects.filter(organisation=org).count() == 1
        entry = AuditEntry.objects.get(action="organisation.created")
    assert org.siren == SIREN  # from the SIRET
    assert (org.departement, org.region_code) == ("38", "84")
    assert entry.after["siret"] == SIRET


def test_organisation_create_reports_each_bad_identifier_and_writes_nothing(
    tenant_a: Tenant,
) -> None:
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError) as error:
        organisations.organisation_create(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            name="Bad",
            siren="732829321",
            vat="FR00000000000",
        )
    assert {"siren", "vat"} <= set(error.value.message_dict)
    assert not Organisation.objects.instance_wide().exists()


def test_same_identifier_is_the_same_organisation(tenant_a: Tenant) -> None:
    with scope(cluster=tenant_a.cluster):
        first = organisations.organisation_create(
            actor=tenant_a.director, cluster=tenant_a.cluster, name="A", siren=SIREN
        )
        with pytest.raises(Conflict) as error:
            organisations.organisation_create(
                actor=tenant_a.director, cluster=tenant_a.cluster, name="B", siren="732 829 320"
            )
    assert error.value.existing == first
    assert "A (no. " in error.value.message


def test_sme_follows_eu_definition_unless_overridden(db: None) -> None:
    small = Organisation(name="x", kind="pme", headcount_band="12", turnover_band="2m-10m")
    big = Organisation(name="y", kind="pme", headcount_band="32")
    assert small.is_sme is True and big.is_sme is False
    big.sme_override = True
    assert big.is_sme is True


def test_merge_moves_links_from_every_cluster_and_fills_fields(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        keep = follow(tenant_a.cluster, name="Acme", city="Lyon")
        drop = follow(
            tenant_a.cluster,
            name="ACME SAS",
            city="Lyon",
            siren=SIREN,
            website="https://acme.example",
        )
        follow(tenant_b.cluster, drop)
        Membership.objects.create(cluster=tenant_b.cluster, organisation=drop, year=2025)
        Membership.objects.create(cluster=tenant_a.cluster, organisation=keep, year=2025)
        Membership.objects.create(cluster=tenant_a.cluster, organisation=drop, year=2025)
        ContactFactory(cluster=tenant_a.cluster, organisation=drop)
    with scope(cluster=tenant_a.cluster):
        organisations.organisation_merge(
            actor=tenant_a.director, cluster=tenant_a.cluster, keep=keep, drop=drop
        )
    keep.refresh_from_db()
    assert keep.siren == SIREN and keep.website == "https://acme.example"
    assert not Organisation.objects.instance_wide().filter(pk=drop.pk).exists()
    with scopes_disabled():
        assert Membership.objects.filter(organisation=keep).count() == 2  # A's and B's
        assert Relationship.objects.filter(organisation=keep).count() == 2
        assert Contact.objects.filter(organisation=keep).count() == 1
        entry = AuditEntry.objects.get(action="organisation.merged")
    assert entry.after["not_moved"]  # A's duplicate 2025 membership is reported


def test_merge_into_itself_is_refused(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster)
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError):
        organisations.organisation_merge(
            actor=tenant_a.director, cluster=tenant_a.cluster, keep=org, drop=org
        )


@pytest.fixture
def fee_grid(tenant_a: Tenant) -> MembershipCategory:
    with scopes_disabled():
        category = MembershipCategory.objects.create(cluster=tenant_a.cluster, name="Entreprises")
        FeeRule.objects.create(cluster=tenant_a.cluster, category=category, amount=Decimal(1000))
        FeeRule.objects.create(
            cluster=tenant_a.cluster,
            category=category,
            kind="pme",
            min_headcount=0,
            max_headcount=49,
            amount=Decimal(1500),
        )
        FeeRule.objects.create(
            cluster=tenant_a.cluster,
            category=category,
            kind="pme",
            min_headcount=50,
            amount=Decimal(3000),
        )
    return category


def test_fee_grid_picks_the_most_specific_line(
    tenant_a: Tenant, fee_grid: MembershipCategory
) -> None:
    with scope(cluster=tenant_a.cluster):
        assert (
            fee_for(category=fee_grid, organisation=Organisation(kind="pme", headcount_band="12"))
            == 1500
        )
        assert (
            fee_for(category=fee_grid, organisation=Organisation(kind="pme", headcount_band="21"))
            == 3000
        )
        assert fee_for(category=fee_grid, organisation=Organisation(kind="eti")) == 1000
        assert fee_for(category=None, organisation=Organisation(kind="eti")) is None


def test_renewal_campaign_renews_calls_reminds_records_and_lapses(
    tenant_a: Tenant, fee_grid: MembershipCategory, django_capture_on_commit_callbacks: object
) -> None:
    cluster = tenant_a.cluster
    with scopes_disabled():
        payer = follow(cluster, kind="pme", headcount_band="12")
        late = follow(cluster, kind="pme", headcount_band="21")
        gone = follow(cluster)
        for org in (payer, late):
            person = ContactFactory(cluster=cluster, organisation=org)
            Membership.objects.create(
                cluster=cluster,
                organisation=org,
                year=2025,
                category=fee_grid,
                status="active",
                representative=person,
            )
        Membership.objects.create(
            cluster=cluster,
            organisation=gone,
            year=2025,
            status="resigned",
            resignation_reason="Moved away",
        )
    actor = tenant_a.people[Role.FINANCE]
    capture = django_capture_on_commit_callbacks(execute=True)  # type: ignore[operator]
    with scope(cluster=cluster), capture:
        renewed = memberships.membership_renew(actor=actor, cluster=cluster, year=2026)
        assert sorted(m.fee_amount for m in renewed) == [1500, 3000]
        called = memberships.membership_call_fees(
            actor=actor,
            cluster=cluster,
            called_on=datetime.date(2026, 1, 15),
            memberships=Membership.objects.filter(year=2026),
        )
        assert len(called) == 2
        paying = Membership.objects.get(organisation=payer, year=2026)
        memberships.membership_record_payment(
            actor=actor, membership=paying, amount=Decimal(1500), paid_on=datetime.date(2026, 2, 1)
        )
        reminded = memberships.membership_remind(
            actor=actor, cluster=cluster, year=2026, today=datetime.date(2026, 3, 1)
        )
        assert [m.organisation for m in reminded] == [late]
        assert memberships.membership_lapse_unpaid(actor=actor, cluster=cluster, year=2026) == 1
        figures = membership_figures(cluster=cluster, years=[2026])[0]
    assert len(mail.outbox) == 3  # two calls, one reminder
    assert mail.outbox[2].subject.startswith("Relance")  # the contact reads French
    assert (figures.members, figures.renewed, figures.left, figures.joined) == (1, 1, 1, 0)
    assert figures.renewal_rate == 0.5 and figures.fees_paid == 1500


def test_payment_before_the_call_is_refused(tenant_a: Tenant) -> None:
    with scopes_disabled():
        m = Membership.objects.create(
            cluster=tenant_a.cluster,
            organisation=follow(tenant_a.cluster),
            year=2026,
            fee_amount=100,
        )
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError):
        memberships.membership_record_payment(
            actor=tenant_a.director,
            membership=m,
            amount=Decimal(100),
            paid_on=datetime.date(2026, 1, 1),
        )


def test_resignation_needs_a_reason(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster)
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError):
        memberships.membership_create(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            organisation=org,
            year=2026,
            status="resigned",
        )


def test_contact_audit_never_holds_personal_data(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster)
    with scope(cluster=tenant_a.cluster):
        contacts.contact_save(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            organisation=org,
            first_name="Inès",
            last_name="Morel",
            email="ines@example.org",
        )
        entry = AuditEntry.objects.get(action="contact.created")
    assert "ines@example.org" not in str(entry.after) and "Morel" not in str(entry.after)


def test_portal_access_makes_a_member_account_and_erasure_removes_it(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster)
        contact = ContactFactory(cluster=tenant_a.cluster, organisation=org, email="m@example.org")
        Interaction.objects.create(cluster=tenant_a.cluster, organisation=org, subject="Visite")
    capture = django_capture_on_commit_callbacks(execute=True)  # type: ignore[operator]
    with scope(cluster=tenant_a.cluster), capture:
        user = contacts.contact_grant_portal_access(actor=tenant_a.director, contact=contact)
    assert user.has_perm("crm.use_portal", tenant_a.cluster)
    assert user.has_perm("crm.change_profile_organisation", org)
    assert "/accounts/password/reset/" in mail.outbox[0].body
    with scope(cluster=tenant_a.cluster):
        data = contacts.contact_personal_data(actor=tenant_a.director, contact=contact)
        assert data["person"]["email"] == "m@example.org"
        contacts.contact_anonymise(actor=tenant_a.director, contact=contact)
    contact.refresh_from_db()
    assert contact.email == "" and contact.anonymised_at is not None and contact.user is None
    with scopes_disabled():
        assert not ClusterRole.objects.filter(user=user, role=Role.MEMBER).exists()
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError):
        contacts.contact_save(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            organisation=org,
            contact=contact,
            last_name="Back",
        )


def test_interaction_next_action_needs_a_description(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster)
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError):
        interactions.interaction_save(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            organisation=org,
            subject="Call",
            next_action_due=datetime.date(2026, 12, 1),
        )


def test_interaction_contacts_must_work_for_the_organisation(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org, other = follow(tenant_a.cluster), follow(tenant_a.cluster)
        stranger = ContactFactory(cluster=tenant_a.cluster, organisation=other)
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError):
        interactions.interaction_save(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            organisation=org,
            subject="Call",
            contacts=[stranger],
        )
    assert not Interaction.objects.with_scopes_disabled().exists()


def test_organisation_factory_is_not_followed_by_default(tenant_a: Tenant) -> None:
    org = OrganisationFactory()
    with scopes_disabled():
        assert not Relationship.objects.filter(organisation=org).exists()


def test_sme_filter_in_sql_agrees_with_the_model_for_every_case(db: None) -> None:
    from itertools import product

    from clusterdesk.crm.selectors import sme_condition
    from clusterdesk.crm.sme import HeadcountBand, TurnoverBand

    cases = product(
        ["", *HeadcountBand.values],
        ["", *TurnoverBand.values],
        ["pme", "large_company"],
        [None, True, False],
    )
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"{h}-{t}-{k}-{o}", headcount_band=h, turnover_band=t, kind=k, sme_override=o
        )
        for h, t, k, o in cases
    )
    yes = set(
        Organisation.objects.instance_wide()
        .filter(sme_condition(True))
        .values_list("pk", flat=True)
    )
    no = set(
        Organisation.objects.instance_wide()
        .filter(sme_condition(False))
        .values_list("pk", flat=True)
    )
    for org in orgs:
        assert (org.pk in yes, org.pk in no) == (org.is_sme is True, org.is_sme is False), org.name


def _writes(tenant: Tenant) -> dict[str, Any]:
    """One call of each CRM write service, on records of ``tenant``."""
    cluster = tenant.cluster
    with scopes_disabled():
        org, other = follow(cluster), follow(cluster)
        contact = ContactFactory(cluster=cluster, organisation=org, email="p@example.org")
        membership = Membership.objects.create(cluster=cluster, organisation=org, year=2025)
        category = MembershipCategory.objects.create(cluster=cluster, name="PME")
        relationship = Relationship.objects.get(cluster=cluster, organisation=org)
    day = datetime.date(2026, 1, 15)
    return {
        "organisation_create": lambda a: organisations.organisation_create(
            actor=a, cluster=cluster, name="New"
        ),
        "organisation_update": lambda a: organisations.organisation_update(
            actor=a, cluster=cluster, organisation=org, city="Paris"
        ),
        "organisation_merge": lambda a: organisations.organisation_merge(
            actor=a, cluster=cluster, keep=org, drop=other
        ),
        "relationship_update": lambda a: organisations.relationship_update(
            actor=a, relationship=relationship, domains=[], themes=[], markets=[], owner=None
        ),
        "membership_create": lambda a: memberships.membership_create(
            actor=a, cluster=cluster, organisation=org, year=2026
        ),
        "membership_update": lambda a: memberships.membership_update(
            actor=a, membership=membership, status="lapsed"
        ),
        "membership_renew": lambda a: memberships.membership_renew(
            actor=a, cluster=cluster, year=2026
        ),
        "membership_call_fees": lambda a: memberships.membership_call_fees(
            actor=a, cluster=cluster, memberships=[membership], called_on=day
        ),
        "membership_record_payment": lambda a: memberships.membership_record_payment(
            actor=a, membership=membership, amount=Decimal(1), paid_on=day
        ),
        "membership_remind": lambda a: memberships.membership_remind(
            actor=a, cluster=cluster, year=2025, today=day
        ),
        "membership_lapse_unpaid": lambda a: memberships.membership_lapse_unpaid(
            actor=a, cluster=cluster, year=2025
        ),
        "membership_category_save": lambda a: memberships.membership_category_save(
            actor=a, category=MembershipCategory(cluster=cluster), name="Labs"
        ),
        "fee_rule_add": lambda a: memberships.fee_rule_add(
            actor=a, cluster=cluster, category=category, amount=Decimal(100)
        ),
        "contact_save": lambda a: contacts.contact_save(
            actor=a, cluster=cluster, organisation=org, last_name="Roux"
        ),
        "contact_grant_portal_access": lambda a: contacts.contact_grant_portal_access(
            actor=a, contact=contact
        ),
        "contact_personal_data": lambda a: contacts.contact_personal_data(actor=a, contact=contact),
        "contact_anonymise": lambda a: contacts.contact_anonymise(actor=a, contact=contact),
        "interaction_save": lambda a: interactions.interaction_save(
            actor=a, cluster=cluster, organisation=org, subject="Call"
        ),
    }


WRITES = [
    "organisation_create",
    "organisation_update",
    "organisation_merge",
    "relationship_update",
    "membership_create",
    "membership_update",
    "membership_renew",
    "membership_call_fees",
    "membership_record_payment",
    "membership_remind",
    "membership_lapse_unpaid",
    "membership_category_save",
    "fee_rule_add",
    "contact_save",
    "contact_grant_portal_access",
    "contact_personal_data",
    "contact_anonymise",
    "interaction_save",
]


@pytest.mark.parametrize("write", WRITES)
def test_every_crm_write_refuses_a_person_without_its_permission(
    write: str, tenant_a: Tenant
) -> None:
    call = _writes(tenant_a)[write]
    with scopes_disabled():
        entries = AuditEntry.objects.count()
    with scope(cluster=tenant_a.cluster), pytest.raises(NotAllowed):
        call(tenant_a.people[Role.EXPERT])
    with scopes_disabled():
        assert AuditEntry.objects.count() == entries  # nothing written


def test_fee_fields_from_a_keeper_of_the_members_are_refused_by_name(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster)
    manager = tenant_a.people[Role.PROJECT_MANAGER]
    with scope(cluster=tenant_a.cluster):
        with pytest.raises(NotAllowed) as refused:
            memberships.membership_create(
                actor=manager,
                cluster=tenant_a.cluster,
                organisation=org,
                year=2026,
                fee_amount=Decimal(900),
                fee_paid_on=datetime.date(2026, 1, 1),
            )
        assert "fee_amount" in refused.value.message and "fee_paid_on" in refused.value.message
        kept = memberships.membership_create(
            actor=manager, cluster=tenant_a.cluster, organisation=org, year=2026, status="active"
        )
        assert kept.fee_amount is None


def test_second_membership_for_a_year_is_a_conflict_naming_the_first(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster)
        first = Membership.objects.create(
            cluster=tenant_a.cluster, organisation=org, year=2026, status="active"
        )
    with scope(cluster=tenant_a.cluster), pytest.raises(Conflict) as conflict:
        memberships.membership_create(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            organisation=org,
            year=2026,
            status="resigned",
            resignation_reason="x",
        )
    assert conflict.value.existing == first
    first.refresh_from_db()
    assert first.status == Membership.Status.ACTIVE  # never overwritten


def test_organisation_update_of_one_the_cluster_does_not_follow_is_not_visible(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        theirs = follow(tenant_b.cluster)
    with scope(cluster=tenant_a.cluster), pytest.raises(NotVisible):
        organisations.organisation_update(
            actor=tenant_a.director, cluster=tenant_a.cluster, organisation=theirs, city="Paris"
        )


def test_portal_update_of_identity_fields_is_refused(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster)
        ContactFactory(
            cluster=tenant_a.cluster, organisation=org, user=tenant_a.people[Role.MEMBER]
        )
    member = tenant_a.people[Role.MEMBER]
    with scope(cluster=tenant_a.cluster):
        with pytest.raises(NotAllowed):
            organisations.organisation_update(
                actor=member, cluster=tenant_a.cluster, organisation=org, portal=True, name="X"
            )
        organisations.organisation_update(
            actor=member, cluster=tenant_a.cluster, organisation=org, portal=True, city="Vienne"
        )
    org.refresh_from_db()
    assert org.city == "Vienne"
