"""The CRM's demo data: the health cluster's figures, valid identifiers, fees from the
grid, the region's member companies, the portal account, and a reproducible build."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.models import User
from clusterdesk.core.models import ClusterRole
from clusterdesk.core.roles import STAFF_ROLES, Role
from clusterdesk.crm import identifiers
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.models import (
    Contact,
    Interaction,
    Invoice,
    Membership,
    Organisation,
    Relationship,
)
from clusterdesk.crm.selectors import (
    OrganisationFilter,
    fee_for,
    membership_figures,
    organisation_list,
)
from clusterdesk.demo.build import DEMO_PASSWORD
from clusterdesk.demo.members.figures import MEMBER_EMAIL
from clusterdesk.demo.world import REGION_SLUG
from tests.demo.conftest import DEMO_DAY, Built

YEAR = DEMO_DAY.year
COMPANIES = ("tpe", "pme", "startup", "eti", "large_company")


def test_build_is_reproducible_for_a_seed(built: Built, db: None) -> None:
    assert built.first == built.second


def test_health_cluster_has_170_members_of_which_154_smes(built: Built, db: None) -> None:
    with scope(cluster=built.health):
        members = Organisation.objects.instance_wide().filter(
            memberships__cluster=built.health,
            memberships__year=YEAR,
            memberships__status=Membership.Status.ACTIVE,
        )
        active = OrganisationFilter(membership_status="active", membership_year=YEAR)
        smes = OrganisationFilter(sme=True, membership_status="active", membership_year=YEAR)
        assert members.count() == 170
        assert organisation_list(cluster=built.health, filters=active).count() == 170
        assert sum(1 for org in members if org.is_sme) == 154
        assert organisation_list(cluster=built.health, filters=smes).count() == 154
        kinds = Counter(org.kind for org in members if not org.is_sme)
    assert kinds[OrganisationKind.LARGE_COMPANY] >= 4
    assert {"research_org", "higher_education", "hospital", "bank_investor"} <= set(kinds)


def test_every_identifier_passes_the_cleaners(built: Built, db: None) -> None:
    cleaners = {
        "siren": identifiers.clean_siren,
        "siret": identifiers.clean_siret,
        "vat": identifiers.clean_vat,
        "ror": identifiers.clean_ror,
    }
    seen: Counter[str] = Counter()
    for org in Organisation.objects.instance_wide().all():
        for field, clean in cleaners.items():
            value = getattr(org, field)
            if value:
                assert clean(value) == value, (org, field)
                seen[field] += 1
        if org.siret:
            assert org.siret[:9] == org.siren
        if org.vat:
            assert org.vat == identifiers.french_vat_from_siren(org.siren)
        if org.postal_code:
            assert org.departement and org.region_code and org.search_text
    assert seen["ror"] > 10 and seen["siren"] > 3000


def test_memberships_start_in_2005_with_departures_and_renewals(built: Built, db: None) -> None:
    health = built.health
    with scope(cluster=health):
        founders = Membership.objects.filter(cluster=health, year=2005).select_related(
            "organisation"
        )
        assert Membership.objects.filter(cluster=health, year__lt=2005).count() == 0
        assert Counter(m.organisation.kind in COMPANIES for m in founders) == {True: 4, False: 2}
        figures = membership_figures(cluster=health, years=range(2005, YEAR + 1))
        resigned = Membership.objects.filter(cluster=health, status=Membership.Status.RESIGNED)
        assert resigned.exists()
        assert not resigned.filter(resignation_reason="").exists()
        assert Membership.objects.filter(cluster=health, status=Membership.Status.LAPSED).exists()
        this_year = list(Membership.objects.filter(cluster=health, year=YEAR))
    assert figures[0].members == 6 and figures[-1].members == 170
    assert sum(f.left for f in figures) > 50
    assert all(f.joined > 0 for f in figures)
    assert all(0.85 < f.renewal_rate < 1 for f in figures[-10:] if f.renewal_rate)
    assert figures[-2].fees_paid > 0
    assert figures[-1].unpaid > 0
    assert any(m.reminders for m in this_year if m.fee_paid_on is None)
    assert any(m.status == Membership.Status.PROSPECT for m in this_year)


def test_fees_come_from_the_grid_and_representatives_work_there(built: Built, db: None) -> None:
    health = built.health
    with scope(cluster=health):
        memberships = Membership.objects.filter(
            cluster=health, year=YEAR, status=Membership.Status.ACTIVE
        ).select_related("organisation", "category", "representative")
        for m in memberships:
            assert m.fee_amount == fee_for(category=m.category, organisation=m.organisation)
            assert m.representative is not None
            assert m.representative.organisation_id == m.organisation_id
        amounts = {m.fee_amount for m in memberships}
    assert min(amounts) == 500 and max(amounts) == 10_000


def test_contacts_interactions_and_tags(built: Built, db: None) -> None:
    """Of the organisations the CRM step made for the health cluster (later steps add
    others, such as project partners): those with a membership there."""
    health = built.health
    with scope(cluster=health):
        ours = Membership.objects.filter(cluster=health).values("organisation_id")
        per_org = Counter(
            Contact.objects.filter(cluster=health, organisation__in=ours).values_list(
                "organisation_id", flat=True
            )
        )
        interactions = Interaction.objects.filter(cluster=health, organisation__in=ours)
        staff = set(
            ClusterRole.objects.filter(cluster=health, role__in=STAFF_ROLES).values_list(
                "user_id", flat=True
            )
        )
        relationships = Relationship.objects.filter(cluster=health, organisation__in=ours)
        untagged = relationships.annotate(n=Count("domains")).filter(n=0)
        consent = Organisation.objects.instance_wide().filter(pk__in=ours)
        share = consent.filter(directory_consent=True).count() / consent.count()
        assert set(interactions.values_list("owner_id", flat=True)) <= staff
        assert interactions.filter(
            next_action_done=False, next_action_due__gte=datetime.date.today()
        ).exists()
        assert not untagged.exists()
        assert relationships.filter(markets__isnull=False).exists()
    assert set(per_org.values()) <= {1, 2, 3, 4}
    assert len(per_org) == relationships.count()
    assert 200 <= interactions.count() <= 400
    assert 0.6 < share < 0.8


def test_region_has_about_3000_member_companies_some_in_two_clusters(
    built: Built, db: None
) -> None:
    with scopes_disabled():
        active = Membership.objects.filter(
            cluster__region__slug=REGION_SLUG,
            year=YEAR,
            status=Membership.Status.ACTIVE,
            organisation__kind__in=COMPANIES,
        )
        per_company = Counter(active.values_list("organisation_id", flat=True))
    assert 2_800 <= len(per_company) <= 3_200
    in_two = sum(1 for n in per_company.values() if n > 1)
    assert 0.05 * len(per_company) < in_two < 0.2 * len(per_company)


def test_portal_member_signs_in_and_holds_the_member_role(built: Built, db: None) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": MEMBER_EMAIL, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email=MEMBER_EMAIL)
    assert int(client.session["_auth_user_id"]) == user.pk
    with scope(cluster=built.health):
        roles = set(ClusterRole.objects.filter(user=user).values_list("cluster_id", "role"))
        contact = Contact.objects.select_related("organisation").get(user=user)
        assert Membership.objects.filter(
            organisation=contact.organisation, year=YEAR, status=Membership.Status.ACTIVE
        ).exists()
    assert roles == {(built.health.pk, Role.MEMBER)}
    assert contact.organisation.kind == OrganisationKind.STARTUP


def test_every_called_fee_has_its_invoice_numbered_without_gaps(built: Built, db: None) -> None:
    with scope(cluster=built.health):
        called = Membership.objects.filter(cluster=built.health, fee_called_on__isnull=False)
        invoices = Invoice.objects.filter(cluster=built.health)
        assert invoices.count() == called.count() > 100
        by_year: dict[int, list[int]] = {}
        for number in invoices.values_list("number", flat=True):
            year, n = number.split("-")
            by_year.setdefault(int(year), []).append(int(n))
    for numbers in by_year.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    # The member's portal lists its organisation's invoices with how to pay.
    client = Client()
    client.force_login(User.objects.get(email=MEMBER_EMAIL))
    page = client.get(reverse("portal:invoices", args=[built.health.slug]))
    assert page.status_code == 200 and "IBAN" in page.content.decode()
    assert len(page.context["invoices"]) >= 1
