"""Reading a graph file into the build's in-memory graph (:class:`graph.rdf.triples.TripleSet`).

A build's own N-Triples are read line by line (each line is its three terms in canonical form,
as :mod:`graph.rdf.terms` holds them); any other file is parsed by Oxigraph and its terms written
the same way, so the site reads every graph as the build's own readers do.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import SocieuxError
from graph.rdf.triples import TripleSet
from graph.sparql.query import GRAPH_FORMATS
from graph.sparql.store import store_for

_OXIGRAPH = {"turtle": "TURTLE", "nt": "N_TRIPLES", "json-ld": "JSON_LD", "xml": "RDF_XML", "n3": "N3"}


def build_ntriples(graph_file: Path) -> Path | None:
    """The N-Triples a build wrote beside ``graph_file`` (one of its graph files), when they are of
    the same build: the build's store beside them is newer than both (it is written last; see
    ``graph.sparql.store.store_for``)."""
    graph_file = Path(graph_file)
    nt = graph_file.parent / "socieux.nt"
    store = store_for(graph_file)
    if store.is_dir() and nt.is_file() and nt.stat().st_mtime <= store.stat().st_mtime:
        return nt
    return None


def load_triples(graph_file: Path) -> TripleSet:
    """The triples of a graph file, as term text."""
    from graph.rdf.mapping import new_graph

    graph_file = Path(graph_file)
    if not graph_file.is_file():
        hint = " (run `socieux-kg build` first)" if graph_file.name.startswith("socieux.") else ""
        raise SocieuxError(f"{graph_file}: no such graph file{hint}")
    nt = build_ntriples(graph_file)
    if nt is not None:
        with open(nt, encoding="utf-8") as lines:
            return TripleSet.from_sorted_ntriples(lines, new_graph().namespaces())
    triples = new_graph()
    fmt = _OXIGRAPH.get(GRAPH_FORMATS.get(graph_file.suffix.lower(), ""))
    if fmt is None:
        raise SocieuxError(f"{graph_file}: unknown graph format; use .ttl, .nt, .jsonld, .rdf or .n3")
    from pyoxigraph import RdfFormat, parse

    add = triples.add
    try:
        for triple in parse(path=str(graph_file), format=getattr(RdfFormat, fmt)):
            add(str(triple.subject), str(triple.predicate), str(triple.object))
    except (SyntaxError, ValueError, OSError) as error:
        raise SocieuxError(f"{graph_file}: cannot parse: {' '.join(str(error).split())[:300]}") from None
    return triples
