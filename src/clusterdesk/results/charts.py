"""Numbers and charts for the dashboards, drawn on the server.

Values are formatted per the active language (``format_value``: "870 M€" in French,
"€870M" in English) with Django's localised ``floatformat``. ``bar_chart`` turns series
into the geometry of an SVG bar chart; ``templates/results/charts/bar_chart.html`` draws
it (bars with their values as text, a ``<title>`` per bar, axis labels) and repeats the
data as a table for screen readers. No JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from clusterdesk.core.formatting import NBSP, Number, format_number
from clusterdesk.core.formatting import french as _french

# Ratios shown as a share (%); the others (leverage) as a multiple.
PERCENT_RATIOS = frozenset({"label_rate", "funding_rate", "sme_share"})

TIMES = "\u00d7"
MINUS = "\u2212"


def format_eur(value: Number, *, short: bool = True) -> str:
    """Euros per the language: "870 M€" / "€870M", "300 k€" / "€300k", "950 €" / "€950"."""
    amount = Decimal(value)
    suffix = ""
    if short and abs(amount) >= 1_000_000:
        text, suffix = format_number(amount / 1_000_000, -1), "M"
    elif short and abs(amount) >= 10_000:
        text, suffix = format_number(amount / 1_000, 0), "k"
    else:
        text = format_number(amount, 0)
    if _french():
        return f"{text}{NBSP}{suffix}€"
    return f"€{text}{suffix}"


def format_percent(ratio: Number, decimals: int = -1) -> str:
    text = format_number(Decimal(str(ratio)) * 100, decimals)
    return f"{text}{NBSP}%" if _french() else f"{text}%"


def format_value(value: Any, unit: str, name: str = "") -> str:
    """An indicator's value as people read it; "—" when there is none."""
    if value is None:
        return "—"
    if unit == "eur":
        return format_eur(value)
    if unit == "ratio":
        if name in PERCENT_RATIOS:
            return format_percent(value)
        return f"{format_number(value, -1)}{NBSP}{TIMES}"
    if unit == "fte":
        return format_number(value, -1)
    return format_number(value, 0)


def format_difference(difference: Any, unit: str, name: str = "") -> str:
    """A signed difference: "+3", minus "1,2 M€", "+5 pts" (shares differ in points);
    the minus sign is the typographic one."""
    if difference is None:
        return "—"
    sign = "+" if difference > 0 else MINUS if difference < 0 else "±"
    size = abs(difference)
    if unit == "ratio" and name in PERCENT_RATIOS:
        points = format_number(Decimal(str(size)) * 100, -1)
        return f"{sign}{points}{NBSP}pts" if _french() else f"{sign}{points} pts"
    return sign + format_value(size, unit, name)


# -- charts -----------------------------------------------------------------------------

FONT = 12  # px, the text in the charts
CHAR = 7.0  # px, the width of an average character at that size (estimate)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Number | None]
    urls: Sequence[str | None] = ()  # where each value's records are listed, if allowed


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # index, for the colour class
    text: str  # the value, written on the chart
    title: str  # category, series and value, the bar's tooltip
    text_x: float
    text_y: float
    rotate: bool = False  # values written along a narrow bar


@dataclass(frozen=True)
class Tick:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    full: str  # the whole label when ``text`` is shortened


@dataclass(frozen=True)
class Row:
    """A line of the data table: a category and one cell per series."""

    category: str
    cells: list[tuple[str, str, str | None]]  # (series, value as text, drill-down URL)


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    horizontal: bool
    width: int
    height: int
    series: list[Series]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    axis: tuple[float, float, float, float] = (0, 0, 0, 0)
    rows: list[Row] = field(default_factory=list)
    category_header: str = ""

    @property
    def empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)


def nice_ticks(top: float, count: int = 4, *, whole: bool = False) -> list[float]:
    """Round tick values from 0 to at least ``top`` (about ``count`` steps); ``whole``
    keeps them integers (for counts)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    steps_of = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps_of if m * magnitude >= raw)
    if whole:
        step = max(1.0, float(math.ceil(step)))
    steps = math.ceil(top / step - 1e-9)
    return [step * i for i in range(steps + 1)]


def _text_width(text: str) -> float:
    return len(text) * CHAR


def _shorten(text: str, room: float) -> str:
    most = max(int(room // CHAR), 4)
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _num(value: Number | None) -> float:
    return max(float(value), 0.0) if value is not None else 0.0


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "count",
    name: str = "",
    horizontal: bool = False,
    description: str = "",
    category_header: str = "",
) -> Chart:
    """The geometry of a bar chart: vertical grouped bars (one group per category, e.g.
    a year) or horizontal bars (one per category, e.g. a funder)."""
    series = list(series)
    texts = [[format_value(v, unit, name) for v in s.values] for s in series]
    rows = [
        Row(
            category=str(category),
            cells=[
                (s.label, texts[j][i], s.urls[i] if i < len(s.urls) else None)
                for j, s in enumerate(series)
            ],
        )
        for i, category in enumerate(categories)
    ]
    top = max((_num(v) for s in series for v in s.values), default=0.0)
    ticks = nice_ticks(top, whole=unit == "count")
    scale_top = ticks[-1]
    common = {
        "title": title,
        "description": description or title,
        "series": series,
        "rows": rows,
        "category_header": category_header,
    }
    if horizontal:
        return _horizontal(categories, series, texts, ticks, scale_top, unit, name, common)
    return _vertical(categories, series, texts, ticks, scale_top, unit, name, common)


def _vertical(
    categories: Sequence[str],
    series: list[Series],
    texts: list[list[str]],
    ticks: list[float],
    scale_top: float,
    unit: str,
    name: str,
    common: dict[str, Any],
) -> Chart:
    n, k = max(len(categories), 1), max(len(series), 1)
    tick_labels = [format_value(t, unit, name) for t in ticks]
    left = 12 + max(_text_width(t) for t in tick_labels)
    bar_width = 40.0 if n * k <= 12 else 24.0
    gap = bar_width * 0.6
    width = max(640, int(left + 16 + n * (k * bar_width + gap)))
    band = (width - left - 16) / n
    bar_width = min(bar_width * 1.6, (band - gap) / k)
    longest = max((_text_width(t) for row in texts for t in row), default=0)
    rotate = longest > bar_width + 4
    top_margin = 12 + (longest if rotate else FONT + 6)
    plot = 180.0
    bottom = top_margin + plot
    height = int(bottom + FONT + 20)
    bars = []
    for j, s in enumerate(series):
        for i, value in enumerate(s.values):
            h = plot * _num(value) / scale_top if scale_top else 0.0
            x = left + i * band + gap / 2 + j * bar_width
            y = bottom - h
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(y, 1),
                    width=round(bar_width - 2, 1),
                    height=round(h, 1),
                    series=j,
                    text=texts[j][i],
                    title=f"{categories[i]} — {s.label}: {texts[j][i]}",
                    text_x=round(x + (bar_width - 2) / 2, 1),
                    text_y=round(y - 4, 1),
                    rotate=rotate,
                )
            )
    grid = [
        Tick(
            x1=left,
            y1=round(bottom - plot * t / scale_top, 1),
            x2=width - 8,
            y2=round(bottom - plot * t / scale_top, 1),
            label=label,
            label_x=left - 6,
            label_y=round(bottom - plot * t / scale_top + FONT / 3, 1),
        )
        for t, label in zip(ticks, tick_labels, strict=True)
    ]
    labels = [
        Label(
            x=round(left + i * band + band / 2, 1),
            y=bottom + FONT + 6,
            text=_shorten(str(c), band),
            full=str(c),
        )
        for i, c in enumerate(categories)
    ]
    return Chart(
        horizontal=False,
        width=width,
        height=height,
        bars=bars,
        ticks=grid,
        labels=labels,
        axis=(left, bottom, width - 8, bottom),
        **common,
    )


def _horizontal(
    categories: Sequence[str],
    series: list[Series],
    texts: list[list[str]],
    ticks: list[float],
    scale_top: float,
    unit: str,
    name: str,
    common: dict[str, Any],
) -> Chart:
    width = 520
    k = max(len(series), 1)
    left = min(200.0, 12 + max((_text_width(str(c)) for c in categories), default=40))
    longest = max((_text_width(t) for row in texts for t in row), default=0)
    right = 12 + longest
    row_height = 10 + 18 * k
    top = 8.0
    plot = width - left - right
    bottom = top + row_height * max(len(categories), 1)
    height = int(bottom + FONT + 16)
    bars = []
    for j, s in enumerate(series):
        for i, value in enumerate(s.values):
            w = plot * _num(value) / scale_top if scale_top else 0.0
            y = top + i * row_height + 5 + j * 18
            bars.append(
                Bar(
                    x=left,
                    y=round(y, 1),
                    width=round(w, 1),
                    height=16,
                    series=j,
                    text=texts[j][i],
                    title=f"{categories[i]} — {s.label}: {texts[j][i]}",
                    text_x=round(left + w + 4, 1),
                    text_y=round(y + 12, 1),
                )
            )
    tick_labels = [format_value(t, unit, name) for t in ticks]
    grid = [
        Tick(
            x1=round(left + plot * t / scale_top, 1),
            y1=top,
            x2=round(left + plot * t / scale_top, 1),
            y2=bottom,
            label=label,
            label_x=round(left + plot * t / scale_top, 1),
            label_y=bottom + FONT + 4,
        )
        for t, label in zip(ticks, tick_labels, strict=True)
    ]
    labels = [
        Label(
            x=left - 6,
            y=round(top + i * row_height + row_height / 2 + FONT / 3, 1),
            text=_shorten(str(c), left - 12),
            full=str(c),
        )
        for i, c in enumerate(categories)
    ]
    return Chart(
        horizontal=True,
        width=width,
        height=height,
        bars=bars,
        ticks=grid,
        labels=labels,
        axis=(left, top, left, bottom),
        **common,
    )
