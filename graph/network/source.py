"""The graph as the network code reads it: terms as their N-Triples text, straight from the build's
index (:class:`graph.rdf.triples.TripleSet`).

The network outputs read a few million values at a hundred times the seeds; through rdflib-style
reads (an rdflib term made and hashed for every value) that took most of a minute. Here a read is
two dict lookups on plain strings. A graph read from a file with rdflib (``socieux-kg viz``,
``stats``, the API, tests) is indexed once.

Node ids in the networkx projections are plain IRIs (``iri()`` of a term); literal values are read
with ``text()``, decoded once each.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rdflib import Graph

from graph.rdf import terms
from graph.rdf.triples import TripleSet

TRUE = terms.literal(True)


def term(iri: object) -> str:
    """The term text of an IRI (a plain string or an rdflib URIRef)."""
    return f"<{iri}>"


class Source:
    def __init__(self, triples: TripleSet) -> None:
        self.triples = triples
        self._spo = triples.subject_index()
        self._text: dict[str, str] = {}

    def objects(self, subject: str, predicate: str) -> Collection[str]:
        """The objects of a subject and predicate, as term text, in the graph's order (empty when
        there are none)."""
        return self._spo.get(subject, {}).get(predicate, ())

    def value(self, subject: str, predicate: str) -> str | None:
        """One object of a subject and predicate (the first), or None."""
        for found in self._spo.get(subject, {}).get(predicate, ()):
            return found
        return None

    def subjects(self, predicate: str, obj: str) -> list[str]:
        """The subjects with this object for this predicate, by IRI."""
        return sorted(self.triples.by_object(predicate).get(obj, ()), key=iri)

    def text(self, node: str) -> str:
        """The lexical form of a literal, or the IRI of an IRI term (decoded once)."""
        found = self._text.get(node)
        if found is None:
            found = self._text[node] = terms.lexical(node)
        return found


def iri(node: str) -> str:
    """The IRI of an IRI term (``<x>`` → ``x``): a node's id in the projections."""
    return node[1:-1]


def only_terms(only: Collection[object] | None) -> set[str] | None:
    """Actions given as IRIs (strings or URIRefs) as a set of terms."""
    return None if only is None else {term(a) for a in only}


_LAST: dict[int, tuple[Graph, int, Source]] = {}  # the last rdflib graph indexed, with its size


def source(graph: TripleSet | Graph | Source) -> Source:
    """The network reader of a graph: the build's TripleSet as it is, an rdflib graph indexed once
    (again when it has changed size)."""
    if isinstance(graph, Source):
        return graph
    if isinstance(graph, TripleSet):
        return Source(graph)
    kept = _LAST.get(0)
    if kept is not None and kept[0] is graph and kept[1] == len(graph):
        return kept[2]
    indexed = Source(TripleSet.from_rdflib(graph))
    _LAST[0] = (graph, len(graph), indexed)
    return indexed


def sorted_by_iri(nodes: Iterable[str]) -> list[str]:
    return sorted(nodes, key=iri)
