"""Named SPARQL queries (``ontology/queries/*.rq``) and running them over a graph file."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from graph.errors import SocieuxError
from graph.namespaces import PREFIXES
from graph.sparql.results import FORMATS as FORMATS  # re-exported: the formats `query` prints
from graph.sparql.results import SEPARATOR as SEPARATOR
from graph.sparql.results import Answer, query_prefixes, term_text, tidy, write_answer
from graph.vocab import ontology_dir

_SPARQL_START = re.compile(r"^\s*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)
_MULTI = re.compile(r"^#\s*multi-valued:\s*(.+)$", re.MULTILINE)
_PARAMETERS = re.compile(r"^#\s*parameters:\s*(.+)$", re.MULTILINE)
_OPTIONAL = re.compile(r"^#\s*optional parameters:\s*(.+)$", re.MULTILINE)
_DATES = re.compile(r"^#\s*dates:\s*(.+)$", re.MULTILINE)
_YEARS = re.compile(r"^#\s*years:\s*(.+)$", re.MULTILINE)
_DIRECTIVE = re.compile(
    r"^(?:[\w-]+|optional parameters):\s"
)  # "multi-valued: ...", "parameters: ...", "optional parameters: ..."
GRAPH_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".n3": "n3",
    ".trig": "trig",
    ".nq": "nquads",
}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str

    @property
    def description(self) -> str:
        """What the query answers: its first comment paragraph, up to an empty comment line, a
        parenthesised note on how it is written, or a directive such as ``# parameters:``."""
        lines: list[str] = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                if lines or line.strip():
                    break
                continue
            text = line.lstrip("#").strip()
            if not text or text.startswith("(") or _DIRECTIVE.match(text):
                break
            lines.append(text)
        return " ".join(lines)

    def _listed(self, directive: re.Pattern[str]) -> list[str]:
        """The names a ``# directive: a, b`` comment line of the query lists."""
        found = directive.search(self.text)
        return [c.strip() for c in found.group(1).split(",")] if found else []

    @property
    def parameters(self) -> list[str]:
        """Variables the query expects from ``--param NAME=VALUE``."""
        return self._listed(_PARAMETERS)

    @property
    def optional_parameters(self) -> list[str]:
        """Variables ``--param NAME=VALUE`` may bind; left unbound when not given."""
        return self._listed(_OPTIONAL)

    @property
    def multi_valued(self) -> list[str]:
        """Columns whose cells join several values; their values are sorted."""
        return self._listed(_MULTI)

    @property
    def date_columns(self) -> list[str]:
        """Columns of dates (``xsd:date``), typed as dates even where every cell is empty."""
        return self._listed(_DATES)

    @property
    def year_columns(self) -> list[str]:
        """Columns of years (``xsd:gYear``), typed as years even where every cell is empty."""
        return self._listed(_YEARS)


def queries_dir() -> Path:
    return ontology_dir() / "queries"


def named_queries() -> dict[str, NamedQuery]:
    return {
        path.stem: NamedQuery(path.stem, path, path.read_text(encoding="utf-8"))
        for path in sorted(queries_dir().glob("*.rq"), key=lambda p: p.stem)
    }


def resolve_query(spec: str) -> NamedQuery:
    """A named query, a ``.rq`` file, or SPARQL text given on the command line."""
    queries = named_queries()
    if spec in queries:
        return queries[spec]
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 4096 and "\n" not in spec and path.is_file()):
        try:
            return NamedQuery(path.stem, path, path.read_text(encoding="utf-8"))
        except OSError as error:
            raise SocieuxError(f"{spec}: cannot read the query file: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise SocieuxError(f"{spec}: the query file is not UTF-8 text") from None
    if _SPARQL_START.search(spec):
        return NamedQuery("query", Path("<command line>"), spec)
    names = ", ".join(queries) or "none"
    raise SocieuxError(f"{spec!r} is not a named query, a .rq file or SPARQL text; named queries: {names}")


def load_graph(path: Path) -> Graph:
    """Parse a graph file, its format told by its suffix."""
    if not path.exists():
        hint = " (run `socieux-kg build` first)" if path.name.startswith("socieux.") else ""
        raise SocieuxError(f"{path}: no such graph file{hint}")
    fmt = GRAPH_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SocieuxError(f"{path}: unknown graph format; use one of {', '.join(sorted(GRAPH_FORMATS))}")
    try:
        return Graph().parse(path, format=fmt)
    except Exception as error:  # noqa: BLE001 - a parser error of any kind is the user's file
        message = " ".join(str(error).split())[:300]
        raise SocieuxError(f"{path}: cannot parse as {fmt}: {message}") from None


@dataclass
class QueryResult:
    kind: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    columns: list[str]
    rows: list[dict[str, str]]
    boolean: bool | None = None
    graph: Graph | None = None


IRI_SAFE = re.compile(r"""[^<>"{}|^`\\\x00-\x20]+""")  # an IRI holds none of these characters


# ---------------------------------------------------------------------------- parameters' names
# (graph/sparql/parameters.py resolves their values; these checks are here so that ``bindings``
# makes them wherever a query runs)

_NOT_VARIABLES = re.compile(r'<[^>\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
Spelling = Callable[[str], str]  # how a surface writes "give the parameter NAME"


def command_line(name: str) -> str:
    return f"--param {name}=VALUE"


def keyword(name: str) -> str:
    return f"{name}=..."


def url_parameter(name: str) -> str:
    return f"?{name}=VALUE"


class ParameterError(SocieuxError, TypeError):
    """A parameter the query does not declare, or one it needs that is missing (a ``TypeError`` in
    the notebook API, as a wrong keyword argument is in Python)."""


def own_query(query: NamedQuery) -> bool:
    """Whether the query is the user's own (text or a .rq file), not one of ontology/queries/."""
    return query.path.parent != queries_dir()


def variables(text: str) -> set[str]:
    """The variables a query's text uses (outside IRIs, strings and comments)."""
    return set(re.findall(r"[?$]([A-Za-z0-9_]+)", _NOT_VARIABLES.sub(" ", text)))


def check_names(query: NamedQuery, given: Iterable[str], spell: Spelling = command_line) -> None:
    """Refuse a missing parameter, or one the query does not declare, naming the declared ones."""
    given = list(given)
    declared = query.parameters + query.optional_parameters
    missing = [name for name in query.parameters if name not in given]
    if missing:
        raise ParameterError(f"query {query.name!r} needs {' '.join(spell(name) for name in missing)}")
    for name in given:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ParameterError(f"{name!r} is not a parameter name")
    if not declared and own_query(query):
        unknown = sorted(set(given) - variables(query.text))
        if unknown:
            raise ParameterError(f"the query has no variable ?{unknown[0]} for {spell(unknown[0])} to bind")
        return
    unknown = sorted(set(given) - set(declared))
    if unknown:
        takes = f"it takes {', '.join(spell(name) for name in declared)}" if declared else "it takes none"
        raise ParameterError(f"query {query.name!r} has no parameter {unknown[0]!r}; {takes}")


def bindings(query: NamedQuery, params: dict[str, str] | None) -> dict[str, URIRef | Literal]:
    """``--param`` values as RDF terms bound to the query's variables, never pasted into its text
    (the names checked by ``parameters.check_names``; resolve the values first with a
    ``parameters.Resolver``)."""
    params = dict(params or {})
    check_names(query, params)
    found: dict[str, URIRef | Literal] = {}
    for name, value in params.items():
        if not re.match(r"https?://\S+$", value):
            found[name] = Literal(value)
        elif IRI_SAFE.fullmatch(value):
            found[name] = URIRef(value)
        else:
            raise SocieuxError(f"{value!r} is not an IRI that a query can hold")
    return found


def is_describe(text: str) -> bool:
    """Whether a query that gives a graph is a DESCRIBE (else a CONSTRUCT): its keyword outside IRIs,
    strings and comments."""
    return re.search(r"\bDESCRIBE\b", re.sub(r'<[^>\s]*>|"[^"\n]*"|#[^\n]*', " ", text), re.IGNORECASE) is not None


def default_prefixes(graph: Graph | None = None) -> dict[str, str]:
    """The prefixes a query may use without declaring them: the project's (``namespaces.PREFIXES``),
    over those the graph's file declared."""
    found = {prefix: str(namespace) for prefix, namespace in graph.namespaces()} if graph is not None else {}
    return found | {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def evaluate_graph(graph: Graph, query: NamedQuery, params: dict[str, str] | None):
    """rdflib's result of ``query`` on ``graph`` with ``params`` bound; its errors as one-line SocieuxErrors."""
    bound = bindings(query, params)
    try:
        return graph.query(query.text, initNs=default_prefixes(graph), initBindings=bound or None)
    except Exception as error:  # noqa: BLE001 - parser and evaluation errors are the query's
        message = " ".join(str(error).split())[:300]
        raise SocieuxError(f"{query.path}: the query failed: {message}") from None


def run_query(graph: Graph, query: NamedQuery, params: dict[str, str] | None = None) -> QueryResult:
    """Run ``query`` on ``graph`` with ``params`` bound; multi-valued cells come back sorted."""
    result = evaluate_graph(graph, query, params)
    if result.type == "ASK":
        return QueryResult(
            "ASK", ["boolean"], [{"boolean": str(bool(result.askAnswer)).lower()}], bool(result.askAnswer)
        )
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(result.type, [], [], graph=result.graph)
    columns = [str(v) for v in result.vars]
    return QueryResult("SELECT", columns, select_rows(columns, result, term_text, query))


def graph_answer(graph: Graph, query: NamedQuery, params: dict[str, str] | None = None) -> Answer:
    """Run ``query`` on an rdflib graph: its answer, for ``results.write_answer``."""
    result = evaluate_graph(graph, query, params)
    multi, prefixes = query.multi_valued, query_prefixes(query.text, PREFIXES)
    if result.type == "ASK":
        return Answer("ASK", ["boolean"], boolean=bool(result.askAnswer), multi_valued=multi, prefixes=prefixes)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        constructed = result.graph
        for name, namespace in prefixes.items():
            constructed.bind(name, namespace, override=False)
        turtle = constructed.serialize(format="turtle").encode("utf-8")
        return Answer(result.type, write_graph=lambda out: out.write(turtle), multi_valued=multi, prefixes=prefixes)
    return Answer("SELECT", [str(v) for v in result.vars], result, multi_valued=multi, prefixes=prefixes)


def select_rows(columns: list[str], solutions, cell, query: NamedQuery, limit: int | None = None) -> list[dict]:
    """Rows of SELECT solutions (rdflib's or Oxigraph's, ``cell`` turning a term into text), tidied;
    stops one row past ``limit``."""
    multi = set(query.multi_valued)
    rows = []
    for solution in solutions:
        rows.append({column: tidy(column, cell(solution[column]), multi) for column in columns})
        if limit is not None and len(rows) > limit:
            break
    return rows


def result_answer(result: QueryResult, query: NamedQuery | None = None) -> Answer:
    """A materialised result as an answer, to print it with ``results.write_answer``."""
    multi = query.multi_valued if query else ()
    if result.graph is not None:
        constructed = result.graph
        return Answer(result.kind, write_graph=lambda out: out.write(constructed.serialize(format="turtle").encode()))
    if result.boolean is not None:
        return Answer("ASK", ["boolean"], boolean=result.boolean)
    rows = ([row[c] for c in result.columns] for row in result.rows)
    return Answer("SELECT", result.columns, rows, multi_valued=multi)


def format_result(result: QueryResult, fmt: str, limit: int | None = None, width: int = 0) -> str:
    """The result as a text table, CSV, TSV or JSON (CONSTRUCT and DESCRIBE give Turtle)."""
    buffer = io.StringIO()
    write_answer(result_answer(result), fmt, buffer, limit, width)
    return buffer.getvalue()
