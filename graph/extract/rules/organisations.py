"""Cooperating organisations (ILO, GIZ, the World Bank, an EU Delegation...) with their role:
funder, collaborator, programme or cooperating, by the words around them (``roles.toml``)."""

from __future__ import annotations

import re
import tomllib
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from graph.extract.doc_index import ent_at, sentence_of
from graph.extract.findings import Finding, findings
from graph.extract.rules.vocabulary import roles
from graph.vocab import ontology_dir

_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z][A-Za-z]*$")
_JOINERS = ("of", "for", "and", "the", "on", "in", "&", "-")


@cache
def _defining_words() -> tuple[frozenset[str], tuple[str, ...]]:
    data = tomllib.loads((ontology_dir() / "reference" / "organisations.toml").read_text(encoding="utf-8"))
    return frozenset(data["defined"]["heads"]), tuple(data["defined"]["regional"])


def defined_bodies(doc: Doc) -> list[tuple[int, int, str]]:
    """Regional and international bodies the gazetteer lacks, named with the acronym the text gives
    them: "the Eurasian Economic Union (EAEU)" -> (first token, end of the bracket, "EAEU")."""
    heads, regional = _defining_words()
    found = []
    for i, token in enumerate(doc):
        if token.text != "(" or i == 0 or i + 2 >= len(doc) or doc[i + 2].text != ")":
            continue
        acronym = doc[i + 1].text
        if not _ACRONYM.match(acronym) or len(acronym) < 3:
            continue
        start = i
        while start > token.sent.start and (
            doc[start - 1].text[:1].isupper() or (doc[start - 1].lower_ in _JOINERS and start - 1 > token.sent.start)
        ):
            start -= 1
        while start < i and doc[start].lower_ in _JOINERS:
            start += 1
        words = [t.text for t in doc[start:i]]
        name = doc[start:i].text
        if len(words) < 2 or not heads & set(words):
            continue
        known = any(ent.label_ == "ORG" and start <= ent.start and ent.end <= i for ent in doc.ents)
        if known or any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", name) for word in regional):
            found.append((start, i + 3, acronym))
    return found


@cache
def _short_acronyms() -> frozenset[str]:
    """The bodies of the gazetteer known by an acronym too short to read anywhere ("IFC", "SPC"):
    read only beside another organisation."""
    from graph.extract.gazetteer import load_gazetteer

    return frozenset(
        name for name, names in load_gazetteer().organisations.items()
        if name.isalpha() and name.isupper() and len(name) >= 3 and name not in names
    )


def _listed_short_acronyms(doc: Doc) -> list[tuple[int, str]]:
    """ "run by the ILO and IFC", "IFC, the World Bank and UNDP": a short acronym of a known body
    listed with an organisation the gazetteer found."""
    found = []
    short = _short_acronyms()
    for token in doc:
        if token.text not in short or ent_at(doc, token.i) is not None:
            continue
        for step in (-1, 1):
            k = token.i + step
            while 0 <= k < len(doc) and doc[k].lower_ in ("and", "or", ",", "the"):
                k += step
            near = ent_at(doc, k) if 0 <= k < len(doc) and abs(k - token.i) > 1 else None
            if near is not None and near.label_ == "ORG":
                found.append((token.i, token.text))
                break
    return found


@Language.component("socx_organisations")
def organisations(doc: Doc) -> Doc:
    """Append an ``organisation`` finding per organisation the gazetteer found."""
    cues = roles().organisation_roles
    out = findings(doc)
    inside: set[int] = set()
    for start, end, acronym in defined_bodies(doc):
        span = doc[start:end]
        if any(ent.label_ == "ORG" and ent.ent_id_ == acronym and start <= ent.start < end for ent in doc.ents):
            continue  # a body the gazetteer knows by that acronym: read below
        inside.update(range(start, end))
        out.append(
            Finding(
                "organisation", acronym, "organisation-defined", span.start_char, span.end_char, sentence_of(span),
                detail="cooperating",
            )
        )
    for i, acronym in _listed_short_acronyms(doc):
        span = doc[i : i + 1]
        out.append(
            Finding(
                "organisation", acronym, "organisation-beside-known", span.start_char, span.end_char,
                sentence_of(span), detail="cooperating",
            )
        )
    for ent in doc.ents:
        if ent.label_ != "ORG" or ent.start in inside:
            continue
        before = doc[max(ent.sent.start, ent.start - 6) : ent.start].text.lower()
        after = doc[ent.end : min(ent.sent.end, ent.end + 4)].text.lower()
        role = next((name for name, words in cues if any(c in before for c in words)), None)
        role = role or next((name for name, words in cues if any(c in after for c in words)), "cooperating")
        out.append(
            Finding(
                "organisation",
                ent.ent_id_,
                "organisation-gazetteer",
                ent.start_char,
                ent.end_char,
                sentence_of(ent),
                detail=role,
            )
        )
    return doc
