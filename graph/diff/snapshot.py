"""One build as ``diff`` reads it: the ``actions`` table (each action's facts as the table shows
them) and, on request, the evidence of the facts of some actions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.errors import SocieuxError
from graph.fields import BY_PROPERTY

SEPARATOR = " | "
# what a build's output folder holds, in the order diff reads them
GRAPH_FILES = ("socieux.nt", "socieux.ttl", "socieux.jsonld")
UNCOMPARED = ("action", "sources")  # the action's IRI, and where it stands (lines move in a new scrape)

_EVIDENCE = """
SELECT ?action ?property ?value ?sentence ?reason ?by ?date ?file ?line ?rule WHERE {
  VALUES ?action { %s }
  ?action socx:evidence ?evidence .
  ?evidence rdf:predicate ?predicate ; rdf:object ?object ; socx:rule ?rule .
  BIND (STRAFTER(STR(?predicate), "#") AS ?property)
  OPTIONAL { ?object socx:isoAlpha3 ?code }
  OPTIONAL { ?object skos:prefLabel ?label }
  BIND (STR(COALESCE(?code, ?label, ?object)) AS ?value)
  OPTIONAL { ?evidence socx:sentence ?sentence }
  OPTIONAL { ?evidence socx:reason ?reason }
  OPTIONAL { ?evidence prov:wasAttributedTo/rdfs:label ?by }
  OPTIONAL { ?evidence dcterms:date ?date }
  OPTIONAL { ?evidence socx:sourceFile ?file }
  OPTIONAL { ?evidence socx:line ?line }
}"""
_LINES = """
SELECT ?action ?kind ?file ?line WHERE {
  VALUES ?action { %s }
  ?action prov:wasDerivedFrom ?record .
  ?record socx:sourceFile ?file .
  { ?record socx:partnerLine ?line BIND ("partner_institution" AS ?kind) }
  UNION { ?record socx:assistanceTypeLine ?line BIND ("assistance_types" AS ?kind) }
}"""
_BATCH = 500  # actions per evidence query


@dataclass(frozen=True)
class Evidence:
    sentence: str  # the sentence, the reason of a correction, or the line a value stands on
    file: str
    line: int
    rule: str
    by: str = ""  # a correction's author and date
    date: str = ""

    def as_json(self) -> dict:
        found = {"sentence": self.sentence, "file": self.file, "line": self.line, "rule": self.rule}
        return found | ({"by": self.by, "date": self.date} if self.by else {})


class Snapshot:
    """A build: its actions table by action IRI, and its store for the evidence."""

    def __init__(self, source: Path, store) -> None:
        from graph.sparql.query import named_queries
        from graph.sparql.store import run_query_store

        self.source = source
        self.store = store
        query = named_queries()["actions"]
        result = run_query_store(store, query)
        self.columns = [c for c in result.columns if c not in UNCOMPARED]
        self.multi_valued = set(query.multi_valued)
        self.rows = {row["action"]: row for row in result.rows}

    def values(self, iri: str, column: str) -> set[str]:
        """The values of one cell: several for a multi-valued column, none for an empty cell."""
        text = self.rows[iri].get(column) or ""
        if not text:
            return set()
        return set(text.split(SEPARATOR)) if column in self.multi_valued else {text}

    def facts(self, iri: str) -> dict[str, list[str]]:
        """The action's facts by column (its title and code included), each sorted."""
        return {c: sorted(self.values(iri, c)) for c in self.columns if self.values(iri, c)}

    def evidence(self, actions: list[str]) -> dict[tuple[str, str, str], list[Evidence]]:
        """(action, column, value) → the evidence of that fact, for the facts of ``actions``."""
        from graph.sparql.query import default_prefixes

        found: dict[tuple[str, str, str], list[Evidence]] = {}
        lines: dict[tuple[str, str], list[Evidence]] = {}
        ordered = sorted(set(actions))
        for start in range(0, len(ordered), _BATCH):
            values = " ".join(f"<{iri}>" for iri in ordered[start : start + _BATCH])
            for s in self.store.query(_EVIDENCE % values, prefixes=default_prefixes()):
                spec = BY_PROPERTY.get(s["property"].value)
                column = spec.name if spec is not None else _ACTION_CODE.get(s["property"].value)
                if column is None:
                    continue
                text = s["sentence"] if s["sentence"] is not None else s["reason"]
                evidence = Evidence(
                    " ".join(text.value.split()) if text is not None else "",
                    s["file"].value if s["file"] is not None else "",
                    int(s["line"].value) if s["line"] is not None else 0,
                    s["rule"].value,
                    s["by"].value if s["by"] is not None else "",
                    s["date"].value if s["date"] is not None else "",
                )
                found.setdefault((s["action"].value, column, s["value"].value), []).append(evidence)
            for s in self.store.query(_LINES % values, prefixes=default_prefixes()):
                kind = s["kind"].value
                line = Evidence(
                    f"the {kind.replace('_', ' ')} line", s["file"].value, int(s["line"].value), "page line"
                )
                lines.setdefault((s["action"].value, kind), []).append(line)
        for (iri, kind), stated in lines.items():  # a value the page states: the line it stands on
            if iri not in self.rows:
                continue
            for value in self.values(iri, kind):
                found.setdefault((iri, kind, value), sorted(set(stated), key=lambda e: (e.file, e.line)))
        return {key: sorted(set(found[key]), key=lambda e: (e.file, e.line, e.rule, e.sentence)) for key in found}


_ACTION_CODE = {"actionCode": "action_code"}


def read_snapshot(path: Path) -> Snapshot:
    """The build of an output folder (its store, else its graph file) or of a graph file."""
    from graph.sparql.store import open_store, store_for

    path = Path(path)
    if path.is_dir():
        if (path / "store").is_dir() and any((path / name).is_file() for name in GRAPH_FILES):
            graph_file = next(path / name for name in GRAPH_FILES if (path / name).is_file())
            source = store_for(graph_file)
        else:
            found = [path / name for name in GRAPH_FILES if (path / name).is_file()]
            if not found:
                raise SocieuxError(f"{path}: no build in this folder (no {', '.join(GRAPH_FILES)})")
            source = found[0]
    elif path.exists():
        source = store_for(path)
    else:
        raise SocieuxError(f"{path}: no such build folder or graph file")
    store = open_store(source)
    try:
        return Snapshot(path, store)
    except SocieuxError:
        raise
    except (OSError, ValueError, KeyError) as error:
        raise SocieuxError(f"{path}: cannot read the build: {error}") from None
