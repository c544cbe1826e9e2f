"""The innovation centre's pages per role: the staff's back office, the member portal, and
statements confidential to their company and the centre's and finance staff."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.facilities.models import Booking, Lease, Statement
from clusterdesk.facilities.rules import can_view_statement
from clusterdesk.facilities.selectors import statements_visible_to
from clusterdesk.facilities.services.bookings import booking_cancel
from tests.conftest import Tenant, client_for
from tests.facilities.factories import (
    ResourceFactory,
    authorise,
    booking,
    hosted_person,
    slot,
    statement,
)
from tests.factories import follow

PAGES = ["resources", "approvals", "desk", "authorisations", "leases", "occupancy"]
STAFF_READERS = {Role.DIRECTOR, Role.FACILITY_MANAGER, Role.FINANCE}


@pytest.mark.parametrize("role", sorted(Role.values))
def test_backoffice_pages_per_role(tenant_a: Tenant, role: str) -> None:
    with scopes_disabled():
        lab = ResourceFactory(cluster=tenant_a.cluster, name="Labo ZQXLAB")
        booking(tenant_a.cluster, lab, tenant_a.people[Role.EXPERT])
        hosted_person(tenant_a.cluster)
        authorise(tenant_a.cluster, tenant_a.people[Role.EXPERT], level="P3", days_left=10)
    client = client_for(tenant_a.people[role])
    slug = tenant_a.cluster.slug
    for name in PAGES:
        answer = client.get(reverse(f"facilities:{name}", args=[slug]))
        assert answer.status_code == (200 if role in STAFF_READERS else 403), (name, role)
    calendar = client.get(reverse("facilities:calendar", args=[slug, lab.pk]))
    assert calendar.status_code == (200 if role in STAFF_READERS else 403)
    statements = client.get(reverse("facilities:statements", args=[slug]))
    assert statements.status_code == (200 if role in STAFF_READERS else 403)
    day = client.get(reverse("facilities:calendar", args=[slug, lab.pk]) + "?view=day")
    if role in STAFF_READERS:
        assert "ZQXLAB" in day.content.decode()


def test_facility_manager_books_from_the_calendar_and_approves(tenant_a: Tenant) -> None:
    with scopes_disabled():
        suite = ResourceFactory(cluster=tenant_a.cluster, requires_approval=True)
    manager = tenant_a.people[Role.FACILITY_MANAGER]
    client = client_for(manager)
    client.cookies["django_language"] = "en"
    start, _end = slot()
    address = reverse("facilities:calendar", args=[tenant_a.cluster.slug, suite.pk])
    answer = client.post(
        address,
        {
            "resource": suite.pk,
            "person": tenant_a.people[Role.EXPERT].email,
            "day": start.date().isoformat(),
            "start": "10:00",
            "end": "12:00",
            "repeat_weeks": 0,
        },
    )
    assert answer.status_code == 302
    with scopes_disabled():
        made = Booking.objects.get(resource=suite)
    assert made.status == Booking.Status.PENDING
    again = client.post(
        address,
        {
            "resource": suite.pk,
            "person": tenant_a.people[Role.EXPERT].email,
            "day": start.date().isoformat(),
            "start": "11:00",
            "end": "13:00",
            "repeat_weeks": 0,
        },
    )
    assert again.status_code == 400
    assert "already booked" in again.content.decode()
    queue = client.get(reverse("facilities:approvals", args=[tenant_a.cluster.slug]))
    assert str(suite) in queue.content.decode()
    client.post(
        reverse("facilities:booking_action", args=[tenant_a.cluster.slug, made.pk]),
        {"action": "approve"},
    )
    with scopes_disabled():
        made.refresh_from_db()
    assert made.status == Booking.Status.CONFIRMED
    finance = client_for(tenant_a.people[Role.FINANCE])
    refused = finance.post(
        reverse("facilities:booking_action", args=[tenant_a.cluster.slug, made.pk]),
        {"action": "cancel"},
    )
    assert refused.status_code == 403


def test_hosted_member_books_in_the_portal(tenant_a: Tenant) -> None:
    with scopes_disabled():
        lab = ResourceFactory(cluster=tenant_a.cluster, name="Salle ZQX")
        member, _org = hosted_person(tenant_a.cluster)
    client = client_for(member)
    client.cookies["django_language"] = "en"
    home = reverse("portal_facilities:home", args=[tenant_a.cluster.slug])
    assert client.get(home).status_code == 200
    start, _end = slot()
    answer = client.post(
        home,
        {
            "resource": lab.pk,
            "day": start.date().isoformat(),
            "start": "09:00",
            "end": "10:30",
            "repeat_weeks": 0,
        },
    )
    assert answer.status_code == 302
    page = client.get(home).content.decode()
    assert "Salle ZQX" in page
    # A member whose company is not hosted sees the page, without the form.
    other = client_for(tenant_a.people[Role.MEMBER])
    other.cookies["django_language"] = "en"
    assert "Booking is open to the people" in other.get(home).content.decode()
    refused = other.post(
        home,
        {
            "resource": lab.pk,
            "day": start.date().isoformat(),
            "start": "11:00",
            "end": "12:00",
            "repeat_weeks": 0,
        },
    )
    assert refused.status_code == 403
    # Staff without the member role do not have the portal page.
    assert client_for(tenant_a.people[Role.FINANCE]).get(home).status_code == 403


def test_statements_are_confidential_to_the_company_and_centre_staff(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        member, org = hosted_person(tenant_a.cluster)
        theirs = statement(tenant_a.cluster, org, month=datetime.date(2025, 2, 1))
        other_org = follow(tenant_a.cluster)
        statement(tenant_a.cluster, other_org, month=datetime.date(2025, 2, 1))
        outsider, _o = hosted_person(tenant_a.cluster)
        b_director = tenant_b.director
    people = {**tenant_a.people, "hosted": member, "other hosted": outsider, "b": b_director}
    for who, person in people.items():
        with scopes_disabled():
            visible = set(statements_visible_to(person, tenant_a.cluster))
        with scopes_disabled():
            readable = {s for s in Statement.objects.all() if can_view_statement.test(person, s)}
        assert visible == readable, who
        sees = theirs in visible
        assert sees == (who in STAFF_READERS or who == "hosted"), who
    portal = reverse("portal_facilities:statement", args=[tenant_a.cluster.slug, theirs.pk])
    assert client_for(member).get(portal).status_code == 200
    assert client_for(outsider).get(portal).status_code == 404
    office = reverse("facilities:statement", args=[tenant_a.cluster.slug, theirs.pk])
    assert client_for(tenant_a.people[Role.FINANCE]).get(office).status_code == 200
    assert client_for(tenant_a.people[Role.PROJECT_MANAGER]).get(office).status_code == 403


def test_statement_export_and_pdf(tenant_a: Tenant) -> None:
    with scopes_disabled():
        _member, org = hosted_person(tenant_a.cluster)
        s = statement(tenant_a.cluster, org, month=datetime.date(2025, 2, 1))
        s.lines.create(
            cluster=tenant_a.cluster,
            kind="rent",
            date=datetime.date(2025, 2, 1),
            description="=HYPERLINK(evil)",
            quantity=Decimal(1),
            unit="month",
            unit_price=Decimal("100"),
            amount=Decimal("100"),
        )
    client = client_for(tenant_a.people[Role.FINANCE])
    base = reverse("facilities:statements", args=[tenant_a.cluster.slug])
    csv_text = client.get(base + "?format=csv&month=2025-02").content.decode("utf-8-sig")
    header, row = csv_text.splitlines()[:2]
    assert header.startswith("statement_number,issued_on,month,organisation")
    assert "'=HYPERLINK(evil)" in row and "708300" in row
    pdf = client.get(reverse("facilities:statement_pdf", args=[tenant_a.cluster.slug, s.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_prices_and_lease_notice_and_renewal_from_the_pages(tenant_a: Tenant) -> None:
    with scopes_disabled():
        lab = ResourceFactory(cluster=tenant_a.cluster)
        office = ResourceFactory(cluster=tenant_a.cluster, kind="office", bookable=False)
        lease = Lease.objects.create(
            cluster=tenant_a.cluster,
            organisation=follow(tenant_a.cluster),
            resource=office,
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2030, 12, 31),
            monthly_rent=Decimal(800),
        )
    client = client_for(tenant_a.people[Role.FACILITY_MANAGER])
    client.cookies["django_language"] = "en"
    slug = tenant_a.cluster.slug
    prices = reverse("facilities:price_set", args=[slug, lab.pk])
    client.post(prices, {"category": "tenant", "unit": "hour", "amount": "-3"})
    client.post(prices, {"category": "tenant", "unit": "hour", "amount": "42.50"})
    page = client.get(reverse("facilities:calendar", args=[slug, lab.pk])).content.decode()
    assert "42.50" in page
    with scopes_disabled():
        assert list(lab.prices.values_list("amount", flat=True)) == [Decimal("42.50")]
    action = reverse("facilities:lease_action", args=[slug, lease.pk])
    client.post(action, {"action": "renew", "on": "2032-12-31"})
    refused_notice = client.post(action, {"action": "notice", "on": "2030-03-10"}, follow=True)
    assert "give notice on its renewal" in refused_notice.content.decode()
    with scopes_disabled():
        lease.refresh_from_db()
        renewal = lease.renewal
    assert renewal.ends_on == datetime.date(2032, 12, 31)
    assert lease.notice_given_on is None
    client.post(
        reverse("facilities:lease_action", args=[slug, renewal.pk]),
        {"action": "notice", "on": "2031-03-10"},
    )
    with scopes_disabled():
        renewal.refresh_from_db()
    assert (renewal.notice_given_on, renewal.ends_on) == (
        datetime.date(2031, 3, 10),
        datetime.date(2031, 6, 30),
    )
    refused = client_for(tenant_a.people[Role.FINANCE]).post(
        action, {"action": "notice", "on": "2030-01-01"}
    )
    assert refused.status_code == 403


def test_taken_slot_offers_the_waiting_list_and_its_people_hear_when_it_frees(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    with scopes_disabled():
        lab = ResourceFactory(cluster=tenant_a.cluster)
        first, _o1 = hosted_person(tenant_a.cluster)
        second, _o2 = hosted_person(tenant_a.cluster)
    start, _end = slot()
    body = {
        "resource": lab.pk,
        "day": start.date().isoformat(),
        "start": "10:00",
        "end": "11:00",
        "repeat_weeks": 0,
    }
    home = reverse("portal_facilities:home", args=[tenant_a.cluster.slug])
    assert client_for(first).post(home, body).status_code == 302
    late = client_for(second)
    late.cookies["django_language"] = "en"
    taken = late.post(home, body)
    assert taken.status_code == 409
    assert "already booked" in taken.content.decode()
    assert "Join the waiting list" in taken.content.decode()
    late.post(reverse("portal_facilities:waitlist_join", args=[tenant_a.cluster.slug]), body)
    with scopes_disabled():
        booked = Booking.objects.get(resource=lab)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), scope(cluster=tenant_a.cluster):
        booking_cancel(actor=tenant_a.people[Role.FACILITY_MANAGER], booking=booked)
    assert [m.to for m in mail.outbox] == [[second.email]]
