"""A small cue-word guesser for the language of an institution's name (data in ontology/reference)."""

from __future__ import annotations

import re

from graph.vocab import load_languages

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def guess_language(text: str, min_hits: int = 1) -> str | None:
    """The BCP 47 tag of the language ``text`` is clearly in, or None when the cues do not decide.

    ``min_hits``: how many cues the leading language needs at least.
    """
    cues = load_languages()
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words:
        return None
    hits: dict[str, int] = {}
    for lang, cue in cues.items():
        hits[lang] = sum(1 for w in words if w in cue["words"])
        hits[lang] += 2 * sum(1 for ch in cue["chars"] if ch in text.casefold())
    ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
    best, runner_up = ranked[0], ranked[1] if len(ranked) > 1 else ("", 0)
    if best[1] >= min_hits and best[1] / len(words) >= 0.25 and best[1] > runner_up[1] * 1.25:
        return best[0]
    return None
