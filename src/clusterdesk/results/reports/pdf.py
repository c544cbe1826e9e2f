"""A report as a PDF: one HTML document laid out on A4 by WeasyPrint, with the dashboards'
SVG charts inline (no external resource: the system's DejaVu fonts). Tests read the HTML,
which is what goes into the PDF."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from clusterdesk.core.pdf import html_to_pdf
from clusterdesk.results.reports.data import Report, YearlySeries

# The print colours of the dashboards' charts; the report's last year is the darker bar.
CHART_STYLE = (
    "<style>"
    'text { font: 12px "DejaVu Sans", sans-serif; fill: #1d2433; }'
    "text.tick { fill: #5b6475; }"
    ".grid line { stroke: #e3e7ee; } .axis { stroke: #9aa3b2; }"
    ".s0 { fill: #8fb8d6; } .series > g:last-child .s0 { fill: #0b5c8e; }"
    ".s1 { fill: #c0622a; } .s2 { fill: #1c7c45; }"
    "</style>"
)
CHART_OPENING = re.compile(r"<svg\b[^>]*>")


def series_svg(series: YearlySeries) -> SafeString:
    """The dashboards' chart (``results/charts/bar_chart.html``) for paper: WeasyPrint
    styles an inline SVG only from a stylesheet inside it, so the chart gets one."""
    html = render_to_string("results/charts/bar_chart.html", {"chart": series.chart})
    return mark_safe(CHART_OPENING.sub(lambda m: m.group(0) + CHART_STYLE, html, count=1))


def report_html(report: Report) -> str:
    """The report as one HTML document for A4 paper (what the PDF is made of)."""
    charts = [series_svg(series) for series in report.series]
    return render_to_string("results/reports/pdf.html", {"report": report, "charts": charts})


def report_pdf(report: Report) -> bytes:
    return html_to_pdf(report_html(report))
