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


@cache
def load_nlp() -> Language:
    """The shared pipeline (built once per process)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    ruler.add_patterns(gazetteer_patterns(load_gazetteer()))
    import graph.extract.rules  # noqa: F401 - registers the rule components
    import graph.extract.themes  # noqa: F401

    for name in ("socx_lemmas", "socx_country_roles", "socx_action_codes", "socx_organisations", "socx_themes"):
        nlp.add_pipe(name)
    return nlp
