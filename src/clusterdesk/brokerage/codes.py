"""The signed code of a participant's personal link (no model import: the view apps build
links with it while Django starts).

The code carries the participant's id and secret key, signed with the site's key: it cannot
be made up or altered, and rotating the key revokes it.
"""

from __future__ import annotations

from typing import Any

from django.core import signing

LINK_SALT = "clusterdesk.brokerage.participant"


def participant_code(participant: Any) -> str:
    return signing.Signer(salt=LINK_SALT).sign(f"{participant.pk}.{participant.access_key}")


def code_parts(code: str) -> tuple[int, str] | None:
    """(participant id, key) of a genuine code, else None."""
    try:
        value = signing.Signer(salt=LINK_SALT).unsign(code)
    except signing.BadSignature:
        return None
    pk, _dot, key = value.partition(".")
    if not pk.isdigit() or not key:
        return None
    return int(pk), key
