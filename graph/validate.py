"""SHACL validation of a socieux-kg graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from graph.errors import SocieuxError
from graph.vocab import ontology_dir


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in words."""

    severity: str
    focus: str
    path: str
    message: str
    shape: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus}>{where}: {self.message}"


def load_shapes() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def _name(graph: Graph, node: object) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - a name we cannot shorten is written out whole
            return str(node)
    return "" if node is None else str(node)


def validate(graph: Graph, shapes: Graph | None = None) -> tuple[bool, list[Violation]]:
    """Validate ``graph``; return whether it conforms and its violations, sorted."""
    from pyshacl import validate as shacl_validate

    conforms, report, text = shacl_validate(
        graph, shacl_graph=shapes or load_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    if not isinstance(report, Graph):  # the shapes themselves are broken
        raise SocieuxError(f"ontology/shapes.ttl: cannot validate: {' '.join(str(text).split())[:300]}")
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        path = report.value(result, SH.resultPath)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        violations.append(
            Violation(
                severity=_name(report, report.value(result, SH.resultSeverity)).split("#")[-1].replace("sh:", ""),
                focus=str(report.value(result, SH.focusNode)),
                path=_name(graph, path) if isinstance(path, URIRef) else ("" if path is None else "(complex path)"),
                message=messages[0] if messages else "constraint not met",
                shape=_name(report, report.value(result, SH.sourceShape)),
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return bool(conforms), violations
