"""The matcher (``solvers.matching``) in projects: where its embeddings are kept, which
encoder scores, and how an explanation is stored (``ReviewAssignment.affinity_why``).

The cache is one file under the install's ``var/`` directory, shared by the proposals and
the partner suggestions: a text embedded once (an expert's competences, an organisation's
description) is not embedded again until it changes. Writing it is best effort: a read-only
disk costs the next run its embeddings, not the proposal.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.conf import settings

from clusterdesk.solvers.matching import (
    DEFAULT_ENCODER,
    Document,
    EmbeddingCache,
    Explanation,
    Matcher,
    Profile,
    Score,
)

# Seconds a page may spend embedding what the cache lacks before scoring with BM25 alone
# (solvers.matching.Matcher.prepare); what was embedded is kept for the next time.
PROPOSAL_BUDGET_S = 20.0
SUGGESTIONS_BUDGET_S = 8.0


def embedding_cache_path() -> Path:
    return Path(settings.VAR_DIR) / "matching" / "embeddings.npz"


def embedding_cache() -> EmbeddingCache:
    return EmbeddingCache.load(embedding_cache_path())


def embedding_cache_keep(cache: EmbeddingCache) -> None:
    """Save the cache if anything new was embedded into it."""
    if cache.encoded:
        with contextlib.suppress(OSError):
            cache.save(embedding_cache_path())


def encoder_name() -> str | None:
    """``CLUSTERDESK_MATCHING_ENCODER`` (``none``: BM25 alone), by default the e5 model."""
    name = str(getattr(settings, "MATCHING_ENCODER", DEFAULT_ENCODER))
    return None if name == "none" else name


def why_json(why: Explanation) -> dict[str, Any]:
    """What ``affinity_why`` stores and the templates read."""
    out: dict[str, Any] = {}
    if why.terms:
        out["terms"] = list(why.terms)
    if why.domains:
        out["domains"] = list(why.domains)
    if why.excerpt:
        out["text"] = why.excerpt
    return out


# How many profiles BM25 passes to the encoder (it embeds only those).
SHORTLIST = 40


def text_scores(
    text: str, profiles: dict[int, list[str]], *, shortlist: int = SHORTLIST
) -> tuple[dict[int, Score], str]:
    """How well each profile (its texts by id) fits ``text``, explained: BM25 (French and
    English stems) shortlists, the encoder re-scores within ``SUGGESTIONS_BUDGET_S`` from
    the shared cache. For the suggestions of other domains (experts for a support case,
    whom to meet at a brokerage event); scores in [0, 1], missing ids fit nothing."""
    candidates = [
        Profile(pk, tuple(t for t in texts if t.strip()))
        for pk, texts in profiles.items()
        if any(t.strip() for t in texts)
    ]
    if not candidates or not text.strip():
        return {}, ""
    document = Document("text", text)
    lexical = Matcher(candidates, encoder=None).score(document, explain=False)
    short = {s.profile for s in lexical[:shortlist] if s.score > 0}
    if not short:
        return {}, ""
    cache = embedding_cache()
    matcher = Matcher(
        [p for p in candidates if p.id in short],
        encoder=encoder_name(),
        cache=cache,
        encode_budget_s=SUGGESTIONS_BUDGET_S,
    )
    matcher.prepare([document])
    scored = matcher.score(document)
    embedding_cache_keep(cache)
    return {int(s.profile): s for s in scored}, matcher.model
