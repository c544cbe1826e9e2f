"""Who may do what in brokerage events.

- The cluster's staff read the brokerage pages (``brokerage.view_brokerage``); the director
  and the event managers set events up, validate profiles, schedule and change meetings
  (``brokerage.manage_brokerage``).
- A participant acts as themself (``brokerage.act_as_participant`` on a Participant): the
  portal account of the registration's contact, the holder of their personal link
  (``access.LinkHolder``), or the event staff on their behalf.
- Profiles are seen by the staff, by their owner and, once validated, by the other validated
  participants of the same event (``brokerage.view_participant``, with
  ``selectors.participants_visible_to`` for lists); a meeting by the staff and its two
  participants (``brokerage.view_meeting``, ``selectors.meetings_visible_to``).
"""

from __future__ import annotations

from typing import Any

import rules

from clusterdesk.brokerage.models import Participant
from clusterdesk.core.rules import is_event_staff, is_staff
from clusterdesk.events.models import Registration

can_view_brokerage = is_staff
can_manage_brokerage = is_event_staff


def acting_participant_ids(user: Any, brokerage_id: int | None = None) -> set[int]:
    """The participants this person is (their link's one, or those of their portal
    account's contacts), optionally within one brokerage."""
    from_link = getattr(user, "participant_id", None)
    if from_link is not None:
        participant = user.participant
        if brokerage_id is not None and participant.brokerage_id != brokerage_id:
            return set()
        return {from_link}
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = user.__dict__.setdefault("_brokerage_participants", {})
    if brokerage_id not in cache:
        qs = Participant.objects.filter(registration__contact__user=user).exclude(
            registration__status=Registration.Status.CANCELLED
        )
        if brokerage_id is not None:
            qs = qs.filter(brokerage_id=brokerage_id)
        cache[brokerage_id] = set(qs.values_list("pk", flat=True))
    return set(cache[brokerage_id])


@rules.predicate
def is_the_participant(user: Any, participant: Any) -> bool:
    if participant is None:
        return False
    return participant.pk in acting_participant_ids(user, participant.brokerage_id)


@rules.predicate
def manages_participant(user: Any, participant: Any) -> bool:
    return participant is not None and bool(can_manage_brokerage.test(user, participant.cluster))


@rules.predicate
def sees_brokerage_of(user: Any, obj: Any) -> bool:
    return obj is not None and bool(can_view_brokerage.test(user, obj.cluster))


@rules.predicate
def fellow_participant(user: Any, participant: Any) -> bool:
    """A validated participant seen by another validated participant of the same event."""
    if participant is None or participant.status != Participant.Status.VALIDATED:
        return False
    mine = acting_participant_ids(user, participant.brokerage_id)
    if not mine:
        return False
    return Participant.objects.filter(pk__in=mine, status=Participant.Status.VALIDATED).exists()


@rules.predicate
def in_meeting(user: Any, meeting: Any) -> bool:
    if meeting is None:
        return False
    mine = acting_participant_ids(user, meeting.brokerage_id)
    return bool(mine & {meeting.participant_a_id, meeting.participant_b_id})


rules.add_perm("brokerage.view_brokerage", can_view_brokerage)
rules.add_perm("brokerage.manage_brokerage", can_manage_brokerage)
# On a Participant.
rules.add_perm("brokerage.act_as_participant", is_the_participant | manages_participant)
rules.add_perm(
    "brokerage.view_participant", sees_brokerage_of | is_the_participant | fellow_participant
)
# On a Participant: their agenda (the staff, or themself; not a fellow participant).
rules.add_perm("brokerage.view_meeting_agenda", sees_brokerage_of | is_the_participant)
# On a Meeting.
rules.add_perm("brokerage.view_meeting", sees_brokerage_of | in_meeting)
