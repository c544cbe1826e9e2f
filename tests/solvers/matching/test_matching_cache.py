"""Embeddings are cached by text hash: a changed text alone is encoded again, and the cache
survives a save and a load (a corrupt file is an empty cache)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from clusterdesk.solvers.matching import Document, EmbeddingCache, Matcher, Profile
from clusterdesk.solvers.matching.encoders import Kind


class HashEncoder:
    """A deterministic stand-in for a third-party model that records what it encodes."""

    name = "hash-8"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], kind: Kind) -> NDArray[np.float32]:
        self.seen.extend(texts)
        rows = []
        for text in texts:
            digest = hashlib.sha256(f"{kind}:{text}".encode()).digest()[:8]
            vector = np.frombuffer(digest, dtype=np.uint8).astype(np.float32) + 1.0
            rows.append(vector / np.linalg.norm(vector))
        return np.stack(rows)


def test_only_new_or_changed_texts_are_encoded_again(tmp_path: Path) -> None:
    encoder = HashEncoder()
    cache = EmbeddingCache()
    profiles = [Profile(id=1, texts=["alpha", "beta"]), Profile(id=2, texts=["gamma"])]
    Matcher(profiles, encoder=encoder, cache=cache).score(Document(id="d", text="alpha"))
    assert sorted(encoder.seen) == ["alpha", "alpha", "beta", "gamma"]  # 3 passages, 1 query

    path = tmp_path / "var" / "embeddings.npz"
    cache.save(path)
    reloaded = EmbeddingCache.load(path)
    assert len(reloaded) == 4

    encoder.seen.clear()
    changed = [Profile(id=1, texts=["alpha", "beta"]), Profile(id=2, texts=["gamma prime"])]
    Matcher(changed, encoder=encoder, cache=reloaded).score(Document(id="d", text="alpha"))
    assert encoder.seen == ["gamma prime"]
    assert reloaded.encoded == 1


def test_the_same_text_gives_the_same_vector_after_a_reload(tmp_path: Path) -> None:
    encoder = HashEncoder()
    cache = EmbeddingCache()
    first = cache.embed(encoder, ["un texte", "another text"], "passage")
    cache.save(tmp_path / "c.npz")
    again = EmbeddingCache.load(tmp_path / "c.npz").embed(encoder, ["another text"], "passage")
    assert np.array_equal(again[0], first[1])
    assert encoder.seen == ["un texte", "another text"]


class WideEncoder(HashEncoder):
    name = "hash-16"

    def encode(self, texts: Sequence[str], kind: Kind) -> NDArray[np.float32]:
        narrow = super().encode(texts, kind)
        return np.hstack([narrow, narrow]) / np.sqrt(2)


def test_vectors_of_two_encoders_of_different_sizes_share_one_file(tmp_path: Path) -> None:
    cache = EmbeddingCache()
    eight = cache.embed(HashEncoder(), ["texte"], "passage")
    sixteen = cache.embed(WideEncoder(), ["texte"], "passage")
    cache.save(tmp_path / "c.npz")
    reloaded = EmbeddingCache.load(tmp_path / "c.npz")
    assert len(reloaded) == 2
    assert np.array_equal(reloaded.embed(HashEncoder(), ["texte"], "passage"), eight)
    assert np.array_equal(reloaded.embed(WideEncoder(), ["texte"], "passage"), sixteen)
    assert reloaded.encoded == 0


def test_a_spent_budget_scores_every_document_with_bm25_and_keeps_what_was_embedded() -> None:
    profiles = [Profile(id=1, texts=["alpha beta"]), Profile(id=2, texts=["gamma"])]
    docs = [Document(id="d", text="alpha"), Document(id="e", text="gamma")]
    cache = EmbeddingCache()
    spent = Matcher(profiles, encoder=HashEncoder(), cache=cache, encode_budget_s=0)
    spent.prepare(docs)
    assert "lexical only: embedding needed more than 0 s, 2 texts left" in spent.model
    assert [s.profile for s in spent.score(docs[1])] == [2, 1]
    assert cache.encoded == 0
    ample = Matcher(profiles, encoder=HashEncoder(), cache=cache, encode_budget_s=60)
    ample.prepare(docs)
    assert ample.model.startswith("bm25+hash-8")
    assert cache.encoded == 4  # two passages, two queries


def test_prune_drops_vectors_no_text_asks_for(tmp_path: Path) -> None:
    encoder = HashEncoder()
    cache = EmbeddingCache()
    cache.embed(encoder, ["old", "kept"], "passage")
    from_keys = EmbeddingCache()
    from_keys.embed(encoder, ["kept"], "passage")
    assert cache.prune(from_keys._vectors) == 1
    assert len(cache) == 1


def test_a_missing_or_corrupt_cache_file_is_an_empty_cache(tmp_path: Path) -> None:
    assert len(EmbeddingCache.load(tmp_path / "absent.npz")) == 0
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip file")
    assert len(EmbeddingCache.load(broken)) == 0
