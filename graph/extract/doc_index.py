"""Per-document indexes the rule components share, each computed once per Doc.

The rules look words, entities and sentences up by position instead of walking every token:
spaCy ``Token`` objects and ``span.sent`` are costly to make on texts of thousands of tokens.
The indexes live in ``doc.user_data``; entities do not change once the entity ruler has run.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import LOWER, SENT_START
from spacy.tokens import Doc, Span, Token


def lowers(doc: Doc) -> list[str]:
    """The lower-case form of every token, with the spelling component's corrections ("eexperts"
    read as "experts") in ``doc.user_data["socx_corrections"]``."""
    cached = doc.user_data.get("socx_lowers")
    if cached is None:
        strings = doc.vocab.strings
        cached = [strings[int(h)] for h in doc.to_array(LOWER)] if len(doc) else []
        for i, word in doc.user_data.get("socx_corrections", {}).items():
            cached[i] = word
        doc.user_data["socx_lowers"] = cached
    return cached


def positions(doc: Doc, words: frozenset[str] | set[str]) -> list[int]:
    """Positions of the tokens whose lower-case form is one of ``words``."""
    return [i for i, w in enumerate(lowers(doc)) if w in words]


def _ent_index(doc: Doc) -> tuple[dict[int, Span], dict[int, Span]]:
    index = doc.user_data.get("socx_ents")
    if index is None:
        ents = doc.ents
        index = ({e.start: e for e in ents}, {e.end - 1: e for e in ents})
        doc.user_data["socx_ents"] = index
    return index


def ent_at(doc: Doc, i: int) -> Span | None:
    """The entity that starts at token ``i``, if any."""
    return _ent_index(doc)[0].get(i)


def ent_ending_at(doc: Doc, i: int) -> Span | None:
    """The entity whose last token is ``i``, if any."""
    return _ent_index(doc)[1].get(i)


def _sentence_bounds(doc: Doc) -> tuple[str, list[int], list[int]]:
    bounds = doc.user_data.get("socx_sents")
    if bounds is None:
        text = doc.text  # made by joining every token: once
        starts = [i for i, v in enumerate(doc.to_array(SENT_START).tolist()) if i == 0 or v == 1]
        bounds = doc.user_data["socx_sents"] = (text, starts, [doc[i].idx for i in starts] + [len(text)])
    return bounds


def sentence_span(doc: Doc, i: int) -> tuple[int, int]:
    """The (start, end) token positions of the sentence token ``i`` stands in (no Span made)."""
    _, starts, _ = _sentence_bounds(doc)
    k = bisect_right(starts, i)
    return starts[k - 1], starts[k] if k < len(starts) else len(doc)


def sentences(doc: Doc) -> list[tuple[int, int, int, int, str]]:
    """Every sentence of the doc: (first token, end token, first character, end character, text),
    the text stripped and the characters those of the stripped text (no Span or Token made)."""
    text, starts, chars = _sentence_bounds(doc)
    found = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(doc)
        raw = text[chars[k] : chars[k + 1]]
        stripped = raw.strip()
        first = chars[k] + (len(raw) - len(raw.lstrip()))
        found.append((start, end, first, first + len(stripped), stripped))
    return found


def sentence_of(span: Span | Token) -> str:
    """The text of the sentence ``span`` starts in, stripped: what ``span.sent.text.strip()`` gives,
    from sentence bounds found once per doc (``.sent`` walks the tokens on every call)."""
    doc = span.doc
    text, starts, chars = _sentence_bounds(doc)
    k = bisect_right(starts, span.i if isinstance(span, Token) else span.start)  # spaCy: the first token's
    return text[chars[k - 1] : chars[k]].strip()
