"""Regions and clusters from the State's phase-V list, and the fully described health cluster."""

from __future__ import annotations

import csv
from importlib import resources
from typing import TYPE_CHECKING

from django.utils.text import slugify

from clusterdesk.core.models import Cluster, Domain, Region, Theme

if TYPE_CHECKING:
    from clusterdesk.demo.build import DemoContext

REGION_SLUG = "auvergne-rhone-alpes"
# The pôles of the region date from the State's first call (2005); a pôle labelled for
# the first time in phase V (Infr@2050) was founded when phase V began.
FIRST_POLES = 2005
PHASE_V_START = 2023
HEALTH_CLUSTER = "LyonBiopôle Auvergne-Rhône-Alpes"
UNKNOWN_REGION = "Région non renseignée"

LABELS = {
    "4 ans": Cluster.StateLabel.FOUR_YEARS,
    "4 ans (2023-2026)": Cluster.StateLabel.FOUR_YEARS,
    "nouvelle labellisation": Cluster.StateLabel.NEW,
}

# The health cluster's own taxonomy (French, English, since).
HEALTH_DOMAINS = [
    ("Médicaments humains", "Human medicines"),
    ("Médicaments vétérinaires", "Veterinary medicines"),
    ("Diagnostic in vitro", "In-vitro diagnostics"),
    ("Dispositifs médicaux et medtech", "Medical devices and medtech"),
]
HEALTH_THEMES = [
    ("Maladies infectieuses", "Infectious diseases", 2005),
    ("Cancer", "Cancer", 2013),
    ("Maladies métaboliques", "Metabolic diseases", 2013),
]


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("clusterdesk.demo").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _label(text: str) -> str:
    if text.startswith("2 ans"):
        return Cluster.StateLabel.PROBATION
    return LABELS.get(text.strip(), Cluster.StateLabel.NONE)


def build(ctx: DemoContext) -> None:
    region = Region.objects.create(name="Auvergne-Rhône-Alpes", slug=REGION_SLUG, code="84")
    clusters = {}
    for row in _rows("poles_auvergne_rhone_alpes_phase5_2023.csv"):
        clusters[row["nom_pole"]] = Cluster.objects.create(
            name=row["nom_pole"],
            slug=slugify(row["nom_pole"].replace("@", "a"))[:80],
            kind=Cluster.Kind.POLE,
            region=region,
            sector=row["thematique_region"],
            seat_city=row["ville_siege"],
            state_label=_label(row["labellisation_phase_V"]),
            source_url=row["source_liste"],
            founded_year=(
                PHASE_V_START
                if _label(row["labellisation_phase_V"]) == Cluster.StateLabel.NEW
                else FIRST_POLES
            ),
        )
    health = clusters[HEALTH_CLUSTER]
    health.founded_year = FIRST_POLES
    health.website = "https://www.lyonbiopole.com"
    health.description = (
        "Pôle de compétitivité santé fondé en 2005 par quatre entreprises de santé et deux "
        "centres de compétences. Il accompagne les PME de l'idée à la bioproduction, labellise "
        "des projets collaboratifs de R&D et héberge des start-up dans un centre d'innovation "
        "doté de laboratoires P2/P3."
    )
    health.save()
    for position, (name, name_en) in enumerate(HEALTH_DOMAINS):
        Domain.objects.create(cluster=health, name=name, name_en=name_en, position=position)
    for position, (name, name_en, since) in enumerate(HEALTH_THEMES):
        Theme.objects.create(
            cluster=health, name=name, name_en=name_en, since_year=since, position=position
        )
    ctx.objects.update(region=region, clusters=clusters, health=health)

    if ctx.scale == "national":
        _national(ctx, known=set(clusters))


def _same_pole(a: str, b: str) -> bool:
    # The national list shortens names: "CARA" is "CARA Auvergne-Rhône-Alpes".
    sa, sb = slugify(a), slugify(b)
    return sa == sb or sa.startswith(sb + "-") or sb.startswith(sa + "-")


def _national(ctx: DemoContext, known: set[str]) -> None:
    """The other phase-V pôles of France, for benchmarks at national scale."""
    regions: dict[str, Region] = {}
    for row in _rows("poles_phase5_2023_2026_partial_transcribed.csv"):
        name = row["nom_pole"].strip()
        if any(_same_pole(name, other) for other in known):
            continue
        known.add(name)
        region_name = row["region_si_citee"].split("(")[0].strip() or UNKNOWN_REGION
        region = regions.get(region_name)
        if region is None:
            region, _created = Region.objects.get_or_create(
                slug=slugify(region_name), defaults={"name": region_name}
            )
            regions[region_name] = region
        ctx.objects.setdefault("national_clusters", []).append(
            Cluster.objects.create(
                name=name,
                slug=slugify(name)[:80],
                region=region,
                state_label=_label(row["statut_labellisation_phase_V"]),
                source_url=row["source_url"],
            )
        )
