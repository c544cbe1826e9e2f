"""The demo's SME support in the health cluster: about a hundred cases a year since 2010,
companies moving through the stages from the idea to the market over the years, a few
dozen experts (one of them the demo's expert account) with their agreements and missions,
actions, outcomes (funds raised, patents, partners, about twenty companies hosted,
applications) and the funding programmes catalogue.

Records are generated with bulk queries (the step takes about a second); one summary entry
goes to the audit log, as in the other steps."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from clusterdesk.audit.services import audit_record
from clusterdesk.core.models import ClusterRole, Domain
from clusterdesk.core.roles import Role
from clusterdesk.crm.kinds import SME_KINDS
from clusterdesk.crm.selectors import member_organisations, organisations_followed
from clusterdesk.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from clusterdesk.projects.models import Partner
from clusterdesk.support.choices import (
    STAGE_ORDER,
    ActionKind,
    Availability,
    CaseStatus,
    FundingRound,
    MissionStatus,
    Need,
    OutcomeKind,
    Stage,
)
from clusterdesk.support.models import (
    CaseAction,
    CaseOutcome,
    Expert,
    ExpertConflict,
    FundingProgramme,
    Mission,
    StagePeriod,
    SupportCase,
)

if TYPE_CHECKING:
    import random

    from clusterdesk.demo.build import DemoContext

FIRST_YEAR = 2010
CASES_PER_YEAR = 100
EXPERTS = 36
HOSTED = 20
STAGES = Stage.values
# How often each need is met, in the words of the source document: market advice, experts,
# fundraising and intellectual property first.
NEEDS: list[tuple[str, int]] = [
    (Need.MARKET_STUDY, 14),
    (Need.TECHNICAL_EXPERTISE, 18),
    (Need.PARTNER_SEARCH, 12),
    (Need.FUNDRAISING, 16),
    (Need.IP, 10),
    (Need.REGULATORY, 12),
    (Need.FUNDING_SEARCH, 12),
    (Need.HOSTING, 3),
    (Need.OTHER, 3),
]
TITLES: dict[str, str] = {
    Need.MARKET_STUDY: "Étude de marché",
    Need.TECHNICAL_EXPERTISE: "Expertise technique",
    Need.PARTNER_SEARCH: "Recherche de partenaire industriel",
    Need.FUNDRAISING: "Levée de fonds",
    Need.IP: "Stratégie de propriété intellectuelle",
    Need.REGULATORY: "Marquage CE et affaires réglementaires",
    Need.FUNDING_SEARCH: "Recherche de financements publics",
    Need.HOSTING: "Hébergement au centre d'innovation",
    Need.OTHER: "Accompagnement",
}
COMPETENCES: dict[str, list[str]] = {
    Need.MARKET_STUDY: ["market access", "étude de marché", "business development"],
    Need.TECHNICAL_EXPERTISE: ["bioproduction", "procédé", "cell therapy", "technical audit"],
    Need.PARTNER_SEARCH: ["licensing", "business development", "partnership"],
    Need.FUNDRAISING: ["fundraising", "venture capital", "levée de fonds"],
    Need.IP: ["patent", "brevet", "freedom to operate"],
    Need.REGULATORY: ["regulatory", "marquage CE", "clinical trials"],
    Need.FUNDING_SEARCH: ["public funding", "financement public", "Horizon Europe"],
    Need.HOSTING: ["laboratory", "BSL-2"],
    Need.OTHER: ["management"],
}
ROUNDS: dict[str, tuple[str, int, int]] = {
    Stage.IDEA: (FundingRound.LOVE_MONEY, 50_000, 300_000),
    Stage.PROOF_OF_CONCEPT: (FundingRound.SEED, 300_000, 2_000_000),
    Stage.PRECLINICAL: (FundingRound.SERIES_A, 2_000_000, 12_000_000),
    Stage.CLINICAL: (FundingRound.SERIES_B, 8_000_000, 35_000_000),
    Stage.INDUSTRIALISATION: (FundingRound.SERIES_C, 15_000_000, 60_000_000),
    Stage.MARKET: (FundingRound.SERIES_C, 10_000_000, 50_000_000),
}
INVESTORS = (
    "Bpifrance",
    "Sofimac Innovation",
    "Kurma Partners",
    "Sofinnova Partners",
    "Auriga",
    "Rhône-Alpes Création",
    "Crédit Agricole Création",
    "Jolt Capital",
    "Business angels",
)
# The catalogue: name, funder, stages, needs, minimum, maximum (euros), deadline month.
PROGRAMMES: tuple[tuple[str, str, list[str], list[str], int, int, int | None], ...] = (
    (
        "Bourse French Tech",
        "bpifrance",
        ["idea", "proof_of_concept"],
        ["fundraising", "funding_search"],
        30_000,
        90_000,
        None,
    ),
    (
        "Prêt d'amorçage",
        "bpifrance",
        ["proof_of_concept", "preclinical"],
        ["fundraising"],
        100_000,
        500_000,
        None,
    ),
    (
        "Aide pour projet d'innovation",
        "bpifrance",
        ["proof_of_concept", "preclinical", "clinical"],
        [],
        100_000,
        3_000_000,
        None,
    ),
    (
        "i-Nov (concours d'innovation)",
        "bpifrance",
        ["preclinical", "clinical"],
        ["funding_search"],
        500_000,
        5_000_000,
        3,
    ),
    (
        "FUI — projets collaboratifs",
        "fui",
        ["proof_of_concept", "preclinical", "clinical"],
        ["partner_search", "funding_search"],
        500_000,
        4_000_000,
        10,
    ),
    (
        "ANR — PRCE",
        "anr",
        ["idea", "proof_of_concept", "preclinical"],
        ["partner_search", "funding_search"],
        200_000,
        800_000,
        11,
    ),
    (
        "Région — Pack Ambition Innovation",
        "region",
        ["proof_of_concept", "preclinical", "clinical"],
        [],
        50_000,
        500_000,
        None,
    ),
    (
        "Région — Pack Ambition Export",
        "region",
        ["market"],
        ["market_study"],
        20_000,
        100_000,
        None,
    ),
    (
        "EIC Pathfinder",
        "eic",
        ["idea", "proof_of_concept"],
        ["funding_search", "partner_search"],
        1_000_000,
        4_000_000,
        5,
    ),
    (
        "EIC Accelerator",
        "eic",
        ["preclinical", "clinical", "industrialisation"],
        ["fundraising", "funding_search"],
        500_000,
        17_500_000,
        1,
    ),
    (
        "Horizon Europe — Cluster Santé",
        "horizon_europe",
        ["preclinical", "clinical"],
        ["partner_search", "funding_search"],
        2_000_000,
        10_000_000,
        4,
    ),
    (
        "Fonds de capital-risque santé",
        "investors",
        ["preclinical", "clinical", "industrialisation"],
        ["fundraising"],
        2_000_000,
        40_000_000,
        None,
    ),
    (
        "Business angels santé",
        "investors",
        ["idea", "proof_of_concept"],
        ["fundraising"],
        100_000,
        1_000_000,
        None,
    ),
)


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _w in pairs], weights=[w for _p, w in pairs])[0]


def _agreement_file(cluster_id: int) -> str:
    """One signed template agreement on file for the demo's experts."""
    name = f"support/{cluster_id}/experts/accord-de-confidentialite.txt"
    if not default_storage.exists(name):
        body = "Accord de confidentialité — réseau d'experts (démonstration)\n"
        name = default_storage.save(name, ContentFile(body.encode()))
    return name


def _experts(ctx: DemoContext, today: datetime.date) -> list[Expert]:
    rng, health = ctx.rng, ctx.objects["health"]
    agreement = _agreement_file(health.pk)
    demo_expert = ClusterRole.objects.filter(cluster=health, role=Role.EXPERT).order_by("pk")
    users = [r.user for r in demo_expert.select_related("user")]
    domains = list(Domain.objects.filter(cluster=health).order_by("position", "pk"))
    needs = [n for n, _w in NEEDS]
    experts = []
    for i in range(EXPERTS):
        user = users[i] if i < len(users) else None
        first = rng.choice(FEMALE_FIRST_NAMES + MALE_FIRST_NAMES)
        name = str(user) if user else f"{first} {rng.choice(LAST_NAMES)}"
        skills = rng.sample(needs, 2)
        competences = sorted(
            {
                c
                for n in skills
                for c in rng.sample(COMPETENCES[n], 2 if len(COMPETENCES[n]) > 1 else 1)
            }
        )
        signed = _day(rng, datetime.date(FIRST_YEAR, 1, 1), today - datetime.timedelta(days=60))
        # Most agreements run for five years and are renewed; a few have lapsed.
        expires = today + datetime.timedelta(days=rng.randint(60, 1500))
        if i % 12 == 11:
            expires = today - datetime.timedelta(days=rng.randint(10, 300))
        experts.append(
            Expert(
                cluster=health,
                user=user,
                name=name,
                email=f"expert{i + 1}@reseau-experts.test" if user is None else user.email,
                organisation_name=rng.choice(
                    (
                        "Cabinet indépendant",
                        "Conseil Santé SAS",
                        "Université Lyon 1",
                        "Ancien dirigeant",
                    )
                ),
                competences=", ".join(competences),
                languages=rng.choice(("fr,en", "fr,en", "fr,en,de", "fr")),
                availability=rng.choice(
                    (Availability.AVAILABLE, Availability.AVAILABLE, Availability.LIMITED)
                ),
                daily_rate_eur=Decimal(rng.randrange(600, 1600, 50)),
                agreement=agreement,
                agreement_signed_on=signed,
                agreement_expires_on=expires,
            )
        )
    experts = Expert.objects.bulk_create(experts)
    through = Expert.domains.through
    through.objects.bulk_create(
        [
            through(expert_id=e.pk, domain_id=d.pk)
            for e in experts
            for d in rng.sample(domains, min(len(domains), rng.randint(1, 2)))
        ]
    )
    return experts


def _programmes(ctx: DemoContext, today: datetime.date) -> None:
    health = ctx.objects["health"]
    rows = []
    for name, funder, stages, needs, low, high, month in PROGRAMMES:
        deadline = None
        if month:
            deadline = datetime.date(today.year, month, 15)
            if deadline < today:
                deadline = deadline.replace(year=today.year + 1)
        rows.append(
            FundingProgramme(
                cluster=health,
                name=name,
                funder=funder,
                stages=stages,
                needs=needs,
                min_amount_eur=Decimal(low),
                max_amount_eur=Decimal(high),
                deadline=deadline,
            )
        )
    FundingProgramme.objects.bulk_create(rows)


def build(ctx: DemoContext) -> None:
    rng, health = ctx.rng, ctx.objects["health"]
    today = datetime.date.today()
    companies = list(
        organisations_followed(cluster=health)
        .filter(kind__in=SME_KINDS)
        .order_by("name", "pk")
        .values_list("pk", flat=True)
    )
    if not companies:
        return
    others = list(
        organisations_followed(cluster=health)
        .exclude(kind__in=SME_KINDS)
        .order_by("name", "pk")
        .values_list("pk", flat=True)
    )
    owners = list(
        ClusterRole.objects.filter(cluster=health, role__in=[Role.DIRECTOR, Role.PROJECT_MANAGER])
        .order_by("user__email")
        .values_list("user_id", flat=True)
    )
    member = ctx.objects.get("portal_member")
    portal_orgs = (
        list(member_organisations(cluster=health, user=member).values_list("pk", flat=True))
        if member
        else []
    )
    applications: dict[int, list[int]] = {}
    for org, app in Partner.objects.filter(cluster=health).values_list(
        "organisation_id", "application_id"
    ):
        applications.setdefault(org, []).append(app)
    experts = _experts(ctx, today)
    _programmes(ctx, today)

    # Each company has its own stage, which only moves forward over the years.
    stage_of: dict[int, int] = {}
    cases: list[SupportCase] = []
    plans: list[tuple[SupportCase, list[tuple[str, datetime.date]]]] = []
    hosted = set(rng.sample(companies, min(HOSTED, len(companies))))
    for year in range(FIRST_YEAR, today.year + 1):
        end_of_year = min(datetime.date(year, 12, 31), today)
        n = CASES_PER_YEAR + rng.randint(-12, 12)
        if year == today.year:
            n = n * today.timetuple().tm_yday // 366
        days = sorted(_day(rng, datetime.date(year, 1, 1), end_of_year) for _ in range(n))
        for opened in days:
            org = (
                rng.choice(portal_orgs)
                if portal_orgs and rng.random() < 0.01
                else rng.choice(companies)
            )
            rank = stage_of.setdefault(org, rng.choices(range(4), weights=(5, 4, 2, 1))[0])
            need = Need.HOSTING if org in hosted and rng.random() < 0.3 else _weighted(rng, NEEDS)
            length = datetime.timedelta(days=rng.randint(60, 720))
            ends = opened + length
            steps = [(STAGES[rank], opened)]
            # A company moves on during one case in three.
            while rank < len(STAGES) - 1 and rng.random() < 0.35:
                rank += 1
                moved = _day(rng, steps[-1][1] + datetime.timedelta(days=30), ends)
                if moved > today:
                    rank -= 1
                    break
                steps.append((STAGES[rank], moved))
            stage_of[org] = rank
            closed = ends <= today
            status = (
                CaseStatus.CLOSED
                if closed
                else rng.choice(
                    (CaseStatus.OPEN, CaseStatus.OPEN, CaseStatus.OPEN, CaseStatus.ON_HOLD)
                )
            )
            if closed and rng.random() < 0.05:
                status = CaseStatus.DECLINED
            case = SupportCase(
                cluster=health,
                organisation_id=org,
                title=TITLES[need],
                need=need,
                stage=steps[-1][0],
                trl=min(9, 1 + STAGE_ORDER[steps[-1][0]] + rng.randint(0, 2)),
                owner_id=rng.choice(owners) if owners else None,
                status=status,
                opened_on=opened,
                closed_on=ends if closed else None,
                stage_since=steps[-1][1],
                satisfaction=rng.choice((3, 4, 4, 5, 5)) if closed and rng.random() < 0.6 else None,
            )
            cases.append(case)
            plans.append((case, steps))
    # A request just made by the demo's member company, waiting for the staff.
    if portal_orgs:
        request = SupportCase(
            cluster=health,
            organisation_id=portal_orgs[0],
            title="Recherche d'un partenaire de bioproduction",
            need=Need.PARTNER_SEARCH,
            stage=STAGES[stage_of.get(portal_orgs[0], 1)],
            status=CaseStatus.REQUESTED,
            opened_on=today,
            stage_since=today,
            requested_by=member,
        )
        cases.append(request)
        plans.append((request, [(request.stage, today)]))
    SupportCase.objects.bulk_create(cases, batch_size=1000)

    periods, actions, outcomes, missions = [], [], [], []
    for case, steps in plans:
        for i, (stage, entered) in enumerate(steps):
            left = steps[i + 1][1] if i + 1 < len(steps) else None
            periods.append(
                StagePeriod(
                    cluster=health, case=case, stage=stage, entered_on=entered, left_on=left
                )
            )
        last = case.closed_on or today
        for k in range(rng.randint(1, 3)):
            kind = (ActionKind.MEETING, ActionKind.NOTE, ActionKind.INTRODUCTION)[k]
            actions.append(
                CaseAction(
                    cluster=health,
                    case=case,
                    kind=kind,
                    date=_day(rng, case.opened_on, last),
                    subject=(
                        "Rendez-vous de cadrage",
                        "Compte rendu d'avancement",
                        "Mise en relation",
                    )[k],
                    introduced_to_id=rng.choice(others)
                    if kind == ActionKind.INTRODUCTION and others
                    else None,
                    shared_with_company=k != 1,
                    author_id=case.owner_id,
                )
            )
        if case.status == CaseStatus.REQUESTED:
            continue
        if (
            case.need in (Need.TECHNICAL_EXPERTISE, Need.REGULATORY, Need.IP, Need.MARKET_STUDY)
            and experts
        ):
            expert = rng.choice(experts)
            start = _day(rng, case.opened_on, last)
            hours = Decimal(rng.randrange(4, 60))
            done = case.closed_on is not None
            missions.append(
                Mission(
                    cluster=health,
                    case=case,
                    expert=expert,
                    title=f"{TITLES[case.need]} — mission d'expertise",
                    status=MissionStatus.DONE if done else MissionStatus.IN_PROGRESS,
                    start_on=start,
                    hours=hours,
                    cost_eur=(expert.daily_rate_eur or Decimal(800)) * hours / 7,
                    report="Rapport remis à l'équipe du pôle." if done else "",
                    reported_on=last if done else None,
                )
            )
        if case.closed_on is None or case.status == CaseStatus.DECLINED or rng.random() < 0.3:
            continue
        day = _day(rng, case.opened_on, case.closed_on)
        if case.need == Need.FUNDRAISING:
            rnd, low, high = ROUNDS[case.stage]
            outcomes.append(
                CaseOutcome(
                    cluster=health,
                    case=case,
                    kind=OutcomeKind.FUNDS_RAISED,
                    date=day,
                    amount_eur=Decimal(rng.randrange(low, high, 10_000)),
                    funding_round=rnd,
                    investors=", ".join(rng.sample(INVESTORS, rng.randint(1, 3))),
                )
            )
        elif case.need == Need.IP:
            outcomes.append(
                CaseOutcome(
                    cluster=health,
                    case=case,
                    kind=OutcomeKind.PATENT_FILED,
                    date=day,
                    reference=f"FR{day.year}{rng.randint(10000, 99999)}",
                )
            )
        elif case.need == Need.PARTNER_SEARCH and others:
            outcomes.append(
                CaseOutcome(
                    cluster=health,
                    case=case,
                    kind=OutcomeKind.PARTNER_FOUND,
                    date=day,
                    partner_id=rng.choice(others),
                )
            )
        elif case.need == Need.FUNDING_SEARCH:
            ours = applications.get(case.organisation_id, [])
            outcomes.append(
                CaseOutcome(
                    cluster=health,
                    case=case,
                    kind=OutcomeKind.APPLICATION_SUBMITTED,
                    date=day,
                    application_id=rng.choice(ours) if ours else None,
                    reference="" if ours else f"ANR-{day.year % 100}-CE{rng.randint(10, 99)}",
                )
            )
    # About twenty companies hosted in the innovation centre, through their cases.
    first_cases: dict[int, SupportCase] = {}
    for case, _steps in plans:
        if case.organisation_id in hosted and case.closed_on:
            first_cases.setdefault(case.organisation_id, case)
    for case in first_cases.values():
        outcomes.append(
            CaseOutcome(cluster=health, case=case, kind=OutcomeKind.HOSTED, date=case.opened_on)
        )
    # Experts who work with a company declare it, and are kept off its cases.
    conflicted = [(e, rng.choice(companies)) for e in rng.sample(experts, min(6, len(experts)))]
    on_case = {(m.expert.pk, m.case.organisation_id) for m in missions}
    conflicts = [
        ExpertConflict(
            cluster=health,
            expert=e,
            organisation_id=org,
            source=ExpertConflict.Source.DECLARED,
            reason="Administrateur de la société",
        )
        for e, org in conflicted
        if (e.pk, org) not in on_case
    ]
    StagePeriod.objects.bulk_create(periods, batch_size=2000)
    CaseAction.objects.bulk_create(actions, batch_size=2000)
    Mission.objects.bulk_create(missions, batch_size=2000)
    CaseOutcome.objects.bulk_create(outcomes, batch_size=2000)
    ExpertConflict.objects.bulk_create(conflicts)
    audit_record(
        actor=None,
        action="demo.generated",
        obj=health,
        after={"step": "support", "cases": len(cases), "experts": len(experts)},
    )
