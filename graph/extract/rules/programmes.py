"""Cooperating programmes and initiatives named in a text: a known programme ("EUROsociAL+"), or
a name before or after a programme noun with a sign of cooperation near it ("the ILO programme
Vision Zero Fund", "the EU-funded project Employment Promotion in Rural Areas", "the GIZ-SKYE
project", "the ILO's Better Factories Cambodia programme", "the international training programme
“Productive Employment and Decent Work”, carried out by Arbetsförmedlingen"). Words and windows
are in ``ontology/reference/programmes.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from graph.extract.doc_index import ent_at, positions, sentence_of, sentence_span
from graph.extract.findings import Finding, findings
from graph.read.apostrophes import is_possessive
from graph.vocab import ontology_dir

_QUOTES = {"“": "”", '"': '"', "«": "»", "‘": "’"}
_COOPERATING = ("ORG", "EXPERT_AGENCY")


@dataclass(frozen=True)
class ProgrammeWords:
    known: dict[str, str]  # a name as written (case folded) -> canonical name
    nouns: frozenset[str]
    cues: re.Pattern
    window_before: int
    window_after: int
    joiners: frozenset[str]
    own_scheme_starts: frozenset[str]
    not_programmes: frozenset[str]


@cache
def programme_words() -> ProgrammeWords:
    """Read ``ontology/reference/programmes.toml``."""
    data = tomllib.loads((ontology_dir() / "reference" / "programmes.toml").read_text(encoding="utf-8"))
    rules = data["rules"]
    cues = "|".join(
        re.escape(c).replace(r"\ ", r"\s+") for c in sorted(rules["cooperation_cues"], key=len, reverse=True)
    )
    known = {name.casefold(): canonical for canonical, names in data["known"].items() for name in [canonical, *names]}
    return ProgrammeWords(
        known=known,
        nouns=frozenset(rules["nouns"]),
        cues=re.compile(rf"(?<![\w-])(?:{cues})(?![\w-])", re.IGNORECASE),
        window_before=int(rules["cue_window_before"]),
        window_after=int(rules["cue_window_after"]),
        joiners=frozenset(rules["name_joiners"]),
        own_scheme_starts=frozenset(rules["own_scheme_starts"]),
        not_programmes=frozenset(n.casefold() for n in rules["not_programmes"]),
    )


def _is_name_word(doc: Doc, i: int) -> bool:
    token = doc[i]
    if token.lower_ in programme_words().joiners or token.is_stop:  # "An ILO project", "The X programme"
        return False
    return token.is_title or token.is_upper or (token.text[:1].isupper() and not token.is_punct) or token.text == "+"


def _run_before(doc: Doc, noun: int, sent_start: int) -> tuple[int, int]:
    """The capitalised name just before the programme noun ("Better Factories Cambodia", "GIZ-SKYE",
    "PIMI II" before "’s"): (first token, end token); empty when there is none."""
    end = noun
    if end - 1 >= sent_start and is_possessive(doc[end - 1].text):
        end -= 1
    start = end
    while start - 1 >= sent_start:
        prev = doc[start - 1]
        if _is_name_word(doc, start - 1):
            start -= 1
        elif prev.text == "-" and start - 2 >= sent_start and _is_name_word(doc, start - 2) and not prev.whitespace_:
            start -= 1  # "GIZ-SKYE"
        else:
            break
    return start, end


def _run_after(doc: Doc, i: int, sent_end: int) -> tuple[int, int]:
    """A capitalised name or a quoted title starting at token ``i``: (first token, end token)."""
    words = programme_words()
    if i < sent_end and doc[i].text in _QUOTES:
        close = _QUOTES[doc[i].text]
        end = next((k for k in range(i + 1, min(sent_end, i + 30)) if doc[k].text == close), None)
        return (i + 1, end) if end is not None and end > i + 1 else (i, i)
    end = i
    while end < sent_end and (
        _is_name_word(doc, end)
        or (doc[end].lower_ in words.joiners and end + 1 < sent_end and _is_name_word(doc, end + 1) and end > i)
    ):
        end += 1
    return i, end


def _strip_organisations(doc: Doc, start: int, end: int) -> int:
    """Drop an organisation standing first in a name and apart from it: "GIZ Youmatch" -> "Youmatch"
    (but "GIZ-SKYE" stays whole)."""
    while start < end:
        ent = ent_at(doc, start)
        if ent is None or ent.label_ not in _COOPERATING or ent.end >= end or doc[ent.end].text == "-":
            break
        start = ent.end
        if start < end and is_possessive(doc[start].text):
            start += 1
    return start


def _has_cue(doc: Doc, start: int, end: int, sent: tuple[int, int]) -> str | None:
    """The sign of cooperation near a programme (an organisation, a funder's words), or None."""
    words = programme_words()
    lo, hi = max(sent[0], start - words.window_before), min(sent[1], end + words.window_after)
    for k in range(lo, hi):
        ent = ent_at(doc, k)
        if ent is not None and ent.label_ in _COOPERATING:
            return ent.text
    found = words.cues.search(doc[lo:hi].text)
    return found.group(0) if found else None


def _name(doc: Doc, start: int, end: int) -> str:
    return doc.text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1])].strip()


def _accept(name: str) -> str | None:
    """The programme's canonical name ("PAGE Uruguay Program" is PAGE's), or None for the partner's
    own scheme or the facility."""
    words = programme_words()
    folded = name.casefold()
    if not name or folded in words.not_programmes or folded.split()[0] in words.own_scheme_starts:
        return None
    return words.known.get(folded) or words.known.get(folded.split()[0]) or name


def _known(doc: Doc, matcher: PhraseMatcher, out: list[Finding]) -> set[int]:
    """Known programmes, wherever they stand (no cue needed); returns the tokens they take."""
    taken: set[int] = set()
    for match_id, start, end in matcher(doc):
        if any(k in taken for k in range(start, end)) or not doc[start].text[:1].isupper():
            continue
        if end < len(doc) and doc[end].is_title and doc[end].lower_ not in programme_words().nouns:
            continue  # part of a longer name
        span = doc[start:end]
        out.append(
            Finding(
                "programme",
                doc.vocab.strings[match_id],
                "programme-known",
                span.start_char,
                span.end_char,
                sentence_of(span),
            )
        )
        taken.update(range(start, end))
    return taken


def _named(doc: Doc, seen: set[int], out: list[Finding]) -> None:
    """Names before or after a programme noun, with a sign of cooperation near them."""
    words = programme_words()
    for i in positions(doc, words.nouns):
        token = doc[i]
        if i in seen:
            continue
        sent = sentence_span(doc, i)
        start, end = _run_before(doc, i, sent[0])
        start = _strip_organisations(doc, start, end)
        if start < end and token.is_title:
            end = i + 1  # "the YouMatch Global Initiative": the noun is part of the name
        only_organisations = all(ent_at(doc, k) is not None or doc[k].is_punct for k in range(start, end))
        if start >= end or only_organisations:
            start, end = _run_after(doc, i + 1, sent[1])
            quote = next((k for k in range(i + 1, min(sent[1], i + 5)) if doc[k].text in _QUOTES), None)
            if start >= end and quote is not None:  # "the DEVCO-ILO project with NASSCO “Strengthening ...”"
                start, end = _run_after(doc, quote, sent[1])
        if start >= end or any(k in seen for k in range(start, end)):
            continue
        cue = _has_cue(doc, min(start, i), max(end, i + 1), sent)
        name = _accept(_name(doc, start, end)) if cue else None
        if not cue or name is None:
            continue
        seen.update(range(start, end))
        span = doc[start:end]
        out.append(
            Finding("programme", name, "programme-named", span.start_char, span.end_char, sentence_of(span), detail=cue)
        )


@Language.factory("socx_programmes")
def make_programmes(nlp: Language, name: str):
    """Append a ``programme`` finding (value: the name, detail: the sign of cooperation) per programme."""
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for written, canonical in programme_words().known.items():
        if canonical.casefold() not in programme_words().not_programmes:
            matcher.add(canonical, [nlp.make_doc(written)])

    def programmes(doc: Doc) -> Doc:
        out = findings(doc)
        _named(doc, _known(doc, matcher, out), out)
        return doc

    return programmes
