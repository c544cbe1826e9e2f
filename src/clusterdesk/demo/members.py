"""The CRM's demo: member organisations, memberships and fees, contacts, interactions.

The health cluster gets the source document's figures: founded in 2005 by four companies
and two competence centres, 170 members this year of which 154 are SMEs, with joins,
resignations and lapses every year in between. The region's other clusters get members
until the region counts about 3,000 member companies, a tenth of them in two clusters;
``--scale national`` fills the clusters of the rest of France up to about 15,000
organisations.

Rows are written with ``bulk_create``: one service call per row would take minutes at
national scale. The services validate identifiers and write an audit entry per change;
here identifiers are valid by construction (the tests pass them through the same
cleaners) and each cluster gets one ``demo.generated`` entry counting what was made for
it. The one portal account goes through ``contact_grant_portal_access``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from django.utils.text import slugify
from stdnum import luhn
from stdnum.iso7064 import mod_97_10

from clusterdesk.accounts.models import User
from clusterdesk.audit.services import audit_record
from clusterdesk.core.models import Cluster, ClusterRole, Domain, Market, Theme
from clusterdesk.core.roles import STAFF_ROLES
from clusterdesk.crm.geography import REGIONS, departement_of_postal_code, region_of_departement
from clusterdesk.crm.identifiers import french_vat_from_siren
from clusterdesk.crm.kinds import OrganisationKind as Kind
from clusterdesk.crm.models import (
    Contact,
    FeeRule,
    Interaction,
    Membership,
    MembershipCategory,
    Organisation,
    Relationship,
)
from clusterdesk.crm.selectors import fee_for
from clusterdesk.crm.services.contacts import contact_grant_portal_access
from clusterdesk.crm.services.organisations import (
    organisation_search_text,
    organisations_insert_generated,
)
from clusterdesk.demo import names

if TYPE_CHECKING:
    from random import Random

    from clusterdesk.demo.build import DemoContext

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
# The other clusters keep their last years of memberships only (enough for renewal
# figures): full histories since 2005 would triple the rows, and the build time.
REGION_HISTORY = 6
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


def _weighted(rng: Random, pairs: Sequence[tuple[T, float]]) -> T:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _weighted_sample(rng: Random, items: Sequence[T], weights: Sequence[float], k: int) -> list[T]:
    """``k`` items without replacement, each drawn in proportion to its weight
    (Efraimidis and Spirakis: the ``k`` largest ``u ** (1 / w)``)."""
    keyed = sorted(
        ((rng.random() ** (1 / w), i) for i, w in enumerate(weights)), key=lambda p: -p[0]
    )
    return [items[i] for _key, i in keyed[:k]]


# -- organisations ---------------------------------------------------------------------


@dataclass(eq=False)
class _Org:
    """An organisation to write, and what its contacts and tags are made from."""

    org: Organisation
    email_domain: str
    zone: str  # the first digit of its landline numbers
    profile: names.Profile | None = None
    public: bool = False


@dataclass
class _Span:
    """Years of membership of one organisation in one cluster: active from ``join`` to
    ``last``, then ``end`` (resigned or lapsed) the year after; a prospect (``end``) has
    only this year's row. Rows before ``since`` are not kept."""

    join: int
    last: int
    end: str = ""
    reason: str = ""
    since: int = FOUNDED


@dataclass(eq=False)
class _Plan:
    o: _Org
    span: _Span


Place = tuple[str, str]  # (city, postal code)


class _Maker:
    """Makes unique organisations: names, identifiers, addresses, descriptions."""

    def __init__(self, rng: Random, today: datetime.date) -> None:
        self.rng = rng
        self.today = today
        self.sirens: set[str] = {LA_POSTE_SIREN}
        self.rors: set[str] = set()
        self.stems: set[str] = set()
        self.queues: dict[str, list[str]] = {}  # stems not tried yet, per trade
        self.tiers: dict[str, int] = {}
        self.names: set[str] = set()

    # identifiers

    def siren(self, lead: str) -> str:
        """A SIREN starting with ``lead`` (companies 3 to 9, public bodies 1 or 2), Luhn key."""
        width = 8 - len(lead)
        while True:
            head = f"{lead}{self.rng.randrange(10**width):0{width}d}"
            number = head + luhn.calc_check_digit(head)
            if number not in self.sirens:
                self.sirens.add(number)
                return number

    def siret(self, siren: str) -> str:
        """The head office: the SIREN, a 4-digit establishment number, a Luhn key."""
        head = f"{siren}{self.rng.randint(1, 9):04d}"
        return head + luhn.calc_check_digit(head)

    def ror(self) -> str:
        """ "0", six Crockford base-32 characters, ISO 7064 mod 97-10 check digits over
        the base-32 value (ROR's identifier scheme)."""
        alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
        while True:
            body = "0" + "".join(self.rng.choice(alphabet) for _ in range(6))
            value = 0
            for char in body:
                value = value * 32 + alphabet.index(char)
            ror = body + mod_97_10.calc_check_digits(str(value))
            if ror not in self.rors:
                self.rors.add(ror)
                return ror

    # names

    def stem(self, profile: names.Profile) -> str:
        """A company name without its legal form, not used before (it makes the e-mail
        domain): the trade's made-up words in random order, then the same words with a
        qualifier, then after a founder's name."""
        queue = self.queues.setdefault(profile.key, [])
        while True:
            if not queue:
                queue += self._candidates(profile, self.tiers.get(profile.key, 0))
                self.tiers[profile.key] = self.tiers.get(profile.key, 0) + 1
                self.rng.shuffle(queue)
            word = queue.pop()
            slug = slugify(word)
            if slug not in self.stems:
                self.stems.add(slug)
                return word

    @staticmethod
    def _candidates(profile: names.Profile, tier: int) -> list[str]:
        words = [p + s for p in profile.prefixes for s in profile.suffixes]
        if tier == 0:
            return words
        if tier == 1:
            return [f"{w} {q}" for w in words for q in NAME_QUALIFIERS]
        if tier == 2:
            return [f"{n} {w}" for w in words for n in names.LAST_NAMES]
        raise RuntimeError("The word lists are too short for this many organisations.")

    def unique_name(self, make: Callable[[], str]) -> str:
        for _attempt in range(200):
            name = make()
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("The word lists are too short for this many public bodies.")

    # records

    def _place(self, org: Organisation, place: Place) -> None:
        org.city, org.postal_code = place
        org.street = (
            f"{self.rng.randint(1, 180)} {self.rng.choice(names.STREET_KINDS)} "
            f"{self.rng.choice(names.STREET_NAMES)}"
        )
        org.departement = departement_of_postal_code(org.postal_code) or ""
        org.region_code = region_of_departement(org.departement) or ""

    def _finish(self, org: Organisation, joined: int) -> None:
        org.search_text = organisation_search_text(org)
        org.directory_consent = self.rng.random() < 0.7
        last = min(datetime.date(joined, 12, 31), self.today)
        day = _day_between(self.rng, datetime.date(joined, 1, 1), last)
        org.created_at = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC)

    def company(self, kind: str, profile: names.Profile, place: Place, joined: int) -> _Org:
        rng = self.rng
        stem = self.stem(profile)
        form = rng.choice(profile.forms)
        if " " in stem:  # a qualified name reads better without a second suffix
            form = rng.choice(("{} SAS", "{}"))
        org = Organisation(name=form.format(stem), usual_name=stem, kind=kind)
        if org.name == stem:
            org.usual_name = ""
        org.siren = self.siren(str(rng.randint(3, 9)))
        org.siret = self.siret(org.siren)
        org.vat = french_vat_from_siren(org.siren)
        org.headcount_band = _weighted(rng, HEADCOUNTS[kind])
        org.turnover_band = rng.choice(TURNOVERS[org.headcount_band])
        if kind == Kind.STARTUP:
            org.creation_year = max(1995, joined - rng.randint(0, 3))
        else:
            low, high = CREATION_YEARS[kind]
            org.creation_year = min(rng.randint(low, high), joined)
        self._place(org, place)
        product, product_en = rng.choice(profile.products)
        use, use_en, _theme = rng.choice(profile.uses)
        verb, verb_en = rng.choice(VERBS)
        org.description = (
            f"{stem} {verb} {product} pour {use}. Créée en {org.creation_year}, "
            f"l'entreprise est installée à {org.city}."
        )
        org.description_en = (
            f"{stem} {verb_en} {product_en} for {use_en}. Founded in {org.creation_year}, "
            f"the company is based in {org.city}."
        )
        domain = slugify(stem)
        org.website = f"https://www.{domain}.test"
        self._finish(org, joined)
        return _Org(org, f"{domain}.test", _zone(org.region_code), profile)

    def public_body(self, kind: str, place: Place, joined: int, health: bool) -> _Org:
        """A research unit, university, hospital, platform, investor, agency or local
        authority of ``place``'s city."""
        rng = self.rng
        city = place[0]
        topics = names.RESEARCH_TOPICS if health else names.SECTOR_TOPICS
        topic, topic_en = rng.choice(topics)
        org = Organisation(kind=kind)
        lead = "18"
        domain = slugify(city)
        if kind == Kind.RESEARCH_ORG:
            body = rng.choice(names.RESEARCH_BODIES)
            org.name = self.unique_name(
                lambda: rng.choice(
                    (
                        f"Laboratoire de {topic} de {city} (UMR {rng.randint(5000, 5999)})",
                        f"Centre de recherche en {topic} de {city}",
                        f"Institut de {topic} {rng.choice(names.SCHOLARS)}",
                    )
                )
            )
            org.usual_name = body
            org.description = (
                f"Unité de recherche en {topic} ({body}), partenaire des entreprises dans des "
                "projets collaboratifs."
            )
            org.description_en = (
                f"Research unit in {topic_en} ({body}), working with companies on "
                "collaborative projects."
            )
            org.ror = self.ror()
            domain = slugify(body)
            org.siren = None  # a joint unit has no SIREN of its own: its bodies have one
        elif kind == Kind.HIGHER_EDUCATION:
            org.name = self.unique_name(lambda: f"Université {rng.choice(names.SCHOLARS)} {city}")
            org.description = (
                f"Université pluridisciplinaire de {city} : formation, recherche et transfert "
                "de technologie."
            )
            org.description_en = (
                f"Multidisciplinary university in {city}: teaching, research and technology "
                "transfer."
            )
            org.ror, lead, domain = self.ror(), "19", f"univ-{slugify(city)}"
        elif kind == Kind.HOSPITAL:
            org.name = self.unique_name(
                lambda: rng.choice(
                    (f"Centre hospitalier universitaire de {city}", f"Hospices civils de {city}")
                )
            )
            org.description = "Établissement public de santé : soins, recherche clinique, essais."
            org.description_en = "Public hospital: care, clinical research, trials."
            org.ror, lead, domain = self.ror(), "26", f"chu-{slugify(city)}"
        elif kind == Kind.TECH_PLATFORM:
            org.name = self.unique_name(
                lambda: rng.choice(
                    (
                        f"Plateforme technologique en {topic} de {city}",
                        f"Centre de compétences en {topic} de {city}",
                    )
                )
            )
            org.description = (
                f"Plateforme de {topic} ouverte aux entreprises : équipements, essais, expertise."
            )
            org.description_en = (
                f"{topic_en.capitalize()} platform open to companies: equipment, tests, expertise."
            )
            domain = f"plateforme-{slugify(topic)}"
        elif kind == Kind.BANK_INVESTOR:
            words = names.INVESTOR_WORDS
            org.name = self.unique_name(
                lambda: f"{rng.choice(names.LAST_NAMES)} {rng.choice(words)} {rng.choice(words)}"
            )
            org.description = "Société de capital-risque qui investit dans les jeunes entreprises."
            org.description_en = "Venture capital firm investing in young companies."
            lead = str(rng.randint(3, 9))
            domain = slugify(org.name)
        elif kind == Kind.ECONOMIC_DEVELOPMENT:
            org.name = self.unique_name(
                lambda: rng.choice(
                    (f"Agence de développement économique de {city}", f"CCI de {city}")
                )
            )
            org.description = "Accompagne l'implantation et le développement des entreprises."
            org.description_en = "Helps companies settle and grow."
            lead, domain = "13", slugify(org.name)
        else:
            org.kind = Kind.LOCAL_AUTHORITY
            org.name = self.unique_name(
                lambda: rng.choice(
                    (f"Métropole de {city}", f"Communauté d'agglomération de {city}")
                )
            )
            org.description = "Collectivité qui soutient l'innovation sur son territoire."
            org.description_en = "Local authority supporting innovation in its area."
            lead, domain = "2", slugify(org.name)
        if kind != Kind.RESEARCH_ORG:
            org.siren = self.siren(lead)
            org.siret = self.siret(org.siren)
        org.creation_year = rng.randint(1950, min(joined, self.today.year))
        self._place(org, place)
        self._finish(org, joined)
        return _Org(org, f"{domain}.test", _zone(org.region_code), None, public=True)


def _zone(region_code: str) -> str:
    return names.PHONE_ZONES.get(region_code, "4")


# -- people ------------------------------------------------------------------------------


def _day_between(rng: Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _contacts(
    rng: Random, today: datetime.date, cluster: Cluster, o: _Org, count: int
) -> list[Contact]:
    people = []
    used: set[str] = set()
    for position in range(count):
        female = rng.random() < 0.5
        first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
        last = rng.choice(names.LAST_NAMES)
        titles: Sequence[tuple[str, str]]
        if o.public:
            titles = names.PUBLIC_LEADER_TITLES if position == 0 else names.PUBLIC_JOB_TITLES
        else:
            titles = names.LEADER_TITLES if position == 0 else names.JOB_TITLES
        local = f"{slugify(first)}.{slugify(last)}"
        while local in used:
            local = f"{slugify(first)[0]}{local}"
        used.add(local)
        consent = rng.random() < 0.8
        groups = " ".join(f"{rng.randint(10, 99)}" for _ in range(4))
        mobile = rng.random() < 0.3
        people.append(
            Contact(
                cluster=cluster,
                organisation=o.org,
                first_name=first,
                last_name=last,
                email=f"{local}@{o.email_domain}",
                phone=f"+33 {rng.choice('67') if mobile else o.zone} {groups}",
                job_title=rng.choice(titles)[female],
                language="en" if rng.random() < 0.06 else "fr",
                consent=consent,
                consent_on=_day_between(rng, o.org.created_at.date(), today) if consent else None,
                newsletter=consent and rng.random() < 0.7,
            )
        )
    return people


# -- memberships and fees ------------------------------------------------------------------


class _Fees:
    """The clusters' categories and fee grids, and the fee of an organisation (from the
    grid's own rule, ``fee_for``; remembered per category, kind and headcount band)."""

    def __init__(self) -> None:
        self.categories: dict[int, list[MembershipCategory]] = {}
        self.amounts: dict[tuple[int, str, str], Decimal | None] = {}

    def create(self, cluster: Cluster, factor: float) -> None:
        categories = MembershipCategory.objects.bulk_create(
            [
                MembershipCategory(
                    cluster=cluster, name=name, name_en=name_en, voting_right=vote, position=n
                )
                for n, (name, name_en, vote, _kinds) in enumerate(CATEGORIES)
            ]
        )
        FeeRule.objects.bulk_create(
            [
                FeeRule(
                    cluster=cluster,
                    category=categories[index],
                    kind=kind,
                    min_headcount=low,
                    max_headcount=high,
                    amount=Decimal(round(amount * factor / 50) * 50),
                )
                for index, kind, low, high, amount in FEE_GRID
            ]
        )
        self.categories[cluster.pk] = categories

    def category(self, cluster: Cluster, org: Organisation) -> MembershipCategory:
        for category, (_n, _e, _v, kinds) in zip(
            self.categories[cluster.pk], CATEGORIES, strict=True
        ):
            if kinds is None or org.kind in kinds:
                return category
        raise AssertionError("the last category takes every kind")  # pragma: no cover

    def amount(self, category: MembershipCategory, org: Organisation) -> Decimal | None:
        key = (category.pk, org.kind, org.headcount_band)
        if key not in self.amounts:
            self.amounts[key] = fee_for(category=category, organisation=org)
        return self.amounts[key]


def _memberships(
    rng: Random,
    today: datetime.date,
    cluster: Cluster,
    plan: _Plan,
    category: MembershipCategory,
    fee: Decimal | None,
    representative: Contact,
) -> list[Membership]:
    """One row per year of the plan, fees called in January and paid within months;
    this year's still unpaid for some, reminded once or twice."""
    rows = []

    def row(year: int, status: str) -> Membership:
        m = Membership(
            cluster=cluster,
            organisation=plan.o.org,
            year=year,
            category=category,
            status=status,
            representative=representative,
        )
        rows.append(m)
        return m

    def call(m: Membership, paid: bool) -> None:
        if fee is None:
            return
        m.fee_amount = fee
        m.fee_called_on = min(datetime.date(m.year, 1, rng.randint(8, 31)), today)
        delay = int(rng.expovariate(1 / 35))
        paid_on = m.fee_called_on + datetime.timedelta(days=delay)
        if paid and paid_on <= today:
            m.fee_paid_on, m.fee_paid_amount = paid_on, fee
        else:
            delay = (today - m.fee_called_on).days
        m.reminders = min(2, delay // 45)
        if m.reminders:
            m.reminded_on = m.fee_called_on + datetime.timedelta(days=45 * m.reminders)

    span = plan.span
    if span.end == Membership.Status.PROSPECT:
        row(today.year, Membership.Status.PROSPECT)
        return rows
    for year in range(max(span.join, span.since), span.last + 1):
        m = row(year, Membership.Status.ACTIVE)
        call(m, paid=year < today.year or rng.random() > UNPAID_SHARE)
    if span.end == Membership.Status.RESIGNED:
        row(span.last + 1, span.end).resignation_reason = span.reason
    elif span.end == Membership.Status.LAPSED:
        call(row(span.last + 1, span.end), paid=False)
    return rows


# -- where and in what trade -----------------------------------------------------------------


def _places(places: Sequence[tuple[str, str, int]], seat: str) -> tuple[list[Place], list[float]]:
    """The region's places, weighted, six times more around the cluster's seat."""
    seat_dep = next((departement_of_postal_code(p) for c, p, _w in places if c == seat), None)
    weights = [
        w * (6.0 if departement_of_postal_code(p) == seat_dep else 1.0) for _c, p, w in places
    ]
    return [(c, p) for c, p, _w in places], weights


def _cluster_places(rng: Random, cluster: Cluster) -> tuple[str, tuple[list[Place], list[float]]]:
    """(INSEE region code, weighted places) where a cluster's members are."""
    by_name = {name: code for code, name in REGIONS.items()}
    code = by_name.get(cluster.region.name, "")
    if code == "84":
        return code, _places(names.REGION_PLACES, cluster.seat_city)
    if code not in names.OTHER_PLACES:
        # The national list often leaves the region out: place the cluster somewhere.
        code = rng.choice(sorted(names.OTHER_PLACES))
    places = list(names.OTHER_PLACES[code])
    return code, (places, [1.0] * len(places))


def _profiles(rng: Random, cluster: Cluster) -> list[names.Profile]:
    """The trades of a cluster's companies, from its sector, else from its name."""
    for text in (cluster.sector.lower(), cluster.name.lower()):
        for word, key in names.SECTOR_WORDS:
            if word in text:
                if key == "santé":
                    return list(names.HEALTH_PROFILES)
                return [names.SECTOR_PROFILES[key]]
    return [rng.choice(list(names.SECTOR_PROFILES.values()))]


# -- the health cluster -------------------------------------------------------------------


def _health_history(rng: Random, year: int) -> list[_Span]:
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
    spans = [_Span(join=FOUNDED, last=year) for _ in range(HEALTH_MEMBERS)]
    active = list(range(HEALTH_MEMBERS))
    for y in range(year, FOUNDED, -1):
        rate = rng.uniform(0.03, 0.08) if y >= FOUNDED + 3 else 0.0
        leavers = []
        for _ in range(round(rate * target[y - 1])):
            # Nobody lapses this year: a membership lapses when its year closes unpaid.
            if y < year and rng.random() < 0.4:
                span = _Span(join=FOUNDED, last=y - 1, end=Membership.Status.LAPSED)
            else:
                reason = rng.choice(names.RESIGNATION_REASONS)
                span = _Span(
                    join=FOUNDED, last=y - 1, end=Membership.Status.RESIGNED, reason=reason
                )
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


def _health(rng: Random, maker: _Maker, today: datetime.date) -> list[_Plan]:
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
    startups = set(_weighted_sample(rng, young, weights, min(len(young), rng.randint(55, 65))))
    for s in smes:
        tpe = rng.random() < 0.35
        kinds[s] = Kind.STARTUP if s in startups else (Kind.TPE if tpe else Kind.PME)
    places, place_weights = _places(names.REGION_PLACES, seat="Lyon")

    def org(kind: str, joined: int) -> _Org:
        place = rng.choices(places, weights=place_weights)[0]
        if kind in COMPANY_KINDS:
            return maker.company(kind, _health_profile(rng), place, joined)
        return maker.public_body(kind, place, joined, health=True)

    plans = [_Plan(org(kinds[s], span.join), span) for s, span in enumerate(members)]
    for span in spans[HEALTH_MEMBERS:]:
        plans.append(_Plan(org(_weighted(rng, FORMER_KINDS), span.join), span))
    for _ in range(HEALTH_PROSPECTS):
        span = _Span(join=today.year, last=today.year - 1, end=Membership.Status.PROSPECT)
        plans.append(_Plan(org(Kind.STARTUP if rng.random() < 0.7 else Kind.TPE, today.year), span))
    return plans


def _health_tags(rng: Random, health: Cluster, plans: list[_Plan], rels: dict[int, int]) -> None:
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


# -- the other clusters -----------------------------------------------------------------------


def _public_pool(maker: _Maker, places: list[Place], weights: list[float]) -> list[_Org]:
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


def _others(
    rng: Random,
    maker: _Maker,
    clusters: list[Cluster],
    companies: int,
    year: int,
    history: int,
    shared_from: Sequence[_Org] = (),
) -> dict[Cluster, list[_Plan]]:
    """Members of ``clusters``: ``companies`` new member companies spread over them, a
    tenth of every company (and of ``shared_from``) also in a second cluster, public
    bodies of their region, and a few former members."""
    plans: dict[Cluster, list[_Plan]] = {c: [] for c in clusters}
    since = year - history + 1
    sizes = [
        rng.uniform(0.5, 1.6) * (0.3 if c.state_label == Cluster.StateLabel.NEW else 1)
        for c in clusters
    ]
    start = {
        c.pk: year - 3 if c.state_label == Cluster.StateLabel.NEW else FOUNDED for c in clusters
    }
    where = {c.pk: _cluster_places(rng, c) for c in clusters}
    trades = {c.pk: _profiles(rng, c) for c in clusters}
    pools: dict[str, list[_Org]] = {}

    def joined(cluster: Cluster, earliest: int = FOUNDED) -> int:
        first = max(start[cluster.pk], earliest)
        return year - int((year - first) * rng.random() ** 1.4)

    def company(cluster: Cluster, kind: str, when: int) -> _Org:
        places, weights = where[cluster.pk][1]
        place = rng.choices(places, weights=weights)[0]
        return maker.company(kind, rng.choice(trades[cluster.pk]), place, when)

    homes: list[tuple[_Org, Cluster | None]] = [(o, None) for o in shared_from]
    for cluster in rng.choices(clusters, weights=sizes, k=companies):
        when = joined(cluster)
        kind = _weighted(rng, OTHER_KINDS)
        if kind == Kind.STARTUP and when <= year - STARTUP_AGE:
            kind = Kind.PME
        o = company(cluster, kind, when)
        plans[cluster].append(_Plan(o, _Span(join=when, last=year, since=since)))
        homes.append((o, cluster))
    for o, home in rng.sample(homes, round(SHARED_SHARE * len(homes))):
        second = rng.choice([c for c in clusters if c is not home])
        when = joined(second, earliest=max(year - 8, o.org.creation_year or FOUNDED))
        plans[second].append(_Plan(o, _Span(join=when, last=year, since=since)))
    for cluster in clusters:
        size = len(plans[cluster])
        code, (places, weights) = where[cluster.pk]
        if code not in pools:
            pools[code] = _public_pool(maker, places, weights)
        pool = pools[code]
        for o in rng.sample(pool, min(len(pool), max(2, round(size * 0.06)))):
            span = _Span(join=joined(cluster), last=year, since=since)
            plans[cluster].append(_Plan(o, span))
        for _ in range(round(size * 0.07)):
            last = rng.randint(max(start[cluster.pk], since - 1), year - 1)
            first = rng.randint(start[cluster.pk], last)
            if last + 1 < year and rng.random() < 0.4:
                span = _Span(first, last, Membership.Status.LAPSED, since=since)
            else:
                reason = rng.choice(names.RESIGNATION_REASONS)
                span = _Span(first, last, Membership.Status.RESIGNED, reason, since)
            plans[cluster].append(
                _Plan(company(cluster, _weighted(rng, FORMER_KINDS), first), span)
            )
    return plans


# -- writing ---------------------------------------------------------------------------------


@dataclass
class _Written:
    relationships: dict[tuple[int, int], int]  # (cluster pk, id(_Org)) -> relationship pk
    contacts: dict[tuple[int, int], list[Contact]]


def _write(
    rng: Random,
    today: datetime.date,
    fees: _Fees,
    plans: dict[Cluster, list[_Plan]],
    owners: dict[int, list[int]],
) -> _Written:
    """Organisations, relationships, contacts and memberships, in bulk."""
    orgs = {id(p.o): p.o.org for group in plans.values() for p in group}
    organisations_insert_generated(organisations=list(orgs.values()))
    relationships = []
    contacts: dict[tuple[int, int], list[Contact]] = {}
    for cluster, group in plans.items():
        for p in group:
            relationships.append(
                Relationship(
                    cluster=cluster,
                    organisation=p.o.org,
                    owner_id=rng.choice(owners[cluster.pk]) if owners.get(cluster.pk) else None,
                    created_at=datetime.datetime(p.span.join, 1, 15, 9, tzinfo=datetime.UTC),
                )
            )
            count = _weighted(rng, CONTACTS_PER_ORGANISATION)
            contacts[(cluster.pk, id(p.o))] = _contacts(rng, today, cluster, p.o, count)
    Relationship.objects.bulk_create(relationships, batch_size=2000)
    Contact.objects.bulk_create(
        [c for people in contacts.values() for c in people], batch_size=2000
    )
    memberships = []
    for cluster, group in plans.items():
        for p in group:
            category = fees.category(cluster, p.o.org)
            fee = fees.amount(category, p.o.org)
            leader = contacts[(cluster.pk, id(p.o))][0]
            memberships += _memberships(rng, today, cluster, p, category, fee, leader)
    Membership.objects.bulk_create(memberships, batch_size=2000)
    rel_ids = {
        (r.cluster_id, id_): r.pk
        for r, id_ in zip(relationships, (id(p.o) for g in plans.values() for p in g), strict=True)
    }
    return _Written(rel_ids, contacts)


def _interactions(
    rng: Random,
    today: datetime.date,
    cluster: Cluster,
    staff: list[int],
    plans: list[_Plan],
    contacts: dict[tuple[int, int], list[Contact]],
    count: int,
) -> int:
    """Meetings, calls and e-mails of the last three years with the cluster's members and
    former members; some next actions are still due."""
    members = [p for p in plans if p.span.end != Membership.Status.PROSPECT]
    made, met = [], []
    for _ in range(count):
        plan = rng.choice(members)
        first = max(datetime.date(today.year - 3, 1, 1), datetime.date(plan.span.join, 1, 1))
        last = min(today, datetime.date(plan.span.last + 1, 12, 31))
        if first > last:
            continue
        # Staff note more now than when they started with the CRM: recent days weigh more.
        date = last - datetime.timedelta(days=int((last - first).days * rng.random() ** 1.5))
        kind, subject = rng.choice(names.INTERACTION_SUBJECTS)
        item = Interaction(
            cluster=cluster,
            organisation=plan.o.org,
            kind=kind,
            date=date,
            owner_id=rng.choice(staff),
            subject=subject,
            notes=rng.choice(names.INTERACTION_NOTES),
        )
        if rng.random() < 0.4:
            item.next_action = rng.choice(names.NEXT_ACTIONS)
            item.next_action_due = date + datetime.timedelta(days=rng.randint(7, 60))
            item.next_action_done = item.next_action_due < today and rng.random() < 0.85
        made.append(item)
        people = contacts[(cluster.pk, id(plan.o))]
        met.append(rng.sample(people, min(len(people), rng.randint(1, 2))))
    Interaction.objects.bulk_create(made, batch_size=2000)
    through = Interaction.contacts.through
    through.objects.bulk_create(
        [
            through(interaction_id=item.pk, contact_id=person.pk)
            for item, people in zip(made, met, strict=True)
            for person in people
        ],
        batch_size=2000,
    )
    return len(made)


def _portal_member(ctx: DemoContext, plans: list[_Plan], written: _Written) -> User:
    """A start-up's leader signs in to the member portal: the service grants the member
    role (and queues the welcome e-mail for when the demo's transaction commits)."""
    health: Cluster = ctx.objects["health"]
    startups = [p for p in plans[:HEALTH_MEMBERS] if p.o.org.kind == Kind.STARTUP]
    plan = ctx.rng.choice(startups)
    contact = written.contacts[(health.pk, id(plan.o))][0]
    contact.email = MEMBER_EMAIL
    contact.consent = True
    contact.save(update_fields=["email", "consent"])
    # The instance's administrator opens the portal to the demo's member.
    user = contact_grant_portal_access(actor=ctx.objects["admin"], contact=contact)
    user.set_password(ctx.password)
    user.save(update_fields=["password"])
    return user


def _team(roles: frozenset[str] | set[str]) -> dict[int, list[int]]:
    """The users holding ``roles``, per cluster pk, in a stable order."""
    team: dict[int, list[int]] = {}
    rows = ClusterRole.objects.filter(role__in=roles).order_by("cluster_id", "user__email")
    for cluster_id, user_id in rows.values_list("cluster_id", "user_id"):
        if user_id not in team.setdefault(cluster_id, []):
            team[cluster_id].append(user_id)
    return team


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = datetime.date.today()
    health: Cluster = ctx.objects["health"]
    regional = [c for c in ctx.objects["clusters"].values() if c != health]
    national: list[Cluster] = ctx.objects.get("national_clusters", [])
    maker, fees = _Maker(rng, today), _Fees()
    fees.create(health, factor=1.0)
    for cluster in regional + national:
        fees.create(cluster, factor=rng.uniform(0.6, 1.2))

    plans = {health: _health(rng, maker, today)}
    member_companies = [
        p.o for p in plans[health][:HEALTH_MEMBERS] if p.o.org.kind in COMPANY_KINDS
    ]
    companies = REGION_COMPANIES + rng.randint(-40, 40) - len(member_companies)
    plans |= _others(
        rng, maker, regional, companies, today.year, REGION_HISTORY, shared_from=member_companies
    )
    if national:
        made = len({id(p.o) for group in plans.values() for p in group})
        # About 8 % more organisations than companies: public bodies and former members.
        companies = round((NATIONAL_ORGANISATIONS - made) / 1.08)
        plans |= _others(rng, maker, national, companies, today.year, NATIONAL_HISTORY)

    written = _write(rng, today, fees, plans, owners=_team(STAFF_ROLES))
    rels = {o: pk for (c, o), pk in written.relationships.items() if c == health.pk}
    _health_tags(rng, health, plans[health], rels)
    staff = _team(STAFF_ROLES)
    done = {
        health.pk: _interactions(
            rng,
            today,
            health,
            staff[health.pk],
            plans[health],
            written.contacts,
            HEALTH_INTERACTIONS,
        )
    }
    for cluster in regional:
        count = len(plans[cluster]) // 12
        done[cluster.pk] = _interactions(
            rng, today, cluster, staff[cluster.pk], plans[cluster], written.contacts, count
        )
    ctx.objects["portal_member"] = _portal_member(ctx, plans[health], written)
    # One summary entry per cluster instead of one per row (see the module's docstring).
    for cluster, group in plans.items():
        audit_record(
            actor=None,
            action="demo.generated",
            obj=cluster,
            cluster=cluster,
            after={
                "organisations": len(group),
                "contacts": sum(len(written.contacts[(cluster.pk, id(p.o))]) for p in group),
                "interactions": done.get(cluster.pk, 0),
            },
        )
