"""The demo's figures for members (the source document's, the region's, the national ones)
and the small helpers that draw from them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from clusterdesk.crm.kinds import OrganisationKind as Kind

if TYPE_CHECKING:
    from random import Random


T = TypeVar("T")

FOUNDED = 2005
HEALTH_MEMBERS = 170
HEALTH_SMES = 154
HEALTH_PROSPECTS = 12
HEALTH_INTERACTIONS = 320
REGION_COMPANIES = 3_000
NATIONAL_ORGANISATIONS = 15_000
SHARED_SHARE = 0.10  # of the member companies, also members of a second cluster
UNPAID_SHARE = 0.15  # of this year's fees, still unpaid
# Every cluster of the region keeps its whole membership history, since its founding
# (the Region's figures over 2005-2015 count them all); the national scale's other
# clusters keep their last years only (enough for renewal figures, and fast to build).
REGION_HISTORY = None  # since the founding
NATIONAL_HISTORY = 3
MEMBER_EMAIL = "membre@startup.test"
CONTACTS_PER_ORGANISATION = ((1, 40), (2, 35), (3, 15), (4, 10))
STARTUP_AGE = 12  # older start-ups have become SMEs like the others
COMPANY_KINDS = (Kind.TPE, Kind.PME, Kind.STARTUP, Kind.ETI, Kind.LARGE_COMPANY)

# The health cluster's members that are not SMEs: its six founders (four companies and
# two competence centres) first, then those who joined later.
HEALTH_FOUNDERS = (
    Kind.LARGE_COMPANY,
    Kind.LARGE_COMPANY,
    Kind.LARGE_COMPANY,
    Kind.LARGE_COMPANY,
    Kind.RESEARCH_ORG,
    Kind.TECH_PLATFORM,
)
HEALTH_LATER_NON_SMES = (
    Kind.LARGE_COMPANY,
    Kind.ETI,
    Kind.ETI,
    Kind.RESEARCH_ORG,
    Kind.RESEARCH_ORG,
    Kind.RESEARCH_ORG,
    Kind.HIGHER_EDUCATION,
    Kind.HOSPITAL,
    Kind.BANK_INVESTOR,
    Kind.ECONOMIC_DEVELOPMENT,
)

# Membership categories (French, English, voting right, kinds; None: every other kind).
CATEGORIES: tuple[tuple[str, str, bool, frozenset[str] | None], ...] = (
    ("Entreprises", "Companies", True, frozenset(COMPANY_KINDS)),
    (
        "Académiques et recherche",
        "Academia and research",
        True,
        frozenset({Kind.RESEARCH_ORG, Kind.HIGHER_EDUCATION, Kind.HOSPITAL, Kind.TECH_PLATFORM}),
    ),
    ("Partenaires", "Partners", False, None),
)
# The health cluster's fee grid: (category index, kind, from, to employees, euros).
FEE_GRID: tuple[tuple[int, str, int, int | None, int], ...] = (
    (0, Kind.STARTUP, 0, None, 500),
    (0, Kind.TPE, 0, None, 800),
    (0, Kind.PME, 0, 49, 1_200),
    (0, Kind.PME, 50, 99, 2_000),
    (0, Kind.PME, 100, 249, 3_500),
    (0, Kind.ETI, 0, None, 6_000),
    (0, Kind.LARGE_COMPANY, 0, None, 10_000),
    (0, "", 0, None, 1_500),
    (1, "", 0, None, 2_000),
    (1, Kind.TECH_PLATFORM, 0, None, 1_500),
    (2, Kind.BANK_INVESTOR, 0, None, 2_500),
    (2, "", 0, None, 1_000),
)

# (headcount band, weight) per company kind, and the turnover band that goes with it.
HEADCOUNTS: dict[str, tuple[tuple[str, float], ...]] = {
    Kind.STARTUP: (("01", 3), ("02", 3), ("03", 2), ("11", 2), ("12", 1)),
    # No "00" (nobody at year end) yet: crm.selectors._sme_q reads its upper bound of 0 as
    # "no bound", so the SME filter and Organisation.is_sme would disagree on it.
    Kind.TPE: (("01", 3), ("02", 3), ("03", 2)),
    Kind.PME: (("11", 3), ("12", 4), ("21", 2), ("22", 1.5), ("31", 0.5)),
    Kind.ETI: (("32", 2), ("41", 2), ("42", 1)),
    Kind.LARGE_COMPANY: (("42", 1), ("51", 2), ("52", 1), ("53", 1)),
}
TURNOVERS = {
    "00": ("0-2m",),
    "01": ("0-2m",),
    "02": ("0-2m",),
    "03": ("0-2m",),
    "11": ("0-2m", "2m-10m"),
    "12": ("2m-10m",),
    "21": ("2m-10m", "10m-50m"),
    "22": ("10m-50m",),
    "31": ("10m-50m",),
    "32": ("50m-250m",),
    "41": ("50m-250m", "250m-1500m"),
    "42": ("250m-1500m",),
    "51": ("250m-1500m", "1500m+"),
    "52": ("1500m+",),
    "53": ("1500m+",),
}
# Kinds of the companies of the other clusters, and of those that left.
OTHER_KINDS = (
    (Kind.STARTUP, 20),
    (Kind.TPE, 25),
    (Kind.PME, 45),
    (Kind.ETI, 6),
    (Kind.LARGE_COMPANY, 4),
)
FORMER_KINDS = ((Kind.STARTUP, 45), (Kind.TPE, 25), (Kind.PME, 27), (Kind.ETI, 3))
CREATION_YEARS: dict[str, tuple[int, int]] = {
    Kind.TPE: (1985, 2020),
    Kind.PME: (1950, 2015),
    Kind.ETI: (1920, 1995),
    Kind.LARGE_COMPANY: (1850, 1980),
}
NAME_QUALIFIERS = (
    "Innovation",
    "Solutions",
    "Systems",
    "France",
    "Europe",
    "Technologies",
    "Group",
)
# Verbs of the descriptions (French, English).
VERBS = (
    ("développe", "develops"),
    ("conçoit et fabrique", "designs and makes"),
    ("met au point", "develops"),
    ("commercialise", "sells"),
)
LA_POSTE_SIREN = "356000000"  # its SIRETs follow another rule: never generate it


def weighted_choice(rng: Random, pairs: Sequence[tuple[T, float]]) -> T:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def weighted_sample(rng: Random, items: Sequence[T], weights: Sequence[float], k: int) -> list[T]:
    """``k`` items without replacement, each drawn in proportion to its weight
    (Efraimidis and Spirakis: the ``k`` largest ``u ** (1 / w)``)."""
    keyed = sorted(
        ((rng.random() ** (1 / w), i) for i, w in enumerate(weights)), key=lambda p: -p[0]
    )
    return [items[i] for _key, i in keyed[:k]]


def day_between(rng: Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))
