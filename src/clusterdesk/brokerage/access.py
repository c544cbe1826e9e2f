"""Who a person is in a brokerage event: a participant reaches their space either as a
portal account (the registration's contact has that account) or through their personal
signed link (``participant_code``), which makes them a ``LinkHolder`` for the request.

The link carries the participant's secret key signed with the site's key, so a link cannot
be made up or altered; rotating the key (``participant_link_reset``) revokes the old link.
A link holder may act only as their own participant: the predicates of ``rules.py`` read
``participant_id`` and nothing else of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from clusterdesk.brokerage.codes import code_parts, participant_code
from clusterdesk.brokerage.models import Participant

__all__ = ["LinkHolder", "participant_by_code", "participant_code"]


@dataclass(frozen=True)
class LinkHolder:
    """The holder of a participant's personal link (no account)."""

    participant: Participant
    is_authenticated = False
    is_anonymous = True
    is_active = False
    is_superuser = False
    pk = None

    @property
    def participant_id(self) -> int:
        return self.participant.pk

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return rules.has_perm(perm, self, obj)


def participant_by_code(code: str) -> Participant | None:
    """The participant a code names (the caller has opened the event's cluster scope)."""
    parts = code_parts(code)
    if parts is None:
        return None
    return (
        Participant.objects.filter(pk=parts[0], access_key=parts[1])
        .select_related("registration", "registration__organisation", "brokerage__event")
        .first()
    )
