from __future__ import annotations

import pytest

from clusterdesk.crm.importing.columns import (
    IMPORT_FIELDS,
    ColumnMap,
    MappingError,
    header_key,
    map_columns,
    parse_map_options,
)

SPEC_FIELDS = [
    "name", "usual_name", "kind", "company_category", "naf_code", "admin_state", "siren",
    "siret", "vat", "ror", "foreign_id", "creation_year", "creation_date", "headcount",
    "headcount_band", "turnover", "street", "postal_code", "city", "country", "website",
    "description", "description_en", "domains", "themes", "markets", "directory_consent",
    "membership_year", "join_date", "membership_category", "membership_status",
    "fee_amount", "fee_paid_on", "contact_first_name", "contact_last_name", "contact_email",
    "contact_phone", "contact_job_title",
]  # fmt: skip


def test_import_fields_are_the_listed_fields() -> None:
    assert list(IMPORT_FIELDS) == SPEC_FIELDS


def test_import_field_aliases_fold_to_one_field_each() -> None:
    owner: dict[str, str] = {}
    for spec in IMPORT_FIELDS.values():
        for alias in spec.aliases:
            key = header_key(alias)
            assert key, alias
            assert owner.setdefault(key, spec.name) == spec.name, (alias, owner[key])


def test_map_columns_french_headers() -> None:
    headers = [
        "Raison sociale", "N° SIRET", "Code postal", "Ville", "Thématiques",
        "Année d'adhésion", "Prénom", "Nom du contact", "Courriel", "Commentaire",
    ]  # fmt: skip
    mapping = map_columns(headers)
    assert mapping.columns == {
        "name": "Raison sociale",
        "siret": "N° SIRET",
        "postal_code": "Code postal",
        "city": "Ville",
        "themes": "Thématiques",
        "membership_year": "Année d'adhésion",
        "contact_first_name": "Prénom",
        "contact_last_name": "Nom du contact",
        "contact_email": "Courriel",
    }
    assert mapping.ignored == ["Commentaire"]
    assert mapping.indexes["siret"] == 1


def test_map_columns_english_headers_case_accent_punctuation_insensitive() -> None:
    headers = ["LEGAL NAME", "Short-Name", "activityType", "e_mail", "ZIP", " Website "]
    mapping = map_columns(headers)
    assert mapping.columns == {
        "name": "LEGAL NAME",
        "usual_name": "Short-Name",
        "kind": "activityType",
        "contact_email": "e_mail",
        "postal_code": "ZIP",
        "website": " Website ",
    }
    assert mapping.ignored == []


def test_map_columns_prefers_earlier_alias() -> None:
    # "nom" comes before "raison sociale"; CORDIS files have both shortName and acronym.
    mapping = map_columns(["Raison sociale", "Nom", "acronym", "shortName"])
    assert mapping.columns == {"name": "Nom", "usual_name": "shortName"}
    assert mapping.ignored == ["Raison sociale", "acronym"]


def test_map_columns_explicit_mapping_wins() -> None:
    headers = ["Nom", "Structure", "Ville"]
    mapping = map_columns(headers, {"name": "Structure", "contact_last_name": "Nom"})
    assert mapping.columns == {
        "contact_last_name": "Nom",
        "name": "Structure",
        "city": "Ville",
    }
    assert mapping.ignored == []


def test_map_columns_explicit_column_matched_loosely() -> None:
    mapping = map_columns(["Nom de l'entreprise"], {"name": "nom de l entreprise"})
    assert mapping.columns == {"name": "Nom de l'entreprise"}


def test_map_columns_explicit_empty_column_skips_field() -> None:
    mapping = map_columns(["Nom", "Type"], {"kind": ""})
    assert "kind" not in mapping.columns
    assert mapping.ignored == ["Type"]


def test_map_columns_unknown_field_is_error() -> None:
    with pytest.raises(MappingError, match="“colour” is not an import field"):
        map_columns(["Nom"], {"colour": "Nom"})


def test_map_columns_missing_column_is_error() -> None:
    with pytest.raises(MappingError) as caught:
        map_columns(["Nom", "Ville"], {"city": "Town"})
    assert "“Town”" in str(caught.value)
    assert "“Ville”" in str(caught.value)


def test_map_columns_same_column_twice_is_error() -> None:
    with pytest.raises(MappingError, match="both"):
        map_columns(["Nom"], {"name": "Nom", "usual_name": "Nom"})


def test_map_columns_requires_name() -> None:
    with pytest.raises(MappingError, match="name=<column>"):
        map_columns(["Ville", "Pays"])


def test_map_columns_name_required_even_when_skipped() -> None:
    with pytest.raises(MappingError):
        map_columns(["Nom"], {"name": ""})


def test_column_map_values_by_field() -> None:
    mapping = map_columns(["Ville", "Nom", "Autre"])
    assert mapping.values(["Lyon", "Acme", "x"]) == {"city": "Lyon", "name": "Acme"}
    assert isinstance(mapping, ColumnMap)


def test_parse_map_options_reads_items() -> None:
    assert parse_map_options(["name=Raison sociale", " city = Ville ", "kind="]) == {
        "name": "Raison sociale",
        "city": "Ville",
        "kind": "",
    }


def test_parse_map_options_keeps_equal_signs_in_column() -> None:
    assert parse_map_options(["name=a=b"]) == {"name": "a=b"}


@pytest.mark.parametrize(
    ("items", "fragment"),
    [
        (["name"], "not a mapping"),
        (["=Nom"], "not a mapping"),
        (["colour=Nom"], "not an import field"),
        (["name=Nom", "name=Raison sociale"], "twice"),
    ],
)
def test_parse_map_options_rejects_malformed(items: list[str], fragment: str) -> None:
    with pytest.raises(MappingError, match=fragment):
        parse_map_options(items)
