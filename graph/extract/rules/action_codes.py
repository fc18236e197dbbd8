"""Action codes: the action's own code ("Action 2023-11 was implemented", "This action is coded
2023-38") and references to other actions ("Action 2022-21", "Follow-up from action 2014-04", "in
parallel to the action 2020-35") with how they relate. A year range such as "2024-2027" or a
strategy "2016-20" without the word action is no code."""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from graph.extract.findings import Finding, findings
from graph.extract.rules.vocabulary import roles

_CODE = re.compile(r"(?<![\d-])((?:19|20)\d{2})-(\d{2})(?![\d-])")


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@cache
def _own_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    vocab = roles()
    action = re.escape(vocab.action_word)
    return (
        re.compile(rf"\s*((the|this)\s+)?{action}\s*"),  # "Action 2023-11 was", "The action 2024-37 has"
        re.compile(rf"\s*({_alternatives(vocab.own_means)})\s+(this\s+)?{action}\s*"),  # "Through Action 2024-12,"
        re.compile(rf"\b({_alternatives(vocab.own_subjects)})\s+({_alternatives(vocab.own_nouns)})\b"),
    )


def is_own_code(before: str, after: str) -> bool:
    """ "Action 2023-11 was implemented", "This action is coded 2023-38", "registered as Action 2024-17"."""
    lowered = before.lower()
    named, means, subject_pattern = _own_patterns()
    if named.fullmatch(lowered) and re.match(r"\s*(,|\(|[a-z]+\b)", after.lower()):
        return True
    if means.fullmatch(lowered) and after.startswith(","):
        return True
    subject = subject_pattern.search(lowered)
    return subject is not None and any(
        re.search(rf"\b{re.escape(cue)}\b", lowered[subject.end() :]) for cue in roles().own_code
    )


@Language.component("socx_action_codes")
def action_codes(doc: Doc) -> Doc:
    """Append an ``action_code`` or ``related_action`` finding per code the text gives."""
    vocab = roles()
    out = findings(doc)
    text = doc.text
    previous: tuple[int, Finding] | None = None  # "(including 2017-17, 2015-24, and 2014-25)"
    for match in _CODE.finditer(text):
        if previous is not None and re.fullmatch(r"\s*(,|and|&|or|,\s*and)\s*", text[previous[0] : match.start()]):
            code = f"{match.group(1)}-{match.group(2)}"
            listed = previous[1]
            finding = Finding(
                listed.kind, code, listed.rule, match.start(), match.end(), listed.sentence, detail=listed.detail
            )
            out.append(finding)
            previous = (match.end(), finding)
            continue
        previous = None
        before_count = len(out)
        code = f"{match.group(1)}-{match.group(2)}"
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        sentence = span.sent if span is not None else doc[:]
        before = text[sentence.start_char : match.start()].lower()
        near = before[-40:]
        after = text[match.end() : sentence.end_char].lower()
        relation = next((name for name, cues in vocab.code_relations if any(c in before for c in cues)), None)
        says_action = vocab.action_word in near[-25:]
        cue_near = relation is not None and any(c in near for _, cues in vocab.code_relations for c in cues)
        if relation is None and is_own_code(text[sentence.start_char : match.start()], after):
            out.append(Finding("action_code", code, "own-code", match.start(), match.end(), sentence.text.strip()))
        elif relation and (says_action or cue_near):
            out.append(
                Finding(
                    "related_action",
                    code,
                    f"reference-{relation}",
                    match.start(),
                    match.end(),
                    sentence.text.strip(),
                    detail=relation,
                )
            )
        elif says_action:
            out.append(
                Finding(
                    "related_action",
                    code,
                    "reference-action",
                    match.start(),
                    match.end(),
                    sentence.text.strip(),
                    detail="related",
                )
            )
        if len(out) > before_count:
            previous = (match.end(), out[-1])
    return doc
