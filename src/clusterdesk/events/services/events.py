"""Writes of events and their registration categories (``events.manage_events``: the
director and the event managers).

A capacity can be raised (the waitlist is then promoted in the same transaction) but not
lowered below the people already confirmed: the message names both numbers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.core.errors import Conflict, NotVisible, conflict_on_duplicate, require
from clusterdesk.core.models import Cluster
from clusterdesk.events.models import Event, RegistrationCategory
from clusterdesk.events.selectors import confirmed_count
from clusterdesk.events.services.registrations import waitlist_promote

MANAGE = "events.manage_events"

EVENT_FIELDS = (
    "kind",
    "title",
    "title_en",
    "slug",
    "description",
    "description_en",
    "venue",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "is_public",
)
CATEGORY_FIELDS = ("name", "name_en", "capacity", "fee", "open_to_public", "position")


def _unknown(values: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"{what}: {', '.join(sorted(unknown))}")


def _slug_taken(existing: Event) -> str:
    return _("The address “%(slug)s” is already that of the event “%(title)s” (no. %(id)s).") % {
        "slug": existing.slug,
        "title": existing.title,
        "id": existing.pk,
    }


def _free_slug(cluster: Cluster, title: str, starts_at: Any) -> str:
    base = slugify(f"{title} {starts_at.year}" if starts_at else title)[:70] or "event"
    slug, n = base, 2
    while Event.objects.filter(cluster=cluster, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _event_check(event: Event) -> None:
    errors: dict[str, str] = {}
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        errors["ends_at"] = _("The event ends before it starts.")
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes < opens:
        errors["registration_closes_at"] = _("Registration closes before it opens.")
    if closes and event.ends_at and closes > event.ends_at:
        errors["registration_closes_at"] = _("Registration closes after the event has ended.")
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["cluster"], validate_unique=False, validate_constraints=False)


def _capacity_check(capacity: int | None, confirmed: int, field: str = "capacity") -> None:
    if capacity is not None and capacity < confirmed:
        raise ValidationError(
            {
                field: _(
                    "%(confirmed)s people are already confirmed: the capacity cannot be lowered "
                    "to %(capacity)s. Cancel registrations first, or keep at least %(confirmed)s."
                )
                % {"confirmed": confirmed, "capacity": capacity}
            }
        )


@transaction.atomic
def event_create(*, actor: User, cluster: Cluster, **values: Any) -> Event:
    """A new event; its public address is made from the title when none is given."""
    require(actor, MANAGE, cluster)
    _unknown(values, EVENT_FIELDS, "Not event fields")
    event = Event(cluster=cluster, **values)
    if not event.slug:
        event.slug = _free_slug(cluster, event.title, event.starts_at)
    _event_check(event)
    same = Event.objects.filter(cluster=cluster, slug=event.slug)
    existing = same.first()
    if existing is not None:
        raise Conflict(_slug_taken(existing), existing=existing)
    with conflict_on_duplicate(same.first, _slug_taken):
        event.save()
    audit_record(
        actor=actor, action="event.created", obj=event, after=audit_snapshot(event, EVENT_FIELDS)
    )
    return event


@transaction.atomic
def event_update(*, actor: User, event: Event, **values: Any) -> Event:
    """Change an event. Its row is locked, so that no registration slips in between the
    count of the confirmed and the new capacity."""
    require(actor, MANAGE, event.cluster)
    _unknown(values, EVENT_FIELDS, "Not event fields")
    locked = Event.objects.select_for_update().filter(pk=event.pk, cluster=event.cluster).first()
    if locked is None:
        raise NotVisible(MANAGE)
    before = audit_snapshot(locked, EVENT_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    if not locked.slug:
        locked.slug = _free_slug(locked.cluster, locked.title, locked.starts_at)
    _event_check(locked)
    _capacity_check(locked.capacity, confirmed_count(event=locked))
    same = Event.objects.filter(cluster=locked.cluster, slug=locked.slug).exclude(pk=locked.pk)
    existing = same.first()
    if existing is not None:
        raise Conflict(_slug_taken(existing), existing=existing)
    with conflict_on_duplicate(same.first, _slug_taken):
        locked.save()
    after = audit_snapshot(locked, EVENT_FIELDS)
    if before != after:
        audit_record(actor=actor, action="event.updated", obj=locked, before=before, after=after)
    if before["capacity"] != after["capacity"]:
        waitlist_promote(actor=actor, event=locked)
    return locked


@transaction.atomic
def category_save(
    *,
    actor: User,
    event: Event,
    category: RegistrationCategory | None = None,
    **values: Any,
) -> RegistrationCategory:
    """Create a registration category of ``event`` (``category`` None) or change one."""
    require(actor, MANAGE, event.cluster)
    _unknown(values, CATEGORY_FIELDS, "Not category fields")
    locked = Event.objects.select_for_update().get(pk=event.pk)
    creating = category is None
    if category is None:
        category = RegistrationCategory(cluster=locked.cluster, event=locked)
    elif category.event_id != locked.pk:
        raise NotVisible(MANAGE)
    before = None if creating else audit_snapshot(category, CATEGORY_FIELDS)
    for name, value in values.items():
        setattr(category, name, value)
    category.full_clean(exclude=["cluster", "event"], validate_unique=False)
    if not creating:
        _capacity_check(category.capacity, confirmed_count(event=locked, category=category))
    same = RegistrationCategory.objects.filter(event=locked, name=category.name)
    if category.pk:
        same = same.exclude(pk=category.pk)
    if same.exists():
        raise ValidationError({"name": _("The event already has a category with this name.")})
    category.save()
    after = audit_snapshot(category, CATEGORY_FIELDS)
    if before != after:
        audit_record(
            actor=actor,
            action="event.category_created" if creating else "event.category_updated",
            obj=category,
            before=before,
            after=after,
        )
    if before is not None and before["capacity"] != after["capacity"]:
        waitlist_promote(actor=actor, event=locked)
    return category
