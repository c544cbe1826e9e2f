"""Participants: a confirmed registration of a brokerage event becomes a participant with
a profile and cooperation opportunities; the organiser validates profiles; each
participant says when they are there (arrival, departure, blocked slots).

A participant writes their own profile (``brokerage.act_as_participant``: their portal
account or their personal link); the event staff may write it for them and alone validate.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.audit.services import audit_record, audit_snapshot
from clusterdesk.brokerage.models import (
    Brokerage,
    MeetingSlot,
    Opportunity,
    Participant,
    PartnershipType,
    Unavailability,
    new_access_key,
)
from clusterdesk.core.errors import Conflict, NotVisible, conflict_on_duplicate, require
from clusterdesk.events.models import Registration

MANAGE = "brokerage.manage_brokerage"
ACT = "brokerage.act_as_participant"
PROFILE_FIELDS = ("headline", "description", "keywords")
AVAILABILITY_FIELDS = ("arrival_at", "departure_at", "max_meetings")


def require_self(actor: Any, participant: Participant) -> None:
    """The actor is this participant (or the staff acting for them); others get 404."""
    require(actor, ACT, participant, hidden=True)


def _exists(existing: Participant) -> str:
    return _("%(name)s already takes part in the B2B meetings (participant no. %(id)s).") % {
        "name": existing.name,
        "id": existing.pk,
    }


def _clean_profile(values: dict[str, Any]) -> dict[str, str]:
    out = {k: str(values.get(k) or "").strip() for k in PROFILE_FIELDS if k in values}
    if "keywords" in out:
        words = [w.strip() for w in out["keywords"].split(",") if w.strip()]
        out["keywords"] = ", ".join(dict.fromkeys(words))[:500]
    if len(out.get("headline", "")) > 200:
        raise ValidationError({"headline": _("At most 200 characters.")})
    return out


@transaction.atomic
def participant_create(
    *, actor: Any, brokerage: Brokerage, registration: Registration, **profile: Any
) -> Participant:
    """Make a confirmed registration of the event a participant (staff, or the registrant
    through the portal). Pending until validated, unless the event validates nobody."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {', '.join(sorted(unknown))}")
    staff = actor.has_perm(MANAGE, brokerage.cluster)
    own = (
        getattr(actor, "is_authenticated", False)
        and registration.contact is not None
        and registration.contact.user_id == actor.pk
    )
    if not (staff or own):
        raise NotVisible(MANAGE)
    if registration.event_id != brokerage.event_id:
        raise ValidationError({"registration": _("This registration is for another event.")})
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            {"registration": _("Only a confirmed registration takes part in the meetings.")}
        )
    same = Participant.objects.filter(registration=registration)
    existing = same.first()
    if existing is not None:
        raise Conflict(_exists(existing), existing=existing)
    participant = Participant(
        cluster=brokerage.cluster,
        brokerage=brokerage,
        registration=registration,
        status=Participant.Status.PENDING
        if brokerage.validation_required
        else Participant.Status.VALIDATED,
        **_clean_profile(profile),
    )
    if participant.status == Participant.Status.VALIDATED:
        participant.validated_at = timezone.now()
    with conflict_on_duplicate(same.first, _exists):
        participant.save()
    audit_record(
        actor=actor,
        action="participant.created",
        obj=participant,
        after=audit_snapshot(participant, ("status", *PROFILE_FIELDS)),
    )
    return participant


@transaction.atomic
def participant_update(*, actor: Any, participant: Participant, **profile: Any) -> Participant:
    """Change the profile (headline, description, keywords)."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {', '.join(sorted(unknown))}")
    require_self(actor, participant)
    before = audit_snapshot(participant, PROFILE_FIELDS)
    for name, value in _clean_profile(profile).items():
        setattr(participant, name, value)
    participant.save(update_fields=list(PROFILE_FIELDS))
    audit_record(
        actor=actor,
        action="participant.profile_changed",
        obj=participant,
        before=before,
        after=audit_snapshot(participant, PROFILE_FIELDS),
    )
    return participant


@transaction.atomic
def participant_validate(
    *, actor: Any, participant: Participant, approve: bool = True
) -> Participant:
    """The organiser validates a profile (it then appears in the marketplace) or rejects it."""
    require(actor, MANAGE, participant.cluster)
    before = participant.status
    participant.status = Participant.Status.VALIDATED if approve else Participant.Status.REJECTED
    participant.validated_at = timezone.now() if approve else None
    participant.save(update_fields=["status", "validated_at"])
    audit_record(
        actor=actor,
        action="participant.validated" if approve else "participant.rejected",
        obj=participant,
        before={"status": before},
        after={"status": participant.status},
    )
    return participant


@transaction.atomic
def participant_link_reset(*, actor: Any, participant: Participant) -> Participant:
    """A new secret: the personal link sent before stops working."""
    require_self(actor, participant)
    participant.access_key = new_access_key()
    participant.save(update_fields=["access_key"])
    audit_record(actor=actor, action="participant.link_reset", obj=participant)
    return participant


# -- opportunities --------------------------------------------------------------------------


@transaction.atomic
def opportunity_save(
    *,
    actor: Any,
    participant: Participant,
    kind: str,
    title: str,
    description: str = "",
    partnership_type: PartnershipType | None = None,
    opportunity: Opportunity | None = None,
) -> Opportunity:
    """Add an offer or a request to the profile, or change one."""
    require_self(actor, participant)
    if opportunity is not None and opportunity.participant_id != participant.pk:
        raise NotVisible(ACT)
    if kind not in Opportunity.Kind.values:
        raise ValidationError({"kind": _("Choose an offer or a request.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the opportunity a title.")})
    if partnership_type is not None and partnership_type.brokerage_id != participant.brokerage_id:
        raise ValidationError(
            {"partnership_type": _("This partnership type belongs to another event.")}
        )
    opp = opportunity or Opportunity(cluster=participant.cluster, participant=participant)
    before = audit_snapshot(opp, ("kind", "title", "partnership_type")) if opp.pk else None
    opp.kind, opp.title, opp.description = kind, title.strip()[:200], description.strip()
    opp.partnership_type = partnership_type
    opp.save()
    audit_record(
        actor=actor,
        action="opportunity.saved",
        obj=participant,
        before=before,
        after=audit_snapshot(opp, ("kind", "title", "partnership_type")),
    )
    return opp


@transaction.atomic
def opportunity_delete(*, actor: Any, opportunity: Opportunity) -> None:
    participant = opportunity.participant
    require_self(actor, participant)
    audit_record(
        actor=actor,
        action="opportunity.deleted",
        obj=participant,
        before=audit_snapshot(opportunity, ("kind", "title")),
    )
    opportunity.delete()


# -- availability ---------------------------------------------------------------------------


@transaction.atomic
def availability_set(
    *,
    actor: Any,
    participant: Participant,
    arrival_at: datetime.datetime | None = None,
    departure_at: datetime.datetime | None = None,
    max_meetings: int | None = None,
    blocked_slots: Iterable[MeetingSlot] = (),
) -> Participant:
    """When the participant is there: arrival and departure within the event, slots they
    block (of this event), the most meetings they want (at most the event's limit)."""
    require_self(actor, participant)
    brokerage = participant.brokerage
    event = brokerage.event
    errors: dict[str, str] = {}
    for name, value in (("arrival_at", arrival_at), ("departure_at", departure_at)):
        if value is not None and not (event.starts_at <= value <= event.ends_at):
            errors[name] = _("Give a time within the event (%(start)s to %(end)s).") % {
                "start": timezone.localtime(event.starts_at).strftime("%d/%m/%Y %H:%M"),
                "end": timezone.localtime(event.ends_at).strftime("%d/%m/%Y %H:%M"),
            }
    if arrival_at and departure_at and departure_at <= arrival_at and "departure_at" not in errors:
        errors["departure_at"] = _("The departure must come after the arrival.")
    if max_meetings is not None and not (0 <= max_meetings <= brokerage.max_meetings):
        errors["max_meetings"] = _("Between 0 and %(max)s meetings.") % {
            "max": brokerage.max_meetings
        }
    slots = list(blocked_slots)
    if any(s.brokerage_id != brokerage.pk for s in slots):
        errors["blocked_slots"] = _("These slots belong to another event.")
    if errors:
        raise ValidationError(errors)
    before = audit_snapshot(participant, AVAILABILITY_FIELDS)
    before["blocked"] = sorted(
        Unavailability.objects.filter(participant=participant).values_list("slot_id", flat=True)
    )
    participant.arrival_at, participant.departure_at = arrival_at, departure_at
    participant.max_meetings = max_meetings
    participant.save(update_fields=list(AVAILABILITY_FIELDS))
    Unavailability.objects.filter(participant=participant).delete()
    Unavailability.objects.bulk_create(
        [
            Unavailability(cluster=participant.cluster, participant=participant, slot=s)
            for s in slots
        ]
    )
    after = audit_snapshot(participant, AVAILABILITY_FIELDS)
    after["blocked"] = sorted(s.pk for s in slots)
    audit_record(
        actor=actor,
        action="participant.availability_set",
        obj=participant,
        before=before,
        after=after,
    )
    return participant
