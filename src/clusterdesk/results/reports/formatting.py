"""How reports write values: in full, as the current language writes them (grouped
thousands, whole euros, percentages), where the dashboards' ``results.charts`` shortens
amounts ("870 M€")."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from clusterdesk.results import charts
from clusterdesk.results.indicators import Indicator


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def period_text(start: datetime.date, end: datetime.date) -> str:
    if start == datetime.date(start.year, 1, 1) and end == datetime.date(start.year, 12, 31):
        return str(start.year)
    if start == datetime.date(start.year, 1, 1) and end == datetime.date(end.year, 12, 31):
        return f"{start.year}\u2013{end.year}"  # an en dash
    first, last = (formats.date_format(d, "SHORT_DATE_FORMAT") for d in (start, end))
    return f"{first} \u2013 {last}"


def display_unit(name: str, unit: str) -> str:
    """The unit as reports show it: a rate or a share is a percentage."""
    return "percent" if unit == "ratio" and name in charts.PERCENT_RATIOS else unit


def unit_of(indicator: Indicator) -> str:
    return display_unit(indicator.name, indicator.unit)


def format_value(value: Any, unit: str) -> str:
    """A value as the current language writes it, in full (grouped thousands, whole euros,
    percentages); the dashboards' ``results.charts`` formats, without shortening amounts."""
    if value is None or value == "":
        return "\u2014"  # an em dash
    if unit == "bool" or isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if not is_number(value):
        return str(value)
    if unit == "eur":
        return charts.format_eur(value, short=False)
    if unit == "percent":
        return charts.format_percent(value, 1)
    if unit == "ratio":
        return charts.format_number(value, 2)
    if unit == "fte":
        return charts.format_number(value, 1)
    return charts.format_number(value, -1)
