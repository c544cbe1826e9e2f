"""Recorded answers of the Sirene search API (recherche-entreprises.api.gouv.fr), in the
shape of its /search answer, and transports that replay them (the tests have no network)."""

from __future__ import annotations

import urllib.error
import urllib.parse
from pathlib import Path

HERE = Path(__file__).parent
ASKED: list[str] = []


def recorded(url: str, timeout: float) -> bytes:
    """Answer with the recorded file of the SIREN asked (or no result)."""
    ASKED.append(url)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["q"][0]
    path = HERE / f"{query}.json"
    return (path if path.is_file() else HERE / "empty.json").read_bytes()


def unreachable(url: str, timeout: float) -> bytes:
    raise urllib.error.URLError("timed out")
