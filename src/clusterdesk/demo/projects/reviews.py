"""Experts, their reviews and the committee of the health cluster."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from clusterdesk.accounts.models import User
from clusterdesk.core.models import ClusterRole
from clusterdesk.core.roles import Role
from clusterdesk.crm.kinds import OrganisationKind as Kind
from clusterdesk.demo import names
from clusterdesk.demo.people import HEALTH_DOMAIN
from clusterdesk.demo.projects.figures import (
    COMMITTEE_ACCOUNT_SINCE,
    EXPERT_ACCOUNT_SINCE,
    FOUNDED,
    HEALTH_COMMITTEE,
    HEALTH_EXPERTS,
    REVIEW_COMMENTS,
    REVIEWED,
    S,
    at_hour,
)
from clusterdesk.demo.projects.maker import Maker, Site
from clusterdesk.projects.models import (
    CommitteeSession,
    Conflict,
    ExpertProfile,
    Review,
    ReviewAssignment,
    ReviewScore,
)

if TYPE_CHECKING:
    from random import Random


@dataclass(eq=False)
class Expert:
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


def make_people(maker: Maker, site: Site) -> tuple[list[Expert], list[tuple[User, int]]]:
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
        made.append(Expert(profile, since, org.pk if org else None, chosen))
    members = [(seat, COMMITTEE_ACCOUNT_SINCE)]
    # Five members since the first committee, the others joined over the years.
    members += [(u, FOUNDED if n < 5 else rng.randint(2008, 2020)) for n, u in enumerate(committee)]
    return made, members


MEAN_SCORE = {S.LABELLED: 4.0, S.REVISE: 3.0, S.NOT_LABELLED: 2.0}


@dataclass
class Reviews:
    assignments: list[ReviewAssignment] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    scores: list[ReviewScore] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


# A review recommends what its scores say: the label from 70 % of the highest score on
# average, a revision from 50 %, otherwise no label (no "do not label" at 4.3/5).
LABEL_FROM, REVISE_FROM = 0.7, 0.5


def recommendation_for(average: float, score_max: int) -> str:
    """The recommendation a reviewer gives with these scores (the demo's reviewers agree
    with themselves)."""
    if average >= LABEL_FROM * score_max:
        return "label"
    return "revise" if average >= REVISE_FROM * score_max else "reject"


def make_reviews(maker: Maker, site: Site, experts: list[Expert]) -> Reviews:
    """Two reviews per file that reached the review; the files of the coming sessions are
    still being reviewed, some by the demo's expert account."""
    rng, today = maker.rng, maker.today
    out = Reviews()
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
                assigned_at=at_hour(assigned, 11),
                no_conflict_declared_at=at_hour(declared, 12) if write else None,
            )
            maker.link(assignment, "application_id", app)
            maker.link(assignment, "expert_id", expert.profile)
            taken.add((id(app), id(expert.profile)))
            out.assignments.append(assignment)
            if not write:
                continue
            mean = MEAN_SCORE.get(S(app.state), 3.3) * made.call.score_max / 5
            criteria = maker.criteria[id(made.call)]
            values = [
                max(0, min(made.call.score_max, round(rng.gauss(mean, 0.8)))) for _c in criteria
            ]
            weights = [float(c.weight) for c in criteria]
            average = sum(w * v for w, v in zip(weights, values, strict=True)) / sum(weights)
            recommendation = recommendation_for(average, made.call.score_max)
            review = Review(
                cluster_id=app.cluster_id,
                recommendation=recommendation if submit else "",
                comments=rng.choice(REVIEW_COMMENTS[recommendation]) if submit else "",
                submitted_at=at_hour(submitted, 18) if submit else None,
            )
            maker.link(review, "assignment_id", assignment)
            out.reviews.append(review)
            for criterion, value in zip(criteria, values, strict=True):
                if not submit and rng.random() < 0.5:
                    continue  # a review being written: some criteria scored so far
                score = ReviewScore(cluster_id=app.cluster_id, score=value)
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
            created_at=at_hour(today - datetime.timedelta(days=rng.randint(2, 20))),
        )
        maker.link(conflict, "application_id", made.app)
        maker.link(conflict, "expert_id", expert.profile)
        out.conflicts.append(conflict)
    return out


def make_committee(
    maker: Maker, site: Site, members: list[tuple[User, int]]
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
