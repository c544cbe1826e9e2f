"""Text to index terms, in French and English: folding, stop words, Snowball stemming.

Every word is lowercased, stemmed by the French and the English Snowball stemmers
(PyStemmer), the shorter stem kept, and folded (accents removed): ``capteurs`` and
``Capteur`` meet on ``capteur``, ``sensors`` and ``sensor`` on ``sensor``, and a word
spelt alike in both languages (``batteries``, ``infections``) meets itself whatever the
language of the text around it (stemming by the text's language scored the same on the
benchmark but split such words). A text's language (by its French and English stop
words, English on a tie) is reported, and used when ``BOTH_STEMMERS`` is off. Stop
words of both languages and one-letter tokens (French elisions ``l'``, ``d'``) are dropped,
and so are numbers of one or two digits. Without PyStemmer a crude plural folding stands
in. A text is cut at :data:`MAX_CHARS` characters before it is tokenised.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

try:  # PyStemmer (C Snowball); optional so that a broken wheel degrades, never crashes
    import Stemmer as _stemmer_module
except ImportError:  # pragma: no cover - exercised only without the dependency
    _stemmer_module = None

MAX_CHARS = 100_000
BOTH_STEMMERS = True


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Written for this module; folded (no accents), as tokens are compared after folding.
STOP_WORDS_EN = _words(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either etc
    few for from further had has have having he her here hers him his how however i if in into
    is it its itself just may me might more most must my no nor not now of off on once only or
    other our ours out over own per same she should so some such than that the their theirs
    them then there these they this those through thus to too under until up upon us use used
    using very via was we were what when where which while who whom why will with within
    without would yet you your yours new based well
    """
)
STOP_WORDS_FR = _words(
    """
    a afin ai aie ainsi alors apres au aucun aupres aussi autre autres aux avait avant avec
    avoir ayant c ca car ce ceci cela celle celles celui ces cet cette ceux chaque chez ci comme
    comment d dans de des deja depuis donc dont du elle elles en encore entre est et etaient
    etait ete etre eu eux fait faire fois hors il ils j je l la le les leur leurs lors lui m ma
    mais me meme memes mes moi mon n ne ni non nos notre nous on ont ou outre par parmi pas
    peu peut peuvent plus pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa
    sans se selon ses si sien son sont sous sur t ta tandis te tes toi ton tous tout toute
    toutes tres tu un une unes uns vers via vos votre vous y nouveau nouvelle nouveaux
    """
)
STOP_WORDS = STOP_WORDS_EN | STOP_WORDS_FR
# Words that tell the language apart (those of both lists, such as "a", tell nothing).
_ONLY_EN = STOP_WORDS_EN - STOP_WORDS_FR
_ONLY_FR = STOP_WORDS_FR - STOP_WORDS_EN

_WORD = re.compile(r"[^\W_]+")
_SHORT_NUMBER = re.compile(r"\d{1,2}")


def fold(text: str) -> str:
    """Lowercase and strip accents (``Énergie`` -> ``energie``, ``Œuvre`` -> ``oeuvre``)."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def detect_language(words: list[str]) -> str:
    """``"fr"`` or ``"en"`` from the folded words' stop words; English on a tie."""
    fr = sum(1 for w in words if w in _ONLY_FR)
    en = sum(1 for w in words if w in _ONLY_EN)
    return "fr" if fr > en else "en"


def _crude_stem(word: str) -> str:
    if len(word) > 4 and word.endswith(("aux", "eux")):
        return word[:-1]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class _Stemmers(threading.local):
    """One Snowball stemmer per language and thread (a PyStemmer stemmer is not safe to
    share between threads), created on first use; PyStemmer caches words."""

    def __init__(self) -> None:
        self._by_language: dict[str, Any] = {}

    def stem(self, language: str, words: list[str]) -> list[str]:
        if _stemmer_module is None:
            return [_crude_stem(w) for w in words]
        stemmer = self._by_language.get(language)
        if stemmer is None:
            name = "french" if language == "fr" else "english"
            stemmer = self._by_language[language] = _stemmer_module.Stemmer(name)
        return list(stemmer.stemWords(words))


_STEMMERS = _Stemmers()


@dataclass(frozen=True, slots=True)
class Analysed:
    """A text's index terms (with repeats), its language and a readable word for each term."""

    terms: tuple[str, ...]
    language: str
    surface: dict[str, str]


def analyse(text: str) -> Analysed:
    """Index terms of ``text`` (see the module docstring); texts up to
    :data:`CACHED_CHARS` characters are remembered (the last :data:`CACHED_TEXTS`), so an
    index rebuilt over the same profiles in one process costs little."""
    if len(text) <= CACHED_CHARS:
        return _analyse_cached(text)
    return _analyse(text)


def _analyse(text: str) -> Analysed:
    raw = _WORD.findall(text[:MAX_CHARS].lower())
    folded = [fold(w) for w in raw]
    language = detect_language(folded)
    keep = [
        n
        for n, w in enumerate(folded)
        if len(w) > 1 and w not in STOP_WORDS and not _SHORT_NUMBER.fullmatch(w)
    ]
    words = [raw[n] for n in keep]
    if BOTH_STEMMERS:
        # One term per word whatever the text's language, so that a word written the same
        # in French and English ("batteries", "infections") meets itself across texts.
        french, english = _STEMMERS.stem("fr", words), _STEMMERS.stem("en", words)
        stems = [f if len(f) <= len(e) else e for f, e in zip(french, english, strict=True)]
    else:
        stems = _STEMMERS.stem(language, words)
    terms = tuple(fold(s) for s in stems)
    # The most frequent original word of each term, for explanations.
    seen: dict[str, Counter[str]] = {}
    for term, n in zip(terms, keep, strict=True):
        seen.setdefault(term, Counter())[raw[n]] += 1
    surface = {term: words.most_common(1)[0][0] for term, words in seen.items()}
    return Analysed(terms=terms, language=language, surface=surface)


_analyse_cached = functools.lru_cache(maxsize=20_000)(_analyse)
CACHED_CHARS = 5_000
CACHED_TEXTS = 20_000


def stemming_available() -> bool:
    return _stemmer_module is not None
