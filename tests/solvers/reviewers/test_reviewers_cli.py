"""`clusterdesk solve reviewers`: JSON in, JSON out, exit 2 naming the field on bad input."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clusterdesk.solvers.cli import main as dispatch
from clusterdesk.solvers.reviewers.cli import main

VALID: dict[str, Any] = {
    "items": [{"id": "a", "reviewers_needed": 2}, {"id": "b", "reviewers_needed": 1}],
    "reviewers": [
        {"id": "x", "max_load": 2},
        {"id": "y", "max_load": 1, "min_load": 1},
        {"id": "z", "max_load": 2},
    ],
    "affinity": [
        {"item": "a", "reviewer": "x", "score": 0.9},
        {"item": "b", "reviewer": "z", "score": 0.7},
    ],
    "conflicts": [{"item": "b", "reviewer": "x"}],
    "locked": [{"item": "a", "reviewer": "y"}],
}


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "in.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_cli_valid_file_prints_assignment_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([write(tmp_path, VALID)]) == 0
    out = json.loads(capsys.readouterr().out)
    got = {(a["item"], a["reviewer"]) for a in out["assignments"]}
    assert got == {("a", "x"), ("a", "y"), ("b", "z")}
    assert out["total_score"] == pytest.approx(1.6)
    assert out["unfilled"] == []
    assert isinstance(out["solve_s"], float)


def test_cli_stdin_dash_reads_problem(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(VALID)))
    assert main(["-"]) == 0
    assert len(json.loads(capsys.readouterr().out)["assignments"]) == 3


def test_cli_dispatcher_routes_to_reviewers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert dispatch(["reviewers", write(tmp_path, VALID)]) == 0
    assert json.loads(capsys.readouterr().out)["unfilled"] == []


def test_cli_unfilled_reported_with_exit_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(VALID)
    data["items"][1]["reviewers_needed"] = 3
    assert main([write(tmp_path, data)]) == 0
    # b: x is a conflict, y is full with its lock on a, so only z is left.
    assert json.loads(capsys.readouterr().out)["unfilled"] == [{"item": "b", "missing": 2}]


Mutation = Callable[[dict[str, Any]], Any]


def _walk(data: dict[str, Any], path: str) -> tuple[Any, Any]:
    """Container and last key of a dotted path such as ``reviewers.2.max_load``."""
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
    target: Any = data
    for key in keys[:-1]:
        target = target[key]
    return target, keys[-1]


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target, key = _walk(data, path)
        target[key] = value

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target, key = _walk(data, path)
        del target[key]

    return mutate


def _append(key: str, value: Any) -> Mutation:
    return lambda data: data[key].append(value)


MATRIX = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]

MALFORMED: dict[str, tuple[Mutation, str]] = {
    "root_not_object": (lambda d: [d], "(root): must be a JSON object"),
    "unknown_top_key": (_set("conflict", []), "(root): unknown key 'conflict'"),
    "items_missing": (_delete("items"), "items: is required"),
    "items_not_list": (_set("items", {"id": "a"}), "items: must be a list"),
    "item_not_object": (_set("items.1", "b"), "items[1]: must be an object"),
    "item_unknown_key": (_set("items.0.title", "t"), "items[0]: unknown key 'title'"),
    "item_id_missing": (_delete("items.0.id"), "items[0].id: is required"),
    "item_id_bool": (_set("items.0.id", True), "items[0].id: must be a string or an integer"),
    "item_id_empty": (_set("items.0.id", ""), "items[0].id: must not be empty"),
    "item_id_duplicate": (_set("items.1.id", "a"), "items[1].id: duplicate id 'a'"),
    "needed_negative": (
        _set("items.1.reviewers_needed", -1),
        "items[1].reviewers_needed: must be a non-negative integer",
    ),
    "needed_float": (
        _set("items.0.reviewers_needed", 1.5),
        "items[0].reviewers_needed: must be a non-negative integer",
    ),
    "needed_missing": (_delete("items.0.reviewers_needed"), "items[0].reviewers_needed: is"),
    "reviewers_missing": (_delete("reviewers"), "reviewers: is required"),
    "max_load_string": (
        _set("reviewers.2.max_load", "3"),
        "reviewers[2].max_load: must be a non-negative integer",
    ),
    "max_load_missing": (_delete("reviewers.0.max_load"), "reviewers[0].max_load: is required"),
    "min_load_negative": (
        _set("reviewers.0.min_load", -1),
        "reviewers[0].min_load: must be a non-negative integer",
    ),
    "min_load_above_max": (
        _set("reviewers.1.min_load", 2),
        "reviewers[1].min_load: must not exceed max_load (1)",
    ),
    "reviewer_id_duplicate": (_set("reviewers.2.id", "x"), "reviewers[2].id: duplicate id 'x'"),
    "reviewer_unknown_key": (_set("reviewers.0.load", 1), "reviewers[0]: unknown key 'load'"),
    "affinity_unknown_item": (
        _set("affinity.1.item", "nope"),
        "affinity[1].item: unknown item id 'nope'",
    ),
    "affinity_unknown_reviewer": (
        _set("affinity.0.reviewer", 42),
        "affinity[0].reviewer: unknown reviewer id 42",
    ),
    "affinity_score_missing": (_delete("affinity.0.score"), "affinity[0].score: is required"),
    "affinity_score_string": (
        _set("affinity.0.score", "high"),
        "affinity[0].score: must be a finite number",
    ),
    "affinity_score_nan": (
        _set("affinity.0.score", float("nan")),
        "affinity[0].score: must be a finite number",
    ),
    "affinity_duplicate_pair": (
        _append("affinity", {"item": "a", "reviewer": "x", "score": 0.1}),
        "affinity[2]: duplicate (item, reviewer) pair",
    ),
    "affinity_not_list": (_set("affinity", {}), "affinity: must be a list"),
    "both_affinity_forms": (_set("affinity_matrix", MATRIX), "affinity_matrix: give either"),
    "matrix_not_list": (
        lambda d: (d.pop("affinity"), d.update(affinity_matrix="x")),
        "affinity_matrix: must be a list of rows",
    ),
    "matrix_wrong_rows": (
        lambda d: (d.pop("affinity"), d.update(affinity_matrix=MATRIX[:1])),
        "affinity_matrix: expected 2 rows (one per item), got 1",
    ),
    "matrix_wrong_columns": (
        lambda d: (d.pop("affinity"), d.update(affinity_matrix=[MATRIX[0], [1.0, 2.0]])),
        "affinity_matrix[1]: expected 3 scores (one per reviewer), got 2",
    ),
    "matrix_bad_value": (
        lambda d: (d.pop("affinity"), d.update(affinity_matrix=[MATRIX[0], [1, None, 2]])),
        "affinity_matrix[1][1]: must be a finite number",
    ),
    "conflicts_not_list": (_set("conflicts", "b-x"), "conflicts: must be a list"),
    "conflict_unknown_reviewer": (
        _set("conflicts.0.reviewer", "w"),
        "conflicts[0].reviewer: unknown reviewer id 'w'",
    ),
    "conflict_item_missing": (_delete("conflicts.0.item"), "conflicts[0].item: is required"),
    "locked_unknown_item": (_set("locked.0.item", "c"), "locked[0].item: unknown item id 'c'"),
    "locked_is_conflict": (
        _append("conflicts", {"item": "a", "reviewer": "y"}),
        "locked[0]: pair is locked but also listed in conflicts",
    ),
    "locked_duplicate": (
        _append("locked", {"item": "a", "reviewer": "y"}),
        "locked[1]: duplicate locked pair",
    ),
    "locks_exceed_needed": (
        lambda d: d["locked"].extend(
            [{"item": "b", "reviewer": "y"}, {"item": "b", "reviewer": "z"}]
        ),
        "locked: item 'b' has 2 locked reviewers but reviewers_needed is 1",
    ),
    "locks_exceed_max_load": (
        _append("locked", {"item": "b", "reviewer": "y"}),
        "locked: reviewer 'y' has 2 locked items but max_load is 1",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_cli_malformed_input_exits_2_naming_field(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mutate, expected = MALFORMED[case]
    data: Any = copy.deepcopy(VALID)
    replaced = mutate(data)
    if isinstance(replaced, list):  # the root replacement case
        data = replaced
    assert main([write(tmp_path, data)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert expected in captured.err


def test_cli_invalid_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([write(tmp_path, '{"items": [')]) == 2
    assert "invalid JSON" in capsys.readouterr().err


def test_cli_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "absent.json")]) == 2
    assert "absent.json: cannot read" in capsys.readouterr().err


def test_cli_no_argument_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err
