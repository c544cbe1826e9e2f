"""Baseline affinity: domain Jaccard and FR/EN TF-IDF cosine."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from clusterdesk.solvers.reviewers import assign, parse_problem
from clusterdesk.solvers.reviewers.affinity import (
    AffinityModel,
    ApplicationProfile,
    ExpertProfile,
    MatcherAffinity,
    TfidfDomainAffinity,
    affinity_entries,
    domain_jaccard,
    fold,
    tfidf_cosine,
    tokenize,
)

TEXT_ONLY = TfidfDomainAffinity(domain_weight=0.0, text_weight=1.0)


def text_score(summary: str, competences: str, *others: str) -> float:
    apps = [ApplicationProfile("app", summary)]
    experts = [
        ExpertProfile("e0", competences),
        *(ExpertProfile(f"o{n}", t) for n, t in enumerate(others)),
    ]
    return float(TEXT_ONLY.score_matrix(apps, experts)[0, 0])


def test_fold_strips_accents_ligatures_and_case() -> None:
    assert fold("Énergie Électrique, Œuvre, naïve, Ça") == "energie electrique, oeuvre, naive, ca"


def test_tokenize_drops_fr_en_stop_words_elisions_and_plurals() -> None:
    text = "L'analyse des matériaux et the sensors of the réseaux d'énergie"
    assert tokenize(text) == ["analyse", "materiau", "sensor", "reseau", "energie"]


def test_tokenize_stop_words_only_gives_nothing() -> None:
    assert tokenize("le la les de des et the of and is à") == []


def test_text_identical_scores_higher_than_unrelated() -> None:
    summary = "Batteries sodium-ion pour le stockage stationnaire d'énergie"
    same = text_score(summary, summary, "Imagerie médicale par apprentissage profond")
    unrelated = text_score(summary, "Imagerie médicale par apprentissage profond", summary)
    assert same == pytest.approx(1.0)
    assert unrelated == 0.0


def test_text_accent_and_case_variants_match_fully() -> None:
    assert text_score("Énergie ÉOLIENNE en mer", "energie eolienne en mer") == pytest.approx(1.0)


def test_text_empty_scores_zero() -> None:
    assert text_score("", "capteurs connectés") == 0.0
    assert text_score("capteurs connectés", "") == 0.0
    assert text_score("", "") == 0.0
    assert text_score("de la et", "the of and") == 0.0


def test_text_rare_shared_term_outweighs_common_one() -> None:
    common = ["stockage batterie", "stockage reseau", "stockage chaleur", "stockage donnee"]
    apps = ["hydrogene stockage"]
    scores = tfidf_cosine(apps, ["hydrogene", "stockage", *common])
    assert scores[0, 0] > scores[0, 1] > 0


def test_text_english_and_french_stop_words_do_not_create_similarity() -> None:
    assert text_score("the design of the system", "the study of the market") == 0.0
    assert text_score("la conception du système", "l'étude du marché") == 0.0


def test_domain_jaccard_values() -> None:
    left = [{"Énergie", "IA"}, {"santé"}, set()]
    right = [{"energie", "Mobilité"}, {"ia", "énergie"}, set()]
    got = domain_jaccard(left, right)
    expected = np.array([[1 / 3, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(got, expected)


def test_combined_score_weights_domain_and_text() -> None:
    model = TfidfDomainAffinity(domain_weight=1.0, text_weight=3.0)
    apps = [ApplicationProfile("a", "éolien offshore", {"energie"})]
    experts = [ExpertProfile("x", "éolien offshore", {"energie", "mer"})]
    # (1 * 1/2 + 3 * 1) / 4
    assert model.score_matrix(apps, experts)[0, 0] == pytest.approx(0.875)


def test_combined_score_zero_for_empty_profiles() -> None:
    apps = [ApplicationProfile("a"), ApplicationProfile("b", "robotique", {"industrie"})]
    experts = [ExpertProfile("x"), ExpertProfile("y", "", set())]
    assert not TfidfDomainAffinity().score_matrix(apps, experts).any()


@pytest.mark.parametrize("weights", [(-1.0, 1.0), (0.0, 0.0), (float("nan"), 1.0)])
def test_model_rejects_invalid_weights(weights: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match="weights"):
        TfidfDomainAffinity(*weights)


def test_affinity_entries_keeps_scores_above_threshold() -> None:
    apps = [ApplicationProfile("a"), ApplicationProfile("b")]
    experts = [ExpertProfile("x"), ExpertProfile("y")]
    scores = np.array([[0.5, 0.0], [0.05, 0.2]])
    assert affinity_entries(apps, experts, scores, min_score=0.1) == [
        {"item": "a", "reviewer": "x", "score": 0.5},
        {"item": "b", "reviewer": "y", "score": 0.2},
    ]


class ReverseIdModel:
    """A stand-in matcher: proves the solver only depends on the AffinityModel protocol."""

    def score_matrix(
        self, applications: Sequence[ApplicationProfile], experts: Sequence[ExpertProfile]
    ) -> NDArray[np.float64]:
        return np.array(
            [[float(str(a.id) == str(e.id)[::-1]) for e in experts] for a in applications],
            dtype=np.float64,
        )


@pytest.mark.parametrize("model", [TfidfDomainAffinity(), ReverseIdModel()])
def test_affinity_model_output_drives_solver_to_matching_expert(model: AffinityModel) -> None:
    apps = [
        ApplicationProfile("ab", "Pile à combustible hydrogène pour poids lourds", {"hydrogène"}),
        ApplicationProfile("cd", "Vision par ordinateur pour le tri des déchets", {"IA"}),
    ]
    experts = [
        ExpertProfile("dc", "Computer vision, tri optique des déchets, deep learning", {"ia"}),
        ExpertProfile("ba", "Hydrogène, piles à combustible, mobilité lourde", {"Hydrogene"}),
    ]
    data = {
        "items": [{"id": a.id, "reviewers_needed": 1} for a in apps],
        "reviewers": [{"id": e.id, "max_load": 1} for e in experts],
        "affinity_matrix": model.score_matrix(apps, experts).tolist(),
    }
    result = assign(parse_problem(data))
    assert {(p.item, p.reviewer) for p in result.pairs} == {("ab", "ba"), ("cd", "dc")}
    assert result.total_score > 0


def test_matcher_affinity_keeps_the_solver_contract_and_explains_each_pair() -> None:
    applications = [
        ApplicationProfile(id=10, summary="Vaccins à ARN contre la grippe", domains=["Santé"]),
        ApplicationProfile(id=11, summary="Recyclage des batteries de voitures"),
    ]
    experts = [
        ExpertProfile(id="e1", competences="Batteries lithium-ion\nRecyclage des métaux"),
        ExpertProfile(id="e2", competences="Immunologie\nVaccins ARN", domains=["santé"]),
    ]
    model = MatcherAffinity(encoder=None)
    scores = model.score_matrix(applications, experts)
    assert scores.shape == (2, 2)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert scores[0].argmax() == 1 and scores[1].argmax() == 0
    why = model.explanations[(10, "e2")]
    assert set(why.terms) == {"vaccins", "arn"}
    assert why.domains == ("Santé",) and why.excerpt == "Vaccins ARN"
    assert model.model.startswith("bm25 (")
