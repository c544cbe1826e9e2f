"""Bookings: create (once or weekly), approve or decline, cancel, check in and out, join the
waiting list.

No double booking: the overlap check below names the booking in the way (``Conflict``);
two requests racing past it are stopped by the database (PostgreSQL's exclusion constraint,
turned into the same ``Conflict``; on SQLite the transaction holds the write lock from its
start, so the second one checks after the first committed).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_record_many, audit_snapshot
from clusterdesk.core.errors import Conflict, NotAllowed, conflict_on_duplicate, require
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import member_organisations, organisations_followed
from clusterdesk.facilities.hours import within_opening_hours
from clusterdesk.facilities.models import Booking, Resource, WaitlistEntry
from clusterdesk.facilities.selectors import (
    bookings_between,
    covering_authorisations,
    hosted_organisations_of,
)
from clusterdesk.facilities.tasks import tell_waitlist
from clusterdesk.projects.models import Application

BOOKING_FIELDS = (
    "resource",
    "person",
    "organisation",
    "application",
    "start",
    "end",
    "status",
    "purpose",
    "series",
    "recurrence",
    "checked_in_at",
    "checked_out_at",
    "flag_reason",
)
MAX_OCCURRENCES = 52


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _booking_named(booking: Booking) -> str:
    return _("%(resource)s is already booked from %(start)s to %(end)s (booking no. %(id)s).") % {
        "resource": booking.resource,
        "start": _when(booking.start),
        "end": _when(booking.end),
        "id": booking.pk,
    }


def _check_period(resource: Resource, start: datetime.datetime, end: datetime.datetime) -> None:
    """The resource's own rules about when and how long, each refused by name."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError({"start": _("Give the times with their UTC offset.")})
    if end <= start:
        raise ValidationError({"end": _("The end must come after the start.")})
    now = timezone.now()
    if start < now:
        raise ValidationError({"start": _("This booking starts in the past.")})
    if start < now + datetime.timedelta(hours=resource.lead_time_hours):
        raise ValidationError(
            {
                "start": _("%(resource)s is booked at least %(hours)s hours ahead.")
                % {"resource": resource, "hours": resource.lead_time_hours}
            }
        )
    if start > now + datetime.timedelta(days=resource.horizon_days):
        raise ValidationError(
            {
                "start": _(
                    "This is beyond the booking horizon: %(resource)s is booked at most "
                    "%(days)s days ahead."
                )
                % {"resource": resource, "days": resource.horizon_days}
            }
        )
    minutes = (end - start).total_seconds() / 60
    if minutes < resource.min_duration_minutes:
        raise ValidationError(
            {
                "end": _("Too short: %(resource)s is booked for at least %(minutes)s minutes.")
                % {"resource": resource, "minutes": resource.min_duration_minutes}
            }
        )
    if minutes > resource.max_duration_minutes:
        raise ValidationError(
            {
                "end": _("Too long: %(resource)s is booked for at most %(minutes)s minutes.")
                % {"resource": resource, "minutes": resource.max_duration_minutes}
            }
        )
    if not within_opening_hours(
        start=start,
        end=end,
        open_days=resource.open_days,
        opens_at=resource.opens_at,
        closes_at=resource.closes_at,
    ):
        raise ValidationError(
            {
                "start": _(
                    "Outside opening hours: %(resource)s is open from %(opens)s to %(closes)s "
                    "on its open days."
                )
                % {
                    "resource": resource,
                    "opens": resource.opens_at.strftime("%H:%M"),
                    "closes": resource.closes_at.strftime("%H:%M"),
                }
            }
        )


def authorisation_problem(
    resource: Resource, person: User, start: datetime.datetime, end: datetime.datetime
) -> str:
    """Why ``person`` may not use ``resource`` over the period ("" when they may)."""
    if not resource.needs_authorisation:
        return ""
    first, last = timezone.localdate(start), timezone.localdate(end)
    authorisations = list(covering_authorisations(resource=resource, person=person))
    if any(a.is_valid_on(first) and a.is_valid_on(last) for a in authorisations):
        return ""
    what = (
        resource.get_containment_level_display()
        if resource.containment_level and not resource.requires_authorisation
        else str(resource)
    )
    values = {"person": person, "what": what}
    revoked = [a for a in authorisations if a.revoked_at is not None]
    expired = [a for a in authorisations if a.revoked_at is None and a.valid_until < last]
    future = [a for a in authorisations if a.revoked_at is None and a.valid_from > first]
    if expired:
        latest = max(a.valid_until for a in expired)
        return _("The authorisation of %(person)s for %(what)s expired on %(date)s.") % {
            **values,
            "date": date_format(latest, "SHORT_DATE_FORMAT"),
        }
    if future:
        return _("The authorisation of %(person)s for %(what)s starts only on %(date)s.") % {
            **values,
            "date": date_format(min(a.valid_from for a in future), "SHORT_DATE_FORMAT"),
        }
    if revoked:
        return _("The authorisation of %(person)s for %(what)s was revoked.") % values
    return _("%(person)s has no authorisation for %(what)s.") % values


def _organisation_for(
    cluster: Any, person: User, organisation: Organisation | None
) -> Organisation | None:
    """The organisation billed: the one given (followed by the cluster), else the person's
    hosted company, else their first organisation in the cluster."""
    if organisation is not None:
        if not organisations_followed(cluster=cluster).filter(pk=organisation.pk).exists():
            raise ValidationError({"organisation": _("This organisation is not followed here.")})
        return organisation
    hosted = hosted_organisations_of(cluster=cluster, user=person).order_by("pk").first()
    if hosted is not None:
        return hosted
    return member_organisations(cluster=cluster, user=person).order_by("pk").first()


def _occurrences(
    start: datetime.datetime, end: datetime.datetime, weeks: int
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The first period and the same local times on the next ``weeks`` weeks."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    periods = []
    for n in range(weeks + 1):
        shift = datetime.timedelta(weeks=n)
        s = timezone.make_aware((local_start + shift).replace(tzinfo=None))
        e = timezone.make_aware((local_end + shift).replace(tzinfo=None))
        periods.append((s, e))
    return periods


def _overlapping(booking: Booking) -> Callable[[], Booking | None]:
    def find() -> Booking | None:
        return bookings_between(
            resource=booking.resource, start=booking.start, end=booking.end
        ).first()

    return find


@transaction.atomic
def booking_create(
    *,
    actor: User,
    resource: Resource,
    person: User,
    start: datetime.datetime,
    end: datetime.datetime,
    organisation: Organisation | None = None,
    application: Application | None = None,
    purpose: str = "",
    repeat_weeks: int = 0,
) -> list[Booking]:
    """Book ``resource`` for ``person`` from ``start`` to ``end`` (and the same times for
    ``repeat_weeks`` more weeks, all or none). Pending where the resource needs approval.

    Refused by name: a booking for someone else by anyone but the centre's staff
    (``NotAllowed``); the times (past, lead time, horizon, durations, opening hours), a
    missing, expired or revoked authorisation (``ValidationError``); an overlap with an
    active booking (``Conflict`` naming it).
    """
    cluster = resource.cluster
    require(actor, "facilities.book", cluster)
    if person.pk != actor.pk and not actor.has_perm("facilities.manage", cluster):
        raise NotAllowed(_("You may book for yourself only."))
    if not resource.active or not resource.bookable:
        raise ValidationError(
            {"resource": _("%(resource)s cannot be booked.") % {"resource": resource}}
        )
    if not 0 <= repeat_weeks < MAX_OCCURRENCES:
        raise ValidationError(
            {"repeat_weeks": _("Repeat for 0 to %(n)s weeks.") % {"n": MAX_OCCURRENCES - 1}}
        )
    organisation = _organisation_for(cluster, person, organisation)
    if application is not None and application.cluster_id != cluster.pk:
        raise ValidationError({"application": _("This project belongs to another cluster.")})
    periods = _occurrences(start, end, repeat_weeks)
    for s, e in periods:
        _check_period(resource, s, e)
        problem = authorisation_problem(resource, person, s, e)
        if problem:
            raise ValidationError({"person": problem})
    # Lock the resource row: bookings of one resource queue here (PostgreSQL); SQLite's
    # IMMEDIATE transaction already holds the database's write lock.
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    for s, e in periods:
        existing = bookings_between(resource=resource, start=s, end=e).first()
        if existing is not None:
            raise Conflict(_booking_named(existing), existing=existing)
    status = Booking.Status.PENDING if resource.requires_approval else Booking.Status.CONFIRMED
    series = uuid.uuid4() if repeat_weeks else None
    bookings = [
        Booking(
            cluster=cluster,
            resource=resource,
            person=person,
            organisation=organisation,
            application=application,
            start=s,
            end=e,
            status=status,
            purpose=purpose,
            series=series,
            recurrence=_("weekly, %(n)s times") % {"n": len(periods)} if repeat_weeks else "",
            created_by=actor,
        )
        for s, e in periods
    ]
    for booking in bookings:
        # A concurrent booking that committed after our check: the database refuses ours.
        with conflict_on_duplicate(_overlapping(booking), _booking_named):
            booking.save()
    audit_record_many(
        actor=actor,
        action="booking.created",
        cluster=cluster,
        changes=[(b, None, audit_snapshot(b, BOOKING_FIELDS)) for b in bookings],
    )
    return bookings


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)


def _change(actor: User, booking: Booking, action: str, **values: Any) -> Booking:
    before = audit_snapshot(booking, values)
    for name, value in values.items():
        setattr(booking, name, value)
    booking.save(update_fields=[*values])
    audit_record(
        actor=actor,
        action=action,
        obj=booking,
        before=before,
        after=audit_snapshot(booking, values),
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking) -> Booking:
    """Cancel: the slot is free at once and the waiting list is told. The person who booked
    cancels before the resource's cancellation deadline; the centre's staff at any time."""
    require(actor, "facilities.change_booking", booking, hidden=True)
    booking = _locked(booking)
    if booking.status == Booking.Status.CANCELLED:
        return booking
    staff = actor.has_perm("facilities.manage", booking.cluster)
    deadline = booking.start - datetime.timedelta(hours=booking.resource.cancellation_hours)
    if not staff and timezone.now() > deadline:
        raise ValidationError(
            _("Too late to cancel: %(resource)s is cancelled at least %(hours)s hours before.")
            % {"resource": booking.resource, "hours": booking.resource.cancellation_hours}
        )
    booking = _change(
        actor,
        booking,
        "booking.cancelled",
        status=Booking.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    waiting = WaitlistEntry.objects.filter(
        resource=booking.resource,
        notified_at=None,
        start__lt=booking.end,
        end__gt=booking.start,
    ).values_list("pk", flat=True)
    ids = list(waiting)
    if ids:
        transaction.on_commit(lambda: tell_waitlist.enqueue(booking.cluster_id, ids))
    return booking


@transaction.atomic
def booking_decide(*, actor: User, booking: Booking, approve: bool) -> Booking:
    """The facility manager approves a pending booking (confirmed) or declines it
    (cancelled); a flagged one is confirmed again only if the person is authorised."""
    require(actor, "facilities.manage", booking.cluster)
    booking = _locked(booking)
    if booking.status not in (Booking.Status.PENDING, Booking.Status.FLAGGED):
        raise ValidationError(_("Only a pending or flagged booking is approved or declined."))
    if not approve:
        return _change(
            actor,
            booking,
            "booking.declined",
            status=Booking.Status.CANCELLED,
            cancelled_at=timezone.now(),
            decided_by=actor,
        )
    problem = authorisation_problem(booking.resource, booking.person, booking.start, booking.end)
    if problem:
        raise ValidationError(problem)
    return _change(
        actor,
        booking,
        "booking.approved",
        status=Booking.Status.CONFIRMED,
        flag_reason="",
        decided_by=actor,
    )


@transaction.atomic
def booking_check(*, actor: User, booking: Booking, out: bool = False) -> Booking:
    """Record the actual start (check-in) or end (check-out) of use, now."""
    require(actor, "facilities.change_booking", booking, hidden=True)
    booking = _locked(booking)
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed booking is checked in or out."))
    now = timezone.now()
    if not out:
        if booking.checked_in_at is not None:
            raise ValidationError(_("Already checked in."))
        if now < booking.start - datetime.timedelta(hours=1) or now > booking.end:
            raise ValidationError(_("Check in from an hour before the start until the end."))
        return _change(actor, booking, "booking.checked_in", checked_in_at=now)
    if booking.checked_in_at is None:
        raise ValidationError(_("Check in before checking out."))
    if booking.checked_out_at is not None:
        raise ValidationError(_("Already checked out."))
    return _change(actor, booking, "booking.checked_out", checked_out_at=now)


@transaction.atomic
def waitlist_join(
    *, actor: User, resource: Resource, start: datetime.datetime, end: datetime.datetime
) -> WaitlistEntry:
    """Wait for a taken slot: told by e-mail if it frees."""
    require(actor, "facilities.book", resource.cluster)
    if end <= start:
        raise ValidationError({"end": _("The end must come after the start.")})
    if start < timezone.now():
        raise ValidationError({"start": _("This booking starts in the past.")})
    entry = WaitlistEntry.objects.create(
        cluster=resource.cluster, resource=resource, person=actor, start=start, end=end
    )
    audit_record(
        actor=actor,
        action="waitlist.joined",
        obj=entry,
        after=audit_snapshot(entry, ("resource", "person", "start", "end")),
    )
    return entry
