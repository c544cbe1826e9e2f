"""The matcher orders clear cases right, in French, English and both, and explains why."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from clusterdesk.solvers.matching import (
    Document,
    EmbeddingCache,
    Matcher,
    MatchingInputError,
    Profile,
    Settings,
    rank,
)
from clusterdesk.solvers.matching.encoders import Kind
from clusterdesk.solvers.matching.text import analyse

PROFILES = [
    Profile(
        id="bio",
        texts=[
            "Biocapteurs pour le diagnostic rapide des infections bactériennes à l'hôpital",
            "Microfluidic devices for in vitro diagnostics",
        ],
        domains=["Santé"],
    ),
    Profile(
        id="energy",
        texts=[
            "Recyclage des batteries lithium-ion et stockage de l'énergie",
            "Hydrogen fuel cells for heavy vehicles",
        ],
        domains=["Énergie"],
    ),
    Profile(id="food", texts=["Fermentation and plant-based proteins for the food industry"]),
]


class Failing:
    """A third-party model that breaks at run time."""

    name = "failing"

    def encode(self, texts: Sequence[str], kind: Kind) -> NDArray[np.float32]:
        raise RuntimeError("model file truncated")


def best(scores: list, document: str) -> str:
    return next(s.profile for s in scores if s.document == document)


def test_stemming_meets_plural_and_accents_in_each_language() -> None:
    assert analyse("Les capteurs").terms == analyse("un Capteur").terms == ("capteur",)
    assert analyse("the sensors").terms == analyse("a sensor").terms == ("sensor",)
    assert analyse("Les batteries").terms == analyse("lithium batteries").terms[1:]
    assert analyse("Réseaux d'énergie").language == "fr"
    assert analyse("energy networks of the region").language == "en"


def test_lexical_ranking_puts_the_obvious_profile_first() -> None:
    documents = [
        Document(id="d1", text="Nouveaux biocapteurs pour les infections à l'hôpital"),
        Document(id="d2", text="Second life of lithium-ion batteries and energy storage"),
    ]
    scores, model = rank(documents, PROFILES, encoder=None)
    assert best(scores, "d1") == "bio"
    assert best(scores, "d2") == "energy"
    assert model.startswith("bm25 (")
    top = scores[0]
    # top-2 mean: its first text is the document's best (1), its second shares nothing (0)
    assert top.score == 0.5
    assert "biocapteurs" in top.why.terms and "infections" in top.why.terms
    assert top.why.best_text == 0


@pytest.mark.parametrize("encoder", ["e5-small", "use-m3"])
def test_embeddings_match_across_french_and_english(encoder: str) -> None:
    # No word in common with the profile that should win: only the meaning links them.
    documents = [
        Document(id="fr", text="Piles à combustible pour camions"),
        Document(id="en", text="Yeast fermentation of vegetable protein"),
    ]
    scores, model = rank(documents, PROFILES, encoder=encoder)
    assert model.startswith("bm25+")
    assert best(scores, "fr") == "energy"
    assert best(scores, "en") == "food"


def test_top_k_pairs_and_domains() -> None:
    documents = [
        Document(id="d1", text="Diagnostic des infections", domains=["santé", "Numérique"]),
        Document(id="d2", text="Batteries"),
    ]
    settings = Settings(domain_weight=0.3)
    scores, _ = rank(documents, PROFILES, top_k=1, encoder=None, settings=settings)
    assert [(s.document, s.profile) for s in scores] == [("d1", "bio"), ("d2", "energy")]
    assert scores[0].why.domains == ("santé",)
    scores, _ = rank(documents, PROFILES, pairs=[("food", "d1")], encoder=None)
    assert [(s.profile, s.document) for s in scores] == [("food", "d1")]


def test_aggregation_top_k_mean_rewards_several_matching_texts() -> None:
    profiles = [
        Profile(id="one", texts=["robotique agricole", "comptabilité", "droit social"]),
        Profile(id="two", texts=["robotique agricole", "robots de désherbage agricole"]),
    ]
    doc = Document(id="d", text="robotique agricole et désherbage")
    by_max = Matcher(profiles, encoder=None, settings=Settings(aggregation="max")).score(doc)
    by_top2 = Matcher(profiles, encoder=None, settings=Settings(aggregation="top2")).score(doc)
    assert by_max[0].score == by_max[1].score or by_max[0].profile == "two"
    assert [s.profile for s in by_top2] == ["two", "one"]
    assert by_top2[0].score > by_top2[1].score


def test_bad_input_is_refused_or_scored_never_a_crash() -> None:
    long_text = "capteur biologique " * 6_000  # ~110,000 characters
    documents = [Document(id="empty", text=""), Document(id="long", text=long_text)]
    profiles = [*PROFILES, Profile(id="blank", texts=["", "   "]), Profile(id="none", texts=[])]
    scores, _ = rank(documents, profiles, encoder=None)
    assert {s.score for s in scores if s.document == "empty"} == {0.0}
    assert best(scores, "long") == "bio"
    assert all(0.0 <= s.score <= 1.0 for s in scores)
    with pytest.raises(MatchingInputError, match=r"pairs\[0\]: unknown profile 'nobody'"):
        rank(documents, profiles, pairs=[("nobody", "empty")], encoder=None)
    with pytest.raises(MatchingInputError, match="profiles: duplicate id 'bio'"):
        Matcher([PROFILES[0], PROFILES[0]], encoder=None)
    with pytest.raises(MatchingInputError, match="aggregation"):
        Settings(aggregation="median")


def test_a_failing_or_unknown_encoder_falls_back_to_lexical() -> None:
    doc = Document(id="d", text="biocapteurs et infections")
    matcher = Matcher(PROFILES, encoder=Failing(), cache=EmbeddingCache())
    assert matcher.score(doc)[0].profile == "bio"
    assert "lexical only: encoder failed (RuntimeError: model file truncated)" in matcher.model
    matcher = Matcher(PROFILES, encoder="no-such-model")
    assert matcher.score(doc)[0].profile == "bio"
    assert "unknown encoder 'no-such-model'" in matcher.model
