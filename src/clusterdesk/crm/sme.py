"""The EU SME definition, and the size bands found on French company records.

Thresholds: Commission Recommendation 2003/361/EC of 6 May 2003, Annex, Article 2.
An enterprise is in a category when its staff headcount is under the category's
ceiling AND its annual turnover OR its annual balance sheet total does not exceed the
category's financial ceiling:

========  ==========  ==========  ====================
category  headcount   turnover    balance sheet total
========  ==========  ==========  ====================
micro     < 10        ≤ 2 M€      ≤ 2 M€
small     < 50        ≤ 10 M€     ≤ 10 M€
medium    < 250       ≤ 50 M€     ≤ 43 M€
========  ==========  ==========  ====================

Headcount bands: INSEE's "tranche d'effectifs salariés" codes used in the Sirene
register (documentation of the variable trancheEffectifsUniteLegale).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.db import models
from django.utils.translation import gettext_lazy as _

SmeCategory = Literal["micro", "small", "medium", "large"]
Number = int | float | Decimal

# (category, headcount strictly below, turnover at most, balance sheet total at most)
SME_CEILINGS: tuple[tuple[SmeCategory, int, int, int], ...] = (
    ("micro", 10, 2_000_000, 2_000_000),
    ("small", 50, 10_000_000, 10_000_000),
    ("medium", 250, 50_000_000, 43_000_000),
)


def _all_true(*answers: bool | None) -> bool | None:
    """Three-valued AND: False wins, then unknown (None), else True."""
    if False in answers:
        return False
    return None if None in answers else True


def _any_true(*answers: bool | None) -> bool | None:
    """Three-valued OR: True wins, then unknown (None), else False."""
    if True in answers:
        return True
    return None if None in answers else False


def _at_most(value: Number | None, ceiling: int) -> bool | None:
    return None if value is None else value <= ceiling


def sme_category(
    headcount: Number | None,
    turnover_eur: Number | None,
    balance_sheet_eur: Number | None,
) -> SmeCategory | None:
    """Return the enterprise's category under Recommendation 2003/361/EC.

    ``headcount`` is in annual work units (it may be fractional). Returns None when the
    known figures cannot decide: e.g. 5 people and an unknown turnover and balance sheet
    could be micro or, with a large balance sheet, large. A large turnover and balance
    sheet decide "large" even without a headcount.
    """
    for value in (headcount, turnover_eur, balance_sheet_eur):
        if value is not None and value < 0:
            raise ValueError(f"A headcount or an amount cannot be negative: {value}.")
    for category, staff_below, turnover_max, balance_max in SME_CEILINGS:
        fits = _all_true(
            None if headcount is None else headcount < staff_below,
            _any_true(
                _at_most(turnover_eur, turnover_max), _at_most(balance_sheet_eur, balance_max)
            ),
        )
        if fits is None:
            return None
        if fits:
            return category
    return "large"


class HeadcountBand(models.TextChoices):
    """INSEE's headcount band ("tranche d'effectifs salariés") of a company or site."""

    # "NN": no employee during the reference year and none on 31 December.
    NON_EMPLOYER = "NN", _("No employees (non-employer)")
    # "00": none on 31 December, but employees during the year.
    NONE_AT_YEAR_END = "00", _("0 employees at year end")
    FROM_1 = "01", _("1–2 employees")  # noqa: RUF001
    FROM_3 = "02", _("3–5 employees")  # noqa: RUF001
    FROM_6 = "03", _("6–9 employees")  # noqa: RUF001
    FROM_10 = "11", _("10–19 employees")  # noqa: RUF001
    FROM_20 = "12", _("20–49 employees")  # noqa: RUF001
    FROM_50 = "21", _("50–99 employees")  # noqa: RUF001
    FROM_100 = "22", _("100–199 employees")  # noqa: RUF001
    FROM_200 = "31", _("200–249 employees")  # noqa: RUF001
    FROM_250 = "32", _("250–499 employees")  # noqa: RUF001
    FROM_500 = "41", _("500–999 employees")  # noqa: RUF001
    FROM_1000 = "42", _("1,000–1,999 employees")  # noqa: RUF001
    FROM_2000 = "51", _("2,000–4,999 employees")  # noqa: RUF001
    FROM_5000 = "52", _("5,000–9,999 employees")  # noqa: RUF001
    FROM_10000 = "53", _("10,000 employees or more")


# Band code -> (lowest headcount, highest headcount or None for no upper bound).
HEADCOUNT_BOUNDS: dict[str, tuple[int, int | None]] = {
    "NN": (0, 0),
    "00": (0, 0),
    "01": (1, 2),
    "02": (3, 5),
    "03": (6, 9),
    "11": (10, 19),
    "12": (20, 49),
    "21": (50, 99),
    "22": (100, 199),
    "31": (200, 249),
    "32": (250, 499),
    "41": (500, 999),
    "42": (1000, 1999),
    "51": (2000, 4999),
    "52": (5000, 9999),
    "53": (10000, None),
}


def band_bounds(code: str) -> tuple[int, int | None]:
    """Return the (lowest, highest) headcount of an INSEE band; highest None for 53."""
    try:
        return HEADCOUNT_BOUNDS[code]
    except KeyError:
        raise ValueError(f"Unknown headcount band: {code!r}.") from None


def band_of_headcount(headcount: int) -> str:
    """Return the INSEE band code of a headcount; 0 gives "00" (no employees).

    "NN" is only ever copied from the Sirene register: a count of 0 cannot tell a
    non-employer from a company that had staff earlier in the year.
    """
    if headcount < 0:
        raise ValueError(f"A headcount cannot be negative: {headcount}.")
    for code, (low, high) in HEADCOUNT_BOUNDS.items():
        if code != "NN" and low <= headcount and (high is None or headcount <= high):
            return code
    raise AssertionError("the bands cover every headcount")  # pragma: no cover


class TurnoverBand(models.TextChoices):
    """Annual turnover bands, cut at the EU SME ceilings (2, 10, 50 M€) and at the
    1.5 bn€ that separates a mid-size company (ETI) from a large one in French law
    (décret 2008-1354). Each band's upper bound is included, as in the Recommendation."""

    UP_TO_2M = "0-2m", _("Up to 2 M€")
    UP_TO_10M = "2m-10m", _("2 M€ to 10 M€")
    UP_TO_50M = "10m-50m", _("10 M€ to 50 M€")
    UP_TO_250M = "50m-250m", _("50 M€ to 250 M€")
    UP_TO_1500M = "250m-1500m", _("250 M€ to 1.5 bn€")
    OVER_1500M = "1500m+", _("Over 1.5 bn€")


# Band code -> (exclusive lower bound in euros, inclusive upper bound or None).
TURNOVER_BOUNDS: dict[str, tuple[int, int | None]] = {
    "0-2m": (0, 2_000_000),
    "2m-10m": (2_000_000, 10_000_000),
    "10m-50m": (10_000_000, 50_000_000),
    "50m-250m": (50_000_000, 250_000_000),
    "250m-1500m": (250_000_000, 1_500_000_000),
    "1500m+": (1_500_000_000, None),
}


def turnover_band_bounds(code: str) -> tuple[int, int | None]:
    """Return (lower, upper) euros of a turnover band: above lower, up to upper included."""
    try:
        return TURNOVER_BOUNDS[code]
    except KeyError:
        raise ValueError(f"Unknown turnover band: {code!r}.") from None


def band_of_turnover(turnover_eur: Number) -> str:
    """Return the turnover band code of an annual turnover in euros."""
    if turnover_eur < 0:
        raise ValueError(f"A turnover cannot be negative: {turnover_eur}.")
    for code, (_low, high) in TURNOVER_BOUNDS.items():
        if high is None or turnover_eur <= high:
            return code
    raise AssertionError("the bands cover every amount")  # pragma: no cover


def sme_from_bands(headcount_band: str | None, turnover_band: str | None) -> bool | None:
    """Whether the bands make the company an SME, or None when they cannot tell.

    250 people or more: not an SME. Fewer, with a turnover up to 50 M€: an SME. Fewer,
    with a higher turnover: unknown, since a balance sheet total up to 43 M€ would still
    make it one.
    """
    staff_low, staff_high = band_bounds(headcount_band) if headcount_band else (None, None)
    if staff_low is not None and staff_low >= 250:
        return False
    if turnover_band is None or staff_high is None:
        return None
    _low, turnover_high = turnover_band_bounds(turnover_band)
    if turnover_high is not None and turnover_high <= 50_000_000:
        return True
    return None
