"""``clusterdesk solve affinity IN.json``: score profiles against documents, print JSON.

Input: ``{"documents": [{"id", "text", "domains"?}], "profiles": [{"id", "texts": [..],
"domains"?}], "pairs"?: [[profile_id, document_id], ...], "top_k"?: k}``. Output:
``{"scores": [{"profile", "document", "score", "why": [...]}], "model": ..., "solve_s": ...}``,
per document best first. Exit codes: 0 scored, 2 malformed input or usage (the message names
the field). ``--encoder none`` scores with BM25 alone; ``--cache FILE`` keeps embeddings.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from .cache import EmbeddingCache
from .encoders import DEFAULT_ENCODER, ENCODERS
from .matcher import Document, MatchingInputError, Profile, Settings, rank

MAX_TEXT_CHARS = 1_000_000


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clusterdesk solve affinity",
        description="Score how well each profile (several texts) fits each document.",
    )
    parser.add_argument("input", help="problem JSON file, or - for stdin")
    parser.add_argument(
        "--encoder",
        default=DEFAULT_ENCODER,
        choices=[*sorted(ENCODERS), "none"],
        help="dense encoder fused with BM25 (none: BM25 alone)",
    )
    parser.add_argument("--cache", help="embedding cache file (.npz), read and updated")
    parser.add_argument("--indent", type=int, default=None, help="pretty-print the output")
    return parser


def _id(value: Any, where: str) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MatchingInputError(f"{where}: expected a string or an integer id")
    return value


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MatchingInputError(f"{where}: expected a string")
    if len(value) > MAX_TEXT_CHARS:
        raise MatchingInputError(f"{where}: longer than {MAX_TEXT_CHARS} characters")
    return value


def _domains(item: dict[str, Any], where: str) -> list[str]:
    value = item.get("domains", [])
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        raise MatchingInputError(f"{where}.domains: expected a list of strings")
    return value


def _objects(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name)
    if not isinstance(value, list):
        raise MatchingInputError(f"{name}: expected a list")
    for n, item in enumerate(value):
        if not isinstance(item, dict):
            raise MatchingInputError(f"{name}[{n}]: expected an object")
        if "id" not in item:
            raise MatchingInputError(f"{name}[{n}].id: missing")
    return value


def parse(data: Any) -> tuple[list[Document], list[Profile], list[tuple[Any, Any]] | None, Any]:
    """Documents, profiles, pairs (or None) and top_k from the input JSON."""
    if not isinstance(data, dict):
        raise MatchingInputError("input: expected a JSON object")
    documents = [
        Document(
            id=_id(d["id"], f"documents[{n}].id"),
            text=_text(d.get("text"), f"documents[{n}].text"),
            domains=_domains(d, f"documents[{n}]"),
        )
        for n, d in enumerate(_objects(data, "documents"))
    ]
    profiles = []
    for n, p in enumerate(_objects(data, "profiles")):
        texts = p.get("texts", [])
        if not isinstance(texts, list):
            raise MatchingInputError(f"profiles[{n}].texts: expected a list of strings")
        profiles.append(
            Profile(
                id=_id(p["id"], f"profiles[{n}].id"),
                texts=[_text(t, f"profiles[{n}].texts[{m}]") for m, t in enumerate(texts)],
                domains=_domains(p, f"profiles[{n}]"),
            )
        )
    pairs = None
    if data.get("pairs") is not None:
        raw = data["pairs"]
        if not isinstance(raw, list):
            raise MatchingInputError("pairs: expected a list of [profile_id, document_id]")
        pairs = []
        for n, pair in enumerate(raw):
            if not isinstance(pair, list) or len(pair) != 2:
                raise MatchingInputError(f"pairs[{n}]: expected [profile_id, document_id]")
            pairs.append((_id(pair[0], f"pairs[{n}][0]"), _id(pair[1], f"pairs[{n}][1]")))
    top_k = data.get("top_k")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise MatchingInputError("top_k: expected a positive integer")
    return documents, profiles, pairs, top_k


def _read(path: str) -> Any:
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits on usage errors; callers expect a return code
        return int(exc.code or 0)
    try:
        data = _read(args.input)
    except OSError as exc:
        print(f"{args.input}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        print(f"{args.input}: invalid JSON: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    cache = EmbeddingCache.load(args.cache) if args.cache else EmbeddingCache()
    try:
        documents, profiles, pairs, top_k = parse(data)
        scores, model = rank(
            documents,
            profiles,
            pairs,
            top_k,
            encoder=None if args.encoder == "none" else args.encoder,
            cache=cache,
            settings=Settings(),
        )
    except MatchingInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.cache and cache.encoded:
        cache.save(args.cache)
    out = {
        "scores": [
            {"profile": s.profile, "document": s.document, "score": s.score, "why": s.why.lines()}
            for s in scores
        ],
        "model": model,
        "solve_s": round(time.perf_counter() - started, 4),
    }
    json.dump(out, sys.stdout, indent=args.indent, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
