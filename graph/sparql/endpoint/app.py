"""The endpoint's HTTP side: routes, the SPARQL 1.1 Protocol, CORS and the service description, as a
WSGI application served by waitress (a production WSGI server: a fixed pool of threads, a cap on
connections, read timeouts on idle and slow ones, a cap on request bodies that it enforces on the
bytes it reads, whatever Content-Length says, and chunked answers).

Routes are functions from a :class:`Request` to a :class:`Response`, framework-free; another one is
added with ``Endpoint.route(prefix, handler)`` (see docs/endpoint.md). Each request is logged on one
line when its answer has been sent.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from graph.sparql.endpoint.answers import TEXT, requested_format
from graph.sparql.endpoint.guard import Refused
from graph.sparql.endpoint.pool import Limits, Overtime, Reply, WorkerPool

log = logging.getLogger("socieux-kg.serve")

READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"
METHODS = "GET, HEAD, POST, OPTIONS"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    params: Mapping[str, list[str]]  # the URL's query string
    headers: Mapping[str, str]  # names in lower case
    body: bytes = b""
    client: str = ""

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass
class Response:
    status: int
    media: str = TEXT
    body: bytes = b""
    chunks: Iterable[bytes] | None = None  # a streamed answer instead of ``body``
    headers: dict[str, str] = field(default_factory=dict)
    vary_accept: bool = True  # whether the answer depends on the Accept header (not a file's own URL)

    @classmethod
    def text(cls, status: int, message: str) -> Response:
        return cls(status, TEXT, (message + "\n").encode())


Handler = Callable[[Request], Response]

SERVICE_DESCRIPTION = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, formats:SPARQL_Results_CSV,
        formats:SPARQL_Results_TSV, formats:Turtle, formats:N-Triples, formats:JSON-LD, formats:RDF_XML .
"""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Endpoint:
    """What the server answers, framework-free: ``handle(request)`` gives the response.

    ``public_url`` is where clients reach the service (``--public-url``; the service description's
    IRIs are built from it, never from a request's Host header). ``origins`` are the web origins
    whose pages may call the endpoint from a browser (``--cors``; ``*`` for any): CORS headers go
    only to them, and a request that a page of any other origin sends (its ``Origin`` header names
    neither them nor the endpoint's own) is refused before it reaches a worker.
    """

    def __init__(
        self, pool: WorkerPool, page: bytes, public_url: str, origins: Iterable[str] = (), own: Iterable[str] = ()
    ) -> None:
        self.pool, self.page = pool, page
        self.public_url = public_url.rstrip("/") + "/"
        self.origins = {o.rstrip("/").lower() for o in origins}
        self.own = {origin_of(self.public_url), *(o.lower() for o in own)}
        self.routes: dict[str, Handler] = {}
        self.fallback: Callable[[Request], Response | None] | None = None  # asked where no route is
        self.route("/sparql", self.sparql)
        self.route("/queries/", self.named_query)
        self.route("/queries", self.query_list)
        for path in ("/", "/index.html"):
            self.route(path, lambda request: Response(200, "text/html; charset=utf-8", self.page))

    def route(self, path: str, handler: Handler) -> None:
        """Answer requests for ``path`` (or below it, for a path ending in "/") with ``handler``."""
        self.routes[path] = handler

    def _handler(self, path: str) -> Handler | None:
        if path in self.routes:
            return self.routes[path]
        prefixes = [p for p in self.routes if p.endswith("/") and p != "/" and path.startswith(p)]
        return self.routes[max(prefixes, key=len)] if prefixes else None

    def handle(self, request: Request) -> Response:
        origin = request.header("Origin")
        if origin and not self._allowed(origin):
            response = Response.text(
                403, f"a page of {origin} may not call this endpoint: serve --cors {origin} allows it"
            )
        elif request.method == "OPTIONS":
            response = Response(204, headers={"Allow": METHODS})
        elif request.method not in ("GET", "HEAD", "POST"):
            response = Response.text(405, f"{request.method} is not answered here: use GET or POST")
            response.headers["Allow"] = METHODS
        else:
            handler = self._handler(request.path)
            answer = self.fallback(request) if handler is None and self.fallback is not None else None
            if answer is not None:
                response = answer
            elif handler is None:
                response = Response.text(404, f"no such page: {request.path}; the SPARQL endpoint is /sparql")
            else:
                try:
                    response = handler(request)
                except Refused as refusal:
                    response = Response.text(refusal.status, str(refusal))
        if origin and self._cors(origin):
            response.headers["Access-Control-Allow-Origin"] = "*" if "*" in self.origins else origin
            response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Origin"]))
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = METHODS
                response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
                response.headers["Access-Control-Max-Age"] = "600"
        return response

    def _cors(self, origin: str) -> bool:
        return "*" in self.origins or origin.lower() in self.origins

    def _allowed(self, origin: str) -> bool:
        return self._cors(origin) or origin.lower() in self.own

    # ------------------------------------------------------------------ the SPARQL 1.1 Protocol

    def sparql(self, request: Request) -> Response:
        params = dict(request.params)
        if request.method == "POST":
            media = request.header("Content-Type").split(";")[0].strip().lower()
            if media == "application/sparql-update" or "update" in params:
                raise Refused(403, READ_ONLY)
            try:
                if media == "application/sparql-query":
                    params["query"] = [request.body.decode("utf-8")]
                elif media == "application/x-www-form-urlencoded":
                    form = parse_qs(request.body.decode("utf-8"), errors="strict")
                    if "query" not in form and "update" not in form:
                        raise Refused(400, "no query parameter in the form")
                    params = {**params, **form}
                else:
                    raise Refused(415, "send application/sparql-query or a form (query=...)")
            except (UnicodeDecodeError, ValueError):
                raise Refused(400, "the request body is not UTF-8 text") from None
        if "update" in params:
            raise Refused(403, READ_ONLY)
        if "query" not in params:
            endpoint = self.public_url + "sparql"
            return Response(200, "text/turtle", SERVICE_DESCRIPTION.format(endpoint=endpoint).encode())
        accept = requested_format(params.get("format", [""])[0], request.header("Accept"))
        return self._reply(self.pool.run(params["query"][0], accept))

    def named_query(self, request: Request) -> Response:
        """``/queries/NAME?PARAMETER=VALUE``: a named query with its parameters, resolved as the
        command line and the notebook API resolve them."""
        name = request.path.removeprefix("/queries/")
        accept = requested_format(request.params.get("format", [""])[0], request.header("Accept"))
        params = {key: values[0] for key, values in request.params.items() if key != "format"}
        return self._reply(self.pool.run("", accept, named=name, params=params))

    def query_list(self, request: Request) -> Response:
        """``/queries``: the named queries, what each answers and its parameters, as JSON."""
        from graph.sparql.query import named_queries

        listed = [
            {"name": q.name, "description": q.description, "parameters": q.parameters, "path": f"/queries/{q.name}"}
            for q in named_queries().values()
        ]
        return Response(200, "application/json", json.dumps(listed, indent=1, ensure_ascii=False).encode())

    @staticmethod
    def _reply(reply: Reply) -> Response:
        if reply.chunks is None:
            return Response(reply.status, reply.media, reply.body)
        return Response(reply.status, reply.media, chunks=reply.chunks)


# ---------------------------------------------------------------------------------------- WSGI


class _Logged:
    """A response's chunks, logged on one line once sent (or cut short); closing it closes them."""

    def __init__(self, chunks: Iterable[bytes], line: Callable[[int, str], None]) -> None:
        self.chunks, self.line = chunks, line
        self.size, self.note = 0, ""

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self.chunks:
                self.size += len(chunk)
                yield chunk
        except Overtime as cut:
            self.note = f"cut: {cut}"
            raise

    def close(self) -> None:
        if getattr(self.chunks, "done", True) is False and not self.note:
            self.note = "the client went away"
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()
        self.line(self.size, self.note)


def wsgi(endpoint: Endpoint, max_body: int) -> Callable:
    """The endpoint as a WSGI application."""

    def application(environ, start_response):
        started = time.perf_counter()
        method = environ["REQUEST_METHOD"].upper()
        path = environ.get("PATH_INFO", "") or "/"
        headers = {k[5:].replace("_", "-").lower(): value for k, value in environ.items() if k.startswith("HTTP_")}
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = environ[key]
        try:
            params = parse_qs(environ.get("QUERY_STRING", ""), errors="strict")
            body = environ["wsgi.input"].read(max_body + 1) if method == "POST" else b""
            if len(body) > max_body:  # the server caps bodies too: this holds under any WSGI server
                response = Response.text(413, f"request body over {max_body} bytes")
            else:
                request = Request(method, path, params, headers, body, environ.get("REMOTE_ADDR", ""))
                response = endpoint.handle(request)
        except (ValueError, UnicodeDecodeError):
            response = Response.text(400, "malformed request URL (bad percent-encoding)")

        def line(size: int, note: str = "") -> None:
            target = path + (f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else "")
            log.info(
                '%s "%s %s" %d %d %.1fms%s',
                environ.get("REMOTE_ADDR", "-"),
                method,
                target[:200],
                response.status,
                size,
                (time.perf_counter() - started) * 1000,
                f" ({note})" if note else "",
            )

        varies = ["Accept"] if response.vary_accept else []
        varies += [v.strip() for v in response.headers.pop("Vary", "").split(",")]
        vary = ", ".join(dict.fromkeys(v for v in varies if v))
        head = [("Content-Type", response.media), *([("Vary", vary)] if vary else []), *response.headers.items()]
        if response.chunks is None:
            head.append(("Content-Length", str(len(response.body))))
            start_response(_status(response.status), head)
            line(len(response.body))
            return [response.body]
        start_response(_status(response.status), head)
        return _Logged(response.chunks, line)

    return application


def _status(code: int) -> str:
    from http import HTTPStatus

    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Status"


# ------------------------------------------------------------------------------------- the server


class _QuietCuts(logging.Filter):
    """Waitress logs an answer whose iterator raised with a traceback; a cut at the time limit is
    expected (our own log line says so), so it is not."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], Overtime))


@dataclass
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 7878
    public_url: str | None = None  # default: http://HOST:PORT/
    cors: tuple[str, ...] = ()
    read_timeout: int = 30  # seconds an idle or slow connection is kept
    max_connections: int = 100


def check_public_url(url: str | None) -> str | None:
    """``--public-url`` checked: an http(s) URL with a host, no query or fragment; ends in "/"."""
    from graph.errors import SocieuxError

    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SocieuxError(f"--public-url {url!r}: give the http(s) URL clients reach the service at")
    if any(c in url for c in '<>"{}|\\^` '):
        raise SocieuxError(f"--public-url {url!r}: not a URL that an IRI can be built from")
    return url.rstrip("/") + "/"


def public_url_for(host: str, port: int) -> str:
    shown = "localhost" if host in ("0.0.0.0", "::", "") else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def make_server(endpoint_for: Callable[[str, set[str]], Endpoint], options: ServerOptions, max_body: int, threads: int):
    """A waitress server bound to the options' address, serving the endpoint that ``endpoint_for``
    makes once the port is known (the public URL and own origins name it)."""
    from waitress.server import TcpWSGIServer, create_server

    logging.getLogger("waitress").addFilter(_QuietCuts())
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth": the pool says busy
    holder: dict[str, Callable] = {}
    server = create_server(
        lambda environ, start: holder["app"](environ, start),
        host=options.host,
        port=options.port,
        threads=threads,
        connection_limit=options.max_connections,
        channel_timeout=options.read_timeout,
        cleanup_interval=max(1, min(30, options.read_timeout // 2 or 1)),
        max_request_body_size=max_body + 1,  # waitress refuses a body of this size or more
        ident="socieux-kg",
        clear_untrusted_proxy_headers=True,
    )
    assert isinstance(server, TcpWSGIServer), "one address: one listening socket"
    assert server.socket is not None, "a server listens once made"
    port = server.socket.getsockname()[1]
    bound = {public_url_for(options.host, port), f"http://localhost:{port}/", f"http://127.0.0.1:{port}/"}
    public = options.public_url or public_url_for(options.host, port)
    endpoint = endpoint_for(public, {origin_of(url) for url in bound})
    holder["app"] = wsgi(endpoint, max_body)
    return server, endpoint, port


def site_answers(site) -> Callable[[Request], Response | None]:
    """The resource pages of ``site`` (``graph.site.dereference.Site``) as the endpoint's fallback:
    every resource at the path of its IRI, content negotiated; None for a path that is not the site's."""

    def answer(request: Request) -> Response | None:
        if request.method == "POST":
            return None
        reply = site.respond(request.path, request.header("Accept"))
        if reply is None:
            return None
        headers: dict[str, str] = {}
        for name, value in reply.headers:
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        media = headers.pop("Content-Type", TEXT)
        if reply.file is None:
            return Response(reply.status, media, reply.body, headers=headers, vary_accept=False)
        headers["Content-Length"] = str(reply.file.stat().st_size)
        return Response(reply.status, media, chunks=_file_chunks(reply.file), headers=headers, vary_accept=False)

    return answer


def _file_chunks(path, size: int = 1 << 16) -> Iterator[bytes]:
    with open(path, "rb") as stream:
        while chunk := stream.read(size):
            yield chunk


def serve(source, limits: Limits, options: ServerOptions, workers: int = 2, site=None) -> None:
    """Serve the store (or graph file) ``source`` until Ctrl-C or SIGTERM, which end it with one line;
    ``site``: the resource pages (``graph.site.dereference.Site``) answered at their IRIs' paths."""
    import signal

    from graph.sparql.endpoint.page import query_page
    from graph.sparql.query import named_queries

    def interrupted(signum, frame) -> None:
        raise KeyboardInterrupt

    examples = {name: q.text for name, q in named_queries().items() if not q.parameters}
    pool = WorkerPool(source, workers, limits)
    try:
        server, endpoint, port = make_server(
            lambda public, own: Endpoint(pool, query_page(examples), public, options.cors, own),
            options,
            limits.max_body,
            threads=2 * workers + 2,
        )
        if site is not None:
            endpoint.fallback = site_answers(site)
        signal.signal(signal.SIGTERM, interrupted)
        log.info(
            "serving %s on http://%s:%d/ (SPARQL endpoint %ssparql; Ctrl-C stops it)",
            source,
            options.host,
            port,
            endpoint.public_url,
        )
        server.run()  # returns on Ctrl-C (waitress stops its threads)
        log.info("stopped")
    finally:
        pool.close()
