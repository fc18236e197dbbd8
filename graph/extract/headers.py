"""The country of a country page's header ("Actions in Guatemala", "Acciones en Perú", "Ações em
Moçambique", "Actions au Sénégal"): the name is looked up among the countries' names of
``ontology/countries.ttl`` and, in the pages' other languages, ``reference/country-names.tsv``. The
header is evidence of the partner country of the entries under it, as much as a country named
once in their text (``country-page-header``, weight 1): it never outweighs what their text says."""

from __future__ import annotations

import unicodedata
from functools import cache

from graph.extract.findings import Finding
from graph.extract.gazetteer import load_gazetteer
from graph.read.records import PageContext
from graph.vocab import ontology_dir

HEADER_RULE = "country-page-header"
HEADER_WEIGHT = 1.0


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


@cache
def _names() -> dict[str, str]:
    """Every country name, folded, with its alpha-3 code."""
    names: dict[str, str] = {}
    for country in load_gazetteer().countries.values():
        for name in (country.name, *country.names):
            names.setdefault(_fold(name), country.alpha3)
    for line in (ontology_dir() / "reference" / "country-names.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            alpha3, _, name = line.split("\t")
            names.setdefault(_fold(name), alpha3)
    return names


def header_country(name: str) -> str | None:
    """The alpha-3 code of the country a header names, or None."""
    return _names().get(_fold(name))


def header_finding(context: PageContext) -> Finding | None:
    """The header's evidence of the partner country (the header line as its sentence), or None when
    the header names no country the reference data knows."""
    alpha3 = header_country(context.name)
    if alpha3 is None:
        return None
    line = context.line.value
    start = line.rfind(context.name)
    start = start if start >= 0 else 0
    return Finding(
        "partner_country_candidate", alpha3, HEADER_RULE, start, start + len(context.name), line, HEADER_WEIGHT
    )
