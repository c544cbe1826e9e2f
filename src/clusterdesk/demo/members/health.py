"""The health cluster's members: the source document's figures, its founders, its joins,
resignations and lapses since 2005, their domains, themes and markets.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from clusterdesk.core.models import Cluster, Domain, Market, Theme
from clusterdesk.crm.kinds import OrganisationKind as Kind
from clusterdesk.crm.models import Membership, Relationship
from clusterdesk.demo import names
from clusterdesk.demo.members.figures import (
    COMPANY_KINDS,
    FORMER_KINDS,
    FOUNDED,
    HEALTH_FOUNDERS,
    HEALTH_LATER_NON_SMES,
    HEALTH_MEMBERS,
    HEALTH_PROSPECTS,
    HEALTH_SMES,
    STARTUP_AGE,
    weighted_choice,
    weighted_sample,
)
from clusterdesk.demo.members.organisations import MadeOrg, Maker, Plan, Span
from clusterdesk.demo.members.places import weighted_places

if TYPE_CHECKING:
    from random import Random


def _health_history(rng: Random, year: int) -> list[Span]:
    """The spans of every member the health cluster ever had: the 170 of this year first
    (its six founders leading), then those who left.

    Built backwards from this year: the membership grows along a curve from 6 to 170;
    each year a few members leave (their last year is the one before), and the others
    that were not members the year before joined that year.
    """
    founders = len(HEALTH_FOUNDERS)
    target = {
        y: round(founders + (HEALTH_MEMBERS - founders) * ((y - FOUNDED) / (year - FOUNDED)) ** 0.8)
        for y in range(FOUNDED, year + 1)
    }
    spans = [Span(join=FOUNDED, last=year) for _ in range(HEALTH_MEMBERS)]
    active = list(range(HEALTH_MEMBERS))
    for y in range(year, FOUNDED, -1):
        rate = rng.uniform(0.03, 0.08) if y >= FOUNDED + 3 else 0.0
        leavers = []
        for _ in range(round(rate * target[y - 1])):
            # Nobody lapses this year: a membership lapses when its year closes unpaid.
            if y < year and rng.random() < 0.4:
                span = Span(join=FOUNDED, last=y - 1, end=Membership.Status.LAPSED)
            else:
                reason = rng.choice(names.RESIGNATION_REASONS)
                span = Span(join=FOUNDED, last=y - 1, end=Membership.Status.RESIGNED, reason=reason)
            spans.append(span)
            leavers.append(len(spans) - 1)
        newcomers = [s for s in active if s >= founders]
        for s in rng.sample(newcomers, len(active) - target[y - 1]):
            spans[s].join = y
            active.remove(s)
        active += leavers
    # Those who left joined when the loop reached their first year; the founders stay.
    return spans


def _health_profile(rng: Random) -> names.Profile:
    return rng.choices(names.HEALTH_PROFILES, weights=(40, 15, 25, 20))[0]


def make_health(rng: Random, maker: Maker, today: datetime.date) -> list[Plan]:
    """The health cluster's members (this year's 170 first), former members, prospects."""
    spans = _health_history(rng, today.year)
    members = spans[:HEALTH_MEMBERS]
    # Kinds: the founders', the other non-SMEs' at random, start-ups among the SMEs that
    # joined lately, then micro-enterprises and other SMEs.
    kinds: dict[int, str] = dict(enumerate(HEALTH_FOUNDERS))
    later = list(range(len(HEALTH_FOUNDERS), HEALTH_MEMBERS))
    for s, kind in zip(
        rng.sample(later, len(HEALTH_LATER_NON_SMES)), HEALTH_LATER_NON_SMES, strict=True
    ):
        kinds[s] = kind
    smes = [s for s in later if s not in kinds]
    if len(smes) != HEALTH_SMES:  # pragma: no cover - the constants above disagree
        raise AssertionError("HEALTH_MEMBERS, HEALTH_SMES and the non-SME kinds disagree.")
    young = [s for s in smes if members[s].join > today.year - STARTUP_AGE]
    weights = [(members[s].join - today.year + STARTUP_AGE) ** 2 for s in young]
    startups = set(weighted_sample(rng, young, weights, min(len(young), rng.randint(55, 65))))
    for s in smes:
        tpe = rng.random() < 0.35
        kinds[s] = Kind.STARTUP if s in startups else (Kind.TPE if tpe else Kind.PME)
    places, place_weights = weighted_places(names.REGION_PLACES, seat="Lyon")

    def org(kind: str, joined: int) -> MadeOrg:
        place = rng.choices(places, weights=place_weights)[0]
        if kind in COMPANY_KINDS:
            return maker.company(kind, _health_profile(rng), place, joined)
        return maker.public_body(kind, place, joined, health=True)

    plans = [Plan(org(kinds[s], span.join), span) for s, span in enumerate(members)]
    for span in spans[HEALTH_MEMBERS:]:
        plans.append(Plan(org(weighted_choice(rng, FORMER_KINDS), span.join), span))
    for _ in range(HEALTH_PROSPECTS):
        span = Span(join=today.year, last=today.year - 1, end=Membership.Status.PROSPECT)
        plans.append(Plan(org(Kind.STARTUP if rng.random() < 0.7 else Kind.TPE, today.year), span))
    return plans


def health_tags(rng: Random, health: Cluster, plans: list[Plan], rels: dict[int, int]) -> None:
    """Domains, themes and markets of the health cluster's relationships, from what each
    organisation does; public bodies work across one or two of each."""
    domains = {d.name_en: d.pk for d in Domain.objects.filter(cluster=health)}
    themes = {t.name_en: t.pk for t in Theme.objects.filter(cluster=health)}
    created = Market.objects.bulk_create(
        [
            Market(cluster=health, name=name, name_en=name_en, position=n)
            for n, (name, name_en) in enumerate(names.HEALTH_MARKETS)
        ]
    )
    markets = {m.name_en: m.pk for m in created}
    links: dict[str, list[tuple[int, int]]] = {"domains": [], "themes": [], "markets": []}
    for plan in plans:
        rel, profile = rels[id(plan.o)], plan.o.profile
        if profile is None:
            chosen = {
                "domains": rng.sample(sorted(domains.values()), rng.randint(1, 2)),
                "themes": rng.sample(sorted(themes.values()), rng.randint(1, 2)),
                "markets": rng.sample(sorted(markets.values()), rng.randint(1, 3)),
            }
        else:
            named = sorted({theme for _fr, _en, theme in profile.uses if theme})
            chosen = {
                "domains": [domains[profile.domain]],
                "themes": [themes[t] for t in named if rng.random() < 0.6],
                "markets": [markets[m] for m in profile.markets if rng.random() < 0.6]
                or [markets[profile.markets[0]]],
            }
        for kind, ids in chosen.items():
            links[kind] += [(rel, term) for term in ids]
    for attr, column in (
        ("domains", "domain_id"),
        ("themes", "theme_id"),
        ("markets", "market_id"),
    ):
        through = getattr(Relationship, attr).through
        through.objects.bulk_create(
            [through(relationship_id=r, **{column: t}) for r, t in links[attr]], batch_size=2000
        )
