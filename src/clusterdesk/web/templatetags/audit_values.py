"""How a value kept in an audit entry reads in a history: a structure (a funding
application's lines, a merge's counts) reads as labelled values, amounts as money, never as
a raw Python ``dict`` or ``list``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The keys of structured values and how they read; a key of no label (``partner``) shows
# its value alone, as the line's title.
LABELS: dict[str, Any] = {
    "partner": None,
    "requested_eur": _("requested"),
    "granted_eur": _("granted"),
}


def _money(value: Any) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number_format(amount, 2, force_grouping=True)} €"


def _item(key: str, value: Any) -> str:
    shown = _money(value) if key.endswith("_eur") else audit_value(value)
    label = LABELS.get(key, key.replace("_", " "))
    return shown if label is None else f"{label} {shown}"


@register.filter
def audit_value(value: Any) -> str:
    """One audit value as text: ``{"partner": "PME", "granted_eur": "300000"}`` reads
    "PME: granted 300 000,00 €"; a list reads as its items joined by "; "."""
    if isinstance(value, dict):
        title = [str(value[k]) for k in value if LABELS.get(k, "") is None]
        rest = [_item(str(k), v) for k, v in value.items() if LABELS.get(k, "") is not None]
        body = ", ".join(rest)
        return f"{' '.join(title)}: {body}" if title else body
    if isinstance(value, list | tuple):
        return "; ".join(audit_value(v) for v in value) if value else "—"
    if value is None:
        return "∅"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    return str(value)
