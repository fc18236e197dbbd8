"""The spaCy pipeline: a blank English pipeline, a sentencizer, our gazetteer entity ruler and
the rule components (country roles, action codes, organisations, themes).

The gazetteer runs in spaCy's ``SpanRuler`` writing ``doc.ents`` (longest match first, as the
``EntityRuler`` does): its per-document check that it has patterns costs nothing, where the
``EntityRuler`` counted its thousands of patterns on every document.

Entity labels: COUNTRY, DEMONYM and PLACE (``ent_id_`` = ISO 3166-1 alpha-3), SHARED_PLACE (a
city name several countries share; ``ent_id_`` = their alpha-3 codes joined by ``|``), ORG
(``ent_id_`` = the organisation's canonical name), EXPERT_AGENCY (``ent_id_`` = alpha-3 of the
agency's country) and BLOCK (a phrase that contains a country's name without meaning the country).
"""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex

from graph.extract.gazetteer import Gazetteer, load_gazetteer
from graph.read.apostrophes import apostrophe_marks

LABELS = ("COUNTRY", "DEMONYM", "PLACE", "SHARED_PLACE", "ORG", "EXPERT_AGENCY", "BLOCK")


def gazetteer_patterns(gazetteer: Gazetteer) -> list[dict]:
    """EntityRuler phrase patterns for every name the gazetteer holds."""
    patterns: list[dict] = []
    seen: set[str] = set()

    def add(label: str, text: str, ident: str) -> None:
        if text and text not in seen:
            seen.add(text)
            patterns.append({"label": label, "pattern": text, "id": ident})

    for phrase in gazetteer.blocked:
        add("BLOCK", phrase, "BLOCK")
    for country in gazetteer.countries.values():
        for name in country.names:
            add("COUNTRY", name, country.alpha3)
    for country in gazetteer.countries.values():
        for demonym in country.demonyms:
            add("DEMONYM", demonym, country.alpha3)
    for country in gazetteer.countries.values():  # the people: "Guatemalans", "Pakistanis"
        for demonym in country.demonyms:
            if demonym.endswith(("an", "i")):
                add("DEMONYM", demonym + "s", country.alpha3)
    for canonical, names in gazetteer.organisations.items():
        for name in names:
            add("ORG", name, canonical)
    for name, alpha3 in gazetteer.expert_agencies.items():
        add("EXPERT_AGENCY", name, alpha3)
    for name, alpha3 in gazetteer.places.items():
        add("PLACE", name, alpha3)
    for name, owners in gazetteer.shared_places.items():
        add("SHARED_PLACE", name, "|".join(owners))
    return patterns


MAX_SENTENCE_TOKENS = 120


@Language.component("socx_sentence_cap")
def sentence_cap(doc: Doc) -> Doc:
    """Cut runs of text with no sentence boundary into pieces of at most MAX_SENTENCE_TOKENS, so a
    page pasted as one line costs linear time and evidence stays a readable span."""
    if len(doc) <= MAX_SENTENCE_TOKENS:
        return doc
    run, cuts = 0, []
    for i, start in enumerate(doc.to_array(SENT_START).tolist()):  # arrays, not Token objects
        if i == 0 or start == 1:
            run = 0
        elif run >= MAX_SENTENCE_TOKENS:
            cuts.append(i)
            run = 0
        run += 1
    for i in cuts:
        doc[i].is_sent_start = True
    return doc


def _split_possessives(nlp: Language) -> None:
    """Split every apostrophe mark + "s" off its word ("Kenya‘s", "Kenya`s" as well as "Kenya’s"),
    so that the country's name is a token of its own whichever mark the page used."""
    extra = [rf"(?<=\w){re.escape(mark)}[sS]" for mark in apostrophe_marks()]
    tokenizer, suffixes = nlp.tokenizer, nlp.Defaults.suffixes
    assert isinstance(tokenizer, Tokenizer) and suffixes is not None, "a blank English pipeline has both"
    tokenizer.suffix_search = compile_suffix_regex([*suffixes, *extra]).search


def load_nlp() -> Language:
    """The shared pipeline (built once per process, and again when another theme model is chosen:
    :func:`graph.extract.theme_model.use_model`)."""
    from graph.extract.theme_model import active_choice

    return _load_nlp(active_choice())


@cache
def _load_nlp(choice: tuple[str, str]) -> Language:
    import graph.extract.theme_model  # noqa: F401 - registers the learned theme model's component
    import graph.extract.themes  # noqa: F401 - registers the lemma and theme components
    from graph.extract import rules

    nlp = spacy.blank("en")
    nlp.max_length = 20_000_000  # a description may be a whole page pasted on one line
    _split_possessives(nlp)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("socx_sentence_cap")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="entity_ruler",
        config={"spans_key": None, "annotate_ents": True, "overwrite": True, "phrase_matcher_attr": "ORTH"},
    )
    assert isinstance(ruler, SpanRuler)
    ruler.add_patterns(gazetteer_patterns(load_gazetteer()))
    rules.register()
    for name in ("socx_lemmas", *rules.COMPONENTS, "socx_themes", "socx_theme_model"):
        nlp.add_pipe(name)
    return nlp
