"""Libraries against the code written by hand (issue 9, part 8): results and time.

    .venv/bin/python benchmarks/libraries.py [encodings|numbers|duplicates|solvers ...]

- encodings: ``crm.importing.tabular._decode`` against charset-normalizer on CSV files
  written in the encodings members send (UTF-8, UTF-8 with BOM, Windows-1252, UTF-16).
- numbers: ``results.charts`` (Django's localised ``floatformat``) against Babel for the
  dashboards' numbers and short amounts, in French and English.
- duplicates: ``crm.selectors.duplicate_candidates``'s pair loop against
  ``rapidfuzz.process.cdist`` on 15,000 generated organisations.
- solvers: ``solvers.reviewers.problem.parse_problem`` against a pydantic model of the same
  input.

charset-normalizer and Babel are not dependencies: install them to run those parts.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterdesk.settings")
os.environ.setdefault("CLUSTERDESK_DEBUG", "1")


def best_of(runs: int, call: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


# -- encodings --------------------------------------------------------------------------

HEADER = "Raison sociale;SIREN;Code postal;Ville;Effectif;Chiffre d'affaires (€)\n"
TOWNS = ["Lyon", "Villeurbanne", "Saint-Étienne", "Grenoble", "Annecy", "Clermont-Ferrand"]
WORDS = [
    "Biotech", "Santé", "Médical", "Diagnostic", "Thérapies", "Vétérinaire", "Génomique",
    "Laboratoire", "Innovation", "Pharmaceutique", "Ingénierie", "Systèmes", "Cellulaire",
    "Réactifs", "Bioproduction", "Œnologie", "Précision", "Dispositifs", "Imagerie", "Élevage",
]  # fmt: skip


def csv_text(rows: int, seed: int) -> str:
    rng = random.Random(seed)
    lines = [HEADER]
    for n in range(rows):
        name = " ".join(rng.sample(WORDS, 2)) + rng.choice([" SAS", " SA", " SARL", ""])
        lines.append(
            f"{name};{rng.randrange(10**8, 10**9)};69{rng.randrange(100, 999)};"
            f"{rng.choice(TOWNS)};{rng.randrange(1, 250)};{rng.randrange(10**5, 10**7)}\n"
        )
        if n == 0 and rows == 1:
            break
    return "".join(lines)


def encodings() -> None:
    from charset_normalizer import from_bytes

    from clusterdesk.crm.importing.tabular import _decode

    def normaliser(data: bytes) -> tuple[str, str]:
        best = from_bytes(data).best()
        if best is None:
            raise ValueError("undecodable")
        return str(best), best.encoding

    cases = []
    for rows in (1, 5, 50, 5_000):
        text = csv_text(rows, rows)
        for encoding, data in (
            ("utf-8", text.encode("utf-8")),
            ("utf-8-sig", text.encode("utf-8-sig")),
            ("windows-1252", text.encode("windows-1252")),
            ("utf-16", text.encode("utf-16")),
        ):
            cases.append((rows, encoding, text, data))
    print(f"{'rows':>6} {'written as':<13} {'hand: right':>11} {'ms':>7}", end="  ")
    print(f"{'c-n: right':>10} {'ms':>7}")
    totals = {"hand": [0, 0.0], "charset-normalizer": [0, 0.0]}
    for rows, encoding, text, data in cases:
        out = []
        for name, decode in (("hand", _decode), ("charset-normalizer", normaliser)):
            seconds, (decoded, found) = best_of(3, lambda d=decode, b=data: d(b))
            right = decoded.lstrip("\ufeff") == text
            totals[name][0] += right
            totals[name][1] += seconds
            out.append(f"{'yes' if right else 'NO (' + found + ')':>11} {seconds * 1000:7.2f}")
        print(f"{rows:>6} {encoding:<13} " + "  ".join(out))
    for name, (right, seconds) in totals.items():
        print(f"{name}: {right}/{len(cases)} decoded right, {seconds * 1000:.1f} ms in all")


# -- numbers ----------------------------------------------------------------------------


def numbers() -> None:
    import django

    django.setup()
    from babel.numbers import format_compact_currency, format_decimal
    from django.utils import translation

    from clusterdesk.results import charts

    values = [870_000_000, 347_000_000, 1_234.5, 300_000, 950, 12_500_000, 0.5, 15]
    rng = random.Random(1)
    many = [Decimal(rng.randrange(1, 10**9)) for _ in range(10_000)]
    for language, locale in (("fr", "fr_FR"), ("en", "en_GB")):
        with translation.override(language):
            print(f"-- {language}")
            for v in values:
                hand_number = charts.format_number(v, -1)
                babel_number = format_decimal(v, locale=locale)
                hand_eur = charts.format_eur(v)
                babel_eur = format_compact_currency(v, "EUR", locale=locale, fraction_digits=1)
                print(
                    f"{v!s:>12}  hand {hand_number!r:>14} {hand_eur!r:>12}   "
                    f"babel {babel_number!r:>14} {babel_eur!r:>12}"
                )
            hand_t, _ = best_of(3, lambda: [charts.format_eur(v) for v in many])
            babel_t, _ = best_of(
                3,
                lambda loc=locale: [
                    format_compact_currency(v, "EUR", locale=loc, fraction_digits=1) for v in many
                ],
            )
            print(
                f"10,000 short amounts: hand {hand_t * 1000:.0f} ms, babel {babel_t * 1000:.0f} ms"
            )


# -- duplicates -------------------------------------------------------------------------

STEMS = [
    "bio", "gen", "cell", "pharma", "med", "vet", "diag", "thera", "immun", "onco", "neuro",
    "cardio", "derm", "lab", "tech", "vax", "prot", "micro", "nano", "vita", "sana", "clin",
]  # fmt: skip
SUFFIXES = ["ix", "is", "ica", "on", "ys", "ea", "ium", "a", "o", "ex", "ine", "ance"]
TAILS = ["", "", " France", " Lyon", " Santé", " Diagnostics", " Therapeutics", " Labs"]
CITIES = ["Lyon", "Paris", "Grenoble", "Marseille", "Toulouse", "Lille", "Nantes", "Rennes"]


def organisations(count: int, seed: int) -> list[tuple[str, str]]:
    """(name, city): 15,000 names, a city distribution as uneven as the national demo's
    (a third in the largest city), and 3 % near-duplicates (a typo, a legal form)."""
    rng = random.Random(seed)
    weights = [1 / (n + 1) for n in range(len(CITIES))]
    orgs = []
    for _ in range(count):
        name = (
            "".join(rng.choice(STEMS) for _ in range(rng.randint(1, 2))).capitalize()
            + rng.choice(SUFFIXES)
            + rng.choice(TAILS)
        )
        city = rng.choices(CITIES, weights)[0]
        orgs.append((name, city))
        if rng.random() < 0.03:
            twin = name + rng.choice([" SAS", " SA", ""])
            if len(twin) > 4 and rng.random() < 0.5:
                i = rng.randrange(1, len(twin) - 1)
                twin = twin[:i] + twin[i + 1 :]
            orgs.append((twin, city))
    return orgs[:count]


def duplicates() -> None:
    import django

    django.setup()
    from rapidfuzz import fuzz, process

    from clusterdesk.crm.importing.values import normalise
    from clusterdesk.crm.selectors import DUPLICATE_BLOCK

    orgs = organisations(15_000, 7)
    groups: dict[str, list[int]] = defaultdict(list)
    for n, (_name, city) in enumerate(orgs):
        groups[normalise(city)].append(n)
    names = [normalise(name) for name, _city in orgs]
    threshold = 88.0

    def loop() -> set[tuple[int, int]]:
        pairs = set()
        for members in groups.values():
            for i in range(len(members)):
                for j in range(i + 1, len(members)):
                    a, b = members[i], members[j]
                    if fuzz.token_set_ratio(names[a], names[b]) >= threshold:
                        pairs.add((a, b))
        return pairs

    def cdist(workers: int) -> set[tuple[int, int]]:
        # As crm.selectors.duplicate_candidates does it: blocks of rows, float32 scores.
        pairs = set()
        for members in groups.values():
            group = [names[m] for m in members]
            for first in range(0, len(group), DUPLICATE_BLOCK):
                block = process.cdist(
                    group[first : first + DUPLICATE_BLOCK],
                    group[first:],
                    scorer=fuzz.token_set_ratio,
                    score_cutoff=threshold,
                    dtype="float32",
                    workers=workers,
                )
                for row, column in zip(*block.nonzero(), strict=True):
                    if column > row:
                        pairs.add((members[first + row], members[first + column]))
        return pairs

    largest = max(len(m) for m in groups.values())
    print(f"{len(orgs)} organisations, {len(groups)} cities, largest city {largest}")
    loop_t, loop_pairs = best_of(1, loop)
    print(f"pair loop: {loop_t:.1f} s, {len(loop_pairs)} pairs")
    for workers in (1, -1):
        t, pairs = best_of(1, lambda w=workers: cdist(w))
        print(
            f"cdist workers={workers}: {t:.2f} s, {len(pairs)} pairs, "
            f"same pairs: {pairs == loop_pairs}"
        )


# -- solvers ----------------------------------------------------------------------------


def solvers() -> None:
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, StrictFloat, StrictInt, StrictStr
    from pydantic import ValidationError as PydanticError

    from clusterdesk.solvers.reviewers.problem import ReviewerInputError, parse_problem

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)

    class ItemIn(Strict):
        id: StrictStr | StrictInt
        reviewers_needed: StrictInt

    class ReviewerIn(Strict):
        id: StrictStr | StrictInt
        max_load: StrictInt
        min_load: StrictInt = 0

    class PairIn(Strict):
        item: StrictStr | StrictInt
        reviewer: StrictStr | StrictInt
        score: StrictFloat | StrictInt

    class ConflictIn(Strict):
        item: StrictStr | StrictInt
        reviewer: StrictStr | StrictInt

    class ProblemIn(Strict):
        items: list[ItemIn]
        reviewers: list[ReviewerIn]
        affinity: list[PairIn] | None = None
        conflicts: list[ConflictIn] = []
        locked: list[ConflictIn] = []
        kind: Literal["reviewers"] | None = None

    rng = random.Random(3)
    n_items, n_reviewers = 2_000, 400
    data: dict[str, Any] = {
        "items": [{"id": f"A{i}", "reviewers_needed": 3} for i in range(n_items)],
        "reviewers": [{"id": r, "max_load": 20, "min_load": 0} for r in range(n_reviewers)],
        "affinity": [
            {"item": f"A{i}", "reviewer": r, "score": round(rng.random(), 3)}
            for i in range(n_items)
            for r in rng.sample(range(n_reviewers), 60)
        ],
        "conflicts": [{"item": f"A{i}", "reviewer": i % n_reviewers} for i in range(n_items)],
    }
    print(f"{n_items} items, {n_reviewers} reviewers, {len(data['affinity'])} scored pairs")
    hand_t, _ = best_of(3, lambda: parse_problem(data))
    model_t, _ = best_of(3, lambda: ProblemIn.model_validate(data))
    print(f"hand-written parse_problem (types, ids, pairs, arrays): {hand_t * 1000:.0f} ms")
    print(f"pydantic model_validate (types and keys only):          {model_t * 1000:.0f} ms")
    bad = dict(data, affinity=[*data["affinity"][:5], {"item": "A1", "reviewer": 2, "score": "x"}])
    try:
        parse_problem(bad)
    except ReviewerInputError as exc:
        print(f"hand-written error: {exc}")
    try:
        ProblemIn.model_validate(bad)
    except PydanticError as exc:
        first = exc.errors()[0]
        print(f"pydantic error:     {'.'.join(map(str, first['loc']))}: {first['msg']}")


PARTS = {"encodings": encodings, "numbers": numbers, "duplicates": duplicates, "solvers": solvers}

if __name__ == "__main__":
    for part in sys.argv[1:] or list(PARTS):
        print(f"== {part}")
        PARTS[part]()
