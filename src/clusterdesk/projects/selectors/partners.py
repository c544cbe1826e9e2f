"""Partner suggestions for an application being put together: organisations the cluster
follows whose profile (description, domains and themes, past projects) fits the application
and brings what its consortium lacks, each with the reason (the matcher's explanation).

What the consortium lacks: the application's domains and themes that no partner has in its
relationship with the cluster. A candidate's score is the matcher's fit of its profile to
the application's text, mixed with the share of those missing labels it has
(``COVERAGE_WEIGHT``) when some are missing. The matcher runs in two stages so that a page
stays fast with thousands of organisations: BM25 alone over every candidate, then the
hybrid (BM25 and embeddings, cached under var/) over the shortlist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from clusterdesk.crm.models import Organisation, Relationship
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.projects.matching import (
    SUGGESTIONS_BUDGET_S,
    embedding_cache,
    embedding_cache_keep,
    encoder_name,
    why_json,
)
from clusterdesk.projects.models import Application, Partner
from clusterdesk.solvers.matching import Document, Matcher, Profile, Settings

COVERAGE_WEIGHT = 0.3
SHORTLIST = 20
PAST_PROJECTS = 5


@dataclass(frozen=True)
class PartnerSuggestion:
    organisation: Organisation
    score: float
    # terms, domains, text (the closest text of its profile), covers (missing labels it has)
    why: dict[str, Any]


@dataclass(frozen=True)
class PartnerSuggestions:
    suggestions: list[PartnerSuggestion]
    missing: list[str]  # the application's domains and themes no partner has
    model: str


def _labels(relationship: Any) -> list[str]:
    """A ``Relationship``'s domains, themes and markets (none without one)."""
    if relationship is None:
        return []
    return [
        *(d.name for d in relationship.domains.all()),
        *(t.name for t in relationship.themes.all()),
        *(m.name for m in relationship.markets.all()),
    ]


def _texts(org: Organisation, labels: list[str], projects: list[Any]) -> list[str]:
    """An organisation's profile: descriptions, labels, its latest ``Partner`` rows' projects."""
    texts = [org.description, org.description_en, ", ".join(labels)]
    for partnership in projects[:PAST_PROJECTS]:
        app = partnership.application
        texts.append(f"{app.acronym} — {app.title}. {app.summary or app.summary_en}")
    return [t for t in texts if t.strip()]


def partner_suggestions(
    *,
    application: Application,
    limit: int = 5,
    quote_texts: bool = True,
    among: QuerySet[Organisation] | None = None,
) -> PartnerSuggestions:
    """The best ``limit`` organisations to add to the consortium, best first, taken from
    ``among`` (by default every organisation the cluster follows). With ``quote_texts``
    false the explanation leaves out the quoted profile text (it may come from another
    application the reader does not see)."""
    cluster = application.cluster
    in_consortium = set(application.partners.values_list("organisation_id", flat=True))
    wanted = [d.name for d in application.domains.all()] + [
        t.name for t in application.themes.all()
    ]
    relationships = Relationship.objects.filter(cluster=cluster).prefetch_related(
        "domains", "themes", "markets"
    )
    past = (
        Partner.objects.filter(cluster=cluster)
        .exclude(application=application)
        .select_related("application")
        .order_by("-application__created_at", "-pk")
    )
    orgs = list(
        organisations_followed(cluster=cluster)
        .prefetch_related(
            Prefetch("relationships", queryset=relationships, to_attr="here"),
            Prefetch("partnerships", queryset=past, to_attr="past"),
        )
        .order_by("name", "pk")
    )
    labels = {o.pk: _labels(next(iter(o.here), None)) for o in orgs}
    covered = {label.casefold() for pk in in_consortium for label in labels.get(pk, [])}
    missing = [w for w in wanted if w.casefold() not in covered]
    missing_keys = {m.casefold() for m in missing}
    allowed = None if among is None else set(among.values_list("pk", flat=True))
    candidates = {
        o.pk: o for o in orgs if o.pk not in in_consortium and (allowed is None or o.pk in allowed)
    }
    profiles = [
        Profile(id=pk, texts=texts)
        for pk, org in candidates.items()
        if (texts := _texts(org, labels[pk], org.past))
    ]
    document = Document(
        id=application.pk,
        text="\n".join(t for t in (application.title, application.summary, application.summary_en)),
    )
    if not profiles:
        return PartnerSuggestions([], missing, "")

    def coverage(pk: int) -> list[str]:
        return sorted({lab for lab in labels[pk] if lab.casefold() in missing_keys})

    lexical = Matcher(profiles, encoder=None).score(document, explain=False)
    shortlist = [s.profile for s in lexical[:SHORTLIST] if s.score > 0]
    shortlist += [p.id for p in profiles if p.id not in shortlist and coverage(int(p.id))]
    chosen = {p.id: p for p in profiles}
    cache = embedding_cache()
    matcher = Matcher(
        [chosen[pk] for pk in shortlist[: SHORTLIST * 2]],
        encoder=encoder_name(),
        cache=cache,
        settings=Settings(),
        encode_budget_s=SUGGESTIONS_BUDGET_S,
    )
    matcher.prepare([document])
    scored = matcher.score(document)
    embedding_cache_keep(cache)
    out = []
    for s in scored:
        pk = int(s.profile)
        covers = coverage(pk)
        score = s.score
        if missing:
            score = (1 - COVERAGE_WEIGHT) * score + COVERAGE_WEIGHT * len(covers) / len(missing)
        if score <= 0:
            continue
        why = why_json(s.why)
        if not quote_texts:
            why.pop("text", None)
        if covers:
            why["covers"] = covers
        out.append(PartnerSuggestion(candidates[pk], round(score, 4), why))
    out.sort(key=lambda s: -s.score)
    return PartnerSuggestions(out[:limit], missing, matcher.model)
