"""The pipeline figures: the board, time in each stage, conversions and cohorts, computed
from the stage history the services keep."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scope

from clusterdesk.core.roles import Role
from clusterdesk.support.selectors.pipeline import (
    cohorts,
    pipeline_board,
    stage_conversions,
    time_in_stages,
)
from clusterdesk.support.services.cases import (
    case_outcome_record,
    support_case_move,
    support_case_set_status,
)
from tests.conftest import Tenant
from tests.support.factories import case, company

TODAY = timezone.localdate()
D = datetime.timedelta


def test_time_in_stages_counts_the_finished_periods(tenant_a: Tenant) -> None:
    pm = tenant_a.people[Role.PROJECT_MANAGER]
    a = case(tenant_a, stage="idea", opened_on=TODAY - D(days=100))
    b = case(tenant_a, company(tenant_a, "Autre SAS"), stage="idea", opened_on=TODAY - D(days=50))
    with scope(cluster=tenant_a.cluster):
        support_case_move(actor=pm, case=a, stage="proof_of_concept", on=TODAY - D(days=70))
        support_case_move(actor=pm, case=b, stage="proof_of_concept", on=TODAY - D(days=10))
        rows = {r.stage: r for r in time_in_stages(cluster=tenant_a.cluster, today=TODAY)}
    assert rows["idea"].periods == 2 and rows["idea"].finished == 2
    assert rows["idea"].mean_days == 35.0 and rows["idea"].median_days == 35.0
    assert rows["proof_of_concept"].periods == 2 and rows["proof_of_concept"].finished == 0
    assert rows["proof_of_concept"].mean_days is None


def test_conversions_count_cases_that_reached_a_later_stage(tenant_a: Tenant) -> None:
    pm = tenant_a.people[Role.PROJECT_MANAGER]
    moved = case(tenant_a, stage="idea", opened_on=TODAY - D(days=90))
    case(tenant_a, stage="idea", opened_on=TODAY - D(days=90))
    jumped = case(tenant_a, stage="idea", opened_on=TODAY - D(days=90))
    with scope(cluster=tenant_a.cluster):
        support_case_move(actor=pm, case=moved, stage="proof_of_concept", on=TODAY)
        # Straight to the clinic: it went on from the idea, never passed the proof of concept.
        support_case_move(actor=pm, case=jumped, stage="clinical", on=TODAY)
        rows = stage_conversions(cluster=tenant_a.cluster)
    first, second = rows[0], rows[1]
    assert (first.from_stage, first.to_stage, first.entered, first.went_on) == (
        "idea",
        "proof_of_concept",
        3,
        2,
    )
    assert first.rate == round(2 / 3, 4)
    assert (second.entered, second.went_on) == (1, 0)


def test_cohorts_follow_each_company_from_its_first_year(tenant_a: Tenant) -> None:
    pm = tenant_a.people[Role.PROJECT_MANAGER]
    year = TODAY.year
    org = company(tenant_a)
    first = case(tenant_a, org, stage="idea", opened_on=datetime.date(year - 2, 3, 1))
    later = case(tenant_a, org, stage="preclinical", opened_on=datetime.date(year - 1, 3, 1))
    case(
        tenant_a,
        company(tenant_a, "Nouvelle SAS"),
        stage="idea",
        opened_on=datetime.date(year - 1, 5, 1),
    )
    with scope(cluster=tenant_a.cluster):
        support_case_set_status(
            actor=pm, case=first, status="closed", on=datetime.date(year - 1, 1, 1)
        )
        case_outcome_record(
            actor=pm,
            case=later,
            kind="funds_raised",
            date=datetime.date(year - 1, 6, 1),
            amount_eur=500000,
        )
        rows = {c.year: c for c in cohorts(cluster=tenant_a.cluster)}
    assert rows[year - 2].companies == 1
    assert rows[year - 2].by_stage["preclinical"] == 1  # where it is now, from its latest case
    assert rows[year - 2].funds_raised == 1 and rows[year - 2].still_accompanied == 1
    assert rows[year - 1].companies == 1 and rows[year - 1].by_stage["idea"] == 1


def test_the_board_shows_current_cases_only_oldest_in_stage_first(tenant_a: Tenant) -> None:
    pm = tenant_a.people[Role.PROJECT_MANAGER]
    recent = case(tenant_a, stage="clinical", opened_on=TODAY - D(days=5))
    old = case(tenant_a, stage="clinical", opened_on=TODAY - D(days=50))
    closed = case(tenant_a, stage="clinical")
    with scope(cluster=tenant_a.cluster):
        support_case_set_status(actor=pm, case=closed, status="closed")
        columns = {c.stage: c.cases for c in pipeline_board(cluster=tenant_a.cluster)}
        only_ip = pipeline_board(cluster=tenant_a.cluster, need="ip")
    assert [c.pk for c in columns["clinical"]] == [old.pk, recent.pk]
    assert all(not col.cases for col in only_ip)
