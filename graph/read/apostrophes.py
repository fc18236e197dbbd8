"""Apostrophes in one place: the marks the pages write one with (``ontology/reference/apostrophes.toml``)
and ``?`` where a page's encoding lost one. The reader repairs, the tokenizer and the rules read
possessives through this module only."""

from __future__ import annotations

import re
import tomllib
from functools import cache

from graph.vocab import ontology_dir

# "?" where the page lost an apostrophe: inside a word (d?Assurance, Kenya?s) or after a plural (veterans? rights)
_LOST_APOSTROPHE = re.compile(r"(?<=\w)\?(?=\w)|(?<=\ws)\?(?= [a-z])")


@cache
def apostrophe_marks() -> tuple[str, ...]:
    """The characters that stand for an apostrophe."""
    data = tomllib.loads((ontology_dir() / "reference" / "apostrophes.toml").read_text(encoding="utf-8"))
    return tuple(data["marks"])


@cache
def possessive_tokens() -> frozenset[str]:
    """The tokens that make the word before them a possessive: "'s", "’s", "‘s"... and a lone mark."""
    marks = apostrophe_marks()
    return frozenset(marks) | {mark + s for mark in marks for s in ("s", "S")}


def is_possessive(word: str) -> bool:
    """Whether the token ``word`` marks a possessive ("’s", "'s", "`s", "’" after a plural)."""
    return word in possessive_tokens()


def repair_apostrophes(text: str) -> tuple[str, bool]:
    """Put back the apostrophes that a page's encoding turned into ``?``; say whether any was."""
    if "?" not in text:  # most text: nothing to look for
        return text, False
    repaired, count = _LOST_APOSTROPHE.subn("\u2019", text)
    return repaired, count > 0


def strip_apostrophes(text: str) -> str:
    """``text`` without any apostrophe mark nor ``?`` (which may stand for one): for comparing names."""
    return re.sub("[" + re.escape("".join(apostrophe_marks()) + "?") + "]", "", text)
