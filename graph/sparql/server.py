"""`socieux-kg serve`: a read-only SPARQL 1.1 endpoint over the graph, with a query page.

Queries run in worker processes that hold the Oxigraph store, so a query past the time limit is
stopped (its worker is killed and replaced) instead of burning a thread forever. Updates, LOAD and
SERVICE are refused; request bodies and results are capped; every response carries CORS headers;
one log line per request.
"""

from __future__ import annotations

import html
import json
import logging
import multiprocessing
import queue
import re
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from graph.sparql import results

log = logging.getLogger("socieux-kg.serve")

_COMMENT = re.compile(r"#[^\n]*")
_STRING = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*", re.IGNORECASE)
_UPDATE = re.compile(r"^(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


@dataclass
class Limits:
    time_limit: float = 10.0  # seconds per query
    max_rows: int = 10_000  # rows (or triples) per result
    max_body: int = 1_000_000  # bytes per request
    queue_wait: float = 5.0  # seconds a request waits for a free worker


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def check_query(text: str) -> None:
    """Refuse what a read-only endpoint must not run: updates, LOAD, SERVICE."""
    bare = _STRING.sub('""', _COMMENT.sub("", text))
    if _UPDATE.match(_PROLOGUE.sub("", bare)):
        raise Refused(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR...) is refused")
    if _SERVICE.search(bare):
        raise Refused(403, "federated queries (SERVICE) are refused: this endpoint makes no outbound requests")


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


FORMAT_PARAMETER = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


def execute(store, text: str, accept: str, max_rows: int) -> tuple[int, str, bytes]:
    """Run one query on ``store``: (status, content type, body)."""
    from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, serialize

    try:
        result = store.query(text)
    except SyntaxError as error:
        return 400, "text/plain; charset=utf-8", f"malformed query: {error}\n".encode()
    except (OSError, RuntimeError, ValueError) as error:
        return 400, "text/plain; charset=utf-8", f"the query failed: {error}\n".encode()
    if isinstance(result, QueryBoolean):
        media = negotiate(accept, results.SELECT_TYPES, "application/sparql-results+json")
        return 200, media, results.ask(bool(result), results.SELECT_TYPES[media])
    if isinstance(result, QuerySolutions):
        media = negotiate(accept, results.SELECT_TYPES, "application/sparql-results+json")
        variables = [v.value for v in result.variables]
        rows = []
        for solution in result:
            rows.append(solution)
            if len(rows) > max_rows:
                return (
                    413,
                    "text/plain; charset=utf-8",
                    (f"the result has more than {max_rows} rows: narrow the query or add LIMIT\n".encode()),
                )
        writer = results.SELECT_WRITERS[results.SELECT_TYPES[media]]
        return 200, media, writer(variables, rows)
    media = negotiate(accept, results.GRAPH_TYPES, "text/turtle")
    triples = []
    for triple in result:
        triples.append(triple)
        if len(triples) > max_rows:
            return (
                413,
                "text/plain; charset=utf-8",
                (f"the result has more than {max_rows} triples: narrow the query\n".encode()),
            )
    return 200, media, serialize(triples, format=getattr(RdfFormat, results.GRAPH_TYPES[media]))


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
            conn.send(execute(store, text, accept, max_rows))
        except Exception as error:  # noqa: BLE001 - a worker answers every request
            conn.send((500, "text/plain; charset=utf-8", f"internal error: {error}\n".encode()))


class WorkerPool:
    """Worker processes holding the store; a worker past the time limit is killed and replaced."""

    def __init__(self, source: Path, size: int, limits: Limits) -> None:
        self.source = str(source)
        self.limits = limits
        self.context = multiprocessing.get_context("spawn")
        self.idle: queue.Queue = queue.Queue()
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

    def run(self, text: str, accept: str) -> tuple[int, str, bytes]:
        try:
            worker = self.idle.get(timeout=self.limits.queue_wait)
        except queue.Empty:
            raise Refused(503, "the endpoint is busy: every query worker is taken; try again") from None
        process, conn = worker
        try:
            conn.send((text, accept))
            if conn.poll(self.limits.time_limit):
                reply = conn.recv()
                self.idle.put(worker)
                return reply
        except (EOFError, OSError, BrokenPipeError):
            pass
        process.kill()
        process.join(5)
        self.idle.put(self._spawn())
        raise Refused(503, f"the query ran past the time limit of {self.limits.time_limit:g} s and was stopped")

    def close(self) -> None:
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
        formats:SPARQL_Results_TSV, formats:Turtle, formats:N-Triples, formats:JSON-LD .
"""


def make_handler(pool: WorkerPool, limits: Limits, page: bytes):
    class Handler(BaseHTTPRequestHandler):
        server_version = "socieux-kg"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class names it so
            pass  # one line per request is written by _send

        def _send(self, status: int, media: str, body: bytes, started: float) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Vary", "Accept")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            log.info(
                '%s "%s %s" %d %d %.1fms',
                self.client_address[0],
                self.command,
                self.path[:200],
                status,
                len(body),
                (time.perf_counter() - started) * 1000,
            )

        def _fail(self, status: int, message: str, started: float) -> None:
            self._send(status, "text/plain; charset=utf-8", (message + "\n").encode(), started)

        def _query(self, text: str, accept: str, started: float) -> None:
            try:
                check_query(text)
                status, media, body = pool.run(text, accept)
            except Refused as refusal:
                return self._fail(refusal.status, str(refusal), started)
            self._send(status, media, body, started)

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
            if url.path != "/sparql":
                return self._fail(404, f"no such page: {url.path}; the endpoint is /sparql", started)
            if "update" in params:
                return self._fail(403, "this endpoint is read-only: SPARQL Update is refused", started)
            if "query" not in params:
                endpoint = f"http://{self.headers.get('Host', 'localhost')}/sparql"
                return self._send(200, "text/turtle", SERVICE_DESCRIPTION.format(endpoint=endpoint).encode(), started)
            accept = FORMAT_PARAMETER.get(params.get("format", [""])[0], self.headers.get("Accept", ""))
            self._query(params["query"][0], accept, started)

        def do_POST(self) -> None:  # noqa: N802
            started = time.perf_counter()
            if urlsplit(self.path).path != "/sparql":
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
            accept = self.headers.get("Accept", "")
            try:
                if media == "application/sparql-update":
                    return self._fail(403, "this endpoint is read-only: SPARQL Update is refused", started)
                if media == "application/sparql-query":
                    text = body.decode("utf-8")
                elif media == "application/x-www-form-urlencoded":
                    form = parse_qs(body.decode("utf-8"), errors="strict")
                    if "update" in form:
                        return self._fail(403, "this endpoint is read-only: SPARQL Update is refused", started)
                    if "query" not in form:
                        return self._fail(400, "no query parameter in the form", started)
                    text = form["query"][0]
                    accept = FORMAT_PARAMETER.get(form.get("format", [""])[0], accept)
                else:
                    return self._fail(415, "send application/sparql-query or a form (query=...)", started)
            except (UnicodeDecodeError, ValueError):
                return self._fail(400, "the request body is not UTF-8 text", started)
            self._query(text, accept, started)

    return Handler


def query_page(examples: dict[str, str]) -> bytes:
    """The browser page: a query editor with the named queries as examples and a results table."""
    options = "".join(f'<option value="{html.escape(name)}">{html.escape(name)}</option>' for name in examples)
    data = json.dumps(examples, ensure_ascii=False).replace("<", "\\u003c")
    return _PAGE.replace("$options", options).replace("$examples", data).encode()


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>socieux-kg SPARQL</title>
<style>
body { font-family: system-ui, sans-serif; margin: 16px; font-size: 14px; }
textarea { width: 100%; height: 220px; font-family: monospace; font-size: 13px; }
table { border-collapse: collapse; margin-top: 12px; font-size: 12px; }
td, th { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; max-width: 420px; }
th { background: #f2f2f2; }
#status { margin-left: 12px; color: #555; }
</style></head>
<body data-rows="">
<h1>socieux-kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over the SOCIEUX+ knowledge graph. Endpoint: <code>/sparql</code>.</p>
<label>Example: <select id="examples"><option value="">choose a named query</option>$options</select></label>
<textarea id="query">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea>
<button id="run">Run</button><span id="status"></span>
<div id="results"></div>
<script>
var examples = $examples;
document.getElementById("examples").addEventListener("change", function (e) {
  if (examples[e.target.value]) { document.getElementById("query").value = examples[e.target.value]; }
});
function cell(term) { return term ? term.value : ""; }
// a link can carry its query: /?query=...&run=1 fills the editor and runs it
var given = new URLSearchParams(window.location.search);
if (given.get("query")) { document.getElementById("query").value = given.get("query"); }
document.getElementById("run").addEventListener("click", function () {
  var status = document.getElementById("status");
  status.textContent = "running…";
  var started = Date.now();
  fetch("/sparql", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded",
                                                "Accept": "application/sparql-results+json"},
                    body: "query=" + encodeURIComponent(document.getElementById("query").value)})
    .then(function (r) { return r.ok ? r.json() : r.text().then(function (t) { throw new Error(t); }); })
    .then(function (data) {
      var out = document.getElementById("results");
      out.textContent = "";
      var table = document.createElement("table");
      if (data.boolean !== undefined) {
        table.insertRow().insertCell().textContent = String(data.boolean);
        document.body.dataset.rows = "1";
      } else {
        var head = table.insertRow();
        data.head.vars.forEach(function (v) {
          var th = document.createElement("th"); th.textContent = v; head.appendChild(th);
        });
        data.results.bindings.forEach(function (b) {
          var row = table.insertRow();
          data.head.vars.forEach(function (v) { row.insertCell().textContent = cell(b[v]); });
        });
        document.body.dataset.rows = String(data.results.bindings.length);
      }
      out.appendChild(table);
      status.textContent = (document.body.dataset.rows) + " rows in " + (Date.now() - started) + " ms";
    })
    .catch(function (error) { status.textContent = error.message; document.body.dataset.rows = "error"; });
});
if (given.get("run") === "1") { document.getElementById("run").click(); }
</script>
</body></html>
"""


def serve(source: Path, host: str, port: int, limits: Limits, workers: int = 2) -> None:
    """Serve until interrupted."""
    from graph.sparql.query import named_queries

    examples = {name: q.text for name, q in named_queries().items() if not q.parameters}
    pool = WorkerPool(source, workers, limits)
    server = ThreadingHTTPServer((host, port), make_handler(pool, limits, query_page(examples)))
    server.daemon_threads = True
    log.info("serving %s on http://%s:%d/ (SPARQL endpoint /sparql)", source, host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
