"""B2B meeting scheduler for brokerage events (pure Python on HiGHS and OR-Tools; no Django).

Problem. Participants request one-to-one meetings with priorities 1/2/3 (weights 3/2/1);
a pair's weight is the sum over the requests between the two, in both directions. We
choose, for as much weight as possible, a slot per requested pair such that a pair meets
at most once, nobody is in two meetings in a slot, both are available in it, a slot holds
at most its number of tables, colleagues (same organisation) never meet, and
``max_meetings`` caps hold. Locked meetings are fixed.

Formulation. Binary x[p, s] for every pair p and slot s both can attend; maximise
sum w_p x[p, s] subject to sum_s x[p, s] <= 1, sum_{p ∋ i} x[p, s] <= 1 for each person i and
slot s, sum_p x[p, s] <= tables[s], sum_{p ∋ i, s} x[p, s] <= max_meetings[i].

Method (``solve``), each phase keeping the best schedule so far (anytime):

1. Fixed meetings: locked ones, then the ``keep`` meetings (rescheduling after late
   changes) that are still feasible in their slot, most valuable first; both are frozen,
   so kept placements change as little as possible: only the infeasible ones are dropped
   and reported in ``not_kept`` with a reason.
2. Draft (milliseconds): greedy by decreasing weight; when a pair has no common free
   slot, clashes are repaired with Kempe chains (swapping the two slots along an
   alternating path of meetings) and a full slot is relieved by moving one meeting out.
3. LP relaxation of the model above solved with HiGHS' PDLP (first-order; ~1 s at
   N = 1,000, ~10 s at N = 5,000, where interior point takes minutes). Its duals are
   approximate, so the bound is recomputed from them by weak duality: for any y >= 0,
   ``b.y + sum_j max(0, c_j - A_j.y)`` bounds every feasible schedule, and with integer
   weights its floor does too. This is the reported ``upper_bound``.
4. LP rounding: the LP's pair values sum_s x[p, s] are nearly integral (the slot choice is
   not: the LP spreads pairs over symmetric slots), so pairs are inserted by rounded LP
   value, then weight, with the draft's Kempe-chain repair. This alone usually reaches
   the bound or comes within a few units of it.
5. Local search: for each unscheduled pair, insert with chains, or evict what blocks it,
   place it and re-insert the evicted pairs elsewhere; kept if the total rises, plus
   equal-value moves to leave plateaus.
6. Large-neighbourhood search: grow a group of people from a missed pair the LP wanted,
   free all meetings inside the group, freeze the rest, and let CP-SAT re-arrange the
   group exactly (warm-started). When the group is everyone (small events), CP-SAT's
   optimality proof becomes the bound.

The benchmark (``benchmarks/meetings.py``, results in ``docs/benchmarks-meetings.md``)
compares this with the draft alone and with CP-SAT alone on the full model.
"""

from .model import Instance, MeetingInputError, Schedule
from .parse import parse_instance
from .solver import schedule_to_json, solve

__all__ = [
    "Instance",
    "MeetingInputError",
    "Schedule",
    "parse_instance",
    "schedule_to_json",
    "solve",
]
