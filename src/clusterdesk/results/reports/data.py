"""What a report says: the named indicators of ``results.indicators`` over the period and
the one before, their yearly series, their breakdowns and — for people allowed to drill
down — the records behind them, gathered into a plain ``Report`` (``annual_report``,
``custom_report``). ``report.pdf`` and ``report.xlsx`` lay it out.

What a person may see is decided once, by ``access_of``: a region funder gets aggregates
only; the lists of projects and outcomes need ``projects.manage_calls`` and the list of
members ``crm.view_members`` (``results.rules.DRILL_DOWN_PERMISSIONS``), because an
application is confidential.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clusterdesk.core.models import Cluster
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.projects.models import Funder
from clusterdesk.results import charts
from clusterdesk.results.indicators import REGISTRY, Scope, Value, compute, yearly
from clusterdesk.results.models import Outcome
from clusterdesk.results.reports.access import Access
from clusterdesk.results.reports.formatting import (
    display_unit,
    format_value,
    is_number,
    period_text,
    unit_of,
)
from clusterdesk.results.selectors import drill_down_rows

# The annual report's charts, in this order (those registered).
ANNUAL_CHARTS = (
    "projects_labelled",
    "projects_funded",
    "investment_eur",
    "public_aid_eur",
    "members",
    "patents",
    "jobs_created",
)
# The figures shown large on the first page of the annual report.
HEADLINES = (
    "projects_labelled",
    "projects_funded",
    "investment_eur",
    "public_aid_eur",
    "patents",
    "jobs_created",
    "startups_created",
    "members",
)
SERIES_YEARS = 10
MAX_CHARTS = 8
# A list longer than this is cut in the PDF (the XLSX holds all of it).
PDF_LIST_ROWS = 300
# Breakdown keys are codes: their labels, and the unit of their values.
BREAKDOWN_LABELS: dict[str, Callable[[], dict[str, str]]] = {
    "aid_by_funder": lambda: {str(k): str(v) for k, v in Funder.choices},
    "outcomes_by_kind": lambda: {str(k): str(v) for k, v in Outcome.Kind.choices},
    "members_by_kind": lambda: {str(k): str(v) for k, v in OrganisationKind.choices},
}
BREAKDOWN_UNITS = {"aid_by_funder": "eur"}
# Indicators whose rise is bad news.
LOWER_IS_BETTER = frozenset({"members_left"})
NUMERIC_UNITS = frozenset({"count", "eur", "fte", "percent", "ratio", "value"})


# -- what a report holds ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    unit: str = "text"  # text, count, eur, fte, percent, ratio, date, bool

    @property
    def numeric(self) -> bool:
        return self.unit in NUMERIC_UNITS


@dataclass(frozen=True)
class Table:
    key: str  # stable, for the XLSX sheet and the HTML anchor
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""

    def display_rows(self, limit: int | None = None) -> list[list[tuple[str, bool]]]:
        """Each cell as (text, is a number)."""
        rows = self.rows if limit is None else self.rows[:limit]
        return [
            [(format_value(v, c.unit), c.numeric) for v, c in zip(row, self.columns, strict=True)]
            for row in rows
        ]

    @property
    def pdf_rows(self) -> list[list[tuple[str, bool]]]:
        return self.display_rows(PDF_LIST_ROWS)

    @property
    def cut(self) -> bool:
        return len(self.rows) > PDF_LIST_ROWS


@dataclass(frozen=True)
class Figure:
    """An indicator's value over the period, and over the period before."""

    name: str
    label: str
    unit: str
    value: Value
    previous: Value

    @property
    def text(self) -> str:
        return format_value(self.value, self.unit)

    @property
    def previous_text(self) -> str:
        return format_value(self.previous, self.unit)

    @property
    def change(self) -> float | None:
        if not is_number(self.value) or not is_number(self.previous):
            return None
        return float(self.value) - float(self.previous)  # type: ignore[arg-type]

    @property
    def trend(self) -> str:
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def tone(self) -> str:
        """Whether the change is good news (for colour): more is better, but for a few."""
        if self.trend in ("", "same"):
            return self.trend
        if self.change_text.startswith("\u00b1"):  # too small to show
            return "same"
        good = (self.trend == "up") != (self.name in LOWER_IS_BETTER)
        return "good" if good else "bad"

    @property
    def change_text(self) -> str:
        """The change in percent of the previous value (in points for a percentage)."""
        change = self.change
        if change is None:
            return "\u2014"
        if change == 0:
            return "="
        if self.unit == "percent":
            return charts.format_difference(change, "ratio", self.name)
        previous = float(self.previous)  # type: ignore[arg-type]
        if not previous:
            return charts.format_difference(change, self.unit, self.name)
        share = abs(change) / abs(previous)
        if round(share * 100) == 0:  # a change too small to show in whole percent
            return "\u00b1" + charts.format_percent(0, 0)
        return ("+" if change > 0 else charts.MINUS) + charts.format_percent(share, 0)


@dataclass(frozen=True)
class YearlySeries:
    """An indicator for each calendar year; drawn by the dashboards' ``results.charts``."""

    name: str
    title: str
    unit: str  # the indicator's own unit (a rate is a "ratio")
    points: tuple[tuple[int, Value], ...]

    @property
    def chart(self) -> charts.Chart:
        values = [v if is_number(v) else None for _y, v in self.points]
        return charts.bar_chart(
            title=self.title,
            categories=[str(y) for y, _v in self.points],
            series=[charts.Series(self.title, values)],  # type: ignore[arg-type]
            unit=self.unit,
            name=self.name,
            description=self.description,
            category_header=_("Year"),
        )

    @property
    def description(self) -> str:
        """The series in words, for screen readers and text extraction."""
        unit = display_unit(self.name, self.unit)
        return "; ".join(f"{y}: {format_value(v, unit)}" for y, v in self.points)


@dataclass
class Report:
    kind: str  # "annual" or "custom"
    title: str
    cluster: str
    cluster_kind: str
    region: str
    seat_city: str
    start: datetime.date
    end: datetime.date
    previous_start: datetime.date
    previous_end: datetime.date
    generated_at: datetime.datetime
    figures: list[Figure] = field(default_factory=list)
    series: list[YearlySeries] = field(default_factory=list)
    breakdowns: list[Table] = field(default_factory=list)
    lists: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)

    @property
    def period(self) -> str:
        return period_text(self.start, self.end)

    @property
    def previous_period(self) -> str:
        return period_text(self.previous_start, self.previous_end)

    @property
    def headline_figures(self) -> list[Figure]:
        by_name = {f.name: f for f in self.figures}
        return [by_name[n] for n in self.headlines if n in by_name]

    def filename(self, fmt: str) -> str:
        return f"{slugify(f'{self.cluster} {self.title}')[:120]}.{fmt}"


# -- reading ----------------------------------------------------------------------------

Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, message: str) -> None:
    return None


HEADER_LABELS: dict[str, Callable[[], tuple[str, str]]] = {
    "acronym": lambda: (_("Acronym"), "text"),
    "title": lambda: (_("Title"), "text"),
    "cluster": lambda: (_("Cluster"), "text"),
    "call": lambda: (_("Call"), "text"),
    "label_number": lambda: (_("Label number"), "text"),
    "label_date": lambda: (_("Label date"), "date"),
    "state": lambda: (_("State"), "text"),
    "kind": lambda: (_("Kind"), "text"),
    "date": lambda: (_("Date"), "date"),
    "project": lambda: (_("Project"), "text"),
    "organisation": lambda: (_("Organisation"), "text"),
    "reference": lambda: (_("Reference"), "text"),
    "fte": lambda: (_("Jobs (FTE)"), "fte"),
    "amount_eur": lambda: (_("Amount"), "eur"),
    "name": lambda: (_("Name"), "text"),
    "sme": lambda: (_("SME"), "bool"),
    "city": lambda: (_("City"), "text"),
    "siren": lambda: (_("SIREN"), "text"),
}


def _records_table(
    key: str, title: str, name: str, scope: Scope, drop: Iterable[str] = ("cluster",)
) -> Table:
    """The records an indicator counts, as ``results.selectors.drill_down_rows`` lists them."""
    headers, records, row_of = drill_down_rows(name, scope)
    keep = [i for i, h in enumerate(headers) if h not in set(drop)]
    columns = tuple(
        Column(*HEADER_LABELS[h]()) if h in HEADER_LABELS else Column(h)
        for h in (headers[i] for i in keep)
    )
    rows = []
    for record in records:
        values = row_of(record)
        rows.append(tuple(values[i] for i in keep))
    return Table(key=key, title=title, columns=columns, rows=tuple(rows))


def previous_scope(scope: Scope) -> Scope:
    """The period to compare with: as many calendar years before when the period is made of
    whole years (so 2024 compares with 2023, leap years or not), else the same length of time
    just before."""
    if (scope.start.month, scope.start.day, scope.end.month, scope.end.day) == (1, 1, 12, 31):
        years = scope.end.year - scope.start.year + 1
        return Scope(
            scope.cluster_ids,
            datetime.date(scope.start.year - years, 1, 1),
            datetime.date(scope.end.year - years, 12, 31),
            scope.domain_id,
            scope.theme_id,
            scope.funder,
            scope.kind,
        )
    return scope.previous()


def _figures(names: Sequence[str], scope: Scope, previous: Scope) -> list[Figure]:
    now, before = compute(scope, list(names)), compute(previous, list(names))
    return [
        Figure(n, str(REGISTRY[n].label), unit_of(REGISTRY[n]), now[n], before[n]) for n in names
    ]


def _breakdown(name: str, value: Value, previous: Value, period: str, before: str) -> Table:
    labels = BREAKDOWN_LABELS.get(name, dict)()
    now = value if isinstance(value, dict) else {}
    then = previous if isinstance(previous, dict) else {}
    unit = BREAKDOWN_UNITS.get(name, "count")
    keys = sorted(set(now) | set(then), key=lambda k: (-float(now.get(k) or 0), str(k)))
    rows = tuple((labels.get(str(k), str(k)), now.get(k), then.get(k)) for k in keys)
    total = (
        _("Total"),
        sum((now.get(k) or 0) for k in keys),
        sum((then.get(k) or 0) for k in keys),
    )
    return Table(
        key=name,
        title=str(REGISTRY[name].label),
        columns=(Column(_("Category")), Column(period, unit), Column(before, unit)),
        rows=(*rows, total) if rows else (),
    )


def _series(names: Sequence[str], scope: Scope) -> list[YearlySeries]:
    return [
        YearlySeries(n, str(REGISTRY[n].label), REGISTRY[n].unit, tuple(yearly(scope, n)))
        for n in names
    ]


def _series_scope(scope: Scope, first_year: int | None) -> Scope:
    """Up to ``SERIES_YEARS`` calendar years ending with the period's last one."""
    start = scope.end.year - SERIES_YEARS + 1
    if first_year:
        start = max(start, first_year)
    start = min(start, scope.start.year)
    return Scope(
        scope.cluster_ids,
        datetime.date(start, 1, 1),
        scope.end,
        scope.domain_id,
        scope.theme_id,
        scope.funder,
        scope.kind,
    )


def _lists_note(access: Access, groups: Iterable[str]) -> str:
    hidden = [g for g in groups if not access.lists(g)]
    if not hidden:
        return ""
    return _(
        "Figures only: the lists of projects, outcomes and members behind them are shown to "
        "the cluster's staff who may read them."
    )


def _new_report(
    kind: str, title: str, cluster: Cluster, scope: Scope, now: datetime.datetime | None
) -> Report:
    previous = previous_scope(scope)
    return Report(
        kind=kind,
        title=title,
        cluster=cluster.name,
        cluster_kind=str(cluster.get_kind_display()),
        region=cluster.region.name,
        seat_city=cluster.seat_city,
        start=scope.start,
        end=scope.end,
        previous_start=previous.start,
        previous_end=previous.end,
        generated_at=now or timezone.now(),
    )


def annual_report(
    *,
    cluster: Cluster,
    year: int,
    access: Access,
    progress: Progress = _no_progress,
    now: datetime.datetime | None = None,
) -> Report:
    """The annual activity report of ``year``: key figures against the previous year,
    ten-year series, breakdowns, then the members, projects labelled and outcomes of the year
    for those who may read them."""
    scope = Scope((cluster.pk,), datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    previous = previous_scope(scope)
    names = [n for n, i in REGISTRY.items() if i.unit != "breakdown"]
    breakdowns = [n for n, i in REGISTRY.items() if i.unit == "breakdown"]
    total = 4
    progress(0, total, _("Key figures"))
    report = _new_report(
        "annual", _("Annual activity report %(year)d") % {"year": year}, cluster, scope, now
    )
    report.figures = _figures(names, scope, previous)
    report.headlines = [n for n in HEADLINES if n in REGISTRY]
    progress(1, total, _("Yearly series"))
    charted = [n for n in ANNUAL_CHARTS if n in REGISTRY]
    report.series = _series(charted, _series_scope(scope, cluster.founded_year))
    progress(2, total, _("Breakdowns"))
    values, before = compute(scope, breakdowns), compute(previous, breakdowns)
    report.breakdowns = [
        _breakdown(n, values[n], before[n], str(year), str(year - 1)) for n in breakdowns
    ]
    progress(3, total, _("Members, projects and outcomes"))
    if access.lists("members"):
        title = _("Members in %(year)d") % {"year": year}
        report.lists.append(_records_table("members", title, "members", scope, ("siren",)))
    if access.lists("projects"):
        title = _("Projects labelled in %(year)d") % {"year": year}
        report.lists.append(
            _records_table("projects", title, "projects_labelled", scope, ("cluster", "state"))
        )
    if access.lists("outcomes"):
        title = _("Outcomes validated in %(year)d") % {"year": year}
        report.lists.append(_records_table("outcomes", title, "outcomes_validated", scope))
    note = _lists_note(access, ("members", "projects", "outcomes"))
    if note:
        report.notes.append(note)
    return report


def custom_report(
    *,
    cluster: Cluster,
    names: Sequence[str],
    start: datetime.date,
    end: datetime.date,
    access: Access,
    title: str = "",
    lists: bool = False,
    progress: Progress = _no_progress,
    now: datetime.datetime | None = None,
) -> Report:
    """The chosen indicators over any period, against the period just before; with the
    records behind them if asked and allowed."""
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise KeyError(", ".join(unknown))
    chosen = [n for n in REGISTRY if n in set(names)]  # in the registry's order
    scope = Scope((cluster.pk,), start, end)
    previous = previous_scope(scope)
    figures = [n for n in chosen if REGISTRY[n].unit != "breakdown"]
    breakdowns = [n for n in chosen if REGISTRY[n].unit == "breakdown"]
    total = 4
    progress(0, total, _("Key figures"))
    report = _new_report("custom", title or _("Indicators report"), cluster, scope, now)
    report.figures = _figures(figures, scope, previous)
    report.headlines = figures[: len(HEADLINES)]
    progress(1, total, _("Yearly series"))
    report.series = _series(figures[:MAX_CHARTS], _series_scope(scope, cluster.founded_year))
    progress(2, total, _("Breakdowns"))
    values, before = compute(scope, breakdowns), compute(previous, breakdowns)
    report.breakdowns = [
        _breakdown(n, values[n], before[n], report.period, report.previous_period)
        for n in breakdowns
    ]
    progress(3, total, _("Lists"))
    if lists:
        seen: set[Any] = set()
        for n in chosen:
            indicator = REGISTRY[n]
            if indicator.records is None or indicator.records in seen:
                continue
            if not access.lists(indicator.group):
                continue
            seen.add(indicator.records)
            try:
                report.lists.append(_records_table(n, str(indicator.label), n, scope))
            except KeyError:  # records of a model the drill-down does not list
                continue
        note = _lists_note(access, {REGISTRY[n].group for n in chosen if REGISTRY[n].records})
        if note:
            report.notes.append(note)
    return report
