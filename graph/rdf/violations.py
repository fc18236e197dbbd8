"""A SHACL result in words, and how nodes are named in it: shared by both validation engines."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef


@dataclass(frozen=True)
class Violation:
    """One SHACL result: its severity, focus node (an IRI, or a blank node's label), path (a prefixed
    name, or "(complex path)"), message, source shape, constraint component (``sh:...Component``)
    and value (an N-Triples term, "" when the component reports none)."""

    severity: str
    focus: str
    path: str
    message: str
    shape: str
    component: str = ""
    value: str = ""

    def key(self) -> tuple[str, str, str, str, str]:
        """What a result says, whatever its wording: (focus, path, component, severity, value)."""
        return (self.focus, self.path, self.component, self.severity, self.value)

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus}>{where}: {self.message}"


def short_name(graph: Graph, node: object) -> str:
    """An IRI as a prefixed name with the graph's prefixes where one fits; other nodes as text."""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - a name we cannot shorten is written out whole
            return str(node)
    return "" if node is None else str(node)
