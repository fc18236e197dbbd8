"""Names misspelt by a letter or two: a capitalised word that no gazetteer name matches is read as
the one country (or demonym) within a small edit distance ("Irland": Ireland), and an expert noun
with a doubled letter ("EExperts") as the noun; each reading is a ``spelling`` finding, reported as
an anomaly that names both spellings. Thresholds are in ``roles.toml`` (``[spelling]``)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache

from spacy.attrs import IS_ALPHA, IS_TITLE, LENGTH, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span

from graph.extract.doc_index import sentence_of
from graph.extract.findings import Finding, findings
from graph.extract.gazetteer import load_gazetteer
from graph.extract.rules.vocabulary import roles
from graph.vocab import ontology_dir


@dataclass(frozen=True)
class Spelling:
    min_length: int
    max_edits: int
    long_length: int
    long_max_edits: int
    slot_words: frozenset[str]
    not_countries: frozenset[str]  # folded: names of peoples, languages and places, never a misspelt country
    names: dict[str, tuple[str, str, str]]  # folded name -> (label, alpha-3, name as the gazetteer has it)
    deletions: dict[str, set[str]]  # a folded name with a letter or two left out -> folded names
    expert_nouns: dict[str, str]  # noun with doubled letters undone -> noun


def fold(word: str) -> str:
    """Lower case, no accents: "Côte" -> "cote"."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().casefold()


_DOUBLED = re.compile(r"(.)\1+")


def _undouble(word: str) -> str:
    return _DOUBLED.sub(r"\1", word)


def _deletions(word: str, depth: int) -> set[str]:
    found, frontier = set(), {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance with a swap of two neighbouring letters counting as one edit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


@cache
def spelling() -> Spelling:
    """The one-word country names and demonyms, indexed for near matches (built once per process)."""
    data = tomllib.loads((ontology_dir() / "reference" / "roles.toml").read_text(encoding="utf-8"))["spelling"]
    gazetteer = load_gazetteer()
    owners: dict[str, set[tuple[str, str, str]]] = {}
    for country in gazetteer.countries.values():
        for label, words in (("COUNTRY", country.names), ("DEMONYM", country.demonyms)):
            for word in words:
                if " " not in word and word.isalpha():
                    owners.setdefault(fold(word), set()).add((label, country.alpha3, word))
    names = {key: min(found) for key, found in owners.items() if len({a for _, a, _ in found}) == 1}
    long_length, depth = int(data["long_length"]), max(int(data["max_edits"]), int(data["long_max_edits"]))
    deletions: dict[str, set[str]] = {}
    for key in names:
        for variant in {key} | _deletions(key, depth if len(key) >= long_length else int(data["max_edits"])):
            deletions.setdefault(variant, set()).add(key)
    return Spelling(
        min_length=int(data["min_length"]),
        max_edits=int(data["max_edits"]),
        long_length=long_length,
        long_max_edits=int(data["long_max_edits"]),
        slot_words=frozenset(data["slot_words"]),
        not_countries=frozenset(fold(word) for word in data["not_countries"]),
        names=names,
        deletions=deletions,
        expert_nouns={_undouble(noun): noun for noun in roles().expert_nouns},
    )


@cache
def near_country(word: str) -> tuple[str, str, str] | None:
    """The (label, alpha-3, name) of the one country or demonym within the allowed edits of ``word``."""
    table = spelling()
    key = fold(word)
    if len(key) < table.min_length or key in table.names or key in table.not_countries:
        return None
    allowed = table.long_max_edits if len(key) >= table.long_length else table.max_edits
    candidates = {name for variant in {key} | _deletions(key, allowed) for name in table.deletions.get(variant, ())}
    close = {name: d for name in candidates if name[0] == key[0] and (d := edit_distance(key, name)) <= allowed}
    countries = {table.names[name][1] for name in close}
    return table.names[min(close, key=lambda name: (close[name], name))] if len(countries) == 1 else None


def _stands_alone(doc: Doc, i: int) -> bool:
    """Not inside a longer capitalised name: "Columbia University", "British Columbia"."""
    before = doc[i - 1] if i > 0 and not doc[i].is_sent_start else None
    after = doc[i + 1] if i + 1 < len(doc) else None
    return not (before is not None and before.is_title) and not (after is not None and after.is_title)


def _in_country_slot(doc: Doc, i: int, countries: set[int]) -> bool:
    """Where a country is expected: after "from", "in"..., next to a country in a list, or before
    an expert noun."""
    slot_words = spelling().slot_words
    before = i - 1 - (i > 1 and doc[i - 1].lower_ == "the")
    if before >= 0 and doc[before].lower_ in slot_words:
        return True
    glue = roles().list_glue
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(doc) and abs(k - i) <= 3 and doc[k].lower_ in glue:
            k += step
        if k != i + step and k in countries:
            return True
    return i + 1 < len(doc) and doc[i + 1].lower_ in roles().expert_nouns


_READINGS: dict[int, tuple[str | None, tuple[str, str, str] | None]] = {}  # lower-case hash -> readings


def _readings(lower_id: int, lower: str) -> tuple[str | None, tuple[str, str, str] | None]:
    """What a word may be a misspelling of: (the expert noun, the country reading), once per word."""
    found = _READINGS.get(lower_id)
    if found is None:
        noun = None if lower in roles().expert_nouns else spelling().expert_nouns.get(_undouble(lower))
        found = _READINGS[lower_id] = (noun, None if noun else near_country(lower))
    return found


@Language.component("socx_spelling")
def spelling_component(doc: Doc) -> Doc:
    """Read misspelt country names as entities and note misspelt expert nouns, with a finding each.
    Works on the token arrays (each word's readings found once per process); a Token is made only
    for the few words worth a closer look."""
    if not len(doc):
        return doc
    strings = doc.vocab.strings
    rows = doc.to_array([LOWER, IS_ALPHA, IS_TITLE, LENGTH])
    candidates = (rows[:, 1].astype(bool) & (rows[:, 3] >= spelling().min_length)).nonzero()[0]
    hits = []
    for i, lower_id, title in zip(
        candidates.tolist(), rows[candidates, 0].tolist(), rows[candidates, 2].tolist(), strict=True
    ):
        noun, near = _readings(lower_id, strings[lower_id])
        if noun is not None or (near is not None and title):
            hits.append((i, noun, near))
    if not hits:
        return doc
    out = findings(doc)
    new_ents: list[Span] = []
    corrections: dict[int, str] = {}
    ents = doc.ents
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    countries = {i for ent in ents if ent.label_ in ("COUNTRY", "DEMONYM") for i in range(ent.start, ent.end)}
    for i, noun, near in hits:
        if i in taken:
            continue
        token = doc[i]
        start, end = token.idx, token.idx + len(token)
        if noun is not None:
            corrections[i] = noun
            detail = f"{token.text!r} read as {noun!r}"
            out.append(Finding("spelling", noun, "spelling-expert-noun", start, end, sentence_of(token), detail=detail))
            continue
        if not _stands_alone(doc, i) or not _in_country_slot(doc, i, countries):
            continue
        assert near is not None, "a hit is an expert noun or a country reading"
        label, alpha3, name = near
        new_ents.append(Span(doc, i, i + 1, label=label, span_id=alpha3))
        detail = f"{token.text!r} read as {name!r} ({alpha3})"
        out.append(Finding("spelling", alpha3, "spelling-country", start, end, sentence_of(token), detail=detail))
    if new_ents:
        doc.ents = sorted([*ents, *new_ents], key=lambda e: e.start)
    if corrections:
        doc.user_data["socx_corrections"] = corrections
    return doc
