"""The one form of a sign-in identifier, shared by the login form and the lockout count.

django-axes counts failures per identifier: counted as typed, ``Ada@…``, ``ada@…`` and
``ada@… `` would be three people, and an attacker would get five guesses per spelling.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def login_identifier(value: object) -> str:
    """An e-mail address as people are known by: without surrounding spaces, lower-case."""
    return str(value or "").strip().lower()


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """``AXES_USERNAME_CALLABLE``: the identifier axes counts and locks."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return login_identifier(credentials.get(field))
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return login_identifier(data.get(field))
