from __future__ import annotations

import pytest
from stdnum import luhn

from clusterdesk.crm.identifiers import (
    FOREIGN_ID_MAX_LENGTH,
    IdentifierError,
    clean_foreign_id,
    clean_ror,
    clean_siren,
    clean_siret,
    clean_vat,
    french_vat_from_siren,
    siren_of_siret,
)

# 303 265 045 / FR40303265045 and 732 829 320 00074 are the examples in python-stdnum's
# documentation of stdnum.fr.siren/tva and stdnum.fr.siret.


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("303265045", "303265045"),
        ("303 265 045", "303265045"),
        ("303.265.045", "303265045"),
        ("\u00a0303\u00a0265\u202f045 ", "303265045"),
    ],
)
def test_clean_siren_accepts_separators(value: str, expected: str) -> None:
    assert clean_siren(value) == expected


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        ("", "empty", "empty"),
        ("   ", "empty", "empty"),
        ("30326504A", "format", "only digits"),
        (
            "\uff13\uff10\uff13\uff12\uff16\uff15\uff10\uff14\uff15",
            "format",
            "only digits",
        ),  # full-width
        ("30326504", "length", "has 8"),
        ("3032650450", "length", "has 10"),
        ("303265046", "checksum", "Luhn"),
        ("000 000 000", "placeholder", "placeholder"),
    ],
)
def test_clean_siren_rejects_with_reason(value: str, code: str, fragment: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        clean_siren(value)
    assert caught.value.code == code
    assert fragment in str(caught.value)


def test_clean_siret_accepts_valid_with_spaces() -> None:
    assert clean_siret("732 829 320 00074") == "73282932000074"


def test_clean_siret_rejects_wrong_check_digit() -> None:
    with pytest.raises(IdentifierError) as caught:
        clean_siret("73282932000079")
    assert caught.value.code == "checksum"
    assert "check digit" in str(caught.value)


def test_clean_siret_rejects_invalid_siren_part_even_when_luhn_passes() -> None:
    # 303265046 fails its own Luhn check; complete it into a 14-digit Luhn number.
    body = "303265046" + "0001"
    number = body + luhn.calc_check_digit(body)
    assert luhn.is_valid(number)
    with pytest.raises(IdentifierError) as caught:
        clean_siret(number)
    assert "first 9 digits" in str(caught.value)


@pytest.mark.parametrize(
    ("value", "code"),
    [("7328293200007", "length"), ("7328293200007X", "format"), ("00000000000000", "placeholder")],
)
def test_clean_siret_rejects_bad_shape(value: str, code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        clean_siret(value)
    assert caught.value.code == code


# La Poste establishments (SIREN 356000000) are checked by digit sum, not by Luhn. These
# two are the La Poste SIRETs in python-stdnum's test suite; the assertions below check
# that the rule, not the Luhn check, is what lets them through.
@pytest.mark.parametrize("value", ["356 000 000 09075", "35600000049837"])
def test_clean_siret_accepts_la_poste_by_digit_sum(value: str) -> None:
    digits = value.replace(" ", "")
    assert not luhn.is_valid(digits)
    assert sum(map(int, digits)) % 5 == 0
    assert clean_siret(value) == digits


def test_clean_siret_rejects_la_poste_when_digit_sum_not_multiple_of_5() -> None:
    assert sum(map(int, "35600000049838")) % 5 != 0
    with pytest.raises(IdentifierError):
        clean_siret("35600000049838")


def test_clean_siret_accepts_la_poste_head_office_by_luhn() -> None:
    # The head office's SIRET is a Luhn number whose digits add up to 26.
    assert luhn.is_valid("35600000000048")
    assert clean_siret("35600000000048") == "35600000000048"


def test_siren_of_siret_returns_first_nine_digits() -> None:
    assert siren_of_siret("732 829 320 00074") == "732829320"


def test_siren_of_siret_rejects_invalid_siret() -> None:
    with pytest.raises(IdentifierError):
        siren_of_siret("73282932000079")


def test_french_vat_from_siren_computes_key() -> None:
    assert french_vat_from_siren("303 265 045") == "FR40303265045"
    assert french_vat_from_siren("732829320") == "FR44732829320"


def test_french_vat_from_siren_rejects_invalid_siren() -> None:
    with pytest.raises(IdentifierError):
        french_vat_from_siren("303265046")


# Valid numbers from python-stdnum's documentation of each country's VAT module.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fr 40 303 265 045", "FR40303265045"),
        ("FR40303265045", "FR40303265045"),
        ("ATU57194903", "ATU57194903"),
        ("BE 697 449 992", "BE0697449992"),
        ("DE 136,695 976", "DE136695976"),
        ("IT 00743110157", "IT00743110157"),
        ("ES B-58378431", "ESB58378431"),
        ("NL004495445B01", "NL004495445B01"),
        ("GR 094259216", "EL094259216"),
        ("EL094259216", "EL094259216"),
    ],
)
def test_clean_vat_normalises_with_country_prefix(value: str, expected: str) -> None:
    assert clean_vat(value) == expected


@pytest.mark.parametrize(
    ("value", "code", "fragments"),
    [
        ("FR41303265045", "checksum", ("France", "check digits")),
        ("DE136695977", "checksum", ("Germany", "check digits")),
        ("DE123", "length", ("Germany", "length")),
        ("40303265045", "country", ("no country code",)),
        ("US123456789", "country", ("“US”",)),
        ("", "empty", ("empty",)),
    ],
)
def test_clean_vat_rejects_with_country_and_problem(
    value: str, code: str, fragments: tuple[str, ...]
) -> None:
    with pytest.raises(IdentifierError) as caught:
        clean_vat(value)
    assert caught.value.code == code
    for fragment in fragments:
        assert fragment in str(caught.value)


@pytest.mark.parametrize(
    "value",
    [
        "02feahw73",  # CNRS
        "03yrm5c26",  # California Digital Library
        "https://ror.org/03yrm5c26",
        "http://ror.org/02feahw73/",
        "ror.org/02FEAHW73",
        "  02FEAHW73 ",
    ],
)
def test_clean_ror_accepts_id_and_url(value: str) -> None:
    assert clean_ror(value) in {"02feahw73", "03yrm5c26"}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("02feahw74", "checksum"),
        ("03yrm5c62", "checksum"),
        ("12feahw73", "format"),  # must start with 0
        ("02fiahw73", "format"),  # i is not in Crockford's base 32
        ("02feahwa3", "format"),  # the check digits are digits
        ("02feahw7", "length"),
        ("https://ror.org/", "empty"),
    ],
)
def test_clean_ror_rejects_with_reason(value: str, code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        clean_ror(value)
    assert caught.value.code == code


def test_clean_foreign_id_trims() -> None:
    assert clean_foreign_id("  999854661 \n") == "999854661"


def test_clean_foreign_id_rejects_empty_and_too_long() -> None:
    with pytest.raises(IdentifierError, match="empty"):
        clean_foreign_id("   ")
    assert clean_foreign_id("x" * FOREIGN_ID_MAX_LENGTH) == "x" * FOREIGN_ID_MAX_LENGTH
    with pytest.raises(IdentifierError) as caught:
        clean_foreign_id("x" * (FOREIGN_ID_MAX_LENGTH + 1))
    assert caught.value.code == "length"
