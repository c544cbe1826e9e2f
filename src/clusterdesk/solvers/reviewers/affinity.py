"""Expert/application affinity scores in [0, 1]: a replaceable baseline.

The solver only needs a score matrix; anything implementing :class:`AffinityModel` can
produce it (a later embedding-based matcher, say). The baseline :class:`TfidfDomainAffinity`
combines

* domain overlap: Jaccard index of the two domain sets (normalised labels);
* text similarity: cosine of TF-IDF vectors of the application summary and the expert's
  competences, fitted on both collections together. Text is NFKD-folded (accents removed),
  lowercased, split on non-alphanumerics, stripped of French and English stop words and of
  one-letter tokens (French elisions such as ``l'`` or ``d'``), and a final plural ``s`` (or
  the ``x`` of ``-aux``/``-eux``) is dropped. No stemming library, no download.

Score = ``(domain_weight * jaccard + text_weight * cosine) / (domain_weight + text_weight)``.
Empty texts and empty domain sets contribute 0.

:class:`MatcherAffinity` is the model the product uses: the hybrid matcher of
:mod:`clusterdesk.solvers.matching` (BM25 with stemming fused with multilingual embeddings),
an expert's competences split into one text per paragraph or line, the domains mixed in
with the same Jaccard index; it keeps an explanation for every pair. The TF-IDF baseline
stays for the benchmark (``benchmarks/matching.py``) to compare against.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from ..matching import (
    DEFAULT_ENCODER,
    Document,
    EmbeddingCache,
    Encoder,
    Explanation,
    Matcher,
    Profile,
    Settings,
)
from .problem import Id


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Written for this module; folded (no accents), as tokens are compared after folding.
STOP_WORDS_EN = _words(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either etc
    few for from further had has have having he her here hers him his how however i if in into
    is it its itself just may me might more most must my no nor not now of off on once only or
    other our ours out over own per same she should so some such than that the their theirs
    them then there these they this those through thus to too under until up upon us use used
    using very via was we were what when where which while who whom why will with within
    without would yet you your yours
    """
)
STOP_WORDS_FR = _words(
    """
    a afin ai aie ainsi alors apres au aucun aupres aussi autre autres aux avait avant avec
    avoir ayant c ca car ce ceci cela celle celles celui ces cet cette ceux chaque chez ci comme
    comment d dans de des deja depuis donc dont du elle elles en encore entre est et etaient
    etait ete etre eu eux fait faire fois hors il ils j je l la le les leur leurs lors lui m ma
    mais me meme memes mes moi mon n ne ni non nos notre nous on ont ou outre par parmi pas
    peu peut peuvent plus pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa
    sans se selon ses si sien son sont sous sur t ta tandis te tes toi ton tous tout toute
    toutes tres tu un une unes uns vers via vos votre vous y
    """
)
STOP_WORDS = STOP_WORDS_EN | STOP_WORDS_FR

_TOKEN = re.compile(r"[a-z0-9]+")
# Dense TF-IDF blocks are (documents x terms) float64; cap one block at ~32 MB.
_BLOCK_CELLS = 4_000_000


@dataclass(frozen=True, slots=True)
class ApplicationProfile:
    id: Id
    summary: str = ""
    domains: Collection[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class ExpertProfile:
    id: Id
    competences: str = ""
    domains: Collection[str] = field(default_factory=frozenset)


class AffinityModel(Protocol):
    """Anything that scores every (application, expert) pair; higher means better suited."""

    def score_matrix(
        self, applications: Sequence[ApplicationProfile], experts: Sequence[ExpertProfile]
    ) -> NDArray[np.float64]:
        """Return a ``len(applications) x len(experts)`` matrix (the solver's item x reviewer)."""
        ...


def fold(text: str) -> str:
    """Lowercase and strip accents (``Énergie`` -> ``energie``, ``Œuvre`` -> ``oeuvre``)."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokenize(text: str) -> list[str]:
    """Content tokens of ``text``: folded, no stop words or one-letter tokens, plurals folded."""
    out = []
    for token in _TOKEN.findall(fold(text)):
        if len(token) < 2 or token in STOP_WORDS:
            continue
        # Crude plural folding, same on both sides: capteurs/capteur, reseaux/reseau.
        plural_s = len(token) > 3 and token.endswith("s") and not token.endswith("ss")
        if plural_s or (len(token) > 4 and token.endswith(("aux", "eux"))):
            token = token[:-1]
        out.append(token)
    return out


def normalize_domain(label: str) -> str:
    return " ".join(fold(label).split())


def domain_jaccard(
    left: Sequence[Collection[str]], right: Sequence[Collection[str]]
) -> NDArray[np.float64]:
    """Jaccard index of every (left, right) pair of domain sets; 0 when both are empty."""
    left_sets = [{normalize_domain(d) for d in ds} - {""} for ds in left]
    right_sets = [{normalize_domain(d) for d in ds} - {""} for ds in right]
    vocab = {d: n for n, d in enumerate(sorted(set().union(*left_sets, *right_sets)))}
    a = _incidence(left_sets, vocab)
    b = _incidence(right_sets, vocab)
    inter = a @ b.T
    union = a.sum(axis=1)[:, None] + b.sum(axis=1)[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def tfidf_cosine(left: Sequence[str], right: Sequence[str]) -> NDArray[np.float64]:
    """Cosine similarity of TF-IDF vectors (sublinear tf, smoothed idf) fitted on both lists."""
    docs = [Counter(tokenize(t)) for t in (*left, *right)]
    n_docs = len(docs)
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    idf = {t: math.log((1 + n_docs) / (1 + n)) + 1.0 for t, n in df.items()}
    weights: list[dict[str, float]] = []
    for doc in docs:
        vec = {t: (1.0 + math.log(c)) * idf[t] for t, c in doc.items()}
        norm = math.sqrt(sum(w * w for w in vec.values()))
        weights.append({t: w / norm for t, w in vec.items()} if norm > 0 else {})
    left_w, right_w = weights[: len(left)], weights[len(left) :]

    # Only terms on both sides contribute to a dot product.
    shared = sorted(set().union(*left_w) & set().union(*right_w)) if left_w and right_w else []
    vocab = {t: n for n, t in enumerate(shared)}
    left_coo, right_coo = _coo(left_w, vocab), _coo(right_w, vocab)
    result = np.zeros((len(left), len(right)), dtype=np.float64)
    block = max(1, _BLOCK_CELLS // max(1, len(left) + len(right)))
    for start in range(0, len(shared), block):
        stop = min(start + block, len(shared))
        result += (
            _dense_block(left_coo, len(left), start, stop)
            @ _dense_block(right_coo, len(right), start, stop).T
        )
    # Rounding can push identical vectors a hair above 1.
    return np.clip(result, 0.0, 1.0, out=result)


@dataclass(frozen=True)
class TfidfDomainAffinity:
    """Baseline :class:`AffinityModel`: weighted domain Jaccard and TF-IDF text cosine."""

    domain_weight: float = 0.4
    text_weight: float = 0.6

    def __post_init__(self) -> None:
        weights = (self.domain_weight, self.text_weight)
        if any(not math.isfinite(w) or w < 0 for w in weights) or sum(weights) <= 0:
            raise ValueError("weights must be finite, non-negative and not both zero")

    def score_matrix(
        self, applications: Sequence[ApplicationProfile], experts: Sequence[ExpertProfile]
    ) -> NDArray[np.float64]:
        total = self.domain_weight + self.text_weight
        scores = np.zeros((len(applications), len(experts)), dtype=np.float64)
        if self.domain_weight:
            jac = domain_jaccard([a.domains for a in applications], [e.domains for e in experts])
            scores += (self.domain_weight / total) * jac
        if self.text_weight:
            cos = tfidf_cosine([a.summary for a in applications], [e.competences for e in experts])
            scores += (self.text_weight / total) * cos
        return scores


def split_texts(text: str) -> list[str]:
    """One text per paragraph or line (an expert's competences, a list of past projects)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class MatcherAffinity:
    """:class:`AffinityModel` through the hybrid matcher; :attr:`explanations` holds the
    explanation of every (application id, expert id) pair scored, :attr:`model` what scored.

    ``encoder``: a name of :data:`clusterdesk.solvers.matching.ENCODERS`, an encoder, or
    ``None`` for BM25 alone; ``cache``: embeddings the caller keeps between runs;
    ``encode_budget_s``: see :class:`clusterdesk.solvers.matching.Matcher`."""

    domain_weight: float = 0.3
    encoder: str | Encoder | None = DEFAULT_ENCODER
    cache: EmbeddingCache | None = None
    encode_budget_s: float | None = None
    explanations: dict[tuple[Id, Id], Explanation] = field(default_factory=dict)
    model: str = ""

    def score_matrix(
        self, applications: Sequence[ApplicationProfile], experts: Sequence[ExpertProfile]
    ) -> NDArray[np.float64]:
        scores = np.zeros((len(applications), len(experts)), dtype=np.float64)
        if not applications or not experts:
            return scores
        matcher = Matcher(
            [
                Profile(id=n, texts=split_texts(e.competences), domains=list(e.domains))
                for n, e in enumerate(experts)
            ],
            encoder=self.encoder,
            cache=self.cache,
            settings=Settings(domain_weight=self.domain_weight),
            encode_budget_s=self.encode_budget_s,
        )
        documents = [
            Document(id=i, text=a.summary, domains=list(a.domains))
            for i, a in enumerate(applications)
        ]
        matcher.prepare(documents)  # all embedded, or none: one scale for the whole call
        for i, document in enumerate(documents):
            for score in matcher.score(document):
                r = int(score.profile)
                scores[i, r] = score.score
                self.explanations[(applications[i].id, experts[r].id)] = score.why
        self.model = matcher.model
        return scores


def affinity_entries(
    applications: Sequence[ApplicationProfile],
    experts: Sequence[ExpertProfile],
    scores: NDArray[np.float64],
    min_score: float = 0.0,
) -> list[dict[str, Any]]:
    """Sparse ``affinity`` list for the solver input, keeping scores above ``min_score``."""
    rows, cols = np.nonzero(scores > min_score)
    return [
        {"item": applications[i].id, "reviewer": experts[r].id, "score": float(scores[i, r])}
        for i, r in zip(rows.tolist(), cols.tolist(), strict=True)
    ]


def _incidence(sets: list[set[str]], vocab: dict[str, int]) -> NDArray[np.float64]:
    matrix = np.zeros((len(sets), len(vocab)), dtype=np.float64)
    for n, labels in enumerate(sets):
        matrix[n, [vocab[d] for d in labels]] = 1.0
    return matrix


_Coo = tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]


def _coo(vectors: list[dict[str, float]], vocab: dict[str, int]) -> _Coo:
    """(row, column, weight) triples over ``vocab``, sorted by column for block slicing."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for n, vec in enumerate(vectors):
        for term, w in vec.items():
            col = vocab.get(term)
            if col is not None:
                rows.append(n)
                cols.append(col)
                vals.append(w)
    order = np.argsort(np.array(cols, dtype=np.intp), kind="stable")
    return (
        np.array(rows, dtype=np.intp)[order],
        np.array(cols, dtype=np.intp)[order],
        np.array(vals, dtype=np.float64)[order],
    )


def _dense_block(coo: _Coo, n_rows: int, start: int, stop: int) -> NDArray[np.float64]:
    rows, cols, vals = coo
    lo, hi = np.searchsorted(cols, [start, stop])
    matrix = np.zeros((n_rows, stop - start), dtype=np.float64)
    matrix[rows[lo:hi], cols[lo:hi] - start] = vals[lo:hi]
    return matrix
