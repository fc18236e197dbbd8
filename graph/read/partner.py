"""Split a partner-institution line into its English name, original-language name and acronym.

Forms met on the website: ``Name [Original] (ACR)``, ``Name [Original (ACR)]``, ``Name (Original)``,
``Name (ACR)``, an original-language name alone, and brackets left open where the page cut the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.read.language import guess_language, name_language, original_language

_BRACKET = re.compile(r"\[([^\]]*)(\]|$)")
_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_DASHED_ACRONYM = re.compile(r"^(.*\S)\s+[-–]\s+(\S+)$")  # "National Civil Service Office - ONSEC"
_ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z]|.*[A-Z][a-z]+[A-Z])[A-Za-z][\w&.\-+]{1,14}(?: [A-Z][\w]{1,20})?$")


def is_acronym(text: str) -> bool:
    """``ANPE``, ``MoSD``, ``EdoJobs``, ``SSC-DF``, ``DOST Agency``; not a lower-case or long phrase."""
    return bool(_ACRONYM.match(text.strip()))


_ONE_WORD = re.compile(r"^[A-ZÀ-Þ][a-zß-ÿ]{3,20}$")


def _is_place(word: str) -> bool:
    """Whether ``word`` is a country, a demonym or a place of the gazetteer (``Morocco``, ``Dakar``)."""
    from graph.extract.gazetteer import load_gazetteer, load_towns

    gazetteer = load_gazetteer()
    if word in gazetteer.places or word in gazetteer.shared_places or word in load_towns():
        return True
    return any(word in country.names or word in country.demonyms for country in gazetteer.countries.values())


def is_short_name(text: str) -> bool:
    """An acronym, or a one-word short name in brackets after the full name (``Colpensiones``,
    ``Taazour``); a country or other place in brackets (``(Morocco)``) is no short name."""
    text = text.strip()
    if is_acronym(text):
        return True
    return bool(_ONE_WORD.match(text)) and not _is_place(text)


def _dashed_acronym(text: str) -> tuple[str, str] | None:
    """ "Name - ACR": the name and the acronym after a spaced dash, where the acronym is one word
    of mostly capitals (``ONSEC``, ``MoSD``); "Kyrgyz Republic - Ministry of Labour" and
    "Guinea-Bissau" are left whole."""
    found = _DASHED_ACRONYM.match(text)
    if found is None:
        return None
    name, word = found.group(1), found.group(2)
    capitals = sum(c.isupper() for c in word)
    if capitals >= 2 and capitals >= sum(c.islower() for c in word) and is_acronym(word) and len(name.split()) >= 2:
        return name, word
    return None


@dataclass(frozen=True)
class PartnerName:
    """The parts of a partner-institution line."""

    raw: str
    name: str
    name_language: str | None
    original_name: str | None
    original_language: str | None
    acronym: str | None
    unclosed_bracket: bool


def parse_partner(raw: str) -> PartnerName:
    """Split ``raw`` (apostrophes already repaired) into name, original-language name and acronym."""
    text = " ".join(raw.split())
    original = acronym = None
    unclosed = False
    bracket = _BRACKET.search(text)
    if bracket:
        original = bracket.group(1).strip()
        unclosed = bracket.group(2) == ""
        text = (text[: bracket.start()] + " " + text[bracket.end() :]).strip()
        inner = _TRAILING_PAREN.search(original)
        if inner and is_short_name(inner.group(1)):
            acronym = inner.group(1).strip()
            original = original[: inner.start()].strip()
    paren = _TRAILING_PAREN.search(text)
    if paren:
        content = paren.group(1).strip()
        if acronym is None and is_short_name(content) and text[: paren.start()].strip():
            acronym = content
            text = text[: paren.start()].strip()
        elif original is None and guess_language(content) not in (None, "en"):
            original = content
            text = text[: paren.start()].strip()
    dashed = _dashed_acronym(text) if acronym is None else None
    if dashed is not None:
        text, acronym = dashed
    name = " ".join(text.split()).strip(" ,;-")
    if not name and original:  # only an original-language name was given
        name, original = original, None
    return PartnerName(
        raw=raw,
        name=name,
        name_language=name_language(name) if name else "en",
        original_name=original or None,
        original_language=original_language(original) if original else None,
        acronym=acronym,
        unclosed_bracket=unclosed,
    )
