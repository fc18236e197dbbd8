"""A light in-memory RDF graph for the build.

rdflib's ``Graph.add`` costs about 50 µs a triple, so a graph of a hundred times the seeds (three
million triples) took minutes to assemble. The build collects its triples here instead: rdflib
terms in a subject → predicate → objects index (the order the Turtle writer needs), with the few
read methods the network views, statistics and SHACL validation use, in rdflib's signatures.
``to_rdflib()`` gives a full rdflib ``Graph`` where one is wanted (the API, tests, SPARQL on rdflib).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Graph
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


SHORT = 8  # objects of one subject and predicate are kept in a list up to this many, then in a dict


class TripleSet:
    """A set of triples, indexed by subject and predicate (objects in insertion order, in a list
    while there are few: most subjects have one object per predicate, and a dict each would
    triple the memory); an object → subjects index of a predicate is built the first time a lookup
    by that predicate asks for it."""

    def __init__(self, namespaces: Iterable[tuple[str, str]] = ()) -> None:
        self._spo: dict[Node, dict[Node, list[Node] | dict[Node, None]]] = {}
        self._pos: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._having: dict[Node, list[Node]] = {}  # predicate → the subjects that have it
        self._count = 0
        self._namespaces = dict(namespaces)

    # ------------------------------------------------------------------ building

    @classmethod
    def from_graph(cls, graph: Graph) -> TripleSet:
        """The triples and prefix bindings of an rdflib graph."""
        triples = cls(graph.namespaces())
        for triple in graph:
            triples.add(triple)
        return triples

    def bind(self, prefix: str, namespace: str) -> None:
        self._namespaces[prefix] = namespace

    def namespaces(self) -> list[tuple[str, str]]:
        return list(self._namespaces.items())

    def add(self, triple: Triple) -> None:
        s, p, o = triple
        predicates = self._spo.get(s)
        if predicates is None:
            predicates = self._spo[s] = {}
        objects = predicates.get(p)
        if objects is None:
            predicates[p] = [o]
            having = self._having.get(p)
            if having is None:
                self._having[p] = [s]
            else:
                having.append(s)
        elif o in objects:
            return
        elif type(objects) is list and len(objects) >= SHORT:
            predicates[p] = dict.fromkeys(objects)
            predicates[p][o] = None
        elif type(objects) is list:
            objects.append(o)
        else:
            objects[o] = None
        self._count += 1
        if p in self._pos:
            self._pos[p].setdefault(o, {})[s] = None

    def to_rdflib(self) -> Graph:
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in self._namespaces.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        graph.addN((s, p, o, graph) for s, p, o in self)
        return graph

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Triple]:
        for s, predicates in self._spo.items():
            for p, objects in predicates.items():
                for o in objects:
                    yield s, p, o

    def __contains__(self, triple: Triple) -> bool:
        s, p, o = triple
        return o in self._spo.get(s, {}).get(p, {})

    def subject_index(self) -> dict[Node, dict[Node, list[Node] | dict[Node, None]]]:
        """subject → predicate → objects (a list or dict keys), for writers that walk the whole graph."""
        return self._spo

    def _by_object(self, predicate: Node) -> dict[Node, dict[Node, None]]:
        index = self._pos.get(predicate)
        if index is None:
            index = {}
            spo = self._spo
            for s in self._having.get(predicate, ()):
                for o in spo[s][predicate]:
                    index.setdefault(o, {})[s] = None
            self._pos[predicate] = index
        return index

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        s, p, o = pattern
        if s is not None:
            predicates = self._spo.get(s, {})
            for pred in [p] if p is not None else list(predicates):
                objects = predicates.get(pred, {})
                if o is not None:
                    if o in objects:
                        yield s, pred, o
                else:
                    for obj in list(objects):
                        yield s, pred, obj
            return
        if p is None:
            for triple in list(self):
                if o is None or triple[2] == o:
                    yield triple
            return
        if o is None:  # every (subject, object) of the predicate: no object index needed
            spo = self._spo
            for subject in list(self._having.get(p, ())):
                for obj in list(spo[subject][p]):
                    yield subject, p, obj
            return
        by_object = self._by_object(p)
        for obj in [o] if o is not None else list(by_object):
            for subject in list(by_object.get(obj, {})):
                yield subject, p, obj

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:  # noqa: A002
        if predicate is not None and object is not None:
            yield from list(self._by_object(predicate).get(object, {}))
            return
        seen: set[Node] = set()
        for s, _, _ in self.triples((None, predicate, object)):
            if s not in seen:
                seen.add(s)
                yield s

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if subject is not None and predicate is not None:
            yield from list(self._spo.get(subject, {}).get(predicate, {}))
            return
        for _, _, o in self.triples((subject, predicate, None)):
            yield o

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        for p, objects in list(self._spo.get(subject, {}).items()):
            for o in list(objects):
                yield p, o

    def value(self, subject: Node, predicate: Node, default: Node | None = None) -> Node | None:
        for o in self._spo.get(subject, {}).get(predicate, {}):
            return o
        return default
