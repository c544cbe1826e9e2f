"""The labelling step of the demo: numbering the labels, writing the rows in bulk, and
``build`` itself.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from clusterdesk.audit.services import audit_record
from clusterdesk.core.models import Cluster, ClusterRole, Domain, Theme
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Contact
from clusterdesk.demo import names
from clusterdesk.demo.projects.figures import (
    FOUNDED,
    FUI_SHARE,
    HEALTH_AID,
    HEALTH_FUNDED,
    HEALTH_INVESTMENT,
    NATIONAL_PROJECTS,
    REGION_LABELS_A_YEAR,
    S,
    cluster_trades,
    largest_remainder,
)
from clusterdesk.demo.projects.funding import draw_aid, draw_budgets, draw_requested, make_fundings
from clusterdesk.demo.projects.health import make_health
from clusterdesk.demo.projects.maker import Maker, Site
from clusterdesk.demo.projects.others import fui_quotas, make_others, ramp_factor
from clusterdesk.demo.projects.pools import consortium_pools
from clusterdesk.demo.projects.reviews import (
    Expert,
    Reviews,
    make_committee,
    make_people,
    make_reviews,
)
from clusterdesk.demo.projects.rounds import fui_rounds
from clusterdesk.projects.models import (
    Application,
    Call,
    CommitteeSession,
    Conflict,
    Criterion,
    ExpertProfile,
    FundingApplication,
    FundingLine,
    Partner,
    Review,
    ReviewAssignment,
    ReviewScore,
)

if TYPE_CHECKING:
    from clusterdesk.demo.build import DemoContext


BATCH = 2000


def _label_numbers(site: Site) -> None:
    """Numbers in order of labelling per year, as ``application_transition`` gives them."""
    prefix = site.cluster.slug[:12].rstrip("-").upper()
    labelled = [m.app for m in site.apps if m.app.state == S.LABELLED and m.app.label_date]
    labelled.sort(key=lambda a: (a.label_date, a.acronym))
    counters: dict[int, int] = defaultdict(int)
    for app in labelled:
        assert app.label_date is not None
        counters[app.label_date.year] += 1
        app.label_number = f"{prefix}-{app.label_date.year}-{counters[app.label_date.year]:03d}"


def _write(
    maker: Maker,
    sites: list[Site],
    experts: list[Expert],
    reviews: Reviews,
    seats: list[tuple[CommitteeSession, int]],
) -> None:
    rows, linked = maker.rows, maker.linked
    Call.objects.bulk_create(rows.calls, batch_size=BATCH)
    Criterion.objects.bulk_create(linked(Criterion, rows.criteria), batch_size=BATCH)
    CommitteeSession.objects.bulk_create(rows.sessions, batch_size=BATCH)
    sitting = CommitteeSession.members.through
    sitting.objects.bulk_create(
        [sitting(committeesession_id=s.pk, user_id=u) for s, u in seats], batch_size=BATCH
    )
    apps = [m for site in sites for m in site.apps]
    Application.objects.bulk_create(linked(Application, [m.app for m in apps]), batch_size=BATCH)
    in_domain: Any = Application.domains.through
    in_theme: Any = Application.themes.through
    in_domain.objects.bulk_create(
        [in_domain(application_id=m.app.pk, domain_id=d) for m in apps for d in m.domains],
        batch_size=BATCH,
    )
    in_theme.objects.bulk_create(
        [in_theme(application_id=m.app.pk, theme_id=t) for m in apps for t in m.themes],
        batch_size=BATCH,
    )
    partners = [p for m in apps for p in m.partners]
    Partner.objects.bulk_create(linked(Partner, partners), batch_size=BATCH)
    FundingApplication.objects.bulk_create(
        linked(FundingApplication, rows.fundings), batch_size=BATCH
    )
    FundingLine.objects.bulk_create(linked(FundingLine, rows.lines), batch_size=BATCH)
    ExpertProfile.objects.bulk_create([e.profile for e in experts])
    knows = ExpertProfile.domains.through
    knows.objects.bulk_create(
        [knows(expertprofile_id=e.profile.pk, domain_id=d) for e in experts for d in e.domains]
    )
    ReviewAssignment.objects.bulk_create(
        linked(ReviewAssignment, reviews.assignments), batch_size=BATCH
    )
    Review.objects.bulk_create(linked(Review, reviews.reviews), batch_size=BATCH)
    ReviewScore.objects.bulk_create(linked(ReviewScore, reviews.scores), batch_size=BATCH)
    Conflict.objects.bulk_create(linked(Conflict, reviews.conflicts))


def _portal_org(ctx: DemoContext, health: Cluster) -> int | None:
    user = ctx.objects.get("portal_member")
    if user is None:
        return None
    return (
        Contact.objects.filter(cluster=health, user=user)
        .values_list("organisation_id", flat=True)
        .first()
    )


def _directors(clusters: list[Cluster]) -> dict[int, int]:
    rows = ClusterRole.objects.filter(cluster__in=clusters, role=Role.DIRECTOR).order_by(
        "cluster_id", "user__email"
    )
    directors: dict[int, int] = {}
    for cluster_id, user_id in rows.values_list("cluster_id", "user_id"):
        directors.setdefault(cluster_id, user_id)
    return directors


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = datetime.date.today()
    health: Cluster = ctx.objects["health"]
    regional = [c for c in ctx.objects["clusters"].values() if c != health]
    national: list[Cluster] = ctx.objects.get("national_clusters", [])
    pools = consortium_pools([health, *regional, *national], health)
    rounds = fui_rounds()
    maker = Maker(rng, today, rounds)
    years = list(range(FOUNDED, today.year + 1))

    def site(cluster: Cluster) -> Site:
        # A cluster labels projects from its founding (a pôle of the national list
        # labelled lately by the State, for three years).
        new = cluster.state_label == Cluster.StateLabel.NEW
        start = cluster.founded_year or (today.year - 3 if new else FOUNDED)
        return Site(cluster, start, pools[cluster.pk], cluster_trades(rng, cluster), call_years=2)

    health_site = Site(
        health,
        FOUNDED,
        pools[health.pk],
        list(names.HEALTH_PROFILES),
        domain_ids={d.name_en: d.pk for d in Domain.objects.filter(cluster=health)},
        theme_ids={t.name_en: t.pk for t in Theme.objects.filter(cluster=health)},
        theme_since={
            t.name_en: t.since_year or FOUNDED for t in Theme.objects.filter(cluster=health)
        },
    )
    # The region's share of each national FUI round: 20 to 25 % of the projects it funded.
    targets = {
        r.number: rng.randint(
            math.ceil(FUI_SHARE[0] * r.funded), math.floor(FUI_SHARE[1] * r.funded)
        )
        for r in rounds
    }
    health_fui = make_health(maker, health_site, targets, _portal_org(ctx, health))
    regional_sites = [site(c) for c in regional]
    yearly = {
        y: round(REGION_LABELS_A_YEAR * ramp_factor(y) * rng.uniform(0.94, 1.06)) for y in years
    }
    wanted = {n: targets[n] - health_fui.get(n, 0) for n in targets}
    make_others(maker, regional_sites, yearly, fui_quotas(rng, regional_sites, rounds, wanted))
    national_sites = [site(c) for c in national]
    if national_sites:
        # The rest of France: the rest of each FUI round, and files up to the national total
        # (about 1.5 files for each labelled one).
        made = sum(len(s.apps) for s in [health_site, *regional_sites])
        labels = round(max(0, NATIONAL_PROJECTS - made) / 1.5)
        yearly = dict(
            zip(years, largest_remainder(labels, [ramp_factor(y) for y in years]), strict=True)
        )
        rest = {r.number: r.funded - targets[r.number] for r in rounds}
        make_others(maker, national_sites, yearly, fui_quotas(rng, national_sites, rounds, rest))
    sites = [health_site, *regional_sites, *national_sites]

    # Money: the source document's ten years first, exact to the euro, then the rest.
    figures = [m for m in health_site.apps if m.figures]
    if len(figures) != HEALTH_FUNDED:  # pragma: no cover - the plan above is wrong
        raise AssertionError(f"{len(figures)} funded projects planned, not {HEALTH_FUNDED}")
    draw_budgets(maker, figures, median=3_900_000, total=HEALTH_INVESTMENT)
    granted = draw_aid(rng, figures, total=HEALTH_AID)
    draw_budgets(maker, [m for m in health_site.apps if not m.figures], median=3_900_000)
    draw_budgets(maker, [m for s in sites[1:] for m in s.apps], median=2_200_000)
    rest_funded = [m for s in sites for m in s.apps if m.funder and not m.pending and not m.figures]
    granted |= draw_aid(rng, rest_funded)
    for s in sites:
        for m in s.apps:
            if id(m) not in granted:
                draw_requested(rng, m)
            if m.app.state == S.LABELLED:
                make_fundings(maker, m, granted.get(id(m)))
        _label_numbers(s)

    experts, members = make_people(maker, health_site)
    reviews = make_reviews(maker, health_site, experts)
    seats = make_committee(maker, health_site, members)
    directors = _directors([s.cluster for s in sites[1:]])
    for s in sites[1:]:
        if s.cluster.pk in directors:
            seats += [(session, directors[s.cluster.pk]) for session in s.sessions.values()]
    _write(maker, sites, experts, reviews, seats)

    # One summary entry per cluster instead of one per row (see the module's docstring).
    for s in sites:
        labelled = [m for m in s.apps if m.app.state == S.LABELLED]
        audit_record(
            actor=None,
            action="demo.generated",
            obj=s.cluster,
            cluster=s.cluster,
            after={
                "step": "projects",
                "calls": len(s.calls) + len(s.fui_calls),
                "committee_sessions": len(s.sessions),
                "applications": len(s.apps),
                "labelled": len(labelled),
                "funded": sum(1 for m in labelled if m.funder and not m.pending),
            },
        )
