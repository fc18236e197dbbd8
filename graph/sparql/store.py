"""Oxigraph: the persistent store `build` writes (exports/store/) and SPARQL over it.

Queries then read the store instead of reparsing Turtle; a graph file given without a store is
loaded into an in-memory Oxigraph store. rdflib stays available (``--backend rdflib``) and gives
the same answers.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from graph.errors import OutputError, SocieuxError
from graph.files import exchange
from graph.namespaces import PREFIXES
from graph.sparql.query import (
    GRAPH_FORMATS,
    NamedQuery,
    QueryResult,
    bindings,
    default_prefixes,
    is_describe,
    select_rows,
)
from graph.sparql.results import Answer, query_prefixes, term_text

_OX_FORMATS = {
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "xml": "RDF_XML",
    "n3": "N3",
    "trig": "TRIG",
    "nquads": "N_QUADS",
    "json-ld": "JSON_LD",
}


def write_store(source: str | Path, target: Path, lenient: bool = False) -> None:
    """Write a persistent store of ``source`` (Turtle text, or a graph file) at ``target``, replacing
    any previous one only once the new one is complete, in one atomic step: a kill at any moment
    leaves the old store or the new one. ``lenient``: skip Oxigraph's checks of the
    IRIs (for the N-Triples the build has just written: IRIs it minted or read from the ontology)."""
    from pyoxigraph import RdfFormat, Store

    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as error:
        raise OutputError(f"{target.parent}: cannot write the store: {error.strerror or error}") from None
    try:
        store = Store(str(building))
        if isinstance(source, Path):
            fmt = _OX_FORMATS[GRAPH_FORMATS[source.suffix.lower()]]
            store.bulk_load(path=str(source), format=getattr(RdfFormat, fmt), lenient=lenient)
        else:
            store.bulk_load(source.encode("utf-8"), format=RdfFormat.TURTLE)
        store.flush()
        store.optimize()
        del store
        if target.exists():
            exchange(building, target)  # the old store is now at ``building``, removed below
        else:
            os.replace(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)


def open_store(path: Path):
    """An Oxigraph store for ``path``: a store folder read-only, or a graph file loaded in memory."""
    from pyoxigraph import RdfFormat, Store

    path = Path(path)
    if path.is_dir():
        try:
            return Store.read_only(str(path))
        except OSError as error:
            raise SocieuxError(f"{path}: not an Oxigraph store: {error}") from None
    if not path.exists():
        hint = " (run `socieux-kg build` first)" if path.name.startswith("socieux.") else ""
        raise SocieuxError(f"{path}: no such graph file{hint}")
    fmt = GRAPH_FORMATS.get(path.suffix.lower())
    if fmt is None or fmt not in _OX_FORMATS:
        raise SocieuxError(f"{path}: unknown graph format; use one of {', '.join(sorted(GRAPH_FORMATS))}")
    store = Store()
    try:
        store.bulk_load(path=str(path), format=getattr(RdfFormat, _OX_FORMATS[fmt]))
    except (SyntaxError, ValueError, OSError) as error:
        raise SocieuxError(f"{path}: cannot parse as {fmt}: {' '.join(str(error).split())[:300]}") from None
    return store


def memory_store(ntriples: str):
    """An in-memory Oxigraph store of a graph's N-Triples (a build's, as ``serialise.ntriples`` writes
    them)."""
    from pyoxigraph import RdfFormat, Store

    store = Store()
    store.bulk_load(ntriples.encode("utf-8"), format=RdfFormat.N_TRIPLES)
    return store


BUILD_GRAPH_FILES = ("socieux.ttl", "socieux.nt", "socieux.jsonld")  # what a build writes beside its store


def store_for(graph_file: Path) -> Path:
    """The store folder to use for ``graph_file``: the ``store/`` a build wrote beside it, when the
    file is one of the build's graph files and the store is at least as new; else the file itself."""
    graph_file = Path(graph_file)
    store = graph_file.parent / "store"
    if (
        graph_file.name in BUILD_GRAPH_FILES
        and graph_file.is_file()
        and store.is_dir()
        and store.stat().st_mtime >= graph_file.stat().st_mtime
    ):
        return store
    return graph_file


def substitutions(bound: Mapping[str, object]) -> dict:
    from pyoxigraph import Literal, NamedNode, Variable
    from rdflib import URIRef

    found = {}
    for name, value in bound.items():
        try:
            found[Variable(name)] = NamedNode(str(value)) if isinstance(value, URIRef) else Literal(str(value))
        except ValueError:
            raise SocieuxError(f"{str(value)!r} is not an IRI that a query can hold") from None
    return found


def syntax_message(error: SyntaxError) -> str:
    """Oxigraph's parse error in a few words: where, and its own words when it gives some ("Prefix
    not found"), without the grammar's list of expected character ranges."""
    text = " ".join(str(error).split())
    found = re.match(r"error at (\d+):(\d+): expected one of (.*)", text)
    if found is None:
        return text[:300]
    line, column, expected = found.groups()
    words = [item for item in re.split(r",\s*(?![^\[]*\])", expected) if re.fullmatch(r"[A-Z][\w*]*( [\w*]+)+", item)]
    return f"line {line}, column {column}: {'; '.join(words) if words else 'unexpected text'}"


def _evaluate(store, query: NamedQuery, params: dict[str, str] | None):
    bound = bindings(query, params)
    try:
        return store.query(
            query.text, prefixes=default_prefixes(), substitutions=substitutions(bound) if bound else None
        )
    except SyntaxError as error:
        raise SocieuxError(f"{query.path}: malformed query: {syntax_message(error)}") from None
    except (OSError, RuntimeError, ValueError) as error:
        raise SocieuxError(f"{query.path}: the query failed: {' '.join(str(error).split())[:300]}") from None


def store_solutions(store, query: NamedQuery, params: dict[str, str] | None = None):
    """(kind, columns, rows of rdflib terms, boolean, graph) of ``query`` on an Oxigraph store: what
    ``remote.Endpoint.solutions`` gives for a store reached over HTTP (the notebook API reads both)."""
    from pyoxigraph import QueryBoolean, QuerySolutions
    from rdflib import Graph

    from graph.rdf.terms import to_rdflib

    result = _evaluate(store, query, params)
    if isinstance(result, QueryBoolean):
        return "ASK", ["boolean"], [], bool(result), None
    if isinstance(result, QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [
            {column: None if (term := solution[column]) is None else to_rdflib(str(term)) for column in columns}
            for solution in result
        ]
        return "SELECT", columns, rows, None, None
    graph = Graph()
    for triple in result:
        graph.add((to_rdflib(str(triple.subject)), to_rdflib(str(triple.predicate)), to_rdflib(str(triple.object))))
    kind = "DESCRIBE" if is_describe(query.text) else "CONSTRUCT"
    return kind, [], [], None, graph


def store_answer(store, query: NamedQuery, params: dict[str, str] | None = None) -> Answer:
    """Run ``query`` on an Oxigraph store: its answer, whose rows Oxigraph produces as they are read."""
    return oxigraph_answer(_evaluate(store, query, params), query)


def oxigraph_answer(result, query: NamedQuery) -> Answer:
    """An Oxigraph result as an answer: from a store, or a remote endpoint's SPARQL results read
    with ``pyoxigraph.parse_query_results``."""
    from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, serialize

    multi, prefixes = query.multi_valued, query_prefixes(query.text, PREFIXES)
    if isinstance(result, QueryBoolean):
        return Answer("ASK", ["boolean"], boolean=bool(result), multi_valued=multi, prefixes=prefixes)
    if isinstance(result, QuerySolutions):
        return Answer("SELECT", [v.value for v in result.variables], result, multi_valued=multi, prefixes=prefixes)
    return Answer(
        "CONSTRUCT",
        # pyoxigraph writes to any object with write(bytes); its stub asks for typing.IO[bytes]
        write_graph=lambda out: serialize(result, out, format=RdfFormat.TURTLE, prefixes=prefixes),  # type: ignore[arg-type]
        multi_valued=multi,
        prefixes=prefixes,
    )


def run_query_store(
    store, query: NamedQuery, params: dict[str, str] | None = None, row_limit: int | None = None
) -> QueryResult:
    """Run ``query`` on an Oxigraph store; the same rows as ``graph.query.run_query`` gives with rdflib."""
    from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, serialize
    from rdflib import Graph

    result = _evaluate(store, query, params)
    if isinstance(result, QueryBoolean):
        return QueryResult("ASK", ["boolean"], [{"boolean": str(bool(result)).lower()}], bool(result))
    if not isinstance(result, QuerySolutions):
        triples = serialize(result, format=RdfFormat.N_TRIPLES)
        assert triples is not None  # no output given: serialize returns the bytes
        graph = Graph()
        graph.parse(data=triples.decode("utf-8"), format="nt")
        return QueryResult("CONSTRUCT", [], [], graph=graph)
    columns = [v.value for v in result.variables]
    return QueryResult("SELECT", columns, select_rows(columns, result, term_text, query, row_limit))
