"""Money: budgets, aid, and the funding applications of the labelled projects."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import TYPE_CHECKING

from clusterdesk.demo.projects.figures import Status, add_months, weighted_choice
from clusterdesk.demo.projects.maker import MadeApp, Maker, aid_rate, partners_of_kind, scaled_to
from clusterdesk.demo.projects.rounds import Round
from clusterdesk.projects.models import (
    Application,
    Funder,
    FundingApplication,
    FundingLine,
    Partner,
)

if TYPE_CHECKING:
    from random import Random


def draw_budgets(
    maker: Maker, apps: list[MadeApp], median: float, total: int | None = None
) -> None:
    """Each project's budget (drawn, or scaled to ``total``) split among its partners."""
    rng = maker.rng
    raw = [rng.lognormvariate(math.log(median), 0.55) for _ in apps]
    budgets = scaled_to(total, raw) if total is not None else [round(r) for r in raw]
    for made, budget in zip(apps, budgets, strict=True):
        weights = [w * rng.uniform(0.6, 1.4) for w in partners_of_kind(made.consortium)]
        shares = scaled_to(budget, weights)
        made.partners = [
            Partner(
                cluster_id=made.app.cluster_id,
                organisation_id=org.pk,
                role=role,
                budget_eur=Decimal(share),
                person_months=Decimal(round(share / 9_000, 1)),
            )
            for (org, role), share in zip(made.consortium, shares, strict=True)
        ]
        for partner in made.partners:
            maker.link(partner, "application_id", made.app)


def draw_aid(rng: Random, apps: list[MadeApp], total: int | None = None) -> dict[int, list[int]]:
    """Aid granted to each partner (id(app) -> whole euros per partner), FUI-like rates;
    scaled so that the whole adds up to ``total`` when it is given. Requested amounts are
    set on the partners (a little more than granted, never more than their budget)."""
    raw = []
    for made in apps:
        for partner, (org, role) in zip(made.partners, made.consortium, strict=True):
            raw.append(float(partner.budget_eur) * aid_rate(org, role) * rng.uniform(0.9, 1.1))
    amounts = scaled_to(total, raw) if total is not None else [math.floor(r) for r in raw]
    granted: dict[int, list[int]] = {}
    position = 0
    for made in apps:
        mine = amounts[position : position + len(made.partners)]
        position += len(made.partners)
        granted[id(made)] = mine
        for partner, amount in zip(made.partners, mine, strict=True):
            wanted = min(float(partner.budget_eur), amount * rng.uniform(1.0, 1.25))
            partner.requested_aid_eur = Decimal(max(amount, round(wanted)))
    return granted


def draw_requested(rng: Random, made: MadeApp) -> None:
    """Aid requested by the partners of a project that was not (or not yet) granted any."""
    for partner, (org, role) in zip(made.partners, made.consortium, strict=True):
        rate = aid_rate(org, role) * rng.uniform(1.0, 1.2)
        partner.requested_aid_eur = Decimal(math.floor(float(partner.budget_eur) * rate))


def _programme(funder: str, year: int, fui: Round | None = None) -> str:
    if funder == Funder.FUI and fui is not None:
        return f"FUI {fui.number}"
    if funder == Funder.ANR:
        return "ANR PRCE" if year >= 2014 else "ANR programmes thématiques"
    if funder == Funder.REGION:
        return "R&D Booster" if year >= 2017 else "Aide régionale aux projets collaboratifs"
    if funder == Funder.BPIFRANCE:
        return "PSPC" if year >= 2013 else "OSEO Innovation stratégique industrielle"
    if funder == Funder.EU:
        if year < 2007:
            return "6e PCRD"
        if year < 2014:
            return "7e PCRD"
        return "Horizon 2020" if year < 2021 else "Horizon Europe"
    return ""


FUNDERS = ((Funder.ANR, 25), (Funder.REGION, 22), (Funder.BPIFRANCE, 28), (Funder.EU, 25))


def _funding(
    maker: Maker,
    made: MadeApp,
    funder: str,
    status: str,
    submitted: datetime.date,
    decided: datetime.date | None,
    programme: str,
) -> FundingApplication:
    funding = FundingApplication(
        cluster_id=made.app.cluster_id,
        funder=funder,
        programme=programme,
        reference=f"{made.app.acronym}-{submitted.year}-{maker.rng.randint(100, 999)}",
        status=status,
        submitted_on=submitted,
        decided_on=decided,
    )
    maker.link(funding, "application_id", made.app)
    maker.rows.fundings.append(funding)
    return funding


def _line(
    maker: Maker, funding: FundingApplication, partner: Partner, requested: int, granted: int = 0
) -> None:
    line = FundingLine(
        cluster_id=partner.cluster_id,
        requested_eur=Decimal(requested),
        granted_eur=Decimal(granted),
    )
    maker.link(line, "funding_id", funding)
    maker.link(line, "partner_id", partner)
    maker.rows.lines.append(line)


def make_fundings(maker: Maker, made: MadeApp, granted: list[int] | None) -> None:
    """The project's funding applications, and its status and dates as a project."""
    rng, today, app = maker.rng, maker.today, made.app
    label = app.label_date
    assert label is not None
    if made.fui_round is not None or made.tried_fui is not None:
        fui = made.fui_round or made.tried_fui
        assert fui is not None
        submitted = min(fui.closes_on, label + datetime.timedelta(days=rng.randint(5, 20)))
    else:
        submitted = label + datetime.timedelta(days=rng.randint(10, 45))
    decided = submitted + datetime.timedelta(days=rng.randint(100, 200))
    if made.pending or submitted > today:
        status = Status.SUBMITTED if submitted <= today else Status.PREPARING
        funder = Funder.FUI if made.tried_fui else weighted_choice(rng, FUNDERS)
        funding = _funding(
            maker,
            made,
            funder,
            status,
            min(submitted, today),
            None,
            _programme(funder, submitted.year, made.tried_fui),
        )
        for p in made.partners:
            if p.requested_aid_eur:
                _line(maker, funding, p, int(p.requested_aid_eur))
        return
    if granted is None:  # labelled, never funded
        funder = Funder.FUI if made.tried_fui else weighted_choice(rng, FUNDERS)
        _funding(
            maker,
            made,
            funder,
            Status.REFUSED,
            submitted,
            decided,
            _programme(funder, submitted.year, made.tried_fui),
        )
        # A refused application's amounts stay on the partners (their requested aid).
        old = label < today - datetime.timedelta(days=730)
        app.project_status = (
            Application.ProjectStatus.ABANDONED if old else Application.ProjectStatus.NOT_STARTED
        )
        return
    # Granted: FUI grants come with the Region's co-funding (about a third).
    primary = _funding(
        maker,
        made,
        made.funder,
        Status.GRANTED,
        submitted,
        decided,
        _programme(made.funder, submitted.year, made.fui_round),
    )
    second = None
    if made.funder == Funder.FUI:
        assert made.fui_round is not None
        second = _funding(
            maker,
            made,
            Funder.REGION,
            Status.GRANTED,
            submitted,
            decided,
            f"Cofinancement régional FUI {made.fui_round.number}",
        )
    share = rng.uniform(0.62, 0.72)
    for partner, amount in zip(made.partners, granted, strict=True):
        if not amount:
            continue
        asked = int(partner.requested_aid_eur)
        if second is None:
            parts = [(primary, asked, amount)]
        else:
            first = math.floor(amount * share)
            first_asked = math.floor(asked * share)
            parts = [(primary, first_asked, first), (second, asked - first_asked, amount - first)]
        for funding, requested, got in parts:
            _line(maker, funding, partner, requested, got)
    start = add_months(decided.replace(day=1), rng.randint(1, 3))
    end = add_months(start, app.duration_months or 36) - datetime.timedelta(days=1)
    app.start_date, app.end_date = start, end
    if end < today:
        app.project_status = Application.ProjectStatus.COMPLETED
    elif start <= today:
        app.project_status = Application.ProjectStatus.RUNNING
