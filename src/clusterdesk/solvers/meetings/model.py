"""Typed data model of a brokerage-event scheduling instance and its schedule.

Everything is indexed by position (participants 0..n-1, slots 0..S-1, pairs 0..P-1) so the
algorithms work on plain ints and lists; the original JSON ids are kept for output only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# JSON ids may be strings or integers; they are echoed back unchanged.
Ident = str | int

PRIORITY_WEIGHT = {1: 3, 2: 2, 3: 1}


class MeetingInputError(ValueError):
    """Raised for malformed input; the message names the offending field."""


@dataclass(frozen=True, slots=True)
class Slot:
    id: Ident
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class Participant:
    id: Ident
    organisation: Ident | None
    available: frozenset[int]
    max_meetings: int


@dataclass(frozen=True, slots=True)
class Pair:
    """An unordered requested pair (a < b), with its summed weight and common free slots."""

    a: int
    b: int
    weight: int
    slots: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Excluded:
    """A requested pair that can never meet, and why."""

    a: int
    b: int
    weight: int
    reason: str


@dataclass(frozen=True, slots=True)
class Placement:
    """A meeting of participants a < b in slot `slot` (all indices)."""

    a: int
    b: int
    slot: int


@dataclass(slots=True)
class NotKept:
    """A meeting of the previous schedule that could not be kept (original JSON ids)."""

    a: Ident
    b: Ident
    slot: Ident
    reason: str


@dataclass(slots=True)
class Instance:
    slots: list[Slot]
    tables: list[int]
    participants: list[Participant]
    pairs: list[Pair]
    excluded: list[Excluded]
    locked: list[Placement]
    keep: list[Placement]
    time_limit_s: float | None = None
    pair_index: dict[tuple[int, int], int] = field(default_factory=dict)
    # Kept meetings naming participants or slots that no longer exist.
    keep_dropped: list[NotKept] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.participants)

    @property
    def n_slots(self) -> int:
        return len(self.slots)

    def capacity(self, i: int) -> int:
        """The most meetings participant i can have."""
        p = self.participants[i]
        return min(p.max_meetings, len(p.available))


@dataclass(frozen=True, slots=True)
class Meeting:
    a: int
    b: int
    slot: int
    table: int


@dataclass(slots=True)
class Unscheduled:
    a: int
    b: int
    reason: str


@dataclass(slots=True)
class Schedule:
    meetings: list[Meeting]
    unscheduled: list[Unscheduled]
    not_kept: list[NotKept]
    objective: int
    upper_bound: float
    gap: float
    solve_s: float
    stats: dict[str, float | int | str] = field(default_factory=dict)
