"""Writing an answer, in a query worker: the media types the endpoint speaks, content negotiation,
and one request answered on the store with Oxigraph's own serialisers, sent on in chunks.

An answer goes out through ``send`` as ("whole", status, media, body), or as ("head", status, media),
("chunk", bytes)... and ("end",); once the head is sent, a failure ends the answer with ("abort",
reason). Nothing else: every request gets exactly one whole answer or one head, so the pool always
knows when its worker is free again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from graph.sparql.endpoint.guard import Refused, classify

# media type -> pyoxigraph QueryResultsFormat (SELECT, ASK) or RdfFormat (CONSTRUCT, DESCRIBE) name
SELECT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
}
FORMAT_PARAMETER = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
TEXT = "text/plain; charset=utf-8"
CHUNK = 64 * 1024  # bytes a worker gathers before sending them on

Send = Callable[[tuple], object]


class NotAcceptable(Refused):
    def __init__(self, offered: Mapping[str, str]) -> None:
        super().__init__(406, f"the Accept header refuses every type this answer comes in: {', '.join(offered)}")


def negotiate(accept: str, offered: Mapping[str, str], fallback: str) -> str:
    """The offered media type the Accept header prefers; where it names none of them, the first
    offered one it does not refuse (``fallback`` first). A type given ``q=0`` is refused, with its
    aliases (application/json for SPARQL JSON...); an answer left with no type (``*/*;q=0``) is a
    406 (``NotAcceptable``)."""
    wanted: list[tuple[float, int, str]] = []
    refused: set[str] = set()
    for position, part in enumerate((accept or "").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q <= 0:
            refused.add(media.lower())
        elif media:
            wanted.append((-q, position, media.lower()))
    refused_formats = {offered[media] for media in refused if media in offered}
    candidates = [m for m in dict.fromkeys((fallback, *offered)) if not {m, offered[m]} & (refused | refused_formats)]
    for _, _, media in sorted(wanted):
        if media in offered and media not in refused:
            return media
        if media in ("*/*", "application/*", "text/*"):
            fitting = [m for m in candidates if media == "*/*" or m.startswith(media[:-1])]
            if fitting:
                return fitting[0]
    if "*/*" in refused or not candidates:
        raise NotAcceptable(offered)
    return candidates[0]


def requested_format(value: str | None, accept: str) -> str:
    """The Accept header to answer by: ``format=`` (a short name or a media type) wins over the header."""
    if not value:
        return accept
    if value in FORMAT_PARAMETER:
        return FORMAT_PARAMETER[value]
    if value in SELECT_TYPES or value in GRAPH_TYPES:
        return value
    names = ", ".join(FORMAT_PARAMETER)
    raise Refused(400, f"unknown format {value!r}: use one of {names}, or a media type")


class _TooMany(Exception):
    pass


class _Lines:
    """A sink for TSV results that stops Oxigraph's serialiser once it has seen more than ``rows``
    rows: TSV has exactly one line a row (the terms' own line breaks are escaped) after the header.

    Oxigraph's serialisers write to any object with ``write(bytes)``, as this one and ``_Chunks``;
    pyoxigraph's stubs ask for ``typing.IO[bytes]``, hence the ``type: ignore[arg-type]`` where
    they are given one."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.lines = 0
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.lines += data.count(b"\n")
        self.parts.append(bytes(data))
        if self.lines > self.rows + 1:
            raise _TooMany
        return len(data)

    def flush(self) -> None:
        pass


class _Chunks:
    """A sink that sends what Oxigraph writes on in chunks of ``CHUNK`` bytes."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.buffer = bytearray()

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self.send(("chunk", bytes(self.buffer)))
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        pass  # Oxigraph flushes as it goes; chunks leave when full or at the end

    def finish(self) -> None:
        if self.buffer:
            self.send(("chunk", bytes(self.buffer)))
            self.buffer.clear()


def _whole(status: int, message: str) -> tuple:
    return ("whole", status, TEXT, f"{message}\n".encode())


def _too_many(max_rows: int, what: str) -> tuple:
    advice = "narrow the query or add LIMIT" if what == "rows" else "narrow the query"
    return _whole(413, f"the result has more than {max_rows} {what}: {advice}")


def _failed(error: BaseException) -> str:
    return " ".join(str(error).split())[:300]


def answer(store, text: str, accept: str, max_rows: int, send: Send, substitutions: dict | None = None) -> None:
    """Answer one query on ``store`` through ``send`` (see the module's note); ``substitutions``:
    Oxigraph terms bound to the query's variables (a named query's parameters)."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    from graph.sparql.query import default_prefixes
    from graph.sparql.store import syntax_message

    try:
        classify(text)
        result = store.query(text, prefixes=default_prefixes(), substitutions=substitutions)
    except Refused as refusal:
        send(_whole(refusal.status, str(refusal)))
        return
    except SyntaxError as error:  # rdflib's grammar took it, Oxigraph's did not
        send(_whole(400, f"malformed query: {syntax_message(error)}"))
        return
    except (OSError, RuntimeError, ValueError) as error:
        send(_whole(400, f"the query failed: {_failed(error)}"))
        return
    try:
        if isinstance(result, QueryBoolean):
            media = negotiate(accept, SELECT_TYPES, "application/sparql-results+json")
            send(("whole", 200, media, result.serialize(format=_results_format(media))))
            return
        if isinstance(result, QuerySolutions):
            _solutions(result, accept, max_rows, send)
        else:
            _triples(result, accept, max_rows, send)
    except Refused as refusal:  # not acceptable
        send(_whole(refusal.status, str(refusal)))
    except (OSError, RuntimeError, ValueError, SyntaxError) as error:  # the store failed reading the answer
        send(_whole(500, f"the query failed while its answer was read: {_failed(error)}"))


def _results_format(media: str):
    from pyoxigraph import QueryResultsFormat

    return getattr(QueryResultsFormat, SELECT_TYPES[media])


def _solutions(result, accept: str, max_rows: int, send: Send) -> None:
    """A SELECT's rows. Under a row cap, up to max_rows + 1 rows are read first, written by Oxigraph
    as TSV (lossless): more is a 413 before anything is sent; otherwise the rows are re-read and
    written as asked. Without a cap the answer streams from its first row."""
    from pyoxigraph import QueryResultsFormat, parse_query_results

    media = negotiate(accept, SELECT_TYPES, "application/sparql-results+json")
    target = _results_format(media)
    lines = None
    if max_rows:
        lines = _Lines(max_rows)
        try:
            result.serialize(lines, format=QueryResultsFormat.TSV)
        except _TooMany:
            send(_too_many(max_rows, "rows"))
            return
    _stream(send, media, lambda sink: _write_rows(result, lines, target, sink, parse_query_results))


def _write_rows(result, lines: _Lines | None, target, sink: _Chunks, parse_query_results) -> None:
    from pyoxigraph import QueryResultsFormat

    if lines is None:
        result.serialize(sink, format=target)
    elif target == QueryResultsFormat.TSV:
        for part in lines.parts:
            sink.write(part)
    else:
        parse_query_results(b"".join(lines.parts), format=QueryResultsFormat.TSV).serialize(sink, format=target)


def _triples(result, accept: str, max_rows: int, send: Send) -> None:
    """A CONSTRUCT's or DESCRIBE's triples, read whole first under a cap (more is a 413)."""
    from pyoxigraph import RdfFormat, serialize

    from graph.namespaces import PREFIXES

    media = negotiate(accept, GRAPH_TYPES, "text/turtle")
    triples = result
    if max_rows:
        triples = []
        for triple in result:
            triples.append(triple)
            if len(triples) > max_rows:
                send(_too_many(max_rows, "triples"))
                return
    prefixes = {name: str(iri) for name, iri in PREFIXES.items()}
    fmt = getattr(RdfFormat, GRAPH_TYPES[media])
    _stream(send, media, lambda sink: serialize(triples, sink, format=fmt, prefixes=prefixes))  # type: ignore[arg-type]  # see _Lines


def _stream(send: Send, media: str, write: Callable[[_Chunks], object]) -> None:
    """Send the head, then what ``write`` writes in chunks, then the end; a failure once the head
    is out ends the answer with an abort (the client sees it cut short)."""
    send(("head", 200, media))
    sink = _Chunks(send)
    try:
        write(sink)
        sink.finish()
    except (OSError, RuntimeError, ValueError, SyntaxError) as error:
        send(("abort", f"the answer failed half-way: {_failed(error)}"))
        return
    send(("end",))
