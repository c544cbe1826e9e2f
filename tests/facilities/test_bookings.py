"""The booking service: its rules, each refused by name, and who may book."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.errors import Conflict, NotAllowed, NotVisible
from clusterdesk.core.roles import Role
from clusterdesk.facilities.models import Booking, Resource
from clusterdesk.facilities.services.authorisations import authorisation_revoke
from clusterdesk.facilities.services.bookings import (
    booking_cancel,
    booking_check,
    booking_create,
    booking_decide,
)
from tests.conftest import Tenant
from tests.facilities.factories import ResourceFactory, authorise, hosted_person, slot
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("unscoped")


def _book(
    tenant: Tenant,
    resource: Resource,
    start: datetime.datetime,
    end: datetime.datetime,
    **kw: object,
) -> Booking:
    person = kw.pop("person", tenant.director)
    return booking_create(
        actor=kw.pop("actor", tenant.director),
        resource=resource,
        person=person,
        start=start,
        end=end,
        **kw,
    )[0]


def test_booking_confirmed_and_audited(tenant_a: Tenant) -> None:
    room = ResourceFactory(cluster=tenant_a.cluster, kind=Resource.Kind.MEETING_ROOM)
    start, end = slot()
    booking = _book(tenant_a, room, start, end)
    assert booking.status == Booking.Status.CONFIRMED
    assert AuditEntry.objects.filter(action="booking.created", object_id=str(booking.pk)).exists()


def test_booking_pending_where_approval_is_required(tenant_a: Tenant) -> None:
    suite = ResourceFactory(cluster=tenant_a.cluster, requires_approval=True)
    start, end = slot()
    booking = _book(tenant_a, suite, start, end)
    assert booking.status == Booking.Status.PENDING
    booking_decide(actor=tenant_a.people[Role.FACILITY_MANAGER], booking=booking, approve=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_booking_overlap_refused_naming_the_booking_and_back_to_back_accepted(
    tenant_a: Tenant,
) -> None:
    lab = ResourceFactory(cluster=tenant_a.cluster)
    start, end = slot(hours=2)
    first = _book(tenant_a, lab, start, end)
    with pytest.raises(Conflict) as refused:
        _book(tenant_a, lab, start + datetime.timedelta(hours=1), end + datetime.timedelta(hours=1))
    assert f"no. {first.pk}" in refused.value.message
    assert refused.value.existing == first
    after = _book(tenant_a, lab, end, end + datetime.timedelta(hours=1))
    before = _book(tenant_a, lab, start - datetime.timedelta(hours=1), start)
    assert {after.status, before.status} == {Booking.Status.CONFIRMED}
    assert Booking.objects.filter(resource=lab).count() == 3


@pytest.mark.parametrize(
    ("shift", "field", "words"),
    [
        ("end_before_start", "end", "end must come after"),
        ("past", "start", "past"),
        ("beyond_horizon", "start", "horizon"),
        ("weekend", "start", "Outside opening hours"),
        ("evening", "start", "Outside opening hours"),
        ("too_short", "end", "Too short"),
        ("too_long", "end", "Too long"),
        ("lead_time", "start", "hours ahead"),
    ],
)
def test_booking_bad_times_refused_by_name(
    tenant_a: Tenant, shift: str, field: str, words: str
) -> None:
    lab = ResourceFactory(
        cluster=tenant_a.cluster, horizon_days=30, max_duration_minutes=240, lead_time_hours=0
    )
    start, end = slot(days=3)
    if shift == "end_before_start":
        start, end = end, start
    elif shift == "past":
        start, end = start - datetime.timedelta(days=20), end - datetime.timedelta(days=20)
    elif shift == "beyond_horizon":
        start, end = slot(days=60)
    elif shift == "weekend":
        day = timezone.localdate() + datetime.timedelta(days=3)
        while day.weekday() != 5:
            day += datetime.timedelta(days=1)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        end = start + datetime.timedelta(hours=1)
    elif shift == "evening":
        start, end = slot(days=3, hour=19, hours=2)
    elif shift == "too_short":
        end = start + datetime.timedelta(minutes=10)
    elif shift == "too_long":
        end = start + datetime.timedelta(hours=5)
    elif shift == "lead_time":
        lab.lead_time_hours = 24 * 10
        lab.save()
    with pytest.raises(ValidationError) as refused:
        _book(tenant_a, lab, start, end)
    assert words in " ".join(refused.value.message_dict[field])
    assert not Booking.objects.filter(resource=lab).exists()


def test_p3_needs_a_valid_authorisation(tenant_a: Tenant) -> None:
    p3 = ResourceFactory(cluster=tenant_a.cluster, containment_level="P3")
    person = tenant_a.people[Role.EXPERT]
    start, end = slot()
    with pytest.raises(ValidationError) as refused:
        _book(tenant_a, p3, start, end, person=person)
    assert "has no authorisation" in refused.value.message_dict["person"][0]
    authorise(tenant_a.cluster, person, level="P2")
    with pytest.raises(ValidationError):  # P2 does not open P3
        _book(tenant_a, p3, start, end, person=person)
    authorise(tenant_a.cluster, person, level="P3", days_left=1)
    with pytest.raises(ValidationError) as expired:
        _book(tenant_a, p3, start, end, person=person)
    assert "expired on" in expired.value.message_dict["person"][0]
    authorise(tenant_a.cluster, person, level="P3", days_left=60)
    assert _book(tenant_a, p3, start, end, person=person).status == Booking.Status.CONFIRMED


def test_p3_authorisation_opens_p2_and_instrument_needs_its_own(tenant_a: Tenant) -> None:
    person = tenant_a.people[Role.EXPERT]
    authorise(tenant_a.cluster, person, level="P3")
    p2 = ResourceFactory(cluster=tenant_a.cluster, containment_level="P2")
    start, end = slot()
    assert _book(tenant_a, p2, start, end, person=person).pk
    cytometer = ResourceFactory(
        cluster=tenant_a.cluster, kind=Resource.Kind.EQUIPMENT, requires_authorisation=True
    )
    with pytest.raises(ValidationError):
        _book(tenant_a, cytometer, start, end, person=person)
    authorise(tenant_a.cluster, person, resource=cytometer)
    assert _book(tenant_a, cytometer, start, end, person=person).pk


def test_hosted_people_book_for_themselves_only(tenant_a: Tenant) -> None:
    lab = ResourceFactory(cluster=tenant_a.cluster)
    member, org = hosted_person(tenant_a.cluster)
    start, end = slot()
    booking = _book(tenant_a, lab, start, end, actor=member, person=member)
    assert booking.organisation == org
    with pytest.raises(NotAllowed):
        _book(
            tenant_a,
            lab,
            end,
            end + datetime.timedelta(hours=1),
            actor=member,
            person=tenant_a.director,
        )
    # A member whose company is not hosted does not book; nor does finance.
    with pytest.raises(NotAllowed):
        _book(
            tenant_a,
            lab,
            end,
            end + datetime.timedelta(hours=1),
            actor=tenant_a.people[Role.MEMBER],
            person=tenant_a.people[Role.MEMBER],
        )
    with pytest.raises(NotAllowed):
        _book(
            tenant_a,
            lab,
            end,
            end + datetime.timedelta(hours=1),
            actor=tenant_a.people[Role.FINANCE],
            person=tenant_a.people[Role.FINANCE],
        )


def test_cancel_frees_the_slot_and_respects_the_deadline(tenant_a: Tenant) -> None:
    lab = ResourceFactory(cluster=tenant_a.cluster, cancellation_hours=24 * 30)
    member, _org = hosted_person(tenant_a.cluster)
    start, end = slot()
    booking = _book(tenant_a, lab, start, end, actor=member, person=member)
    with pytest.raises(ValidationError, match="Too late to cancel"):
        booking_cancel(actor=member, booking=booking)
    with pytest.raises(NotVisible):
        booking_cancel(actor=UserFactory(), booking=booking)
    booking_cancel(actor=tenant_a.people[Role.FACILITY_MANAGER], booking=booking)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert _book(tenant_a, lab, start, end).status == Booking.Status.CONFIRMED


def test_revoked_authorisation_flags_future_bookings_at_once(tenant_a: Tenant) -> None:
    p3 = ResourceFactory(cluster=tenant_a.cluster, containment_level="P3")
    room = ResourceFactory(cluster=tenant_a.cluster, kind=Resource.Kind.MEETING_ROOM)
    person = tenant_a.people[Role.EXPERT]
    authorisation = authorise(tenant_a.cluster, person, level="P3")
    start, end = slot()
    in_lab = _book(tenant_a, p3, start, end, person=person)
    in_room = _book(tenant_a, room, start, end, person=person)
    flagged = authorisation_revoke(
        actor=tenant_a.people[Role.FACILITY_MANAGER], authorisation=authorisation, reason="audit"
    )
    assert flagged == 1
    in_lab.refresh_from_db()
    in_room.refresh_from_db()
    assert in_lab.status == Booking.Status.FLAGGED
    assert "revoked" in in_lab.flag_reason
    assert in_room.status == Booking.Status.CONFIRMED
    with pytest.raises(ValidationError, match="revoked"):
        _book(tenant_a, p3, end, end + datetime.timedelta(hours=1), person=person)


def test_weekly_recurrence_is_all_or_nothing(tenant_a: Tenant) -> None:
    lab = ResourceFactory(cluster=tenant_a.cluster)
    start, end = slot()
    in_the_way = _book(
        tenant_a, lab, start + datetime.timedelta(weeks=2), end + datetime.timedelta(weeks=2)
    )
    with pytest.raises(Conflict) as refused:
        _book(tenant_a, lab, start, end, repeat_weeks=3)
    assert refused.value.existing == in_the_way
    assert Booking.objects.filter(resource=lab).count() == 1
    series = booking_create(
        actor=tenant_a.director,
        resource=lab,
        person=tenant_a.director,
        start=start + datetime.timedelta(hours=3),
        end=end + datetime.timedelta(hours=3),
        repeat_weeks=3,
    )
    assert len(series) == 4
    assert len({b.series for b in series}) == 1
    assert [timezone.localtime(b.start).hour for b in series] == [13] * 4


def test_check_in_and_out_record_actual_use(tenant_a: Tenant, time_machine: object) -> None:
    lab = ResourceFactory(cluster=tenant_a.cluster)
    start, end = slot()
    booking = _book(tenant_a, lab, start, end)
    with pytest.raises(ValidationError, match="Check in before"):
        booking_check(actor=tenant_a.director, booking=booking, out=True)
    time_machine.move_to(start + datetime.timedelta(minutes=10))  # type: ignore[attr-defined]
    booking_check(actor=tenant_a.director, booking=booking)
    time_machine.move_to(start + datetime.timedelta(minutes=70))  # type: ignore[attr-defined]
    booking = booking_check(actor=tenant_a.director, booking=booking, out=True)
    assert booking.used_minutes == 60
