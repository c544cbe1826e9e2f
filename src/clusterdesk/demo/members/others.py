"""The members of the region's (and, at national scale, France's) other clusters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clusterdesk.core.models import Cluster
from clusterdesk.crm.kinds import OrganisationKind as Kind
from clusterdesk.crm.models import Membership
from clusterdesk.demo import names
from clusterdesk.demo.members.figures import (
    FORMER_KINDS,
    FOUNDED,
    OTHER_KINDS,
    SHARED_SHARE,
    STARTUP_AGE,
    weighted_choice,
)
from clusterdesk.demo.members.organisations import MadeOrg, Maker, Place, Plan, Span
from clusterdesk.demo.members.places import cluster_places, cluster_profiles

if TYPE_CHECKING:
    from random import Random


def _public_pool(maker: Maker, places: list[Place], weights: list[float]) -> list[MadeOrg]:
    """The public bodies of a region that its clusters share: in each of its eight main
    cities a university, a local authority, a development agency, two research units
    and a platform."""
    by_city: dict[str, tuple[float, Place]] = {}
    for place, weight in zip(places, weights, strict=True):
        total = by_city.get(place[0], (0.0, place))[0] + weight
        by_city[place[0]] = (total, by_city.get(place[0], (0.0, place))[1])
    cities = sorted(by_city.values(), key=lambda p: (-p[0], p[1]))[:8]
    pool = []
    for _weight, place in cities:
        for kind in (
            Kind.HIGHER_EDUCATION,
            Kind.LOCAL_AUTHORITY,
            Kind.ECONOMIC_DEVELOPMENT,
            Kind.RESEARCH_ORG,
            Kind.RESEARCH_ORG,
            Kind.TECH_PLATFORM,
        ):
            pool.append(maker.public_body(kind, place, FOUNDED, health=False))
    return pool


def make_others(
    rng: Random,
    maker: Maker,
    clusters: list[Cluster],
    companies: int,
    year: int,
    history: int | None,
    shared_from: Sequence[MadeOrg] = (),
) -> dict[Cluster, list[Plan]]:
    """Members of ``clusters``: ``companies`` new member companies spread over them, a
    tenth of every company (and of ``shared_from``) also in a second cluster, public
    bodies of their region, and a few former members."""
    plans: dict[Cluster, list[Plan]] = {c: [] for c in clusters}
    since = FOUNDED if history is None else year - history + 1
    sizes = [
        rng.uniform(0.5, 1.6) * (0.3 if c.state_label == Cluster.StateLabel.NEW else 1)
        for c in clusters
    ]
    # A cluster has members from its founding year (the region's pôles say it), a new
    # one of the national list from three years ago.
    start = {
        c.pk: c.founded_year or (year - 3 if c.state_label == Cluster.StateLabel.NEW else FOUNDED)
        for c in clusters
    }
    where = {c.pk: cluster_places(rng, c) for c in clusters}
    trades = {c.pk: cluster_profiles(rng, c) for c in clusters}
    pools: dict[str, list[MadeOrg]] = {}

    def joined(cluster: Cluster, earliest: int = FOUNDED) -> int:
        first = max(start[cluster.pk], earliest)
        return year - int((year - first) * rng.random() ** 1.4)

    def company(cluster: Cluster, kind: str, when: int) -> MadeOrg:
        places, weights = where[cluster.pk][1]
        place = rng.choices(places, weights=weights)[0]
        return maker.company(kind, rng.choice(trades[cluster.pk]), place, when)

    homes: list[tuple[MadeOrg, Cluster | None]] = [(o, None) for o in shared_from]
    for cluster in rng.choices(clusters, weights=sizes, k=companies):
        when = joined(cluster)
        kind = weighted_choice(rng, OTHER_KINDS)
        if kind == Kind.STARTUP and when <= year - STARTUP_AGE:
            kind = Kind.PME
        o = company(cluster, kind, when)
        plans[cluster].append(Plan(o, Span(join=when, last=year, since=since)))
        homes.append((o, cluster))
    for o, home in rng.sample(homes, round(SHARED_SHARE * len(homes))):
        second = rng.choice([c for c in clusters if c is not home])
        when = joined(second, earliest=max(year - 8, o.org.creation_year or FOUNDED))
        plans[second].append(Plan(o, Span(join=when, last=year, since=since)))
    for cluster in clusters:
        size = len(plans[cluster])
        code, (places, weights) = where[cluster.pk]
        if code not in pools:
            pools[code] = _public_pool(maker, places, weights)
        pool = pools[code]
        for o in rng.sample(pool, min(len(pool), max(2, round(size * 0.06)))):
            span = Span(join=joined(cluster), last=year, since=since)
            plans[cluster].append(Plan(o, span))
        for _ in range(round(size * 0.07)):
            last = rng.randint(max(start[cluster.pk], since - 1), year - 1)
            first = rng.randint(start[cluster.pk], last)
            if last + 1 < year and rng.random() < 0.4:
                span = Span(first, last, Membership.Status.LAPSED, since=since)
            else:
                reason = rng.choice(names.RESIGNATION_REASONS)
                span = Span(first, last, Membership.Status.RESIGNED, reason, since)
            plans[cluster].append(
                Plan(company(cluster, weighted_choice(rng, FORMER_KINDS), first), span)
            )
    return plans
