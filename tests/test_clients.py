"""`push` and `query --endpoint` against stores that redirect: no redirect turns a PUT or POST into a
GET, none carries the login to another host, and a chunk that was not taken (2xx) is not counted.
Two small stores on loopback record what reaches them; the real stores are in test_stores.py."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from graph.errors import SocieuxError
from graph.sparql.push import push
from graph.sparql.query import NamedQuery
from graph.sparql.remote import Endpoint
from tests.test_stores import environment

BASIC = "Basic " + base64.b64encode(b"analyst:s3cret").decode()
ANSWER = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "7"}}]}})


class Recorder(BaseHTTPRequestHandler):
    """A store that takes what it is sent (/store) and answers queries (/sparql); below /login/ it
    asks for a Basic login first; /to/CODE/PORT/PATH answers CODE with Location 127.0.0.1:PORT/PATH
    ("here" for its own port)."""

    seen: list[tuple[str, str, str, bytes]]  # (method, path, Authorization, body) of every request
    origin = ""

    def log_message(self, *args) -> None:
        pass

    def handle_any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append((self.command, self.path, self.headers.get("Authorization", ""), body))
        path = self.path
        if path.startswith("/login/"):  # behind a login
            if self.headers.get("Authorization") != BASIC:
                return self.reply(401, b"", {"WWW-Authenticate": 'Basic realm="recorder"'})
            path = path.removeprefix("/login")
        if path.startswith("/to/"):
            _, _, code, where, rest = path.split("/", 4)
            target = (self.origin if where == "here" else f"http://127.0.0.1:{where}") + "/" + rest
            return self.reply(int(code), b"moved", {"Location": target})
        if path.startswith("/sparql"):
            return self.reply(200, ANSWER.encode(), {"Content-Type": "application/sparql-results+json"})
        self.reply(204, b"", {})

    do_GET = do_POST = do_PUT = handle_any

    def reply(self, status: int, body: bytes, headers: dict) -> None:
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def start_recorder() -> tuple[ThreadingHTTPServer, type[Recorder]]:
    handler = type("Recording", (Recorder,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.origin = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, handler


@pytest.fixture
def stores():
    """Two recording stores: the one push is pointed at, and another host a redirect names."""
    here, here_seen = start_recorder()
    other, other_seen = start_recorder()
    yield here_seen, other_seen
    for server in (here, other):
        server.shutdown()
        server.server_close()


@pytest.fixture
def graph(tmp_path) -> Path:
    path = tmp_path / "g.nt"
    path.write_text("".join(f'<urn:s{i}> <urn:p> "v{i}" .\n' for i in range(10)), encoding="utf-8")
    return path


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_push_follows_no_redirect_and_counts_nothing_it_did_not_deliver(stores, graph, code):
    here, other = stores
    port = other.origin.rsplit(":", 1)[1]
    with environment({"SOCIEUX_KG_PUSH_USER": "analyst", "SOCIEUX_KG_PUSH_PASSWORD": "s3cret"}):
        with pytest.raises(SocieuxError) as raised:
            push(f"{here.origin}/login/to/{code}/{port}/store", graph, None, retries=0)
    message = str(raised.value)
    assert f"HTTP {code}" in message and f"to {other.origin}/store" in message and "\n" not in message
    assert "triples only" not in message  # no chunk was taken, none is counted
    assert other.seen == []  # neither the data nor the login went to the other host
    assert {method for method, _, _, _ in here.seen} == {"POST", "PUT"}


def query_on(url: str):
    return Endpoint(url, None).run(NamedQuery("n", Path("<command line>"), "SELECT ?n WHERE { ?s ?p ?n }"))


def test_a_query_follows_only_a_redirect_that_keeps_the_post_on_the_same_origin(stores):
    here, other = stores
    moved = query_on(f"{here.origin}/to/307/here/sparql")
    assert moved.rows == [{"n": "7"}]
    assert [(m, p) for m, p, _, _ in here.seen] == [("POST", "/to/307/here/sparql"), ("POST", "/sparql")]
    assert b"query=SELECT" in here.seen[-1][3]  # the form went with it
    with pytest.raises(SocieuxError, match=rf"the query failed: HTTP 303 See Other to {here.origin}/sparql"):
        query_on(f"{here.origin}/to/303/here/sparql")  # a GET in place of the POST
    port = other.origin.rsplit(":", 1)[1]
    with pytest.raises(SocieuxError, match=rf"the query failed: HTTP 307 Temporary Redirect to {other.origin}/sparql"):
        query_on(f"{here.origin}/to/307/{port}/sparql")  # another host
    assert other.seen == []
