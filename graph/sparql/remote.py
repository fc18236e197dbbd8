"""Named queries against a remote SPARQL 1.1 endpoint (a store the graph was pushed to).

The query goes by the SPARQL 1.1 Protocol (POST, form-encoded) with ``default-graph-uri`` naming
the pushed graph, unless the query names its own dataset (FROM). Answers come back as rdflib terms,
so the local formats (table, CSV, TSV, JSON) and the notebook API's typed columns work unchanged.

The protocol has no way to send bindings, so ``--param`` values are written into the query as RDF
terms (IRIs checked, literals escaped): every use of the variable becomes the term, as Oxigraph's
substitutions and rdflib's initial bindings do locally; in a SELECT clause it becomes
``(TERM AS ?var)`` and in GROUP BY or ORDER BY ``(TERM)``, so the columns stay the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

import requests
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.errors import SocieuxError
from graph.namespaces import PREFIXES
from graph.sparql.client import Session, reason, status_line
from graph.sparql.query import IRI_SAFE, NamedQuery, QueryResult, bindings, is_describe, select_rows
from graph.sparql.results import Answer, query_prefixes

# SPARQL's lexical pieces that can hold a "?" or a keyword without being one: strings, IRIs, comments.
_TOKEN = re.compile(
    r"""(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
    r"""|(?P<comment>\#[^\n]*)"""
    r"""|(?P<var>[?$][A-Za-z_0-9\u00b7\u00c0-\ufffd]+)"""
    r"""|(?P<word>[A-Za-z_][A-Za-z_0-9-]*(?::[^\s{}()<>,;."']*)?)"""
    r"""|(?P<open>[({])|(?P<close>[)}])"""
    r"""|(?P<other>\s+|.)""",
    re.DOTALL,
)
_CLAUSE_END = {"where", "from", "having", "limit", "offset", "values"}


def term_text(term: object) -> str:
    """An rdflib term written as SPARQL: an IRI checked, a literal escaped."""
    if isinstance(term, URIRef):
        if not IRI_SAFE.fullmatch(str(term)):
            raise SocieuxError(f"{str(term)!r} is not an IRI that a query can hold")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise SocieuxError(f"cannot bind {term!r} in a remote query")


def substitute(text: str, bound: Mapping[str, object]) -> str:
    """The query with each bound variable replaced by its term (see the module's note)."""
    if not bound:
        return text
    out: list[str] = []
    clause = None  # "select", "group" or "order" while in that clause of the (sub)query at depth ``start``
    depth = start = 0
    previous: str | None = ""  # the last word (lower case) or the last token's kind
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "word":
            word = token.lower()
            if word in ("select", "group", "order"):
                clause, start = word, depth
            elif clause and depth == start and word in _CLAUSE_END:
                clause = None
        elif kind == "open":
            if token == "{" and clause and depth == start:
                clause = None
            depth += 1
        elif kind == "close":
            depth -= 1
            if clause and depth < start:
                clause = None
        elif kind == "var" and token[1:] in bound:
            value = term_text(bound[token[1:]])
            if previous == "as":
                raise SocieuxError(f"{token} is bound by --param and assigned by the query; it cannot be both")
            if clause == "select" and depth == start:
                token = f"({value} AS {token})"
            elif clause in ("group", "order") and depth == start:
                token = f"({value})"
            else:
                token = value
        if kind != "other" and kind != "comment":
            previous = token.lower() if kind == "word" else kind
        out.append(token)
    return "".join(out)


def has_dataset(text: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED)."""
    return any(m.lastgroup == "word" and m.group().lower() == "from" for m in _TOKEN.finditer(text))


def _term(binding: dict) -> object:
    """A SPARQL JSON results term as an rdflib term; booleans in their canonical form ("1" is true)."""
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    datatype = binding.get("datatype")
    if datatype == str(XSD.boolean):
        value = "true" if value.strip() in ("true", "1") else "false"
    if datatype == str(XSD.string):
        datatype = None
    return Literal(value, lang=binding.get("xml:lang"), datatype=URIRef(datatype) if datatype else None)


class Endpoint:
    """A remote SPARQL 1.1 query endpoint, restricted to one graph (``graph_iri``; None: the store's
    default graph)."""

    def __init__(self, url: str, graph_iri: str | None = None, timeout: float = 300) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SocieuxError(f"{url!r} is not an http(s) URL of a SPARQL endpoint")
        self.url, self.graph_iri, self.timeout = url, graph_iri, timeout

    def request(self, text: str, accept: str) -> tuple[bytes, dict]:
        """POST the query; the body and headers of the answer, or a one-line error with the store's words."""
        form = [("query", text)]
        if self.graph_iri and not has_dataset(text):
            form.append(("default-graph-uri", self.graph_iri))
        try:
            with Session() as session:
                response = session.post(self.url, data=form, headers={"Accept": accept}, timeout=self.timeout)
                body = response.content
        except requests.RequestException as error:
            raise SocieuxError(f"{self.url}: cannot reach the endpoint: {reason(error)}") from None
        if not 200 <= response.status_code < 300:
            raise SocieuxError(f"{self.url}: the query failed: {status_line(response)}")
        return body, dict(response.headers.items())

    def solutions(self, query: NamedQuery, params: dict[str, str] | None = None):
        """(kind, columns, rows of rdflib terms, boolean, graph) of the query with ``params`` bound."""
        text = substitute(query.text, bindings(query, params))
        body, headers = self.request(
            text, "application/sparql-results+json, text/turtle;q=0.9, application/n-triples;q=0.8"
        )
        media = next((v for k, v in headers.items() if k.lower() == "content-type"), "").split(";")[0].strip()
        if media in ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"):
            graph = Graph()
            fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}
            graph.parse(data=body.decode("utf-8"), format=fmt.get(media, "json-ld"))
            kind = "DESCRIBE" if is_describe(text) else "CONSTRUCT"
            return kind, [], [], None, graph
        try:
            data = json.loads(body)
        except ValueError:
            raise SocieuxError(f"{self.url}: the answer is not SPARQL JSON results ({media or 'no type'})") from None
        if "boolean" in data:
            return "ASK", ["boolean"], [], bool(data["boolean"]), None
        columns = list(data.get("head", {}).get("vars", []))
        rows = [
            {column: _term(binding[column]) if column in binding else None for column in columns}
            for binding in data.get("results", {}).get("bindings", [])
        ]
        limit = next((v for k, v in headers.items() if k.lower() == "x-sparql-maxrows"), None)
        if limit is not None and len(rows) >= int(limit):
            raise SocieuxError(
                f"{self.url}: the store cut the answer at {limit} rows (its result limit, e.g. Virtuoso's "
                "ResultSetMaxRows); raise it or add LIMIT and OFFSET to the query"
            )
        return "SELECT", columns, rows, None, None

    def answer(self, query: NamedQuery, params: dict[str, str] | None = None) -> Answer:
        """The query's answer, for ``results.write_answer``: printed in the same formats as a local one."""
        kind, columns, rows, boolean, graph = self.solutions(query, params)
        multi, prefixes = query.multi_valued, query_prefixes(query.text, PREFIXES)
        if kind == "ASK":
            return Answer("ASK", ["boolean"], boolean=boolean, multi_valued=multi, prefixes=prefixes)
        if graph is not None:
            for name, namespace in prefixes.items():
                graph.bind(name, namespace, override=False)
            turtle = graph.serialize(format="turtle").encode("utf-8")
            return Answer(kind, write_graph=lambda out: out.write(turtle), multi_valued=multi, prefixes=prefixes)
        rows_in_order = ([row[c] for c in columns] for row in rows)
        return Answer("SELECT", columns, rows_in_order, multi_valued=multi, prefixes=prefixes)

    def run(self, query: NamedQuery, params: dict[str, str] | None = None) -> QueryResult:
        """The query's result, cells as text and multi-valued cells sorted, as a local run gives it."""
        kind, columns, rows, boolean, graph = self.solutions(query, params)
        if kind == "ASK":
            return QueryResult("ASK", ["boolean"], [{"boolean": str(boolean).lower()}], boolean)
        if graph is not None:
            return QueryResult(kind, [], [], graph=graph)
        return QueryResult("SELECT", columns, select_rows(columns, rows, _cell, query))


def _cell(term: object) -> str:
    return "" if term is None else str(term)
