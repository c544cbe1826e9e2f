"""Who fits what: profiles (several texts each) scored against documents, explained.

A pure library (no Django): lexical BM25 with French and English stemming (:mod:`.text`,
:mod:`.bm25`) fused with multilingual dense embeddings from a model shipped inside a PyPI
package (:mod:`.encoders`), cached by text hash (:mod:`.cache`); see :mod:`.matcher` for
the maths. Typical use::

    scores, model = rank(documents, profiles, top_k=5, cache=EmbeddingCache.load(path))

or, to query one index many times, ``Matcher(profiles).score(document)``.
"""

from .cache import EmbeddingCache, text_key
from .encoders import DEFAULT_ENCODER, ENCODERS, Encoder, load_encoder
from .matcher import (
    Document,
    Explanation,
    Id,
    Matcher,
    MatchingInputError,
    Profile,
    Score,
    Settings,
    rank,
)

__all__ = [
    "DEFAULT_ENCODER",
    "ENCODERS",
    "Document",
    "EmbeddingCache",
    "Encoder",
    "Explanation",
    "Id",
    "Matcher",
    "MatchingInputError",
    "Profile",
    "Score",
    "Settings",
    "load_encoder",
    "rank",
    "text_key",
]
