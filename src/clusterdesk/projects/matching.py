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

from clusterdesk.solvers.matching import DEFAULT_ENCODER, EmbeddingCache, Explanation

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
