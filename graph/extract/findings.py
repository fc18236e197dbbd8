"""What the rule components leave on a spaCy Doc: :class:`Finding` objects in ``doc._.findings``.

A finding says what was found, by which rule, with which weight and where (the character span
in the doc's text and its sentence), so every fact keeps its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

if not Doc.has_extension("findings"):
    Doc.set_extension("findings", default=None)


@dataclass(frozen=True)
class Finding:
    """One piece of evidence in one text: kind, value, the rule, its weight and where it stands."""

    # expert_country, study_visit_country, partner_country_candidate, mention, action_code, related_action,
    # organisation, programme, theme_cue, theme_model, spelling
    kind: str
    value: str
    rule: str
    start: int  # character offsets of the evidence in the doc's text
    end: int
    sentence: str
    weight: float = 1.0
    detail: str = ""  # the link type of a related action, the role of an organisation, a theme's cue
    scores: tuple[float, ...] = ()  # a theme_model finding: the sentence's contribution to each label


def findings(doc: Doc) -> list[Finding]:
    """The findings of ``doc`` so far (a list the components append to)."""
    if doc._.findings is None:
        doc._.findings = []
    return doc._.findings
