"""Input model of the reviewer-assignment problem and its strict JSON-shaped parser."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Id = str | int
"""Item and reviewer ids: non-empty strings or integers, echoed unchanged in the output."""


class ReviewerInputError(ValueError):
    """Malformed problem; ``field`` names the bad input location (``reviewers[2].max_load``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Item:
    """An application to review by ``reviewers_needed`` distinct experts."""

    id: Id
    reviewers_needed: int


@dataclass(frozen=True, slots=True)
class Reviewer:
    """An expert who reviews between ``min_load`` (soft) and ``max_load`` (hard) items."""

    id: Id
    max_load: int
    min_load: int = 0


@dataclass(frozen=True, eq=False)
class Problem:
    """A validated problem; pairs are ``(item_index, reviewer_index)`` into ``items``/``reviewers``.

    ``scores`` is a dense ``len(items) x len(reviewers)`` float matrix (missing pairs are 0).
    Build it with :func:`parse_problem` or :func:`make_problem`, which check every invariant
    the solver relies on.
    """

    items: tuple[Item, ...]
    reviewers: tuple[Reviewer, ...]
    scores: NDArray[np.float64]
    conflicts: frozenset[tuple[int, int]]
    locked: tuple[tuple[int, int], ...]


_TOP_KEYS = {"items", "reviewers", "affinity", "affinity_matrix", "conflicts", "locked"}


def parse_problem(data: Any) -> Problem:
    """Validate a JSON-shaped dict and return a :class:`Problem`.

    Unknown keys are rejected everywhere, so a typo such as ``"conflict"`` cannot silently
    drop a constraint. Raises :class:`ReviewerInputError` naming the first bad field.
    """
    if not isinstance(data, Mapping):
        raise ReviewerInputError("(root)", "must be a JSON object")
    _reject_unknown_keys(data, _TOP_KEYS, "(root)")

    items = tuple(
        _parse_item(raw, f"items[{n}]") for n, raw in enumerate(_list(data, "items", required=True))
    )
    reviewers = tuple(
        _parse_reviewer(raw, f"reviewers[{n}]")
        for n, raw in enumerate(_list(data, "reviewers", required=True))
    )
    item_index = _index_ids([it.id for it in items], "items")
    reviewer_index = _index_ids([rv.id for rv in reviewers], "reviewers")

    has_list = data.get("affinity") is not None
    has_matrix = data.get("affinity_matrix") is not None
    if has_list and has_matrix:
        raise ReviewerInputError(
            "affinity_matrix", "give either 'affinity' or 'affinity_matrix', not both"
        )
    scores = np.zeros((len(items), len(reviewers)), dtype=np.float64)
    if has_matrix:
        _fill_from_matrix(scores, data["affinity_matrix"])
    elif has_list:
        seen: set[tuple[int, int]] = set()
        for n, raw in enumerate(_list(data, "affinity")):
            field = f"affinity[{n}]"
            pair = _parse_pair(raw, field, item_index, reviewer_index, extra={"score"})
            if pair in seen:
                raise ReviewerInputError(field, "duplicate (item, reviewer) pair")
            seen.add(pair)
            if "score" not in raw:
                raise ReviewerInputError(f"{field}.score", "is required")
            scores[pair] = _finite(raw["score"], f"{field}.score")

    # Duplicate conflicts are harmless (the same conflict may come from several sources).
    conflicts = frozenset(
        _parse_pair(raw, f"conflicts[{n}]", item_index, reviewer_index)
        for n, raw in enumerate(_list(data, "conflicts"))
    )
    locked_list: list[tuple[int, int]] = []
    locked_seen: set[tuple[int, int]] = set()
    for n, raw in enumerate(_list(data, "locked")):
        field = f"locked[{n}]"
        pair = _parse_pair(raw, field, item_index, reviewer_index)
        if pair in locked_seen:
            raise ReviewerInputError(field, "duplicate locked pair")
        if pair in conflicts:
            raise ReviewerInputError(field, "pair is locked but also listed in conflicts")
        locked_list.append(pair)
        locked_seen.add(pair)

    return _checked(items, reviewers, scores, conflicts, tuple(locked_list))


def make_problem(
    items: Sequence[Item],
    reviewers: Sequence[Reviewer],
    scores: NDArray[np.float64] | Sequence[Sequence[float]] | None = None,
    conflicts: Sequence[tuple[int, int]] = (),
    locked: Sequence[tuple[int, int]] = (),
) -> Problem:
    """Build a :class:`Problem` from Python objects (index pairs), with the same checks.

    Convenient for callers that already hold typed objects (e.g. Django code).
    """
    items_t = tuple(items)
    reviewers_t = tuple(reviewers)
    for n, it in enumerate(items_t):
        _check_id(it.id, f"items[{n}].id")
        _non_negative_int(it.reviewers_needed, f"items[{n}].reviewers_needed")
    for n, rv in enumerate(reviewers_t):
        _check_id(rv.id, f"reviewers[{n}].id")
        _check_loads(rv.max_load, rv.min_load, f"reviewers[{n}]")
    _index_ids([it.id for it in items_t], "items")
    _index_ids([rv.id for rv in reviewers_t], "reviewers")
    shape = (len(items_t), len(reviewers_t))
    if scores is None:
        matrix = np.zeros(shape, dtype=np.float64)
    else:
        matrix = np.array(scores, dtype=np.float64)
        if matrix.size == 0 and 0 in shape:
            matrix = np.zeros(shape, dtype=np.float64)
        if matrix.shape != shape:
            raise ReviewerInputError("scores", f"expected shape {shape}, got {matrix.shape}")
        if not np.isfinite(matrix).all():
            raise ReviewerInputError("scores", "must contain only finite numbers")
    pairs_ok = {"conflicts": conflicts, "locked": locked}
    for name, pairs in pairs_ok.items():
        for n, (i, r) in enumerate(pairs):
            if not (0 <= i < shape[0] and 0 <= r < shape[1]):
                raise ReviewerInputError(f"{name}[{n}]", f"index pair {(i, r)} out of range")
    conflict_set = frozenset((int(i), int(r)) for i, r in conflicts)
    locked_t = tuple((int(i), int(r)) for i, r in locked)
    if len(set(locked_t)) != len(locked_t):
        raise ReviewerInputError("locked", "duplicate locked pair")
    for n, pair in enumerate(locked_t):
        if pair in conflict_set:
            raise ReviewerInputError(f"locked[{n}]", "pair is locked but also listed in conflicts")
    return _checked(items_t, reviewers_t, matrix, conflict_set, locked_t)


def _checked(
    items: tuple[Item, ...],
    reviewers: tuple[Reviewer, ...],
    scores: NDArray[np.float64],
    conflicts: frozenset[tuple[int, int]],
    locked: tuple[tuple[int, int], ...],
) -> Problem:
    """Reject locks that the hard constraints cannot honour (they are input errors, not misses)."""
    per_item = Counter(i for i, _ in locked)
    for i, count in sorted(per_item.items()):
        if count > items[i].reviewers_needed:
            raise ReviewerInputError(
                "locked",
                f"item {items[i].id!r} has {count} locked reviewers but "
                f"reviewers_needed is {items[i].reviewers_needed}",
            )
    per_reviewer = Counter(r for _, r in locked)
    for r, count in sorted(per_reviewer.items()):
        if count > reviewers[r].max_load:
            raise ReviewerInputError(
                "locked",
                f"reviewer {reviewers[r].id!r} has {count} locked items but "
                f"max_load is {reviewers[r].max_load}",
            )
    scores.setflags(write=False)
    return Problem(items, reviewers, scores, conflicts, locked)


def _reject_unknown_keys(obj: Mapping[str, Any], allowed: set[str], field: str) -> None:
    unknown = sorted(str(k) for k in obj if k not in allowed)
    if unknown:
        raise ReviewerInputError(
            field, f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})"
        )


def _list(data: Mapping[str, Any], key: str, *, required: bool = False) -> list[Any]:
    value = data.get(key)
    if value is None:
        if required:
            raise ReviewerInputError(key, "is required")
        return []
    if not isinstance(value, list):
        raise ReviewerInputError(key, "must be a list")
    return value


def _object(raw: Any, field: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ReviewerInputError(field, "must be an object")
    _reject_unknown_keys(raw, allowed, field)
    return raw


def _check_id(value: Any, field: str) -> Id:
    # bool is an int subclass; True as an id is almost certainly a bug upstream.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ReviewerInputError(field, "must be a string or an integer")
    if isinstance(value, str) and not value:
        raise ReviewerInputError(field, "must not be empty")
    return value


def _non_negative_int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReviewerInputError(field, "must be a non-negative integer")
    return value


def _check_loads(max_load: Any, min_load: Any, field: str) -> tuple[int, int]:
    hi = _non_negative_int(max_load, f"{field}.max_load")
    lo = _non_negative_int(min_load, f"{field}.min_load")
    if lo > hi:
        raise ReviewerInputError(f"{field}.min_load", f"must not exceed max_load ({hi})")
    return hi, lo


def _finite(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ReviewerInputError(field, "must be a finite number")
    return float(value)


def _parse_item(raw: Any, field: str) -> Item:
    obj = _object(raw, field, {"id", "reviewers_needed"})
    for key in ("id", "reviewers_needed"):
        if key not in obj:
            raise ReviewerInputError(f"{field}.{key}", "is required")
    return Item(
        _check_id(obj["id"], f"{field}.id"),
        _non_negative_int(obj["reviewers_needed"], f"{field}.reviewers_needed"),
    )


def _parse_reviewer(raw: Any, field: str) -> Reviewer:
    obj = _object(raw, field, {"id", "max_load", "min_load"})
    for key in ("id", "max_load"):
        if key not in obj:
            raise ReviewerInputError(f"{field}.{key}", "is required")
    hi, lo = _check_loads(obj["max_load"], obj.get("min_load", 0), field)
    return Reviewer(_check_id(obj["id"], f"{field}.id"), hi, lo)


def _index_ids(ids: list[Id], kind: str) -> dict[Id, int]:
    index: dict[Id, int] = {}
    for n, value in enumerate(ids):
        if value in index:
            raise ReviewerInputError(
                f"{kind}[{n}].id", f"duplicate id {value!r} (first at {kind}[{index[value]}])"
            )
        index[value] = n
    return index


def _parse_pair(
    raw: Any,
    field: str,
    item_index: dict[Id, int],
    reviewer_index: dict[Id, int],
    extra: set[str] | None = None,
) -> tuple[int, int]:
    obj = _object(raw, field, {"item", "reviewer"} | (extra or set()))
    out: list[int] = []
    for key, index in (("item", item_index), ("reviewer", reviewer_index)):
        if key not in obj:
            raise ReviewerInputError(f"{field}.{key}", "is required")
        value = _check_id(obj[key], f"{field}.{key}")
        if value not in index:
            raise ReviewerInputError(f"{field}.{key}", f"unknown {key} id {value!r}")
        out.append(index[value])
    return out[0], out[1]


def _fill_from_matrix(scores: NDArray[np.float64], raw: Any) -> None:
    n_items, n_reviewers = scores.shape
    if not isinstance(raw, list):
        raise ReviewerInputError("affinity_matrix", "must be a list of rows")
    if len(raw) != n_items:
        raise ReviewerInputError(
            "affinity_matrix", f"expected {n_items} rows (one per item), got {len(raw)}"
        )
    for i, row in enumerate(raw):
        field = f"affinity_matrix[{i}]"
        if not isinstance(row, list):
            raise ReviewerInputError(field, "must be a list of scores")
        if len(row) != n_reviewers:
            raise ReviewerInputError(
                field, f"expected {n_reviewers} scores (one per reviewer), got {len(row)}"
            )
        for r, value in enumerate(row):
            scores[i, r] = _finite(value, f"{field}[{r}]")
