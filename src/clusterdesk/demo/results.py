"""The demo's results: outcomes of the health cluster's funded projects that add up to the
source document's ten-year record (2005-2015: 153 patents, 21 clinical trials, 405 jobs,
15 start-ups), the Region's yearly grants to its clusters (about 15 M€ a year in all), the
State's ratings, and the national FUI rounds as reference data."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef

from clusterdesk.audit.services import audit_record
from clusterdesk.crm.models import Organisation, Relationship
from clusterdesk.crm.services.organisations import (
    organisation_derive,
    organisations_insert_generated,
)
from clusterdesk.projects.models import Application, FundingApplication, Partner
from clusterdesk.results.models import NationalFundingRound, Outcome, RegionGrant, StateRating

if TYPE_CHECKING:
    from clusterdesk.demo.build import DemoContext

TEN_YEARS = (datetime.date(2005, 1, 1), datetime.date(2015, 12, 31))
# The source document's ten-year record of the health cluster.
PATENTS, TRIALS, JOBS, STARTUPS = 153, 21, 405, 15
REGION_GRANTS_PER_YEAR = Decimal(15_000_000)
TRIAL_REGISTRIES = (("ClinicalTrials.gov", "NCT"), ("EU CTR", "EUCTR"))
PATENT_OFFICES = ("INPI", "EPO", "WIPO")
# Demo ratings, in the words of the State's evaluations of the pôles.
RATINGS = ("Très performant", "Performant", "Moyennement performant")


def _spread(total: int, parts: int, rng: object) -> list[int]:
    """``total`` split into ``parts`` non-negative integers, at random, summing exactly."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))  # type: ignore[attr-defined]
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _day_between(start: datetime.date, end: datetime.date, rng: object) -> datetime.date:
    span = max((end - start).days, 0)
    return start + datetime.timedelta(days=rng.randint(0, span))  # type: ignore[attr-defined]


def _ten_year_projects(ctx: DemoContext) -> list[Application]:
    granted = FundingApplication.objects.filter(application=OuterRef("pk"), status="granted")
    return list(
        Application.objects.filter(
            cluster=ctx.objects["health"], state="labelled", label_date__range=TEN_YEARS
        )
        .filter(Exists(granted))
        .order_by("label_date", "pk")
    )


def _outcomes(ctx: DemoContext) -> None:
    rng, cluster = ctx.rng, ctx.objects["health"]
    projects = _ten_year_projects(ctx)
    if not projects:
        return
    coordinators = {
        p.application_id: p.organisation_id
        for p in Partner.objects.filter(application__in=projects, role="coordinator")
    }
    rows: list[Outcome] = []

    def outcome(project: Application, kind: str, **fields: object) -> None:
        day = _day_between(project.label_date or TEN_YEARS[0], TEN_YEARS[1], rng)
        rows.append(
            Outcome(
                cluster=cluster,
                application=project,
                kind=kind,
                date=day,
                state=Outcome.State.VALIDATED,
                organisation_id=coordinators.get(project.pk),
                **fields,
            )
        )

    for n in range(PATENTS):
        project = rng.choice(projects)
        office = rng.choice(PATENT_OFFICES)
        outcome(
            project,
            Outcome.Kind.PATENT,
            title=f"Brevet {project.acronym}-{n + 1}",
            registry=office,
            reference=f"{office[:2]}{2006 + n % 10}{rng.randint(10**5, 10**6 - 1)}",
        )
    for _ in range(TRIALS):
        project = rng.choice(projects)
        registry, prefix = rng.choice(TRIAL_REGISTRIES)
        outcome(
            project,
            Outcome.Kind.CLINICAL_TRIAL,
            title=f"Essai clinique {project.acronym}",
            registry=registry,
            reference=f"{prefix}{rng.randint(10**7, 10**8 - 1)}",
            phase=rng.choice(("I", "II", "III")),
        )
    job_projects = rng.sample(projects, min(len(projects), 120))
    for project, jobs in zip(job_projects, _spread(JOBS, len(job_projects), rng), strict=True):
        if jobs:
            outcome(
                project,
                Outcome.Kind.JOBS,
                title=f"Emplois créés — {project.acronym}",
                fte=Decimal(jobs),
            )
    startups = []
    for n, project in enumerate(rng.sample(projects, STARTUPS)):
        name = f"{project.acronym.title()} Biotech {n + 1}"
        startup = Organisation(
            name=name, kind="startup", city="Lyon", postal_code="69007", creation_year=2006 + n % 10
        )
        organisation_derive(startup)
        startups.append(startup)
    organisations_insert_generated(organisations=startups)
    Relationship.objects.bulk_create(
        [Relationship(cluster=cluster, organisation=o) for o in startups]
    )
    for org, project in zip(startups, rng.sample(projects, STARTUPS), strict=True):
        outcome(
            project, Outcome.Kind.STARTUP, title=f"Création de {org.name}", new_organisation=org
        )
    # After the ten years: results keep coming, some still to be validated.
    later = list(
        Application.objects.filter(cluster=cluster, state="labelled", label_date__gt=TEN_YEARS[1])
    )
    for project in later[:40]:
        rows.append(
            Outcome(
                cluster=cluster,
                application=project,
                kind=Outcome.Kind.PATENT,
                title=f"Brevet {project.acronym}",
                registry="INPI",
                reference=f"FR{rng.randint(10**6, 10**7 - 1)}",
                date=_day_between(project.label_date or TEN_YEARS[1], datetime.date.today(), rng),
                state=rng.choice((Outcome.State.VALIDATED, Outcome.State.DECLARED)),
            )
        )
    Outcome.objects.bulk_create(rows, batch_size=1000)


def _region(ctx: DemoContext) -> None:
    rng = ctx.rng
    clusters = list(ctx.objects["clusters"].values())
    this_year = datetime.date.today().year
    grants = []
    for year in range(2005, this_year + 1):
        # The Region funds the clusters that exist that year (none before its founding).
        existing = [c for c in clusters if (c.founded_year or 2005) <= year]
        weights = [rng.uniform(0.6, 1.4) for _ in existing]
        total = sum(weights)
        amounts = [
            (REGION_GRANTS_PER_YEAR * Decimal(w / total)).quantize(Decimal(1)) for w in weights
        ]
        amounts[-1] += REGION_GRANTS_PER_YEAR - sum(amounts)  # exactly 15 M€ a year
        grants += [
            RegionGrant(cluster=c, year=year, amount_eur=a, label="Subvention de fonctionnement")
            for c, a in zip(existing, amounts, strict=True)
        ]
    RegionGrant.objects.bulk_create(grants)
    ratings = []
    for cluster in clusters:
        for phase, period in (("III", "2013-2018"), ("IV", "2019-2022")):
            if (cluster.founded_year or 2005) > int(period[:4]):
                continue  # the State rated the pôles of that phase only
            best = cluster == ctx.objects["health"]
            ratings.append(
                StateRating(
                    cluster=cluster,
                    phase=phase,
                    period=period,
                    rating=RATINGS[0] if best else rng.choice(RATINGS),
                )
            )
    StateRating.objects.bulk_create(ratings)


def _national_rounds() -> None:
    data = resources.files("clusterdesk.demo").joinpath("data", "fui_rounds.csv")
    if not data.is_file():
        return
    rows = list(csv.DictReader(data.read_text("utf-8").splitlines()))
    NationalFundingRound.objects.bulk_create(
        [
            NationalFundingRound(
                funder="fui",
                number=int(r["round"]),
                year=int(r["year"]),
                projects_funded=int(r["projects_funded"]),
                source=r.get("source", ""),
            )
            for r in rows
        ],
        ignore_conflicts=True,
    )


def build(ctx: DemoContext) -> None:
    _national_rounds()
    _outcomes(ctx)
    _region(ctx)
    audit_record(
        actor=None, action="demo.generated", obj=ctx.objects["health"], after={"step": "results"}
    )
