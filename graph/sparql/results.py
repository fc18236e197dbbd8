"""A query's answer as `socieux-kg query` prints it: a table for people, CSV, TSV or JSON for
programs, written row by row as the engine produces the rows.

Every cell is plain text (an IRI, a literal's lexical form); the columns a query names in its
``# multi-valued:`` comment hold values joined with `` | ``, sorted, whatever order the engine
joined them in. The rows may come from Oxigraph (a store, or a remote endpoint's answer read with
``pyoxigraph.parse_query_results``) or from rdflib: anything whose solutions give their terms in
column order goes through the same writers, so an answer prints the same whichever engine made it.
The endpoint's standard SPARQL results are Oxigraph's own serialisers (``server.py``).
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import textwrap
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol, TextIO

SEPARATOR = " | "
FORMATS = ("table", "csv", "tsv", "json")
TABLE_ROWS = 50  # rows the table shows unless --limit says otherwise
MIN_COLUMN = 20  # a column squeezed narrower than this reads badly: the table turns into records
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = frozenset(
    _XSD + name
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
        "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    )
)  # fmt: skip
FLOATS = frozenset({_XSD + "decimal", _XSD + "double", _XSD + "float"})
BOOLEAN = _XSD + "boolean"
_PREFIX_DECLARATION = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>", re.IGNORECASE | re.MULTILINE)


class BinarySink(Protocol):
    """Where an answer's graph is written: a binary file, or anything with ``write(bytes)``."""

    def write(self, data: bytes, /) -> object: ...


@dataclass
class Answer:
    """A query's answer as the engine hands it over; its solutions are read once, as they come.

    ``solutions`` yield each row's terms in the order of ``columns`` (None where unbound):
    Oxigraph's ``QuerySolution``, rdflib's ``ResultRow`` or plain sequences of strings.
    ``write_graph`` writes a CONSTRUCT or DESCRIBE answer as Turtle to a binary stream.
    """

    kind: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    columns: list[str] = field(default_factory=list)
    solutions: Iterable[Sequence] = ()
    boolean: bool | None = None
    write_graph: Callable[[BinarySink], object] | None = None
    multi_valued: Collection[str] = ()
    prefixes: Mapping[str, str] = field(default_factory=dict)


def term_text(term: object) -> str:
    """A term as a cell: an IRI or blank node label as it is, a literal's lexical form."""
    if term is None:
        return ""
    if isinstance(term, str):  # rdflib's terms are strings; so are cells read back from text
        return str(term)
    value = getattr(term, "value", None)  # Oxigraph's terms
    return value if isinstance(value, str) else str(term)


def number_or_boolean(text: str, datatype: str) -> int | float | bool | None:
    """The value of a literal of a numeric or boolean datatype; None for another datatype, or for a
    form its datatype does not allow (an ill-typed literal stays text where it is shown)."""
    try:
        if datatype in INTEGERS:
            return int(text)
        if datatype in FLOATS:
            value = float(text)
            return value if value == value and abs(value) != float("inf") else None  # JSON has no NaN, INF
        if datatype == BOOLEAN and text.strip() in ("true", "false", "1", "0"):
            return text.strip() in ("true", "1")
    except ValueError:
        return None
    return None


def _json_cell(term: object) -> object:
    """A term as a JSON value: numbers and booleans as such, anything else as its text."""
    datatype = getattr(term, "datatype", None)  # an rdflib or an Oxigraph literal
    if datatype is not None:
        value = number_or_boolean(term_text(term), str(getattr(datatype, "value", datatype)))
        if value is not None:
            return value
    return term_text(term)


def tidy(column: str, cell: str, multi: Collection[str]) -> str:
    """A multi-valued cell's values sorted, deduplicated and without empty ones."""
    if column in multi and cell:
        return SEPARATOR.join(sorted(set(cell.split(SEPARATOR)) - {""}))
    return cell


def _tidy_cell(cell: str) -> str:
    return SEPARATOR.join(sorted(set(cell.split(SEPARATOR)) - {""})) if cell else cell


def text_rows(answer: Answer) -> Iterator[list[str]]:
    """The answer's rows as lists of cells, multi-valued cells tidied."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    plain = {NamedNode, BlankNode, Literal}  # Oxigraph's terms carry their text in .value: the common case inline
    multi = [i for i, column in enumerate(answer.columns) if column in answer.multi_valued]
    for solution in answer.solutions:
        row = [t.value if type(t) in plain else term_text(t) for t in solution]
        for i in multi:
            row[i] = _tidy_cell(row[i])
        yield row


def query_prefixes(text: str, known: Mapping[str, object] | None = None) -> dict[str, str]:
    """Prefixes to show IRIs with: ``known`` ones (namespaces, as their text), then those the query
    text declares."""
    prefixes = {name: str(iri) for name, iri in (known or {}).items()}
    for name, iri in _PREFIX_DECLARATION.findall(text):
        if iri:
            prefixes.setdefault(name, iri)
    return prefixes


def compact(iri: str, prefixes: Mapping[str, str], under: str | None = None) -> str:
    """An IRI as a prefixed name when a prefix covers it (the longest one wins), else whole.

    ``under`` is a base whose first path segment names the kind of resource
    (``.../id/theme/labour``): an IRI below it with no prefix of its own shows as ``theme:labour``.
    """
    best = ""
    for name, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace) and len(namespace) > len(prefixes.get(best, "")):
            best = name
    if best:
        return f"{best}:{iri[len(prefixes[best]) :]}"
    if under and iri.startswith(under):
        kind, slash, rest = iri[len(under) :].partition("/")
        if slash and rest and kind.replace("-", "").isalnum():
            return f"{kind}:{rest}"
    return iri


def write_delimited(answer: Answer, out: TextIO, delimiter: str = ",", limit: int | None = None) -> int:
    """CSV (or TSV with ``delimiter="\\t"``): a header of column names, then one line a row; the first
    ``limit`` rows (None or 0: all of them)."""
    writer = csv.writer(out, lineterminator="\n", delimiter=delimiter)
    if answer.kind == "ASK":
        writer.writerows([["boolean"], ["true" if answer.boolean else "false"]])
        return 1
    writer.writerow(answer.columns)
    rows = text_rows(answer)
    count = 0
    for chunk in _chunks(islice(rows, limit) if limit else rows):
        writer.writerows(chunk)
        count += len(chunk)
    return count


def write_json(answer: Answer, out: TextIO, limit: int | None = None) -> int:
    """A JSON array with one object a row (column name to cell), one row a line; the first ``limit``
    rows (None or 0: all of them). Numbers and booleans are JSON's, other cells text (multi-valued
    ones joined as in the other formats). ASK gives a boolean."""
    if answer.kind == "ASK":
        out.write("true\n" if answer.boolean else "false\n")
        return 1
    columns = answer.columns
    multi = {i for i, column in enumerate(columns) if column in answer.multi_valued}
    rows = (
        [_tidy_cell(term_text(term)) if i in multi else _json_cell(term) for i, term in enumerate(solution)]
        for solution in answer.solutions
    )
    count = 0
    out.write("[")
    for row in islice(rows, limit) if limit else rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _chunks(rows: Iterator[list[str]], size: int = 2048) -> Iterator[list[list[str]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def write_table(answer: Answer, out: TextIO, limit: int | None = None, width: int = 0, under: str | None = None) -> int:
    """A text table of the first ``limit`` rows (``TABLE_ROWS`` when None, all when 0), IRIs as
    prefixed names, fitted to ``width`` columns (0: no limit) by wrapping the widest cells; a table
    that cannot fit shows one record per row. The last line counts the rows and says how to get
    the rest."""
    if answer.kind == "ASK":
        out.write(("true" if answer.boolean else "false") + "\n")
        return 1
    limit = TABLE_ROWS if limit is None else limit
    solutions = iter(answer.solutions)
    shown_solutions = list(islice(solutions, limit)) if limit else list(solutions)
    more = sum(1 for _ in solutions) if limit else 0
    shown = Answer(answer.kind, answer.columns, shown_solutions, multi_valued=answer.multi_valued)
    cells = [
        [" ".join(_shown(term, text, answer.prefixes, under).split()) for term, text in zip(solution, row, strict=True)]
        for solution, row in zip(shown_solutions, text_rows(shown), strict=True)
    ]
    lines = _layout(answer.columns, cells, width)
    total = len(cells) + more
    noun = "row" if total == 1 else "rows"
    if more:
        footer = f"({len(cells)} of {total:,} {noun} shown; {more:,} more: --limit 0 shows them all)"
    else:
        footer = f"({total:,} {noun})"
    lines += textwrap.wrap(footer, width, break_on_hyphens=False) if width else [footer]
    out.write("\n".join(lines) + "\n")
    return len(cells)


def _shown(term: object, text: str, prefixes: Mapping[str, str], under: str | None) -> str:
    """A cell as the table shows it: an IRI as a prefixed name where one fits."""
    if type(term).__name__ in ("NamedNode", "URIRef"):
        return compact(text, prefixes, under)
    return text


def _fit(natural: list[int], available: int) -> list[int] | None:
    """Column widths within ``available`` characters: the widest columns are narrowed first, none
    below ``MIN_COLUMN`` (or its natural width); None when that does not fit."""
    if sum(natural) <= available:
        return natural
    if sum(min(n, MIN_COLUMN) for n in natural) > available:
        return None
    low, high = MIN_COLUMN, max(natural)
    while low < high:  # the largest cap that fits
        cap = (low + high + 1) // 2
        if sum(min(n, cap) for n in natural) <= available:
            low = cap
        else:
            high = cap - 1
    widths = [min(n, low) for n in natural]
    spare = available - sum(widths)
    for i, n in enumerate(natural):  # hand out what the cap left over, left to right
        if spare and n > widths[i]:
            extra = min(spare, n - widths[i])
            widths[i] += extra
            spare -= extra
    return widths


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def _layout(columns: list[str], cells: list[list[str]], width: int) -> list[str]:
    natural = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    available = width - 2 * (len(columns) - 1) if width else sum(natural)
    widths = _fit(natural, available)
    if widths is None:
        return _records(columns, cells, width)
    numeric = [_numeric([row[i] for row in cells]) for i in range(len(columns))]

    def render(row: list[str], header: bool = False) -> list[str]:
        wrapped = [_wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        height = max(len(parts) for parts in wrapped)
        lines = []
        for k in range(height):
            parts = []
            for i, w in enumerate(widths):
                part = wrapped[i][k] if k < len(wrapped[i]) else ""
                parts.append(part.rjust(w) if numeric[i] and not header else part.ljust(w))
            lines.append("  ".join(parts).rstrip())
        return lines

    lines = render(columns, header=True)
    lines.append("  ".join("-" * w for w in widths))
    rendered = [render(row) for row in cells]
    spaced = any(len(r) > 1 for r in rendered)  # wrapped rows read apart only with a gap between them
    for index, row_lines in enumerate(rendered):
        if spaced and index:
            lines.append("")
        lines += row_lines
    return lines


def _numeric(column: list[str]) -> bool:
    """Whether a column holds numbers only (they are right-aligned)."""
    return any(column) and all(not cell or _NUMBER.fullmatch(cell) for cell in column)


def _records(columns: list[str], cells: list[list[str]], width: int) -> list[str]:
    """One block per row, a column a line: for answers too wide for the terminal."""
    label = max(len(c) for c in columns)
    value_width = max(width - label - 2, MIN_COLUMN)
    lines: list[str] = []
    for number, row in enumerate(cells, 1):
        lines.append(f"-[ row {number} ]".ljust(min(width, 40), "-"))
        for column, cell in zip(columns, row, strict=True):
            for k, part in enumerate(_wrap(cell, value_width)):
                lines.append(f"{column if k == 0 else '':<{label}}  {part}".rstrip())
    return lines


class _TextSink:
    """A binary stream over a text stream, decoding UTF-8 across chunk boundaries."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> int:
        self.out.write(self.decoder.decode(bytes(data)))
        return len(data)

    def flush(self) -> None:
        self.out.write(self.decoder.decode(b"", final=True))


def write_answer(
    answer: Answer, fmt: str, out: TextIO, limit: int | None = None, width: int = 0, under: str | None = None
) -> int:
    """Write ``answer`` to ``out`` as ``fmt`` (table, csv, tsv or json; a CONSTRUCT or DESCRIBE
    answer is Turtle whatever the format); the number of rows written."""
    if answer.write_graph is not None:
        sink = _TextSink(out)
        answer.write_graph(sink)
        sink.flush()
        return 0
    if fmt == "json":
        return write_json(answer, out, limit)
    if fmt in ("csv", "tsv"):
        return write_delimited(answer, out, "," if fmt == "csv" else "\t", limit)
    if fmt == "table":
        return write_table(answer, out, limit, width, under)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
