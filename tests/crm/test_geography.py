from __future__ import annotations

import pytest

from clusterdesk.crm.geography import (
    DEPARTEMENTS,
    REGIONS,
    departement_name,
    departement_of_postal_code,
    region_name,
    region_of_departement,
)


def test_departements_are_the_101_of_the_cog() -> None:
    assert len(DEPARTEMENTS) == 101
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= set(DEPARTEMENTS)
    assert "20" not in DEPARTEMENTS
    assert "975" not in DEPARTEMENTS


def test_regions_are_18_and_each_has_a_departement() -> None:
    assert len(REGIONS) == 18
    assert {region for _name, region in DEPARTEMENTS.values()} == set(REGIONS)


def test_region_departement_counts_match_the_cog() -> None:
    counts: dict[str, int] = {}
    for _name, region in DEPARTEMENTS.values():
        counts[region] = counts.get(region, 0) + 1
    # Auvergne-Rhône-Alpes 12, Occitanie 13, Nouvelle-Aquitaine 12, Île-de-France 8,
    # Grand Est 10, Corse 2, each overseas region 1.
    assert counts["84"] == 12
    assert counts["76"] == 13
    assert counts["75"] == 12
    assert counts["11"] == 8
    assert counts["44"] == 10
    assert counts["94"] == 2
    assert all(counts[code] == 1 for code in ("01", "02", "03", "04", "06"))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("69003", "69"),
        ("69 003", "69"),
        ("\u00a069\u00a0003 ", "69"),
        ("75001", "75"),
        ("01000", "01"),
        ("1000", "01"),  # a spreadsheet dropped the leading zero
        ("9000", "09"),
        ("20000", "2A"),  # Ajaccio
        ("20167", "2A"),
        ("20200", "2B"),  # Bastia
        ("20600", "2B"),
        ("97100", "971"),
        ("97200", "972"),
        ("97300", "973"),
        ("97400", "974"),
        ("97600", "976"),
    ],
)
def test_departement_of_postal_code_finds_departement(code: str, expected: str) -> None:
    assert departement_of_postal_code(code) == expected


@pytest.mark.parametrize(
    "code",
    [
        "98000",  # Monaco
        "98800",  # New Caledonia
        "97500",  # Saint-Pierre-et-Miquelon, not a département
        "97133",  # Saint-Barthélemy
        "97150",  # Saint-Martin
        "20700",  # no such Corsican range
        "00100",
        "96000",
        "690",
        "690030",
        "F-69003",
        "",
        "abcde",
    ],
)
def test_departement_of_postal_code_returns_none_outside(code: str) -> None:
    assert departement_of_postal_code(code) is None


@pytest.mark.parametrize(
    ("code", "region"),
    [("69", "84"), ("1", "84"), ("2a", "94"), ("2B", "94"), ("974", "04"), ("75", "11")],
)
def test_region_of_departement_accepts_loose_codes(code: str, region: str) -> None:
    assert region_of_departement(code) == region


def test_region_of_departement_unknown_is_none() -> None:
    assert region_of_departement("20") is None
    assert region_of_departement("99") is None


def test_departement_name_and_region_name() -> None:
    assert departement_name("69") == "Rhône"
    assert departement_name("2A") == "Corse-du-Sud"
    assert departement_name("976") == "Mayotte"
    assert departement_name("00") is None
    assert region_name("84") == "Auvergne-Rhône-Alpes"
    assert region_name("99") is None
