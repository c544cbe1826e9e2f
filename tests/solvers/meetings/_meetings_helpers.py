"""Independent checks for the meeting scheduler's tests, working on the raw JSON only.

Nothing here imports the solver: the feasibility checker, the weights and the brute-force
optimum are re-derived from the input document so that a bug shared with the solver's
own data model cannot hide.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

WEIGHT = {1: 3, 2: 2, 3: 1}


def _slot_ids(doc: dict[str, Any]) -> list[str]:
    return [str(s["id"]) for s in doc["slots"]]


def _tables(doc: dict[str, Any]) -> dict[str, int]:
    t = doc["tables"]
    return (
        {str(k): int(v) for k, v in t.items()}
        if isinstance(t, dict)
        else dict.fromkeys(_slot_ids(doc), int(t))
    )


def _people(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for p in doc["participants"]:
        avail = p.get("available")
        out[str(p["id"])] = {
            "org": None if p.get("organisation") is None else str(p["organisation"]),
            "available": set(_slot_ids(doc)) if avail is None else {str(s) for s in avail},
            "max": p.get("max_meetings"),
        }
    return out


def pair_weights(doc: dict[str, Any]) -> dict[frozenset[str], int]:
    """Summed weight of the requests between each unordered pair, both directions."""
    w: dict[frozenset[str], int] = {}
    for r in doc["requests"]:
        key = frozenset((str(r["from"]), str(r["to"])))
        w[key] = w.get(key, 0) + WEIGHT[r["priority"]]
    return w


def check_schedule(doc: dict[str, Any], out: dict[str, Any]) -> None:
    """Assert that `out` is a feasible schedule for `doc` with consistent figures."""
    people = _people(doc)
    tables = _tables(doc)
    weights = pair_weights(doc)
    locked = {
        (frozenset((str(m["a"]), str(m["b"]))), str(m["slot"])) for m in doc.get("locked") or []
    }
    seen_pairs: set[frozenset[str]] = set()
    busy: set[tuple[str, str]] = set()
    per_slot: dict[str, list[int]] = {s: [] for s in tables}
    count: dict[str, int] = dict.fromkeys(people, 0)
    placed: set[tuple[frozenset[str], str]] = set()
    objective = 0
    for m in out["meetings"]:
        a, b, s = str(m["a"]), str(m["b"]), str(m["slot"])
        pair = frozenset((a, b))
        assert a != b and a in people and b in people, m
        assert s in tables, m
        assert pair in weights or (pair, s) in locked, f"not requested: {m}"
        assert pair not in seen_pairs, f"pair meets twice: {m}"
        seen_pairs.add(pair)
        for v in (a, b):
            assert (v, s) not in busy, f"{v} double-booked in {s}"
            busy.add((v, s))
            assert s in people[v]["available"], f"{v} unavailable in {s}"
            count[v] += 1
        org_a, org_b = people[a]["org"], people[b]["org"]
        assert org_a is None or org_a != org_b, f"same organisation: {m}"
        per_slot[s].append(m["table"])
        placed.add((pair, s))
        objective += weights.get(pair, 0)
    for s, used in per_slot.items():
        assert len(used) <= tables[s], f"too many meetings in {s}"
        assert sorted(used) == list(range(1, len(used) + 1)), f"tables in {s}: {used}"
    for v, c in count.items():
        if people[v]["max"] is not None:
            assert c <= people[v]["max"], f"{v} over max_meetings"
    assert locked <= placed, "a locked meeting is missing"
    assert out["objective"] == objective
    assert out["upper_bound"] >= objective - 1e-9
    ub = out["upper_bound"]
    assert abs(out["gap"] - (0.0 if ub == 0 else 1 - objective / ub)) < 1e-5
    unscheduled = {frozenset((str(u["a"]), str(u["b"]))) for u in out["unscheduled"]}
    assert unscheduled == set(weights) - seen_pairs
    assert all(u["reason"] for u in out["unscheduled"])


def brute_force_optimum(doc: dict[str, Any]) -> int:
    """Exact optimum by trying every slot (or none) for every requested pair."""
    people = _people(doc)
    tables = _tables(doc)
    weights = pair_weights(doc)
    locked = {
        frozenset((str(m["a"]), str(m["b"]))): str(m["slot"]) for m in doc.get("locked") or []
    }
    pairs = sorted(set(weights) | set(locked), key=sorted)
    options: list[list[str | None]] = []
    for pair in pairs:
        a, b = sorted(pair)
        if pair in locked:
            options.append([locked[pair]])
            continue
        org = people[a]["org"]
        if org is not None and org == people[b]["org"]:
            options.append([None])
            continue
        common = sorted(people[a]["available"] & people[b]["available"])
        options.append([None, *common])
    best = -1
    for choice in itertools.product(*options):
        busy: set[tuple[str, str]] = set()
        used: dict[str, int] = {}
        count: dict[str, int] = {}
        ok = True
        value = 0
        for pair, s in zip(pairs, choice, strict=True):
            if s is None:
                continue
            used[s] = used.get(s, 0) + 1
            if used[s] > tables[s]:
                ok = False
                break
            for v in pair:
                count[v] = count.get(v, 0) + 1
                cap = people[v]["max"]
                if (v, s) in busy or (cap is not None and count[v] > cap):
                    ok = False
                    break
                busy.add((v, s))
            if not ok:
                break
            value += weights.get(pair, 0)
        if ok:
            best = max(best, value)
    return best


@st.composite
def instances(
    draw: st.DrawFn, max_people: int = 7, max_slots: int = 3, max_requests: int = 8
) -> dict[str, Any]:
    """Small random instances with organisations, availability, caps, tables and locks."""
    n = draw(st.integers(2, max_people))
    n_slots = draw(st.integers(1, max_slots))
    slots = [
        {"id": f"s{k}", "start": f"{9 + k:02d}:00", "end": f"{9 + k:02d}:30"}
        for k in range(n_slots)
    ]
    slot_ids = [s["id"] for s in slots]
    tables: int | dict[str, int]
    if draw(st.booleans()):
        tables = draw(st.integers(0, 3))
    else:
        tables = {s: draw(st.integers(0, 3)) for s in slot_ids}
    participants: list[dict[str, Any]] = []
    for i in range(n):
        p: dict[str, Any] = {"id": f"p{i}"}
        org = draw(st.one_of(st.none(), st.integers(0, n // 2)))
        if org is not None:
            p["organisation"] = f"o{org}"
        if draw(st.booleans()):
            p["available"] = sorted(draw(st.sets(st.sampled_from(slot_ids))))
        if draw(st.booleans()):
            p["max_meetings"] = draw(st.integers(0, n_slots))
        participants.append(p)
    ids = [p["id"] for p in participants]
    raw = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.sampled_from([1, 2, 3])),
            max_size=max_requests,
            unique_by=lambda r: (r[0], r[1]),
        )
    )
    requests = [{"from": a, "to": b, "priority": pr} for a, b, pr in raw if a != b]
    doc: dict[str, Any] = {
        "slots": slots,
        "tables": tables,
        "participants": participants,
        "requests": requests,
    }
    # A few valid locked meetings, chosen by replaying the rules on the candidates.
    people = _people(doc)
    table_count = _tables(doc)
    locked: list[dict[str, str]] = []
    busy: set[tuple[str, str]] = set()
    pairs: set[frozenset[str]] = set()
    used: dict[str, int] = {}
    count: dict[str, int] = {}
    candidates = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.sampled_from(slot_ids)),
            max_size=2,
        )
    )
    for a, b, s in candidates:
        pair = frozenset((a, b))
        org = people[a]["org"]
        fits = (
            a != b
            and (org is None or org != people[b]["org"])
            and s in people[a]["available"] & people[b]["available"]
            and (a, s) not in busy
            and (b, s) not in busy
            and pair not in pairs
            and used.get(s, 0) < table_count[s]
            and all(people[v]["max"] is None or count.get(v, 0) < people[v]["max"] for v in (a, b))
        )
        if fits:
            locked.append({"a": a, "b": b, "slot": s})
            busy |= {(a, s), (b, s)}
            pairs.add(pair)
            used[s] = used.get(s, 0) + 1
            for v in (a, b):
                count[v] = count.get(v, 0) + 1
    if locked:
        doc["locked"] = locked
    return doc
