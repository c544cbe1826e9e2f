"""Validation of the JSON input into an :class:`Instance`.

Every error names the offending field with a JSON-path-like prefix, e.g.
``requests[3].priority: must be 1, 2 or 3``. Ids may be strings or integers and are
compared through their string form, so ``1`` and ``"1"`` name the same participant.
"""

from __future__ import annotations

import math
from datetime import datetime, time
from typing import Any

from .model import (
    PRIORITY_WEIGHT,
    Excluded,
    Ident,
    Instance,
    MeetingInputError,
    NotKept,
    Pair,
    Participant,
    Placement,
    Slot,
)


def _fail(path: str, message: str) -> MeetingInputError:
    return MeetingInputError(f"{path}: {message}")


def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, "must be an object")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(path, "must be a list")
    return value


def _field(obj: dict[str, Any], name: str, path: str) -> Any:
    if name not in obj:
        raise _fail(f"{path}.{name}", "missing")
    return obj[name]


def _ident(value: Any, path: str) -> Ident:
    # bool is an int subclass; True as an id is almost certainly a mistake.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _fail(path, "must be a string or an integer")
    if isinstance(value, str) and not value:
        raise _fail(path, "must not be empty")
    return value


def _count(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(path, "must be a non-negative integer")
    return value


def _moment(value: Any, path: str) -> datetime | time:
    if not isinstance(value, str):
        raise _fail(path, "must be an ISO 8601 time or date-time string")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise _fail(path, f"not an ISO 8601 time or date-time: {value!r}") from None


def _parse_slots(raw: Any) -> tuple[list[Slot], dict[str, int]]:
    slots: list[Slot] = []
    index: dict[str, int] = {}
    for k, item in enumerate(_list(raw, "slots")):
        path = f"slots[{k}]"
        obj = _obj(item, path)
        sid = _ident(_field(obj, "id", path), f"{path}.id")
        start = _moment(_field(obj, "start", path), f"{path}.start")
        end = _moment(_field(obj, "end", path), f"{path}.end")
        if type(start) is type(end) and not start < end:  # type: ignore[operator]
            raise _fail(f"{path}.end", "must be after start")
        if str(sid) in index:
            raise _fail(f"{path}.id", f"duplicate id {sid!r}")
        index[str(sid)] = len(slots)
        slots.append(Slot(sid, obj["start"], obj["end"]))
    return slots, index


def _parse_tables(raw: Any, slots: list[Slot], slot_index: dict[str, int]) -> list[int]:
    if isinstance(raw, dict):
        tables = [-1] * len(slots)
        for key, value in raw.items():
            if str(key) not in slot_index:
                raise _fail(f"tables.{key}", "unknown slot id")
            tables[slot_index[str(key)]] = _count(value, f"tables.{key}")
        for s, slot in enumerate(slots):
            if tables[s] < 0:
                raise _fail("tables", f"no table count for slot {slot.id!r}")
        return tables
    return [_count(raw, "tables")] * len(slots)


def _parse_participants(
    raw: Any, slot_index: dict[str, int], n_slots: int
) -> tuple[list[Participant], dict[str, int]]:
    people: list[Participant] = []
    index: dict[str, int] = {}
    for k, item in enumerate(_list(raw, "participants")):
        path = f"participants[{k}]"
        obj = _obj(item, path)
        pid = _ident(_field(obj, "id", path), f"{path}.id")
        if str(pid) in index:
            raise _fail(f"{path}.id", f"duplicate id {pid!r}")
        org = obj.get("organisation")
        if org is not None:
            org = _ident(org, f"{path}.organisation")
        if obj.get("available") is None:
            available = frozenset(range(n_slots))
        else:
            seen: set[int] = set()
            for m, sid in enumerate(_list(obj["available"], f"{path}.available")):
                sid = _ident(sid, f"{path}.available[{m}]")
                if str(sid) not in slot_index:
                    raise _fail(f"{path}.available[{m}]", f"unknown slot id {sid!r}")
                seen.add(slot_index[str(sid)])
            available = frozenset(seen)
        if obj.get("max_meetings") is None:
            max_meetings = n_slots
        else:
            max_meetings = _count(obj["max_meetings"], f"{path}.max_meetings")
        index[str(pid)] = len(people)
        people.append(Participant(pid, org, available, max_meetings))
    return people, index


def _same_org(people: list[Participant], a: int, b: int) -> bool:
    oa, ob = people[a].organisation, people[b].organisation
    return oa is not None and ob is not None and str(oa) == str(ob)


def _person(obj: dict[str, Any], name: str, path: str, index: dict[str, int]) -> int:
    pid = _ident(_field(obj, name, path), f"{path}.{name}")
    if str(pid) not in index:
        raise _fail(f"{path}.{name}", f"unknown participant id {pid!r}")
    return index[str(pid)]


def _parse_requests(raw: Any, index: dict[str, int]) -> dict[tuple[int, int], int]:
    weights: dict[tuple[int, int], int] = {}
    seen: set[tuple[int, int]] = set()
    for k, item in enumerate(_list(raw, "requests")):
        path = f"requests[{k}]"
        obj = _obj(item, path)
        a = _person(obj, "from", path, index)
        b = _person(obj, "to", path, index)
        if a == b:
            raise _fail(path, "a participant cannot request a meeting with themself")
        prio = _field(obj, "priority", path)
        if isinstance(prio, bool) or prio not in PRIORITY_WEIGHT:
            raise _fail(f"{path}.priority", "must be 1, 2 or 3")
        if (a, b) in seen:
            raise _fail(path, "duplicate request (same from and to)")
        seen.add((a, b))
        key = (min(a, b), max(a, b))
        weights[key] = weights.get(key, 0) + PRIORITY_WEIGHT[prio]
    return weights


def _parse_locked(
    raw: Any,
    people: list[Participant],
    index: dict[str, int],
    slot_index: dict[str, int],
    tables: list[int],
) -> list[Placement]:
    locked: list[Placement] = []
    busy: set[tuple[int, int]] = set()
    pairs: set[tuple[int, int]] = set()
    used = [0] * len(tables)
    count = [0] * len(people)
    for k, item in enumerate(_list(raw, "locked")):
        path = f"locked[{k}]"
        obj = _obj(item, path)
        a = _person(obj, "a", path, index)
        b = _person(obj, "b", path, index)
        sid = _ident(_field(obj, "slot", path), f"{path}.slot")
        if str(sid) not in slot_index:
            raise _fail(f"{path}.slot", f"unknown slot id {sid!r}")
        s = slot_index[str(sid)]
        if a == b:
            raise _fail(path, "a participant cannot meet themself")
        if _same_org(people, a, b):
            raise _fail(path, "both participants belong to the same organisation")
        for x in (a, b):
            if s not in people[x].available:
                raise _fail(path, f"participant {people[x].id!r} is not available in slot {sid!r}")
            if (x, s) in busy:
                raise _fail(
                    path, f"participant {people[x].id!r} has two locked meetings in slot {sid!r}"
                )
            busy.add((x, s))
            count[x] += 1
            if count[x] > people[x].max_meetings:
                raise _fail(path, f"participant {people[x].id!r} exceeds max_meetings")
        key = (min(a, b), max(a, b))
        if key in pairs:
            raise _fail(path, "the same pair is locked twice")
        pairs.add(key)
        used[s] += 1
        if used[s] > tables[s]:
            raise _fail(path, f"more locked meetings than tables in slot {sid!r}")
        locked.append(Placement(key[0], key[1], s))
    return locked


def _parse_keep(
    raw: Any, index: dict[str, int], slot_index: dict[str, int]
) -> tuple[list[Placement], list[NotKept]]:
    """Previous meetings to keep; ones naming removed participants or slots cannot be kept."""
    keep: list[Placement] = []
    dropped: list[NotKept] = []
    seen: set[tuple[int, int, int]] = set()
    for k, item in enumerate(_list(raw, "keep")):
        path = f"keep[{k}]"
        obj = _obj(item, path)
        ra = _ident(_field(obj, "a", path), f"{path}.a")
        rb = _ident(_field(obj, "b", path), f"{path}.b")
        rs = _ident(_field(obj, "slot", path), f"{path}.slot")
        if str(ra) not in index or str(rb) not in index:
            dropped.append(NotKept(ra, rb, rs, "participant no longer registered"))
            continue
        if str(rs) not in slot_index:
            dropped.append(NotKept(ra, rb, rs, "slot no longer exists"))
            continue
        a, b, s = index[str(ra)], index[str(rb)], slot_index[str(rs)]
        if a == b:
            raise _fail(path, "a participant cannot meet themself")
        key = (min(a, b), max(a, b), s)
        if key not in seen:
            seen.add(key)
            keep.append(Placement(*key))
    return keep, dropped


def parse_instance(data: Any) -> Instance:
    """Validate a JSON-like dict and build an :class:`Instance`.

    Raises :class:`MeetingInputError` naming the first problem found.
    """
    root = _obj(data, "input")
    slots, slot_index = _parse_slots(_field(root, "slots", "input"))
    tables = _parse_tables(_field(root, "tables", "input"), slots, slot_index)
    people, index = _parse_participants(
        _field(root, "participants", "input"), slot_index, len(slots)
    )
    weights = _parse_requests(_field(root, "requests", "input"), index)
    locked = _parse_locked(root.get("locked") or [], people, index, slot_index, tables)
    keep, dropped = _parse_keep(root.get("keep") or [], index, slot_index)

    time_limit: float | None = None
    if root.get("time_limit_s") is not None:
        tl = root["time_limit_s"]
        if isinstance(tl, bool) or not isinstance(tl, int | float) or not tl > 0:
            raise _fail("time_limit_s", "must be a positive number")
        if not math.isfinite(tl):
            raise _fail("time_limit_s", "must be finite")
        time_limit = float(tl)

    for lk in locked:
        weights.setdefault((lk.a, lk.b), 0)
    locked_pairs = {(lk.a, lk.b) for lk in locked}

    pairs: list[Pair] = []
    excluded: list[Excluded] = []
    for (a, b), w in sorted(weights.items()):
        common = people[a].available & people[b].available
        if (a, b) not in locked_pairs:
            if _same_org(people, a, b):
                excluded.append(Excluded(a, b, w, "same organisation"))
                continue
            if not common:
                excluded.append(Excluded(a, b, w, "no common available slot"))
                continue
            if people[a].max_meetings == 0 or people[b].max_meetings == 0:
                excluded.append(Excluded(a, b, w, "max_meetings is 0"))
                continue
        pairs.append(Pair(a, b, w, tuple(sorted(common))))

    inst = Instance(slots, tables, people, pairs, excluded, locked, keep, time_limit)
    inst.pair_index = {(p.a, p.b): k for k, p in enumerate(pairs)}
    inst.keep_dropped = dropped
    return inst
