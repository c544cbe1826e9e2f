"""Writes of registrations: registering (from the public page, the back office or the API),
cancelling (by staff, or by the person through their signed link) with the waitlist promoted
in the same transaction, check-in on the day, and the registrant's organisation confirmed.

Capacity is never exceeded, however many register at the same second: every write that
counts seats first locks the event's row (``select_for_update``: PostgreSQL serialises them
per event; SQLite's transactions are IMMEDIATE, which takes the database's write lock when
they begin, with a busy timeout, see settings), then counts and writes.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import Conflict, NotVisible, conflict_on_duplicate, require
from clusterdesk.core.links import page_url
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import contacts_of, organisations_followed
from clusterdesk.crm.services.contacts import contact_save
from clusterdesk.crm.services.organisations import organisation_create, relationship_ensure
from clusterdesk.events.calendar import event_ics
from clusterdesk.events.models import Event, Registration, RegistrationCategory
from clusterdesk.events.selectors import (
    cancel_code,
    confirmed_count,
    registrant_match,
    registration_by_cancel_code,
    waitlist_of,
)
from clusterdesk.notifications.services import notify

MANAGE = "events.manage_events"
CHECK_IN = "events.check_in"
Actor = User | AnonymousUser

REGISTRATION_FIELDS = (
    "event",
    "category",
    "first_name",
    "last_name",
    "email",
    "organisation_name",
    "organisation_identifier",
    "organisation",
    "contact",
    "status",
    "waitlist_position",
    "fee",
)


# -- e-mails --------------------------------------------------------------------------------


def _require_on(actor: User, permission: str, registration: Registration) -> None:
    """Refuse ``permission`` on the registration's cluster: 404 to whoever may not even read
    the registration, 403 to those who read it (finance) but may not do this."""
    visible = actor.has_perm("events.view_registration", registration)
    require(actor, permission, registration.cluster, hidden=not visible)


def _send(registration: Registration, template: str) -> None:
    """Tell the person (in their language) what became of their registration, with the
    event's calendar file once their seat is confirmed and their personal cancel link."""
    event = registration.event
    confirmed = registration.status == Registration.Status.CONFIRMED
    event_url = page_url("events.public", event=event) if event.is_public else ""
    attachments = []
    if confirmed:
        with translation.override(registration.language):  # the title in their language
            ics = event_ics(event, url=event_url)
        attachments.append((f"{event.slug}.ics", ics, "text/calendar; charset=utf-8"))
    notify(
        to=registration.email,
        language=registration.language,
        template=f"events/email/{template}",
        context={
            "registration": registration,
            "event": event,
            "event_url": event_url,
            "cancel_url": page_url("events.cancel", event=event, code=cancel_code(registration)),
        },
        attachments=attachments,
    )


def _send_on_commit(registration: Registration, template: str) -> None:
    """Render and queue the e-mail once the transaction commits, after the event's lock is
    released (a rolled-back write sends nothing)."""
    transaction.on_commit(functools.partial(_send, registration, template))


# -- registering ----------------------------------------------------------------------------


def _clean_person(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    clean = {k: (v or "").strip() for k, v in values.items()}
    if not clean["first_name"]:
        errors["first_name"] = _("Give the first name.")
    if not clean["last_name"]:
        errors["last_name"] = _("Give the last name.")
    clean["email"] = clean["email"].lower()
    try:
        validate_email(clean["email"])
    except ValidationError:
        errors["email"] = _("“%(email)s” is not a valid e-mail address.") % {
            "email": clean["email"]
        }
    if errors:
        raise ValidationError(errors)
    return clean


def _room_for(event: Event, category: RegistrationCategory | None) -> bool:
    if event.capacity is not None and confirmed_count(event=event) >= event.capacity:
        return False
    if category is not None and category.capacity is not None:
        return confirmed_count(event=event, category=category) < category.capacity
    return True


def _already_registered(existing: Registration) -> str:
    return _(
        "%(email)s is already registered for this event (registration no. %(id)s, %(status)s)."
    ) % {"email": existing.email, "id": existing.pk, "status": existing.get_status_display()}


def _moment(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def _window_check(event: Event, *, staff: bool) -> None:
    now = timezone.now()
    if event.starts_at <= now:
        raise ValidationError(
            _("“%(event)s” has already taken place: registration is closed.")
            % {"event": event.label}
        )
    if now >= event.closes_at:
        raise ValidationError(
            _("Registration for “%(event)s” closed on %(date)s.")
            % {"event": event.label, "date": _moment(event.closes_at)}
        )
    if not staff and event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(
            _("Registration for “%(event)s” opens on %(date)s.")
            % {
                "event": event.label,
                "date": _moment(event.registration_opens_at),
            }
        )


def registration_create(
    *,
    actor: Actor,
    event: Event,
    first_name: str,
    last_name: str,
    email: str,
    organisation_name: str = "",
    organisation_identifier: str = "",
    category: RegistrationCategory | None = None,
    language: str = "fr",
) -> Registration:
    """Register a person: confirmed while the event and the category have room, otherwise
    on the waitlist. Anybody may register for a public event within its registration
    window (the public page); the event staff may register people for any of the cluster's
    events and in categories the public form does not offer (speakers, guests).

    Refusals name the problem: an invalid e-mail, the same address twice (``Conflict``
    naming the first registration), a past event, registration closed or not yet open, a
    category of another event. Nothing is written then.

    What does not depend on the seats (the checks of the input, the matching of the
    organisation) is done before the transaction that takes the event's lock, and the
    e-mail is rendered once it commits: the lock is held only to count, write and audit.
    """
    staff = actor.has_perm(MANAGE, event.cluster)
    if not staff and not event.is_public:
        raise NotVisible(MANAGE)
    person = _clean_person({"first_name": first_name, "last_name": last_name, "email": email})
    if category is not None and category.event_id != event.pk:
        raise ValidationError({"category": _("This category belongs to another event.")})
    if category is not None and not staff and not category.open_to_public:
        raise ValidationError(
            {
                "category": _("Only the organisers register people in “%(category)s”.")
                % {"category": category.label}
            }
        )
    match = registrant_match(
        cluster=event.cluster,
        email=person["email"],
        name=organisation_name.strip(),
        identifier=organisation_identifier.strip(),
    )
    registration = Registration(
        cluster=event.cluster,
        event=event,
        category=category,
        **person,
        language="en" if (language or "").startswith("en") else "fr",
        organisation_name=organisation_name.strip(),
        organisation_identifier=organisation_identifier.strip(),
        organisation=match.organisation,
        contact=match.contact,
        fee=category.fee if category is not None else None,
        status=Registration.Status.CONFIRMED,
    )
    registration.full_clean(
        exclude=["cluster", "event", "category", "organisation", "contact", "token"],
        validate_unique=False,
        validate_constraints=False,
    )
    with transaction.atomic():
        # The event's row is the lock every seat count waits for (the module's docstring).
        event = Event.objects.select_for_update().get(pk=event.pk)
        registration.event = event
        _window_check(event, staff=staff)
        same = Registration.objects.filter(event=event, email=person["email"]).exclude(
            status=Registration.Status.CANCELLED
        )
        existing = same.first()
        if existing is not None:
            raise Conflict(_already_registered(existing), existing=existing)
        if not _room_for(event, category):
            registration.status = Registration.Status.WAITLISTED
            waiting = Registration.objects.filter(event=event)
            last = waiting.aggregate(m=Max("waitlist_position"))["m"]
            registration.waitlist_position = (last or 0) + 1
        with conflict_on_duplicate(same.first, _already_registered):
            registration.save()
        audit_record(
            actor=actor,
            action="registration.created",
            obj=registration,
            after=audit_snapshot(registration, REGISTRATION_FIELDS),
        )
        confirmed = registration.status == Registration.Status.CONFIRMED
        _send_on_commit(registration, "confirmed" if confirmed else "waitlisted")
    return registration


# -- the waitlist and cancellations ---------------------------------------------------------


def waitlist_promote(*, actor: Actor, event: Event) -> list[Registration]:
    """Confirm the waitlisted people, in their order, while seats are free (a person whose
    category is full is passed over, not the whole line). Runs inside the transaction that
    freed the seats, with the event's row locked by the caller; each promoted person is
    e-mailed once it commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("waitlist_promote runs inside the transaction that frees seats.")
    promoted = []
    for registration in waitlist_of(event=event).select_related("category", "event"):
        if event.capacity is not None and confirmed_count(event=event) >= event.capacity:
            break
        if not _room_for(event, registration.category):
            continue
        registration.status = Registration.Status.CONFIRMED
        registration.waitlist_position = None
        registration.save(update_fields=["status", "waitlist_position"])
        audit_record(
            actor=actor,
            action="registration.promoted",
            obj=registration,
            before={"status": Registration.Status.WAITLISTED},
            after={"status": Registration.Status.CONFIRMED},
        )
        _send_on_commit(registration, "promoted")
        promoted.append(registration)
    return promoted


def _cancel(actor: Actor, registration: Registration) -> Registration:
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    if event.ends_at <= timezone.now():
        raise ValidationError(_("The event is over: its registrations stay as they were."))
    was_confirmed = locked.status == Registration.Status.CONFIRMED
    before = audit_snapshot(locked, ("status", "waitlist_position"))
    locked.status = Registration.Status.CANCELLED
    locked.waitlist_position = None
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "waitlist_position", "cancelled_at"])
    audit_record(
        actor=actor,
        action="registration.cancelled",
        obj=locked,
        before=before,
        after=audit_snapshot(locked, ("status", "waitlist_position")),
    )
    _send_on_commit(locked, "cancelled")
    if was_confirmed:
        waitlist_promote(actor=actor, event=event)
    return locked


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> Registration:
    """Cancel a registration (event staff); a freed seat goes to the waitlist at once."""
    _require_on(actor, MANAGE, registration)
    return _cancel(actor, registration)


@transaction.atomic
def registration_cancel_by_link(*, code: str) -> Registration:
    """The person cancels their own registration with the signed link of their e-mails."""
    registration = registration_by_cancel_code(code=code)
    if registration is None:
        raise NotVisible("events.cancel")
    return _cancel(AnonymousUser(), registration)


# -- the day of the event -------------------------------------------------------------------


@transaction.atomic
def registration_check_in(
    *, actor: User, registration: Registration, present: bool = True
) -> Registration:
    """Record that the person arrived (``present``), or undo a mistaken check-in."""
    _require_on(actor, CHECK_IN, registration)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if present and locked.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            _("%(name)s's registration is %(status)s: confirm it before checking them in.")
            % {"name": locked, "status": locked.get_status_display().lower()}
        )
    if present == (locked.attended_at is not None):
        return locked
    before = audit_snapshot(locked, ("attended_at",))
    locked.attended_at = timezone.now() if present else None
    locked.save(update_fields=["attended_at"])
    audit_record(
        actor=actor,
        action="registration.checked_in" if present else "registration.check_in_undone",
        obj=locked,
        before=before,
        after=audit_snapshot(locked, ("attended_at",)),
    )
    return locked


# -- the registrant's organisation ----------------------------------------------------------


def _link(actor: User, registration: Registration, organisation: Organisation) -> Registration:
    cluster = registration.cluster
    if not organisations_followed(cluster=cluster).filter(pk=organisation.pk).exists():
        relationship_ensure(actor=actor, cluster=cluster, organisation=organisation)
    contact = registration.contact
    if contact is None or contact.organisation_id != organisation.pk:
        contact = (
            contacts_of(cluster=cluster, organisation=organisation)
            .filter(email__iexact=registration.email)
            .first()
        ) or contact_save(
            actor=actor,
            cluster=cluster,
            organisation=organisation,
            first_name=registration.first_name,
            last_name=registration.last_name,
            email=registration.email,
            language=registration.language,
        )
    before = audit_snapshot(registration, ("organisation", "contact"))
    registration.organisation = organisation
    registration.contact = contact
    registration.save(update_fields=["organisation", "contact"])
    audit_record(
        actor=actor,
        action="registration.organisation_confirmed",
        obj=registration,
        before=before,
        after=audit_snapshot(registration, ("organisation", "contact")),
    )
    return registration


@transaction.atomic
def registration_link_organisation(
    *, actor: User, registration: Registration, organisation: Organisation
) -> Registration:
    """Staff confirm which organisation record a registrant is (the cluster follows it from
    then on) and the registrant becomes, or is found as, one of its contacts."""
    _require_on(actor, MANAGE, registration)
    return _link(actor, registration, organisation)


@transaction.atomic
def registration_create_organisation(
    *, actor: User, registration: Registration, **values: Any
) -> Registration:
    """Staff create the organisation a registrant gave when no record exists for it (the
    CRM refuses an identifier that another record holds, naming it: link to that one)."""
    _require_on(actor, MANAGE, registration)
    if not values.get("name"):
        values["name"] = registration.organisation_name
    organisation = organisation_create(actor=actor, cluster=registration.cluster, **values)
    return _link(actor, registration, organisation)
