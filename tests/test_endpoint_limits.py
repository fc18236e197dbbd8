"""The endpoint against clients that do not play by the rules: a body cap no header gets round, IRIs
that no Host header writes, idle and slow connections that neither hold threads nor stay open, no
CORS unless asked and no work for other sites' pages, q=0 honoured, a store failing half-way that
costs no worker, and Ctrl-C that ends the server in one line."""

from __future__ import annotations

import http.client as http_client
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from rdflib import Graph, URIRef

from graph.sparql.endpoint.answers import NotAcceptable, answer, negotiate
from graph.sparql.endpoint.app import ServerOptions
from graph.sparql.endpoint.pool import Limits
from graph.sparql.store import open_store
from tests.conftest import serving_port
from tests.test_server import ACTIONS, endpoint, get, http, serving  # noqa: F401 - the endpoint fixture

SD_ENDPOINT = URIRef("http://www.w3.org/ns/sparql-service-description#endpoint")


def raw(base: str, request: bytes, timeout: float = 10) -> bytes:
    """Send ``request`` as it is on a new connection; everything the server answers until it closes."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_no_content_length_gets_a_body_past_the_cap(endpoint):  # noqa: F811
    """The cap (20,000 bytes here) holds on the bytes read: a negative Content-Length, or a chunked
    body, is no way round it."""
    query = urlencode({"query": ACTIONS}).encode()
    body = query + b"&pad=" + b"x" * 200_000
    for framing in (b"Content-Length: -1\r\n", b"Transfer-Encoding: chunked\r\n"):
        sent = body if b"-1" in framing else b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        request = (
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + framing
            + b"Connection: close\r\n\r\n"
            + sent
        )
        assert status_of(raw(endpoint, request)) in (400, 413), framing
    small = b"%x\r\n%s\r\n0\r\n\r\n" % (len(query), query)
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + small
    )
    assert status_of(raw(endpoint, request)) == 200  # a chunked body under the cap is read


def test_the_service_description_is_not_written_by_the_host_header(endpoint):  # noqa: F811
    parts = urlsplit(endpoint)
    connection = http_client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest("GET", "/sparql", skip_host=True)
    connection.putheader("Host", 'evil.example/"><x>')
    connection.endheaders()
    response = connection.getresponse()
    text = response.read().decode()
    assert response.status == 200 and "evil" not in text
    described = Graph().parse(data=text, format="turtle")
    assert set(described.objects(None, SD_ENDPOINT)) == {URIRef(f"{endpoint}/sparql")}


@pytest.fixture(scope="module")
def published(seed_build, tmp_path_factory):
    """An endpoint behind a proxy (--public-url) that lets one other site's pages call it (--cors)."""
    limits = Limits(time_limit=5.0, max_rows=1000, max_body=20_000, queue_wait=10)
    options = ServerOptions(port=0, public_url="https://example.org/kg/", cors=("https://friend.example",))
    with serving(seed_build, tmp_path_factory.mktemp("published"), limits, 1, b"", options) as url:
        yield url


def test_the_public_url_names_the_service(published):
    status, _, body = http(f"{published}/sparql")
    described = Graph().parse(data=body.decode(), format="turtle")
    assert status == 200 and set(described.objects(None, SD_ENDPOINT)) == {URIRef("https://example.org/kg/sparql")}


def test_cors_is_off_and_other_sites_pages_get_no_worker(endpoint):  # noqa: F811
    status, headers, _ = get(endpoint, ACTIONS)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    # a form POST from a page of another site needs no preflight: it is refused before any worker
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"}
    status, headers, body = http(f"{endpoint}/sparql", urlencode({"query": ACTIONS}).encode(), form)
    assert status == 403 and b"--cors https://evil.example" in body and "Access-Control-Allow-Origin" not in headers
    # the endpoint's own page (the same origin) is served
    own = {"Content-Type": "application/x-www-form-urlencoded", "Origin": endpoint}
    assert http(f"{endpoint}/sparql", urlencode({"query": ACTIONS}).encode(), own)[0] == 200


def test_cors_names_the_origin_that_serve_allows(published):
    friend = {"Origin": "https://friend.example", "Accept": "text/csv"}
    status, headers, body = http(f"{published}/sparql?{urlencode({'query': ACTIONS})}", headers=friend)
    assert status == 200 and body.decode().splitlines() == ["n", "210"]
    assert headers["Access-Control-Allow-Origin"] == "https://friend.example" and "Origin" in headers["Vary"]
    preflight = {**friend, "Access-Control-Request-Method": "POST"}
    status, headers, _ = http(f"{published}/sparql", headers=preflight, method="OPTIONS")
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    status, headers, _ = http(f"{published}/sparql", headers={"Origin": "https://other.example"}, method="OPTIONS")
    assert status == 403 and "Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
        ("application/sparql-results+json; q=0, application/json;q=0, text/csv;q=0.5, */*;q=0.1", "text/csv"),
        ("text/csv;q=0", "application/sparql-results+json"),
    ],
)
def test_q_0_means_not_acceptable(endpoint, accept, media):  # noqa: F811
    status, headers, _ = get(endpoint, ACTIONS, accept)
    assert status == 200 and headers["Content-Type"] == media


def test_an_answer_in_no_acceptable_type_is_a_406(endpoint):  # noqa: F811
    status, _, body = get(endpoint, ACTIONS, "*/*;q=0")
    assert status == 406 and b"refuses every type" in body
    offered = {"text/turtle": "TURTLE", "application/n-triples": "N_TRIPLES"}
    assert negotiate("text/turtle;q=0, */*;q=0.5", offered, "text/turtle") == "application/n-triples"
    with pytest.raises(NotAcceptable):
        negotiate("text/turtle;q=0, application/n-triples;q=0", offered, "text/turtle")


def test_a_query_without_prefix_lines_is_answered_as_on_the_command_line(endpoint):  # noqa: F811
    status, _, body = get(endpoint, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a socx:Action }", "text/csv")
    assert status == 200 and body.decode().splitlines() == ["n", "210"]


def test_an_unknown_prefix_is_one_plain_line_here_and_on_the_command_line(endpoint, built_project):  # noqa: F811
    from tests.conftest import invoke

    query = "SELECT * WHERE { ?s foo:bar ?o }"
    status, _, body = get(endpoint, query)
    assert status == 400 and body.decode() == "malformed query: line 1, column 28: Prefix not found\n"
    done = invoke("query", query, cwd=built_project.folder)
    assert done.returncode == 1
    assert done.stderr == "socieux-kg: error: <command line>: malformed query: line 1, column 28: Prefix not found\n"


# ------------------------------------------------------------------- a store that fails half-way


class FailingStore:
    """A store whose answers fail as they are read (a disk error, say): the query starts, the rows do not come."""

    def __init__(self, store) -> None:
        self.store = store

    def query(self, *args, **kwargs):
        from pyoxigraph import QueryBoolean

        result = self.store.query(*args, **kwargs)
        return result if isinstance(result, QueryBoolean) else FailingResult(result)


class FailingResult:
    def __init__(self, result) -> None:
        self.result = result
        self.variables = getattr(result, "variables", [])

    def serialize(self, *args, **kwargs):
        raise OSError("the store could not read its files")

    def __iter__(self):
        raise OSError("the store could not read its files")


def failing_store(path: Path) -> FailingStore:
    """The store at ``path`` as a failing one (the pool's ``opener``, run in a worker process)."""
    return FailingStore(open_store(path))


def test_a_failure_while_rows_are_read_is_one_whole_answer(seed_build, tmp_path):
    """The worker answers once and whole (a 500), never an abort before its head, which left the
    request unanswered and the worker lost."""
    from graph.rdf.serialise import turtle
    from graph.sparql.store import write_store

    write_store(turtle(seed_build.triples), tmp_path / "store")
    sent: list[tuple] = []
    answer(failing_store(tmp_path / "store"), "SELECT * WHERE { ?s ?p ?o }", "", 1000, sent.append)
    assert [message[:2] for message in sent] == [("whole", 500)]
    assert b"the store could not read its files" in sent[0][3]


@pytest.fixture(scope="module")
def failing(seed_build, tmp_path_factory):
    limits = Limits(time_limit=5.0, max_rows=1000, max_body=20_000, queue_wait=3)
    with serving(seed_build, tmp_path_factory.mktemp("failing"), limits, 1, b"", opener=failing_store) as url:
        yield url


def test_failures_while_rows_are_read_cost_no_worker(failing):
    """One worker, three failing answers in a row: each is a 500, and the worker is still there."""
    for _ in range(3):
        status, _, body = get(failing, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 500 and b"could not read its files" in body
    assert get(failing, "ASK { ?s ?p ?o }")[0] == 200  # an ASK reads no rows: the worker answers it


# ----------------------------------------------------------------------- idle and slow connections


@pytest.fixture(scope="module")
def guarded(seed_build, tmp_path_factory):
    """An endpoint that keeps idle connections 1 s and takes 20 connections at most."""
    limits = Limits(time_limit=5.0, max_rows=1000, max_body=20_000, queue_wait=10)
    options = ServerOptions(port=0, read_timeout=1, max_connections=20)
    with serving(seed_build, tmp_path_factory.mktemp("guarded"), limits, 1, b"", options) as url:
        yield url


def test_idle_connections_hold_no_thread_and_are_closed(guarded):
    parts = urlsplit(guarded)
    threads = threading.active_count()
    idle = [socket.create_connection((parts.hostname, parts.port), timeout=10) for _ in range(30)]
    slow = socket.create_connection((parts.hostname, parts.port), timeout=10)
    slow.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\n")  # a request that never ends its headers
    idle.append(slow)
    try:
        time.sleep(0.5)
        assert threading.active_count() <= threads + 2  # no thread a connection
        started = time.perf_counter()
        status, _, _ = get(guarded, ACTIONS)  # waits for room, and gets it once the idle ones are closed
        assert status == 200 and time.perf_counter() - started < 15
        deadline = time.perf_counter() + 15
        closed = 0
        for connection in idle:
            connection.settimeout(max(0.1, deadline - time.perf_counter()))
            try:
                closed += connection.recv(1) == b""
            except (ConnectionResetError, TimeoutError):
                closed += 0
        assert closed >= 20  # those the server had accepted were closed after the read timeout
    finally:
        for connection in idle:
            connection.close()
    assert get(guarded, ACTIONS)[0] == 200


# ------------------------------------------------------------------------------------------ Ctrl-C


def test_ctrl_c_stops_the_server_with_one_line(built_project):
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--port", "0", "--workers", "2"],
        cwd=built_project.folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port, _ = serving_port(process)
        status, _, _ = get(f"http://127.0.0.1:{port}", ACTIONS)
        assert status == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    lines = err.splitlines()  # after the first: the request's log line, then one line for Ctrl-C
    assert process.returncode == 0 and out == "" and "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert len(lines) == 2 and " 200 " in lines[0] and lines[1].endswith(" stopped"), err


def test_serve_checks_its_public_url(built_project):
    from tests.conftest import invoke

    done = invoke("serve", "--public-url", "ftp://example.org/", cwd=built_project.folder)
    assert done.returncode == 1 and "--public-url 'ftp://example.org/'" in done.stderr
