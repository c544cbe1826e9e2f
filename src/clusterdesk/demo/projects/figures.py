"""The demo's figures for labelling (the source document's, the region's, the national
ones) and the small helpers that draw from them.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from django.utils.text import slugify

from clusterdesk.core.models import Cluster
from clusterdesk.crm.kinds import OrganisationKind as Kind
from clusterdesk.demo import names
from clusterdesk.projects.models import Application, FundingApplication

if TYPE_CHECKING:
    from random import Random


T = TypeVar("T")
S = Application.State
Status = FundingApplication.Status
# The states of a file on a session's agenda, and of a file experts have reviewed.
ON_AGENDA = {S.AT_COMMITTEE, S.LABELLED, S.NOT_LABELLED, S.REVISE}
REVIEWED = {S.UNDER_REVIEW, S.AT_COMMITTEE, S.LABELLED, S.NOT_LABELLED, S.REVISE}

FOUNDED = 2005
# The source document's ten years of the health cluster, and what they add up to.
FIGURES_FROM, FIGURES_UNTIL = 2005, 2015
HEALTH_FUNDED = 183
HEALTH_INVESTMENT = 870_000_000
HEALTH_AID = 347_000_000
HEALTH_LATER_LABELS = (17, 24)  # labelled a year after 2015
REGION_LABELS_A_YEAR = 350  # by the region's other clusters, in recent years
FUI_SHARE = (0.20, 0.25)  # of each national FUI round, for the region's clusters
NATIONAL_PROJECTS = 20_000
HEALTH_EXPERTS = 14  # besides the demo's expert account
HEALTH_COMMITTEE = 9  # besides the demo's committee member account
COMMITTEE_ACCOUNT_SINCE = 2018  # the demo's committee member sits from then on
EXPERT_ACCOUNT_SINCE = 2019

# The months of the committee sessions; the spring and autumn ones label for the FUI.
SESSION_MONTHS = (3, 6, 10, 12)
FUI_SESSION = {"spring": 3, "autumn": 10}
MONTHS_FR = (
    "",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# A consortium: how many partners (weight), and the shares of its budget by kind.
CONSORTIUM_SIZES = ((2, 10), (3, 25), (4, 30), (5, 20), (6, 10), (7, 5))
BUDGET_WEIGHT: dict[str, float] = {Kind.LARGE_COMPANY: 1.8, Kind.ETI: 1.4}
# Aid as a share of a partner's budget, before scaling (FUI-like rates).
AID_RATE: dict[str, float] = {
    "sme": 0.45,
    Kind.ETI: 0.30,
    Kind.LARGE_COMPANY: 0.25,
    "research": 0.40,
}
OTHER_AID_RATE = 0.25

# Evaluation criteria of every call (French, English, weight).
CRITERIA = (
    ("Caractère innovant", "Innovation", 3),
    ("Qualité et équilibre du consortium", "Consortium quality and balance", 2),
    ("Retombées économiques et emplois", "Economic impact and jobs", 3),
    ("Adéquation à la feuille de route du pôle", "Fit with the cluster's roadmap", 2),
)

# Titles: an opening (French, English, health only), a product, a use.
OPENINGS = (
    ("Développement", "Development of", False),
    ("Nouvelle génération", "A new generation of", False),
    ("Industrialisation", "Scale-up of", False),
    ("Conception et validation", "Design and validation of", False),
    ("Démonstrateur", "A demonstrator of", False),
    ("Plateforme", "A platform of", False),
    ("Validation clinique", "Clinical validation of", True),
    ("Preuve de concept préclinique", "Preclinical proof of concept of", True),
)
ACRONYM_ENDS = (
    "CURE", "MAP", "GRID", "NET", "FAB", "PLUS", "TEK", "WAY", "CORE", "EDGE", "LIFE", "MED",
    "ONE", "LINE", "SYS", "TWIN", "SPEED", "GREEN", "SMART", "BOT",
    "GEN", "SCAN", "TARGET", "CARE", "DIAG", "CELL", "LINK", "PRO", "SENSE", "CHIP", "PATH",
    "OMIC", "TRACK", "NOVA", "FLOW", "LAB", "STAR", "BOOST", "SAFE", "VISION",
)  # fmt: skip

# What the committee writes (French, as staff type it), per decision.
REASONS = {
    S.LABELLED: (
        "Projet structurant pour la filière ; consortium équilibré et marché bien identifié.",
        "Forte innovation technologique ; plan de valorisation crédible.",
        "Partenaires complémentaires et retombées économiques régionales avérées.",
        "Projet au cœur de la feuille de route du pôle ; budget cohérent avec les objectifs.",
        "Excellente qualité scientifique et implication réelle de la PME coordinatrice.",
        "Verrous technologiques clairement identifiés ; jalons et livrables précis.",
    ),
    S.NOT_LABELLED: (
        "Caractère innovant insuffisant au regard de l'état de l'art.",
        "Consortium déséquilibré : la PME porte une part trop faible des travaux.",
        "Marché visé mal identifié ; retombées économiques incertaines.",
        "Projet hors du périmètre stratégique du pôle.",
        "Budget disproportionné au regard des résultats attendus.",
    ),
    S.REVISE: (
        "Projet intéressant ; préciser le plan de valorisation et le rôle du laboratoire.",
        "Budget à consolider et jalons à préciser avant une nouvelle présentation.",
        "Associer un utilisateur final au consortium et revoir l'analyse de marché.",
    ),
    S.INELIGIBLE: (
        "Le consortium ne compte aucun partenaire de recherche, exigé par l'appel.",
        "Dossier incomplet à la clôture de l'appel : annexe financière manquante.",
    ),
    S.WITHDRAWN: (
        "Retiré par le coordinateur : le partenaire industriel a quitté le projet.",
        "Retiré par le coordinateur pour un dépôt direct auprès d'un financeur.",
    ),
}
REVIEW_COMMENTS = {
    "label": (
        "Projet solide, bien positionné ; les livrables sont réalistes.",
        "Innovation réelle et équipe expérimentée ; je recommande le label.",
        "Consortium complémentaire ; quelques risques techniques bien identifiés.",
    ),
    "revise": (
        "Le plan de travail doit être détaillé ; le marché reste à préciser.",
        "Bonne idée, mais le rôle de chaque partenaire est flou.",
    ),
    "reject": (
        "L'innovation est limitée par rapport aux solutions existantes.",
        "Le budget paraît surévalué et le consortium manque d'un industriel.",
    ),
}
SESSION_NOTES = (
    "Quorum atteint. Les rapporteurs ont présenté leurs expertises ; le comité a délibéré "
    "hors de la présence des porteurs de projet.",
    "Quorum atteint. Chaque porteur a présenté son projet dix minutes, suivies de "
    "questions ; les décisions ont été prises à la majorité des membres présents.",
    "Séance tenue en présence des financeurs (État, Région, Bpifrance) à titre "
    "d'observateurs. Les membres en conflit d'intérêts se sont retirés pendant les "
    "délibérations qui les concernaient.",
)


def weighted_choice(rng: Random, pairs: Sequence[tuple[T, float]]) -> T:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def at_hour(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def working_day(day: datetime.date) -> datetime.date:
    """The same day, or the Monday after if it falls on a weekend."""
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def de_noun(article_noun: str) -> str:
    """'de' + a noun that comes with its article: "des batteries" -> "de batteries"."""
    noun = article_noun
    for article in ("des ", "du ", "les ", "le ", "la ", "l'"):
        if noun.startswith(article):
            noun = noun[len(article) :]
            break
    return ("d'" if noun[0].lower() in "aeiouyéèêh" else "de ") + noun


def first_long_word(text: str) -> str:
    """The first long word of ``text``, upper-case without accents ("des capteurs
    agricoles" -> "CAPTEURS")."""
    words = [w for w in slugify(text.replace("'", " ")).split("-") if len(w) > 3]
    return (words[0] if words else slugify(text)).upper()


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in whole numbers in proportion to ``weights``."""
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def cluster_trades(rng: Random, cluster: Cluster) -> list[names.Profile]:
    """The trades of a cluster's projects, from its sector, else from its name."""
    for text in (cluster.sector.lower(), cluster.name.lower()):
        for word, key in names.SECTOR_WORDS:
            if word in text:
                if key == "santé":
                    return list(names.HEALTH_PROFILES)
                return [names.SECTOR_PROFILES[key]]
    return [names.SECTOR_PROFILES[rng.choice(sorted(names.SECTOR_PROFILES))]]
