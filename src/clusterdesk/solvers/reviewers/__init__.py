"""Conflict-aware reviewer assignment for a call for projects (pure library, no Django).

Problem
    Each item (application) needs ``reviewers_needed`` distinct reviewers (experts). Each
    reviewer takes at most ``max_load`` items and, if possible, at least ``min_load``.
    Conflict pairs are never assigned; locked pairs are always kept and count toward both the
    item's ``reviewers_needed`` and the reviewer's loads. Maximise total affinity.

Objective (lexicographic)
    1. coverage: the number of assigned pairs is maximal; missing ones are reported per item
       in ``unfilled`` instead of failing;
    2. minimum loads: the total shortfall below ``min_load`` is minimal; reviewers still
       below it are reported in ``unmet_min_load``;
    3. affinity: the total score is maximal.
    Levels 1 and 2 never compete: reviewer load vectors of feasible flows form an integral
    polymatroid, so any load vector meeting the minimums extends to a maximum flow.

Flow network (solved with OR-Tools ``SimpleMinCostFlow.solve_max_flow_with_min_cost``)
    source -> item ``i``: capacity ``reviewers_needed - locks(i)``, cost 0;
    item ``i`` -> reviewer ``r``: capacity 1, cost ``-scaled_score(i, r)``, for every pair
    that is neither a conflict nor locked (missing affinities score 0 but stay eligible);
    reviewer ``r`` -> sink, two tiers: capacity ``max(min_load - locks(r), 0)`` with cost
    ``-B``, then the remaining ``max_load - locks(r)`` minus that, with cost 0.
    Max flow gives level 1. ``B = 2 * resolution * F + 1`` (``F`` bounds the flow) exceeds
    any affinity difference between two flows, so one more unit through a first tier always
    beats any affinity gain: level 2 before level 3. Flows are integral, so the result is an
    optimal 0/1 assignment. Locked pairs are removed from the network and added back.

Scaling
    Flow costs are int64. Scores are divided by ``unit = max|score| / resolution`` (default
    ``resolution = 10**6``, taken over the eligible pairs) and rounded, i.e. about six
    significant digits relative to the largest score. The reported ``total_score`` is the
    exact float sum of the chosen pairs, and it is within ``gap_bound = n * unit`` of the float
    optimum (``n`` = number of non-locked pairs assigned).

Input errors (unknown or duplicate ids, bad loads, locks on conflicts, more locks than
``reviewers_needed`` or ``max_load``...) raise :class:`ReviewerInputError` naming the field.
The affinity scores themselves come from :mod:`.affinity` or any other source.
"""

from .problem import Id, Item, Problem, Reviewer, ReviewerInputError, make_problem, parse_problem
from .solver import (
    SCORE_RESOLUTION,
    Assignment,
    Pair,
    ReviewerSolveError,
    Unfilled,
    UnmetMinLoad,
    assign,
    assignment_to_json,
)

__all__ = [
    "SCORE_RESOLUTION",
    "Assignment",
    "Id",
    "Item",
    "Pair",
    "Problem",
    "Reviewer",
    "ReviewerInputError",
    "ReviewerSolveError",
    "Unfilled",
    "UnmetMinLoad",
    "assign",
    "assignment_to_json",
    "make_problem",
    "parse_problem",
]
