"""A fast SHACL validator for the subset of SHACL that ``ontology/shapes.ttl`` uses.

pyshacl takes about 15 s to validate a graph of 322k triples: it looks each value up through rdflib
one focus node at a time and builds a report graph. This validator reads the data graph's own
indexes (a :class:`graph.rdf.triples.TripleSet`, terms as N-Triples text) and checks every shape
against all its focus nodes in one pass, so its time is about linear in the size of the graph.

It finds the results pyshacl finds (``inference="none"``, ``advanced=True``, ``allow_warnings=True``):
the same focus nodes, paths, constraint components, severities and values (a test compares the two
on the seed graph and on broken graphs). That includes two habits of pyshacl's report as
:func:`graph.rdf.validate.validate` reads it: the results pyshacl nests under an ``sh:node`` result
(``sh:detail``) are listed as results of their own, and a value that several focus nodes share is
checked, and reported, once for each of them. Messages are a shape's ``sh:message`` where it has one,
else words of our own in the manner of pyshacl's.

Supported, per the SHACL specification and as pyshacl reads it:

* shapes: ``sh:NodeShape``, ``sh:PropertyShape`` and shapes implied by their use; targets
  ``sh:targetClass`` (with ``rdfs:subClassOf*`` in the data graph), ``sh:targetObjectsOf``,
  ``sh:targetSubjectsOf`` and ``sh:targetNode``; ``sh:message``, ``sh:severity`` (``sh:Info`` and
  ``sh:Warning`` results do not make a graph non-conforming), ``sh:name`` and ``sh:description``;
* paths: a predicate IRI or ``[ sh:inversePath IRI ]``;
* constraints: ``sh:minCount``, ``sh:maxCount``, ``sh:datatype`` (a literal of that datatype whose
  lexical form is valid for it: the whole-number datatypes, those of :data:`LEXICAL_FORMS` (dates
  included), ``xsd:string``, ``rdf:langString``, ``rdfs:Literal``; a shape naming another datatype
  is refused, since its literals could not be checked), ``sh:class``,
  ``sh:hasValue``, ``sh:in``, ``sh:minLength``, ``sh:pattern`` (a regular-expression search in the
  string form of the value), ``sh:minInclusive`` (numbers), ``sh:property``, ``sh:node``, ``sh:not``
  and ``sh:or``.

Any other term of the SHACL vocabulary in the shapes graph (``sh:maxLength``, ``sh:flags``,
``sh:and``, ``sh:sparql``, other kinds of path, ...) raises a :class:`SocieuxError` naming it, as do
malformed constraints and recursive shapes: nothing is skipped in silence.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import partial

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD, NamespaceManager
from rdflib.term import Node

from graph.collector import collector_paused
from graph.errors import SocieuxError
from graph.rdf import terms
from graph.rdf.terms import from_rdflib
from graph.rdf.triples import Objects, TripleSet
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
        SH.minInclusive,
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

# The constraint component each constraint parameter reports its results under.
COMPONENTS = {
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.datatype: "Datatype",
    SH_CLASS: "Class",
    SH.hasValue: "HasValue",
    SH_IN: "In",
    SH.minLength: "MinLength",
    SH.pattern: "Pattern",
    SH.minInclusive: "MinInclusive",
    SH.node: "Node",
    SH_NOT: "Not",
    SH_OR: "Or",
}

_X = str(XSD)
# whole-number datatypes and their bounds (None: unbounded)
INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    _X + "integer": (None, None),
    _X + "long": (-(2**63), 2**63 - 1),
    _X + "int": (-(2**31), 2**31 - 1),
    _X + "short": (-(2**15), 2**15 - 1),
    _X + "byte": (-(2**7), 2**7 - 1),
    _X + "nonNegativeInteger": (0, None),
    _X + "positiveInteger": (1, None),
    _X + "nonPositiveInteger": (None, 0),
    _X + "negativeInteger": (None, -1),
    _X + "unsignedLong": (0, 2**64 - 1),
    _X + "unsignedInt": (0, 2**32 - 1),
    _X + "unsignedShort": (0, 2**16 - 1),
    _X + "unsignedByte": (0, 2**8 - 1),
}
XSD_WHOLE_INTEGERS = frozenset(URIRef(datatype) for datatype in INTEGER_RANGES)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_FLOAT = re.compile(r"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)")
_TIMEZONE = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_DATE = re.compile(rf"(?P<year>{_YEAR})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12][0-9]|3[01])")
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"


def _valid_date(text: str, rest: str) -> bool:
    """An XSD (1.1) date followed by ``rest`` (a regular expression): the day exists in its month."""
    found = _DATE.match(text)
    if found is None or re.fullmatch(rest, text[found.end() :]) is None:
        return False
    year, month, day = int(found["year"]), int(found["month"]), int(found["day"])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= (29 if leap else 28) if month == 2 else day <= (30 if month in (4, 6, 9, 11) else 31)


# The lexical forms of the datatypes whose values are checked, besides the whole numbers; a shape that
# names a datatype outside these (and xsd:string, rdf:langString, rdfs:Literal) is refused.
LEXICAL_FORMS: dict[str, Callable[[str], bool]] = {
    _X + "boolean": lambda text: text in ("true", "false", "1", "0"),
    _X + "decimal": lambda text: _DECIMAL.fullmatch(text) is not None,
    _X + "double": lambda text: _FLOAT.fullmatch(text) is not None,
    _X + "float": lambda text: _FLOAT.fullmatch(text) is not None,
    _X + "date": lambda text: _valid_date(text, _TIMEZONE),
    _X + "dateTime": lambda text: _valid_date(text, f"T{_TIME}{_TIMEZONE}"),
    _X + "gYear": lambda text: re.fullmatch(_YEAR + _TIMEZONE, text) is not None,
    _X + "gYearMonth": lambda text: re.fullmatch(f"{_YEAR}-(0[1-9]|1[0-2]){_TIMEZONE}", text) is not None,
}
ANY_TEXT = frozenset({terms.XSD_STRING, terms.RDF_LANGSTRING, str(RDFS.Literal), str(RDFS.Datatype)})
CHECKED_DATATYPES = frozenset({*INTEGER_RANGES, *LEXICAL_FORMS, *ANY_TEXT})
NUMERIC = frozenset({*INTEGER_RANGES, _X + "decimal", _X + "double", _X + "float"})


def _well_formed(lexical: str, datatype: str) -> bool:
    bounds = INTEGER_RANGES.get(datatype)
    if bounds is not None:
        if _INTEGER.fullmatch(lexical) is None:
            return False
        least, most = bounds
        value = int(lexical)
        return (least is None or value >= least) and (most is None or value <= most)
    test = LEXICAL_FORMS.get(datatype)
    return test is None or test(lexical)


def _number(term: str) -> Decimal | None:
    """The value of a well-formed numeric literal term, else None."""
    if not terms.is_literal(term):
        return None
    lexical, _, datatype = terms.split_literal(term)
    if datatype not in NUMERIC or not _well_formed(lexical, datatype):
        return None
    try:
        return Decimal(lexical.replace("INF", "Infinity"))
    except InvalidOperation:
        return None


def _string(term: str) -> str:
    """The string form of a value for sh:minLength and sh:pattern (a literal's lexical form, an IRI)."""
    return terms.lexical(term)


def _unsupported(term: str, why: str = "") -> SocieuxError:
    return SocieuxError(
        f"SHACL shapes: {term} is not supported by the fast validator (graph/rdf/shacl.py)"
        f"{': ' + why if why else ''}; validate with engine='pyshacl' or teach graph/rdf/shacl.py the term"
    )


def _malformed(shape: Node, message: str) -> SocieuxError:
    return SocieuxError(f"SHACL shapes: shape {shape}: {message}")


def _curie(term: Node) -> str:
    text = str(term)
    return "sh:" + text[len(str(SH)) :] if text.startswith(str(SH)) else f"<{text}>"


# ---------------------------------------------------------------------------- naming


def _namespaces_of(graph: object) -> list[tuple[str, URIRef]]:
    manager = getattr(graph, "namespace_manager", None)
    if manager is not None:
        return list(manager.namespaces())
    namespaces = getattr(graph, "namespaces", None)
    return list(namespaces()) if callable(namespaces) else []


def _prefix_graph(
    namespaces: Iterable[tuple[str, object]],
    base: typing.Literal["core", "rdflib", "none"],
    override: bool,
    replace: bool,
) -> Graph:
    """An empty graph holding only prefixes, for naming terms."""
    graph = Graph(bind_namespaces=base)
    for prefix, namespace in namespaces:
        graph.namespace_manager.bind(prefix, namespace, override=override, replace=replace)
    return graph


class _Words:
    """Terms of the shapes graph in words, as pyshacl's ``stringify_node`` writes them (a blank
    node shape as the description of its triples)."""

    def __init__(self, graph: Graph, manager: NamespaceManager) -> None:
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
        lang = f", lang={node.language}" if node.language else ""
        datatype = f", datatype={self(node.datatype)}" if node.datatype else ""
        return f'Literal("{node}"{lang}{datatype})'

    def _blank_node(self, node: BNode, recursion: int) -> str:
        if recursion >= 12:
            return "<http://recursion.too.deep>"
        if node in self._blank:
            return self._blank[node]
        objects: dict[Node, list[Node]] = {}
        for p, o in self.graph.predicate_objects(node):
            objects.setdefault(p, []).append(o)
        if not objects:
            return "[ ]"
        if RDF.first in objects:
            return "( {} )".format(" ".join(self(item, recursion + 1) for item in self.graph.items(node)))
        parts: dict[str, str] = {}
        for p, values in objects.items():
            texts = [self(o, recursion + 1) for o in values]
            parts[p.n3(namespace_manager=self.manager)] = ", ".join(sorted(texts))
        text = "[ {} ]".format(" ; ".join(f"{p} {o}" for p, o in sorted(parts.items())))
        self._blank[node] = text
        return text


class _DataWords:
    """Terms of the data graph in words: IRIs as prefixed names where the graph's prefixes (or
    rdflib's core ones) give one, literals as in N-Triples with a prefixed datatype."""

    def __init__(self, manager: NamespaceManager) -> None:
        self.manager = manager
        self._cache: dict[str, str] = {}

    def _iri(self, iri: str) -> str:
        try:
            return URIRef(iri).n3(namespace_manager=self.manager)
        except Exception:  # noqa: BLE001 - a name we cannot shorten is written out whole
            return f"<{iri}>"

    def __call__(self, term: str) -> str:
        text = self._cache.get(term)
        if text is None:
            if terms.is_iri(term):
                text = self._iri(terms.iri_value(term))
            elif terms.is_literal(term):
                lexical, language, datatype = terms.split_literal(term)
                text = f'"{lexical}"' + (f"@{language}" if language else "")
                if datatype not in (terms.XSD_STRING, terms.RDF_LANGSTRING):
                    text += "^^" + self._iri(datatype)
            else:
                text = term
            self._cache[term] = text
        return text


# ---------------------------------------------------------------------------- the data graph


class _Data:
    """The data graph, read through its indexes; ``rdfs:subClassOf*`` closures computed once each."""

    RDF_TYPE = terms.iri(str(RDF.type))
    SUBCLASS_OF = terms.iri(str(RDFS.subClassOf))

    def __init__(self, triples: TripleSet) -> None:
        self.triples = triples
        self.index = triples.subject_index()
        self._kinds: dict[str, frozenset[str]] = {}

    def types(self, node: str) -> Iterable[str]:
        return self.index.get(node, {}).get(self.RDF_TYPE, ())

    def subclasses(self, cls: str) -> frozenset[str]:
        """``cls`` and every class below it by ``rdfs:subClassOf*``."""
        found = self._kinds.get(cls)
        if found is None:
            below = self.triples.by_object(self.SUBCLASS_OF)
            seen, todo = {cls}, [cls]
            while todo:
                for sub in below.get(todo.pop(), ()):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            found = self._kinds[cls] = frozenset(seen)
        return found

    def instances(self, cls: str) -> Iterator[str]:
        typed = self.triples.by_object(self.RDF_TYPE)
        for kind in self.subclasses(cls):
            yield from typed.get(kind, ())


# ---------------------------------------------------------------------------- shapes


class _Result:
    """One validation result; ``details`` are the results nested under it (sh:node)."""

    __slots__ = ("shape", "focus", "message", "details", "component", "value")

    def __init__(
        self, shape: _Shape, focus: str, message: str, details: list[_Result], component: str, value: str | None
    ) -> None:
        self.shape = shape
        self.focus = focus
        self.message = message
        self.details = details
        self.component = component
        self.value = value


class Values(dict):
    """Focus node → its value nodes. ``identity``: each focus node is its own value (a node shape);
    :meth:`distinct`: every value node once, computed on first use and shared by the checks."""

    def __init__(self, pairs: dict[str, Iterable[str]], identity: bool = False) -> None:
        super().__init__(pairs)
        self.identity = identity
        self._distinct: list[str] | None = None

    def distinct(self) -> list[str]:
        if self._distinct is None:
            self._distinct = list(self) if self.identity else list(dict.fromkeys(v for n in self.values() for v in n))
        return self._distinct


Failed = set[str]
Reports = dict[str, list[_Result]]
Check = Callable[["Validation", Values, Failed, Reports], None]


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
        self.predicate: str | None = None  # the path's predicate, as term text
        self.inverse = False
        self.severity: Node = SH.Violation
        self.allowed = False
        self.message: str | None = None
        self.constraints: list[Check] = []
        self.targets: list[tuple[Node, str]] = []
        self.name = self.severity_name = ""

    @property
    def is_property_shape(self) -> bool:
        return self.path is not None


class Shapes:
    """A shapes graph, read and checked once; :meth:`validate` checks data graphs against it."""

    def __init__(self, shapes: Graph) -> None:
        self.graph = shapes
        self._check_vocabulary()
        # the shapes' prefixes with sh: bound for messages; rdflib's core prefixes then those for the
        # shape and severity names (as pyshacl's report has them)
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

    def _count(self, node: Node, predicate: URIRef) -> int:
        value = self._one(node, predicate)
        if not (
            isinstance(value, Literal)
            and value.datatype in XSD_WHOLE_INTEGERS
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
            predicate, shape.inverse = self._path(node, path)
            shape.predicate = from_rdflib(predicate)
        severity = self._one(node, SH.severity, required=False)
        if severity is not None:
            shape.severity = severity
        shape.allowed = shape.severity in ALLOWED_SEVERITIES
        messages = [str(m) for m in g.objects(node, SH.message)]
        shape.message = min(messages) if messages else None
        for target in TARGETS:
            shape.targets.extend((target, from_rdflib(value)) for value in g.objects(node, target))
        present = {p for p in g.predicates(node) if p in CONSTRAINTS}
        for constraint in sorted(present, key=str):
            shape.constraints.append(getattr(self, "_c_" + str(constraint)[len(str(SH)) :])(shape))
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
            terms_text = ", ".join(sorted(_curie(p) for p, _ in pairs)) or "an empty path"
            raise _unsupported(f"the path {terms_text}", f"the sh:path of {node}")
        raise _malformed(node, f"sh:path must be an IRI or [ sh:inversePath IRI ], not {path!r}")

    # ------------------------------------------------------------------ constraints
    # Each _c_<name> reads the parameters of one constraint and returns a check that, for each focus
    # node and its value nodes, records failures (focus nodes) and results (by focus node).

    def _c_minCount(self, shape: _Shape) -> Check:
        return self._count_check(shape, SH.minCount, "Less")

    def _c_maxCount(self, shape: _Shape) -> Check:
        return self._count_check(shape, SH.maxCount, "More")

    def _count_check(self, shape: _Shape, predicate: URIRef, word: str) -> Check:
        if not shape.is_property_shape:
            raise _malformed(shape.node, f"{_curie(predicate)} belongs on a property shape, not a node shape")
        value = self._one(shape.node, predicate)
        if not (isinstance(value, Literal) and value.datatype == XSD.integer and isinstance(value.value, int)):
            raise _malformed(shape.node, f"{_curie(predicate)} must be an xsd:integer literal, not {value!r}")
        limit = int(value.value)
        if limit < 0:
            raise _malformed(shape.node, f"{_curie(predicate)} must be >= 0")
        path_words = self.words(shape.path)
        component = COMPONENTS[predicate]

        def message(run: Validation, focus: str) -> str:
            return f"{word} than {limit} values on {run.data_words(focus)}->{path_words}"

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            if predicate == SH.minCount and limit == 0:
                return
            if predicate == SH.minCount:
                wrong = [focus for focus, nodes in values.items() if len(nodes) < limit]
            else:
                wrong = [focus for focus, nodes in values.items() if len(nodes) > limit]
            for focus in wrong:
                run.fail(shape, focus, partial(message, run, focus), failed, reports, component)

        return check

    def _c_class(self, shape: _Shape) -> Check:
        rules = list(self.graph.objects(shape.node, SH_CLASS))
        if len(rules) < 2:
            text = f"Value does not have class {self.words(rules[0])}"
        else:
            text = "Value class is not in classes ({})".format(", ".join(self.words(c) for c in rules))
        classes = [from_rdflib(rule) for rule in rules]

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            data = run.data
            for rule in classes:
                kinds = data.subclasses(rule)
                outside = {v for v in values.distinct() if terms.is_literal(v) or kinds.isdisjoint(data.types(v))}
                run.fail_values(shape, values, outside, lambda v: text, failed, reports, "Class")

        return check

    def _c_datatype(self, shape: _Shape) -> Check:
        rule = self._one(shape.node, SH.datatype)
        if str(rule) not in CHECKED_DATATYPES:
            why = "its lexical forms are not checked, so its literals would always pass"
            raise _unsupported(f"sh:datatype {self.words(rule)}", why)
        text = f"Value is not Literal with datatype {self.words(rule)}"
        fits = _datatype_test(str(rule))

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            wrong = {v for v in values.distinct() if not fits(v)}
            run.fail_values(shape, values, wrong, lambda v: text, failed, reports, "Datatype")

        return check

    def _c_hasValue(self, shape: _Shape) -> Check:
        expected = list(self.graph.objects(shape.node, SH.hasValue))
        listed = [self.words(value) for value in expected]
        wanted = [from_rdflib(value) for value in expected]
        if shape.is_property_shape:
            path_words = self.words(shape.path)

            def message(run: Validation, focus: str) -> str:
                return f"Node {run.data_words(focus)}->{path_words} does not contain a value in the set: {listed}"
        else:

            def message(run: Validation, focus: str) -> str:
                return f"Node {run.data_words(focus)} value is not a in the set of values: {listed}"

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for value in wanted:
                for focus, nodes in values.items():
                    if value not in nodes:
                        run.fail(shape, focus, partial(message, run, focus), failed, reports, "HasValue")

        return check

    def _c_in(self, shape: _Shape) -> Check:
        head = self._one(shape.node, SH_IN)
        assert head is not None  # _one raises when a required value is missing
        items = list(self.graph.items(head))
        listed = [self.words(value) for value in items]
        members = {from_rdflib(item) for item in items}

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            outside = {v for v in values.distinct() if v not in members}
            run.fail_values(
                shape,
                values,
                outside,
                lambda v: f"Value {run.data_words(v)} not in list {listed}",
                failed,
                reports,
                "In",
            )

        return check

    def _c_minLength(self, shape: _Shape) -> Check:
        rule = self._one(shape.node, SH.minLength)
        least = self._count(shape.node, SH.minLength)
        text = f"String length not >= {self.words(rule)}"

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            if least == 0:
                return
            short = {v for v in values.distinct() if terms.is_blank(v) or len(_string(v)) < least}
            run.fail_values(shape, values, short, lambda v: text, failed, reports, "MinLength")

        return check

    def _c_pattern(self, shape: _Shape) -> Check:
        rules = list(self.graph.objects(shape.node, SH.pattern))
        compiled = []
        for rule in rules:
            if not isinstance(rule, Literal):
                raise _malformed(shape.node, "sh:pattern must be a literal")
            try:
                compiled.append(re.compile(str(rule)))
            except re.error as error:
                raise _malformed(shape.node, f"sh:pattern {str(rule)!r} is not a regular expression: {error}") from None
        if len(rules) < 2:
            text = f"Value does not match pattern '{rules[0]}'"
        else:
            text = "Value does not match every pattern in ('{}')".format("', '".join(str(r) for r in rules))

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for regex in compiled:
                unmatched = {v for v in values.distinct() if terms.is_blank(v) or not regex.search(_string(v))}
                run.fail_values(shape, values, unmatched, lambda v: text, failed, reports, "Pattern")

        return check

    def _c_minInclusive(self, shape: _Shape) -> Check:
        rule = self._one(shape.node, SH.minInclusive)
        bound = _number(from_rdflib(rule)) if isinstance(rule, Literal) else None
        if bound is None:
            raise _malformed(shape.node, f"sh:minInclusive must be a number, not {rule!r}")
        text = f"Value is not >= {self.words(rule)}"

        def smaller(value: str) -> bool:
            number = _number(value)
            return number is None or number.is_nan() or number < bound

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            below = {v for v in values.distinct() if smaller(v)}
            run.fail_values(shape, values, below, lambda v: text, failed, reports, "MinInclusive")

        return check

    def _c_property(self, shape: _Shape) -> Check:
        members = [
            self._shape(n, property_shape=True, via=SH.property) for n in self.graph.objects(shape.node, SH.property)
        ]

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for member in members:
                outcome = run.each_value(member, values)
                if outcome is None:
                    continue
                sub_failed, sub_reports = outcome
                if values.identity:  # a node shape's property: the focus nodes' own results
                    if not member.allowed:
                        failed.update(sub_failed)
                    for focus, found in sub_reports.items():
                        reports.setdefault(focus, []).extend(found)
                    continue
                if not sub_failed and not sub_reports:
                    continue
                for focus, nodes in values.items():
                    for value in nodes:
                        if value in sub_failed and not member.allowed:
                            failed.add(focus)
                        nested = sub_reports.get(value)
                        if nested:
                            reports.setdefault(focus, []).extend(nested)

        return check

    def _c_node(self, shape: _Shape) -> Check:
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
                if not sub_failed and not sub_reports:
                    continue
                for focus, nodes in values.items():
                    for value in nodes:
                        details = sub_reports.get(value, [])
                        if details or (value in sub_failed and not member.allowed):
                            run.fail(shape, focus, lambda: text, failed, reports, "Node", value, details)

        return check

    def _c_not(self, shape: _Shape) -> Check:
        members = [self._shape(n, via=SH_NOT) for n in self.graph.objects(shape.node, SH_NOT)]
        if len(members) == 1:
            shapes_text = f"shape {self.words(members[0].node)}"
        else:
            shapes_text = "any shapes in " + " , ".join(self.words(m.node) for m in members)

        def message(run: Validation, value: str) -> str:
            return f"Node {run.data_words(value)} must not conform to {shapes_text}"

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            for member in members:
                outcome = run.each_value(member, values)
                if outcome is None:
                    continue
                sub_failed = outcome[0]
                for focus, nodes in values.items():
                    for value in nodes:
                        if member.allowed or value not in sub_failed:
                            run.fail(shape, focus, partial(message, run, value), failed, reports, "Not", value)

        return check

    def _c_or(self, shape: _Shape) -> Check:
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

        def message(run: Validation, value: str) -> str:
            return f"Node {run.data_words(value)} must conform to one or more shapes in {shapes_text}"

        def check(run: Validation, values: Values, failed: Failed, reports: Reports) -> None:
            distinct = list(dict.fromkeys(v for nodes in values.values() for v in nodes))
            for _, members in alternatives:
                passed: set[str] = set()
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
                            run.fail(shape, focus, partial(message, run, value), failed, reports, "Or", value)

        return check

    # ------------------------------------------------------------------ validating

    def validate(self, graph: TripleSet) -> tuple[bool, list[Violation]]:
        """Whether ``graph`` conforms, and its results (unsorted)."""
        return Validation(self, graph).run()


class Validation:
    """One data graph checked against one :class:`Shapes`."""

    def __init__(self, shapes: Shapes, graph: TripleSet) -> None:
        self.shapes = shapes
        self.data = _Data(graph)
        namespaces = graph.namespaces()
        # paths are named with the data graph's own prefixes; data terms in messages with rdflib's
        # core prefixes, then the graph's
        self.path_names = _prefix_graph(namespaces, "none", override=True, replace=True)
        self._namespaces = namespaces
        self._data_words: _DataWords | None = None

    def data_words(self, term: str) -> str:
        if self._data_words is None:
            prefixes = _prefix_graph(self._namespaces, "core", override=True, replace=True)
            self._data_words = _DataWords(prefixes.namespace_manager)
        return self._data_words(term)

    def fail(
        self,
        shape: _Shape,
        focus: str,
        message: Callable[[], str],
        failed: Failed,
        reports: Reports,
        component: str,
        value: str | None = None,
        details: list[_Result] | None = None,
    ) -> None:
        failed.add(focus)
        text = shape.message if shape.message is not None else message()
        reports.setdefault(focus, []).append(_Result(shape, focus, text, details or [], component, value))

    def fail_values(
        self,
        shape: _Shape,
        values: Values,
        wrong: set[str],
        message: Callable[[str], str],
        failed: Failed,
        reports: Reports,
        component: str,
    ) -> None:
        """A result for each focus node and each of its values in ``wrong``."""
        if not wrong:
            return
        for focus, nodes in values.items():
            for value in nodes:
                if value in wrong:
                    self.fail(shape, focus, partial(message, value), failed, reports, component, value)

    def values(self, shape: _Shape, foci: Iterable[str]) -> Values:
        if shape.predicate is None:
            return Values({focus: (focus,) for focus in foci}, identity=True)
        predicate = shape.predicate
        if shape.inverse:
            index = self.data.triples.by_object(predicate)
            return Values({focus: index.get(focus, ()) for focus in foci})
        spo = self.data.index
        empty: dict[str, Objects] = {}
        return Values({focus: spo.get(focus, empty).get(predicate, ()) for focus in foci})

    def evaluate(self, shape: _Shape, foci: Iterable[str]) -> tuple[Failed, Reports]:
        """The focus nodes that fail a constraint of ``shape`` and the results, by focus node."""
        values = self.values(shape, foci)
        failed: Failed = set()
        reports: Reports = {}
        for check in shape.constraints:
            check(self, values, failed, reports)
        return failed, reports

    def each_value(self, shape: _Shape, values: Values) -> tuple[Failed, Reports] | None:
        """``shape`` evaluated on every value node, each once (``None`` when there are none)."""
        distinct = values.distinct()
        return self.evaluate(shape, distinct) if distinct else None

    def targets(self, shape: _Shape) -> list[str]:
        found: dict[str, None] = {}
        triples = self.data.triples
        for kind, value in shape.targets:
            if kind == SH.targetClass:
                found.update(dict.fromkeys(self.data.instances(value)))
            elif kind == SH.targetObjectsOf:
                found.update(dict.fromkeys(triples.by_object(value)))
            elif kind == SH.targetSubjectsOf:
                found.update(dict.fromkeys(subject for subject, _ in triples.pairs(value)))
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
                focus=terms.lexical(result.focus),
                path=path,
                message=result.message,
                shape=shape.name,
                component=f"sh:{result.component}ConstraintComponent",
                value=result.value or "",
            )
            todo.extend(result.details)


# ---------------------------------------------------------------------------- values


def _datatype_test(rule: str) -> Callable[[str], bool]:
    """The sh:datatype test, as pyshacl makes it: a literal with the datatype IRI whose lexical form
    is valid for it; ``rdfs:Literal`` takes every literal, ``rdfs:Datatype`` every literal with a
    datatype."""
    any_literal, any_typed = rule == str(RDFS.Literal), rule == str(RDFS.Datatype)

    def test(value: str) -> bool:
        if not terms.is_literal(value):
            return False
        lexical, _, datatype = terms.split_literal(value)
        if datatype == rule:
            return _well_formed(lexical, datatype)
        return any_literal or (any_typed and datatype not in (terms.XSD_STRING, terms.RDF_LANGSTRING))

    return test


def validate(graph: TripleSet, shapes: Graph) -> tuple[bool, list[Violation]]:
    """Validate ``graph`` against ``shapes``; return whether it conforms and its results, unsorted."""
    with collector_paused():  # the indexes are many small objects and no cycles
        return Shapes(shapes).validate(graph)
