"""Large-neighbourhood search: re-solve a small group of people exactly with CP-SAT.

Local search stalls when the last missing meetings need several coordinated moves. Here a
neighbourhood is a group of people grown from an unscheduled pair along requests and
meetings; every meeting between two of them is freed, the rest of the schedule is frozen
(it blocks slots, tables and caps), and CP-SAT finds the best re-arrangement of the group,
starting from the current one. The change is kept only if the total value rises.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from .engine import FREE, State

MIN_GROUP, MAX_GROUP = 8, 400
# Events up to this size also get slot neighbourhoods (everyone, SLOT_HOOD_SIZE slots) of
# SLOT_HOOD_WORK deterministic seconds of CP-SAT each.
SLOT_HOODS_UP_TO = 400
SLOT_HOOD_SIZE = 3
SLOT_HOOD_WORK = 0.3


class Neighbourhoods:
    """Group selection and an adaptive group size."""

    def __init__(self, state: State, rng: random.Random, preference: Sequence[float]) -> None:
        self.state = state
        self.rng = rng
        self.pref = preference
        self.size = min(state.inst.n, 30)

    def seed_pair(self) -> int:
        st = self.state
        pending = [p for p in range(len(st.value)) if st.slot_of[p] == FREE and st.value[p] > 0]
        if not pending:
            return FREE
        if self.rng.random() < 0.6:
            # Pairs the LP wants most and we miss are the likeliest to be winnable.
            pending.sort(key=lambda p: (-self.pref[p] * st.value[p], self.rng.random()))
            return pending[min(len(pending) - 1, int(self.rng.expovariate(0.3)))]
        return self.rng.choice(pending)

    def group(self, p: int) -> list[int]:
        st = self.state
        if self.size >= st.inst.n:
            return list(range(st.inst.n))
        start = [st.pa[p], st.pb[p]]
        seen = set(start)
        frontier = list(start)
        while frontier and len(seen) < self.size:
            v = frontier.pop(0)
            around = [st.pb[q] if st.pa[q] == v else st.pa[q] for q in st.pairs_of[v]]
            self.rng.shuffle(around)
            for u in around:
                if u not in seen:
                    seen.add(u)
                    frontier.append(u)
                    if len(seen) >= self.size:
                        break
        return list(seen)

    def slot_subset(self, p: int) -> set[int]:
        """A few slots: one where each side of the missed pair `p` is free, the rest at
        random."""
        st = self.state
        chosen: set[int] = set()
        for v in (st.pa[p], st.pb[p]):
            free = [s for s in st.pslots[p] if st.busy[v][s] == FREE]
            if free:
                chosen.add(self.rng.choice(free))
        size = min(SLOT_HOOD_SIZE, st.S)
        while len(chosen) < size:
            chosen.add(self.rng.randrange(st.S))
        return chosen

    def feedback(self, solved_fast: bool) -> None:
        n = self.state.inst.n
        if solved_fast:
            self.size = min(n, MAX_GROUP, int(self.size * 1.15) + 1)
        else:
            self.size = max(MIN_GROUP, int(self.size * 0.8))


def reoptimise_group(
    state: State,
    group: list[int],
    time_limit_s: float,
    slots: set[int] | None = None,
    work_limit: float | None = None,
) -> tuple[bool, bool]:
    """Re-solve the meetings inside `group` (in `slots` only, when given: the meetings of
    the other slots stay where they are). Returns (improved, proven_optimal).

    `work_limit` caps CP-SAT's deterministic time, so that what a neighbourhood finds does
    not depend on how busy the machine is (the wall-clock limit stays as a safety net).
    """
    inside = set(group)
    pa, pb, fixed, slot_of = state.pa, state.pb, state.fixed, state.slot_of
    freed = {
        q
        for v in group
        for s, q in enumerate(state.busy[v])
        if q != FREE
        and not fixed[q]
        and pa[q] in inside
        and pb[q] in inside
        and (slots is None or s in slots)
    }
    candidates = freed | {
        q
        for v in group
        for q in state.pairs_of[v]
        if slot_of[q] == FREE and pa[q] in inside and pb[q] in inside and state.value[q] > 0
    }
    old = [(q, state.slot_of[q]) for q in freed]
    old_value = sum(state.value[q] for q in freed)
    mark = state.mark()
    for q in freed:
        state.remove(q)

    model = cp_model.CpModel()
    by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    by_slot: dict[int, list[cp_model.IntVar]] = {}
    by_person: dict[int, list[cp_model.IntVar]] = {}
    variables: list[tuple[int, int, cp_model.IntVar]] = []
    hint = set(old)
    busy, used, tables = state.busy, state.used, state.tables
    for q in candidates:
        a, b = pa[q], pb[q]
        if state.count[a] >= state.cap[a] or state.count[b] >= state.cap[b]:
            continue
        xs = []
        for s in state.pslots[q]:
            if busy[a][s] != FREE or busy[b][s] != FREE or used[s] >= tables[s]:
                continue
            if slots is not None and s not in slots:
                continue
            x = model.new_bool_var("")
            model.add_hint(x, (q, s) in hint)
            xs.append(x)
            variables.append((q, s, x))
            by_person_slot.setdefault((a, s), []).append(x)
            by_person_slot.setdefault((b, s), []).append(x)
            by_slot.setdefault(s, []).append(x)
            by_person.setdefault(a, []).append(x)
            by_person.setdefault(b, []).append(x)
        if len(xs) > 1:
            model.add_at_most_one(xs)
    for xs in by_person_slot.values():
        if len(xs) > 1:
            model.add_at_most_one(xs)
    for s, xs in by_slot.items():
        if len(xs) > tables[s] - used[s]:
            model.add(sum(xs) <= tables[s] - used[s])
    for v, xs in by_person.items():
        room = state.cap[v] - state.count[v]
        if len(xs) > room:
            model.add(sum(xs) <= room)
    model.maximize(sum(state.value[q] * x for q, _s, x in variables))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit_s)
    if work_limit is not None:
        solver.parameters.max_deterministic_time = work_limit
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    optimal = status == cp_model.OPTIMAL
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value > old_value:
        for q, s, x in variables:
            if solver.boolean_value(x):
                state.place(q, s)
        state.commit()
        return True, optimal
    state.rollback(mark)
    return False, optimal


def lns(
    state: State,
    deadline: float,
    rng: random.Random,
    preference: Sequence[float],
    on_improve: Callable[[State], None] | None = None,
    target: float = float("inf"),
) -> bool:
    """Improve `state` until the deadline or the target; True if proven optimal."""
    hoods = Neighbourhoods(state, rng, preference)
    small = state.inst.n <= SLOT_HOODS_UP_TO
    turn = 0
    while time.perf_counter() < deadline and state.total < target:
        p = hoods.seed_pair()
        if p == FREE:
            return True
        budget = min(1.0, deadline - time.perf_counter())
        turn += 1
        if small and turn % 3 != 1:
            # Everyone, a few slots: the last units of a small event usually need many
            # meetings to change slots at once (a re-colouring), which groups of people
            # around one pair cannot express.
            # The work limit bounds it; the wall clock only stops it at the deadline, so
            # that a busy machine slows the search down without changing what it finds.
            improved, _optimal = reoptimise_group(
                state,
                list(range(state.inst.n)),
                max(0.01, deadline - time.perf_counter()),
                slots=hoods.slot_subset(p),
                work_limit=SLOT_HOOD_WORK,
            )
        else:
            group = hoods.group(p)
            t0 = time.perf_counter()
            improved, optimal = reoptimise_group(state, group, budget)
            if optimal and len(group) == state.inst.n:
                return True  # the whole instance was solved exactly
            hoods.feedback(optimal and time.perf_counter() - t0 < 0.2)
        if improved and on_improve is not None:
            on_improve(state)
    return False
