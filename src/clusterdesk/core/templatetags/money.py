"""``{% load money %}``: ``{{ amount|money }}`` ("1 200,00 €"), ``{{ amount|money:0 }}``
("1 200 €"), per the active language."""

from __future__ import annotations

from typing import Any

from django import template

from clusterdesk.core.formatting import format_money

register = template.Library()


@register.filter
def money(value: Any, decimals: int = 2) -> str:
    if value is None or value == "":
        return "—"
    return format_money(value, int(decimals))
