"""Top-level solve: fixed meetings, greedy draft, LP bound and guidance, local search."""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Any, Literal

from .engine import FREE, State
from .lns import lns
from .lp import solve_lp
from .model import Instance, Meeting, NotKept, Placement, Schedule, Unscheduled
from .search import draft_order, greedy, improve

DEFAULT_TIME_LIMIT_S = 10.0
Method = Literal["auto", "greedy", "cpsat", "cpsat_warm"]


def _fixed_state(inst: Instance) -> tuple[State, list[Placement], list[NotKept]]:
    """A state holding the locked meetings and as many kept meetings as fit, all frozen."""
    state = State(inst)
    fixed: list[Placement] = []
    for lk in inst.locked:
        p = inst.pair_index[(lk.a, lk.b)]
        state.place(p, lk.slot)
        state.fixed[p] = True
        fixed.append(lk)
    people = inst.participants
    excluded = {(e.a, e.b): e.reason for e in inst.excluded}
    not_kept = list(inst.keep_dropped)

    def drop(k: Placement, reason: str) -> None:
        not_kept.append(NotKept(people[k.a].id, people[k.b].id, inst.slots[k.slot].id, reason))

    # Most valuable first, so conflicts among kept meetings lose the cheaper ones.
    def keep_value(k: Placement) -> int:
        q = inst.pair_index.get((k.a, k.b))
        return -1 if q is None else inst.pairs[q].weight

    for k in sorted(inst.keep, key=lambda k: (-keep_value(k), k.slot, k.a, k.b)):
        found = inst.pair_index.get((k.a, k.b))
        if found is None:
            drop(k, excluded.get((k.a, k.b), "no longer requested"))
            continue
        p = found
        if state.fixed[p]:
            if state.slot_of[p] != k.slot:
                drop(k, "locked in another slot")
            continue
        missing = [people[v].id for v in (k.a, k.b) if k.slot not in people[v].available]
        if missing:
            drop(k, f"participant {missing[0]!r} not available in this slot")
        elif inst.pairs[p].weight == 0:
            drop(k, "no longer requested")
        elif state.slot_of[p] != FREE:
            drop(k, "the pair is kept in another slot")
        elif state.busy[k.a][k.slot] != FREE or state.busy[k.b][k.slot] != FREE:
            drop(k, "clashes with a locked or kept meeting")
        elif state.used[k.slot] >= state.tables[k.slot]:
            drop(k, "no free table in this slot")
        elif state.count[k.a] >= state.cap[k.a] or state.count[k.b] >= state.cap[k.b]:
            drop(k, "max meetings reached")
        else:
            state.place(p, k.slot)
            state.fixed[p] = True
            fixed.append(k)
    state.commit()
    return state, fixed, not_kept


def _load(state: State, placements: list[tuple[int, int]]) -> None:
    for p, s in placements:
        if state.slot_of[p] == FREE:
            state.place(p, s)
    state.commit()


def _rebuild(
    inst: Instance, base: list[tuple[int, int]], placements: list[tuple[int, int]]
) -> State:
    """A fresh state with the fixed meetings `base` frozen and `placements` loaded."""
    state = State(inst)
    for p, _s in base:
        state.fixed[p] = True
    _load(state, base)
    _load(state, placements)
    return state


@dataclass(slots=True)
class _Best:
    """The best schedule seen so far, so that stopping early loses nothing."""

    total: int
    placements: list[tuple[int, int]]

    def offer(self, state: State) -> None:
        if state.total > self.total:
            self.total, self.placements = state.total, state.scheduled()


def _unscheduled(inst: Instance, state: State) -> list[Unscheduled]:
    out = [Unscheduled(e.a, e.b, e.reason) for e in inst.excluded]
    for p, pair in enumerate(inst.pairs):
        if state.slot_of[p] != FREE or pair.weight == 0:
            continue
        a, b = pair.a, pair.b
        if state.count[a] >= state.cap[a] or state.count[b] >= state.cap[b]:
            reason = "max meetings reached"
        elif any(state.busy[a][s] == FREE and state.busy[b][s] == FREE for s in pair.slots):
            reason = "no free table"
        else:
            reason = "no common free slot"
        out.append(Unscheduled(a, b, reason))
    out.sort(key=lambda u: (u.a, u.b))
    return out


def _meetings(inst: Instance, state: State) -> list[Meeting]:
    by_slot: list[list[int]] = [[] for _ in range(inst.n_slots)]
    for p, s in state.scheduled():
        by_slot[s].append(p)
    meetings: list[Meeting] = []
    for s, pairs in enumerate(by_slot):
        # Fixed meetings get the first tables, so rescheduling moves them least.
        pairs.sort(key=lambda p: (not state.fixed[p], inst.pairs[p].a, inst.pairs[p].b))
        for table, p in enumerate(pairs, start=1):
            meetings.append(Meeting(inst.pairs[p].a, inst.pairs[p].b, s, table))
    return meetings


def solve(
    inst: Instance,
    time_limit_s: float | None = None,
    *,
    method: Method = "auto",
    seed: int = 0,
) -> Schedule:
    """Schedule as much requested weight as possible within `time_limit_s` seconds.

    `method` "greedy" (the draft alone), "cpsat" (CP-SAT alone) and "cpsat_warm" (CP-SAT
    started from the draft) are the benchmark's baselines. The upper bound is always
    proven: by LP duality when the LP ran, by CP-SAT when it proved optimality, else the
    sum of all requested weights.
    """
    t0 = time.perf_counter()
    limit = time_limit_s if time_limit_s is not None else inst.time_limit_s
    limit = DEFAULT_TIME_LIMIT_S if limit is None else limit
    deadline = t0 + limit
    rng = random.Random(seed)
    stats: dict[str, float | int | str] = {"method": method}

    state, fixed, not_kept = _fixed_state(inst)
    base = state.scheduled()
    bound = float(sum(p.weight for p in inst.pairs))
    stats["bound_source"] = "sum of requested weights"

    if method != "cpsat":
        greedy(state, draft_order(state))
        stats["draft"] = state.total
        stats["draft_s"] = round(time.perf_counter() - t0, 4)
    if method in ("cpsat", "cpsat_warm"):
        # OR-Tools loads only for the benchmark's baseline, not for every schedule.
        from .cpsat import solve_cpsat

        hint = state.scheduled() if method == "cpsat_warm" else None
        remaining = max(0.1, deadline - time.perf_counter())
        placements, cp_bound = solve_cpsat(inst, base, remaining, hint=hint)
        state = _rebuild(inst, base, placements)
        if cp_bound < bound:
            bound, stats["bound_source"] = math.floor(cp_bound + 1e-6), "CP-SAT"

    if method == "auto":
        best = state.scheduled()
        best_total = state.total
        remaining = deadline - time.perf_counter()
        lp = solve_lp(inst, fixed, 0.8 * remaining) if remaining > 0.05 else None
        preference: list[float] | None = None
        if lp is not None:
            stats["lp_s"] = round(lp.seconds, 3)
            stats["lp_status"] = lp.status
            if lp.bound < bound:
                bound, stats["bound_source"] = lp.bound, "LP dual (PDLP, repaired)"
            preference = lp.pair_value
            # Round the LP: first the pairs it schedules, by value, then the others.
            guided = _rebuild(inst, base, [])
            pv = preference
            order = sorted(
                range(len(inst.pairs)),
                key=lambda p: (-round(pv[p]), -guided.value[p], -pv[p], len(guided.pslots[p])),
            )
            greedy(guided, order)
            stats["lp_rounding"] = guided.total
            if guided.total > best_total:
                state, best_total, best = guided, guided.total, guided.scheduled()

        best_so_far = _Best(best_total, best)
        # Measured: after LP rounding, local search finds nothing at N = 1,000 and 5,000
        # that the neighbourhood search does not find faster, so it only stands in for
        # the LP when there was no time to solve it.
        if lp is None and state.total < bound:
            improve(state, deadline, rng, preference, on_improve=best_so_far.offer, target=bound)
            stats["after_local_search"] = state.total
        best_so_far.offer(state)
        if state.total < best_so_far.total:
            state = _rebuild(inst, base, best_so_far.placements)

        # Then exact re-optimisation of groups of people with CP-SAT (whole instance when
        # it is small, which proves optimality).
        if state.total < bound and deadline - time.perf_counter() > 0.02:
            t_lns = time.perf_counter()
            pref = preference if preference is not None else [1.0] * len(inst.pairs)
            if lns(state, deadline, rng, pref, on_improve=best_so_far.offer, target=bound):
                bound, stats["bound_source"] = float(state.total), "CP-SAT (proven optimum)"
            stats["lns_s"] = round(time.perf_counter() - t_lns, 3)
            stats["after_lns"] = state.total

    objective = sum(inst.pairs[p].weight for p, _s in state.scheduled())
    gap = 0.0 if bound <= 0 else 1.0 - objective / bound
    solve_s = time.perf_counter() - t0
    return Schedule(
        meetings=_meetings(inst, state),
        unscheduled=_unscheduled(inst, state),
        not_kept=not_kept,
        objective=objective,
        upper_bound=bound,
        gap=gap,
        solve_s=solve_s,
        stats=stats,
    )


def schedule_to_json(inst: Instance, schedule: Schedule) -> dict[str, Any]:
    """The JSON output document, with the participants' and slots' original ids."""
    people, slots = inst.participants, inst.slots
    ub = schedule.upper_bound
    return {
        "meetings": [
            {"a": people[m.a].id, "b": people[m.b].id, "slot": slots[m.slot].id, "table": m.table}
            for m in schedule.meetings
        ],
        "unscheduled": [
            {"a": people[u.a].id, "b": people[u.b].id, "reason": u.reason}
            for u in schedule.unscheduled
        ],
        "not_kept": [
            {"a": k.a, "b": k.b, "slot": k.slot, "reason": k.reason} for k in schedule.not_kept
        ],
        "objective": schedule.objective,
        "upper_bound": int(ub) if float(ub).is_integer() else ub,
        "gap": round(schedule.gap, 6),
        "solve_s": round(schedule.solve_s, 3),
        "stats": schedule.stats,
    }
