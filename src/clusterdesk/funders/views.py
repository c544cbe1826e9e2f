"""The region's dashboard, for its funders: its clusters side by side.

Only the region's funders (``RegionFunderAccess``) and superusers open it; anyone else gets
the same 404 as for a region that does not exist. It shows aggregates only.

Per cluster: members, SME members, members shared with another cluster of the region,
projects labelled per year, FUI-funded projects per national round (with the round's size
when ``NationalFundingRound`` records it), the Region's grants per year and the State's
rating per evaluation phase; and the region's totals (each organisation counted once).
Every figure comes from the indicator registry's records, grouped by cluster: a fixed
number of queries, whatever the number of clusters or records.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_scopes import scope as tenant_scope

from clusterdesk.core.models import Cluster, Region
from clusterdesk.core.selectors import user_funded_region_ids
from clusterdesk.crm.models import Membership
from clusterdesk.projects.models import Funder, FundingApplication
from clusterdesk.results.forms import PeriodForm
from clusterdesk.results.indicators import REGISTRY, Scope, compute
from clusterdesk.results.models import NationalFundingRound, RegionGrant, StateRating
from clusterdesk.results.selectors import region_scope

REGION_TOTALS = [
    "members",
    "sme_members",
    "shared_members",
    "projects_labelled",
    "projects_funded",
    "public_aid_eur",
]
# Member counts per cluster: the indicator's organisations (over the region) that hold an
# active membership of the cluster in the period's last year, the year members() reads.
MEMBER_COUNTS = ["members", "sme_members", "shared_members"]
_ROUND_NUMBER = re.compile(r"(\d+)")


@dataclass
class ClusterColumn:
    """One cluster's figures, side by side with the others."""

    cluster: Cluster
    members: int = 0
    sme_members: int = 0
    shared_members: int = 0
    labelled: dict[int, int] = field(default_factory=dict)
    fui: dict[int, int] = field(default_factory=dict)  # round number -> projects
    grants: dict[int, Decimal] = field(default_factory=dict)
    ratings: dict[str, str] = field(default_factory=dict)

    @property
    def labelled_total(self) -> int:
        return sum(self.labelled.values())

    @property
    def fui_total(self) -> int:
        return sum(self.fui.values())

    @property
    def grants_total(self) -> Decimal:
        return sum(self.grants.values(), Decimal(0))


@dataclass(frozen=True)
class FuiRound:
    number: int
    year: int | None
    national: int | None  # projects the round funded across France, when recorded
    region: int
    by_cluster: list[tuple[Cluster, int]]

    @property
    def share(self) -> float | None:
        return self.region / self.national if self.national else None


def round_number(programme: str) -> int | None:
    """The round a funding application names ("FUI 14", "FUI round 14", "AAP FUI 14")."""
    match = _ROUND_NUMBER.search(programme or "")
    return int(match.group(1)) if match else None


def _records(name: str, scope: Scope) -> QuerySet[Any]:
    """The records an indicator counts (the drill-down's list)."""
    records = REGISTRY[name].records
    assert records is not None, name
    return records(scope)


def side_by_side(
    *, region: Region, clusters: list[Cluster], scope: Scope
) -> tuple[list[ClusterColumn], list[FuiRound]]:
    """The per-cluster figures of the region over the scope's period (grouped queries)."""
    columns = {c.pk: ClusterColumn(cluster=c) for c in clusters}
    for name in MEMBER_COUNTS:
        rows = (
            Membership.objects.filter(
                cluster_id__in=scope.cluster_ids,
                year=scope.end.year,
                status=Membership.Status.ACTIVE,
                organisation_id__in=_records(name, scope).values("pk"),
            )
            .values("cluster_id")
            .annotate(n=Count("organisation_id", distinct=True))
            .order_by()
        )
        for row in rows:
            setattr(columns[row["cluster_id"]], name, row["n"])
    labelled = (
        _records("projects_labelled", scope)
        .annotate(year=ExtractYear("label_date"))
        .values("cluster_id", "year")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for row in labelled:
        columns[row["cluster_id"]].labelled[row["year"]] = row["n"]
    fui = (
        FundingApplication.objects.filter(
            funder=Funder.FUI,
            status=FundingApplication.Status.GRANTED,
            application__in=_records("projects_funded", scope).values("pk"),
        )
        .values("cluster_id", "programme")
        .annotate(n=Count("application_id", distinct=True))
        .order_by()
    )
    per_round: dict[int, dict[int, int]] = defaultdict(dict)
    for row in fui:
        number = round_number(row["programme"])
        if number is None:
            continue
        column = columns[row["cluster_id"]]
        column.fui[number] = column.fui.get(number, 0) + row["n"]
        per_round[number][row["cluster_id"]] = column.fui[number]
    grants = (
        RegionGrant.objects.filter(
            cluster_id__in=scope.cluster_ids,
            year__gte=scope.start.year,
            year__lte=scope.end.year,
        )
        .values("cluster_id", "year")
        .annotate(total=Sum("amount_eur"))
        .order_by()
    )
    for grant in grants:
        columns[grant["cluster_id"]].grants[grant["year"]] = grant["total"]
    for cluster_id, phase, rating in StateRating.objects.filter(
        cluster_id__in=scope.cluster_ids
    ).values_list("cluster_id", "phase", "rating"):
        columns[cluster_id].ratings[phase] = rating
    national = {
        r.number: r
        for r in NationalFundingRound.objects.filter(funder=Funder.FUI)
        if r.number in per_round or scope.start.year <= r.year <= scope.end.year
    }
    rounds = [
        FuiRound(
            number=number,
            year=national[number].year if number in national else None,
            national=national[number].projects_funded if number in national else None,
            region=sum(per_round.get(number, {}).values()),
            by_cluster=[
                (columns[pk].cluster, n) for pk, n in sorted(per_round.get(number, {}).items())
            ],
        )
        for number in sorted(set(per_round) | set(national))
    ]
    return list(columns.values()), rounds


def _share(projects: int, national: dict[int, int]) -> float | None:
    total = sum(national.values())
    return projects / total if total else None


def _row(
    column: ClusterColumn, years: list[int], phases: list[str], national: dict[int, int]
) -> dict[str, Any]:
    """A cluster's line of the tables, in the order of the columns."""
    return {
        "column": column,
        "labelled": [column.labelled.get(y, 0) for y in years],
        "grants": [column.grants.get(y) for y in years],
        "ratings": [column.ratings.get(p, "") for p in phases],
        "fui_share": _share(sum(n for r, n in column.fui.items() if r in national), national),
    }


def region_dashboard(request: HttpRequest, region_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    region = Region.objects.filter(slug=region_slug).first()
    if region is None or not (
        request.user.is_superuser or region.pk in user_funded_region_ids(request.user)
    ):
        raise Http404
    year = datetime.date.today().year
    form = PeriodForm(
        request.GET, default=(datetime.date(year - 4, 1, 1), datetime.date(year, 12, 31))
    )
    clusters = list(Cluster.objects.filter(region=region).order_by("name"))
    context: dict[str, Any] = {"region": region, "form": form, "clusters": clusters}
    if not form.is_valid():
        return render(request, "results/dashboard/region.html", context, status=400)
    # The region's clusters, and only them: a funder reads across them, a superuser too.
    with tenant_scope(cluster=[c.pk for c in clusters]):
        scope = region_scope(region, form.start, form.end)
        columns, rounds = side_by_side(region=region, clusters=clusters, scope=scope)
        totals = compute(scope, REGION_TOTALS)
    years = list(range(scope.start.year, scope.end.year + 1))
    phases = sorted({phase for c in columns for phase in c.ratings})
    known = {r.number: r.national for r in rounds if r.national}
    context |= {
        "scope": scope,
        "query": form.query(),
        "rows": [_row(c, years, phases, known) for c in columns],
        "rounds": rounds,
        "totals": totals,
        "years": years,
        "phases": phases,
        "labelled_per_year": [sum(c.labelled.get(y, 0) for c in columns) for y in years],
        "grants_per_year": [
            sum((c.grants.get(y, Decimal(0)) for c in columns), Decimal(0)) for y in years
        ],
        "labelled_total": sum(c.labelled_total for c in columns),
        "fui_total": sum(c.fui_total for c in columns),
        "grants_total": sum((c.grants_total for c in columns), Decimal(0)),
        "fui_share": _share(sum(r.region for r in rounds if r.national), known),
        "national_known": bool(known),
    }
    return render(request, "results/dashboard/region.html", context)
