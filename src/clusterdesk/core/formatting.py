"""Numbers and amounts as people read them, per the active language: "1 200,00 €" in
French, "€1,200.00" in English (Django's localised ``floatformat``, grouped). Pages,
e-mails, timelines and PDFs all format money here."""

from __future__ import annotations

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import get_language

Number = int | float | Decimal
NBSP = "\u00a0"


def french() -> bool:
    return (get_language() or "fr").startswith("fr")


def format_number(value: Number, decimals: int = 0) -> str:
    """A localised number with its thousands grouped; ``decimals`` < 0 drops a zero
    fraction (Django's ``floatformat`` rules)."""
    return str(floatformat(value, f"{decimals}g"))


def format_money(value: Number | None, decimals: int = 2) -> str:
    """An amount in euros, whole: "1 200,00 €" / "€1,200.00"; "—" when there is none."""
    if value is None:
        return "—"
    text = format_number(Decimal(value), decimals)
    return f"{text}{NBSP}€" if french() else f"€{text}"
