from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from clusterdesk.crm.importing.values import (
    match_kind,
    normalise,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
    split_multi,
)
from clusterdesk.crm.kinds import OrganisationKind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Société  Générale-S.A. ", "societe generale s a"),
        ("ÉCOLE D'INGÉNIEURS", "ecole d ingenieurs"),
        ("Cœur", "coeur"),
        ("Straße", "strasse"),
        ("snake_case", "snake case"),
        ("---", ""),
    ],
)
def test_normalise_folds_accents_case_punctuation(text: str, expected: str) -> None:
    assert normalise(text) == expected


@given(st.text())
def test_normalise_is_idempotent_and_folded(text: str) -> None:
    folded = normalise(text)
    assert normalise(folded) == folded
    assert folded == folded.strip()
    assert "  " not in folded
    assert folded == folded.casefold()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("PME, PME", ["PME"]),
        ("PME, pme; Santé", ["PME", "Santé"]),
        ("Santé;sante ; SANTÉ", ["Santé"]),
        (" a ,, ; b ;", ["a", "b"]),
        ("", []),
        (" ; , ", []),
        ("Énergie", ["Énergie"]),
    ],
)
def test_split_multi_trims_and_deduplicates(cell: str, expected: list[str]) -> None:
    assert split_multi(cell) == expected


@given(st.text())
def test_split_multi_invariants(cell: str) -> None:
    items = split_multi(cell)
    assert all(item and item == item.strip() for item in items)
    assert not any("," in item or ";" in item for item in items)
    keys = [normalise(item) or item.casefold() for item in items]
    assert len(keys) == len(set(keys))
    # Joining the items back and splitting again changes nothing.
    assert split_multi("; ".join(items)) == items


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31/12/2024", datetime.date(2024, 12, 31)),
        ("1/2/2024", datetime.date(2024, 2, 1)),
        ("2024-12-31", datetime.date(2024, 12, 31)),
        ("31-12-2024", datetime.date(2024, 12, 31)),
        ("31.12.2024", datetime.date(2024, 12, 31)),
        (" 29/02/2024 ", datetime.date(2024, 2, 29)),
    ],
)
def test_parse_date_accepted_forms(cell: str, expected: datetime.date) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    "cell", ["01/02/03", "31/02/2024", "29/02/2023", "2024/12/31", "12/31/2024", "", "demain"]
)
def test_parse_date_rejects_with_value_and_forms(cell: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(cell)
    message = str(caught.value)
    assert f"“{cell.strip()}”" in message
    assert "dd/mm/yyyy" in message and "yyyy-mm-dd" in message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("oui", True), ("OUI", True), ("Yes", True), ("true", True), ("TRUE", True),
        ("1", True), ("x", True), ("X", True), ("vrai", True),
        ("non", False), ("No", False), ("false", False), ("0", False), ("", False),
        ("  ", False), ("FAUX", False),
    ],
)  # fmt: skip
def test_parse_bool_words(cell: str, expected: bool) -> None:
    assert parse_bool(cell) is expected


def test_parse_bool_rejects_other_words() -> None:
    with pytest.raises(ValueError, match="“peut-être”"):
        parse_bool("peut-être")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 234,50 €", Decimal("1234.50")),
        ("1\u00a0234,50\u00a0€", Decimal("1234.50")),
        ("1\u202f234 EUR", Decimal("1234")),
        ("1234.5", Decimal("1234.5")),
        ("1,234.50", Decimal("1234.50")),
        ("1.234,50", Decimal("1234.50")),
        ("1.234.567", Decimal("1234567")),
        ("1,234,567", Decimal("1234567")),
        ("12,5", Decimal("12.5")),
        ("€500", Decimal("500")),
        ("-12", Decimal("-12")),
        ("1'500", Decimal("1500")),
    ],
)
def test_parse_amount_plain_amounts(cell: str, expected: Decimal) -> None:
    assert parse_amount(cell) == expected


@pytest.mark.parametrize(
    "cell", ["", "€", "12 k€", "abc", "1,23,4.5", "1.2.3", "1,234.5,6", "--1", "1e5"]
)
def test_parse_amount_rejects_others(cell: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(cell)


@pytest.mark.parametrize(
    ("cell", "expected"), [("1 234", 1234), ("42", 42), ("12.0", 12), ("-3", -3), (" 7 ", 7)]
)
def test_parse_int_whole_numbers(cell: str, expected: int) -> None:
    assert parse_int(cell) == expected


@pytest.mark.parametrize("cell", ["", "12.5", "douze", "1,234.0"])
def test_parse_int_rejects_others(cell: str) -> None:
    with pytest.raises(ValueError, match="whole number"):
        parse_int(cell)


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("startup", OrganisationKind.STARTUP),
        ("Start-up", OrganisationKind.STARTUP),
        ("START UP", OrganisationKind.STARTUP),
        ("Jeune pousse", OrganisationKind.STARTUP),
        ("pme", OrganisationKind.PME),
        ("PRC", OrganisationKind.PME),
        ("Très Petite Entreprise", OrganisationKind.TPE),
        ("tres petite entreprise", OrganisationKind.TPE),
        ("Universite", OrganisationKind.HIGHER_EDUCATION),
        ("CHU", OrganisationKind.HOSPITAL),
        ("Collectivité territoriale", OrganisationKind.LOCAL_AUTHORITY),
        ("Large company (grand groupe)", OrganisationKind.LARGE_COMPANY),
        ("local_authority", OrganisationKind.LOCAL_AUTHORITY),
        ("Hospital / university hospital (CHU)", OrganisationKind.HOSPITAL),
        ("French Tech", OrganisationKind.CLUSTER),
    ],
)
def test_match_kind_values_labels_aliases(cell: str, kind: OrganisationKind) -> None:
    assert match_kind(cell) is kind


def test_match_kind_suggests_closest_label() -> None:
    with override("en"), pytest.raises(ValueError) as caught:
        match_kind("start up x")
    assert str(caught.value) == "Unknown kind “start up x”; did you mean “Start-up”?"


def test_match_kind_suggests_for_misspelling() -> None:
    with override("en"), pytest.raises(ValueError, match="did you mean “Hospital"):
        match_kind("hopitall")


def test_match_kind_no_suggestion_when_nothing_is_close() -> None:
    with pytest.raises(ValueError) as caught:
        match_kind("zzzzqqqq")
    assert "did you mean" not in str(caught.value)
    assert "“zzzzqqqq”" in str(caught.value)


def test_match_kind_rejects_empty() -> None:
    with pytest.raises(ValueError, match="empty"):
        match_kind("  ")
