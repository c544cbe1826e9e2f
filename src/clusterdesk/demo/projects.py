"""The labelling demo: calls, applications and their consortia, experts and reviews,
committee sessions, labels and funding, for every cluster of the demo.

The health cluster gets the source document's figures: from 2005 to 2015 it labelled 183
projects that were then funded, with 870 M€ of investment (the sum of their partners'
budgets) and 347 M€ of public aid (the sum of the amounts granted to them). Amounts are
drawn at random, then scaled, and the last ones adjusted so that both sums are exact to
the euro. After 2015 it goes on labelling about twenty projects a year; this year's call
has files in every state of the workflow, reviewed by its experts
(``expert@lyonbiopole.test`` among them) for a coming committee session.

The region's other clusters together label about 350 projects a year lately; with the
health cluster, the region's projects take 20 to 25 % of each national FUI round, whose sizes
are data (``data/fui_rounds.csv``). ``--scale national`` gives the rest of France's
clusters the rest of each round and brings the projects to about 20,000.

Rows are written with ``bulk_create`` (one service call per row would take minutes); each
cluster gets one ``demo.generated`` audit entry counting what was made for it. Experts and
reviews are generated for the health cluster only, the one the demo describes in full.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from itertools import accumulate
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.models import Cluster, ClusterRole, Domain, Theme
from clusterdesk.core.roles import Role
from clusterdesk.crm.kinds import SME_KINDS
from clusterdesk.crm.kinds import OrganisationKind as Kind
from clusterdesk.crm.models import Contact, Relationship
from clusterdesk.crm.sme import sme_from_bands
from clusterdesk.demo import names
from clusterdesk.demo.people import HEALTH_DOMAIN
from clusterdesk.projects.models import (
    Application,
    Call,
    CommitteeSession,
    Conflict,
    Criterion,
    ExpertProfile,
    Funder,
    FundingApplication,
    FundingLine,
    Partner,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from clusterdesk.projects.selectors.applications import RESEARCH_KINDS

if TYPE_CHECKING:
    from random import Random

    from clusterdesk.demo.build import DemoContext

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


def _weighted(rng: Random, pairs: Sequence[tuple[T, float]]) -> T:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _weekday(day: datetime.date) -> datetime.date:
    """The same day, or the Monday after if it falls on a weekend."""
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _of(article_noun: str) -> str:
    """'de' + a noun that comes with its article: "des batteries" -> "de batteries"."""
    noun = article_noun
    for article in ("des ", "du ", "les ", "le ", "la ", "l'"):
        if noun.startswith(article):
            noun = noun[len(article) :]
            break
    return ("d'" if noun[0].lower() in "aeiouyéèêh" else "de ") + noun


def _word(text: str) -> str:
    """The first long word of ``text``, upper-case without accents ("des capteurs
    agricoles" -> "CAPTEURS")."""
    words = [w for w in slugify(text.replace("'", " ")).split("-") if len(w) > 3]
    return (words[0] if words else slugify(text)).upper()


def _largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in whole numbers in proportion to ``weights``."""
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _trades(rng: Random, cluster: Cluster) -> list[names.Profile]:
    """The trades of a cluster's projects, from its sector, else from its name."""
    for text in (cluster.sector.lower(), cluster.name.lower()):
        for word, key in names.SECTOR_WORDS:
            if word in text:
                if key == "santé":
                    return list(names.HEALTH_PROFILES)
                return [names.SECTOR_PROFILES[key]]
    return [names.SECTOR_PROFILES[rng.choice(sorted(names.SECTOR_PROFILES))]]


# -- reference data ---------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """A national FUI round: its call and the projects it funded across France."""

    number: int
    year: int
    season: str
    funded: int

    @property
    def opens_on(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.season == "spring" else 6, 15)

    @property
    def closes_on(self) -> datetime.date:
        return (
            datetime.date(self.year, 3, 31)
            if self.season == "spring"
            else (datetime.date(self.year, 10, 31))
        )

    @property
    def session(self) -> tuple[int, int]:
        return (self.year, FUI_SESSION[self.season])


def fui_rounds() -> list[Round]:
    text = resources.files("clusterdesk.demo").joinpath("data", "fui_rounds.csv")
    rows = csv.DictReader(text.read_text("utf-8").splitlines())
    return [
        Round(int(r["round"]), int(r["year"]), r["season"], int(r["projects_funded"])) for r in rows
    ]


# -- organisations a cluster draws its consortia from ----------------------------------------


@dataclass(frozen=True)
class _Org:
    pk: int
    name: str
    kind: str
    sme: bool
    research: bool
    company: bool
    joined: int
    created: int
    domains: tuple[int, ...] = ()


class _Pool:
    """A cluster's organisations (its CRM relationships), weighted per year: those that
    were members by then count fully, those that joined later (the project brought them
    in) a fifth; an organisation created after the year is left out."""

    def __init__(self, orgs: list[_Org]) -> None:
        self.orgs = orgs
        self.years: dict[int, dict[str, tuple[list[_Org], list[float]]]] = {}

    def year(self, year: int) -> dict[str, tuple[list[_Org], list[float]]]:
        if year not in self.years:
            groups: dict[str, list[tuple[_Org, float]]] = defaultdict(list)
            for o in self.orgs:
                if o.created > year:
                    continue
                weight = 1.0 if o.joined <= year else 0.2
                if o.sme:
                    groups["sme"].append((o, weight))
                if o.research:
                    groups["research"].append((o, weight))
                if o.company:
                    groups["company"].append((o, weight))
                    if not o.sme:
                        groups["large"].append((o, weight))
            self.years[year] = {
                name: ([o for o, _w in pairs], list(accumulate(w for _o, w in pairs)))
                for name, pairs in groups.items()
            }
        return self.years[year]

    def draw(self, rng: Random, year: int, group: str) -> _Org | None:
        groups = self.year(year)
        fallback = "company" if group in ("sme", "large") else "sme"
        orgs, cumulative = groups.get(group) or groups.get(fallback) or ([], [])
        if not orgs:
            return None
        return rng.choices(orgs, cum_weights=cumulative)[0]


def _pools(clusters: list[Cluster], health: Cluster) -> dict[int, _Pool]:
    domains: dict[int, list[int]] = defaultdict(list)
    through = Relationship.domains.through
    for org_id, domain_id in (
        through.objects.filter(relationship__cluster=health)
        .order_by("relationship__organisation_id", "domain_id")
        .values_list("relationship__organisation_id", "domain_id")
    ):
        domains[org_id].append(domain_id)
    orgs: dict[int, list[_Org]] = defaultdict(list)
    rows = (
        Relationship.objects.filter(cluster__in=clusters)
        .order_by("cluster_id", "organisation_id")
        .values_list(
            "cluster_id",
            "created_at",
            "organisation_id",
            "organisation__name",
            "organisation__kind",
            "organisation__creation_year",
            "organisation__headcount_band",
            "organisation__turnover_band",
            "organisation__sme_override",
        )
    )
    companies = {Kind.TPE, Kind.PME, Kind.STARTUP, Kind.ETI, Kind.LARGE_COMPANY}
    for cluster_id, created_at, pk, name, kind, creation, headcount, turnover, override in rows:
        sme = override
        if sme is None:
            sme = sme_from_bands(headcount or None, turnover or None)
        if sme is None:
            sme = kind in SME_KINDS
        orgs[cluster_id].append(
            _Org(
                pk=pk,
                name=name,
                kind=kind,
                sme=bool(sme) and kind in companies,
                research=kind in RESEARCH_KINDS,
                company=kind in companies,
                joined=created_at.year,
                created=creation or FOUNDED,
                domains=tuple(domains.get(pk, ())) if cluster_id == health.pk else (),
            )
        )
    return {c.pk: _Pool(orgs[c.pk]) for c in clusters}


# -- what is generated ---------------------------------------------------------------------


@dataclass(eq=False)
class _App:
    """An application being made, with what its money and reviews are made from."""

    app: Application
    call: Call
    consortium: list[tuple[_Org, str]]
    session: CommitteeSession | None
    year: int
    funder: str = ""  # the funder that granted it; empty: not funded (yet)
    fui_round: Round | None = None
    tried_fui: Round | None = None  # refused by that round
    pending: bool = False  # labelled lately: its funding is not decided yet
    figures: bool = False  # one of the 183 projects of the source document
    partners: list[Partner] = field(default_factory=list)
    domains: list[int] = field(default_factory=list)
    themes: list[int] = field(default_factory=list)


@dataclass
class _Site:
    """One cluster being filled: its organisations, calls, sessions and applications."""

    cluster: Cluster
    start: int
    pool: _Pool
    profiles: list[names.Profile]
    calls: dict[int, Call] = field(default_factory=dict)
    fui_calls: dict[int, Call] = field(default_factory=dict)
    sessions: dict[tuple[int, int], CommitteeSession] = field(default_factory=dict)
    apps: list[_App] = field(default_factory=list)
    acronyms: set[str] = field(default_factory=set)
    call_years: int = 1  # a labelling call every year, or every two years
    # The health cluster's taxonomy: English name -> pk, and themes' first years.
    domain_ids: dict[str, int] = field(default_factory=dict)
    theme_ids: dict[str, int] = field(default_factory=dict)
    theme_since: dict[str, int] = field(default_factory=dict)


@dataclass
class _Rows:
    calls: list[Call] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    sessions: list[CommitteeSession] = field(default_factory=list)
    session_members: list[tuple[CommitteeSession, int]] = field(default_factory=list)
    fundings: list[FundingApplication] = field(default_factory=list)
    lines: list[FundingLine] = field(default_factory=list)


class _Maker:
    """Makes the calls, sessions and applications of every cluster."""

    def __init__(self, rng: Random, today: datetime.date, rounds: list[Round]) -> None:
        self.rng = rng
        self.today = today
        self.rounds = rounds
        self.rounds_at = {r.session: r for r in rounds}
        self.rows = _Rows()
        self.codes: set[str] = set()
        self.criteria: dict[int, list[Criterion]] = {}  # id(call) -> its criteria
        # Foreign keys to rows not written yet: (row, attribute, row it points to), set when
        # the rows are written (assigning model instances costs more than the ids).
        self.links: dict[type, list[tuple[Any, str, Any]]] = defaultdict(list)

    def link(self, obj: Any, attname: str, target: Any) -> None:
        self.links[type(obj)].append((obj, attname, target))

    def linked(self, model: type[T], objs: list[T]) -> list[T]:
        """``objs``, their foreign keys set now that the rows they point to are written."""
        for obj, attname, target in self.links.pop(model, []):
            setattr(obj, attname, target.pk)
        return objs

    # calls and sessions

    def _criteria(self, cluster: Cluster, call: Call) -> None:
        made = [
            Criterion(cluster_id=cluster.pk, name=fr, name_en=en, weight=w, position=n)
            for n, (fr, en, w) in enumerate(CRITERIA, start=1)
        ]
        for criterion in made:
            self.link(criterion, "call_id", call)
        self.criteria[id(call)] = made
        self.rows.criteria += made

    def call(self, site: _Site, year: int) -> Call:
        first = year - (year - site.start) % site.call_years
        if first not in site.calls:
            last = first + site.call_years - 1
            title = f"Appel à projets de labellisation {first}"
            if last > first:
                title += f"-{last}"
            call = Call(
                cluster_id=site.cluster.pk,
                title=title,
                kind=Call.Kind.LABELLING,
                reference=f"LAB-{first}",
                description=(
                    "Projets collaboratifs de R&D associant au moins une PME et un partenaire "
                    "de recherche, examinés par le comité de labellisation du pôle."
                ),
                opens_on=datetime.date(first, 1, 6),
                closes_on=datetime.date(last, 11, 30),
                review_deadline=datetime.date(last, 11, 20),
                created_at=_at(datetime.date(first - 1, 12, 10)),
            )
            site.calls[first] = call
            self.rows.calls.append(call)
            self._criteria(site.cluster, call)
        return site.calls[first]

    def fui_call(self, site: _Site, fui: Round) -> Call:
        if fui.number not in site.fui_calls:
            ordinal = "1er" if fui.number == 1 else f"{fui.number}e"
            call = Call(
                cluster_id=site.cluster.pk,
                title=f"FUI — {ordinal} appel à projets",
                kind=Call.Kind.FUNDING_ROUND,
                funder=Funder.FUI,
                reference=f"FUI {fui.number}",
                description=(
                    "Labellisation des projets présentés au Fonds unique interministériel : "
                    "au moins deux entreprises et un laboratoire, coordination par une "
                    "entreprise."
                ),
                opens_on=fui.opens_on,
                closes_on=fui.closes_on,
                min_partners=3,
                created_at=_at(fui.opens_on),
            )
            site.fui_calls[fui.number] = call
            self.rows.calls.append(call)
            self._criteria(site.cluster, call)
        return site.fui_calls[fui.number]

    def session(self, site: _Site, year: int, month: int) -> CommitteeSession:
        key = (year, month)
        if key not in site.sessions:
            rng = self.rng
            day = _weekday(datetime.date(year, month, rng.randint(4, 22)))
            city = site.cluster.seat_city or "Lyon"
            remote = year in (2020, 2021) or (year > 2021 and rng.random() < 0.3)
            location = "Visioconférence" if remote else f"Siège du pôle, {city}"
            session = CommitteeSession(
                cluster_id=site.cluster.pk,
                title=f"Comité de labellisation {_of(MONTHS_FR[month])} {year}",
                date=day,
                location=location,
                minutes=rng.choice(SESSION_NOTES) if day < self.today else "",
            )
            site.sessions[key] = session
            self.rows.sessions.append(session)
        return site.sessions[key]

    def session_months(self, site: _Site, year: int) -> tuple[int, ...]:
        # The clusters were labelled by the State in July 2005: their first committees sat
        # in the autumn.
        return tuple(m for m in SESSION_MONTHS if year > FOUNDED or m >= 10)

    # applications

    def acronym(self, site: _Site, profile: names.Profile, product: str, use: str) -> str:
        """A project name: a stem of the trade and an ending, or syllables of what the
        project makes and what for; a second project of the same name gets a number."""
        rng = self.rng
        words = [_word(product), _word(use)]
        word = ""
        for attempt in range(60):
            if rng.random() < 0.5:
                word = rng.choice(profile.prefixes).upper() + rng.choice(ACRONYM_ENDS)
            else:
                first, second = words if rng.random() < 0.7 else words[::-1]
                word = first[: rng.randint(3, 5)] + second[: rng.randint(3, 5)]
            if attempt >= 30:
                word += f"-{rng.randint(2, 9)}"
            if word not in site.acronyms:
                break
        number = 10
        while word in site.acronyms:
            word = f"{word.rsplit('-', 1)[0]}-{number}"
            number += 1
        site.acronyms.add(word)
        return word

    def consortium(self, site: _Site, year: int, research: float = 0.85) -> list[tuple[_Org, str]]:
        rng, pool = self.rng, site.pool
        size = _weighted(rng, CONSORTIUM_SIZES)
        lead = pool.draw(rng, year, "sme" if rng.random() < 0.8 else "large")
        if lead is None:
            raise RuntimeError(f"{site.cluster} has no organisation to make a project with.")
        members: list[tuple[_Org, str]] = [(lead, Partner.Role.COORDINATOR)]
        seen = {lead.pk}
        wanted: list[str] = []
        if rng.random() < research:
            wanted += ["research"] * (2 if size >= 5 and rng.random() < 0.4 else 1)
        wanted += ["company"] * max(0, size - 1 - len(wanted))
        for group in wanted:
            for _try in range(6):
                org = pool.draw(rng, year, group)
                if org is not None and org.pk not in seen:
                    seen.add(org.pk)
                    role = Partner.Role.PARTNER
                    if group == "company" and rng.random() < 0.08:
                        role = Partner.Role.SUBCONTRACTOR
                    members.append((org, role))
                    break
        return members

    def code(self) -> str:
        # Drawn from the seeded generator so that the demo is reproducible; real codes
        # come from ``Application.new_label_code`` (the secrets module).
        while True:
            code = f"{self.rng.getrandbits(48):012X}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    def application(
        self,
        site: _Site,
        *,
        year: int,
        state: str,
        session: CommitteeSession | None,
        fui: Round | None = None,
        consortium: list[tuple[_Org, str]] | None = None,
    ) -> _App:
        rng = self.rng
        members = consortium or self.consortium(site, year)
        lead = members[0][0]
        profiles = site.profiles
        if lead.domains:  # the health cluster: the coordinator's own domain
            mine = [p for p in profiles if site.domain_ids.get(p.domain) in lead.domains]
            profiles = mine or profiles
        profile = rng.choice(profiles)
        themes = {t for t, since in site.theme_since.items() if since <= year}
        uses = [u for u in profile.uses if not u[2] or u[2] in themes]
        product, product_en = rng.choice(profile.products)
        use, use_en, theme = rng.choice(uses or profile.uses)
        health = bool(site.domain_ids)
        opening, opening_en, _clinical = rng.choice([o for o in OPENINGS if health or not o[2]])
        title = f"{opening} {_of(product)} pour {use}"
        acronym = self.acronym(site, profile, product, use)
        duration = rng.choice((24, 30, 36, 36, 42, 48))
        trl = rng.randint(2, 5)
        app = Application(
            cluster_id=site.cluster.pk,
            acronym=acronym,
            title=title,
            summary=(
                f"Coordonné par {lead.name}, le projet {acronym} porte sur {product} pour "
                f"{use}. Il réunit {len(members)} partenaires autour d'un programme de R&D "
                f"collaboratif de {duration} mois."
            ),
            summary_en=(
                f"Coordinated by {lead.name}, {acronym} works on {product_en} for {use_en}, "
                f"with {len(members)} partners over {duration} months "
                f"({opening_en[0].lower() + opening_en[1:]} {product_en})."
            ),
            trl_start=trl,
            trl_target=min(9, trl + rng.randint(2, 3)),
            duration_months=duration,
            state=state,
        )
        call = self.fui_call(site, fui) if fui else self.call(site, year)
        self.link(app, "call_id", call)
        if session is not None and state in ON_AGENDA:
            # On the agenda from the moment the file goes to the committee.
            self.link(app, "committee_session_id", session)
        made = _App(app=app, call=call, consortium=members, session=session, year=year)
        if lead.domains:
            made.domains = [lead.domains[0]]
        if theme in site.theme_ids:
            made.themes = [site.theme_ids[theme]]
        self._dates(made)
        site.apps.append(made)
        return made

    def _dates(self, made: _App) -> None:
        rng, app, today = self.rng, made.app, self.today
        session = made.session
        if session is not None:
            submitted = session.date - datetime.timedelta(days=rng.randint(40, 110))
            submitted = min(submitted, today - datetime.timedelta(days=rng.randint(2, 20)))
        elif made.year < today.year:
            submitted = datetime.date(made.year, rng.randint(2, 11), rng.randint(1, 28))
        else:
            submitted = today - datetime.timedelta(days=rng.randint(3, 40))
        app.created_at = _at(submitted - datetime.timedelta(days=rng.randint(10, 70)), 9)
        if app.state != S.DRAFT:
            app.submitted_at = _at(submitted, 16)
        if app.state in REASONS:
            app.state_reason = rng.choice(REASONS[S(app.state)])
        if app.state in (S.LABELLED, S.NOT_LABELLED, S.REVISE) and session is not None:
            app.decided_at = _at(session.date, 17)
        if app.state == S.LABELLED and session is not None:
            app.label_date = session.date
            app.label_code = self.code()

    def in_progress(self, session: CommitteeSession) -> str:
        """The state of a file awaiting a session that has not sat yet."""
        days = (session.date - self.today).days
        if days <= 30:
            # A few reviews are late for the coming session.
            return S.AT_COMMITTEE if self.rng.random() < 0.65 else S.UNDER_REVIEW
        if days <= 90:
            return S.UNDER_REVIEW
        return S.ELIGIBLE if self.rng.random() < 0.6 else S.SUBMITTED


def _partners_of_kind(members: list[tuple[_Org, str]]) -> list[float]:
    weights = []
    for org, role in members:
        weight = BUDGET_WEIGHT.get(org.kind, 1.0)
        if role == Partner.Role.COORDINATOR:
            weight *= 1.4
        elif role == Partner.Role.SUBCONTRACTOR:
            weight *= 0.3
        weights.append(weight)
    return weights


def _aid_rate(org: _Org, role: str) -> float:
    if role == Partner.Role.SUBCONTRACTOR:
        return 0.0
    if org.research:
        return AID_RATE["research"]
    if org.sme:
        return AID_RATE["sme"]
    return AID_RATE.get(org.kind, OTHER_AID_RATE)


def _scaled(total: int, raw: Sequence[float]) -> list[int]:
    """Whole euros in proportion to ``raw``, summing to ``total`` exactly: each amount is
    rounded down, and the last one that is not zero takes what rounding left."""
    factor = total / sum(raw)
    amounts = [math.floor(r * factor) for r in raw]
    last = max(i for i, r in enumerate(raw) if r > 0)
    amounts[last] += total - sum(amounts)
    return amounts


# -- money: budgets, aid, funding applications ------------------------------------------------


def _budgets(maker: _Maker, apps: list[_App], median: float, total: int | None = None) -> None:
    """Each project's budget (drawn, or scaled to ``total``) split among its partners."""
    rng = maker.rng
    raw = [rng.lognormvariate(math.log(median), 0.55) for _ in apps]
    budgets = _scaled(total, raw) if total is not None else [round(r) for r in raw]
    for made, budget in zip(apps, budgets, strict=True):
        weights = [w * rng.uniform(0.6, 1.4) for w in _partners_of_kind(made.consortium)]
        shares = _scaled(budget, weights)
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


def _aid(rng: Random, apps: list[_App], total: int | None = None) -> dict[int, list[int]]:
    """Aid granted to each partner (id(app) -> whole euros per partner), FUI-like rates;
    scaled so that the whole adds up to ``total`` when it is given. Requested amounts are
    set on the partners (a little more than granted, never more than their budget)."""
    raw = []
    for made in apps:
        for partner, (org, role) in zip(made.partners, made.consortium, strict=True):
            raw.append(float(partner.budget_eur) * _aid_rate(org, role) * rng.uniform(0.9, 1.1))
    amounts = _scaled(total, raw) if total is not None else [math.floor(r) for r in raw]
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


def _requested(rng: Random, made: _App) -> None:
    """Aid requested by the partners of a project that was not (or not yet) granted any."""
    for partner, (org, role) in zip(made.partners, made.consortium, strict=True):
        rate = _aid_rate(org, role) * rng.uniform(1.0, 1.2)
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
    maker: _Maker,
    made: _App,
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
    maker: _Maker, funding: FundingApplication, partner: Partner, requested: int, granted: int = 0
) -> None:
    line = FundingLine(
        cluster_id=partner.cluster_id,
        requested_eur=Decimal(requested),
        granted_eur=Decimal(granted),
    )
    maker.link(line, "funding_id", funding)
    maker.link(line, "partner_id", partner)
    maker.rows.lines.append(line)


def _fundings(maker: _Maker, made: _App, granted: list[int] | None) -> None:
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
        funder = Funder.FUI if made.tried_fui else _weighted(rng, FUNDERS)
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
        funder = Funder.FUI if made.tried_fui else _weighted(rng, FUNDERS)
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
    start = _add_months(decided.replace(day=1), rng.randint(1, 3))
    end = _add_months(start, app.duration_months or 36) - datetime.timedelta(days=1)
    app.start_date, app.end_date = start, end
    if end < today:
        app.project_status = Application.ProjectStatus.COMPLETED
    elif start <= today:
        app.project_status = Application.ProjectStatus.RUNNING


# -- the health cluster ------------------------------------------------------------------------


def _fund_or_not(maker: _Maker, made: _App, *, funded: bool) -> None:
    """Whether a labelled project's funding is decided yet, and who funds it (FUI grants
    are given by the caller, which keeps count of them)."""
    label = made.app.label_date
    assert label is not None
    made.pending = label > maker.today - datetime.timedelta(days=240)
    if funded and not made.funder:
        made.funder = _weighted(maker.rng, FUNDERS)
    if not funded:
        made.funder = ""


def _health(
    maker: _Maker, site: _Site, targets: dict[int, int], portal_org: int | None
) -> dict[int, int]:
    """The health cluster's files since 2005 (see the module's docstring)."""
    rng, today = maker.rng, maker.today
    figure_years = list(range(FIGURES_FROM, FIGURES_UNTIL + 1))
    ramp = [
        (0.35 if y == FOUNDED else min(1.0, 0.6 + 0.1 * (y - FOUNDED))) * rng.uniform(0.9, 1.1)
        for y in figure_years
    ]
    funded_by_year = dict(zip(figure_years, _largest_remainder(HEALTH_FUNDED, ramp), strict=True))
    fui_taken: dict[int, int] = defaultdict(int)
    for year in range(FOUNDED, today.year + 1):
        if year in funded_by_year:
            funded = funded_by_year[year]
            labelled = funded + round(funded * rng.uniform(0.12, 0.25))
        else:
            labelled = rng.randint(*HEALTH_LATER_LABELS)
            funded = round(labelled * rng.uniform(0.72, 0.85))
        outcomes = ["funded"] * funded + ["unfunded"] * (labelled - funded)
        outcomes += [S.NOT_LABELLED] * round(labelled * rng.uniform(0.3, 0.45))
        outcomes += [S.REVISE] * rng.randint(1, 3)
        rng.shuffle(outcomes)
        months = maker.session_months(site, year)
        for outcome in outcomes:
            month = rng.choice(months)
            session = maker.session(site, year, month)
            fui = maker.rounds_at.get((year, month))
            if session.date >= today:
                in_fui = fui is not None and rng.random() < 0.4
                maker.application(
                    site,
                    year=year,
                    state=maker.in_progress(session),
                    session=session,
                    fui=fui if in_fui else None,
                )
                continue
            state = S.LABELLED if outcome in ("funded", "unfunded") else outcome
            # At the sessions before an FUI round closes, some files go to the round.
            to_fui = fui is not None and rng.random() < (0.5 if state == S.LABELLED else 0.4)
            if (
                outcome == "funded"
                and fui is not None
                and fui_taken[fui.number] >= targets[fui.number]
            ):
                to_fui = False
            made = maker.application(
                site, year=year, state=state, session=session, fui=fui if to_fui else None
            )
            if state != S.LABELLED:
                continue
            if to_fui:
                made.tried_fui = fui
                if outcome == "funded":
                    made.fui_round, made.funder = fui, Funder.FUI
                    fui_taken[fui.number] += 1  # type: ignore[union-attr]
            _fund_or_not(maker, made, funded=outcome == "funded")
            made.figures = outcome == "funded" and year <= FIGURES_UNTIL
        # Files that never reached the committee.
        for state in [S.INELIGIBLE] * rng.randint(0, 2) + [S.WITHDRAWN] * rng.randint(0, 1):
            if year == today.year and today.month < 3:
                break
            maker.application(site, year=year, state=state, session=None)
    # This year's call: drafts being written, one by the demo's portal member.
    current = maker.call(site, today.year)
    if current.is_open(today):
        for n in range(rng.randint(3, 5)):
            consortium = None
            if n == 0 and portal_org is not None:
                consortium = _with_coordinator(maker, site, today.year, portal_org)
            maker.application(
                site, year=today.year, state=S.DRAFT, session=None, consortium=consortium
            )
    if portal_org is not None:
        _portal_project(maker, site, portal_org)
    return dict(fui_taken)


def _with_coordinator(
    maker: _Maker, site: _Site, year: int, org_pk: int
) -> list[tuple[_Org, str]] | None:
    lead = next((o for o in site.pool.orgs if o.pk == org_pk), None)
    if lead is None:
        return None
    others = [(o, r) for o, r in maker.consortium(site, year)[1:] if o.pk != org_pk]
    return [(lead, Partner.Role.COORDINATOR), *others]


def _portal_project(maker: _Maker, site: _Site, org_pk: int) -> None:
    """The portal member's start-up coordinates a recent labelled project: its certificate
    is one the member can open."""
    lead = next((o for o in site.pool.orgs if o.pk == org_pk), None)
    recent = [
        m
        for m in site.apps
        if m.app.state == S.LABELLED and not m.figures and m.year >= maker.today.year - 3
    ]
    if lead is None or not recent:
        return
    made = recent[-1]
    former = made.consortium[0][0]
    made.consortium = [(lead, Partner.Role.COORDINATOR)] + [
        (o, r) for o, r in made.consortium[1:] if o.pk != org_pk
    ]
    made.app.summary = made.app.summary.replace(former.name, lead.name, 1)
    made.app.summary_en = made.app.summary_en.replace(former.name, lead.name, 1)


# -- the other clusters ------------------------------------------------------------------------


def _ramp(year: int) -> float:
    """The clusters' labelling grew from their first year to full speed in 2010."""
    return min(1.0, 0.3 + 0.14 * (year - FOUNDED))


def _others(
    maker: _Maker,
    sites: list[_Site],
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
        labelled = _largest_remainder(yearly[year], [len(s.pool.orgs) or 1 for s in active])
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
                    _fund_or_not(maker, made, funded=in_fui or rng.random() < 0.7)
                for state in [S.NOT_LABELLED] * rejected + [S.REVISE] * revise:
                    maker.application(site, year=year, state=state, session=session)
            if rng.random() < 0.5 and (year < today.year or today.month >= 3):
                maker.application(site, year=year, state=S.WITHDRAWN, session=None)


def _fui_quotas(
    rng: Random, sites: list[_Site], rounds: list[Round], wanted: dict[int, int]
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


# -- experts, reviews and the committee (the health cluster) ---------------------------------


@dataclass(eq=False)
class _Expert:
    profile: ExpertProfile
    since: int
    org: int | None
    domains: list[int]


def _person(rng: Random, emails: set[str], domain: str) -> User:
    female = rng.random() < 0.5
    first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
    last = rng.choice(names.LAST_NAMES)
    local = f"{slugify(first)}.{slugify(last)}"
    while f"{local}@{domain}" in emails:
        local += str(rng.randint(1, 9))
    emails.add(f"{local}@{domain}")
    # Generated people do not sign in: no password to hash (that would take seconds).
    return User(
        email=f"{local}@{domain}", full_name=f"{first} {last}", password=make_password(None)
    )


def _people(maker: _Maker, site: _Site) -> tuple[list[_Expert], list[tuple[User, int]]]:
    """The health cluster's expert network (the demo's expert account and generated
    experts, with their affiliations and domains) and its labelling committee (the demo's
    committee account and generated members, each with the year they joined)."""
    rng, cluster = maker.rng, site.cluster
    emails: set[str] = set()
    experts = [_person(rng, emails, "reseau-experts.test") for _ in range(HEALTH_EXPERTS)]
    committee = [_person(rng, emails, "comite-labellisation.test") for _ in range(HEALTH_COMMITTEE)]
    User.objects.bulk_create(experts + committee)
    ClusterRole.objects.bulk_create(
        [ClusterRole(cluster_id=cluster.pk, user_id=u.pk, role=Role.EXPERT) for u in experts]
        + [
            ClusterRole(cluster_id=cluster.pk, user_id=u.pk, role=Role.COMMITTEE_MEMBER)
            for u in committee
        ]
    )
    account = User.objects.get(email=f"expert@{HEALTH_DOMAIN}")
    seat = User.objects.get(email=f"comite@{HEALTH_DOMAIN}")
    affiliations = [o for o in site.pool.orgs if o.research or o.kind == Kind.LARGE_COMPANY]
    domains = sorted(site.domain_ids.values())
    topics = names.RESEARCH_TOPICS
    made = []
    for n, user in enumerate([account, *experts]):
        org = rng.choice(affiliations) if affiliations and rng.random() < 0.7 else None
        chosen = rng.sample(domains, min(len(domains), rng.randint(1, 2)))
        fields = rng.sample(topics, 3)
        profile = ExpertProfile(
            cluster_id=cluster.pk,
            user_id=user.pk,
            organisation_id=org.pk if org else None,
            competences=", ".join(t[0] for t in fields) + " ; " + ", ".join(t[1] for t in fields),
            max_load=rng.randint(4, 8),
        )
        since = EXPERT_ACCOUNT_SINCE if n == 0 else rng.randint(FOUNDED, 2016)
        made.append(_Expert(profile, since, org.pk if org else None, chosen))
    members = [(seat, COMMITTEE_ACCOUNT_SINCE)]
    # Five members since the first committee, the others joined over the years.
    members += [(u, FOUNDED if n < 5 else rng.randint(2008, 2020)) for n, u in enumerate(committee)]
    return made, members


MEAN_SCORE = {S.LABELLED: 4.0, S.REVISE: 3.0, S.NOT_LABELLED: 2.0}


@dataclass
class _Reviews:
    assignments: list[ReviewAssignment] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    scores: list[ReviewScore] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def _recommendation(rng: Random, state: str) -> str:
    if state == S.LABELLED:
        return "label" if rng.random() < 0.85 else "revise"
    if state == S.NOT_LABELLED:
        return "reject" if rng.random() < 0.8 else "revise"
    return "revise" if state == S.REVISE else rng.choice(("label", "label", "revise", "reject"))


def _reviews(maker: _Maker, site: _Site, experts: list[_Expert]) -> _Reviews:
    """Two reviews per file that reached the review; the files of the coming sessions are
    still being reviewed, some by the demo's expert account."""
    rng, today = maker.rng, maker.today
    out = _Reviews()
    account = experts[0]
    account_files = 0
    taken: set[tuple[int, int]] = set()
    for made in site.apps:
        app = made.app
        if app.state not in REVIEWED or app.submitted_at is None:
            continue
        partners = {o.pk for o, _r in made.consortium}
        free = [e for e in experts if e.since <= made.year and e.org not in partners]
        if len(free) < 2:  # the network's first years: any expert without a conflict
            free = [e for e in experts if e.org not in partners]
        if len(free) < 2:
            continue
        matching = [e for e in free if set(e.domains) & set(made.domains)]
        chosen = rng.sample(matching if len(matching) >= 2 else free, 2)
        under_review = app.state == S.UNDER_REVIEW
        if under_review and account in free and account not in chosen:
            chosen[0] = account
        assigned = min(today, app.submitted_at.date() + datetime.timedelta(days=rng.randint(7, 15)))
        deadline = made.session.date if made.session else today
        for expert in chosen:
            declared = min(today, assigned + datetime.timedelta(days=rng.randint(1, 5)))
            submitted = min(today, deadline - datetime.timedelta(days=rng.randint(5, 15)))
            submitted = max(submitted, declared)
            write, submit = True, True
            if under_review and expert is account:
                # The demo's expert: a conflict question to answer, a review to finish,
                # then reviews already sent.
                account_files += 1
                write, submit = account_files > 1, account_files > 2
            elif under_review:
                write = submit = rng.random() < 0.5
            assignment = ReviewAssignment(
                cluster_id=app.cluster_id,
                affinity=round(rng.uniform(0.2, 0.9), 3),
                assigned_at=_at(assigned, 11),
                no_conflict_declared_at=_at(declared, 12) if write else None,
            )
            maker.link(assignment, "application_id", app)
            maker.link(assignment, "expert_id", expert.profile)
            taken.add((id(app), id(expert.profile)))
            out.assignments.append(assignment)
            if not write:
                continue
            recommendation = _recommendation(rng, app.state)
            review = Review(
                cluster_id=app.cluster_id,
                recommendation=recommendation if submit else "",
                comments=rng.choice(REVIEW_COMMENTS[recommendation]) if submit else "",
                submitted_at=_at(submitted, 18) if submit else None,
            )
            maker.link(review, "assignment_id", assignment)
            out.reviews.append(review)
            mean = MEAN_SCORE.get(S(app.state), 3.3)
            for criterion in maker.criteria[id(made.call)]:
                if not submit and rng.random() < 0.5:
                    continue  # a review being written: some criteria scored so far
                score = ReviewScore(
                    cluster_id=app.cluster_id,
                    score=max(0, min(made.call.score_max, round(rng.gauss(mean, 0.8)))),
                )
                maker.link(score, "review_id", review)
                maker.link(score, "criterion_id", criterion)
                out.scores.append(score)
    # Two experts declared a conflict with a file of the coming sessions.
    waiting = [m for m in site.apps if m.app.state == S.UNDER_REVIEW]
    for made in rng.sample(waiting, min(2, len(waiting))):
        expert = rng.choice(experts[1:])
        if (id(made.app), id(expert.profile)) in taken:
            continue
        conflict = Conflict(
            cluster_id=made.app.cluster_id,
            source=Conflict.Source.DECLARED,
            reason="J'ai travaillé avec le coordinateur sur un autre projet l'an dernier.",
            created_at=_at(today - datetime.timedelta(days=rng.randint(2, 20))),
        )
        maker.link(conflict, "application_id", made.app)
        maker.link(conflict, "expert_id", expert.profile)
        out.conflicts.append(conflict)
    return out


def _committee(
    maker: _Maker, site: _Site, members: list[tuple[User, int]]
) -> list[tuple[CommitteeSession, int]]:
    """Who sat at each session: five to seven of the members of that year."""
    rng = maker.rng
    seats = []
    for (year, _month), session in sorted(site.sessions.items()):
        present = [u for u, since in members if since <= year]
        for user in rng.sample(present, min(len(present), rng.randint(5, 7))):
            seats.append((session, user.pk))
        if members[0][1] <= year and members[0][0].pk not in {p for s, p in seats if s is session}:
            seats.append((session, members[0][0].pk))
    return seats


# -- numbering, writing, and the step itself ---------------------------------------------------

BATCH = 2000


def _label_numbers(site: _Site) -> None:
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
    maker: _Maker,
    sites: list[_Site],
    experts: list[_Expert],
    reviews: _Reviews,
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
    pools = _pools([health, *regional, *national], health)
    rounds = fui_rounds()
    maker = _Maker(rng, today, rounds)
    years = list(range(FOUNDED, today.year + 1))

    def site(cluster: Cluster) -> _Site:
        # A cluster labelled lately by the State has labelled projects for three years.
        new = cluster.state_label == Cluster.StateLabel.NEW
        start = today.year - 3 if new else FOUNDED
        return _Site(cluster, start, pools[cluster.pk], _trades(rng, cluster), call_years=2)

    health_site = _Site(
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
    health_fui = _health(maker, health_site, targets, _portal_org(ctx, health))
    regional_sites = [site(c) for c in regional]
    yearly = {y: round(REGION_LABELS_A_YEAR * _ramp(y) * rng.uniform(0.94, 1.06)) for y in years}
    wanted = {n: targets[n] - health_fui.get(n, 0) for n in targets}
    _others(maker, regional_sites, yearly, _fui_quotas(rng, regional_sites, rounds, wanted))
    national_sites = [site(c) for c in national]
    if national_sites:
        # The rest of France: the rest of each FUI round, and files up to the national total
        # (about 1.5 files for each labelled one).
        made = sum(len(s.apps) for s in [health_site, *regional_sites])
        labels = round(max(0, NATIONAL_PROJECTS - made) / 1.5)
        yearly = dict(
            zip(years, _largest_remainder(labels, [_ramp(y) for y in years]), strict=True)
        )
        rest = {r.number: r.funded - targets[r.number] for r in rounds}
        _others(maker, national_sites, yearly, _fui_quotas(rng, national_sites, rounds, rest))
    sites = [health_site, *regional_sites, *national_sites]

    # Money: the source document's ten years first, exact to the euro, then the rest.
    figures = [m for m in health_site.apps if m.figures]
    if len(figures) != HEALTH_FUNDED:  # pragma: no cover - the plan above is wrong
        raise AssertionError(f"{len(figures)} funded projects planned, not {HEALTH_FUNDED}")
    _budgets(maker, figures, median=3_900_000, total=HEALTH_INVESTMENT)
    granted = _aid(rng, figures, total=HEALTH_AID)
    _budgets(maker, [m for m in health_site.apps if not m.figures], median=3_900_000)
    _budgets(maker, [m for s in sites[1:] for m in s.apps], median=2_200_000)
    rest_funded = [m for s in sites for m in s.apps if m.funder and not m.pending and not m.figures]
    granted |= _aid(rng, rest_funded)
    for s in sites:
        for m in s.apps:
            if id(m) not in granted:
                _requested(rng, m)
            if m.app.state == S.LABELLED:
                _fundings(maker, m, granted.get(id(m)))
        _label_numbers(s)

    experts, members = _people(maker, health_site)
    reviews = _reviews(maker, health_site, experts)
    seats = _committee(maker, health_site, members)
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
