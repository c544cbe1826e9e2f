"""The events' services: seats, the waitlist, cancellation, e-mails with their calendar
file, refusals that name the problem and write nothing, check-in, organisation matching."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from icalendar import Calendar

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.errors import Conflict, NotAllowed, NotVisible
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Contact
from clusterdesk.events.models import Event, Registration
from clusterdesk.events.selectors import (
    badge_code_of,
    cancel_code,
    check_in_search,
    registrations_to_match,
)
from clusterdesk.events.services.events import category_save, event_create, event_update
from clusterdesk.events.services.registrations import (
    registration_cancel,
    registration_cancel_by_link,
    registration_check_in,
    registration_create,
    registration_create_organisation,
    registration_link_organisation,
)
from tests.conftest import Tenant
from tests.events.factories import CategoryFactory, event, in_days, past_event
from tests.factories import ContactFactory, OrganisationFactory, follow

pytestmark = pytest.mark.usefixtures("unscoped")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages the assertions read, in English (the default language is French)."""
    with translation.override("en"):
        yield


Capture = Callable[..., Any]


def _register(tenant: Tenant, e: Event, n: int, **extra: Any) -> Registration:
    return registration_create(
        actor=extra.pop("actor", tenant.director),
        event=e,
        first_name="Jeanne",
        last_name=f"Martin {n}",
        email=f"jeanne{n}@example.org",
        **extra,
    )


def test_registrations_are_confirmed_until_capacity_then_waitlisted(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster, capacity=2)
    statuses = [_register(tenant_a, e, n).status for n in range(4)]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    waiting = Registration.objects.filter(event=e, status="waitlisted").order_by("pk")
    assert [r.waitlist_position for r in waiting] == [1, 2]


def test_a_full_category_waitlists_even_when_the_event_has_room(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster, capacity=10)
    speakers = CategoryFactory(event=e, capacity=1, fee=Decimal("120.00"))
    first = _register(tenant_a, e, 1, category=speakers)
    second = _register(tenant_a, e, 2, category=speakers)
    other = _register(tenant_a, e, 3)
    assert (first.status, second.status, other.status) == ("confirmed", "waitlisted", "confirmed")
    assert first.fee == Decimal("120.00")


def test_cancelling_promotes_the_first_waitlisted_and_mails_them(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    e = event(tenant_a.cluster, capacity=1)
    first = _register(tenant_a, e, 1)
    second = _register(tenant_a, e, 2)
    third = _register(tenant_a, e, 3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(actor=tenant_a.director, registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.waitlist_position) == ("confirmed", None)
    assert third.status == "waitlisted"
    promoted = [m for m in mail.outbox if m.to == [second.email]]
    assert len(promoted) == 1
    assert promoted[0].attachments[0][0].endswith(".ics")
    assert AuditEntry.objects.filter(action="registration.promoted", object_id=str(second.pk))


def test_a_failed_promotion_rolls_back_the_cancellation(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster, capacity=1)
    first = _register(tenant_a, e, 1)
    _register(tenant_a, e, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        registration_cancel(actor=tenant_a.director, registration=first)
        raise RuntimeError("the request fails after the service")
    first.refresh_from_db()
    assert first.status == "confirmed"
    assert Registration.objects.filter(event=e, status="waitlisted").count() == 1


def test_confirmation_mail_carries_the_calendar_file_and_a_working_cancel_link(
    tenant_a: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    e = event(tenant_a.cluster, title="Convention annuelle", venue="Lyon")
    with django_capture_on_commit_callbacks(execute=True):
        r = registration_create(
            actor=AnonymousUser(),
            event=e,
            first_name="Ada",
            last_name="Lovelace",
            email="Ada@Example.org",
        )
    assert r.email == "ada@example.org"
    (message,) = mail.outbox
    name, content, mime = message.attachments[0]
    assert name.endswith(".ics")
    assert mime.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["summary"]) == "Convention annuelle"
    assert entry.decoded("dtstart") == e.starts_at
    code = cancel_code(r)
    assert code in message.body
    registration_cancel_by_link(code=code)
    r.refresh_from_db()
    assert r.status == "cancelled"


def test_a_forged_cancel_code_is_not_found(tenant_a: Tenant) -> None:
    r = _register(tenant_a, event(tenant_a.cluster), 1)
    with pytest.raises(NotVisible):
        registration_cancel_by_link(code=f"{r.token}:forged")
    r.refresh_from_db()
    assert r.status == "confirmed"


def test_the_same_email_twice_is_a_conflict_naming_the_first(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster)
    first = _register(tenant_a, e, 1)
    with pytest.raises(Conflict) as refused:
        registration_create(
            actor=tenant_a.director,
            event=e,
            first_name="Other",
            last_name="Person",
            email="JEANNE1@example.org",
        )
    assert refused.value.existing == first
    assert "jeanne1@example.org" in refused.value.message
    assert Registration.objects.filter(event=e).count() == 1


def test_registering_again_after_cancelling_is_allowed(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster)
    first = _register(tenant_a, e, 1)
    registration_cancel(actor=tenant_a.director, registration=first)
    again = _register(tenant_a, e, 1)
    assert again.status == "confirmed" and again.pk != first.pk


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"email": "not-an-address"}, "email", "not-an-address"),
        ({"first_name": "  "}, "first_name", "first name"),
    ],
)
def test_invalid_input_names_the_field_and_writes_nothing(
    tenant_a: Tenant, fields: dict[str, str], field: str, words: str
) -> None:
    e = event(tenant_a.cluster)
    values = {"first_name": "A", "last_name": "B", "email": "a@example.org"} | fields
    with pytest.raises(ValidationError) as refused:
        registration_create(actor=tenant_a.director, event=e, **values)
    assert words in " ".join(refused.value.message_dict[field])
    assert not Registration.objects.filter(event=e).exists()
    assert not AuditEntry.objects.filter(action="registration.created").exists()


def test_a_past_event_refuses_registration(tenant_a: Tenant) -> None:
    e = past_event(tenant_a.cluster, title="Old convention")
    with pytest.raises(ValidationError) as refused:
        _register(tenant_a, e, 1)
    assert "already taken place" in refused.value.messages[0]
    assert not Registration.objects.filter(event=e).exists()


def test_registration_after_closing_is_refused_even_for_staff(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster, registration_closes_at=in_days(-1))
    with pytest.raises(ValidationError) as refused:
        _register(tenant_a, e, 1)
    assert "closed" in refused.value.messages[0]


def test_the_public_waits_for_the_opening_but_staff_do_not(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster, registration_opens_at=in_days(2))
    with pytest.raises(ValidationError) as refused:
        _register(tenant_a, e, 1, actor=AnonymousUser())
    assert "opens" in refused.value.messages[0]
    assert _register(tenant_a, e, 2).status == "confirmed"


def test_a_private_event_is_invisible_to_the_public(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster, is_public=False)
    with pytest.raises(NotVisible):
        _register(tenant_a, e, 1, actor=AnonymousUser())
    assert _register(tenant_a, e, 2).status == "confirmed"


def test_a_staff_only_category_is_refused_to_the_public(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster)
    speakers = CategoryFactory(event=e, open_to_public=False)
    with pytest.raises(ValidationError) as refused:
        _register(tenant_a, e, 1, actor=AnonymousUser(), category=speakers)
    assert "category" in refused.value.message_dict
    other_event_category = CategoryFactory(event=event(tenant_a.cluster))
    with pytest.raises(ValidationError):
        _register(tenant_a, e, 2, category=other_event_category)


def test_capacity_cannot_go_below_the_confirmed_count(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster, capacity=5)
    for n in range(3):
        _register(tenant_a, e, n)
    with pytest.raises(ValidationError) as refused:
        event_update(actor=tenant_a.director, event=e, capacity=2)
    message = refused.value.message_dict["capacity"][0]
    assert "3" in message and "2" in message
    e.refresh_from_db()
    assert e.capacity == 5


def test_a_category_capacity_cannot_go_below_its_confirmed_count(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster)
    members = CategoryFactory(event=e)
    for n in range(2):
        _register(tenant_a, e, n, category=members)
    with pytest.raises(ValidationError) as refused:
        category_save(actor=tenant_a.director, event=e, category=members, capacity=1)
    assert "capacity" in refused.value.message_dict


def test_raising_the_capacity_promotes_the_waitlist(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster, capacity=1)
    for n in range(4):
        _register(tenant_a, e, n)
    event_update(actor=tenant_a.director, event=e, capacity=3)
    assert Registration.objects.filter(event=e, status="confirmed").count() == 3
    assert Registration.objects.filter(event=e, status="waitlisted").get().waitlist_position == 3


def test_event_create_checks_dates_and_the_address(tenant_a: Tenant) -> None:
    values = {"kind": "workshop", "title": "Atelier IA", "starts_at": in_days(5)}
    with pytest.raises(ValidationError) as refused:
        event_create(
            actor=tenant_a.director, cluster=tenant_a.cluster, ends_at=in_days(4), **values
        )
    assert "ends_at" in refused.value.message_dict
    first = event_create(
        actor=tenant_a.director, cluster=tenant_a.cluster, ends_at=in_days(6), **values
    )
    assert first.slug.startswith("atelier-ia")
    with pytest.raises(Conflict):
        event_create(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            ends_at=in_days(6),
            slug=first.slug,
            **values,
        )
    assert AuditEntry.objects.filter(action="event.created", object_id=str(first.pk)).count() == 1


@pytest.mark.parametrize("role", Role.values)
def test_who_may_create_an_event(tenant_a: Tenant, role: str) -> None:
    values = {"kind": "webinar", "title": "W", "starts_at": in_days(5), "ends_at": in_days(5)}
    person = tenant_a.people[role]
    if role in (Role.DIRECTOR, Role.EVENT_MANAGER):
        assert event_create(actor=person, cluster=tenant_a.cluster, **values).pk
    else:
        with pytest.raises(NotAllowed):
            event_create(actor=person, cluster=tenant_a.cluster, **values)


def test_check_in_records_arrival_and_refuses_the_waitlisted(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster, capacity=1)
    seated = _register(tenant_a, e, 1)
    waiting = _register(tenant_a, e, 2)
    manager = tenant_a.people[Role.EVENT_MANAGER]
    done = registration_check_in(actor=manager, registration=seated)
    assert done.attended_at is not None
    with pytest.raises(ValidationError) as refused:
        registration_check_in(actor=manager, registration=waiting)
    assert "waitlist" in refused.value.messages[0]
    undone = registration_check_in(actor=manager, registration=seated, present=False)
    assert undone.attended_at is None
    with pytest.raises(NotAllowed):  # finance reads registrations but does not check in
        registration_check_in(actor=tenant_a.people[Role.FINANCE], registration=seated)
    with pytest.raises(NotVisible):  # an expert does not even read them
        registration_check_in(actor=tenant_a.people[Role.EXPERT], registration=seated)


def test_check_in_finds_by_badge_address_code_name_and_organisation(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster)
    r = _register(tenant_a, e, 1, organisation_name="Biotech Rhône")
    _register(tenant_a, e, 2)
    director = tenant_a.director
    url = f"https://desk.example.org/c/alpha/events/{e.pk}/check-in/?code={r.token}"
    assert badge_code_of(url) == r.token
    assert check_in_search(user=director, event=e, q=url) == [r]
    assert check_in_search(user=director, event=e, q=r.token) == [r]
    assert check_in_search(user=director, event=e, q="martin 1") == [r]
    assert check_in_search(user=director, event=e, q="biotech") == [r]
    assert check_in_search(user=tenant_a.people[Role.EXPERT], event=e, q="martin") == []


# -- the one organisation record --------------------------------------------------------------


def test_a_known_contact_brings_their_organisation(tenant_a: Tenant) -> None:
    org = follow(tenant_a.cluster, name="Genoscreen")
    contact = ContactFactory(cluster=tenant_a.cluster, organisation=org, email="cm@genoscreen.fr")
    r = registration_create(
        actor=AnonymousUser(),
        event=event(tenant_a.cluster),
        first_name="C",
        last_name="M",
        email="CM@genoscreen.fr",
        organisation_name="Something else",
    )
    assert (r.organisation, r.contact) == (org, contact)


def test_the_identifier_then_the_folded_name_find_the_organisation(tenant_a: Tenant) -> None:
    by_siren = follow(tenant_a.cluster, name="Alpha Pharma", siren="732829320")
    by_name = follow(tenant_a.cluster, name="Société Générale de Biologie")
    e = event(tenant_a.cluster)
    r1 = _register(tenant_a, e, 1, organisation_identifier="732 829 320 00074")
    r2 = _register(tenant_a, e, 2, organisation_name="societe generale de biologie")
    assert r1.organisation == by_siren
    assert r2.organisation == by_name
    assert r2.contact is None


def test_an_unknown_or_ambiguous_name_is_left_for_staff(tenant_a: Tenant) -> None:
    follow(tenant_a.cluster, name="Twin SA", city="Lyon")
    follow(tenant_a.cluster, name="Twin SA", city="Paris")
    OrganisationFactory(name="Elsewhere SAS")  # followed by nobody: never matched blindly
    e = event(tenant_a.cluster)
    twin = _register(tenant_a, e, 1, organisation_name="Twin SA")
    new = _register(tenant_a, e, 2, organisation_name="Elsewhere SAS")
    assert twin.organisation is None and new.organisation is None
    pending = registrations_to_match(user=tenant_a.director, cluster=tenant_a.cluster)
    assert set(pending) == {twin, new}


def test_staff_link_a_registrant_and_a_contact_is_created(tenant_a: Tenant) -> None:
    org = follow(tenant_a.cluster, name="Twin SA")
    r = _register(tenant_a, event(tenant_a.cluster), 1, organisation_name="Twin")
    registration_link_organisation(actor=tenant_a.director, registration=r, organisation=org)
    r.refresh_from_db()
    assert r.organisation == org
    assert r.contact is not None and r.contact.email == r.email
    assert Contact.objects.filter(organisation=org, email=r.email).count() == 1
    assert AuditEntry.objects.filter(action="registration.organisation_confirmed").exists()


def test_creating_the_organisation_refuses_a_duplicate_identifier(tenant_a: Tenant) -> None:
    holder = OrganisationFactory(name="Holder", siren="732829320")
    r = _register(tenant_a, event(tenant_a.cluster), 1, organisation_name="Holder SA")
    with pytest.raises(Conflict) as refused:
        registration_create_organisation(
            actor=tenant_a.director, registration=r, name="Holder SA", siren="732829320"
        )
    assert refused.value.existing == holder
    r.refresh_from_db()
    assert r.organisation is None
    created = registration_create_organisation(
        actor=tenant_a.director, registration=r, name="Brand New SAS"
    )
    assert created.organisation is not None and created.organisation.name == "Brand New SAS"


def test_cancelling_after_the_event_is_refused(tenant_a: Tenant) -> None:
    e = event(tenant_a.cluster)
    r = _register(tenant_a, e, 1)
    Event.objects.filter(pk=e.pk).update(
        starts_at=timezone.now() - timezone.timedelta(days=2),
        ends_at=timezone.now() - timezone.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        registration_cancel(actor=tenant_a.director, registration=r)
