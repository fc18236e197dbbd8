"""SHACL validation of a socieux-kg graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from graph.errors import SocieuxError
from graph.rdf.terms import from_rdflib
from graph.rdf.triples import TripleSet
from graph.rdf.violations import Violation, short_name
from graph.vocab import ontology_dir


def load_shapes() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


ENGINES = ("fast", "pyshacl")


def _order(violation: Violation) -> tuple[str, ...]:
    """By focus node, path and message; the rest only orders results those leave tied."""
    return (
        violation.focus,
        violation.path,
        violation.message,
        violation.shape,
        violation.severity,
        violation.component,
        violation.value,
    )


def validate(
    graph: Graph | TripleSet, shapes: Graph | None = None, engine: str = "fast"
) -> tuple[bool, list[Violation]]:
    """Validate ``graph``; return whether it conforms and its violations, sorted.

    ``engine="fast"`` (graph/rdf/shacl.py) knows the part of SHACL that ontology/shapes.ttl uses and
    refuses shapes outside it; ``engine="pyshacl"`` is pyshacl, the reference the fast engine is
    tested against. Both find the same results (focus node, path, constraint component, severity,
    value); their messages may be worded differently. ``graph`` is an rdflib ``Graph`` or the build's
    :class:`TripleSet`.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    shapes = shapes or load_shapes()
    if engine == "fast":
        from graph.rdf import shacl

        triples = graph if isinstance(graph, TripleSet) else TripleSet.from_rdflib(graph)
        conforms, violations = shacl.validate(triples, shapes)
        return conforms, sorted(violations, key=_order)
    return _validate_pyshacl(graph if isinstance(graph, Graph) else graph.to_rdflib(), shapes)


def _validate_pyshacl(graph: Graph, shapes: Graph) -> tuple[bool, list[Violation]]:
    from pyshacl import validate as shacl_validate

    conforms, report, text = shacl_validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    if not isinstance(report, Graph):  # the shapes themselves are broken
        raise SocieuxError(f"ontology/shapes.ttl: cannot validate: {' '.join(str(text).split())[:300]}")
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        path = report.value(result, SH.resultPath)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        component = str(report.value(result, SH.sourceConstraintComponent))
        violations.append(
            Violation(
                severity=short_name(report, report.value(result, SH.resultSeverity)).split("#")[-1].replace("sh:", ""),
                focus=str(focus),
                path=(
                    short_name(graph, path) if isinstance(path, URIRef) else ("" if path is None else "(complex path)")
                ),
                message=messages[0] if messages else "constraint not met",
                shape=short_name(report, report.value(result, SH.sourceShape)),
                component="sh:" + component.removeprefix(str(SH)),
                value="" if value is None else from_rdflib(value),
            )
        )
    violations.sort(key=_order)
    return bool(conforms), violations
