"""Cooperating organisations (ILO, GIZ, the World Bank, an EU Delegation...) with their role:
funder, collaborator, programme or cooperating, by the words around them (``roles.toml``)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from graph.extract.doc_index import sentence_of
from graph.extract.findings import Finding, findings
from graph.extract.rules.vocabulary import roles


@Language.component("socx_organisations")
def organisations(doc: Doc) -> Doc:
    """Append an ``organisation`` finding per organisation the gazetteer found."""
    cues = roles().organisation_roles
    out = findings(doc)
    for ent in doc.ents:
        if ent.label_ != "ORG":
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
