"""The spaCy pipeline: a blank English pipeline, a sentencizer, our gazetteer entity ruler and
the rule components (country roles, action codes, organisations, themes).

Entity labels: COUNTRY, DEMONYM and PLACE (``ent_id_`` = ISO 3166-1 alpha-3), ORG (``ent_id_`` =
the organisation's canonical name), EXPERT_AGENCY (``ent_id_`` = alpha-3 of the agency's country)
and BLOCK (a phrase that contains a country's name without meaning the country).
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRuler
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


class GazetteerRuler(EntityRuler):
    """spaCy's entity ruler, without its per-document count of every pattern (to warn when there
    are none): with a gazetteer of a thousand names that count cost a tenth of the extraction."""

    def _require_patterns(self) -> None:
        if not (self.phrase_patterns or self.token_patterns):
            super()._require_patterns()


@Language.factory("socx_entity_ruler", default_config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
def make_gazetteer_ruler(nlp: Language, name: str, phrase_matcher_attr: str, overwrite_ents: bool) -> GazetteerRuler:
    return GazetteerRuler(nlp, name, phrase_matcher_attr=phrase_matcher_attr, overwrite_ents=overwrite_ents)


@cache
def load_nlp() -> Language:
    """The shared pipeline (built once per process)."""
    nlp = spacy.blank("en")
    nlp.max_length = 20_000_000  # a description may be a whole page pasted on one line
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("socx_sentence_cap")
    ruler = nlp.add_pipe("socx_entity_ruler", name="entity_ruler")
    ruler.add_patterns(gazetteer_patterns(load_gazetteer()))
    import graph.extract.rules  # noqa: F401 - registers the rule components
    import graph.extract.themes  # noqa: F401

    for name in ("socx_lemmas", "socx_country_roles", "socx_action_codes", "socx_organisations", "socx_themes"):
        nlp.add_pipe(name)
    return nlp
