"""Themes: match the phrases of ``ontology/themes.ttl`` on lemmas (case and plurals folded)."""

from __future__ import annotations

import re
from functools import cache

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from graph.extract.doc_index import sentence_of
from graph.extract.findings import Finding, findings
from graph.vocab import load_scheme

_IRREGULAR = {"children": "child", "women": "woman", "people": "person", "persons": "person", "men": "man"}
_KEEP = re.compile(r"(ss|us|is|ics|ous|ies)$")


def simple_lemma(word: str) -> str:
    """Lower case and singular: "Pensions" -> "pension", "disabilities" -> "disability"."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if len(lower) > 4 and lower.endswith("ies"):
        return lower[:-3] + "y"
    if len(lower) > 3 and lower.endswith("s") and not _KEEP.search(lower) and lower.isalpha():
        return lower[:-1]
    return lower


_LEMMAS: dict[int, int] = {}  # lower-case form → lemma, as string-store hashes


@Language.component("socx_lemmas")
def lemmas(doc: Doc) -> Doc:
    """A light lemmatiser: no lookup tables are downloaded, plurals and case are folded by rule.
    Works on the token arrays (each word's lemma computed once per process), not Token objects."""
    if not len(doc):
        return doc
    strings = doc.vocab.strings
    lemmas = []
    for lower in doc.to_array(LOWER).tolist():
        lemma = _LEMMAS.get(lower)
        if lemma is None or lemma not in strings:
            lemma = _LEMMAS[lower] = strings.add(simple_lemma(strings[lower]))
        lemmas.append(lemma)
    doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
    return doc


@cache
def _matcher(nlp: Language) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    for concept in load_scheme("themes.ttl"):
        # a one-word prefLabel ("Labour", "Employment") names the area, it is no evidence of it: every
        # "Ministry of Labour" would match; the scheme's other labels are the phrases that are
        labels = [label for label in concept.labels if label != concept.pref_label or " " in label]
        patterns = [lemmas(nlp.make_doc(label)) for label in labels]
        matcher.add(concept.iri, patterns)
    return matcher


def make_theme_matcher(nlp: Language):
    matcher = _matcher(nlp)

    def theme_matcher(doc: Doc) -> Doc:
        out = findings(doc)
        seen = set()
        for match_id, start, end in matcher(doc):
            iri = nlp.vocab.strings[match_id]
            if iri in seen:
                continue
            seen.add(iri)
            span = doc[start:end]
            out.append(
                Finding(
                    "theme",
                    iri,
                    "theme-phrase",
                    span.start_char,
                    span.end_char,
                    sentence_of(span),
                    detail=span.text,
                )
            )
        return doc

    return theme_matcher


@Language.factory("socx_themes")
def themes_factory(nlp: Language, name: str):
    return make_theme_matcher(nlp)
