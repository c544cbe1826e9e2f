"""Min-cost-flow solve of a :class:`~.problem.Problem` (method: see the package docstring)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from .problem import Id, Problem

SCORE_RESOLUTION = 1_000_000
"""Integer steps the largest absolute score is scaled to (scores keep ~6 significant digits)."""

# OR-Tools multiplies costs by about the node count during cost scaling; stay well inside int64.
_MAX_SAFE_COST = 2**62


class ReviewerSolveError(RuntimeError):
    """The flow solver did not return an optimum (should not happen on a valid problem)."""


@dataclass(frozen=True, slots=True)
class Pair:
    item: Id
    reviewer: Id
    score: float
    locked: bool


@dataclass(frozen=True, slots=True)
class Unfilled:
    item: Id
    missing: int


@dataclass(frozen=True, slots=True)
class UnmetMinLoad:
    reviewer: Id
    load: int
    min_load: int


@dataclass(frozen=True)
class Assignment:
    """Result of :func:`assign`.

    ``total_score`` is the exact float sum of the chosen pairs' scores. Flow costs are rounded
    to multiples of ``score_unit``, so ``total_score`` is within ``gap_bound`` of the true
    float optimum among assignments of maximum coverage (and maximum min-load satisfaction).
    """

    pairs: tuple[Pair, ...]
    total_score: float
    unfilled: tuple[Unfilled, ...]
    unmet_min_load: tuple[UnmetMinLoad, ...]
    loads: tuple[tuple[Id, int], ...]
    """``(reviewer id, load)`` for every reviewer, in input order, locked pairs included."""
    score_unit: float
    gap_bound: float
    build_s: float
    flow_s: float
    solve_s: float


def assign(problem: Problem, *, resolution: int = SCORE_RESOLUTION) -> Assignment:
    """Return an optimal assignment: most pairs, then min loads met, then highest affinity."""
    if resolution < 1:
        raise ValueError("resolution must be a positive integer")
    t0 = time.perf_counter()
    n_items, n_reviewers = len(problem.items), len(problem.reviewers)
    needed = np.array([it.reviewers_needed for it in problem.items], dtype=np.int64)
    max_load = np.array([rv.max_load for rv in problem.reviewers], dtype=np.int64)
    min_load = np.array([rv.min_load for rv in problem.reviewers], dtype=np.int64)

    locked = np.array(problem.locked, dtype=np.int64).reshape(-1, 2)
    locked_i, locked_r = locked[:, 0], locked[:, 1]
    # Locks are forced: take them out of the capacities and bounds the flow has to fill.
    item_cap = needed - np.bincount(locked_i, minlength=n_items)
    reviewer_locked = np.bincount(locked_r, minlength=n_reviewers)
    reviewer_cap = max_load - reviewer_locked
    reviewer_min = np.maximum(min_load - reviewer_locked, 0)

    eligible = np.ones((n_items, n_reviewers), dtype=bool)
    if problem.conflicts:
        conflicts = np.array(sorted(problem.conflicts), dtype=np.int64)
        eligible[conflicts[:, 0], conflicts[:, 1]] = False
    eligible[locked_i, locked_r] = False
    eligible[item_cap == 0, :] = False
    eligible[:, reviewer_cap == 0] = False
    # int32 halves the index arrays; a network over 2**31 arcs would not fit in memory anyway.
    pair_i, pair_r = (a.astype(np.int32) for a in np.nonzero(eligible))
    del eligible
    pair_scores = problem.scores[pair_i, pair_r]

    max_abs = float(np.abs(pair_scores).max()) if pair_scores.size else 0.0
    score_unit = max_abs / resolution if max_abs > 0 else 1.0
    pair_scores /= score_unit
    scaled = np.rint(pair_scores).astype(np.int64)
    del pair_scores

    chosen = np.zeros(pair_i.size, dtype=bool)
    flow_s = 0.0
    total_flow = int(min(item_cap.sum(), reviewer_cap.sum()))
    build_s = time.perf_counter() - t0
    if pair_i.size and total_flow > 0:
        flow, pair_arcs = _build_network(
            item_cap, reviewer_cap, reviewer_min, pair_i, pair_r, scaled, resolution, total_flow
        )
        build_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        status = flow.solve_max_flow_with_min_cost()
        flow_s = time.perf_counter() - t1
        if status != SimpleMinCostFlow.OPTIMAL:
            raise ReviewerSolveError(f"min-cost flow returned {status!r}")
        chosen = np.asarray(flow.flows(pair_arcs)) > 0

    all_i = np.concatenate([locked_i, pair_i[chosen]])
    all_r = np.concatenate([locked_r, pair_r[chosen]])
    is_locked = np.concatenate([np.ones(locked_i.size, bool), np.zeros(int(chosen.sum()), bool)])
    order = np.lexsort((all_r, all_i))
    all_i, all_r, is_locked = all_i[order], all_r[order], is_locked[order]
    chosen_scores = problem.scores[all_i, all_r]

    pairs = tuple(
        Pair(problem.items[i].id, problem.reviewers[r].id, float(s), bool(lk))
        for i, r, s, lk in zip(
            all_i.tolist(), all_r.tolist(), chosen_scores.tolist(), is_locked.tolist(), strict=True
        )
    )
    got = np.bincount(all_i, minlength=n_items)
    loads = np.bincount(all_r, minlength=n_reviewers)
    unfilled = tuple(
        Unfilled(problem.items[i].id, int(needed[i] - got[i]))
        for i in np.flatnonzero(got < needed).tolist()
    )
    unmet = tuple(
        UnmetMinLoad(problem.reviewers[r].id, int(loads[r]), int(min_load[r]))
        for r in np.flatnonzero(loads < min_load).tolist()
    )
    return Assignment(
        pairs=pairs,
        total_score=math.fsum(chosen_scores.tolist()),
        unfilled=unfilled,
        unmet_min_load=unmet,
        loads=tuple(
            (rv.id, int(n)) for rv, n in zip(problem.reviewers, loads.tolist(), strict=True)
        ),
        score_unit=score_unit,
        gap_bound=float(chosen.sum()) * score_unit if max_abs > 0 else 0.0,
        build_s=build_s,
        flow_s=flow_s,
        solve_s=time.perf_counter() - t0,
    )


def _build_network(
    item_cap: NDArray[np.int64],
    reviewer_cap: NDArray[np.int64],
    reviewer_min: NDArray[np.int64],
    pair_i: NDArray[np.int32],
    pair_r: NDArray[np.int32],
    scaled: NDArray[np.int64],
    resolution: int,
    total_flow: int,
) -> tuple[SimpleMinCostFlow, NDArray[np.int32]]:
    """Source -> item -> reviewer -> sink network; returns it and the item->reviewer arc ids."""
    n_items, n_reviewers = item_cap.size, reviewer_cap.size
    source, sink = 0, n_items + n_reviewers + 1
    item_node = np.arange(1, n_items + 1, dtype=np.int32)
    reviewer_node = np.arange(n_items + 1, n_items + n_reviewers + 1, dtype=np.int32)
    flow = SimpleMinCostFlow()

    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_items, source, np.int32), item_node, item_cap, np.zeros(n_items, np.int64)
    )
    first_pair_arc = flow.num_arcs()
    flow.add_arcs_with_capacity_and_unit_cost(
        item_node[pair_i], reviewer_node[pair_r], np.ones(pair_i.size, np.int64), -scaled
    )
    pair_arcs = np.arange(first_pair_arc, flow.num_arcs(), dtype=np.int32)

    # Two-tier reviewer arcs: the first min_load units earn a bonus larger than any affinity
    # difference between two flows (2 * resolution per pair arc, at most total_flow of them),
    # so meeting minimum loads dominates affinity while max-flow still dominates both.
    has_min = reviewer_min > 0
    bonus = 2 * resolution * total_flow + 1 if has_min.any() else resolution
    if bonus * (n_items + n_reviewers + 3) >= _MAX_SAFE_COST:
        raise ReviewerSolveError("costs would overflow int64; lower the score resolution")
    if has_min.any():
        flow.add_arcs_with_capacity_and_unit_cost(
            reviewer_node[has_min],
            np.full(int(has_min.sum()), sink, np.int32),
            reviewer_min[has_min],
            np.full(int(has_min.sum()), -bonus, np.int64),
        )
    rest = reviewer_cap - reviewer_min
    flow.add_arcs_with_capacity_and_unit_cost(
        reviewer_node, np.full(n_reviewers, sink, np.int32), rest, np.zeros(n_reviewers, np.int64)
    )
    flow.set_nodes_supplies(
        np.array([source, sink], np.int32), np.array([total_flow, -total_flow], np.int64)
    )
    return flow, pair_arcs


def assignment_to_json(result: Assignment) -> dict[str, Any]:
    """JSON-ready dict: ``assignments``, ``total_score``, ``unfilled``, ``solve_s`` and extras."""
    out: dict[str, Any] = {
        "assignments": [
            {"item": p.item, "reviewer": p.reviewer, "score": p.score, "locked": p.locked}
            for p in result.pairs
        ],
        "total_score": result.total_score,
        "unfilled": [{"item": u.item, "missing": u.missing} for u in result.unfilled],
        "unmet_min_load": [
            {"reviewer": u.reviewer, "load": u.load, "min_load": u.min_load}
            for u in result.unmet_min_load
        ],
        "score_unit": result.score_unit,
        "gap_bound": result.gap_bound,
        "solve_s": round(result.solve_s, 6),
        "build_s": round(result.build_s, 6),
        "flow_s": round(result.flow_s, 6),
        "loads": [{"reviewer": rid, "load": n} for rid, n in result.loads],
    }
    return out
