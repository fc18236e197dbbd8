"""What a SPARQL request is, from a real parse: the read-only endpoint's guard.

The endpoint runs queries on Oxigraph, which would carry out a SERVICE clause by sending an HTTP
request wherever it points. So before a text reaches the store it is parsed with rdflib's SPARQL
1.1 grammar (the same parser `--backend rdflib` runs): a query form (SELECT, ASK, CONSTRUCT,
DESCRIBE) with no SERVICE anywhere in its parse tree goes on; an update (INSERT, DELETE, LOAD,
CLEAR...) or a SERVICE (in a nested group, OPTIONAL, UNION, MINUS, FILTER EXISTS, a subquery or
an expression) is refused with 403; a text neither grammar accepts is refused with 400. Nothing is
decided from patterns over the text: a variable named ?service, a comment, a string or an IRI
holding the word cannot change the verdict, and neither can a ``#`` inside an IRI.

rdflib's parser is pure Python (pyparsing): tens of milliseconds for a small query, about a second
for the largest named query on a busy machine. Its grammar recurses once per triple pattern of a
group, so the parse runs in a thread with a large stack and a high recursion limit (the default
limit stops at about 60 patterns). The endpoint calls this in its worker processes, under the query
time limit, and remembers the verdicts of recent texts.
"""

from __future__ import annotations

import sys
import threading
from functools import lru_cache

RECURSION = 200_000  # Python frames: about 15 a triple pattern, and groups nest
STACK = 512 * 1024 * 1024  # bytes of address space for the parsing thread's stack (touched as used)

QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


class Refused(Exception):
    """A request the endpoint will not run, with the HTTP status that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _position(error) -> str:
    return f"line {error.lineno}, column {error.col}: {error.msg}"


def _contains_service(tree) -> bool:
    """Whether a SERVICE pattern appears anywhere in a parse tree (rdflib CompValue and pyparsing
    ParseResults nodes, lists of them, and terms)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            stack.extend(dict.values(node))  # the raw values: CompValue.get resolves some of them
        elif isinstance(node, ParseResults | list | tuple):
            stack.extend(node)  # a ParseResults' named results are among its tokens
        elif isinstance(node, dict):
            stack.extend(node.values())
    return False


@lru_cache(maxsize=256)
def classify(text: str) -> str:
    """The query form of ``text`` ("SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"), or ``Refused``:
    403 for an update (LOAD included) or a SERVICE anywhere, 400 for what is not SPARQL."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["form"] = _classify(text)
        except BaseException as error:  # noqa: BLE001 - handed to the calling thread
            outcome["error"] = error

    if sys.getrecursionlimit() < RECURSION:
        sys.setrecursionlimit(RECURSION)  # process-wide; Python 3.11+ keeps pure-Python calls off the C stack
    previous = threading.stack_size(STACK)
    try:
        parser = threading.Thread(target=run, name="sparql-guard")
        parser.start()
    finally:
        threading.stack_size(previous)
    parser.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["form"]  # type: ignore[return-value]


def _classify(text: str) -> str:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not text.strip():
        raise Refused(400, "malformed query: the query is empty")
    try:
        try:
            tree = parseQuery(text)
        except ParseBaseException as not_a_query:
            try:
                update = parseUpdate(text)
            except ParseBaseException as not_an_update:
                closest = not_an_update if not_an_update.loc > not_a_query.loc else not_a_query
                raise Refused(400, f"malformed query: {_position(closest)}") from None
            operations = [operation.name for operation in update.get("request") or []]
            if not operations:
                raise Refused(400, f"malformed query: {_position(not_a_query)}") from None
            raise Refused(
                403,
                f"this endpoint is read-only: SPARQL Update ({', '.join(operations)}) is refused",
            ) from None
    except RecursionError:
        raise Refused(400, "malformed query: nested too deeply to parse") from None
    if _contains_service(tree):
        raise Refused(403, "federated queries (SERVICE) are refused: this endpoint makes no outbound requests")
    return QUERY_FORMS[tree[1].name]
