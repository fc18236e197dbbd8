"""Sentences that date the action itself: "Action 2023-11 was implemented from May to November
2023", "the activities were carried out from October to December 2024", "a national conference
held in Nairobi from 20 to 23 March 2018". The action (its activities, its experts) stands before an
event verb, and a date follows the verb in the same sentence. Years of the partner's history or of
its documents never date the action: "established in 1986", "the 2015 law", "the 2024-2027
strategy", "since 2010". The words are in ``ontology/reference/dating.toml``."""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from graph.extract.findings import Finding, findings
from graph.vocab import Dating, load_dating

# a year that is no part of a range or code ("2024-2027", "2023-11", "2016/17")
_YEAR = re.compile(r"(?<![\d\-–/.])((?:19|20)\d{2})(?![\d]|\s*[-–/]\s*\d)")
_WORD = re.compile(r"[^\W\d_]+(?:\+)?")


def _alternatives(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?!\w)")


@cache
def _patterns() -> tuple[Dating, re.Pattern, re.Pattern]:
    dating = load_dating()
    return dating, _alternatives(dating.subjects), _alternatives(dating.verbs)


def dating_year(sentence: str, start: int, end: int) -> bool:
    """Whether the year at ``sentence[start:end]`` dates the action the sentence is about."""
    dating, subjects, verbs = _patterns()
    lowered = sentence.lower()
    verb = None
    for found in verbs.finditer(lowered, 0, start):
        if start - found.end() <= dating.max_distance:
            verb = found
    if verb is None or subjects.search(lowered, 0, verb.start()) is None:
        return False
    between = _WORD.findall(lowered[verb.end() : start])
    after = _WORD.findall(lowered[end : end + 20])[:1]
    if any(w in dating.background for w in between + after) or ";" in lowered[verb.end() : start]:
        return False
    if between and between[-1] in dating.before_year:
        return True
    return any(w in dating.months for w in between[-dating.months_window :])


@Language.component("socx_action_years")
def action_years(doc: Doc) -> Doc:
    """Append an ``action_year`` finding for each year a description sentence dates the action by."""
    if doc.user_data.get("field", "description") != "description" or not _YEAR.search(doc.text):
        return doc
    out = findings(doc)
    for sent in doc.sents:
        text = sent.text
        for match in _YEAR.finditer(text):
            if dating_year(text, match.start(), match.end()):
                start = sent.start_char + match.start()
                out.append(Finding("action_year", match.group(1), "dating-sentence", start, start + 4, text.strip()))
    return doc
