"""The pipeline: current cases by stage (the board), the time companies spend in each
stage, the conversions from one stage to the next, and the cohorts (the companies
accompanied in a year and where they are now). For the support staff only: the figures
are computed over every case of the cluster."""

from __future__ import annotations

import datetime
import itertools
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from clusterdesk.core.models import Cluster
from clusterdesk.support.choices import CURRENT_STATUSES, STAGE_ORDER, Stage
from clusterdesk.support.models import StagePeriod, SupportCase


@dataclass
class Column:
    stage: str
    label: str
    cases: list[SupportCase] = field(default_factory=list)


def pipeline_board(
    *, cluster: Cluster, need: str = "", owner_id: int | None = None
) -> list[Column]:
    """The current cases of the cluster in one column per stage, oldest in stage first."""
    qs = (
        SupportCase.objects.filter(cluster=cluster, status__in=CURRENT_STATUSES)
        .select_related("organisation", "owner")
        .order_by("stage_since", "pk")
    )
    if need:
        qs = qs.filter(need=need)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    columns = {s: Column(s, str(label)) for s, label in Stage.choices}
    for case in qs:
        columns[case.stage].cases.append(case)
    return list(columns.values())


def _periods(cluster: Cluster) -> QuerySet[StagePeriod]:
    return StagePeriod.objects.filter(cluster=cluster)


@dataclass(frozen=True)
class StageTime:
    stage: str
    label: str
    periods: int
    finished: int
    mean_days: float | None
    median_days: float | None


def time_in_stages(*, cluster: Cluster, today: datetime.date | None = None) -> list[StageTime]:
    """For each stage, how long the companies stayed in it: the finished periods (left for
    another stage) give the mean and median; the periods still open are counted."""
    today = today or timezone.localdate()
    durations: dict[str, list[int]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for stage, entered, left in _periods(cluster).values_list("stage", "entered_on", "left_on"):
        counts[stage] += 1
        if left is not None:
            durations[stage].append((left - entered).days)
    rows = []
    for stage, label in Stage.choices:
        days = durations[stage]
        rows.append(
            StageTime(
                stage,
                str(label),
                counts[stage],
                len(days),
                round(statistics.fmean(days), 1) if days else None,
                float(statistics.median(days)) if days else None,
            )
        )
    return rows


@dataclass(frozen=True)
class Conversion:
    from_stage: str
    from_label: str
    to_stage: str
    to_label: str
    entered: int
    went_on: int

    @property
    def rate(self) -> float | None:
        return round(self.went_on / self.entered, 4) if self.entered else None


def stage_conversions(*, cluster: Cluster) -> list[Conversion]:
    """For each pair of successive stages: the cases that were in the first, and how many
    of them reached the next one (or a later one) while accompanied."""
    reached: dict[int, set[str]] = defaultdict(set)
    for case_id, stage in _periods(cluster).values_list("case_id", "stage"):
        reached[case_id].add(stage)
    stages = Stage.values
    labels = dict(Stage.choices)
    rows = []
    for i, (here, there) in enumerate(itertools.pairwise(stages)):
        later = set(stages[i + 1 :])
        entered = [s for s in reached.values() if here in s]
        went_on = [s for s in entered if s & later]
        rows.append(
            Conversion(
                here, str(labels[here]), there, str(labels[there]), len(entered), len(went_on)
            )
        )
    return rows


@dataclass(frozen=True)
class Cohort:
    year: int
    companies: int
    by_stage: dict[str, int]
    still_accompanied: int
    funds_raised: int


def cohorts(*, cluster: Cluster) -> list[Cohort]:
    """Each year's cohort: the companies whose first case opened that year, and where they
    are now (the stage of their latest case), how many are still accompanied, and how many
    raised funds."""
    first_year: dict[int, int] = {}
    latest: dict[int, tuple[datetime.date, int, str, str]] = {}
    rows = SupportCase.objects.filter(cluster=cluster).values_list(
        "organisation_id", "opened_on", "pk", "stage", "status"
    )
    for org, opened, pk, stage, status in rows:
        first_year[org] = min(first_year.get(org, opened.year), opened.year)
        if org not in latest or (opened, pk) > latest[org][:2]:
            latest[org] = (opened, pk, stage, status)
    raised = set(
        SupportCase.objects.filter(cluster=cluster, outcomes__kind="funds_raised").values_list(
            "organisation_id", flat=True
        )
    )
    by_year: dict[int, list[int]] = defaultdict(list)
    for org, year in first_year.items():
        by_year[year].append(org)
    result = []
    for year in sorted(by_year, reverse=True):
        orgs = by_year[year]
        stages: dict[str, int] = dict.fromkeys(Stage.values, 0)
        for org in orgs:
            stages[latest[org][2]] += 1
        result.append(
            Cohort(
                year,
                len(orgs),
                stages,
                sum(1 for o in orgs if latest[o][3] in CURRENT_STATUSES),
                sum(1 for o in orgs if o in raised),
            )
        )
    return result


def stage_rank(stage: str) -> int:
    return STAGE_ORDER[stage]
