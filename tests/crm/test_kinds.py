from __future__ import annotations

from django.utils.translation import override

from clusterdesk.crm.importing.values import normalise
from clusterdesk.crm.kinds import (
    CORDIS_ACTIVITY_KINDS,
    KIND_ALIASES,
    SME_KINDS,
    OrganisationKind,
)

EXPECTED = {
    "tpe": "Micro-enterprise (TPE)",
    "pme": "SME (PME)",
    "startup": "Start-up",
    "eti": "Mid-size company (ETI)",
    "large_company": "Large company (grand groupe)",
    "research_org": "Research organisation",
    "higher_education": "Higher education and research institution",
    "hospital": "Hospital / university hospital (CHU)",
    "local_authority": "Local authority (collectivité territoriale)",
    "economic_development": "Economic development agency",
    "bank_investor": "Bank / investor",
    "cluster": "Cluster / pôle / French Tech",
    "tech_platform": "Technology platform",
    "association": "Association",
    "other": "Other",
}


def test_organisation_kind_has_exactly_the_listed_values_and_labels() -> None:
    with override("en"):
        assert {kind.value: str(kind.label) for kind in OrganisationKind} == EXPECTED


def test_kind_aliases_cover_every_kind() -> None:
    assert set(KIND_ALIASES) == set(OrganisationKind.values)
    assert all(KIND_ALIASES[value] for value in OrganisationKind.values)


def test_kind_aliases_folded_name_one_kind_each() -> None:
    owner: dict[str, str] = {}
    for value, names in KIND_ALIASES.items():
        for name in [value, *names]:
            key = normalise(name).replace(" ", "")
            assert owner.setdefault(key, value) == value, (name, owner[key], value)


def test_kind_aliases_include_the_common_french_names() -> None:
    expected = {
        "tpe": ["TPE", "très petite entreprise", "micro-entreprise"],
        "pme": ["PME", "petite et moyenne entreprise", "SME"],
        "startup": ["start-up", "jeune pousse"],
        "eti": ["ETI", "entreprise de taille intermédiaire"],
        "large_company": ["grand groupe", "grande entreprise", "large company"],
        "research_org": ["organisme de recherche", "laboratoire", "EPST"],
        "higher_education": ["université", "école"],
        "hospital": ["hôpital", "CHU"],
        "local_authority": ["collectivité territoriale", "collectivité"],
        "economic_development": ["agence de développement économique"],
        "bank_investor": ["banque", "investisseur", "fonds"],
        "cluster": ["pôle", "cluster", "French Tech"],
        "tech_platform": ["plateforme technologique"],
        "association": ["association"],
        "other": ["autre", "other"],
    }
    for value, names in expected.items():
        assert set(names) <= set(KIND_ALIASES[value]), value


def test_cordis_activity_codes_map_to_kinds_and_aliases() -> None:
    assert CORDIS_ACTIVITY_KINDS == {
        "PRC": "pme",
        "REC": "research_org",
        "HES": "higher_education",
        "PUB": "other",
        "OTH": "other",
    }
    for code, kind in CORDIS_ACTIVITY_KINDS.items():
        assert code in KIND_ALIASES[kind]


def test_sme_kinds_are_the_three_small_company_kinds() -> None:
    assert {"tpe", "pme", "startup"} == SME_KINDS
    assert OrganisationKind.ETI not in SME_KINDS
