"""Organisations as generated: companies, research and public bodies with valid
identifiers, a place and a trade, and the span of their membership.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.text import slugify
from stdnum import luhn
from stdnum.iso7064 import mod_97_10

from clusterdesk.crm.geography import departement_of_postal_code, region_of_departement
from clusterdesk.crm.identifiers import french_vat_from_siren
from clusterdesk.crm.kinds import OrganisationKind as Kind
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.services.organisations import organisation_search_text
from clusterdesk.demo import names
from clusterdesk.demo.members.figures import (
    CREATION_YEARS,
    FOUNDED,
    HEADCOUNTS,
    LA_POSTE_SIREN,
    NAME_QUALIFIERS,
    TURNOVERS,
    VERBS,
    day_between,
    weighted_choice,
)

if TYPE_CHECKING:
    from random import Random


@dataclass(eq=False)
class MadeOrg:
    """An organisation to write, and what its contacts and tags are made from."""

    org: Organisation
    email_domain: str
    zone: str  # the first digit of its landline numbers
    profile: names.Profile | None = None
    public: bool = False


@dataclass
class Span:
    """Years of membership of one organisation in one cluster: active from ``join`` to
    ``last``, then ``end`` (resigned or lapsed) the year after; a prospect (``end``) has
    only this year's row. Rows before ``since`` are not kept."""

    join: int
    last: int
    end: str = ""
    reason: str = ""
    since: int = FOUNDED


@dataclass(eq=False)
class Plan:
    o: MadeOrg
    span: Span


Place = tuple[str, str]  # (city, postal code)


class Maker:
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
        day = day_between(self.rng, datetime.date(joined, 1, 1), last)
        org.created_at = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC)

    def company(self, kind: str, profile: names.Profile, place: Place, joined: int) -> MadeOrg:
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
        org.headcount_band = weighted_choice(rng, HEADCOUNTS[kind])
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
        return MadeOrg(org, f"{domain}.test", _zone(org.region_code), profile)

    def public_body(self, kind: str, place: Place, joined: int, health: bool) -> MadeOrg:
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
        return MadeOrg(org, f"{domain}.test", _zone(org.region_code), None, public=True)


def _zone(region_code: str) -> str:
    return names.PHONE_ZONES.get(region_code, "4")
