"""The graph files: N-Triples, Turtle and JSON-LD, written by Oxigraph (pyoxigraph).

Every output is fed in one stable order, the order of the sorted N-Triples lines, so the files are
the same byte for byte in every build and under every hash seed:

* N-Triples: the sorted lines of the graph's terms, each term the canonical N-Triples text
  pyoxigraph gives it (graph/rdf/terms.py); a test checks that ``pyoxigraph.serialize`` writes
  the same bytes for these triples.
* Turtle and JSON-LD: pyoxigraph's serialisers, fed from the sorted N-Triples (read back by
  pyoxigraph's parser), with the project's prefixes (graph/namespaces.py). Turtle groups the
  triples of a subject (``;``) and the objects of a predicate (``,``); JSON-LD is one node object
  per subject with the prefixes as its ``@context``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from rdflib import Graph

from graph.namespaces import PREFIXES
from graph.rdf.triples import TripleSet

PREFIX_MAP = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
FORMATS = {"turtle": "TURTLE", "json-ld": "JSON_LD", "nt": "N_TRIPLES"}


def ntriples_chunks(triples: TripleSet, lines_per_chunk: int = 10_000) -> Iterator[str]:
    """The sorted N-Triples text in pieces of about ``lines_per_chunk`` lines.

    Every line of a subject starts with ``<subject> `` and no such start is the start of another
    (an IRI holds no ``>``), so sorting the subjects and then each subject's lines gives the order of
    sorting all the lines, without holding them all."""
    index = triples.subject_index()
    piece: list[str] = []
    for subject in sorted(index):
        start = subject + " "
        predicates = index[subject]
        piece += sorted(f"{start}{p} {o} .\n" for p, objects in predicates.items() for o in objects)
        if len(piece) >= lines_per_chunk:
            yield "".join(piece)
            piece = []
    yield "".join(piece)


def as_triples(graph: Graph | TripleSet) -> TripleSet:
    """The build's own triples as they are; an rdflib ``Graph`` copied into a :class:`TripleSet`."""
    return graph if isinstance(graph, TripleSet) else TripleSet.from_rdflib(graph)


def ntriples(graph: Graph | TripleSet) -> str:
    """N-Triples, one triple a line, sorted."""
    return "".join(ntriples_chunks(as_triples(graph)))


def from_ntriples(source: str | bytes | Path, output: BinaryIO | Path, fmt: str) -> None:
    """Write the triples of sorted N-Triples (``source``: text, or a file) as ``fmt`` (``turtle``,
    ``json-ld`` or ``nt``) to ``output``, in their order, with the project's prefixes."""
    from pyoxigraph import RdfFormat, parse, serialize

    # lenient: the N-Triples are the build's own (IRIs it minted or read from the ontology, literals
    # pyoxigraph made); the strict parser spends most of its time validating the IRIs again
    if isinstance(source, Path):
        parsed = parse(path=str(source), format=RdfFormat.N_TRIPLES, lenient=True)
    else:
        data = source.encode("utf-8") if isinstance(source, str) else source
        parsed = parse(data, format=RdfFormat.N_TRIPLES, lenient=True)
    target = str(output) if isinstance(output, Path) else output
    serialize(parsed, target, getattr(RdfFormat, FORMATS[fmt]), prefixes=PREFIX_MAP)


def turtle(graph: Graph | TripleSet) -> str:
    """The graph in Turtle, as the build writes it."""
    return _text(graph, "turtle")


def jsonld(graph: Graph | TripleSet) -> str:
    """The graph in JSON-LD, as the build writes it."""
    return _text(graph, "json-ld")


def _text(graph: Graph | TripleSet, fmt: str) -> str:
    buffer = io.BytesIO()
    from_ntriples(ntriples(graph), buffer, fmt)
    return buffer.getvalue().decode("utf-8")
