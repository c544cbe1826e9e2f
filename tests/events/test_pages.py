"""The events' pages: the staff's back office per role, exports, badges, check-in from a
phone, the organisations to confirm, and the public page with its form in both languages."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.events.models import Event, Registration
from clusterdesk.events.selectors import cancel_code
from clusterdesk.jobs.models import Job
from tests.conftest import Tenant, client_for
from tests.events.factories import CategoryFactory, RegistrationFactory, event, in_days
from tests.factories import follow

Capture = Callable[..., Any]


def _url(name: str, tenant: Tenant, **kwargs: Any) -> str:
    return reverse(name, kwargs={"cluster_slug": tenant.cluster.slug, **kwargs})


@pytest.mark.parametrize("role", Role.values)
def test_the_events_pages_per_role(tenant_a: Tenant, role: str) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster, title="Convention Santé")
        RegistrationFactory(event=e, last_name="Zorglub")
    client = client_for(tenant_a.people[role])
    staff = role in ("director", "project_manager", "event_manager", "facility_manager", "finance")
    listing = client.get(_url("events:events", tenant_a))
    assert listing.status_code == (200 if staff else 403)
    if staff:
        assert "Convention Santé" in listing.content.decode()
    registrations = client.get(_url("events:registrations", tenant_a, event_id=e.pk))
    readers = role in ("director", "event_manager", "finance")
    assert registrations.status_code == (200 if readers else 403)
    if readers:
        assert "Zorglub" in registrations.content.decode()
    create = client.get(_url("events:event_create", tenant_a))
    assert create.status_code == (200 if role in ("director", "event_manager") else 403)


def test_create_an_event_and_a_category_from_the_pages(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.people[Role.EVENT_MANAGER])
    answer = client.post(
        _url("events:event_create", tenant_a),
        {
            "kind": "conference",
            "title": "Convention annuelle",
            "starts_at": in_days(40).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": in_days(40, hour=18).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "300",
            "is_public": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    with scopes_disabled():
        e = Event.objects.get(title="Convention annuelle")
    assert e.is_public and e.capacity == 300
    answer = client.post(
        _url("events:category_create", tenant_a, event_id=e.pk),
        {
            "category-name": "Adhérent",
            "category-capacity": "100",
            "category-fee": "50.00",
            "category-open_to_public": "on",
            "category-position": "0",
        },
    )
    assert answer.status_code == 302
    with scopes_disabled():
        assert e.categories.get().capacity == 100


def test_lowering_the_capacity_on_the_page_names_the_problem(tenant_a: Tenant) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster, capacity=5)
        for _ in range(3):
            RegistrationFactory(event=e)
    client = client_for(tenant_a.director)
    client.cookies["django_language"] = "en"
    form = client.get(_url("events:event_edit", tenant_a, event_id=e.pk)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    for name in ("starts_at", "ends_at"):
        data[name] = data[name].astimezone().strftime("%Y-%m-%dT%H:%M")
    data["capacity"] = "2"
    data["is_public"] = "on"
    answer = client.post(_url("events:event_edit", tenant_a, event_id=e.pk), data)
    assert answer.status_code == 400
    assert "3 people are already confirmed" in answer.content.decode()


def test_export_runs_as_a_job_and_keeps_formulas_as_text(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster)
        RegistrationFactory(event=e, last_name="=HYPERLINK(1)", organisation_name="Acme")
    client = client_for(tenant_a.people[Role.FINANCE])
    url = _url("events:registrations_export", tenant_a, event_id=e.pk)
    for fmt in ("csv", "xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(url, {"format": fmt})
        assert answer.status_code == 302 and "/jobs/" in answer["Location"]
    with scopes_disabled():
        csv_job, xlsx_job = Job.objects.filter(kind="events.export").order_by("pk")
        assert csv_job.status == Job.Status.DONE, csv_job.message
        rows = list(csv.reader(io.StringIO(csv_job.result_file.read().decode("utf-8-sig"))))
        assert rows[1][1] == "'=HYPERLINK(1)"
        assert xlsx_job.result_file.read().startswith(b"PK")
    refused = client_for(tenant_a.people[Role.PROJECT_MANAGER]).post(url, {"format": "csv"})
    assert refused.status_code == 403


def test_a_badge_is_a_pdf_with_the_qr_code(tenant_a: Tenant) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster)
        r = RegistrationFactory(event=e)
    answer = client_for(tenant_a.director).get(
        _url("events:registration_action", tenant_a, event_id=e.pk, pk=r.pk, action="badge")
    )
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")


def test_check_in_from_the_badge_address(tenant_a: Tenant) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster)
        r = RegistrationFactory(event=e, first_name="Marie", last_name="Curie")
    client = client_for(tenant_a.people[Role.EVENT_MANAGER])
    page = client.get(_url("events:check_in", tenant_a, event_id=e.pk), {"code": r.token})
    assert page.status_code == 200
    assert "Curie" in page.content.decode()
    done = client.post(_url("events:check_in_mark", tenant_a, event_id=e.pk, pk=r.pk))
    assert done.status_code == 302
    with scopes_disabled():
        r.refresh_from_db()
    assert r.attended_at is not None
    refused = client_for(tenant_a.people[Role.FINANCE]).get(
        _url("events:check_in", tenant_a, event_id=e.pk)
    )
    assert refused.status_code == 403


def test_staff_link_a_registrant_to_an_organisation(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster, name="Biotech Rhône")
        r = RegistrationFactory(event=event(tenant_a.cluster), organisation_name="Biotech Rhone")
    client = client_for(tenant_a.director)
    page = client.get(_url("events:matching", tenant_a))
    assert "Biotech Rhône" in page.content.decode()
    answer = client.post(
        _url("events:match", tenant_a, pk=r.pk, action="link"), {f"r{r.pk}-organisation": org.pk}
    )
    assert answer.status_code == 302
    with scopes_disabled():
        r.refresh_from_db()
    assert r.organisation == org and r.contact is not None


def test_badges_of_the_event_start_a_job(tenant_a: Tenant) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster)
        RegistrationFactory(event=e)
    answer = client_for(tenant_a.director).post(_url("events:badges", tenant_a, event_id=e.pk))
    assert answer.status_code == 302
    assert "/jobs/" in answer["Location"]


# -- the public page ----------------------------------------------------------------------


def _public(e: Event) -> str:
    return reverse(
        "public_events:event",
        kwargs={"public_cluster_slug": e.cluster.slug, "event_slug": e.slug},
    )


def test_the_public_page_in_both_languages_registers_a_visitor(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster, title="Convention Santé", title_en="Health Convention")
        members = CategoryFactory(event=e, name="Adhérent", name_en="Member")
        CategoryFactory(event=e, name="Orateur", open_to_public=False)
    visitor = Client()
    french = visitor.get(_public(e)).content.decode()
    assert "Convention Santé" in french and "Adhérent" in french and "Orateur" not in french
    visitor.cookies["django_language"] = "en"
    english = visitor.get(_public(e)).content.decode()
    assert "Health Convention" in english and "Member" in english
    with django_capture_on_commit_callbacks(execute=True):
        answer = visitor.post(
            _public(e),
            {
                "first_name": "Ada",
                "last_name": "Lovelace",
                "email": "ada@example.org",
                "category": members.pk,
            },
        )
    assert answer.status_code == 302
    with scopes_disabled():
        r = Registration.objects.get(event=e)
    assert (r.status, r.language, r.category) == ("confirmed", "en", members)
    assert mail.outbox[0].subject.startswith("Your registration is confirmed")


def test_the_public_form_names_bad_input(tenant_a: Tenant) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster)
        RegistrationFactory(event=e, email="taken@example.org")
    visitor = Client()
    visitor.cookies["django_language"] = "en"
    bad = visitor.post(_public(e), {"first_name": "A", "last_name": "B", "email": "x@"})
    assert bad.status_code == 400 and "not a valid e-mail address" in bad.content.decode()
    twice = visitor.post(
        _public(e), {"first_name": "A", "last_name": "B", "email": "taken@example.org"}
    )
    assert twice.status_code == 400 and "already registered" in twice.content.decode()


def test_private_events_and_other_clusters_events_are_not_found(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        private = event(tenant_a.cluster, is_public=False)
        theirs = event(tenant_b.cluster)
    assert Client().get(_public(private)).status_code == 404
    crossed = reverse(
        "public_events:event",
        kwargs={"public_cluster_slug": tenant_a.cluster.slug, "event_slug": theirs.slug},
    )
    assert Client().get(crossed).status_code == 404


def test_the_cancel_link_cancels_and_promotes(tenant_a: Tenant) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster, capacity=1)
        seated = RegistrationFactory(event=e)
        waiting = RegistrationFactory(event=e, status="waitlisted", waitlist_position=1)
        code = cancel_code(seated)
    url = reverse(
        "public_events:cancel",
        kwargs={"public_cluster_slug": e.cluster.slug, "event_slug": e.slug, "code": code},
    )
    visitor = Client()
    assert visitor.get(url).status_code == 200
    assert visitor.post(url).status_code == 200
    with scopes_disabled():
        seated.refresh_from_db()
        waiting.refresh_from_db()
    assert (seated.status, waiting.status) == ("cancelled", "confirmed")
    assert visitor.get(url.replace(code, code + "x")).status_code == 404


@pytest.mark.parametrize("name", ["events:registrations", "events:check_in"])
def test_lists_take_as_many_queries_for_one_or_five_people(tenant_a: Tenant, name: str) -> None:
    with scopes_disabled():
        e = event(tenant_a.cluster)
        category = CategoryFactory(event=e)
        org = follow(tenant_a.cluster, name="Acme")
    client = client_for(tenant_a.director)
    url = _url(name, tenant_a, event_id=e.pk)
    counts = []
    for n in (1, 4):
        with scopes_disabled():
            for _ in range(n):
                RegistrationFactory(event=e, category=category, organisation=org, last_name="Nom")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": "Nom"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
