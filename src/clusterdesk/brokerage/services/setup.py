"""Setting a brokerage event up: its settings, partnership types and meeting slots.

Only the event staff (``brokerage.manage_brokerage``) do it, and only on an event of kind
"brokerage"; slots lie inside the event and are not changed once meetings use them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.brokerage.models import Brokerage, Meeting, MeetingSlot, PartnershipType
from clusterdesk.core.errors import require
from clusterdesk.events.models import Event

MANAGE = "brokerage.manage_brokerage"
SETTINGS_FIELDS = (
    "meeting_minutes",
    "tables",
    "max_meetings",
    "auto_accept",
    "validation_required",
)


@transaction.atomic
def brokerage_setup(*, actor: User, event: Event, **values: Any) -> Brokerage:
    """Create or change the brokerage settings of a brokerage event."""
    require(actor, MANAGE, event.cluster)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not brokerage settings: {', '.join(sorted(unknown))}")
    if event.kind != Event.Kind.BROKERAGE:
        raise ValidationError({"event": _("Only an event of kind “brokerage” has B2B meetings.")})
    brokerage = Brokerage.objects.filter(event=event).first()
    before = audit_snapshot(brokerage, SETTINGS_FIELDS) if brokerage else None
    if brokerage is None:
        brokerage = Brokerage(cluster=event.cluster, event=event)
    for name, value in values.items():
        setattr(brokerage, name, value)
    if not brokerage.meeting_minutes or brokerage.meeting_minutes < 5:
        raise ValidationError({"meeting_minutes": _("A meeting lasts at least 5 minutes.")})
    if not brokerage.tables:
        raise ValidationError({"tables": _("Give at least one table.")})
    brokerage.save()
    audit_record(
        actor=actor,
        action="brokerage.set_up" if before is None else "brokerage.changed",
        obj=brokerage,
        before=before,
        after=audit_snapshot(brokerage, SETTINGS_FIELDS),
    )
    return brokerage


@transaction.atomic
def partnership_types_set(
    *, actor: User, brokerage: Brokerage, names: Iterable[tuple[str, str]]
) -> list[PartnershipType]:
    """The event's partnership types as (French, English) names; types no longer named are
    removed unless an opportunity uses them."""
    require(actor, MANAGE, brokerage.cluster)
    wanted = {fr.strip(): en.strip() for fr, en in names if fr.strip()}
    kept: list[PartnershipType] = []
    for pt in PartnershipType.objects.filter(brokerage=brokerage):
        if pt.name in wanted:
            pt.name_en = wanted.pop(pt.name)
            pt.save(update_fields=["name_en"])
            kept.append(pt)
        elif pt.opportunities.exists():
            kept.append(pt)
        else:
            pt.delete()
    for fr, en in wanted.items():
        kept.append(
            PartnershipType.objects.create(
                cluster=brokerage.cluster, brokerage=brokerage, name=fr, name_en=en
            )
        )
    audit_record(
        actor=actor,
        action="brokerage.partnership_types_set",
        obj=brokerage,
        after={"types": sorted(pt.name for pt in kept)},
    )
    return kept


@transaction.atomic
def slots_generate(
    *,
    actor: User,
    brokerage: Brokerage,
    start: datetime.datetime,
    end: datetime.datetime,
    breaks: Iterable[tuple[datetime.datetime, datetime.datetime]] = (),
) -> list[MeetingSlot]:
    """Replace the slots by back-to-back meetings from ``start`` to ``end``, skipping
    breaks. Refused once meetings use the slots, or outside the event."""
    require(actor, MANAGE, brokerage.cluster)
    event = brokerage.event
    if start >= end:
        raise ValidationError({"end": _("The end must come after the start.")})
    if start < event.starts_at or end > event.ends_at:
        raise ValidationError({"start": _("The meeting slots must lie within the event's dates.")})
    if Meeting.objects.filter(brokerage=brokerage).exists():
        raise ValidationError(
            {"start": _("Meetings are already scheduled in these slots; discard them first.")}
        )
    length = datetime.timedelta(minutes=brokerage.meeting_minutes)
    pauses = list(breaks)
    MeetingSlot.objects.filter(brokerage=brokerage).delete()
    slots: list[MeetingSlot] = []
    at = start
    while at + length <= end:
        clash = next((b for b in pauses if at < b[1] and at + length > b[0]), None)
        if clash is not None:
            at = clash[1]
            continue
        slots.append(
            MeetingSlot(
                cluster=brokerage.cluster,
                brokerage=brokerage,
                starts_at=at,
                ends_at=at + length,
                tables=brokerage.tables,
            )
        )
        at += length
    MeetingSlot.objects.bulk_create(slots)
    audit_record(
        actor=actor,
        action="brokerage.slots_generated",
        obj=brokerage,
        after={"slots": len(slots), "start": start, "end": end},
    )
    return slots
