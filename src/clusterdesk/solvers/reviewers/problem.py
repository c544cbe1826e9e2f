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


# Exact types on purpose: bool is an int subclass and True == 1 would match id 1.
_ID_TYPES = (str, int)
_NUMBER_TYPES = (float, int)
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
        field = "affinity"
        ii, rr, values = _parse_pairs(_list(data, field), field, item_index, reviewer_index, True)
        flat = np.asarray(ii, dtype=np.int64) * len(reviewers) + np.asarray(rr, dtype=np.int64)
        order = np.argsort(flat, kind="stable")
        repeated = order[1:][flat[order][1:] == flat[order][:-1]]
        if repeated.size:
            raise ReviewerInputError(
                f"{field}[{repeated.min()}]", "duplicate (item, reviewer) pair"
            )
        array = np.asarray(values, dtype=np.float64)
        not_finite = np.flatnonzero(~np.isfinite(array))
        if not_finite.size:
            first = int(not_finite[0])
            raise ReviewerInputError(f"{field}[{first}].score", "must be a finite number")
        scores[ii, rr] = array

    # Duplicate conflicts are harmless (the same conflict may come from several sources).
    ci, cr, _ = _parse_pairs(_list(data, "conflicts"), "conflicts", item_index, reviewer_index)
    conflicts = frozenset(zip(ci, cr, strict=True))
    locked_list: list[tuple[int, int]] = []
    locked_seen: set[tuple[int, int]] = set()
    for n, raw in enumerate(_list(data, "locked")):
        field = f"locked[{n}]"
        pair = _parse_pair(raw, field, item_index, reviewer_index)[:2]
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
    for name, pairs in (("conflicts", conflicts), ("locked", locked)):
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


_PAIR_KEYS = frozenset({"item", "reviewer"})
_SCORED_PAIR_KEYS = _PAIR_KEYS | {"score"}


def _parse_pairs(
    raws: list[Any],
    name: str,
    item_index: dict[Id, int],
    reviewer_index: dict[Id, int],
    scored: bool = False,
) -> tuple[list[int], list[int], list[float]]:
    """Index pairs (and raw scores, finiteness unchecked) of a list of pair objects."""
    allowed = _SCORED_PAIR_KEYS if scored else _PAIR_KEYS
    items: list[int] = []
    reviewers: list[int] = []
    scores: list[float] = []
    for n, raw in enumerate(raws):
        # Fast path for well-formed entries (calls may carry a million affinities); anything
        # unusual goes through the checked path, which raises the precise error.
        try:
            item, reviewer = raw["item"], raw["reviewer"]
            score = raw["score"] if scored else 0.0
            if (
                type(raw) is dict
                and raw.keys() <= allowed
                and type(item) in _ID_TYPES
                and type(reviewer) in _ID_TYPES
                and type(score) in _NUMBER_TYPES
            ):
                items.append(item_index[item])
                reviewers.append(reviewer_index[reviewer])
                scores.append(score)
                continue
        except (KeyError, TypeError, IndexError):
            pass
        i, r, score = _parse_pair(raw, f"{name}[{n}]", item_index, reviewer_index, scored)
        items.append(i)
        reviewers.append(r)
        scores.append(score)
    return items, reviewers, scores


def _parse_pair(
    raw: Any,
    field: str,
    item_index: dict[Id, int],
    reviewer_index: dict[Id, int],
    scored: bool = False,
) -> tuple[int, int, float]:
    obj = _object(raw, field, set(_SCORED_PAIR_KEYS if scored else _PAIR_KEYS))
    out: list[int] = []
    for key, index in (("item", item_index), ("reviewer", reviewer_index)):
        if key not in obj:
            raise ReviewerInputError(f"{field}.{key}", "is required")
        value = _check_id(obj[key], f"{field}.{key}")
        if value not in index:
            raise ReviewerInputError(f"{field}.{key}", f"unknown {key} id {value!r}")
        out.append(index[value])
    if not scored:
        return out[0], out[1], 0.0
    if "score" not in obj:
        raise ReviewerInputError(f"{field}.score", "is required")
    return out[0], out[1], _finite(obj["score"], f"{field}.score")


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
        if all(type(v) in _NUMBER_TYPES for v in row):
            values = np.asarray(row, dtype=np.float64)
            if np.isfinite(values).all():
                scores[i] = values
                continue
        for r, value in enumerate(row):
            scores[i, r] = _finite(value, f"{field}[{r}]")
