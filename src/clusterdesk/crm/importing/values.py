"""Read the values people type in spreadsheet cells: lists, dates, yes/no, amounts, kinds."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from clusterdesk.crm.kinds import KIND_ALIASES, KIND_KEYWORDS, OrganisationKind

# Letters NFKD leaves whole but people write either way.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o"})
_NON_WORD = re.compile(r"[\W_]+")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise(text: str) -> str:
    """Fold ``text`` for comparison: no accents, lower case, words joined by one space.

    "  Société  Générale-S.A. " gives "societe generale s a". Idempotent.
    """
    folded = _strip_accents(_strip_accents(text.translate(_LIGATURES)).casefold())
    return _NON_WORD.sub(" ", folded).strip()


def split_multi(cell: str) -> list[str]:
    """Split a multi-valued cell on commas and semicolons.

    Items are trimmed, empty ones dropped, and repeats (compared with :func:`normalise`)
    dropped, keeping the first spelling: "PME, pme; Santé" gives ["PME", "Santé"].
    """
    items: list[str] = []
    seen: set[str] = set()
    for part in re.split(r"[,;]", cell):
        item = part.strip()
        key = normalise(item) or item.casefold()
        if item and key not in seen:
            seen.add(key)
            items.append(item)
    return items


_DATE_FORMS = (
    # (pattern, order of the groups)
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), "dmy"),
)


def parse_date(cell: str) -> datetime.date:
    """Read a date written dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd.

    Day and month may have one digit; the year must have four, since "01/02/03" could
    be any of three dates.
    """
    text = cell.strip()
    for pattern, order in _DATE_FORMS:
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, (int(group) for group in match.groups()), strict=True))
            try:
                return datetime.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                break
    raise ValueError(
        _(
            "“%(value)s” is not a date: write it as dd/mm/yyyy (e.g. 31/12/2024), "
            "dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd."
        )
        % {"value": text}
    )


_TRUE = frozenset({"oui", "o", "yes", "y", "true", "vrai", "1", "x"})
_FALSE = frozenset({"non", "n", "no", "false", "faux", "0", ""})


def parse_bool(cell: str) -> bool:
    """Read yes/no: oui, yes, true, vrai, 1, x are True; non, no, false, faux, 0, empty False."""
    key = normalise(cell)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(
        _("“%(value)s” is not yes or no: write oui or non (or leave the cell empty).")
        % {"value": cell.strip()}
    )


_AMOUNT_JUNK = re.compile(r"[\s\u00a0\u202f'\u2019]|€|eur(?:os?)?\b", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def _grouped(text: str, sep: str, dec: str) -> bool:
    """Whether ``text`` groups thousands with ``sep`` (and has decimals after ``dec``)."""
    decimals = rf"(?:{re.escape(dec)}\d+)?" if dec else ""
    pattern = rf"[-+]?\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+{decimals}"
    return re.fullmatch(pattern, text) is not None


def _amount_text(text: str) -> str | None:
    """Return ``text`` as a plain decimal string ("1234.50"), or None if it is not one."""
    if "," in text and "." in text:
        # The right-most mark is the decimal one: "1,234.50" and "1.234,50".
        dec = "." if text.rfind(".") > text.rfind(",") else ","
        sep = "," if dec == "." else "."
        return text.replace(sep, "").replace(dec, ".") if _grouped(text, sep, dec) else None
    for mark in ",.":
        if text.count(mark) > 1:
            # Several of one mark can only be thousands: "1.234.567".
            return text.replace(mark, "") if _grouped(text, mark, "") else None
    # One comma is a French decimal comma ("1234,5"); one dot an English decimal point.
    return text.replace(",", ".")


def parse_amount(cell: str) -> Decimal:
    """Read an amount in euros: "1 234,50 €", "1234.5", "1,234.50", "1.234,50", "-12".

    Spaces (also no-break ones), apostrophes and € or EUR are ignored. A single comma
    is read as the French decimal comma.
    """
    text = _AMOUNT_JUNK.sub("", cell)
    plain = _amount_text(text) if text else None
    if plain is not None and _PLAIN_NUMBER.fullmatch(plain):
        try:
            return Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            pass
    raise ValueError(
        _("“%(value)s” is not an amount: write it as e.g. 1 234,50 or 1234.50.")
        % {"value": cell.strip()}
    )


def parse_int(cell: str) -> int:
    """Read a whole number: "1 234", "1234", "12.0" (as spreadsheets export it), "-3"."""
    text = re.sub(r"[\s\u00a0\u202f]", "", cell)
    match = re.fullmatch(r"([-+]?\d+)(?:[.,]0+)?", text)
    if not match:
        raise ValueError(
            _("“%(value)s” is not a whole number.") % {"value": cell.strip()},
        )
    return int(match.group(1))


def _kind_key(text: str) -> str:
    """Kinds match without spaces too, so "start up" and "startup" are one name."""
    return normalise(text).replace(" ", "")


@lru_cache(maxsize=8)
def _kind_index(language: str | None) -> dict[str, OrganisationKind]:
    """Every folded name of every kind: value, English label, label in ``language``, aliases."""
    index: dict[str, OrganisationKind] = {}
    for kind in OrganisationKind:
        names = [kind.value, *KIND_ALIASES[kind.value]]
        with override("en"):
            names.append(str(kind.label))
        if language:
            with override(language):
                names.append(str(kind.label))
        for name in names:
            index.setdefault(_kind_key(name), kind)
    return index


def match_kind(cell: str) -> OrganisationKind:
    """Return the kind a cell names (a value, a label or an alias, in French or English).

    Raises ValueError suggesting the closest kind's label when nothing matches.
    """
    index = _kind_index(get_language())
    kind = index.get(_kind_key(cell))
    if kind is not None:
        return kind
    text = cell.strip()
    if not text:
        raise ValueError(_("The kind is empty."))
    best = process.extractOne(
        _kind_key(text), list(index), scorer=fuzz.WRatio, processor=None, score_cutoff=60
    )
    if best is None:
        raise ValueError(_("Unknown kind “%(value)s”.") % {"value": text})
    raise ValueError(
        _("Unknown kind “%(value)s”; did you mean “%(suggestion)s”?")
        % {"value": text, "suggestion": index[best[0]].label}
    )


@dataclass(frozen=True)
class KindGuess:
    """How an import reads a kind cell: ``kind`` (None when nothing fits), and whether it
    is certain (``exact``: a value, a label or an alias) or a guess to confirm (a keyword
    of the directory's own wording, or a close spelling)."""

    kind: OrganisationKind | None
    exact: bool


def _keyword_index() -> list[tuple[str, OrganisationKind]]:
    pairs = [(normalise(word), kind) for kind, words in KIND_KEYWORDS.items() for word in words]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


_KEYWORDS = _keyword_index()


def guess_kind(cell: str) -> KindGuess:
    """Read a kind cell as written in a real directory (see :func:`_guess_kind`); a file
    repeats a few words on thousands of rows, so each is read once per language."""
    return _guess_kind(cell, get_language())


@lru_cache(maxsize=4096)
def _guess_kind(cell: str, language: str | None) -> KindGuess:
    """Read a kind cell as written in a real directory.

    A cell repeating one kind ("PME, PME") is that kind. Otherwise the whole cell, then
    each of its parts, is looked up exactly (:func:`match_kind`); failing that, the
    longest keyword found in it ("Organisme de développement économique": economic
    development) or else the closest spelling of a known name is a guess for the staff
    to confirm. Several parts naming different kinds also make a guess: the first one.
    """
    parts = split_multi(cell)
    for candidate in [cell, *parts]:
        try:
            kind = match_kind(candidate)
        except ValueError:
            continue
        others = set()
        for part in parts:
            try:
                others.add(match_kind(part))
            except ValueError:
                others.add(None)  # type: ignore[arg-type]
        return KindGuess(kind, exact=others <= {kind})
    folded = f" {normalise(cell)} "
    for word, kind in _KEYWORDS:
        if f" {word} " in folded:
            return KindGuess(kind, exact=False)
    index = _kind_index(language)
    best = process.extractOne(
        _kind_key(cell), list(index), scorer=fuzz.WRatio, processor=None, score_cutoff=80
    )
    return KindGuess(index[best[0]] if best else None, exact=False)
