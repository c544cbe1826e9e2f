"""Mutable schedule state with O(1) moves, Kempe-chain repair and an undo journal.

A schedule is an assignment of some pairs to slots. Per participant and slot we store the
pair met there (or -1), so that feasibility checks and Kempe chains (alternating paths of
meetings in two slots, whose slots can be swapped without creating clashes) are cheap.
"""

from __future__ import annotations

from .model import Instance

FREE = -1
# Alternating paths longer than this are rarely worth their (linear) cost.
MAX_CHAIN = 60


class State:
    """A feasible partial schedule; every mutation is journaled so it can be rolled back."""

    def __init__(self, inst: Instance, values: list[int] | None = None) -> None:
        self.inst = inst
        self.S = inst.n_slots
        self.tables = list(inst.tables)
        self.cap = [inst.capacity(i) for i in range(inst.n)]
        self.pa = [p.a for p in inst.pairs]
        self.pb = [p.b for p in inst.pairs]
        # Value of scheduling a pair; callers may add bonuses (e.g. for kept meetings).
        self.value = list(values) if values is not None else [p.weight for p in inst.pairs]
        self.allowed = [frozenset(p.slots) for p in inst.pairs]
        self.pslots = [p.slots for p in inst.pairs]
        self.pairs_of: list[list[int]] = [[] for _ in range(inst.n)]
        for k, pair in enumerate(inst.pairs):
            self.pairs_of[pair.a].append(k)
            self.pairs_of[pair.b].append(k)
        self.busy: list[list[int]] = [[FREE] * self.S for _ in range(inst.n)]
        self.slot_of = [FREE] * len(inst.pairs)
        self.used = [0] * self.S
        self.count = [0] * inst.n
        self.members: list[set[int]] = [set() for _ in range(self.S)]
        self.fixed = [False] * len(inst.pairs)
        self.total = 0
        self.journal: list[tuple[int, int]] = []  # (pair, slot) placed (+) or removed (~)

    # -- elementary moves -------------------------------------------------------------
    def can_place(self, p: int, s: int) -> bool:
        a, b = self.pa[p], self.pb[p]
        return (
            self.slot_of[p] == FREE
            and s in self.allowed[p]
            and self.busy[a][s] == FREE
            and self.busy[b][s] == FREE
            and self.used[s] < self.tables[s]
            and self.count[a] < self.cap[a]
            and self.count[b] < self.cap[b]
        )

    def place(self, p: int, s: int) -> None:
        a, b = self.pa[p], self.pb[p]
        self.busy[a][s] = p
        self.busy[b][s] = p
        self.slot_of[p] = s
        self.used[s] += 1
        self.count[a] += 1
        self.count[b] += 1
        self.members[s].add(p)
        self.total += self.value[p]
        self.journal.append((p, s))

    def remove(self, p: int) -> None:
        s = self.slot_of[p]
        a, b = self.pa[p], self.pb[p]
        self.busy[a][s] = FREE
        self.busy[b][s] = FREE
        self.slot_of[p] = FREE
        self.used[s] -= 1
        self.count[a] -= 1
        self.count[b] -= 1
        self.members[s].discard(p)
        self.total -= self.value[p]
        self.journal.append((p, ~s))

    def mark(self) -> int:
        return len(self.journal)

    def rollback(self, mark: int) -> None:
        """Undo every move made since `mark`."""
        while len(self.journal) > mark:
            p, s = self.journal.pop()
            if s >= 0:
                self.remove(p)
            else:
                self.place(p, ~s)
            self.journal.pop()

    def commit(self) -> None:
        self.journal.clear()

    # -- queries ----------------------------------------------------------------------
    def free_slots(self, p: int) -> list[int]:
        a, b = self.busy[self.pa[p]], self.busy[self.pb[p]]
        used, tables = self.used, self.tables
        return [s for s in self.pslots[p] if a[s] == FREE and b[s] == FREE and used[s] < tables[s]]

    def scheduled(self) -> list[tuple[int, int]]:
        return [(p, s) for p, s in enumerate(self.slot_of) if s != FREE]

    # -- Kempe chains -----------------------------------------------------------------
    def chain(self, v: int, s: int, t: int, forbid: int) -> list[int] | None:
        """Meetings of the (s, t)-alternating path starting with v's meeting in slot s.

        v must be free in t. Returns None when swapping the path's slots is impossible:
        a fixed meeting, a meeting not allowed in its new slot, a path through `forbid`
        (who must stay free in s) or an overly long path.
        """
        path: list[int] = []
        u, cur, nxt = v, s, t
        busy, allowed, fixed, pa, pb = self.busy, self.allowed, self.fixed, self.pa, self.pb
        while True:
            q = busy[u][cur]
            if q == FREE:
                return path
            if fixed[q] or nxt not in allowed[q] or len(path) >= MAX_CHAIN:
                return None
            path.append(q)
            u = pb[q] if pa[q] == u else pa[q]
            if u == forbid:
                return None
            cur, nxt = nxt, cur

    def swap_chain(self, path: list[int], s: int, t: int) -> bool:
        """Exchange slots s and t along `path` if the table counts allow it."""
        in_s = sum(1 for q in path if self.slot_of[q] == s)
        delta_t = in_s - (len(path) - in_s)  # meetings entering t
        if self.used[t] + delta_t > self.tables[t] or self.used[s] - delta_t > self.tables[s]:
            return False
        olds = [self.slot_of[q] for q in path]
        for q in path:
            self.remove(q)
        for q, old in zip(path, olds, strict=True):
            self.place(q, t if old == s else s)
        return True

    def free_person(self, v: int, s: int, forbid: int) -> bool:
        """Make v free in slot s by swapping a Kempe chain (s, t) for some t."""
        busy_v = self.busy[v]
        q = busy_v[s]
        if q == FREE:
            return True
        if self.fixed[q]:
            return False
        for t in self.pslots[q]:
            if t == s or busy_v[t] != FREE:
                continue
            path = self.chain(v, s, t, forbid)
            if path is not None and self.swap_chain(path, s, t):
                return True
        return False

    def free_table(self, s: int) -> bool:
        """Move one meeting out of slot s into a slot where both its people are free."""
        for q in self.members[s]:
            if self.fixed[q]:
                continue
            a, b = self.busy[self.pa[q]], self.busy[self.pb[q]]
            for t in self.pslots[q]:
                if t != s and a[t] == FREE and b[t] == FREE and self.used[t] < self.tables[t]:
                    self.remove(q)
                    self.place(q, t)
                    return True
        return False

    def insert(self, p: int, deep: bool = True) -> bool:
        """Schedule pair p, rearranging other meetings with Kempe chains if needed."""
        a, b = self.pa[p], self.pb[p]
        if self.slot_of[p] != FREE or self.count[a] >= self.cap[a] or self.count[b] >= self.cap[b]:
            return False
        free = self.free_slots(p)
        if free:
            # Keep slack where tables are scarce: take the slot with most spare tables.
            best = max(free, key=lambda s: self.tables[s] - self.used[s])
            self.place(p, best)
            return True
        if not deep:
            return False
        busy_a, busy_b = self.busy[a], self.busy[b]
        # First the slots where only one side is busy (one chain), then both.
        order = sorted(self.pslots[p], key=lambda s: (busy_a[s] != FREE) + (busy_b[s] != FREE))
        for s in order:
            mark = self.mark()
            ok = (
                self.free_person(a, s, b)
                and self.free_person(b, s, a)
                and (self.used[s] < self.tables[s] or self.free_table(s))
            )
            if ok and self.busy[a][s] == FREE and self.busy[b][s] == FREE:
                self.place(p, s)
                return True
            self.rollback(mark)
        return False
