"""Indicators of a cluster or a region, and the records behind each."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from clusterdesk.api.fields import InputSchema
from clusterdesk.core.models import Region
from clusterdesk.core.selectors import user_funded_region_ids
from clusterdesk.results.indicators import REGISTRY, Scope, compute
from clusterdesk.results.rules import DRILL_DOWN_PERMISSIONS
from clusterdesk.results.selectors import cluster_scope, drill_down_rows, region_scope

router = Router(tags=["indicators"])


class PeriodIn(InputSchema):
    start: datetime.date = Field(alias="from")
    end: datetime.date = Field(alias="to")
    domain: int | None = None
    theme: int | None = None
    funder: str = ""
    kind: str = ""

    def filters(self) -> dict[str, Any]:
        return {
            "domain_id": self.domain,
            "theme_id": self.theme,
            "funder": self.funder,
            "kind": self.kind,
        }


class IndicatorOut(Schema):
    label: str
    unit: str
    value: Any


class IndicatorsOut(Schema):
    start: datetime.date = Field(serialization_alias="from")
    end: datetime.date = Field(serialization_alias="to")
    clusters: list[int]
    indicators: dict[str, IndicatorOut]


class RecordsOut(Schema):
    indicator: str
    headers: list[str]
    count: int
    rows: list[list[Any]]


def _check_period(period: PeriodIn) -> None:
    if period.end < period.start:
        from ninja.errors import HttpError

        raise HttpError(400, "“to” is before “from”.")


def _out(scope: Scope) -> dict[str, Any]:
    values = compute(scope)
    return {
        "start": scope.start,
        "end": scope.end,
        "clusters": list(scope.cluster_ids),
        "indicators": {
            name: {"label": str(REGISTRY[name].label), "unit": REGISTRY[name].unit, "value": value}
            for name, value in values.items()
        },
    }


@router.get(
    "/clusters/{cluster_slug}/indicators",
    response=IndicatorsOut,
    by_alias=True,
    url_name="results_cluster_indicators",
    summary="A cluster's indicators",
)
def cluster_indicators(
    request: HttpRequest, cluster_slug: str, period: Query[PeriodIn]
) -> dict[str, Any]:
    cluster = request.cluster  # type: ignore[attr-defined]
    if not request.user.has_perm("results.view_indicators", cluster):
        raise PermissionDenied
    _check_period(period)
    return _out(cluster_scope(cluster, period.start, period.end, **period.filters()))


@router.get(
    "/clusters/{cluster_slug}/indicators/{name}/records",
    response=RecordsOut,
    url_name="results_cluster_records",
    summary="The records an indicator counts",
)
def cluster_records(
    request: HttpRequest,
    cluster_slug: str,
    name: str,
    period: Query[PeriodIn],
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    cluster = request.cluster  # type: ignore[attr-defined]
    indicator = REGISTRY.get(name)
    if indicator is None or indicator.records is None:
        raise Http404
    needed = DRILL_DOWN_PERMISSIONS.get(indicator.group)
    if needed is None or not request.user.has_perm(needed, cluster):
        raise PermissionDenied
    _check_period(period)
    headers, records, row = drill_down_rows(
        name, cluster_scope(cluster, period.start, period.end, **period.filters())
    )
    limit = max(1, min(limit, 500))
    page = records[max(offset, 0) : max(offset, 0) + limit]
    return {
        "indicator": name,
        "headers": headers,
        "count": records.count(),
        "rows": [row(r) for r in page],
    }


@router.get(
    "/regions/{region_slug}/indicators",
    response=IndicatorsOut,
    by_alias=True,
    url_name="results_region_indicators",
    summary="A region's indicators (funders)",
)
def region_indicators(
    request: HttpRequest, region_slug: str, period: Query[PeriodIn]
) -> dict[str, Any]:
    region = get_object_or_404(Region, slug=region_slug)
    if region.pk not in user_funded_region_ids(request.user) and not request.user.is_superuser:
        raise Http404
    _check_period(period)
    return _out(region_scope(region, period.start, period.end, **period.filters()))
