"""LP relaxation of the slot-indexed model, solved by HiGHS' first-order PDLP solver.

Variables x[p, s] in [0, 1] for every pair p and slot s both people can attend; rows:
each pair meets at most once, each person at most once per slot, at most `tables[s]`
meetings per slot, at most `max_meetings` per person (only where it binds). Locked and
kept placements are fixed to 1.

PDLP returns approximate duals only, so the bound is not read off the solver: for any
row duals y >= 0, weak duality gives the valid bound
``b.y + sum_free max(0, c_j - A_j.y) + sum_fixed (c_j - A_j.y)``, which we evaluate
ourselves. With integer weights, its floor is still a valid bound.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import highspy
import numpy as np

from .model import Instance, Placement

# Float round-off in the bound is far below this; the floor stays a valid bound.
_FLOOR_SLACK = 1e-6


@contextlib.contextmanager
def _native_stdout_silenced() -> Iterator[None]:
    """HiGHS prints a banner on C stdout when constructed; our stdout carries the JSON."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no usable fd 1 (embedded use): nothing to protect
        yield
        return
    try:
        libc: ctypes.CDLL | None = ctypes.CDLL(None)
    except OSError:  # no C library handle (e.g. Windows): the banner may then leak
        libc = None
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
        yield
    finally:
        if libc is not None:
            libc.fflush(None)  # flush C buffers into /dev/null before restoring fd 1
        os.dup2(saved, 1)
        os.close(saved)


@dataclass(slots=True)
class LpResult:
    bound: float  # a proven upper bound on the weight of any feasible schedule
    pair_value: list[float]  # the LP's total x over slots, per pair (rounding guidance)
    status: str
    seconds: float


def solve_lp(inst: Instance, fixed: list[Placement], time_limit_s: float) -> LpResult | None:
    """Solve the LP; None if there is nothing to bound or HiGHS gives no usable duals."""
    t0 = time.perf_counter()
    n, n_slots, n_pairs = inst.n, inst.n_slots, len(inst.pairs)
    if n_pairs == 0:
        return None
    lengths = np.fromiter((len(p.slots) for p in inst.pairs), dtype=np.int64, count=n_pairs)
    col_pair = np.repeat(np.arange(n_pairs, dtype=np.int64), lengths)
    col_slot = np.fromiter(
        (s for p in inst.pairs for s in p.slots), dtype=np.int64, count=int(lengths.sum())
    )
    pa = np.array([p.a for p in inst.pairs], dtype=np.int64)[col_pair]
    pb = np.array([p.b for p in inst.pairs], dtype=np.int64)[col_pair]
    cost = np.array([p.weight for p in inst.pairs], dtype=np.float64)[col_pair]
    n_cols = len(col_pair)

    # Row blocks: pairs, person-slot, slot tables, then binding person caps.
    person_row0 = n_pairs
    slot_row0 = person_row0 + n * n_slots
    caps = [
        i
        for i in range(n)
        if inst.participants[i].max_meetings < len(inst.participants[i].available)
    ]
    cap_row = np.full(n, -1, dtype=np.int64)
    cap_row[caps] = slot_row0 + n_slots + np.arange(len(caps))
    n_rows = slot_row0 + n_slots + len(caps)

    ca, cb = cap_row[pa], cap_row[pb]
    has_a, has_b = ca >= 0, cb >= 0
    nnz_col = 4 + has_a.astype(np.int64) + has_b.astype(np.int64)
    start = np.zeros(n_cols + 1, dtype=np.int64)
    np.cumsum(nnz_col, out=start[1:])
    base = start[:-1]
    index = np.empty(int(start[-1]), dtype=np.int32)
    index[base] = col_pair
    index[base + 1] = person_row0 + pa * n_slots + col_slot
    index[base + 2] = person_row0 + pb * n_slots + col_slot
    index[base + 3] = slot_row0 + col_slot
    index[(base + 4)[has_a]] = ca[has_a]
    index[(base + 4 + has_a)[has_b]] = cb[has_b]
    del ca, cb, pa, pb, nnz_col

    upper = np.ones(n_rows)
    upper[slot_row0 : slot_row0 + n_slots] = inst.tables
    upper[slot_row0 + n_slots :] = [inst.participants[i].max_meetings for i in caps]

    col_lower = np.zeros(n_cols)
    col_start_of_pair = np.zeros(n_pairs + 1, dtype=np.int64)
    np.cumsum(lengths, out=col_start_of_pair[1:])
    is_fixed = np.zeros(n_cols, dtype=bool)
    for f in fixed:
        k = inst.pair_index[(f.a, f.b)]
        j = int(col_start_of_pair[k]) + inst.pairs[k].slots.index(f.slot)
        col_lower[j] = 1.0
        is_fixed[j] = True

    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
    lp.col_cost_ = cost
    lp.col_lower_ = col_lower
    lp.col_upper_ = np.ones(n_cols)
    lp.row_lower_ = np.full(n_rows, -highspy.kHighsInf)
    lp.row_upper_ = upper
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start.astype(np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = np.ones(len(index))

    with _native_stdout_silenced():  # only the banner, so as short as possible
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
    # Interior point and simplex take minutes at N = 5,000; PDLP takes seconds and its
    # duals are made exactly feasible below.
    h.setOptionValue("solver", "pdlp")
    h.setOptionValue("time_limit", max(0.05, time_limit_s))
    h.passModel(lp)
    del lp
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    sol = h.getSolution()
    if not sol.dual_valid or len(sol.row_dual) != n_rows:
        return None
    x = np.asarray(sol.col_value, dtype=np.float64)
    raw = np.asarray(sol.row_dual, dtype=np.float64)
    del h, sol

    empty = np.bincount(index, minlength=n_rows) == 0
    best = math.inf
    # HiGHS' sign convention for duals of a maximisation varies; any y >= 0 gives a valid
    # bound, so evaluate both and keep the smaller.
    for sign in (1.0, -1.0):
        y = np.maximum(0.0, sign * raw)
        y[empty] = 0.0
        reduced = cost - np.add.reduceat(y[index], base)
        bound = float(
            upper @ y + np.maximum(0.0, reduced[~is_fixed]).sum() + reduced[is_fixed].sum()
        )
        best = min(best, bound)
    pair_value = np.bincount(col_pair, weights=np.clip(x, 0.0, 1.0), minlength=n_pairs)
    return LpResult(
        bound=math.floor(best + _FLOOR_SLACK),
        pair_value=pair_value.tolist(),
        status=status,
        seconds=time.perf_counter() - t0,
    )
