"""A light in-memory RDF graph for the build.

rdflib's ``Graph.add`` costs about 50 µs a triple and its terms hash and compare in Python, so a
graph of a hundred times the seeds (two to three million triples) took minutes to assemble. The
build collects its triples here instead, each term as its N-Triples text (:mod:`graph.rdf.terms`),
in a subject → predicate → objects index. The build's own readers (the serialisations, SHACL
validation) use the native methods, on term text; the rdflib-style read methods (``triples``,
``subjects``, ``objects``, ``value``...) take and give rdflib terms, made on demand and kept, for
code written against rdflib's ``Graph`` (tests, the SHACL engine's generic reads). ``to_rdflib()`` gives a full
rdflib ``Graph`` where one is wanted (the API, tests, SPARQL on rdflib).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.rdf.terms import from_rdflib, to_rdflib

Triple = tuple[Node, Node, Node]
Objects = list[str] | dict[str, None]

SHORT = 8  # objects of one subject and predicate are kept in a list up to this many, then in a dict


class TripleSet:
    """A set of triples of term text, indexed by subject and predicate (objects in insertion order,
    in a list while there are few: most subjects have one object per predicate, and a dict each
    would triple the memory); an object → subjects index of a predicate is built the first time a
    lookup by that predicate asks for it."""

    def __init__(self, namespaces: Iterable[tuple[str, str]] = ()) -> None:
        self._spo: dict[str, dict[str, Objects]] = {}
        self._pos: dict[str, dict[str, dict[str, None]]] = {}
        self._having: dict[str, list[str]] = {}  # predicate → the subjects that have it
        self._count = 0
        self._namespaces = {prefix: str(namespace) for prefix, namespace in namespaces}
        self._nodes: dict[str, Node] = {}  # term text → rdflib term, for the rdflib-style reads
        self._texts: dict[Node, str] = {}  # rdflib term → term text

    # ------------------------------------------------------------------ building

    @classmethod
    def from_rdflib(cls, graph: Graph) -> TripleSet:
        """The triples and prefix bindings of an rdflib graph."""
        triples = cls(graph.namespaces())
        text = triples._text
        for s, p, o in graph:
            triples.add(text(s), text(p), text(o))
        return triples

    @classmethod
    def from_sorted_ntriples(cls, lines: Iterable[str], namespaces: Iterable[tuple[str, str]] = ()) -> TripleSet:
        """The triples of N-Triples lines as the build writes them (``serialise.ntriples_chunks``:
        canonical terms, each triple once, a subject's lines together), read straight into the
        index: a few times quicker than adding them one by one (a graph of a hundred times the
        seeds, 1.7 million triples, in about 3 s)."""
        triples = cls(namespaces)
        spo, having = triples._spo, triples._having
        subject, predicates = "", None
        count = 0
        for line in lines:
            s, p, rest = line.split(" ", 2)
            if s != subject:
                subject, predicates = s, spo.setdefault(s, {})
            assert predicates is not None  # set with the first line
            objects = predicates.get(p)
            if objects is None:
                predicates[p] = [rest[:-3]]  # " .\n"
                subjects = having.get(p)
                if subjects is None:
                    having[p] = [s]
                else:
                    subjects.append(s)
            elif isinstance(objects, list):
                if len(objects) >= SHORT:
                    grown = dict.fromkeys(objects)
                    grown[rest[:-3]] = None
                    predicates[p] = grown
                else:
                    objects.append(rest[:-3])
            else:
                objects[rest[:-3]] = None
            count += 1
        triples._count = count
        return triples

    def bind(self, prefix: str, namespace: str) -> None:
        self._namespaces[prefix] = str(namespace)

    def namespaces(self) -> list[tuple[str, str]]:
        return list(self._namespaces.items())

    def add(self, s: str, p: str, o: str) -> None:
        """Add a triple of term text (see :mod:`graph.rdf.terms`)."""
        self.add_all(s, ((p, o),))

    def add_all(self, s: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Add the triples of one subject: its (predicate, object) pairs."""
        predicates = self._spo.get(s)
        if predicates is None:
            predicates = self._spo[s] = {}
        having, pos = self._having, self._pos
        for p, o in pairs:
            objects = predicates.get(p)
            if objects is None:
                predicates[p] = [o]
                subjects = having.get(p)
                if subjects is None:
                    having[p] = [s]
                else:
                    subjects.append(s)
            elif o in objects:
                continue
            elif isinstance(objects, list):  # the index holds plain lists and dicts only
                if len(objects) >= SHORT:
                    grown = dict.fromkeys(objects)
                    grown[o] = None
                    predicates[p] = grown
                else:
                    objects.append(o)
            else:
                objects[o] = None
            self._count += 1
            if p in pos:
                pos[p].setdefault(o, {})[s] = None

    def to_rdflib(self) -> Graph:
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in self._namespaces.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        node = self._node
        graph.addN((node(s), node(p), node(o), graph) for s, p, o in self.terms())
        return graph

    # ------------------------------------------------------------------ native reads, on term text

    def __len__(self) -> int:
        return self._count

    def terms(self) -> Iterator[tuple[str, str, str]]:
        """Every triple, as term text."""
        for s, predicates in self._spo.items():
            for p, objects in predicates.items():
                for o in objects:
                    yield s, p, o

    def subject_index(self) -> dict[str, dict[str, Objects]]:
        """subject → predicate → objects (a list or dict keys), for readers that walk the whole graph."""
        return self._spo

    def pairs(self, predicate: str) -> Iterator[tuple[str, str]]:
        """Every (subject, object) of a predicate."""
        spo = self._spo
        for subject in self._having.get(predicate, ()):
            for obj in spo[subject][predicate]:
                yield subject, obj

    def objects_of(self, subject: str, predicate: str) -> Collection[str]:
        """The objects of a subject and predicate (empty when there are none)."""
        return self._spo.get(subject, {}).get(predicate, ())

    def by_object(self, predicate: str) -> dict[str, dict[str, None]]:
        """object → subjects (dict keys) of a predicate."""
        index = self._pos.get(predicate)
        if index is None:
            index = {}
            for s, o in self.pairs(predicate):
                index.setdefault(o, {})[s] = None
            self._pos[predicate] = index
        return index

    # ------------------------------------------------------------------ rdflib-style reads, on rdflib terms

    def _node(self, term: str) -> Node:
        node = self._nodes.get(term)
        if node is None:
            node = self._nodes[term] = to_rdflib(term)
        return node

    def _text(self, node: Node) -> str:
        if type(node) is URIRef:  # the usual case, and cheaper than hashing an rdflib term
            return f"<{node}>"
        text = self._texts.get(node)
        if text is None:
            text = self._texts[node] = from_rdflib(node)
        return text

    def __iter__(self) -> Iterator[Triple]:
        node = self._node
        for s, p, o in self.terms():
            yield node(s), node(p), node(o)

    def __contains__(self, triple: Triple) -> bool:
        s, p, o = (self._text(n) for n in triple)
        return o in self._spo.get(s, {}).get(p, ())

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        node = self._node
        s, p, o = (None if n is None else self._text(n) for n in pattern)
        if s is not None:
            predicates = self._spo.get(s, {})
            for pred in [p] if p is not None else list(predicates):
                objects = predicates.get(pred, ())
                if o is not None:
                    if o in objects:
                        yield node(s), node(pred), node(o)
                else:
                    for obj in list(objects):
                        yield node(s), node(pred), node(obj)
            return
        if p is None:
            for subject, pred, obj in list(self.terms()):
                if o is None or obj == o:
                    yield node(subject), node(pred), node(obj)
            return
        if o is None:  # every (subject, object) of the predicate: no object index needed
            for subject, obj in list(self.pairs(p)):
                yield node(subject), node(p), node(obj)
            return
        for subject in list(self.by_object(p).get(o, ())):
            yield node(subject), node(p), node(o)

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:  # noqa: A002
        if predicate is not None and object is not None:
            node = self._node
            for subject in list(self.by_object(self._text(predicate)).get(self._text(object), ())):
                yield node(subject)
            return
        seen: set[Node] = set()
        for s, _, _ in self.triples((None, predicate, object)):
            if s not in seen:
                seen.add(s)
                yield s

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if subject is not None and predicate is not None:  # the usual call: one list, no generator frame
            nodes, node = self._nodes, self._node
            found = self.objects_of(self._text(subject), self._text(predicate))
            return iter([nodes[o] if o in nodes else node(o) for o in found])
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        node = self._node
        for p, objects in list(self._spo.get(self._text(subject), {}).items()):
            for o in list(objects):
                yield node(p), node(o)

    def value(self, subject: Node, predicate: Node, default: Node | None = None) -> Node | None:
        for o in self.objects_of(self._text(subject), self._text(predicate)):
            return self._node(o)
        return default
