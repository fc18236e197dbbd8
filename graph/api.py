"""A Python façade for notebooks: load the graph, run a named query, get rows as dicts or a DataFrame.

>>> from graph.api import KnowledgeGraph
>>> kg = KnowledgeGraph.load("exports/socieux.ttl")
>>> kg.query("country", country="PER")[:2]
>>> kg.dataframe("expert-countries")          # needs pandas
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.sparql.query import NamedQuery, load_graph, named_queries, resolve_query, run_query


class KnowledgeGraph:
    """The built graph and the named queries over it."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    @classmethod
    def load(cls, path: str | Path = "exports/socieux.ttl") -> KnowledgeGraph:
        return cls(load_graph(Path(path)))

    @staticmethod
    def queries() -> dict[str, str]:
        """Named queries and what each answers."""
        return {name: q.description for name, q in named_queries().items()}

    def query(self, query: str, **params: str) -> list[dict[str, str]]:
        """Rows of a named query, a .rq file or SPARQL text, with ``params`` bound to its variables."""
        named: NamedQuery = resolve_query(query)
        return run_query(self.graph, named, params).rows

    def dataframe(self, query: str, **params: str):
        """The rows as a pandas DataFrame (pandas is not a dependency: install it to use this)."""
        try:
            import pandas as pd
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("KnowledgeGraph.dataframe needs pandas: pip install pandas") from error
        named = resolve_query(query)
        result = run_query(self.graph, named, params)
        return pd.DataFrame(result.rows, columns=result.columns)

    def __len__(self) -> int:
        return len(self.graph)
