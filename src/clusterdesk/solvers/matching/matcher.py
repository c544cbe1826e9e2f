"""Score profiles (several texts each) against documents: BM25 and dense embeddings, fused.

For one document and every profile text ``t``:

* lexical ``L(t)``: BM25 of the document's terms against ``t`` (see :mod:`.bm25`, terms
  from :mod:`.text`), divided by the best text's BM25 for that document (so in [0, 1]);
* dense ``E(t)``: cosine of the document's and the text's embeddings, min-max scaled over
  all the texts for that document (so in [0, 1]); 0 everywhere without an encoder.

Each channel is aggregated over a profile's texts (``aggregation``: ``max``, ``mean`` or
``top<k>``, the mean of the k best) and the two are fused: ``mix``
``w * L + (1 - w) * E`` with ``w = lexical_weight``, or ``rrf`` (reciprocal rank fusion,
``sum 1 / (60 + rank)`` over the channels where the profile scores above 0, scaled so that
first in both is 1). With ``domain_weight > 0`` and domains on both sides the result is
``(1 - d) * text + d * jaccard(domains)``. Scores are in [0, 1], higher is a better fit.
The defaults are those the benchmark (``benchmarks/matching.py``) ranked best.

An explanation names the profile text that matched best (by the mixed per-text score), the
terms it shares with the document (rarest first, as the document writes them) and the
domains both sides have.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .bm25 import Bm25Index
from .cache import EmbeddingCache, EncodingTimeout
from .encoders import DEFAULT_ENCODER, Encoder, load_encoder
from .text import analyse, fold

Id = int | str
Fusion = Literal["mix", "rrf"]
RRF_K = 60
EXPLAIN_TERMS = 6
EXCERPT_CHARS = 160


class MatchingInputError(ValueError):
    """Malformed input; the message names the field."""


@dataclass(frozen=True, slots=True)
class Document:
    id: Id
    text: str
    domains: Collection[str] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    id: Id
    texts: Sequence[str]
    domains: Collection[str] = ()


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a profile fits: shared terms, shared domains, the best text (index, excerpt)."""

    terms: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    best_text: int | None = None
    excerpt: str = ""

    def lines(self) -> list[str]:
        out = []
        if self.terms:
            out.append("terms: " + ", ".join(self.terms))
        if self.domains:
            out.append("domains: " + ", ".join(self.domains))
        if self.best_text is not None:
            out.append(f"best text #{self.best_text + 1}: {self.excerpt}")
        return out


@dataclass(frozen=True, slots=True)
class Score:
    profile: Id
    document: Id
    score: float
    why: Explanation = field(default_factory=Explanation)


@dataclass(frozen=True, slots=True)
class Settings:
    fusion: Fusion = "mix"
    lexical_weight: float = 0.3
    aggregation: str = "top2"
    domain_weight: float = 0.0

    def __post_init__(self) -> None:
        if self.fusion not in ("mix", "rrf"):
            raise MatchingInputError(f"fusion: expected 'mix' or 'rrf', got {self.fusion!r}")
        for name in ("lexical_weight", "domain_weight"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise MatchingInputError(f"{name}: expected a number in [0, 1], got {value!r}")
        aggregation_k(self.aggregation)


def aggregation_k(aggregation: str) -> int:
    """How many best texts are averaged: 1 for ``max``, 0 (all) for ``mean``, k for ``topk``."""
    if aggregation == "max":
        return 1
    if aggregation == "mean":
        return 0
    if aggregation.startswith("top") and aggregation[3:].isdigit() and int(aggregation[3:]) > 0:
        return int(aggregation[3:])
    raise MatchingInputError(f"aggregation: expected max, mean or top<k>, got {aggregation!r}")


def _domain_set(labels: Iterable[str]) -> dict[str, str]:
    """Folded label -> label as written."""
    return {" ".join(fold(label).split()): label for label in labels if label.strip()}


def _minmax(values: NDArray[np.float64]) -> NDArray[np.float64]:
    if not values.size:
        return values
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-9:
        return np.zeros_like(values) if high <= 0 else np.ones_like(values)
    return (values - low) / (high - low)


class Matcher:
    """An index of profiles to score documents against (build once, query many times).

    ``encoder``: a name of :data:`.encoders.ENCODERS`, an :class:`Encoder`, or ``None`` for
    BM25 alone. The encoder is loaded, and the profile texts embedded (through ``cache``,
    which the caller may persist), on the first document scored or by :meth:`prepare`. If
    it cannot load or fails, the matcher keeps going on BM25 and :attr:`model` says why.
    ``encode_budget_s`` bounds the time :meth:`prepare` spends embedding what the cache
    lacks: past it the matcher scores with BM25 alone (so every document on one scale),
    and the next run, with what was embedded kept in the cache, gets further.
    """

    def __init__(
        self,
        profiles: Sequence[Profile],
        *,
        encoder: str | Encoder | None = DEFAULT_ENCODER,
        cache: EmbeddingCache | None = None,
        settings: Settings | None = None,
        encode_budget_s: float | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.encode_budget_s = encode_budget_s
        self._k = aggregation_k(self.settings.aggregation)
        ids = [p.id for p in profiles]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise MatchingInputError(f"profiles: duplicate id {dup!r}")
        self.profiles = list(profiles)
        self.position = {p.id: n for n, p in enumerate(self.profiles)}
        self.cache = cache if cache is not None else EmbeddingCache()
        self._texts: list[str] = []
        owner: list[int] = []
        for n, profile in enumerate(self.profiles):
            self._texts.extend(profile.texts)
            owner.extend([n] * len(profile.texts))
        self._owner = np.array(owner, dtype=np.intp)
        self._analysed = [analyse(t) for t in self._texts]
        self._term_sets = [frozenset(a.terms) for a in self._analysed]
        self._bm25 = Bm25Index([a.terms for a in self._analysed])
        # Padded (profile x its texts) table of text indices; -1 pads.
        width = max((len(p.texts) for p in self.profiles), default=0)
        self._table = np.full((len(self.profiles), max(width, 1)), -1, dtype=np.intp)
        start = 0
        for n, profile in enumerate(self.profiles):
            self._table[n, : len(profile.texts)] = np.arange(start, start + len(profile.texts))
            start += len(profile.texts)
        self._domains = [_domain_set(p.domains) for p in self.profiles]
        self._encoder_spec = encoder
        self._encoder: Encoder | None = None
        self._encoder_ready = encoder is None
        self._fallback = "" if encoder is not None else "lexical only"
        self._vectors: NDArray[np.float32] | None = None
        self._empty = np.zeros(0, dtype=bool)  # texts without a vector (blank)

    # -- the dense channel, lazily ------------------------------------------------------
    def _dense_encoder(self) -> Encoder | None:
        if not self._encoder_ready:
            self._encoder_ready = True
            spec = self._encoder_spec
            if isinstance(spec, str):
                self._encoder, reason = load_encoder(spec)
                if self._encoder is None:
                    self._fallback = f"lexical only: {reason}"
            else:
                self._encoder = spec
        return self._encoder

    def _fail_dense(self, exc: Exception) -> None:
        self._encoder = None
        self._vectors = None
        self._fallback = f"lexical only: encoder failed ({type(exc).__name__}: {exc})"

    def _text_vectors(
        self, encoder: Encoder, deadline: float | None = None
    ) -> NDArray[np.float32] | None:
        if self._vectors is None:
            present = [n for n, t in enumerate(self._texts) if t.strip()]
            texts = [self._texts[n] for n in present]
            vectors = self.cache.embed(encoder, texts, "passage", deadline)
            dim = vectors.shape[1] if len(present) else 1
            matrix = np.zeros((len(self._texts), dim), dtype=np.float32)
            if present:
                matrix[present] = vectors
            self._vectors = matrix
            self._empty = np.ones(len(self._texts), dtype=bool)
            self._empty[present] = False
        return self._vectors

    def prepare(self, documents: Sequence[Document] = ()) -> None:
        """Load the encoder and embed the profile texts and ``documents`` now (otherwise
        on first use), within ``encode_budget_s``."""
        encoder = self._dense_encoder()
        if encoder is None:
            return
        budget = self.encode_budget_s
        deadline = None if budget is None else time.monotonic() + budget
        try:
            self._text_vectors(encoder, deadline)
            texts = [d.text for d in documents if d.text.strip()]
            if texts:
                self.cache.embed(encoder, texts, "query", deadline)
        except EncodingTimeout as exc:
            self._encoder = None
            self._vectors = None
            self._fallback = (
                f"lexical only: embedding needed more than {budget:g} s, "
                f"{exc.left} texts left for the next run"
            )
        except Exception as exc:  # a failing third-party model means "fall back"
            self._fail_dense(exc)

    @property
    def model(self) -> str:
        """What scored: ``bm25+<encoder>`` and the settings, or why it is BM25 alone."""
        s = self.settings
        fused = f"{s.fusion} {s.lexical_weight:g}" if s.fusion == "mix" else "rrf"
        encoder = self._encoder if self._encoder_ready else None
        if encoder is not None:
            return f"bm25+{encoder.name} ({fused}, {s.aggregation})"
        if not self._encoder_ready and isinstance(self._encoder_spec, str):
            return f"bm25+{self._encoder_spec} (not loaded yet)"
        return f"bm25 ({s.aggregation}; {self._fallback})"

    # -- scoring ------------------------------------------------------------------------
    def _aggregate(self, per_text: NDArray[np.float64]) -> NDArray[np.float64]:
        padded = np.where(self._table >= 0, per_text[self._table], np.nan)
        counts = (self._table >= 0).sum(axis=1)
        ordered = -np.sort(-np.nan_to_num(padded, nan=-np.inf), axis=1)
        ordered = np.where(np.isfinite(ordered), ordered, 0.0)
        k = counts if self._k == 0 else np.minimum(counts, self._k)
        columns = np.arange(ordered.shape[1])[None, :]
        total = np.where(columns < k[:, None], ordered, 0.0).sum(axis=1)
        return np.divide(total, k, out=np.zeros(len(k)), where=k > 0)

    def _channels(
        self, document: Document
    ) -> tuple[NDArray[np.float64], NDArray[np.float64] | None, frozenset[str], dict[str, str]]:
        analysed = analyse(document.text)
        lexical = self._bm25.scores(analysed.terms)
        best = float(lexical.max()) if lexical.size else 0.0
        lexical = lexical / best if best > 0 else np.zeros_like(lexical)
        dense = None
        encoder = self._dense_encoder()
        if encoder is not None and document.text.strip() and self._texts:
            try:
                vectors = self._text_vectors(encoder)
                query = self.cache.embed(encoder, [document.text], "query")[0]
                if vectors is not None:
                    # einsum, not BLAS: a matrix-vector product through threaded BLAS
                    # took 20 ms for 10,000 x 384 on the 2-core machine, einsum 2 ms.
                    cosine = np.einsum("ij,j->i", vectors, query).astype(np.float64)
                    empty = self._empty
                    dense = _minmax(np.where(empty, cosine.min(initial=0.0), cosine))
                    dense[empty] = 0.0
            except Exception as exc:
                self._fail_dense(exc)
                dense = None
        return lexical, dense, frozenset(analysed.terms), analysed.surface

    def _fuse(
        self, lexical: NDArray[np.float64], dense: NDArray[np.float64] | None
    ) -> NDArray[np.float64]:
        s = self.settings
        if dense is None:
            return lexical
        if s.fusion == "mix":
            return s.lexical_weight * lexical + (1.0 - s.lexical_weight) * dense
        fused = np.zeros_like(lexical)
        for channel in (lexical, dense):
            ranks = np.empty(len(channel), dtype=np.float64)
            ranks[np.argsort(-channel, kind="stable")] = np.arange(1, len(channel) + 1)
            fused += np.where(channel > 0, 1.0 / (RRF_K + ranks), 0.0)
        return fused / (2.0 / (RRF_K + 1))

    def score(
        self,
        document: Document,
        profile_ids: Collection[Id] | None = None,
        top_k: int | None = None,
        explain: bool = True,
    ) -> list[Score]:
        """Scores of the profiles (all, or ``profile_ids``) for ``document``, best first
        (ties by profile order), at most ``top_k`` of them."""
        if not self.profiles:
            return []
        lexical, dense, doc_terms, surface = self._channels(document)
        lex_p = self._aggregate(lexical)
        dense_p = self._aggregate(dense) if dense is not None else None
        text_score = self._fuse(lex_p, dense_p)
        doc_domains = _domain_set(document.domains)
        d = self.settings.domain_weight
        if d > 0 and doc_domains:
            jaccard = np.array(
                [
                    len(doc_domains.keys() & pd.keys()) / len(doc_domains.keys() | pd.keys())
                    if pd
                    else 0.0
                    for pd in self._domains
                ]
            )
            has = np.array([bool(pd) for pd in self._domains])
            text_score = np.where(has, (1 - d) * text_score + d * jaccard, text_score)
        if profile_ids is None:
            chosen = np.arange(len(self.profiles))
        else:
            chosen = np.array(sorted({self.position[i] for i in profile_ids}), dtype=np.intp)
        order = chosen[np.argsort(-text_score[chosen], kind="stable")]
        if top_k is not None:
            order = order[:top_k]
        per_text = (
            self.settings.lexical_weight * lexical + (1 - self.settings.lexical_weight) * dense
            if dense is not None
            else lexical
        )
        out = []
        for n in order.tolist():
            why = (
                self._explain(n, per_text, doc_terms, surface, doc_domains)
                if explain
                else Explanation()
            )
            value = float(np.clip(text_score[n], 0.0, 1.0))
            out.append(Score(self.profiles[n].id, document.id, round(value, 6), why))
        return out

    def _explain(
        self,
        n: int,
        per_text: NDArray[np.float64],
        doc_terms: frozenset[str],
        surface: dict[str, str],
        doc_domains: dict[str, str],
    ) -> Explanation:
        texts = self._table[n][self._table[n] >= 0]
        domains = tuple(sorted(doc_domains[k] for k in doc_domains.keys() & self._domains[n]))
        if not len(texts) or not per_text[texts].max(initial=0.0) > 0:
            return Explanation(domains=domains)
        best = int(texts[int(np.argmax(per_text[texts]))])
        shared = doc_terms & self._term_sets[best]
        idf = self._bm25.idf
        terms = sorted(shared, key=lambda t: (-idf.get(t, 0.0), t))[:EXPLAIN_TERMS]
        text = " ".join(self._texts[best].split())
        excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
        return Explanation(
            terms=tuple(surface.get(t, t) for t in terms),
            domains=domains,
            best_text=best - int(texts[0]),
            excerpt=excerpt,
        )


def rank(
    documents: Sequence[Document],
    profiles: Sequence[Profile],
    pairs: Iterable[tuple[Id, Id]] | None = None,
    top_k: int | None = None,
    *,
    encoder: str | Encoder | None = DEFAULT_ENCODER,
    cache: EmbeddingCache | None = None,
    settings: Settings | None = None,
    encode_budget_s: float | None = None,
) -> tuple[list[Score], str]:
    """Score ``pairs`` (profile id, document id), or every pair; per document best first,
    at most ``top_k`` profiles each. Returns the scores and the model that made them."""
    matcher = Matcher(
        profiles, encoder=encoder, cache=cache, settings=settings, encode_budget_s=encode_budget_s
    )
    doc_ids = [d.id for d in documents]
    if len(set(doc_ids)) != len(doc_ids):
        dup = next(i for i in doc_ids if doc_ids.count(i) > 1)
        raise MatchingInputError(f"documents: duplicate id {dup!r}")
    wanted: dict[Id, set[Id]] | None = None
    if pairs is not None:
        known_docs = set(doc_ids)
        wanted = {}
        for n, (profile_id, document_id) in enumerate(pairs):
            if profile_id not in matcher.position:
                raise MatchingInputError(f"pairs[{n}]: unknown profile {profile_id!r}")
            if document_id not in known_docs:
                raise MatchingInputError(f"pairs[{n}]: unknown document {document_id!r}")
            wanted.setdefault(document_id, set()).add(profile_id)
    matcher.prepare([d for d in documents if wanted is None or d.id in wanted])
    scores: list[Score] = []
    for document in documents:
        subset = None if wanted is None else wanted.get(document.id)
        if wanted is not None and not subset:
            continue
        scores.extend(matcher.score(document, subset, top_k))
    return scores, matcher.model
