"""The country-roles component: expert and study-visit countries first, then every country left
is evidence of the partner country. The field the text comes from (title, partner line,
description) is in ``doc.user_data["field"]``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from graph.extract.findings import findings
from graph.extract.rules.expert_countries import (
    announced_origins,
    demonym_experts,
    demonym_persons,
    expert_from,
    expert_roster,
)
from graph.extract.rules.partner_country import partner_candidates, town_candidates
from graph.extract.rules.study_visits import study_visits


@Language.component("socx_country_roles")
def country_roles(doc: Doc) -> Doc:
    """Expert, study-visit and partner-country evidence, each country span in one role only."""
    out = findings(doc)
    used = expert_from(doc, out) | expert_roster(doc, out) | demonym_experts(doc, out) | study_visits(doc, out)
    used |= demonym_persons(doc, out, used)
    used |= announced_origins(doc, out, used)
    for ent in doc.ents:
        if ent.label_ == "BLOCK":
            used.update(range(ent.start, ent.end))
    field = doc.user_data.get("field", "description")
    partner_candidates(doc, used, field, out)
    town_candidates(doc, used, field, out)
    return doc
