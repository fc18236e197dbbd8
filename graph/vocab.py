"""Loading the data files in ``ontology/``: layout vocabulary, SKOS schemes.

The vocabularies are data, not code: a new variant is an edit of a file under ``ontology/``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path


def ontology_dir() -> Path:
    """The folder holding the ontology, the SKOS schemes, the shapes, the reference data and queries."""
    override = os.environ.get("SOCIEUX_KG_ONTOLOGY")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "ontology", here / "ontology"):
        if (candidate / "socieux.ttl").is_file():
            return candidate
    raise FileNotFoundError("cannot find the ontology/ folder of socieux-kg")


@dataclass(frozen=True)
class Layout:
    """What the reader needs to know about the website's page layouts."""

    bullets: tuple[str, ...]
    labels: dict[str, str]
    heading_phrases: frozenset[str]
    heading_max_words: int
    partner_nouns: frozenset[str]
    partner_head_window: int
    header_prefixes: tuple[str, ...] = ()  # "actions in", "acciones en"...: a country page's header
    header_max_words: int = 6
    header_articles: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def load_layout() -> Layout:
    """Read ``ontology/reference/layout.toml``."""
    with open(ontology_dir() / "reference" / "layout.toml", "rb") as handle:
        data = tomllib.load(handle)
    return Layout(
        bullets=tuple(data["bullets"]),
        labels={key.casefold(): value for key, value in data["labels"].items()},
        heading_phrases=frozenset(p.casefold() for p in data["headings"]["phrases"]),
        heading_max_words=int(data["headings"]["max_words"]),
        partner_nouns=frozenset(n.casefold() for n in data["partner"]["nouns"]),
        partner_head_window=int(data["partner"]["head_window"]),
        # longest first, so that "actions in the" is tried before "actions in"
        header_prefixes=tuple(
            sorted((p.casefold() for p in data["country_headers"]["prefixes"]), key=lambda p: (-len(p), p))
        ),
        header_max_words=int(data["country_headers"]["max_words"]),
        header_articles=frozenset(a.casefold() for a in data["country_headers"]["articles"]),
    )


@dataclass(frozen=True)
class Dating:
    """How dates are written and how a sentence dates an action (``reference/dating.toml``)."""

    months: dict[str, int]
    subjects: tuple[str, ...]
    verbs: tuple[str, ...]
    before_year: frozenset[str]
    months_window: int
    max_distance: int
    background: frozenset[str]


@lru_cache(maxsize=1)
def load_dating() -> Dating:
    """Read ``ontology/reference/dating.toml``."""
    with open(ontology_dir() / "reference" / "dating.toml", "rb") as handle:
        data = tomllib.load(handle)
    sentence = data["sentence"]
    return Dating(
        months={name.casefold(): int(number) for name, number in data["months"].items()},
        subjects=tuple(w.casefold() for w in sentence["subjects"]),
        verbs=tuple(w.casefold() for w in sentence["verbs"]),
        before_year=frozenset(w.casefold() for w in sentence["before_year"]),
        months_window=int(sentence["months_window"]),
        max_distance=int(sentence["max_distance"]),
        background=frozenset(w.casefold() for w in sentence["background"]),
    )


@dataclass(frozen=True)
class Concept:
    """A SKOS concept with every label it may be written as."""

    iri: str
    pref_label: str
    labels: tuple[str, ...]


@cache
def reference_graph(file_name: str):
    """A Turtle file of ``ontology/`` parsed once per process (shared: callers must not change it)."""
    from rdflib import Graph

    return Graph().parse(ontology_dir() / file_name, format="turtle")


@cache
def load_scheme(file_name: str) -> tuple[Concept, ...]:
    """Read the concepts of a SKOS scheme file in ``ontology/`` (prefLabel, altLabels, hiddenLabels)."""
    from rdflib.namespace import RDF, SKOS

    graph = reference_graph(file_name)
    concepts = []
    for iri in sorted(graph.subjects(RDF.type, SKOS.Concept)):
        pref = str(graph.value(iri, SKOS.prefLabel))
        alts = sorted(str(o) for p in (SKOS.altLabel, SKOS.hiddenLabel) for o in graph.objects(iri, p))
        concepts.append(Concept(str(iri), pref, (pref, *alts)))
    return tuple(concepts)
