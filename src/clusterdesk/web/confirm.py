"""The one confirmation step of every action that does harm in bulk (renewing, calling
fees, lapsing the unpaid, opening a follow-up campaign, re-running the reviewer proposal,
merging organisations).

A page's action button posts as usual; the view first answers with ``confirmation_page``,
which says what the action will do and to how many (the counts come from the domain's
selectors, the same queries its service runs) and posts the same data again with
``confirmed=yes``. Only then does the view call the service. The page is rendered by the
server (no script needed, CSP-safe), so the step holds for a keyboard, a screen reader or a
browser without JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirmed"
CONFIRM_VALUE = "yes"
_NOT_REPEATED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


@dataclass(frozen=True)
class Effect:
    """One consequence of the action: ``count`` things, said in words (``label``), with
    optionally the names of a few of them (``examples``)."""

    label: str
    count: int
    examples: Sequence[str] = ()


@dataclass(frozen=True)
class Confirmation:
    title: str
    summary: str
    effects: Sequence[Effect]
    confirm_label: str
    cancel_url: str
    danger: bool = False
    notes: Sequence[str] = field(default=())
    # An action that would change nothing is not offered (the page says so).
    allowed: bool = True

    @property
    def does_something(self) -> bool:
        return self.allowed and any(e.count for e in self.effects)


def is_confirmed(request: HttpRequest) -> bool:
    """Whether the person confirmed on the confirmation page (the service may run)."""
    return request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirmation_page(
    request: HttpRequest, confirmation: Confirmation, **context: Any
) -> HttpResponse:
    """The confirmation step: what will happen, to how many, and the same form data sent
    again with ``confirmed=yes`` to the same address."""
    repeated = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_REPEATED
        for value in values
    ]
    context |= {
        "confirmation": confirmation,
        "repeated": repeated,
        "confirm_field": CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE,
        "action_url": request.get_full_path(),
    }
    return render(request, "confirm.html", context)
