"""The support domain's indicators: cases opened and closed, and the funds raised by the
accompanied companies (from the cases' outcomes), with their drill-down records.

Their group, ``support``, is drilled down by the support staff (``support.view_pipeline``):
the records name companies and their plans."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from clusterdesk.results.indicators import Indicator, Scope, Value, register
from clusterdesk.results.rules import DRILL_DOWN_PERMISSIONS
from clusterdesk.results.selectors import drill_down_table_register
from clusterdesk.support.choices import CaseStatus, OutcomeKind
from clusterdesk.support.models import CaseOutcome, SupportCase

GROUP = "support"


def _cases(scope: Scope) -> QuerySet[SupportCase]:
    qs = SupportCase.objects.filter(cluster_id__in=scope.cluster_ids)
    if scope.domain_id:
        qs = qs.filter(
            organisation__relationships__cluster_id__in=scope.cluster_ids,
            organisation__relationships__domains=scope.domain_id,
        ).distinct()
    if scope.kind:
        qs = qs.filter(organisation__kind=scope.kind)
    return qs


def opened(scope: Scope) -> QuerySet[SupportCase]:
    return _cases(scope).filter(opened_on__gte=scope.start, opened_on__lte=scope.end)


def closed(scope: Scope) -> QuerySet[SupportCase]:
    return _cases(scope).filter(
        status=CaseStatus.CLOSED, closed_on__gte=scope.start, closed_on__lte=scope.end
    )


def funds_raised(scope: Scope) -> QuerySet[CaseOutcome]:
    return CaseOutcome.objects.filter(
        case__in=_cases(scope).values("pk"),
        kind=OutcomeKind.FUNDS_RAISED,
        date__gte=scope.start,
        date__lte=scope.end,
    )


def _funds_total(scope: Scope) -> Decimal:
    return funds_raised(scope).aggregate(s=Sum("amount_eur"))["s"] or Decimal(0)


def _count_by_year(
    records: Callable[[Scope], QuerySet[SupportCase]], field: str
) -> Callable[[Scope], dict[int, Value]]:
    def by_year(scope: Scope) -> dict[int, Value]:
        rows = records(scope).values(y=ExtractYear(field)).annotate(n=Count("pk")).order_by()
        return {r["y"]: r["n"] for r in rows}

    return by_year


def _funds_by_year(scope: Scope) -> dict[int, Value]:
    rows = funds_raised(scope).values(y=ExtractYear("date")).annotate(s=Sum("amount_eur"))
    return {r["y"]: r["s"] for r in rows.order_by()}


def _case_rows(records: QuerySet[Any]) -> tuple[list[str], QuerySet[Any], Any]:
    records = records.select_related("organisation").order_by("opened_on", "pk")
    return (
        ["date", "title", "organisation", "kind", "state"],
        records,
        lambda c: [
            c.opened_on,
            c.title,
            c.organisation.name,
            c.get_need_display(),
            c.get_status_display(),
        ],
    )


def _outcome_rows(records: QuerySet[Any]) -> tuple[list[str], QuerySet[Any], Any]:
    records = records.select_related("case__organisation").order_by("date", "pk")
    return (
        ["date", "organisation", "kind", "reference", "amount_eur"],
        records,
        lambda o: [
            o.date,
            o.case.organisation.name,
            o.get_funding_round_display() or o.get_kind_display(),
            o.investors,
            o.amount_eur,
        ],
    )


def register_all() -> None:
    DRILL_DOWN_PERMISSIONS[GROUP] = "support.view_pipeline"
    drill_down_table_register(SupportCase, _case_rows)
    drill_down_table_register(CaseOutcome, _outcome_rows)
    register(
        Indicator(
            "support_cases_opened",
            _("Support cases opened"),
            "count",
            lambda s: opened(s).count(),
            opened,
            GROUP,
            by_year=_count_by_year(opened, "opened_on"),
        )
    )
    register(
        Indicator(
            "support_cases_closed",
            _("Support cases closed"),
            "count",
            lambda s: closed(s).count(),
            closed,
            GROUP,
            by_year=_count_by_year(closed, "closed_on"),
        )
    )
    register(
        Indicator(
            "funds_raised_eur",
            _("Funds raised by accompanied companies"),
            "eur",
            _funds_total,
            funds_raised,
            GROUP,
            by_year=_funds_by_year,
        )
    )
