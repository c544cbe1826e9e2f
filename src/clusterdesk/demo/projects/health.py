"""The health cluster's projects: the source document's figures until 2015, about twenty
labels a year since, and this year's call with files in every state.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from clusterdesk.demo.projects.figures import (
    FIGURES_FROM,
    FIGURES_UNTIL,
    FOUNDED,
    HEALTH_FUNDED,
    HEALTH_LATER_LABELS,
    S,
    largest_remainder,
    weighted_choice,
)
from clusterdesk.demo.projects.funding import FUNDERS
from clusterdesk.demo.projects.maker import MadeApp, Maker, Site
from clusterdesk.demo.projects.pools import PoolOrg
from clusterdesk.projects.models import Funder, Partner

if TYPE_CHECKING:
    pass


def fund_or_not(maker: Maker, made: MadeApp, *, funded: bool) -> None:
    """Whether a labelled project's funding is decided yet, and who funds it (FUI grants
    are given by the caller, which keeps count of them)."""
    label = made.app.label_date
    assert label is not None
    made.pending = label > maker.today - datetime.timedelta(days=240)
    if funded and not made.funder:
        made.funder = weighted_choice(maker.rng, FUNDERS)
    if not funded:
        made.funder = ""


def make_health(
    maker: Maker, site: Site, targets: dict[int, int], portal_org: int | None
) -> dict[int, int]:
    """The health cluster's files since 2005 (see the module's docstring)."""
    rng, today = maker.rng, maker.today
    figure_years = list(range(FIGURES_FROM, FIGURES_UNTIL + 1))
    ramp = [
        (0.35 if y == FOUNDED else min(1.0, 0.6 + 0.1 * (y - FOUNDED))) * rng.uniform(0.9, 1.1)
        for y in figure_years
    ]
    funded_by_year = dict(zip(figure_years, largest_remainder(HEALTH_FUNDED, ramp), strict=True))
    fui_taken: dict[int, int] = defaultdict(int)
    for year in range(FOUNDED, today.year + 1):
        if year in funded_by_year:
            funded = funded_by_year[year]
            labelled = funded + round(funded * rng.uniform(0.12, 0.25))
        else:
            labelled = rng.randint(*HEALTH_LATER_LABELS)
            funded = round(labelled * rng.uniform(0.72, 0.85))
        outcomes = ["funded"] * funded + ["unfunded"] * (labelled - funded)
        outcomes += [S.NOT_LABELLED] * round(labelled * rng.uniform(0.3, 0.45))
        outcomes += [S.REVISE] * rng.randint(1, 3)
        rng.shuffle(outcomes)
        months = maker.session_months(site, year)
        for outcome in outcomes:
            month = rng.choice(months)
            session = maker.session(site, year, month)
            fui = maker.rounds_at.get((year, month))
            if session.date >= today:
                in_fui = fui is not None and rng.random() < 0.4
                maker.application(
                    site,
                    year=year,
                    state=maker.in_progress(session),
                    session=session,
                    fui=fui if in_fui else None,
                )
                continue
            state = S.LABELLED if outcome in ("funded", "unfunded") else outcome
            # At the sessions before an FUI round closes, some files go to the round.
            to_fui = fui is not None and rng.random() < (0.5 if state == S.LABELLED else 0.4)
            if (
                outcome == "funded"
                and fui is not None
                and fui_taken[fui.number] >= targets[fui.number]
            ):
                to_fui = False
            made = maker.application(
                site, year=year, state=state, session=session, fui=fui if to_fui else None
            )
            if state != S.LABELLED:
                continue
            if to_fui:
                made.tried_fui = fui
                if outcome == "funded":
                    made.fui_round, made.funder = fui, Funder.FUI
                    fui_taken[fui.number] += 1  # type: ignore[union-attr]
            fund_or_not(maker, made, funded=outcome == "funded")
            made.figures = outcome == "funded" and year <= FIGURES_UNTIL
        # Files that never reached the committee.
        for state in [S.INELIGIBLE] * rng.randint(0, 2) + [S.WITHDRAWN] * rng.randint(0, 1):
            if year == today.year and today.month < 3:
                break
            maker.application(site, year=year, state=state, session=None)
    # This year's call: drafts being written, one by the demo's portal member.
    current = maker.call(site, today.year)
    if current.is_open(today):
        for n in range(rng.randint(3, 5)):
            consortium = None
            if n == 0 and portal_org is not None:
                consortium = _with_coordinator(maker, site, today.year, portal_org)
            maker.application(
                site, year=today.year, state=S.DRAFT, session=None, consortium=consortium
            )
    if portal_org is not None:
        _portal_project(maker, site, portal_org)
    return dict(fui_taken)


def _with_coordinator(
    maker: Maker, site: Site, year: int, org_pk: int
) -> list[tuple[PoolOrg, str]] | None:
    lead = next((o for o in site.pool.orgs if o.pk == org_pk), None)
    if lead is None:
        return None
    others = [(o, r) for o, r in maker.consortium(site, year)[1:] if o.pk != org_pk]
    return [(lead, Partner.Role.COORDINATOR), *others]


def _portal_project(maker: Maker, site: Site, org_pk: int) -> None:
    """The portal member's start-up coordinates a recent labelled project: its certificate
    is one the member can open."""
    lead = next((o for o in site.pool.orgs if o.pk == org_pk), None)
    recent = [
        m
        for m in site.apps
        if m.app.state == S.LABELLED and not m.figures and m.year >= maker.today.year - 3
    ]
    if lead is None or not recent:
        return
    made = recent[-1]
    former = made.consortium[0][0]
    made.consortium = [(lead, Partner.Role.COORDINATOR)] + [
        (o, r) for o, r in made.consortium[1:] if o.pk != org_pk
    ]
    made.app.summary = made.app.summary.replace(former.name, lead.name, 1)
    made.app.summary_en = made.app.summary_en.replace(former.name, lead.name, 1)
