"""Split a partner-institution line into its English name, original-language name and acronym.

Forms met on the website: ``Name [Original] (ACR)``, ``Name [Original (ACR)]``, ``Name (Original)``,
``Name (ACR)``, an original-language name alone, and brackets left open where the page cut the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.read.language import guess_language

_BRACKET = re.compile(r"\[([^\]]*)(\]|$)")
_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z]|.*[A-Z][a-z]+[A-Z])[A-Za-z][\w&.\-+]{1,14}(?: [A-Z][\w]{1,20})?$")
# "?" where the page lost an apostrophe: inside a word (d?Assurance) or after a plural (veterans? rights)
_LOST_APOSTROPHE = re.compile(r"(?<=\w)\?(?=\w)|(?<=\ws)\?(?= [a-z])")


def repair_apostrophes(text: str) -> tuple[str, bool]:
    """Put back apostrophes that a page's encoding turned into ``?``; say whether any was."""
    repaired, count = _LOST_APOSTROPHE.subn("\u2019", text)
    return repaired, count > 0


def is_acronym(text: str) -> bool:
    """``ANPE``, ``MoSD``, ``EdoJobs``, ``SSC-DF``, ``DOST Agency``; not a lower-case or long phrase."""
    return bool(_ACRONYM.match(text.strip()))


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
        if inner and is_acronym(inner.group(1)):
            acronym = inner.group(1).strip()
            original = original[: inner.start()].strip()
    paren = _TRAILING_PAREN.search(text)
    if paren:
        content = paren.group(1).strip()
        if is_acronym(content) and acronym is None:
            acronym = content
            text = text[: paren.start()].strip()
        elif original is None and guess_language(content) not in (None, "en"):
            original = content
            text = text[: paren.start()].strip()
    name = " ".join(text.split()).strip(" ,;-")
    if not name and original:  # only an original-language name was given
        name, original = original, None
    name_language = guess_language(name, min_hits=2) if name else None
    return PartnerName(
        raw=raw,
        name=name,
        name_language="en" if name_language in (None, "en") else name_language,
        original_name=original or None,
        original_language=guess_language(original) if original else None,
        acronym=acronym,
        unclosed_bracket=unclosed,
    )
