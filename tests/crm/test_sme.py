from __future__ import annotations

from decimal import Decimal

import pytest

from clusterdesk.crm.sme import (
    HEADCOUNT_BOUNDS,
    TURNOVER_BOUNDS,
    HeadcountBand,
    TurnoverBand,
    band_bounds,
    band_of_headcount,
    band_of_turnover,
    sme_category,
    sme_from_bands,
    turnover_band_bounds,
)

M = 1_000_000


@pytest.mark.parametrize(
    ("headcount", "turnover", "balance", "expected"),
    [
        (9, 2 * M, None, "micro"),
        (9, None, 2 * M, "micro"),
        (10, 1 * M, 1 * M, "small"),  # 10 people is not "fewer than 10"
        (9, 2 * M + 1, 2 * M + 1, "small"),
        (9, 3 * M, 2 * M, "micro"),  # the balance sheet alone is enough
        (49, 10 * M, 50 * M, "small"),
        (50, 10 * M, 10 * M, "medium"),
        (249, 50 * M, None, "medium"),
        (249, 60 * M, 43 * M, "medium"),
        (249, Decimal("50000000.01"), Decimal("43000000.01"), "large"),
        (250, 1 * M, 1 * M, "large"),
        (Decimal("9.5"), 1 * M, None, "micro"),  # annual work units may be fractional
        (None, 60 * M, 50 * M, "large"),  # over both ceilings whatever the staff
        (300, None, None, "large"),
    ],
)
def test_sme_category_at_the_thresholds(
    headcount: int | Decimal | None,
    turnover: int | Decimal | None,
    balance: int | Decimal | None,
    expected: str,
) -> None:
    assert sme_category(headcount, turnover, balance) == expected


@pytest.mark.parametrize(
    ("headcount", "turnover", "balance"),
    [
        (5, None, None),  # micro, or large with a big balance sheet
        (None, 1 * M, None),
        (5, 3 * M, None),  # the unknown balance sheet could still make it micro
        (None, None, None),
    ],
)
def test_sme_category_none_when_data_cannot_decide(
    headcount: int | None, turnover: int | None, balance: int | None
) -> None:
    assert sme_category(headcount, turnover, balance) is None


def test_sme_category_rejects_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        sme_category(-1, 0, 0)


def test_headcount_band_codes_are_insee_codes() -> None:
    assert HeadcountBand.values == list(HEADCOUNT_BOUNDS)
    assert HeadcountBand.values == [
        "NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42",
        "51", "52", "53",
    ]  # fmt: skip
    assert str(HeadcountBand.FROM_10.label) == "10\u201319 employees"


def test_band_bounds_of_codes() -> None:
    assert band_bounds("01") == (1, 2)
    assert band_bounds("31") == (200, 249)
    assert band_bounds("53") == (10000, None)
    with pytest.raises(ValueError, match="Unknown"):
        band_bounds("99")


def test_headcount_bands_are_contiguous() -> None:
    previous_high = 0
    for code, (low, high) in list(HEADCOUNT_BOUNDS.items())[2:]:
        assert low == previous_high + 1, code
        previous_high = high if high is not None else -1
    assert previous_high == -1


@pytest.mark.parametrize(
    ("headcount", "code"),
    [(0, "00"), (1, "01"), (2, "01"), (3, "02"), (9, "03"), (10, "11"), (249, "31"),
     (250, "32"), (9999, "52"), (10000, "53"), (250000, "53")],
)  # fmt: skip
def test_band_of_headcount_at_edges(headcount: int, code: str) -> None:
    assert band_of_headcount(headcount) == code


def test_band_of_headcount_rejects_negative() -> None:
    with pytest.raises(ValueError):
        band_of_headcount(-1)


@pytest.mark.parametrize(
    ("amount", "code"),
    [(0, "0-2m"), (2 * M, "0-2m"), (2 * M + 1, "2m-10m"), (10 * M, "2m-10m"),
     (50 * M, "10m-50m"), (Decimal("50000000.5"), "50m-250m"), (1500 * M, "250m-1500m"),
     (1500 * M + 1, "1500m+")],
)  # fmt: skip
def test_band_of_turnover_includes_upper_bound(amount: int | Decimal, code: str) -> None:
    assert band_of_turnover(amount) == code
    low, high = turnover_band_bounds(code)
    assert (amount > low or low == 0) and (high is None or amount <= high)


def test_turnover_bands_match_choices() -> None:
    assert TurnoverBand.values == list(TURNOVER_BOUNDS)
    with pytest.raises(ValueError):
        turnover_band_bounds("huge")


@pytest.mark.parametrize(
    ("headcount_band", "turnover_band", "expected"),
    [
        ("11", "2m-10m", True),
        ("31", "10m-50m", True),
        ("NN", "0-2m", True),
        ("32", "0-2m", False),
        ("53", None, False),
        ("31", "50m-250m", None),  # a balance sheet up to 43 M€ would still make an SME
        ("11", None, None),
        (None, "0-2m", None),
        (None, None, None),
    ],
)
def test_sme_from_bands(
    headcount_band: str | None, turnover_band: str | None, expected: bool | None
) -> None:
    assert sme_from_bands(headcount_band, turnover_band) is expected
