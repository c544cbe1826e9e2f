"""Baseline: the slot-indexed model handed to CP-SAT alone (used by the benchmark).

One Boolean per pair and common slot; the same constraints as the LP (see :mod:`.lp`).
Fixed (locked or kept) placements are forced to 1.
"""

from __future__ import annotations

import os
import time

from ortools.sat.python import cp_model

from .model import Instance


def solve_cpsat(
    inst: Instance,
    fixed: list[tuple[int, int]],
    time_limit_s: float,
    hint: list[tuple[int, int]] | None = None,
    workers: int | None = None,
) -> tuple[list[tuple[int, int]], float]:
    """Return (placements (pair, slot), CP-SAT's proven upper bound on the weight).

    `hint` is a feasible schedule to start from (CP-SAT then never returns worse).
    Building the model counts towards `time_limit_s`.
    """
    t0 = time.perf_counter()
    model = cp_model.CpModel()
    forced = dict(fixed)
    per_pair: list[list[cp_model.IntVar]] = []
    per_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    per_slot: list[list[cp_model.IntVar]] = [[] for _ in range(inst.n_slots)]
    per_person: list[list[cp_model.IntVar]] = [[] for _ in range(inst.n)]
    index: list[tuple[int, int, cp_model.IntVar]] = []
    objective = []
    for p, pair in enumerate(inst.pairs):
        xs = []
        for s in pair.slots:
            x = model.new_bool_var(f"x{p}_{s}")
            if p in forced:
                model.add(x == int(forced[p] == s))
            xs.append(x)
            index.append((p, s, x))
            per_person_slot.setdefault((pair.a, s), []).append(x)
            per_person_slot.setdefault((pair.b, s), []).append(x)
            per_slot[s].append(x)
            per_person[pair.a].append(x)
            per_person[pair.b].append(x)
            objective.append(pair.weight * x)
        per_pair.append(xs)
    for xs in per_pair:
        if len(xs) > 1:
            model.add_at_most_one(xs)
    for xs in per_person_slot.values():
        if len(xs) > 1:
            model.add_at_most_one(xs)
    for s, xs in enumerate(per_slot):
        if len(xs) > inst.tables[s]:
            model.add(sum(xs) <= inst.tables[s])
    for i, xs in enumerate(per_person):
        if inst.participants[i].max_meetings < len(inst.participants[i].available):
            model.add(sum(xs) <= inst.participants[i].max_meetings)
    model.maximize(sum(objective))
    if hint is not None:
        hinted = set(hint)
        for p, s, x in index:
            model.add_hint(x, (p, s) in hinted)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s - (time.perf_counter() - t0))
    solver.parameters.num_workers = workers or max(1, min(8, os.cpu_count() or 1))
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        fallback = hint if hint is not None else fixed
        return list(fallback), float(sum(p.weight for p in inst.pairs))
    placements = [(p, s) for p, s, x in index if solver.boolean_value(x)]
    return placements, float(solver.best_objective_bound)
