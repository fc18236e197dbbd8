"""`socieux-kg serve`: a read-only SPARQL 1.1 endpoint over the graph, with a query page.

Queries run in worker processes that hold the Oxigraph store, so a query past the time limit is
stopped (its worker is killed and replaced) instead of burning a thread forever. A worker first
parses the text (``guard.classify``): updates, LOAD and SERVICE are refused there, before the store
sees them. Answers are written by Oxigraph's own serialisers and sent in chunks as they are
written. Request bodies and results are capped; every response carries CORS headers; one log line
per request.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import shutil
import threading
import time
from collections.abc import Generator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from graph.sparql.guard import Refused, classify
from graph.sparql.page import query_page

log = logging.getLogger("socieux-kg.serve")

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


@dataclass
class Limits:
    time_limit: float = 10.0  # seconds per answer, from the request to its last byte
    max_rows: int = 10_000  # rows (or triples) per result; 0: no cap, the answer streams from its first row
    max_body: int = 1_000_000  # bytes per request
    queue_wait: float = 5.0  # seconds a request waits for a free worker


def negotiate(accept: str, offered: dict[str, str], fallback: str) -> str:
    """The offered media type the Accept header prefers."""
    choices = []
    for position, part in enumerate((accept or "").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        choices.append((-q, position, media.lower()))
    for _, _, media in sorted(choices):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*") and fallback:
            return fallback
    return fallback


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


# ------------------------------------------------------------------------------------- the workers


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
    """A sink that sends what Oxigraph writes to the server in chunks of ``CHUNK`` bytes."""

    def __init__(self, send) -> None:
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


def _too_many(max_rows: int, what: str) -> tuple:
    advice = "narrow the query or add LIMIT" if what == "rows" else "narrow the query"
    return ("whole", 413, TEXT, f"the result has more than {max_rows} {what}: {advice}\n".encode())


def answer(store, text: str, accept: str, max_rows: int, send) -> None:
    """Answer one request on ``store``, through ``send``: ("whole", status, media, body) or
    ("head", status, media), ("chunk", bytes)..., then ("end",), or ("abort", reason) when the
    answer fails half-way."""
    from pyoxigraph import (
        QueryBoolean,
        QueryResultsFormat,
        QuerySolutions,
        RdfFormat,
        parse_query_results,
        serialize,
    )

    from graph.namespaces import PREFIXES

    try:
        classify(text)
        result = store.query(text)
    except Refused as refusal:
        return send(("whole", refusal.status, TEXT, f"{refusal}\n".encode()))
    except SyntaxError as error:  # rdflib's grammar took it, Oxigraph's did not
        return send(("whole", 400, TEXT, f"malformed query: {error}\n".encode()))
    except (OSError, RuntimeError, ValueError) as error:
        return send(("whole", 400, TEXT, f"the query failed: {error}\n".encode()))
    if isinstance(result, QueryBoolean):
        media = negotiate(accept, SELECT_TYPES, "application/sparql-results+json")
        return send(("whole", 200, media, result.serialize(format=getattr(QueryResultsFormat, SELECT_TYPES[media]))))
    sink = _Chunks(send)
    try:
        if isinstance(result, QuerySolutions):
            media = negotiate(accept, SELECT_TYPES, "application/sparql-results+json")
            target = getattr(QueryResultsFormat, SELECT_TYPES[media])
            if max_rows:
                # Read up to max_rows + 1 rows, written by Oxigraph as TSV (lossless): more is a 413
                # before anything is sent; otherwise the rows are re-read and written as asked.
                lines = _Lines(max_rows)
                try:
                    result.serialize(lines, format=QueryResultsFormat.TSV)  # type: ignore[arg-type]  # see _Lines
                except _TooMany:
                    return send(_too_many(max_rows, "rows"))
                send(("head", 200, media))
                if target == QueryResultsFormat.TSV:
                    for part in lines.parts:
                        sink.write(part)
                else:
                    parse_query_results(b"".join(lines.parts), format=QueryResultsFormat.TSV).serialize(
                        sink,  # type: ignore[arg-type]  # see _Lines
                        format=target,
                    )
            else:
                send(("head", 200, media))
                result.serialize(sink, format=target)  # type: ignore[arg-type]  # see _Lines
        else:
            media = negotiate(accept, GRAPH_TYPES, "text/turtle")
            triples = result
            if max_rows:
                triples = []
                for triple in result:
                    triples.append(triple)
                    if len(triples) > max_rows:
                        return send(_too_many(max_rows, "triples"))
            send(("head", 200, media))
            prefixes = {name: str(iri) for name, iri in PREFIXES.items()}
            serialize(triples, sink, format=getattr(RdfFormat, GRAPH_TYPES[media]), prefixes=prefixes)  # type: ignore[arg-type]  # see _Lines
        sink.finish()
        send(("end",))
    except (OSError, RuntimeError, ValueError, SyntaxError) as error:
        send(("abort", f"the answer failed half-way: {error}"))


def _worker(conn, source: str, max_rows: int) -> None:
    from graph.sparql.store import open_store

    store = open_store(Path(source))
    conn.send("ready")
    while True:
        message = conn.recv()
        if message is None:
            return
        text, accept = message
        try:
            answer(store, text, accept, max_rows, conn.send)
        except Exception as error:  # noqa: BLE001 - a worker answers every request
            conn.send(("whole", 500, TEXT, f"internal error: {error}\n".encode()))


class Overtime(Exception):
    """The answer ran past the time limit (or its worker died); the worker was replaced."""


@dataclass
class Reply:
    status: int
    media: str
    body: bytes = b""  # a whole answer (refusals, errors, ASK)
    chunks: Generator[bytes, None, None] | None = None  # or a streamed one


class WorkerPool:
    """Worker processes holding the store; a worker past the time limit is killed and replaced."""

    def __init__(self, source: Path, size: int, limits: Limits) -> None:
        self.source = str(source)
        self.limits = limits
        self.context = multiprocessing.get_context("spawn")
        self.idle: queue.Queue = queue.Queue()
        self.closed = False
        for _ in range(size):
            self.idle.put(self._spawn())

    def _spawn(self):
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, self.source, self.limits.max_rows), daemon=True)
        process.start()
        if not parent.poll(60) or parent.recv() != "ready":
            process.kill()
            raise RuntimeError(f"{self.source}: the query worker did not start")
        return process, parent

    def _replace(self, worker) -> None:
        """Kill ``worker`` and start another in the background (the request that found it stuck
        is answered meanwhile)."""
        process, _ = worker
        process.kill()

        def respawn() -> None:
            process.join(5)
            if self.closed:
                return
            try:
                self.idle.put(self._spawn())
            except (RuntimeError, OSError) as error:
                log.error("could not replace a query worker: %s", error)

        threading.Thread(target=respawn, daemon=True).start()

    def _receive(self, worker, deadline: float):
        _, conn = worker
        try:
            if conn.poll(max(0.0, deadline - time.monotonic())):
                return conn.recv()
        except (EOFError, OSError):
            pass
        return None

    def run(self, text: str, accept: str) -> Reply:
        try:
            worker = self.idle.get(timeout=self.limits.queue_wait)
        except queue.Empty:
            raise Refused(503, "the endpoint is busy: every query worker is taken; try again") from None
        deadline = time.monotonic() + self.limits.time_limit
        try:
            worker[1].send((text, accept))
            message = self._receive(worker, deadline)
        except (OSError, BrokenPipeError):
            message = None
        if message is None:
            self._replace(worker)
            raise Refused(503, f"the query ran past the time limit of {self.limits.time_limit:g} s and was stopped")
        if message[0] == "whole":
            self.idle.put(worker)
            _, status, media, body = message
            return Reply(status, media, body)
        _, status, media = message
        return Reply(status, media, chunks=self._stream(worker, deadline))

    def _stream(self, worker, deadline: float) -> Generator[bytes, None, None]:
        """The chunks of a streamed answer; the worker goes back to the pool when the answer is
        complete, and is replaced when it is not (time limit, or a reader that went away)."""
        finished = False
        try:
            while True:
                message = self._receive(worker, deadline)
                if message is None:
                    raise Overtime(f"the answer ran past the time limit of {self.limits.time_limit:g} s")
                if message[0] == "chunk":
                    yield message[1]
                elif message[0] == "end":
                    finished = True
                    return
                else:  # "abort": the worker itself is fine
                    finished = True
                    raise Overtime(message[1])
        finally:
            if finished:
                self.idle.put(worker)
            else:
                self._replace(worker)

    def close(self) -> None:
        self.closed = True
        while True:
            try:
                process, conn = self.idle.get_nowait()
            except queue.Empty:
                return
            try:
                conn.send(None)
            except OSError:
                pass
            process.join(2)
            if process.is_alive():
                process.kill()


SERVICE_DESCRIPTION = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, formats:SPARQL_Results_CSV,
        formats:SPARQL_Results_TSV, formats:Turtle, formats:N-Triples, formats:JSON-LD, formats:RDF_XML .
"""

READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"


def make_handler(pool: WorkerPool, limits: Limits, page: bytes, site=None):
    """The request handler; ``site``: the resource pages (``graph.site.dereference.Site``), if any."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "socieux-kg"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class names it so
            pass  # one line per request is written by _log

        def _log(self, status: int, size: int, started: float, note: str = "") -> None:
            log.info(
                '%s "%s %s" %d %d %.1fms%s',
                self.client_address[0],
                self.command,
                self.path[:200],
                status,
                size,
                (time.perf_counter() - started) * 1000,
                f" ({note})" if note else "",
            )

        def _headers(self, status: int, media: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Vary", "Accept")

        def _send(self, status: int, media: str, body: bytes, started: float) -> None:
            self._headers(status, media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self._log(status, len(body), started)

        def _stream(self, reply: Reply, started: float) -> None:
            """Send a streamed answer: chunked for HTTP/1.1 clients, to the end of the connection
            for HTTP/1.0 ones. An answer cut short (time limit, failure) ends without its last
            chunk, which clients report as an incomplete answer."""
            chunked = self.request_version != "HTTP/1.0"
            self._headers(reply.status, reply.media)
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.close_connection = True
            self.end_headers()
            size, note = 0, ""
            chunks = reply.chunks
            assert chunks is not None, "a streamed reply has its chunks"  # _query sends the others whole
            try:
                for chunk in chunks:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                    size += len(chunk)
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
            except Overtime as cut:
                note = f"cut: {cut}"
                self.close_connection = True
            except OSError:
                note = "the client went away"
                self.close_connection = True
                chunks.close()  # the worker is replaced, not left half-way through an answer
            self._log(reply.status, size, started, note)

        def _site(self, reply, started: float) -> None:
            """Send a site's answer (graph.site.dereference.Response): a body, or a file."""
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Access-Control-Allow-Origin", "*")
            body = reply.body if reply.file is None else b""
            size = reply.file.stat().st_size if reply.file is not None else len(body)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            if self.command != "HEAD":
                if reply.file is not None:
                    with open(reply.file, "rb") as stream:
                        shutil.copyfileobj(stream, self.wfile, CHUNK)
                else:
                    self.wfile.write(body)
            self._log(reply.status, size, started)

        def _fail(self, status: int, message: str, started: float) -> None:
            self._send(status, TEXT, (message + "\n").encode(), started)

        def _query(self, text: str, accept: str, started: float) -> None:
            try:
                reply = pool.run(text, accept)
            except Refused as refusal:
                return self._fail(refusal.status, str(refusal), started)
            if reply.chunks is None:
                return self._send(reply.status, reply.media, reply.body, started)
            self._stream(reply, started)

        def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
            self._send(204, "text/plain", b"", time.perf_counter())

        def do_GET(self) -> None:  # noqa: N802
            started = time.perf_counter()
            try:
                url = urlsplit(self.path)
                params = parse_qs(url.query, strict_parsing=False, errors="strict")
            except (ValueError, UnicodeDecodeError):
                return self._fail(400, "malformed request URL (bad percent-encoding)", started)
            if url.path in ("/", "/index.html"):
                return self._send(200, "text/html; charset=utf-8", page, started)
            reply = site.respond(url.path, self.headers.get("Accept", "")) if site is not None else None
            if reply is not None:  # a resource's IRI, or another page of the site
                return self._site(reply, started)
            if url.path != "/sparql":
                return self._fail(404, f"no such page: {url.path}; the endpoint is /sparql", started)
            if "update" in params:
                return self._fail(403, READ_ONLY, started)
            if "query" not in params:
                endpoint = f"http://{self.headers.get('Host', 'localhost')}/sparql"
                return self._send(200, "text/turtle", SERVICE_DESCRIPTION.format(endpoint=endpoint).encode(), started)
            try:
                accept = requested_format(params.get("format", [""])[0], self.headers.get("Accept", ""))
            except Refused as refusal:
                return self._fail(refusal.status, str(refusal), started)
            self._query(params["query"][0], accept, started)

        def do_POST(self) -> None:  # noqa: N802
            started = time.perf_counter()
            try:
                url = urlsplit(self.path)
                params = parse_qs(url.query, strict_parsing=False, errors="strict")
            except (ValueError, UnicodeDecodeError):
                return self._fail(400, "malformed request URL (bad percent-encoding)", started)
            if url.path != "/sparql":
                return self._fail(404, "no such endpoint; queries go to /sparql", started)
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                return self._fail(400, "bad Content-Length", started)
            if length > limits.max_body:
                self.close_connection = True
                return self._fail(413, f"request body over {limits.max_body} bytes", started)
            body = self.rfile.read(length)
            media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            try:
                if media == "application/sparql-update" or "update" in params:
                    return self._fail(403, READ_ONLY, started)
                if media == "application/sparql-query":
                    text = body.decode("utf-8")
                elif media == "application/x-www-form-urlencoded":
                    form = parse_qs(body.decode("utf-8"), errors="strict")
                    if "update" in form:
                        return self._fail(403, READ_ONLY, started)
                    if "query" not in form:
                        return self._fail(400, "no query parameter in the form", started)
                    text = form["query"][0]
                    params = {**params, **{k: v for k, v in form.items() if k == "format"}}
                else:
                    return self._fail(415, "send application/sparql-query or a form (query=...)", started)
            except (UnicodeDecodeError, ValueError):
                return self._fail(400, "the request body is not UTF-8 text", started)
            try:
                accept = requested_format(params.get("format", [""])[0], self.headers.get("Accept", ""))
            except Refused as refusal:
                return self._fail(refusal.status, str(refusal), started)
            self._query(text, accept, started)

    return Handler


def serve(source: Path, host: str, port: int, limits: Limits, workers: int = 2, site=None) -> None:
    """Serve until interrupted; ``site``: the resource pages to answer besides the endpoint."""
    from graph.sparql.query import named_queries

    examples = {name: q.text for name, q in named_queries().items() if not q.parameters}
    pool = WorkerPool(source, workers, limits)
    server = ThreadingHTTPServer((host, port), make_handler(pool, limits, query_page(examples), site))
    server.daemon_threads = True
    log.info("serving %s on http://%s:%d/ (SPARQL endpoint /sparql)", source, host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
