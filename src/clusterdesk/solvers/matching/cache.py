"""Embeddings kept by text hash, so that only new or changed texts are encoded again.

The key is the SHA-256 of the encoder's name, the kind (query or passage) and the text:
changing a text changes its key, and an old vector is simply no longer asked for
(:meth:`EmbeddingCache.prune` drops those). :meth:`save` writes one ``.npz`` file
atomically (a temporary file renamed over the old one); :meth:`load` gives an empty cache
for a missing or unreadable file, so a corrupt cache costs a re-encoding, never a crash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .encoders import Encoder, Kind

BATCH = 16


class EncodingTimeout(Exception):
    """The time given to encode ran out; ``left`` texts were not encoded."""

    def __init__(self, left: int) -> None:
        super().__init__(f"{left} texts left to embed")
        self.left = left


def text_key(encoder_name: str, kind: Kind, text: str) -> str:
    data = f"{encoder_name}\x00{kind}\x00{text}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


class EmbeddingCache:
    """Vectors by :func:`text_key`; ``encoded`` counts the texts encoded through it."""

    def __init__(self) -> None:
        self._vectors: dict[str, NDArray[np.float32]] = {}
        self.encoded = 0

    def __len__(self) -> int:
        return len(self._vectors)

    def embed(
        self,
        encoder: Encoder,
        texts: Sequence[str],
        kind: Kind,
        deadline: float | None = None,
    ) -> NDArray[np.float32]:
        """Vectors of ``texts`` (one row each), encoding only those not cached yet, by
        batches of :data:`BATCH`. Past ``deadline`` (``time.monotonic()``) it stops between
        two batches and raises :class:`EncodingTimeout`; what was encoded stays cached."""
        keys = [text_key(encoder.name, kind, t) for t in texts]
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._vectors and key not in missing:
                missing[key] = text
        todo = list(missing.items())
        for start in range(0, len(todo), BATCH):
            if deadline is not None and time.monotonic() >= deadline:
                raise EncodingTimeout(len(todo) - start)
            batch = todo[start : start + BATCH]
            vectors = encoder.encode([text for _, text in batch], kind)
            for (key, _), vector in zip(batch, vectors, strict=True):
                self._vectors[key] = np.asarray(vector, dtype=np.float32)
            self.encoded += len(batch)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys])

    def prune(self, keep: Iterable[str]) -> int:
        """Drop every vector whose key is not in ``keep``; return how many were dropped."""
        wanted = set(keep)
        stale = [k for k in self._vectors if k not in wanted]
        for key in stale:
            del self._vectors[key]
        return len(stale)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write every vector, grouped by length (several encoders may share one cache)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        groups: dict[int, list[str]] = {}
        for key in sorted(self._vectors):
            groups.setdefault(len(self._vectors[key]), []).append(key)
        arrays: dict[str, NDArray[np.generic]] = {}
        for dim, keys in groups.items():
            arrays[f"keys_{dim}"] = np.array(keys, dtype="U32")
            arrays[f"vectors_{dim}"] = np.stack([self._vectors[k] for k in keys])
        handle, tmp = tempfile.mkstemp(dir=target.parent, suffix=".npz.tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(out, **arrays)  # type: ignore[arg-type]
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> EmbeddingCache:
        cache = cls()
        try:
            with np.load(Path(path), allow_pickle=False) as data:
                for name in data.files:
                    if not name.startswith("keys_"):
                        continue
                    keys, vectors = data[name], data["vectors_" + name[len("keys_") :]]
                    for key, vector in zip(keys, vectors, strict=True):
                        cache._vectors[str(key)] = np.asarray(vector, dtype=np.float32)
        except (OSError, ValueError, KeyError):
            return cls()
        return cache
