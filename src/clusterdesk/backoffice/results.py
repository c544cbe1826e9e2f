"""A cluster's results in the back office: the dashboard, the records behind each figure
(the drill-down, exported in the background) and the "ten years" story.

Every figure comes from the indicator registry (``results.indicators``), computed once per
page; the staff follow a figure to the records it counts, funders to what is public about
the labelled and funded projects and their outcomes it counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from clusterdesk.core.models import Cluster
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.projects.models import Funder
from clusterdesk.results import services
from clusterdesk.results.charts import (
    Chart,
    Series,
    bar_chart,
    format_difference,
    format_eur,
    format_value,
)
from clusterdesk.results.forms import DashboardForm
from clusterdesk.results.indicators import REGISTRY, Indicator, Scope, Value, compute, yearly
from clusterdesk.results.models import Outcome
from clusterdesk.results.rules import drill_down_mode
from clusterdesk.results.selectors import (
    cluster_scope,
    drill_down_rows,
    public_drill_down_rows,
)
from clusterdesk.web.views import ClusterPermissionMixin

PAGE_SIZE = 50

# The dashboard's key figures, in the order shown.
KEY_FIGURES = [
    "projects_labelled",
    "projects_funded",
    "investment_eur",
    "public_aid_eur",
    "leverage",
    "patents",
    "clinical_trials",
    "jobs_created",
    "startups_created",
    "members",
    "sme_share",
]
BREAKDOWNS = ["aid_by_funder", "outcomes_by_kind", "members_by_kind"]
# Yearly charts: (title, indicators drawn side by side, unit).
YEARLY_CHARTS = [
    (gettext_lazy("Projects per year"), ["projects_labelled", "projects_funded"], "count"),
    (
        gettext_lazy("Investment and public aid per year"),
        ["investment_eur", "public_aid_eur"],
        "eur",
    ),
]
STORY = [
    "projects_funded",
    "investment_eur",
    "public_aid_eur",
    "patents",
    "clinical_trials",
    "jobs_created",
    "startups_created",
]

# Column titles of the drill-down lists (``results.selectors.drill_down_rows`` headers).
HEADERS = {
    "acronym": gettext_lazy("Acronym"),
    "title": gettext_lazy("Title"),
    "cluster": gettext_lazy("Cluster"),
    "call": gettext_lazy("Call"),
    "label_number": gettext_lazy("Label number"),
    "label_date": gettext_lazy("Label date"),
    "state": gettext_lazy("State"),
    "kind": gettext_lazy("Kind"),
    "date": gettext_lazy("Date"),
    "project": gettext_lazy("Project"),
    "organisation": gettext_lazy("Organisation"),
    "reference": gettext_lazy("Reference"),
    "fte": gettext_lazy("Jobs (FTE)"),
    "amount_eur": gettext_lazy("Amount (EUR)"),
    "name": gettext_lazy("Name"),
    "sme": gettext_lazy("SME"),
    "city": gettext_lazy("City"),
    "siren": gettext_lazy("SIREN"),
    "partners": gettext_lazy("Partners"),
    "investment_eur": gettext_lazy("Investment (EUR)"),
    "aid_eur": gettext_lazy("Public aid granted (EUR)"),
    "outcomes": gettext_lazy("Outcomes"),
}


@dataclass(frozen=True)
class Figure:
    """A key figure with its comparison to the previous period."""

    name: str
    label: str
    value: str
    previous: str
    difference: str
    trend: str  # "up", "down", "same" or "" (no comparison)
    url: str | None


def drill_down_allowed(user: Any, cluster: Cluster) -> dict[str, bool]:
    """Per indicator, whether the person may open its records: all of them for the staff of
    its group, what is public about them for a funder (``results.rules.drill_down_mode``)."""
    return {
        name: drill_down_mode(user, cluster, indicator) is not None
        for name, indicator in REGISTRY.items()
    }


def _trend(value: Value, previous: Value) -> tuple[Any, str]:
    """The difference with the previous period and its direction (none for a missing or
    a breakdown value)."""
    if value is None or previous is None or isinstance(value, dict) or isinstance(previous, dict):
        return None, ""
    difference = value - previous  # type: ignore[operator]
    return difference, "up" if difference > 0 else "down" if difference < 0 else "same"


def _html(sentence: str, parts: dict[str, Any]) -> SafeString:
    """A translated sentence with ``%(name)s`` placeholders, filled with its parts (escaped,
    unless they are already safe HTML such as links)."""
    return mark_safe(escape(sentence) % {k: conditional_escape(v) for k, v in parts.items()})


class ResultsMixin(ClusterPermissionMixin):
    """The period and filters from the query string, and links to the records."""

    permission_required = "results.view_indicators"

    def get_form(self) -> DashboardForm:
        return DashboardForm(self.request.GET, cluster=self.cluster, default=self.period_default())

    def period_default(self) -> tuple[datetime.date, datetime.date] | None:
        """The period shown without ``from`` and ``to`` (None: the current year)."""
        return None

    def scope_of(self, form: DashboardForm) -> Scope:
        return cluster_scope(self.cluster, form.start, form.end, **form.filters())

    def drill_url(self, name: str, query: str) -> str:
        path = reverse(
            "dashboards:drill_down", kwargs={"cluster_slug": self.cluster.slug, "name": name}
        )
        return f"{path}?{query}"

    def yearly_charts(
        self, scope: Scope, form: DashboardForm, allowed: dict[str, bool]
    ) -> list[Chart]:
        """The yearly charts: one query per year per indicator (bounded by the period)."""
        charts = []
        for title, names, unit in YEARLY_CHARTS:
            series = []
            years: list[int] = []
            for name in names:
                points = yearly(scope, name)
                years = [year for year, _value in points]
                indicator = REGISTRY[name]
                urls = [
                    self.drill_url(
                        name,
                        form.query(
                            max(scope.start, datetime.date(year, 1, 1)),
                            min(scope.end, datetime.date(year, 12, 31)),
                        ),
                    )
                    if allowed.get(indicator.name)
                    else None
                    for year in years
                ]
                values = [v for _year, v in points]
                series.append(Series(str(indicator.label), values, urls))  # type: ignore[arg-type]
            charts.append(
                bar_chart(
                    title=str(title),
                    categories=[str(y) for y in years],
                    series=series,
                    unit=unit,
                    category_header=_("Year"),
                    description=_("Bars per year, from %(first)s to %(last)s.")
                    % {"first": years[0], "last": years[-1]},
                )
            )
        return charts


class DashboardView(ResultsMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.get_form()
        context: dict[str, Any] = {"cluster": self.cluster, "form": form}
        if not form.is_valid():
            return render(request, "results/dashboard/dashboard.html", context, status=400)
        scope = self.scope_of(form)
        previous = scope.previous()
        allowed = drill_down_allowed(request.user, self.cluster)
        values = compute(scope, KEY_FIGURES + BREAKDOWNS)
        before = compute(previous, KEY_FIGURES)
        query = form.query()
        figures = []
        for name in KEY_FIGURES:
            indicator = REGISTRY[name]
            difference, trend = _trend(values[name], before[name])
            figures.append(
                Figure(
                    name=name,
                    label=str(indicator.label),
                    value=format_value(values[name], indicator.unit, name),
                    previous=format_value(before[name], indicator.unit, name),
                    difference=format_difference(difference, indicator.unit, name),
                    trend=trend,
                    url=self.drill_url(name, query) if allowed.get(indicator.name) else None,
                )
            )
        context |= {
            "scope": scope,
            "previous": previous,
            "figures": figures,
            "charts": self.yearly_charts(scope, form, allowed),
            "breakdowns": self.breakdowns(values, allowed, query),
        }
        return render(request, "results/dashboard/dashboard.html", context)

    def breakdowns(
        self, values: dict[str, Value], allowed: dict[str, bool], query: str
    ) -> list[tuple[Chart, str | None]]:
        labels: dict[str, dict[str, Any]] = {
            "aid_by_funder": dict(Funder.choices),
            "outcomes_by_kind": dict(Outcome.Kind.choices),
            "members_by_kind": dict(OrganisationKind.choices),
        }
        units = {"aid_by_funder": "eur"}
        headers = {
            "aid_by_funder": _("Funder"),
            "outcomes_by_kind": _("Kind of outcome"),
            "members_by_kind": _("Kind of organisation"),
        }
        descriptions = {
            "outcomes_by_kind": _(
                "Number of outcomes declared, largest first; jobs (FTE) and funds raised "
                "(euros) have their own figures."
            ),
        }
        charts = []
        for name in BREAKDOWNS:
            indicator = REGISTRY[name]
            data = values[name] or {}
            assert isinstance(data, dict)
            ordered = sorted(data.items(), key=lambda kv: (-(kv[1] or 0), kv[0]))
            chart = bar_chart(
                title=str(indicator.label),
                categories=[str(labels[name].get(key, key)) for key, _v in ordered],
                series=[Series(str(indicator.label), [v for _k, v in ordered])],
                unit=units.get(name, "count"),
                horizontal=True,
                category_header=headers[name],
                description=descriptions.get(name, _("One bar per category, largest first.")),
            )
            url = self.drill_url(name, query) if allowed.get(indicator.name) else None
            charts.append((chart, url))
        return charts


class DrillDownView(ResultsMixin, View):
    """The records an indicator counts, for the staff allowed to see them."""

    def indicator(self, name: str, *, full: bool = False) -> tuple[Indicator, str]:
        """The indicator and how the person may open its records (``full``: only the
        staff's full access will do)."""
        indicator = REGISTRY.get(name)
        if indicator is None or indicator.records is None:
            raise Http404
        mode = drill_down_mode(self.request.user, self.cluster, indicator)
        if mode is None or (full and mode != "full"):
            raise PermissionDenied
        return indicator, mode

    def get(self, request: Any, cluster_slug: str, name: str) -> HttpResponse:
        indicator, mode = self.indicator(name)
        form = self.get_form()
        context: dict[str, Any] = {
            "cluster": self.cluster,
            "form": form,
            "indicator": indicator,
            # The export is the staff's; a funder reads the public columns on the page.
            "can_export": mode == "full",
            "public_only": mode == "public",
        }
        if not form.is_valid():
            return render(request, "results/dashboard/drill_down.html", context, status=400)
        scope = self.scope_of(form)
        rows_of = drill_down_rows if mode == "full" else public_drill_down_rows
        headers, records, row = rows_of(name, scope)
        page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
        labels = [HEADERS.get(h, h) for h in headers]
        context |= {
            "scope": scope,
            "headers": labels,
            "rows": [list(zip(labels, map(_cell, headers, row(r)), strict=True)) for r in page],
            "page": page,
            "query": form.query(),
            "value": format_value(compute(scope, [name])[name], indicator.unit, name)
            if indicator.unit != "breakdown"
            else None,
        }
        return render(request, "results/dashboard/drill_down.html", context)

    def post(self, request: Any, cluster_slug: str, name: str) -> HttpResponse:
        """Export the records (CSV or XLSX) in the background."""
        indicator, _mode = self.indicator(name, full=True)
        fmt = request.POST.get("format", "csv")
        form = self.get_form()
        if fmt not in ("csv", "xlsx") or not form.is_valid():
            raise Http404
        job = services.records_export_start(
            actor=request.user,
            cluster=self.cluster,
            name=name,
            label=_("%(indicator)s: records from %(start)s to %(end)s (%(format)s)")
            % {
                "indicator": indicator.label,
                "start": form.start.isoformat(),
                "end": form.end.isoformat(),
                "format": fmt.upper(),
            },
            start=form.start,
            end=form.end,
            filters=form.filters(),
            fmt=fmt,
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


def _cell(header: str, value: Any) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "—"
    if header.endswith("_eur"):
        return format_eur(value)
    return value


class StoryView(ResultsMixin, View):
    """The cluster's story over a period (by default its first ten years), in a sentence
    whose every number opens the records it counts."""

    def period_default(self) -> tuple[datetime.date, datetime.date] | None:
        today = datetime.date.today()
        first = self.cluster.founded_year or today.year - 10
        return datetime.date(first, 1, 1), datetime.date(min(first + 10, today.year), 12, 31)

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.get_form()
        context: dict[str, Any] = {"cluster": self.cluster, "form": form}
        if not form.is_valid():
            return render(request, "results/dashboard/story.html", context, status=400)
        scope = self.scope_of(form)
        allowed = drill_down_allowed(request.user, self.cluster)
        values = compute(scope, STORY)
        query = form.query()

        # The plural forms are passed as literal ngettext calls: the catalogue extracts only
        # literals (forms passed as variables stayed English on the French page).
        def number(name: str, forms: Callable[[int], str]) -> SafeString:
            value = values[name]
            count = int(value or 0)  # type: ignore[arg-type]
            text = format_value(value, REGISTRY[name].unit, name)
            if allowed.get(name):
                shown = format_html('<a href="{}">{}</a>', self.drill_url(name, query), text)
            else:
                shown = format_html("<strong>{}</strong>", text)
            return _html(forms(count), {"n": shown})

        def amount(name: str) -> SafeString:
            text = format_value(values[name], "eur", name)
            if allowed.get(name):
                return format_html('<a href="{}">{}</a>', self.drill_url(name, query), text)
            return format_html("<strong>{}</strong>", text)

        parts = {
            "cluster": self.cluster.name,
            "projects": number(
                "projects_funded", lambda n: ngettext("%(n)s project", "%(n)s projects", n)
            ),
            "investment": amount("investment_eur"),
            "aid": amount("public_aid_eur"),
            "patents": number("patents", lambda n: ngettext("%(n)s patent", "%(n)s patents", n)),
            "trials": number(
                "clinical_trials",
                lambda n: ngettext("%(n)s clinical trial", "%(n)s clinical trials", n),
            ),
            "jobs": number("jobs_created", lambda n: ngettext("%(n)s job", "%(n)s jobs", n)),
            "startups": number(
                "startups_created", lambda n: ngettext("%(n)s start-up", "%(n)s start-ups", n)
            ),
        }
        if scope.start.year == scope.end.year:
            opening = _("In %(year)s") % {"year": scope.start.year}
        else:
            opening = _("From %(first)s to %(last)s") % {
                "first": scope.start.year,
                "last": scope.end.year,
            }
        sentence = _(
            "%(opening)s, %(cluster)s labelled %(projects)s that were funded, representing "
            "%(investment)s of investment and %(aid)s of public aid; they produced "
            "%(patents)s, %(trials)s, %(jobs)s and %(startups)s."
        )
        story = _html(sentence, parts | {"opening": opening})
        context |= {
            "scope": scope,
            "story": story,
            "charts": self.yearly_charts(scope, form, allowed),
        }
        return render(request, "results/dashboard/story.html", context)
