"""Types of assistance: map the text of a type line to the concepts of ``ontology/assistance-types.ttl``.

A type line may hold several types separated by commas or only by spaces, a code prefix
("A.02 Institutional capacity building"), a type cut short at the end of the line, or a string
the scheme does not know; unknown strings are kept, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.vocab import Concept, load_scheme

_TOKEN = re.compile(r"\w+|[^\w\s]")
# Two types glued where a page dropped the comma and the space: "Policy developmentInstitutional ..."
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_CODE_PREFIX = re.compile(r"^\s*([A-Z]{1,2}\.\d{1,3}(?:\.\d{1,3})?)\s+(?=\S)")
# Tokens that separate two types on one line when no label starts at them.
_SEPARATORS = {",", ";", "|", "/", "+", "and", "&", "-", "–", "·", "•"}
# A label cut short must keep at least this many characters to be recognised.
_MIN_TRUNCATED_CHARS = 8


def _norm_token(token: str) -> str:
    token = token.casefold()
    if token == "and":
        return "&"
    if token.startswith("organiz"):
        return "organis" + token[len("organiz") :]
    return token


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Normalised tokens with their character spans; full stops are dropped ("etc." = "etc")."""
    return [(_norm_token(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text) if m.group() != "."]


@dataclass
class TypeMatch:
    """What a type line says: the concepts, the strings left unknown, and what was irregular."""

    concepts: list[str] = field(default_factory=list)  # concept IRIs, in the order of the line
    unknown: list[str] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)  # the cut-short strings that were recognised
    code: str | None = None

    @property
    def fully_known(self) -> bool:
        return bool(self.concepts) and not self.unknown


class AssistanceTypeMatcher:
    """Longest-match segmentation of a type line against the labels of a SKOS scheme."""

    def __init__(self, concepts: tuple[Concept, ...]) -> None:
        self._labels: list[tuple[tuple[str, ...], str]] = []
        for concept in concepts:
            for label in concept.labels:
                toks = tuple(t for t, _, _ in _tokens(label))
                if toks:
                    self._labels.append((toks, concept.iri))
        self._labels.sort(key=lambda item: (-len(item[0]), item[0]))
        self.pref_labels = {c.iri: c.pref_label for c in concepts}
        self._seen: dict[str, TypeMatch] = {}

    @classmethod
    def default(cls) -> AssistanceTypeMatcher:
        return cls(load_scheme("assistance-types.ttl"))

    def _full_match(self, toks: list[str], i: int) -> tuple[int, str] | None:
        for label, iri in self._labels:  # longest first
            if tuple(toks[i : i + len(label)]) == label:
                return len(label), iri
        return None

    def _truncated_match(self, toks: list[str], i: int) -> str | None:
        """A label of which the rest of the line is a prefix cut inside or after a word."""
        rest = toks[i:]
        if not rest or sum(len(t) for t in rest) < _MIN_TRUNCATED_CHARS:
            return None
        found = set()
        for label, iri in self._labels:
            if len(label) < len(rest) or label == tuple(rest):
                continue  # too short, or a full match rather than a cut one
            if label[: len(rest) - 1] == tuple(rest[:-1]) and label[len(rest) - 1].startswith(rest[-1]):
                found.add(iri)
        return found.pop() if len(found) == 1 else None

    def match(self, text: str) -> TypeMatch:
        """Segment ``text`` into known concepts and unknown strings (the same few lines recur on
        every page: each is segmented once)."""
        known = self._seen.get(text)
        if known is None:
            known = self._segment(text)
            if known.unknown and _GLUED.search(text):
                unglued = self._segment(_GLUED.sub(", ", text))
                if len(unglued.unknown) < len(known.unknown):
                    known = unglued
            self._seen[text] = known
        return TypeMatch(list(known.concepts), list(known.unknown), list(known.truncated), known.code)

    def _segment(self, text: str) -> TypeMatch:
        result = TypeMatch()
        code = _CODE_PREFIX.match(text)
        if code:
            result.code = code.group(1)
            text = text[code.end() :]
        spans = _tokens(text)
        toks = [t for t, _, _ in spans]
        i, unknown_start = 0, None

        def close_unknown(end: int) -> None:
            nonlocal unknown_start
            if unknown_start is not None:
                piece = text[spans[unknown_start][1] : spans[end - 1][2]].strip(" ,;|/+-–")
                if piece:
                    result.unknown.append(piece)
                unknown_start = None

        while i < len(toks):
            full = self._full_match(toks, i)
            truncated = self._truncated_match(toks, i)
            if truncated and (full is None or full[0] < len(toks) - i):
                close_unknown(i)
                result.concepts.append(truncated)
                result.truncated.append(text[spans[i][1] :].strip())
                break
            if full:
                close_unknown(i)
                result.concepts.append(full[1])
                i += full[0]
                continue
            if unknown_start is None and toks[i] in _SEPARATORS:
                i += 1
                continue
            if unknown_start is None:
                unknown_start = i
            i += 1
        close_unknown(len(toks))
        # one concept once, in first-seen order
        result.concepts = list(dict.fromkeys(result.concepts))
        return result
