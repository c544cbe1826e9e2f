"""The `clusterdesk solve meetings` command: output document, stdin, malformed input."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from tests.solvers.meetings._meetings_helpers import check_schedule

from clusterdesk.solvers.meetings import MeetingInputError, parse_instance
from clusterdesk.solvers.meetings.cli import main

VALID: dict[str, Any] = {
    "slots": [
        {"id": "s1", "start": "09:00", "end": "09:20"},
        {"id": "s2", "start": "09:20", "end": "09:40"},
    ],
    "tables": {"s1": 1, "s2": 2},
    "participants": [
        {"id": "ann", "organisation": "acme"},
        {"id": "bob", "organisation": "bolt", "available": ["s2"]},
        {"id": "cy", "max_meetings": 1},
        {"id": "dee"},
    ],
    "requests": [
        {"from": "ann", "to": "bob", "priority": 1},
        {"from": "cy", "to": "ann", "priority": 2},
        {"from": "dee", "to": "ann", "priority": 3},
        {"from": "dee", "to": "cy", "priority": 1},
    ],
    "locked": [{"a": "dee", "b": "cy", "slot": "s1"}],
}


def write(tmp_path: Path, doc: Any) -> str:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_cli_writes_valid_schedule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([write(tmp_path, VALID), "--time-limit", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"meetings", "unscheduled", "objective", "upper_bound", "gap", "solve_s"}
    check_schedule(VALID, out)
    # The lock fills s1 and cy's single meeting; bob comes only for s2, where ann meets
    # him, so dee-ann (weight 1) and cy-ann (2) cannot happen.
    assert out["objective"] == 3 + 3
    assert out["gap"] == 0.0


def test_cli_reads_stdin_dash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(VALID)))
    assert main(["-", "--time-limit", "1"]) == 0
    check_schedule(VALID, json.loads(capsys.readouterr().out))


def test_cli_time_limit_from_input_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {**VALID, "time_limit_s": 0.5}
    assert main([write(tmp_path, doc)]) == 0
    assert json.loads(capsys.readouterr().out)["solve_s"] < 5


def _mutate(path: str, value: Any) -> dict[str, Any]:
    """VALID with the field at dotted `path` set to `value` (or deleted if value is ...)."""
    doc = copy.deepcopy(VALID)
    parts = path.split(".")
    target: Any = doc
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    key: Any = int(last) if last.isdigit() else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return doc


BAD = [
    ("requests.3.priority", 4, "requests[3].priority: must be 1, 2 or 3"),
    ("requests.3.priority", True, "requests[3].priority: must be 1, 2 or 3"),
    ("requests.3.priority", ..., "requests[3].priority: missing"),
    ("requests.0.to", "zoe", "requests[0].to: unknown participant id 'zoe'"),
    ("requests.0.to", "ann", "requests[0]: a participant cannot request"),
    ("requests.1", {"from": "ann", "to": "bob", "priority": 2}, "requests[1]: duplicate"),
    ("participants.2.id", "ann", "participants[2].id: duplicate id 'ann'"),
    ("participants.1.available", ["s9"], "participants[1].available[0]: unknown slot id"),
    ("participants.2.max_meetings", -1, "participants[2].max_meetings: must be a non-negative"),
    ("participants.0.id", ..., "participants[0].id: missing"),
    ("slots.1.id", "s1", "slots[1].id: duplicate id 's1'"),
    ("slots.0.end", "08:00", "slots[0].end: must be after start"),
    ("slots.0.start", "nine", "slots[0].start: not an ISO 8601"),
    ("slots", ..., "input.slots: missing"),
    ("tables", {"s1": 1}, "tables: no table count for slot 's2'"),
    ("tables", {"s1": 1, "s2": 1, "s3": 1}, "tables.s3: unknown slot id"),
    ("tables", -2, "tables: must be a non-negative integer"),
    ("locked.0.b", "dee", "locked[0]: a participant cannot meet themself"),
    ("locked.0", {"a": "ann", "b": "bob", "slot": "s1"}, "locked[0]: participant 'bob' is not"),
    ("time_limit_s", 0, "time_limit_s: must be a positive number"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD)
def test_cli_malformed_input_exits_2_naming_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str, value: Any, message: str
) -> None:
    doc = _mutate(path, value)
    assert main([write(tmp_path, doc), "--time-limit", "1"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


@pytest.mark.parametrize(
    ("locked", "message"),
    [
        (
            [{"a": "ann", "b": "dee", "slot": "s1"}, {"a": "dee", "b": "cy", "slot": "s1"}],
            "locked[1]: participant 'dee' has two locked meetings in slot 's1'",
        ),
        ([{"a": "bob", "b": "cy", "slot": "s1"}], "locked[0]: participant 'bob' is not available"),
        (
            [{"a": "ann", "b": "dee", "slot": "s2"}, {"a": "dee", "b": "ann", "slot": "s1"}],
            "locked[1]: the same pair is locked twice",
        ),
        ([{"a": "ann", "b": "ghost", "slot": "s1"}], "locked[0].b: unknown participant id"),
        ([{"a": "ann", "b": "dee", "slot": "s7"}], "locked[0].slot: unknown slot id"),
    ],
)
def test_locked_clash_rejected(locked: list[dict[str, str]], message: str) -> None:
    with pytest.raises(MeetingInputError) as err:
        parse_instance({**VALID, "locked": locked})
    assert message in str(err.value)


def test_locked_compatible_meetings_accepted() -> None:
    locked = [{"a": "ann", "b": "dee", "slot": "s1"}, {"a": "bob", "b": "cy", "slot": "s2"}]
    assert len(parse_instance({**VALID, "locked": locked}).locked) == 2


def test_locked_beyond_tables_rejected() -> None:
    doc = {
        **VALID,
        "locked": [{"a": "ann", "b": "dee", "slot": "s1"}, {"a": "cy", "b": "bob", "slot": "s2"}],
        "tables": {"s1": 1, "s2": 0},
    }
    with pytest.raises(MeetingInputError, match="more locked meetings than tables in slot 's2'"):
        parse_instance(doc)


def test_locked_same_organisation_and_cap_rejected() -> None:
    doc = copy.deepcopy(VALID)
    doc["participants"][3]["organisation"] = "acme"
    doc["locked"] = [{"a": "ann", "b": "dee", "slot": "s1"}]
    with pytest.raises(MeetingInputError, match="same organisation"):
        parse_instance(doc)
    doc = copy.deepcopy(VALID)
    doc["locked"] = [{"a": "cy", "b": "dee", "slot": "s1"}, {"a": "cy", "b": "ann", "slot": "s2"}]
    with pytest.raises(MeetingInputError, match=r"locked\[1\]: participant 'cy' exceeds max"):
        parse_instance(doc)


def test_cli_unreadable_and_invalid_json_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main([str(bad)]) == 2
    assert "invalid JSON" in capsys.readouterr().err
    assert main([write(tmp_path, [1, 2])]) == 2
    assert "input: must be an object" in capsys.readouterr().err
    assert main([write(tmp_path, VALID), "--time-limit", "-1"]) == 2
    assert "--time-limit" in capsys.readouterr().err
    assert main([]) == 2
