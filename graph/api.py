"""A Python façade for notebooks: load the graph (or reach a store it was pushed to), run a named
query, get rows as dicts or a typed pandas DataFrame.

>>> from graph.api import KnowledgeGraph
>>> kg = KnowledgeGraph.load("exports/socieux.ttl")       # Oxigraph, as `socieux-kg query`
>>> kg.query("country", country="Peru")[:2]          # a name, an ISO code or an IRI
>>> kg.dataframe("expert-countries").dtypes           # actions: int64, eu_member: bool
>>> KnowledgeGraph.remote("http://localhost:8890/sparql").query("institutions")

Values come typed: integers and years (``xsd:gYear``) as ``int``, booleans as ``bool``, decimals as
``float``, dates (``xsd:date``) as ``datetime.date``, and the columns a query declares
multi-valued (``# multi-valued:``) as sorted lists; in a DataFrame, dates are ``datetime64`` and
years ``Int64``. Errors are Python
exceptions: a missing or unknown keyword is a ``TypeError``, a country or institution that names
nothing is an ``UnknownValue`` (a ``LookupError``) that lists the closest names.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import cast

from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.query import ResultRow

from graph.namespaces import PREFIXES
from graph.sparql.parameters import Resolver, UnknownValue, keyword
from graph.sparql.push import PUSHED_GRAPH
from graph.sparql.query import SEPARATOR, NamedQuery, evaluate_graph, named_queries, resolve_query
from graph.sparql.results import number_or_boolean

__all__ = ["KnowledgeGraph", "UnknownValue", "typed"]

_YEARS = str(XSD.gYear)
_DATES = str(XSD.date)


def typed(term: object, multi_valued: bool = False) -> object:
    """A result term as a Python value: int, bool, float, str, a sorted list for a multi-valued cell,
    None when unbound."""
    if multi_valued:
        return sorted(set(str(term).split(SEPARATOR)) - {""}) if term is not None else []
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype is not None:
        datatype = str(term.datatype)
        value = number_or_boolean(str(term), datatype)
        if value is not None:
            return value
        try:
            if datatype == _YEARS:
                return int(str(term))
            if datatype == _DATES:
                return date.fromisoformat(str(term))
        except ValueError:
            return str(term)  # an ill-typed literal stays as written
    return str(term)


class KnowledgeGraph:
    """The built graph (or a store it was pushed to) and the named queries over it."""

    def __init__(self, graph: Graph | None = None, endpoint=None, store=None) -> None:
        if sum(source is not None for source in (graph, endpoint, store)) != 1:
            raise TypeError(
                "KnowledgeGraph needs one of a graph, an endpoint or a store: use KnowledgeGraph.load or .remote"
            )
        self._graph = graph  # an rdflib graph, queried with rdflib
        self.endpoint = endpoint  # a store over HTTP (graph.sparql.remote.Endpoint)
        self.store = store  # an Oxigraph store (pyoxigraph.Store), queried with Oxigraph
        self._resolve = Resolver(lambda named: self._solutions(named, {})[2], keyword)

    @property
    def graph(self) -> Graph | None:
        """The graph as an rdflib Graph (read from the store the first time it is asked for); None
        for a remote store."""
        if self._graph is None and self.store is not None:
            from pyoxigraph import RdfFormat, serialize

            graph = Graph()
            graph.parse(data=serialize(self.store, format=RdfFormat.N_TRIPLES), format="nt")
            for prefix, namespace in PREFIXES.items():
                graph.bind(prefix, namespace, override=False)
            self._graph = graph
        return self._graph

    @classmethod
    def load(cls, path: str | Path = "exports/socieux.ttl") -> KnowledgeGraph:
        """The graph of a file written by ``socieux-kg build``, queried with Oxigraph as
        `socieux-kg query` does: the build's ``store/`` beside the file when it is at least as new,
        else the file read into memory."""
        from graph.sparql.store import open_store, store_for

        return cls(store=open_store(store_for(Path(path))))

    @classmethod
    def remote(cls, url: str, graph_iri: str | None = PUSHED_GRAPH, timeout: float = 300) -> KnowledgeGraph:
        """The graph in a store's SPARQL 1.1 endpoint (``url``), in the named graph ``graph_iri`` (the
        one ``socieux-kg push`` replaces; None: the store's default graph)."""
        from graph.sparql.remote import Endpoint

        return cls(endpoint=Endpoint(url, graph_iri, timeout))

    @staticmethod
    def queries() -> dict[str, str]:
        """Named queries and what each answers."""
        return {name: q.description for name, q in named_queries().items()}

    # ------------------------------------------------------------------ running

    def _solutions(self, named: NamedQuery, params: dict[str, str]):
        """(kind, columns, rows of rdflib terms, boolean, graph) from the store, the endpoint or the graph."""
        if self.endpoint is not None:
            return self.endpoint.solutions(named, params)
        if self.store is not None:
            from graph.sparql.store import store_solutions

            return store_solutions(self.store, named, params)
        graph = self._graph
        assert graph is not None, "KnowledgeGraph has a graph or an endpoint"  # as __init__ checks
        result = evaluate_graph(graph, named, params)
        if result.type == "ASK":
            return "ASK", ["boolean"], [], bool(result.askAnswer), None
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return result.type, [], [], None, result.graph
        assert result.vars is not None, "a SELECT result names its variables"
        columns = [str(v) for v in result.vars]
        rows = cast("Iterable[ResultRow]", result)  # a SELECT's; rdflib types every kind of result alike
        return "SELECT", columns, [{c: row[c] for c in columns} for row in rows], None, None

    def _run(
        self, query: str, params: dict[str, object]
    ) -> tuple[list[str], list[dict[str, object]], set[str], set[str]]:
        """Columns, typed rows, the columns that hold years (as the query declares them, or as their
        values are typed) and those the query declares as dates."""
        named = resolve_query(query)
        values = self._parameters(named, params)
        kind, columns, rows, boolean, graph = self._solutions(named, values)
        if kind == "ASK":
            return ["boolean"], [{"boolean": boolean}], set(), set()
        if graph is not None:
            raise TypeError(f"{named.name} is a {kind} query: it gives a graph, not rows; use .construct()")
        multi = set(named.multi_valued)
        years = set(named.year_columns) | {
            c
            for row in rows
            for c in columns
            if isinstance(row[c], Literal) and row[c].datatype is not None and str(row[c].datatype) == _YEARS
        }
        typed_rows = [{c: typed(row[c], c in multi) for c in columns} for row in rows]
        return columns, typed_rows, years, set(named.date_columns)

    def query(self, query: str, **params: object) -> list[dict[str, object]]:
        """Rows of a named query, a .rq file or SPARQL text, with ``params`` bound to its variables;
        values typed (see the module's note)."""
        return self._run(query, params)[1]

    def dataframe(self, query: str, **params: object):
        """The rows as a pandas DataFrame with typed columns: int64 (Int64 where some are missing),
        bool (boolean where some are missing), float64, datetime64 for dates, Int64 for years, lists in
        multi-valued columns, str otherwise."""
        try:
            import pandas as pd
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("KnowledgeGraph.dataframe needs pandas: pip install pandas") from error
        columns, rows, years, dates = self._run(query, params)
        frame = pd.DataFrame(rows, columns=columns)
        for column in columns:
            values = [row[column] for row in rows if row[column] is not None]
            complete = len(values) == len(rows)
            if column in years and all(type(v) is int for v in values):
                frame[column] = frame[column].astype("Int64")
            elif (values or column in dates) and all(type(v) is date for v in values):
                frame[column] = pd.to_datetime(frame[column])
            elif values and all(type(v) is bool for v in values):
                frame[column] = frame[column].astype("bool" if complete else "boolean")
            elif values and all(type(v) is int for v in values):
                frame[column] = frame[column].astype("int64" if complete else "Int64")
            elif values and all(type(v) is float for v in values):
                frame[column] = frame[column].astype("float64")
        return frame

    def construct(self, query: str, **params: object) -> Graph:
        """The graph a CONSTRUCT or DESCRIBE query gives."""
        named = resolve_query(query)
        kind, _, _, _, graph = self._solutions(named, self._parameters(named, params))
        if graph is None:
            raise TypeError(f"{named.name} is a {kind} query: use .query() or .dataframe()")
        return graph

    def __len__(self) -> int:
        if self.store is not None:
            return len(self.store)
        if self._graph is not None:
            return len(self._graph)
        count = self.query("SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }")[0]["triples"]
        if not isinstance(count, int):
            raise TypeError(f"the endpoint counted {count!r} triples, not an integer")
        return count

    # ------------------------------------------------------------------ parameters

    def _parameters(self, named: NamedQuery, params: dict[str, object]) -> dict[str, str]:
        """Keyword arguments checked against the query's parameters (a ``TypeError`` when one is
        missing or not declared), countries and institutions resolved to what the query matches on
        (``UnknownValue``, a ``LookupError``, naming the closest names when one matches nothing)."""
        return self._resolve(named, params)
