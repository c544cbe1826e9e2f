"""Membership categories and fee grids, and each organisation's memberships and fees."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact, FeeRule, Membership, MembershipCategory, Organisation
from clusterdesk.crm.selectors import fee_for
from clusterdesk.demo.members.figures import CATEGORIES, FEE_GRID, UNPAID_SHARE
from clusterdesk.demo.members.organisations import Plan

if TYPE_CHECKING:
    from random import Random


class Fees:
    """The clusters' categories and fee grids, and the fee of an organisation (from the
    grid's own rule, ``fee_for``; remembered per category, kind and headcount band)."""

    def __init__(self) -> None:
        self.categories: dict[int, list[MembershipCategory]] = {}
        self.amounts: dict[tuple[int, str, str], Decimal | None] = {}

    def create(self, cluster: Cluster, factor: float) -> None:
        categories = MembershipCategory.objects.bulk_create(
            [
                MembershipCategory(
                    cluster=cluster, name=name, name_en=name_en, voting_right=vote, position=n
                )
                for n, (name, name_en, vote, _kinds) in enumerate(CATEGORIES)
            ]
        )
        FeeRule.objects.bulk_create(
            [
                FeeRule(
                    cluster=cluster,
                    category=categories[index],
                    kind=kind,
                    min_headcount=low,
                    max_headcount=high,
                    amount=Decimal(round(amount * factor / 50) * 50),
                )
                for index, kind, low, high, amount in FEE_GRID
            ]
        )
        self.categories[cluster.pk] = categories

    def category(self, cluster: Cluster, org: Organisation) -> MembershipCategory:
        for category, (_n, _e, _v, kinds) in zip(
            self.categories[cluster.pk], CATEGORIES, strict=True
        ):
            if kinds is None or org.kind in kinds:
                return category
        raise AssertionError("the last category takes every kind")  # pragma: no cover

    def amount(self, category: MembershipCategory, org: Organisation) -> Decimal | None:
        key = (category.pk, org.kind, org.headcount_band)
        if key not in self.amounts:
            self.amounts[key] = fee_for(category=category, organisation=org)
        return self.amounts[key]


def make_memberships(
    rng: Random,
    today: datetime.date,
    cluster: Cluster,
    plan: Plan,
    category: MembershipCategory,
    fee: Decimal | None,
    representative: Contact,
) -> list[Membership]:
    """One row per year of the plan, fees called in January and paid within months;
    this year's still unpaid for some, reminded once or twice."""
    rows = []

    def row(year: int, status: str) -> Membership:
        m = Membership(
            cluster=cluster,
            organisation=plan.o.org,
            year=year,
            category=category,
            status=status,
            representative=representative,
        )
        rows.append(m)
        return m

    def call(m: Membership, paid: bool) -> None:
        if fee is None:
            return
        m.fee_amount = fee
        m.fee_called_on = min(datetime.date(m.year, 1, rng.randint(8, 31)), today)
        delay = int(rng.expovariate(1 / 35))
        paid_on = m.fee_called_on + datetime.timedelta(days=delay)
        if paid and paid_on <= today:
            m.fee_paid_on, m.fee_paid_amount = paid_on, fee
        else:
            delay = (today - m.fee_called_on).days
        m.reminders = min(2, delay // 45)
        if m.reminders:
            m.reminded_on = m.fee_called_on + datetime.timedelta(days=45 * m.reminders)

    span = plan.span
    if span.end == Membership.Status.PROSPECT:
        row(today.year, Membership.Status.PROSPECT)
        return rows
    for year in range(max(span.join, span.since), span.last + 1):
        m = row(year, Membership.Status.ACTIVE)
        call(m, paid=year < today.year or rng.random() > UNPAID_SHARE)
    if span.end == Membership.Status.RESIGNED:
        row(span.last + 1, span.end).resignation_reason = span.reason
    elif span.end == Membership.Status.LAPSED:
        call(row(span.last + 1, span.end), paid=False)
    return rows
