"""Template helpers of the dashboards: ``{% load results_dashboard %}``.

- ``{{ value|indicator_value:"eur" }}`` (or ``:"ratio:sme_share"``) formats a value per
  the language; ``|eur`` and ``|percent`` format amounts and shares;
- ``{% bar_chart chart %}`` draws a chart made by ``results.charts.bar_chart``.
"""

from __future__ import annotations

from typing import Any

from django import template

from clusterdesk.results.charts import Chart, format_eur, format_percent, format_value

register = template.Library()


@register.filter
def indicator_value(value: Any, unit: str) -> str:
    """``unit`` is an indicator's unit, optionally followed by ``:name`` (for ratios)."""
    unit, _sep, name = str(unit).partition(":")
    return format_value(value, unit, name)


@register.filter
def eur(value: Any) -> str:
    return "—" if value is None else format_eur(value)


@register.filter
def percent(value: Any) -> str:
    return "—" if value is None else format_percent(value)


@register.inclusion_tag("results/charts/bar_chart.html")
def bar_chart(chart: Chart, chart_id: str = "") -> dict[str, Any]:
    return {"chart": chart, "chart_id": chart_id}
