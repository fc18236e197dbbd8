"""A fast SHACL validator for the subset of SHACL that ``ontology/shapes.ttl`` uses.

pyshacl takes about 15 s to validate a graph of 322k triples: it looks each value up through rdflib
one focus node at a time and builds a report graph. This validator reads each predicate the shapes
need once (``graph.triples((None, p, None))``) into dictionaries, then checks every shape against
all its focus nodes in one pass, so its time is about linear in the size of the graph.

It gives the results pyshacl gives (``inference="none"``, ``advanced=True``, ``allow_warnings=True``)
as :func:`graph.validate.validate` reads them from pyshacl's report: the same results, severities,
focus nodes, paths, shape names and messages, with pyshacl's wording where a shape has no
``sh:message``. That includes two habits of that reading: the results pyshacl nests under an
``sh:node`` result (``sh:detail``) are listed as results of their own, and a value that several
focus nodes share is checked, and reported, once for each of them.

Supported, per the SHACL specification and as pyshacl reads it:

* shapes: ``sh:NodeShape``, ``sh:PropertyShape`` and shapes implied by their use; targets
  ``sh:targetClass`` (with ``rdfs:subClassOf*`` in the data graph), ``sh:targetObjectsOf``,
  ``sh:targetSubjectsOf`` and ``sh:targetNode``; ``sh:message``, ``sh:severity`` (``sh:Info`` and
  ``sh:Warning`` results do not make a graph non-conforming), ``sh:name`` and ``sh:description``;
* paths: a predicate IRI or ``[ sh:inversePath IRI ]``;
* constraints: ``sh:minCount``, ``sh:maxCount``, ``sh:datatype`` (a literal of that datatype whose
  lexical form rdflib does not flag as ill-typed), ``sh:class``, ``sh:hasValue``, ``sh:in``,
  ``sh:minLength``, ``sh:pattern`` (a regular-expression search in the string form of the value),
  ``sh:property``, ``sh:node``, ``sh:not`` and ``sh:or``.

Any other term of the SHACL vocabulary in the shapes graph (``sh:maxLength``, ``sh:flags``,
``sh:and``, ``sh:sparql``, other kinds of path, ...) raises a :class:`SocieuxError` naming it, as do
malformed constraints and recursive shapes: nothing is skipped in silence.

The data graph is read only through ``triples``, ``subjects``, ``objects`` and ``len``, so an rdflib
``Graph`` and the build's lighter :class:`graph.triples.TripleSet` both do. Prefixes for paths and
messages come from its ``namespace_manager`` or, failing that, its ``namespaces()``.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD, NamespaceManager
from rdflib.term import Node

from graph.errors import SocieuxError
from graph.rdf.violations import Violation, short_name

SH_CLASS, SH_IN, SH_NOT, SH_OR = SH["class"], SH["in"], SH["not"], SH["or"]

# The SHACL terms this validator knows; any other sh: predicate or class in the shapes graph is an error.
CONSTRAINTS = frozenset(
    {
        SH.minCount,
        SH.maxCount,
        SH.datatype,
        SH_CLASS,
        SH.hasValue,
        SH_IN,
        SH.minLength,
        SH.pattern,
        SH.property,
        SH.node,
        SH_NOT,
        SH_OR,
    }
)
TARGETS = frozenset({SH.targetClass, SH.targetObjectsOf, SH.targetSubjectsOf, SH.targetNode})
SUPPORTED_PREDICATES = (
    CONSTRAINTS | TARGETS | {SH.path, SH.inversePath, SH.message, SH.severity, SH.name, SH.description}
)
SUPPORTED_CLASSES = frozenset({SH.NodeShape, SH.PropertyShape})
ALLOWED_SEVERITIES = frozenset({SH.Info, SH.Warning})  # pyshacl's allow_warnings=True

XSD_WHOLE_INTEGERS = frozenset(
    XSD[name]
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)


def _unsupported(term: str, why: str = "") -> SocieuxError:
    return SocieuxError(
        f"SHACL shapes: {term} is not supported by the fast validator (graph/shacl.py){': ' + why if why else ''}; "
        "validate with engine='pyshacl' or teach graph/shacl.py the term"
    )


def _malformed(shape: Node, message: str) -> SocieuxError:
    return SocieuxError(f"SHACL shapes: shape {shape}: {message}")


def _curie(term: Node) -> str:
    text = str(term)
    return "sh:" + text[len(str(SH)) :] if text.startswith(str(SH)) else f"<{text}>"


# ---------------------------------------------------------------------------- naming, as pyshacl words it


def _namespaces_of(graph: object) -> list[tuple[str, URIRef]]:
    manager = getattr(graph, "namespace_manager", None)
    if manager is not None:
        return list(manager.namespaces())
    namespaces = getattr(graph, "namespaces", None)
    return list(namespaces()) if callable(namespaces) else []


def _prefix_graph(namespaces: Iterable[tuple[str, object]], base: str, override: bool, replace: bool) -> Graph:
    """An empty graph holding only prefixes, for naming terms."""
    graph = Graph(bind_namespaces=base)
    for prefix, namespace in namespaces:
        graph.namespace_manager.bind(prefix, namespace, override=override, replace=replace)
    return graph


class _Words:
    """pyshacl's ``stringify_node`` over one graph (read through ``triples`` only) and its prefixes."""

    def __init__(self, graph: object, manager: NamespaceManager) -> None:
        self.graph = graph
        self.manager = manager
        manager.bind("sh", SH, override=False, replace=False)  # as stringify_node does
        self._blank: dict[BNode, str] = {}

    def __call__(self, node: object, recursion: int = 0) -> str:
        if isinstance(node, Literal):
            return self._literal(node)
        if isinstance(node, BNode):
            return self._blank_node(node, recursion + 1)
        if isinstance(node, URIRef):
            try:
                return node.n3(namespace_manager=self.manager)
            except Exception:  # noqa: BLE001 - pyshacl writes such a name out whole
                return str(node)
        return str(node)

    def _literal(self, node: Literal) -> str:
        value = None if node.value is None else str(node.value)
        lexical = str(node)
        if value is not None:
            at = value.find(" object at 0x")
            if at > 0:
                value = value[:at]
        text = f'"{lexical}" = {value}' if value is not None and value != lexical else f'"{lexical}"'
        lang = f", lang={node.language}" if node.language else ""
        datatype = ""
        if node.datatype:
            datatype = (
                f", datatype={self(node.datatype) if isinstance(node.datatype, (URIRef, Literal)) else node.datatype}"
            )
        return f"Literal({text}{lang}{datatype})"

    def _value(self, subject: Node, predicate: Node) -> Node | None:
        for _, _, o in self.graph.triples((subject, predicate, None)):
            return o
        return None

    def _items(self, head: Node) -> Iterator[Node]:
        """rdflib's ``Graph.items``."""
        chain = {head}
        node: Node | None = head
        while node:
            item = self._value(node, RDF.first)
            if item is not None:
                yield item
            node = self._value(node, RDF.rest)
            if node in chain:
                raise ValueError("List contains a recursive rdf:rest reference")
            chain.add(node)

    def _blank_node(self, node: BNode, recursion: int) -> str:
        if recursion >= 12:
            return "<http://recursion.too.deep>"
        if node in self._blank:
            return self._blank[node]
        objects: dict[Node, list[Node]] = {}
        for _, p, o in self.graph.triples((node, None, None)):
            objects.setdefault(p, []).append(o)
        if not objects:
            return "[ ]"
        if RDF.first in objects:
            return "( {} )".format(" ".join(self(item, recursion + 1) for item in self._items(node)))
        parts: dict[str, str] = {}
        for p, values in objects.items():
            texts = [self(o, recursion + 1) for o in values]
            parts[p.n3(namespace_manager=self.manager)] = ", ".join(sorted(texts)) if len(texts) > 1 else texts[0]
        text = "[ {} ]".format(
            " ; ".join(f"{p} {o}" for p, o in (sorted(parts.items()) if len(parts) > 1 else parts.items()))
        )
        self._blank[node] = text
        return text


# ---------------------------------------------------------------------------- the data graph


class _Data:
    """The data graph, each predicate read once into subject → objects and object → subjects."""

    def __init__(self, graph: object) -> None:
        self.graph = graph
        self._forward: dict[Node, dict[Node, list[Node]]] = {}
        self._inverse: dict[Node, dict[Node, list[Node]]] = {}
        self._kinds: dict[Node, frozenset[Node]] = {}

    @staticmethod
    def _index(pairs: Iterator[tuple[Node, Node]]) -> dict[Node, list[Node]]:
        index: dict[Node, list[Node]] = {}
        for key, node in pairs:
            nodes = index.get(key)
            if nodes is None:
                index[key] = [node]
            else:
                nodes.append(node)
        for key, nodes in index.items():  # a graph of several contexts may give a triple twice
            if len(nodes) > 1:
                index[key] = list(dict.fromkeys(nodes))
        return index

    def forward(self, predicate: Node) -> dict[Node, list[Node]]:
        """subject → objects of ``predicate``."""
        return self._cached(self._forward, predicate, inverse=False)

    def inverse(self, predicate: Node) -> dict[Node, list[Node]]:
        """object → subjects of ``predicate``."""
        return self._cached(self._inverse, predicate, inverse=True)

    def _cached(self, cache: dict, predicate: Node, inverse: bool) -> dict[Node, list[Node]]:
        index = cache.get(predicate)
        if index is None:
            triples = self.graph.triples((None, predicate, None))
            pairs = ((o, s) for s, _, o in triples) if inverse else ((s, o) for s, _, o in triples)
            index = cache[predicate] = self._index(pairs)
        return index

    def subclasses(self, cls: Node) -> frozenset[Node]:
        """``cls`` and every class below it by ``rdfs:subClassOf*``."""
        found = self._kinds.get(cls)
        if found is None:
            below = self.inverse(RDFS.subClassOf)
            seen, todo = {cls}, [cls]
            while todo:
                for sub in below.get(todo.pop(), ()):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            found = self._kinds[cls] = frozenset(seen)
        return found

    def instances(self, cls: Node) -> Iterator[Node]:
        typed = self.inverse(RDF.type)
        for kind in self.subclasses(cls):
            yield from typed.get(kind, ())


# ---------------------------------------------------------------------------- shapes


class _Result:
    """One validation result; ``details`` are the results nested under it (sh:node)."""

    __slots__ = ("shape", "focus", "message", "details")

    def __init__(self, shape: _Shape, focus: Node, message: str, details: list[_Result]) -> None:
        self.shape = shape
        self.focus = focus
        self.message = message
        self.details = details


Values = dict[Node, list[Node]]
Failed = set[Node]
Reports = dict[Node, list[_Result]]


class _Shape:
    __slots__ = (
        "node",
        "path",
        "predicate",
        "inverse",
        "severity",
        "allowed",
        "message",
        "constraints",
        "targets",
        "name",
        "severity_name",
    )

    def __init__(self, node: Node) -> None:
        self.node = node
        self.path: Node | None = None  # the sh:path value as written
        self.predicate: URIRef | None = None
        self.inverse = False
        self.severity: Node = SH.Violation
        self.allowed = False
        self.message: str | None = None
        self.constraints: list[Callable[[Validation, Values, Failed, Reports], None]] = []
        self.targets: list[tuple[Node, Node]] = []
        self.name = self.severity_name = ""

    @property
    def is_property_shape(self) -> bool:
        return self.path is not None


class Shapes:
    """A shapes graph, read and checked once; :meth:`validate` checks data graphs against it."""

    def __init__(self, shapes: Graph) -> None:
        self.graph = shapes
        self._check_vocabulary()
        # Words and names as pyshacl has them: the shapes' prefixes with sh: bound for its messages,
        # and rdflib's core prefixes then those for its report (shape and severity names).
        words_graph = _prefix_graph(_namespaces_of(shapes), "none", override=True, replace=True)
        self.words = _Words(shapes, words_graph.namespace_manager)
        report = _prefix_graph(words_graph.namespaces(), "core", override=True, replace=False)
        self._shapes: dict[Node, _Shape] = {}
        self._compiling: set[Node] = set()
        node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
        property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
        targeted = {s for p in TARGETS for s in shapes.subjects(p, None)}
        self.targeted = [self._shape(node) for node in sorted(targeted, key=str)]
        for node in sorted(node_shapes | property_shapes, key=str):  # check them even if nothing uses them
            self._shape(node)
        for shape in self._shapes.values():
            shape.name = short_name(report, shape.node)
            shape.severity_name = short_name(report, shape.severity).split("#")[-1].replace("sh:", "")

    # ------------------------------------------------------------------ reading the shapes

    def _check_vocabulary(self) -> None:
        sh = str(SH)
        for s, p, o in self.graph.triples((None, None, None)):
            if str(p).startswith(sh) and p not in SUPPORTED_PREDICATES:
                raise _unsupported(_curie(p), f"used on {s}")
            if p == RDF.type and str(o).startswith(sh) and o not in SUPPORTED_CLASSES:
                raise _unsupported(_curie(o), f"the type of {s}")

    def _one(self, node: Node, predicate: URIRef, required: bool = True) -> Node | None:
        values = list(self.graph.objects(node, predicate))
        if len(values) > 1 or (required and not values):
            raise _malformed(node, f"needs {'exactly' if required else 'at most'} one {_curie(predicate)}")
        return values[0] if values else None

    def _list(self, node: Node, head: Node, predicate: URIRef) -> list[Node]:
        try:
            items = list(self.graph.items(head))
        except ValueError as error:
            raise _malformed(node, f"{_curie(predicate)} is not a well-formed RDF list: {error}") from None
        if not items:
            raise _malformed(node, f"{_curie(predicate)} needs a list of one or more members")
        return items

    def _count(self, node: Node, predicate: URIRef, kinds: Iterable[URIRef]) -> int:
        value = self._one(node, predicate)
        if not (
            isinstance(value, Literal)
            and value.datatype in kinds
            and not getattr(value, "ill_typed", False)
            and isinstance(value.value, int)
            and value.value >= 0
        ):
            raise _malformed(node, f"{_curie(predicate)} must be a non-negative integer, not {value!r}")
        return int(value.value)

    def _shape(self, node: Node, property_shape: bool | None = None, via: URIRef | None = None) -> _Shape:
        shape = self._shapes.get(node)
        if shape is None:
            if node in self._compiling:
                raise _unsupported("a recursive shape", f"{node} refers back to itself")
            if not isinstance(node, (URIRef, BNode)):
                raise _malformed(node, f"{_curie(via) if via else 'a shape'} must name a shape, not a literal")
            if via is not None and next(iter(self.graph.triples((node, None, None))), None) is None:
                raise _malformed(node, f"{_curie(via)} refers to a shape the shapes graph does not describe")
            self._compiling.add(node)
            shape = self._compile(node)
            self._compiling.discard(node)
            self._shapes[node] = shape
        if property_shape is True and not shape.is_property_shape:
            raise _malformed(node, "sh:property needs a property shape (one with sh:path)")
        if property_shape is False and shape.is_property_shape:
            raise _malformed(node, "sh:node needs a node shape (one without sh:path)")
        return shape

    def _compile(self, node: Node) -> _Shape:
        g = self.graph
        shape = _Shape(node)
        types = set(g.objects(node, RDF.type))
        for kind in types:
            if kind not in SUPPORTED_CLASSES:
                raise _unsupported(f"a shape of type <{kind}>", f"{node} (implicit class targets are not supported)")
        path = self._one(node, SH.path, required=False)
        if SH.NodeShape in types and path is not None:
            raise _malformed(node, "a sh:NodeShape cannot have a sh:path")
        if SH.PropertyShape in types and path is None:
            raise _malformed(node, "a sh:PropertyShape needs a sh:path")
        if path is not None:
            shape.path = path
            shape.predicate, shape.inverse = self._path(node, path)
        severity = self._one(node, SH.severity, required=False)
        if severity is not None:
            shape.severity = severity
        shape.allowed = shape.severity in ALLOWED_SEVERITIES
        messages = [str(m) for m in g.objects(node, SH.message)]
        shape.message = min(messages) if messages else None
        for target in TARGETS:
            shape.targets.extend((target, value) for value in g.objects(node, target))
        present = {p for p in g.predicates(node) if p in CONSTRAINTS}
        for predicate in sorted(present, key=str):
            shape.constraints.append(getattr(self, "_c_" + str(predicate)[len(str(SH)) :])(shape))
        return shape

    def _path(self, node: Node, path: Node) -> tuple[URIRef, bool]:
        if isinstance(path, URIRef):
            return path, False
        if isinstance(path, BNode):
            pairs = list(self.graph.predicate_objects(path))
            if any(p == RDF.first for p, _ in pairs):
                raise _unsupported("a sequence path", f"the sh:path of {node}")
            if len(pairs) == 1 and pairs[0][0] == SH.inversePath:
                if isinstance(pairs[0][1], URIRef):
                    return pairs[0][1], True
                raise _unsupported("sh:inversePath of a path other than an IRI", f"the sh:path of {node}")
            terms = ", ".join(sorted(_curie(p) for p, _ in pairs)) or "an empty path"
            raise _unsupported(f"the path {terms}", f"the sh:path of {node}")
        raise _malformed(node, f"sh:path must be an IRI or [ sh:inversePath IRI ], not {path!r}")

    # ------------------------------------------------------------------ constraints
    # Each _c_<name> reads the parameters of one constraint and returns a check that, for each focus
    # node and its value nodes, records failures (focus nodes) and results (by focus node).

    def _c_minCount(self, shape: _Shape) -> Callable:
        return self._count_check(shape, SH.minCount, "Less", lambda n, limit: n < limit)

    def _c_maxCount(self, shape: _Shape) -> Callable:
        return self._count_check(shape, SH.maxCount, "More", lambda n, limit: n > limit)

    def _count_check(self, shape: _Shape, predicate: URIRef, word: str, fails: Callable[[int, int], bool]) -> Callable:
        if not shape.is_property_shape:
            raise _malformed(shape.node, f"{_curie(predicate)} belongs on a property shape, not a node shape")
        value = self._one(shape.node, predicate)
        if not (isinstance(value, Literal) and value.datatype == XSD.integer and isinstance(value.value, int)):
            raise _malformed(shape.node, f"{_curie(predicate)} must be an xsd:integer literal, not {value!r}")
        limit = int(value.value)
        if limit < 0:
            raise _malformed(shape.node, f"{_curie(predicate)} must be >= 0")
        path_words = self.words(shape.path)

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            if predicate == SH.minCount and limit == 0:
                return
            for focus, nodes in values.items():
                if fails(len(nodes), limit):
                    run.fail(
                        shape,
                        focus,
                        lambda f=focus: f"{word} than {value.value} values on {run.data_words(f)}->{path_words}",
                        failed,
                        reports,
                    )

        return check

    def _c_class(self, shape: _Shape) -> Callable:
        rules = list(self.graph.objects(shape.node, SH_CLASS))
        if len(rules) < 2:
            text = f"Value does not have class {self.words(rules[0])}"
        else:
            text = "Value class is not in classes ({})".format(", ".join(self.words(c) for c in rules))

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            types = run.data.forward(RDF.type)
            for rule in rules:
                kinds = run.data.subclasses(rule)
                for focus, nodes in values.items():
                    for value in nodes:
                        if isinstance(value, Literal) or kinds.isdisjoint(types.get(value, ())):
                            run.fail(shape, focus, lambda: text, failed, reports)

        return check

    def _c_datatype(self, shape: _Shape) -> Callable:
        rule = self._one(shape.node, SH.datatype)
        text = f"Value is not Literal with datatype {self.words(rule)}"
        fits = _datatype_test(rule)

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for focus, nodes in values.items():
                for value in nodes:
                    if not fits(value):
                        run.fail(shape, focus, lambda: text, failed, reports)

        return check

    def _c_hasValue(self, shape: _Shape) -> Callable:
        wanted = set(self.graph.objects(shape.node, SH.hasValue))  # built as pyshacl builds it, for its order
        listed = [self.words(value) for value in wanted]
        if shape.is_property_shape:
            path_words = self.words(shape.path)

            def message(run: Validation, focus: Node) -> str:
                return f"Node {run.data_words(focus)}->{path_words} does not contain a value in the set: {listed}"
        else:

            def message(run: Validation, focus: Node) -> str:
                return f"Node {run.data_words(focus)} value is not a in the set of values: {listed}"

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for expected in wanted:
                for focus, nodes in values.items():
                    if expected not in nodes:
                        run.fail(shape, focus, lambda f=focus: message(run, f), failed, reports)

        return check

    def _c_in(self, shape: _Shape) -> Callable:
        head = self._one(shape.node, SH_IN)
        members: set[Node] = set()
        for item in self.graph.items(head):  # added one by one as pyshacl does: its message lists the set
            members.add(item)
        listed = [self.words(value) for value in members]

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for focus, nodes in values.items():
                for value in nodes:
                    if value not in members:
                        run.fail(
                            shape,
                            focus,
                            lambda v=value: f"Value {run.data_words(v)} not in list {listed}",
                            failed,
                            reports,
                        )

        return check

    def _c_minLength(self, shape: _Shape) -> Callable:
        rule = self._one(shape.node, SH.minLength)
        least = self._count(shape.node, SH.minLength, XSD_WHOLE_INTEGERS)

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            if least == 0:
                return
            for focus, nodes in values.items():
                for value in nodes:
                    if isinstance(value, BNode) or len(_string(value)) < least:
                        run.fail(shape, focus, lambda: f"String length not >= {run.data_words(rule)}", failed, reports)

        return check

    def _c_pattern(self, shape: _Shape) -> Callable:
        rules = list(self.graph.objects(shape.node, SH.pattern))
        compiled = []
        for rule in rules:
            if not isinstance(rule, Literal):
                raise _malformed(shape.node, "sh:pattern must be a literal")
            text = str(rule.value) if rule.value is not None and len(rule.value) > 1 else str(rule)
            try:
                compiled.append(re.compile(text))
            except re.error as error:
                raise _malformed(shape.node, f"sh:pattern {text!r} is not a regular expression: {error}") from None
        if len(rules) < 2:
            text = f"Value does not match pattern '{rules[0].value}'"
        else:
            text = "Value does not match every pattern in ('{}')".format("', '".join(str(r.value) for r in rules))

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for regex in compiled:
                for focus, nodes in values.items():
                    for value in nodes:
                        if isinstance(value, BNode) or not regex.search(_string(value)):
                            run.fail(shape, focus, lambda: text, failed, reports)

        return check

    def _c_property(self, shape: _Shape) -> Callable:
        members = [
            self._shape(n, property_shape=True, via=SH.property) for n in self.graph.objects(shape.node, SH.property)
        ]

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for member in members:
                outcome = run.each_value(member, values)
                if outcome is None:
                    continue
                sub_failed, sub_reports = outcome
                for focus, nodes in values.items():
                    for value in nodes:
                        if value in sub_failed and not member.allowed:
                            failed.add(focus)
                        found = sub_reports.get(value)
                        if found:
                            reports.setdefault(focus, []).extend(found)

        return check

    def _c_node(self, shape: _Shape) -> Callable:
        members = [self._shape(n, property_shape=False, via=SH.node) for n in self.graph.objects(shape.node, SH.node)]
        if len(members) < 2:
            text = f"Value does not conform to Shape {self.words(members[0].node)}."
        else:
            text = "Value must conform to every Shape in ('{}').".format(
                "', '".join(self.words(m.node) for m in members)
            )
        text += " See details for more information."

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for member in members:
                outcome = run.each_value(member, values)
                if outcome is None:
                    continue
                sub_failed, sub_reports = outcome
                for focus, nodes in values.items():
                    for value in nodes:
                        details = sub_reports.get(value, [])
                        if details or (value in sub_failed and not member.allowed):
                            run.fail(shape, focus, lambda: text, failed, reports, details)

        return check

    def _c_not(self, shape: _Shape) -> Callable:
        members = [self._shape(n, via=SH_NOT) for n in self.graph.objects(shape.node, SH_NOT)]
        if len(members) == 1:
            shapes_text = f"shape {self.words(members[0].node)}"
        else:
            shapes_text = "any shapes in " + " , ".join(self.words(m.node) for m in members)

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for member in members:
                outcome = run.each_value(member, values)
                if outcome is None:
                    continue
                sub_failed = outcome[0]
                for focus, nodes in values.items():
                    for value in nodes:
                        if member.allowed or value not in sub_failed:
                            run.fail(
                                shape,
                                focus,
                                lambda v=value: f"Node {run.data_words(v)} must not conform to {shapes_text}",
                                failed,
                                reports,
                            )

        return check

    def _c_or(self, shape: _Shape) -> Callable:
        alternatives = []
        for head in self.graph.objects(shape.node, SH_OR):
            items = self._list(shape.node, head, SH_OR)
            alternatives.append((items, [self._shape(n, via=SH_OR) for n in dict.fromkeys(items)]))
        if len(alternatives) < 2:
            shapes_text = " , ".join(self.words(n) for n in alternatives[0][0])
        else:
            shapes_text = " and ".join(
                "({})".format(" , ".join(self.words(n) for n in items)) for items, _ in alternatives
            )

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            distinct = list(dict.fromkeys(v for nodes in values.values() for v in nodes))
            for _, members in alternatives:
                passed: set[Node] = set()
                remaining = distinct
                for member in members:
                    if not remaining:
                        break
                    sub_failed = run.evaluate(member, remaining)[0]
                    passed.update(v for v in remaining if member.allowed or v not in sub_failed)
                    remaining = [v for v in remaining if v not in passed]
                for focus, nodes in values.items():
                    for value in nodes:
                        if value not in passed:
                            run.fail(
                                shape,
                                focus,
                                lambda v=value: (
                                    f"Node {run.data_words(v)} must conform to one or more shapes in {shapes_text}"
                                ),
                                failed,
                                reports,
                            )

        return check

    # ------------------------------------------------------------------ validating

    def validate(self, graph: object) -> tuple[bool, list[Violation]]:
        """Whether ``graph`` conforms, and its results (unsorted)."""
        return Validation(self, graph).run()


class Validation:
    """One data graph checked against one :class:`Shapes`."""

    def __init__(self, shapes: Shapes, graph: object) -> None:
        self.shapes = shapes
        self.data = _Data(graph)
        namespaces = _namespaces_of(graph)
        # Paths are named with the data graph's own prefixes (violations.short_name); messages
        # with those of pyshacl's copy of it: rdflib's core prefixes, then the graph's, then sh:.
        self.path_names = (
            graph
            if getattr(graph, "namespace_manager", None) is not None
            else _prefix_graph(namespaces, "none", override=True, replace=True)
        )
        self._data_words: _Words | None = None
        self._namespaces = namespaces

    def data_words(self, node: Node) -> str:
        if self._data_words is None:
            prefixes = _prefix_graph(self._namespaces, "core", override=True, replace=True)
            self._data_words = _Words(self.data.graph, prefixes.namespace_manager)
        return self._data_words(node)

    def fail(
        self,
        shape: _Shape,
        focus: Node,
        message: Callable[[], str],
        failed: Failed,
        reports: Reports,
        details: list[_Result] | None = None,
    ) -> None:
        failed.add(focus)
        text = shape.message if shape.message is not None else message()
        reports.setdefault(focus, []).append(_Result(shape, focus, text, details or []))

    def values(self, shape: _Shape, foci: Iterable[Node]) -> Values:
        if shape.predicate is None:
            return {focus: [focus] for focus in foci}
        index = self.data.inverse(shape.predicate) if shape.inverse else self.data.forward(shape.predicate)
        return {focus: index.get(focus, []) for focus in foci}

    def evaluate(self, shape: _Shape, foci: list[Node]) -> tuple[Failed, Reports]:
        """The focus nodes that fail a constraint of ``shape`` and the results, by focus node."""
        values = self.values(shape, foci)
        failed: Failed = set()
        reports: Reports = {}
        for check in shape.constraints:
            check(self, values, failed, reports)
        return failed, reports

    def each_value(self, shape: _Shape, values: Values) -> tuple[Failed, Reports] | None:
        """``shape`` evaluated on every value node, each once (``None`` when there are none)."""
        distinct = list(dict.fromkeys(v for nodes in values.values() for v in nodes))
        return self.evaluate(shape, distinct) if distinct else None

    def targets(self, shape: _Shape) -> list[Node]:
        found: dict[Node, None] = {}
        for kind, value in shape.targets:
            if kind == SH.targetClass:
                found.update(dict.fromkeys(self.data.instances(value)))
            elif kind == SH.targetObjectsOf:
                found.update(dict.fromkeys(self.data.inverse(value)))
            elif kind == SH.targetSubjectsOf:
                found.update(dict.fromkeys(self.data.forward(value)))
            else:  # sh:targetNode: whether or not the graph mentions it
                found[value] = None
        return list(found)

    def run(self) -> tuple[bool, list[Violation]]:
        conforms = True
        results: list[_Result] = []
        for shape in self.shapes.targeted:
            foci = self.targets(shape)
            if not foci:
                continue
            failed, reports = self.evaluate(shape, foci)
            if failed and not shape.allowed:
                conforms = False
            for found in reports.values():
                results.extend(found)
        return conforms, list(self._violations(results))

    def _violations(self, results: list[_Result]) -> Iterator[Violation]:
        paths: dict[Node | None, str] = {}
        todo = list(results)
        while todo:
            result = todo.pop()
            shape = result.shape
            path = paths.get(shape.path)
            if path is None:
                path = paths[shape.path] = (
                    short_name(self.path_names, shape.path)
                    if isinstance(shape.path, URIRef)
                    else ("" if shape.path is None else "(complex path)")
                )
            yield Violation(
                severity=shape.severity_name,
                focus=str(result.focus),
                path=path,
                message=result.message,
                shape=shape.name,
            )
            todo.extend(result.details)


# ---------------------------------------------------------------------------- values, as pyshacl reads them


def _string(value: Node) -> str:
    """The string form of a value for sh:minLength and sh:pattern."""
    if isinstance(value, Literal):
        if value.value is not None and value.datatype in (None, RDF.langString, XSD.string):
            return str(value.value)
    return str(value)


_VALUE_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _datatype_test(rule: Node) -> Callable[[Node], bool]:
    """pyshacl's sh:datatype test: a literal with the datatype's IRI whose lexical form rdflib does not
    flag as ill-typed (and, for the datatypes pyshacl knows, whose value has the Python type)."""
    kind = _VALUE_TYPES.get(rule)
    any_literal, any_typed = rule == RDFS.Literal, rule == RDFS.Datatype
    plain_string, lang_string = rule == XSD.string, rule == RDF.langString

    def test(value: Node) -> bool:
        if not isinstance(value, Literal):
            return False
        datatype = value.datatype
        if datatype is not None and datatype == rule:
            if getattr(value, "ill_typed", None) is True:
                return False
            return kind is None or isinstance(value.value, kind)
        if any_literal:
            return True
        if any_typed:
            return bool(datatype)
        if plain_string:
            return datatype is None and value.language is None and isinstance(value.value, kind)
        if lang_string:
            return bool(value.language) and isinstance(value.value, kind)
        return False

    return test


def validate(graph: object, shapes: Graph) -> tuple[bool, list[Violation]]:
    """Validate ``graph`` against ``shapes``; return whether it conforms and its results, unsorted."""
    # The indexes are a few hundred thousand lists and no cycles: the collector's full passes over
    # a large graph's objects would only cost time (up to half the run), so it waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return Shapes(shapes).validate(graph)
    finally:
        if collecting:
            gc.enable()
