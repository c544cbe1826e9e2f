"""`clusterdesk solve affinity`: JSON in, JSON out, exit 2 naming the field on bad input."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from clusterdesk.solvers.cli import main as dispatch

VALID: dict[str, Any] = {
    "documents": [
        {"id": "d1", "text": "Biocapteurs pour le diagnostic des infections"},
        {"id": 2, "text": "Recycling lithium-ion batteries"},
    ],
    "profiles": [
        {"id": "bio", "texts": ["capteurs biologiques", "infection diagnostics"]},
        {"id": "energy", "texts": ["batteries and recycling"], "domains": ["Énergie"]},
    ],
}


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "in.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_all_pairs_scored_best_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert dispatch(["affinity", write(tmp_path, VALID), "--encoder", "none"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(s["document"], s["profile"]) for s in out["scores"]] == [
        ("d1", "bio"),
        ("d1", "energy"),
        (2, "energy"),
        (2, "bio"),
    ]
    assert out["scores"][0]["why"][0] == "terms: diagnostic, infections"
    assert out["model"].startswith("bm25 (")
    assert isinstance(out["solve_s"], float)


def test_pairs_top_k_and_the_embedding_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = {**VALID, "pairs": [["energy", "d1"], ["bio", 2], ["energy", 2]], "top_k": 1}
    cache = tmp_path / "var" / "cache.npz"
    assert dispatch(["affinity", write(tmp_path, data), "--cache", str(cache)]) == 0
    out = json.loads(capsys.readouterr().out)
    pairs = [(s["document"], s["profile"]) for s in out["scores"]]
    assert pairs == [("d1", "energy"), (2, "energy")]
    assert out["model"].startswith("bm25+multilingual-e5-small")
    assert cache.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("documents"), "documents: expected a list"),
        (lambda d: d["profiles"].append("x"), r"profiles\[2\]: expected an object"),
        (lambda d: d["profiles"][0].pop("id"), r"profiles\[0\].id: missing"),
        (lambda d: d["profiles"][0].update(texts="x"), r"profiles\[0\].texts: expected a list"),
        (lambda d: d["documents"][0].update(text=3), r"documents\[0\].text: expected a string"),
        (lambda d: d["documents"][1].update(id=2.5), r"documents\[1\].id: expected a string"),
        (lambda d: d.update(pairs=[["bio", "nope"]]), r"pairs\[0\]: unknown document 'nope'"),
        (lambda d: d.update(pairs=[["who", "d1"]]), r"pairs\[0\]: unknown profile 'who'"),
        (lambda d: d.update(pairs=[["bio"]]), r"pairs\[0\]: expected \[profile_id"),
        (lambda d: d.update(top_k=0), "top_k: expected a positive integer"),
        (lambda d: d["documents"].append({"id": "d1"}), "documents: duplicate id 'd1'"),
    ],
)
def test_bad_input_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, message: str
) -> None:
    data = copy.deepcopy(VALID)
    change(data)
    assert dispatch(["affinity", write(tmp_path, data), "--encoder", "none"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.search(message, captured.err), captured.err


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert dispatch(["affinity", write(tmp_path, "{not json")]) == 2
    assert "invalid JSON" in capsys.readouterr().err
    assert dispatch(["affinity", str(tmp_path / "absent.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_empty_and_very_long_texts_are_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(VALID)
    data["documents"] = [
        {"id": "empty", "text": ""},
        {"id": "long", "text": "batteries " * 10_000},
    ]
    data["profiles"].append({"id": "blank", "texts": [""]})
    assert dispatch(["affinity", write(tmp_path, data)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["scores"]) == 6
    assert {s["score"] for s in out["scores"] if s["document"] == "empty"} == {0.0}
    assert next(s for s in out["scores"] if s["document"] == "long")["profile"] == "energy"
