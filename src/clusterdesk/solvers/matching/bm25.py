"""Okapi BM25 over a fixed list of texts (a small implementation: numpy, no scipy).

For each term the index keeps the texts holding it and their BM25 weight
``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avg_len))`` with
``idf = ln(1 + (N - df + 0.5) / (df + 0.5))`` (Lucene's, never negative). A query's score
against each text is the sum of the weights of the query's distinct terms: the query is a
whole document here, so repeating a word in it does not count twice.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

K1 = 1.2
B = 0.75


class Bm25Index:
    """BM25 weights of every term of ``corpus`` (each item: a text's terms, with repeats)."""

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = K1, b: float = B) -> None:
        self.size = len(corpus)
        lengths = np.array([len(terms) for terms in corpus], dtype=np.float64)
        avg = float(lengths.mean()) if self.size and lengths.sum() else 1.0
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for n, terms in enumerate(corpus):
            norm = k1 * (1.0 - b + b * lengths[n] / avg)
            for term, tf in Counter(terms).items():
                rows, tfs = postings.setdefault(term, ([], []))
                rows.append(n)
                tfs.append(tf * (k1 + 1.0) / (tf + norm))
        self.idf: dict[str, float] = {}
        self._postings: dict[str, tuple[NDArray[np.intp], NDArray[np.float64]]] = {}
        for term, (rows, tfs) in postings.items():
            idf = math.log(1.0 + (self.size - len(rows) + 0.5) / (len(rows) + 0.5))
            self.idf[term] = idf
            self._postings[term] = (
                np.array(rows, dtype=np.intp),
                idf * np.array(tfs, dtype=np.float64),
            )

    def scores(self, query: Iterable[str]) -> NDArray[np.float64]:
        """BM25 score of the query's distinct terms against every text of the corpus."""
        out = np.zeros(self.size, dtype=np.float64)
        for term in set(query):
            posting = self._postings.get(term)
            if posting is not None:
                out[posting[0]] += posting[1]
        return out
