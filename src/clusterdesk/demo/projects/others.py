"""The region's (and, at national scale, France's) other clusters' projects, sized by the
FUI rounds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clusterdesk.demo.projects.figures import FOUNDED, S, largest_remainder
from clusterdesk.demo.projects.health import fund_or_not
from clusterdesk.demo.projects.maker import Maker, Site
from clusterdesk.demo.projects.rounds import Round
from clusterdesk.projects.models import Funder

if TYPE_CHECKING:
    from random import Random


def ramp_factor(year: int) -> float:
    """The clusters' labelling grew from their first year to full speed in 2010."""
    return min(1.0, 0.3 + 0.14 * (year - FOUNDED))


def make_others(
    maker: Maker,
    sites: list[Site],
    yearly: dict[int, int],
    quotas: dict[tuple[int, int], int],
) -> None:
    """Files of ``sites``: ``yearly[year]`` labelled by them together, in proportion to
    their size; ``quotas[(cluster pk, round)]`` of them funded by that FUI round."""
    rng, today = maker.rng, maker.today
    for year in range(FOUNDED, today.year + 1):
        active = [s for s in sites if s.start <= year]
        if not active:
            continue
        labelled = largest_remainder(yearly[year], [len(s.pool.orgs) or 1 for s in active])
        for site, count in zip(active, labelled, strict=True):
            months = maker.session_months(site, year)
            per_month = dict.fromkeys(months, 0)
            for month in rng.choices(months, k=count):
                per_month[month] += 1
            for month in months:
                fui = maker.rounds_at.get((year, month))
                quota = quotas.get((site.cluster.pk, fui.number), 0) if fui else 0
                n = max(per_month[month], quota)
                session = maker.session(site, year, month)
                rejected = round(n * rng.uniform(0.2, 0.35))
                revise = 1 if rng.random() < 0.3 else 0
                if session.date >= today:
                    for _ in range(n + rejected + revise):
                        state = S.ELIGIBLE if rng.random() < 0.6 else S.SUBMITTED
                        maker.application(site, year=year, state=state, session=session)
                    continue
                for i in range(n):
                    in_fui = i < quota
                    made = maker.application(
                        site,
                        year=year,
                        state=S.LABELLED,
                        session=session,
                        fui=fui if in_fui else None,
                    )
                    if in_fui:
                        made.tried_fui = made.fui_round = fui
                        made.funder = Funder.FUI
                    fund_or_not(maker, made, funded=in_fui or rng.random() < 0.7)
                for state in [S.NOT_LABELLED] * rejected + [S.REVISE] * revise:
                    maker.application(site, year=year, state=state, session=session)
            if rng.random() < 0.5 and (year < today.year or today.month >= 3):
                maker.application(site, year=year, state=S.WITHDRAWN, session=None)


def fui_quotas(
    rng: Random, sites: list[Site], rounds: list[Round], wanted: dict[int, int]
) -> dict[tuple[int, int], int]:
    """``wanted[round]`` FUI grants spread over the clusters that existed then, in
    proportion to their size."""
    quotas: dict[tuple[int, int], int] = {}
    for fui in rounds:
        active = [s for s in sites if s.start <= fui.year]
        count = wanted.get(fui.number, 0)
        if not active or count <= 0:
            continue
        weights = [len(s.pool.orgs) or 1 for s in active]
        for site in rng.choices(active, weights=weights, k=count):
            key = (site.cluster.pk, fui.number)
            quotas[key] = quotas.get(key, 0) + 1
    return quotas
