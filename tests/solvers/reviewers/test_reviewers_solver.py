"""Reviewer assignment: hand-checked optima, brute force on tiny instances, constraint checks."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

import highspy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterdesk.solvers.reviewers import (
    Assignment,
    Item,
    Reviewer,
    ReviewerInputError,
    ReviewerSolveError,
    assign,
    assignment_to_json,
    make_problem,
    parse_problem,
)


def solve(
    needed: dict[str, int],
    loads: dict[str, int | tuple[int, int]],
    scores: Mapping[tuple[str, str], float] | None = None,
    conflicts: list[tuple[str, str]] | None = None,
    locked: list[tuple[str, str]] | None = None,
) -> Assignment:
    reviewers: list[dict[str, Any]] = []
    for rid, load in loads.items():
        hi, lo = (load, 0) if isinstance(load, int) else load
        reviewers.append({"id": rid, "max_load": hi, "min_load": lo})
    data = {
        "items": [{"id": i, "reviewers_needed": k} for i, k in needed.items()],
        "reviewers": reviewers,
        "affinity": [
            {"item": i, "reviewer": r, "score": s} for (i, r), s in (scores or {}).items()
        ],
        "conflicts": [{"item": i, "reviewer": r} for i, r in conflicts or []],
        "locked": [{"item": i, "reviewer": r} for i, r in locked or []],
    }
    return assign(parse_problem(data))


def pairs(result: Assignment) -> set[tuple[Any, Any]]:
    return {(p.item, p.reviewer) for p in result.pairs}


def test_assign_one_to_one_finds_optimum_greedy_misses() -> None:
    # Greedy takes a-x (9) and leaves b with 0: 9 + 0 + 1 = 10. Optimum is 8 + 8 + 1 = 17.
    scores = {("a", "x"): 9, ("a", "y"): 8, ("b", "x"): 8, ("c", "z"): 1}
    result = solve({"a": 1, "b": 1, "c": 1}, {"x": 1, "y": 1, "z": 1}, scores)
    assert pairs(result) == {("a", "y"), ("b", "x"), ("c", "z")}
    assert result.total_score == 17
    assert result.unfilled == ()


def test_assign_two_reviewers_each_hand_optimum() -> None:
    scores = {("a", "x"): 0.9, ("b", "x"): 0.8, ("a", "z"): 0.5, ("b", "z"): 0.1}
    result = solve({"a": 2, "b": 2}, {"x": 2, "y": 1, "z": 2}, scores, conflicts=[("b", "y")])
    # y is free but scores 0; z beats it for a; b cannot use y, so b gets x and z.
    assert pairs(result) == {("a", "x"), ("a", "z"), ("b", "x"), ("b", "z")}
    assert result.total_score == pytest.approx(2.3)
    assert dict(result.loads) == {"x": 2, "y": 0, "z": 2}


def test_assign_missing_pairs_score_zero_but_still_assignable() -> None:
    result = solve({"a": 2}, {"x": 1, "y": 1}, {("a", "x"): 0.4})
    assert pairs(result) == {("a", "x"), ("a", "y")}
    assert {p.reviewer: p.score for p in result.pairs} == {"x": 0.4, "y": 0.0}


def test_assign_conflict_excluded_even_when_best_pair() -> None:
    scores = {("a", "x"): 100, ("a", "y"): 1}
    result = solve({"a": 1}, {"x": 1, "y": 1}, scores, conflicts=[("a", "x")])
    assert pairs(result) == {("a", "y")}


def test_assign_locked_pair_kept_and_counts_toward_k_and_load() -> None:
    scores = {("a", "x"): 0.1, ("a", "y"): 0.9, ("a", "z"): 0.8, ("b", "x"): 0.9}
    result = solve(
        {"a": 2, "b": 1}, {"x": 1, "y": 1, "z": 1}, scores, locked=[("a", "x")]
    )  # x is full with its lock, so b cannot have x even though it is b's best.
    assert ("a", "x") in pairs(result)
    assert [p.locked for p in result.pairs if (p.item, p.reviewer) == ("a", "x")] == [True]
    assert Counter(p.item for p in result.pairs) == {"a": 2, "b": 1}
    assert ("b", "x") not in pairs(result)
    assert pairs(result) == {("a", "x"), ("a", "y"), ("b", "z")}


def test_assign_unfilled_reported_when_too_few_reviewers() -> None:
    result = solve({"a": 3, "b": 1}, {"x": 5, "y": 5}, conflicts=[("b", "x"), ("b", "y")])
    assert {(u.item, u.missing) for u in result.unfilled} == {("a", 1), ("b", 1)}
    assert pairs(result) == {("a", "x"), ("a", "y")}


def test_assign_unfilled_reported_when_loads_exhausted() -> None:
    result = solve({"a": 2, "b": 2}, {"x": 1, "y": 2}, {("b", "y"): 1.0})
    assert sum(u.missing for u in result.unfilled) == 1
    assert len(result.pairs) == 3


def test_assign_coverage_beats_affinity() -> None:
    # Assigning a-x alone scores 10; covering both items forces a-y, b-x for a total of 1.
    scores = {("a", "x"): 10, ("b", "x"): 1}
    result = solve({"a": 1, "b": 1}, {"x": 1, "y": 1}, scores, conflicts=[("b", "y")])
    assert pairs(result) == {("a", "y"), ("b", "x")}
    assert result.unfilled == ()


def test_assign_negative_score_pair_still_used_for_coverage() -> None:
    result = solve({"a": 1}, {"x": 1}, {("a", "x"): -5.0})
    assert pairs(result) == {("a", "x")}
    assert result.total_score == -5.0


def test_assign_min_load_met_at_the_cost_of_affinity() -> None:
    scores = {("a", "x"): 1.0, ("b", "x"): 1.0, ("a", "y"): 0.1, ("b", "y"): 0.1}
    without = solve({"a": 1, "b": 1}, {"x": 2, "y": 2}, scores)
    assert pairs(without) == {("a", "x"), ("b", "x")}
    with_min = solve({"a": 1, "b": 1}, {"x": 2, "y": (2, 1)}, scores)
    assert dict(with_min.loads)["y"] == 1
    assert with_min.unmet_min_load == ()
    assert with_min.total_score == pytest.approx(1.1)


def test_assign_min_load_unmet_reported_not_failed() -> None:
    result = solve({"a": 1, "b": 1, "c": 1}, {"x": 3, "y": (3, 3)}, conflicts=[("c", "y")])
    assert [(u.reviewer, u.load, u.min_load) for u in result.unmet_min_load] == [("y", 2, 3)]
    assert result.unfilled == ()


def test_assign_min_load_counts_locked_pairs() -> None:
    scores = {("a", "x"): 1.0, ("b", "x"): 1.0}
    result = solve({"a": 1, "b": 1}, {"x": 2, "y": (2, 1)}, scores, locked=[("a", "y")])
    # The lock already gives y its minimum: b goes to its best reviewer.
    assert pairs(result) == {("a", "y"), ("b", "x")}
    assert result.unmet_min_load == ()


def test_assign_total_is_exact_float_sum_below_resolution() -> None:
    # 1e-9 is far below the 1e-6 relative flow resolution, yet must be in the reported total.
    scores = {("a", "x"): 1.0, ("b", "y"): 1e-9}
    result = solve({"a": 1, "b": 1}, {"x": 1, "y": 1}, scores)
    assert result.total_score == 1.0 + 1e-9
    assert result.gap_bound == pytest.approx(2e-6)


def test_assign_empty_inputs_give_empty_or_unfilled() -> None:
    assert assign(parse_problem({"items": [], "reviewers": []})).pairs == ()
    result = solve({"a": 2, "b": 0}, {})
    assert [(u.item, u.missing) for u in result.unfilled] == [("a", 2)]
    assert result.total_score == 0


def test_assign_integer_ids_echoed_unchanged() -> None:
    data = {
        "items": [{"id": 7, "reviewers_needed": 1}],
        "reviewers": [{"id": 3, "max_load": 1}],
    }
    out = assignment_to_json(assign(parse_problem(data)))
    assert out["assignments"] == [{"item": 7, "reviewer": 3, "score": 0.0, "locked": False}]
    assert {"assignments", "total_score", "unfilled", "solve_s"} <= out.keys()


def test_make_problem_equivalent_to_parse_problem() -> None:
    scores = np.array([[0.2, 0.9], [0.7, 0.1]])
    built = make_problem(
        [Item("a", 1), Item("b", 1)], [Reviewer("x", 1), Reviewer("y", 1)], scores, [(0, 1)]
    )
    assert pairs(assign(built)) == {("a", "x"), ("b", "y")}
    with pytest.raises(ReviewerInputError, match="locked"):
        make_problem([Item("a", 1)], [Reviewer("x", 1)], locked=[(0, 0)], conflicts=[(0, 0)])
    with pytest.raises(ReviewerInputError, match="scores"):
        make_problem([Item("a", 1)], [Reviewer("x", 1)], [[1.0, 2.0]])


def test_assign_matrix_form_same_as_list_form() -> None:
    base = {
        "items": [{"id": "a", "reviewers_needed": 1}, {"id": "b", "reviewers_needed": 1}],
        "reviewers": [{"id": "x", "max_load": 1}, {"id": "y", "max_load": 1}],
    }
    matrix = assign(parse_problem({**base, "affinity_matrix": [[0.3, 0.8], [0.6, 0.2]]}))
    entries = [
        {"item": "a", "reviewer": "y", "score": 0.8},
        {"item": "b", "reviewer": "x", "score": 0.6},
    ]
    listed = assign(parse_problem({**base, "affinity": entries}))
    assert pairs(matrix) == pairs(listed) == {("a", "y"), ("b", "x")}
    assert matrix.total_score == listed.total_score == pytest.approx(1.4)


# --- brute force on tiny random instances -------------------------------------------------


@st.composite
def tiny_problems(draw: st.DrawFn) -> dict[str, Any]:
    n_items = draw(st.integers(1, 3))
    n_reviewers = draw(st.integers(1, 3))
    items: list[dict[str, Any]] = [
        {"id": f"i{n}", "reviewers_needed": draw(st.integers(0, 2))} for n in range(n_items)
    ]
    reviewers: list[dict[str, Any]] = []
    for n in range(n_reviewers):
        hi = draw(st.integers(0, 2))
        reviewers.append({"id": f"r{n}", "max_load": hi, "min_load": draw(st.integers(0, hi))})
    all_pairs = list(itertools.product(range(n_items), range(n_reviewers)))
    # Tenths: distinct enough to test optimality, exact enough to compare totals.
    scores = [draw(st.integers(-5, 20)) / 10 for _ in all_pairs]
    conflicts = {p for p in all_pairs if draw(st.integers(0, 4)) == 0}
    locked: list[tuple[int, int]] = []
    for i, r in all_pairs:
        if (i, r) in conflicts or draw(st.integers(0, 5)) != 0:
            continue
        if sum(li == i for li, _ in locked) >= items[i]["reviewers_needed"]:
            continue
        if sum(lr == r for _, lr in locked) >= reviewers[r]["max_load"]:
            continue
        locked.append((i, r))
    return {
        "items": items,
        "reviewers": reviewers,
        "affinity_matrix": [
            [scores[i * n_reviewers + r] for r in range(n_reviewers)] for i in range(n_items)
        ],
        "conflicts": [{"item": f"i{i}", "reviewer": f"r{r}"} for i, r in sorted(conflicts)],
        "locked": [{"item": f"i{i}", "reviewer": f"r{r}"} for i, r in locked],
    }


def _key(data: dict[str, Any], chosen: set[tuple[int, int]]) -> tuple[int, int, float] | None:
    """(coverage, -min-load shortfall, score) of a pair set, or None if infeasible."""
    conflicts = {(int(c["item"][1:]), int(c["reviewer"][1:])) for c in data["conflicts"]}
    locked = {(int(c["item"][1:]), int(c["reviewer"][1:])) for c in data["locked"]}
    if chosen & conflicts or not locked <= chosen:
        return None
    per_item = Counter(i for i, _ in chosen)
    per_reviewer = Counter(r for _, r in chosen)
    if any(per_item[n] > it["reviewers_needed"] for n, it in enumerate(data["items"])):
        return None
    if any(per_reviewer[n] > rv["max_load"] for n, rv in enumerate(data["reviewers"])):
        return None
    shortfall = sum(
        max(rv["min_load"] - per_reviewer[n], 0) for n, rv in enumerate(data["reviewers"])
    )
    score = sum(data["affinity_matrix"][i][r] for i, r in chosen)
    return len(chosen), -shortfall, round(score, 9)


@settings(max_examples=150, deadline=None)
@given(tiny_problems())
def test_assign_matches_brute_force_on_tiny_instances(data: dict[str, Any]) -> None:
    n_items, n_reviewers = len(data["items"]), len(data["reviewers"])
    candidates = list(itertools.product(range(n_items), range(n_reviewers)))
    best = max(
        key
        for size in range(len(candidates) + 1)
        for subset in itertools.combinations(candidates, size)
        if (key := _key(data, set(subset))) is not None
    )
    result = assign(parse_problem(data))
    index_i = {it["id"]: n for n, it in enumerate(data["items"])}
    index_r = {rv["id"]: n for n, rv in enumerate(data["reviewers"])}
    got = {(index_i[p.item], index_r[p.reviewer]) for p in result.pairs}
    assert len(got) == len(result.pairs)
    assert _key(data, got) == best
    assert math.isclose(result.total_score, best[2], abs_tol=1e-9)
    missing = sum(it["reviewers_needed"] for it in data["items"]) - best[0]
    assert sum(u.missing for u in result.unfilled) == missing
    assert len(result.unmet_min_load) == sum(
        dict(result.loads)[rv["id"]] < rv["min_load"] for rv in data["reviewers"]
    )


# --- medium random instance against an LP solved by HiGHS -----------------------------------


def test_assign_matches_highs_lp_optimum_on_random_instance() -> None:
    rng = np.random.default_rng(7)
    n_items, n_reviewers, k = 40, 25, 3
    scores = np.where(
        rng.random((n_items, n_reviewers)) < 0.3, rng.random((n_items, n_reviewers)), 0
    )
    conflict = rng.random((n_items, n_reviewers)) < 0.05
    max_load = rng.integers(4, 8, n_reviewers)
    data = {
        "items": [{"id": i, "reviewers_needed": k} for i in range(n_items)],
        "reviewers": [{"id": r, "max_load": int(m)} for r, m in enumerate(max_load)],
        "affinity_matrix": scores.tolist(),
        "conflicts": [{"item": int(i), "reviewer": int(r)} for i, r in np.argwhere(conflict)],
    }
    result = assign(parse_problem(data))
    assert result.unfilled == ()
    for p in result.pairs:
        assert not conflict[int(p.item), int(p.reviewer)]
    assert all(load <= max_load[int(r)] for r, load in result.loads)
    assert Counter(p.item for p in result.pairs) == dict.fromkeys(range(n_items), k)

    # Same problem as an LP (totally unimodular, so its optimum is integral).
    ii, rr = np.nonzero(~conflict)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = ii.size, n_items + n_reviewers
    lp.col_cost_ = -scores[ii, rr]
    lp.col_lower_, lp.col_upper_ = np.zeros(ii.size), np.ones(ii.size)
    lp.row_lower_ = np.concatenate([np.full(n_items, float(k)), np.zeros(n_reviewers)])
    lp.row_upper_ = np.concatenate([np.full(n_items, float(k)), max_load.astype(float)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, 2 * ii.size + 1, 2, dtype=np.int32)
    lp.a_matrix_.index_ = np.column_stack([ii, n_items + rr]).ravel().astype(np.int32)
    lp.a_matrix_.value_ = np.ones(2 * ii.size)
    h.passModel(lp)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    lp_total = -h.getInfo().objective_function_value
    assert abs(result.total_score - lp_total) <= result.gap_bound + 1e-9


def test_assign_coarse_resolution_keeps_exact_total_and_bound() -> None:
    # With 10 steps, {a-x, b-y} (1.0) and {a-y, b-x} (0.99 + 0.04) both cost 10 units: the
    # solver may return the worse one, but must report its exact total within gap_bound.
    scores = {("a", "x"): 1.0, ("a", "y"): 0.99, ("b", "x"): 0.04}
    data = {
        "items": [{"id": "a", "reviewers_needed": 1}, {"id": "b", "reviewers_needed": 1}],
        "reviewers": [{"id": "x", "max_load": 1}, {"id": "y", "max_load": 1}],
        "affinity": [{"item": i, "reviewer": r, "score": s} for (i, r), s in scores.items()],
    }
    result = assign(parse_problem(data), resolution=10)
    assert result.score_unit == pytest.approx(0.1)
    assert result.total_score in (1.0, 0.99 + 0.04)
    assert result.total_score == sum(p.score for p in result.pairs)
    assert 1.03 - result.total_score <= result.gap_bound == pytest.approx(0.2)


def test_assign_rejects_resolution_that_would_overflow_costs() -> None:
    problem = make_problem([Item("a", 1)], [Reviewer("x", 2, 1)], [[0.5]])
    with pytest.raises(ReviewerSolveError, match="overflow"):
        assign(problem, resolution=2**60)
    with pytest.raises(ValueError, match="resolution"):
        assign(problem, resolution=0)
