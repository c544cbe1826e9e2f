"""What is generated: the applications and their rows, and the maker that draws calls,
applications, consortia and committee sessions for a cluster.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clusterdesk.core.models import Cluster
from clusterdesk.demo import names
from clusterdesk.demo.projects.figures import (
    ACRONYM_ENDS,
    AID_RATE,
    BUDGET_WEIGHT,
    CONSORTIUM_SIZES,
    CRITERIA,
    FOUNDED,
    MONTHS_FR,
    ON_AGENDA,
    OPENINGS,
    OTHER_AID_RATE,
    REASONS,
    SESSION_MONTHS,
    SESSION_NOTES,
    S,
    T,
    at_hour,
    de_noun,
    first_long_word,
    weighted_choice,
    working_day,
)
from clusterdesk.demo.projects.pools import Pool, PoolOrg
from clusterdesk.demo.projects.rounds import Round
from clusterdesk.projects.models import (
    Application,
    Call,
    CommitteeSession,
    Criterion,
    Funder,
    FundingApplication,
    FundingLine,
    Partner,
)

if TYPE_CHECKING:
    from random import Random


@dataclass(eq=False)
class MadeApp:
    """An application being made, with what its money and reviews are made from."""

    app: Application
    call: Call
    consortium: list[tuple[PoolOrg, str]]
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
class Site:
    """One cluster being filled: its organisations, calls, sessions and applications."""

    cluster: Cluster
    start: int
    pool: Pool
    profiles: list[names.Profile]
    calls: dict[int, Call] = field(default_factory=dict)
    fui_calls: dict[int, Call] = field(default_factory=dict)
    sessions: dict[tuple[int, int], CommitteeSession] = field(default_factory=dict)
    apps: list[MadeApp] = field(default_factory=list)
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


class Maker:
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

    def call(self, site: Site, year: int) -> Call:
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
                created_at=at_hour(datetime.date(first - 1, 12, 10)),
            )
            site.calls[first] = call
            self.rows.calls.append(call)
            self._criteria(site.cluster, call)
        return site.calls[first]

    def fui_call(self, site: Site, fui: Round) -> Call:
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
                created_at=at_hour(fui.opens_on),
            )
            site.fui_calls[fui.number] = call
            self.rows.calls.append(call)
            self._criteria(site.cluster, call)
        return site.fui_calls[fui.number]

    def session(self, site: Site, year: int, month: int) -> CommitteeSession:
        key = (year, month)
        if key not in site.sessions:
            rng = self.rng
            day = working_day(datetime.date(year, month, rng.randint(4, 22)))
            city = site.cluster.seat_city or "Lyon"
            remote = year in (2020, 2021) or (year > 2021 and rng.random() < 0.3)
            location = "Visioconférence" if remote else f"Siège du pôle, {city}"
            session = CommitteeSession(
                cluster_id=site.cluster.pk,
                title=f"Comité de labellisation {de_noun(MONTHS_FR[month])} {year}",
                date=day,
                location=location,
                minutes=rng.choice(SESSION_NOTES) if day < self.today else "",
            )
            site.sessions[key] = session
            self.rows.sessions.append(session)
        return site.sessions[key]

    def session_months(self, site: Site, year: int) -> tuple[int, ...]:
        # The clusters were labelled by the State in July 2005: their first committees sat
        # in the autumn.
        return tuple(m for m in SESSION_MONTHS if year > FOUNDED or m >= 10)

    # applications

    def acronym(self, site: Site, profile: names.Profile, product: str, use: str) -> str:
        """A project name: a stem of the trade and an ending, or syllables of what the
        project makes and what for; a second project of the same name gets a number."""
        rng = self.rng
        words = [first_long_word(product), first_long_word(use)]
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

    def consortium(
        self, site: Site, year: int, research: float = 0.85
    ) -> list[tuple[PoolOrg, str]]:
        rng, pool = self.rng, site.pool
        size = weighted_choice(rng, CONSORTIUM_SIZES)
        lead = pool.draw(rng, year, "sme" if rng.random() < 0.8 else "large")
        if lead is None:
            raise RuntimeError(f"{site.cluster} has no organisation to make a project with.")
        members: list[tuple[PoolOrg, str]] = [(lead, Partner.Role.COORDINATOR)]
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
        site: Site,
        *,
        year: int,
        state: str,
        session: CommitteeSession | None,
        fui: Round | None = None,
        consortium: list[tuple[PoolOrg, str]] | None = None,
    ) -> MadeApp:
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
        title = f"{opening} {de_noun(product)} pour {use}"
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
        made = MadeApp(app=app, call=call, consortium=members, session=session, year=year)
        if lead.domains:
            made.domains = [lead.domains[0]]
        if theme in site.theme_ids:
            made.themes = [site.theme_ids[theme]]
        self._dates(made)
        site.apps.append(made)
        return made

    def _dates(self, made: MadeApp) -> None:
        rng, app, today = self.rng, made.app, self.today
        session = made.session
        if session is not None:
            submitted = session.date - datetime.timedelta(days=rng.randint(40, 110))
            submitted = min(submitted, today - datetime.timedelta(days=rng.randint(2, 20)))
        elif made.year < today.year:
            submitted = datetime.date(made.year, rng.randint(2, 11), rng.randint(1, 28))
        else:
            submitted = today - datetime.timedelta(days=rng.randint(3, 40))
        app.created_at = at_hour(submitted - datetime.timedelta(days=rng.randint(10, 70)), 9)
        if app.state != S.DRAFT:
            app.submitted_at = at_hour(submitted, 16)
        if app.state in REASONS:
            app.state_reason = rng.choice(REASONS[S(app.state)])
        if app.state in (S.LABELLED, S.NOT_LABELLED, S.REVISE) and session is not None:
            app.decided_at = at_hour(session.date, 17)
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


def partners_of_kind(members: list[tuple[PoolOrg, str]]) -> list[float]:
    weights = []
    for org, role in members:
        weight = BUDGET_WEIGHT.get(org.kind, 1.0)
        if role == Partner.Role.COORDINATOR:
            weight *= 1.4
        elif role == Partner.Role.SUBCONTRACTOR:
            weight *= 0.3
        weights.append(weight)
    return weights


def aid_rate(org: PoolOrg, role: str) -> float:
    if role == Partner.Role.SUBCONTRACTOR:
        return 0.0
    if org.research:
        return AID_RATE["research"]
    if org.sme:
        return AID_RATE["sme"]
    return AID_RATE.get(org.kind, OTHER_AID_RATE)


def scaled_to(total: int, raw: Sequence[float]) -> list[int]:
    """Whole euros in proportion to ``raw``, summing to ``total`` exactly: each amount is
    rounded down, and the last one that is not zero takes what rounding left."""
    factor = total / sum(raw)
    amounts = [math.floor(r * factor) for r in raw]
    last = max(i for i, r in enumerate(raw) if r > 0)
    amounts[last] += total - sum(amounts)
    return amounts
