"""Greedy draft and local-search improvement on a :class:`State`.

The draft inserts pairs by decreasing value (ties: the LP's preference, then the pairs
with fewest candidate slots), repairing clashes with Kempe chains. The improvement phase
repeatedly tries, for every unscheduled pair, an ejection move (evict the meetings in the
way, place the pair, re-insert the evicted ones elsewhere) kept only if the total value
rises; when a pass finds nothing, equal-value ejections reshuffle the plateau.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

from .engine import FREE, State


def greedy(state: State, order: Sequence[int], deep: bool = True) -> None:
    """Insert the pairs in `order` one by one (already scheduled ones are skipped)."""
    for p in order:
        if state.slot_of[p] == FREE:
            state.insert(p, deep)
    state.commit()


def draft_order(state: State, preference: Sequence[float] | None = None) -> list[int]:
    """Most valuable first; among equals the LP's favourites, then the least flexible."""
    pref = preference if preference is not None else [0.0] * len(state.value)
    return sorted(
        range(len(state.value)),
        key=lambda p: (-state.value[p], -pref[p], len(state.pslots[p])),
    )


def _weakest(state: State, v: int, exclude: int) -> int:
    """v's least valuable movable meeting outside slot `exclude`, or FREE."""
    candidates = [
        q for s, q in enumerate(state.busy[v]) if q != FREE and s != exclude and not state.fixed[q]
    ]
    return min(candidates, key=lambda q: state.value[q], default=FREE)


def eject_insert(state: State, p: int, rng: random.Random, strict: bool = True) -> bool:
    """Place p by evicting what blocks it in some slot, then re-insert the evicted pairs.

    Kept (and journal committed) only if the total value increases (or, when not `strict`,
    does not decrease); otherwise rolled back.
    """
    a, b = state.pa[p], state.pb[p]
    slots = list(state.pslots[p])
    rng.shuffle(slots)
    before = state.total
    for s in slots:
        mark = state.mark()
        evicted: list[int] = []
        ok = True
        for v in (a, b):
            q = state.busy[v][s]
            if q != FREE:
                if state.fixed[q]:
                    ok = False
                    break
                evicted.append(q)
                state.remove(q)
        if ok:
            for v in (a, b):
                if state.count[v] >= state.cap[v]:
                    q = _weakest(state, v, s)
                    if q == FREE:
                        ok = False
                        break
                    evicted.append(q)
                    state.remove(q)
        if ok and state.used[s] >= state.tables[s] and not state.free_table(s):
            movable = [q for q in state.members[s] if not state.fixed[q]]
            if not movable:
                ok = False
            else:
                q = min(movable, key=lambda q: (state.value[q], rng.random()))
                evicted.append(q)
                state.remove(q)
        if ok:
            state.place(p, s)
            evicted.sort(key=lambda q: -state.value[q])
            for q in evicted:
                state.insert(q)
            if state.total > before or (not strict and state.total == before):
                state.commit()
                return True
        state.rollback(mark)
    return False


def improve(
    state: State,
    deadline: float,
    rng: random.Random,
    preference: Sequence[float] | None = None,
    on_improve: Callable[[State], None] | None = None,
    target: float = float("inf"),
) -> None:
    """Local search until `deadline` (a perf_counter() value), `target` or a local optimum."""
    pref = preference if preference is not None else [0.0] * len(state.value)
    n_pairs = len(state.value)
    stale = 0
    while time.perf_counter() < deadline and state.total < target:
        start_total = state.total
        pending = [p for p in range(n_pairs) if state.slot_of[p] == FREE]
        pending.sort(key=lambda p: (-state.value[p], -pref[p], rng.random()))
        for k, p in enumerate(pending):
            if k % 64 == 0 and time.perf_counter() >= deadline:
                return
            if state.slot_of[p] != FREE:
                continue
            if state.insert(p) or eject_insert(state, p, rng):
                state.commit()
                if state.total >= target:
                    break
        if state.total > start_total:
            stale = 0
            if on_improve is not None:
                on_improve(state)
            continue
        stale += 1
        if stale > 3:
            return
        # Plateau: let equal-value swaps reshuffle the schedule before trying again.
        for k, p in enumerate(pending):
            if k % 64 == 0 and time.perf_counter() >= deadline:
                return
            if state.slot_of[p] == FREE:
                eject_insert(state, p, rng, strict=False)
