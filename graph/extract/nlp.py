"""The spaCy pipeline: a blank English pipeline, a sentencizer, our gazetteer entity ruler and
the rule components (country roles, action codes, organisations, themes).

Entity labels: COUNTRY, DEMONYM and PLACE (``ent_id_`` = ISO 3166-1 alpha-3), ORG (``ent_id_`` =
the organisation's canonical name), EXPERT_AGENCY (``ent_id_`` = alpha-3 of the agency's country)
and BLOCK (a phrase that contains a country's name without meaning the country).
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from graph.extract.gazetteer import Gazetteer, load_gazetteer

LABELS = ("COUNTRY", "DEMONYM", "PLACE", "ORG", "EXPERT_AGENCY", "BLOCK")


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
    for canonical, names in gazetteer.organisations.items():
        for name in names:
            add("ORG", name, canonical)
    for name, alpha3 in gazetteer.expert_agencies.items():
        add("EXPERT_AGENCY", name, alpha3)
    for name, alpha3 in gazetteer.places.items():
        add("PLACE", name, alpha3)
    return patterns


MAX_SENTENCE_TOKENS = 120


@Language.component("socx_sentence_cap")
def sentence_cap(doc: Doc) -> Doc:
    """Cut runs of text with no sentence boundary into pieces of at most MAX_SENTENCE_TOKENS, so a
    page pasted as one line costs linear time and evidence stays a readable span."""
    run = 0
    for token in doc:
        if token.is_sent_start:
            run = 0
        elif run >= MAX_SENTENCE_TOKENS:
            token.is_sent_start = True
            run = 0
        run += 1
    return doc


@cache
def load_nlp() -> Language:
    """The shared pipeline (built once per process)."""
    nlp = spacy.blank("en")
    nlp.max_length = 20_000_000  # a description may be a whole page pasted on one line
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("socx_sentence_cap")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    ruler.add_patterns(gazetteer_patterns(load_gazetteer()))
    import graph.extract.rules  # noqa: F401 - registers the rule components
    import graph.extract.themes  # noqa: F401

    for name in ("socx_lemmas", "socx_country_roles", "socx_action_codes", "socx_organisations", "socx_themes"):
        nlp.add_pipe(name)
    return nlp
