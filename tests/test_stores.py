"""The graph in the triple stores institutions run: `push` into a real OpenLink Virtuoso (Debian's
package) and a real Oxigraph server, each started once for this module on loopback with private
files, and every named query run on them (`query --endpoint`, `KnowledgeGraph.remote`) against the
local store's answer. A store that cannot start fails the tests; they are never skipped."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.stores import VIRTUOSO_PASSWORD, VIRTUOSO_USER, free_port, start_oxigraph, start_virtuoso
from graph.errors import SocieuxError
from graph.rdf.serialise import ntriples, turtle
from graph.sparql.push import chunks, push
from graph.sparql.query import NamedQuery, named_queries
from graph.sparql.remote import Endpoint
from graph.sparql.store import open_store, run_query_store, write_store
from tests.conftest import ROOT, invoke

GRAPH = "https://w3id.org/socieux-kg/graph"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PARAMS = {
    "country": {"country": "PER"},
    "institution": {"institution": "MLSP"},
    "edge-evidence": {"property": "expertCountry", "value": "FRA"},
}
LOGIN = {"SOCIEUX_KG_PUSH_USER": VIRTUOSO_USER, "SOCIEUX_KG_PUSH_PASSWORD": VIRTUOSO_PASSWORD}


@pytest.fixture(scope="module")
def seed_files(seed_build, tmp_path_factory):
    """The seed graph as N-Triples and Turtle, and the local Oxigraph store the answers are compared with."""
    folder = tmp_path_factory.mktemp("seed-graph")
    (folder / "socieux.nt").write_text(ntriples(seed_build.triples), encoding="utf-8")
    (folder / "socieux.ttl").write_text(turtle(seed_build.triples), encoding="utf-8")
    write_store(folder / "socieux.nt", folder / "store")
    return folder


@pytest.fixture(scope="module")
def local(seed_files):
    return open_store(seed_files / "store")


@pytest.fixture(scope="module")
def local_answer(local):
    """name → the named query's answer on the local store (computed once for both stores)."""
    answers: dict = {}

    def answer(name: str):
        if name not in answers:
            answers[name] = run_query_store(local, named_queries()[name], PARAMS.get(name))
        return answers[name]

    return answer


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """Both stores, started once for the module, in threads: Virtuoso's ten seconds of making its
    database pass while the seed graph is built. A store that does not start fails the tests."""
    pool = ThreadPoolExecutor(2)
    starting = {
        "virtuoso": pool.submit(start_virtuoso, tmp_path_factory.mktemp("virtuoso")),
        "oxigraph": pool.submit(start_oxigraph, tmp_path_factory.mktemp("oxigraph")),
    }
    try:
        yield starting
    finally:
        for future in starting.values():
            if future.exception() is None:
                future.result().stop()
        pool.shutdown()


@pytest.fixture(scope="module")
def pushed(stores, seed_files, seed_build):
    """Each store holds the seed graph in GRAPH (pushed twice: a replace, in a different chunking) and
    in its default graph."""
    size = len(seed_build.triples)
    stores = {name: future.result() for name, future in stores.items()}
    for store in stores.values():
        for chunk in (100_000, 5_000):  # one request, then five: the second push replaces the first
            with environment(LOGIN if store.name == "virtuoso" else {}):
                report = push(store.push_url, seed_files / "socieux.nt", GRAPH, chunk=chunk)
            assert report.triples == size and report.requests == -(-size // chunk)
            assert count(store.query_url, GRAPH) == size
        with environment(LOGIN if store.name == "virtuoso" else {}):
            push(store.push_url, seed_files / "socieux.ttl", None)
        assert count(store.query_url, None) == size
    return stores


@contextmanager
def environment(values: dict[str, str]):
    """The push credentials (they come only from the environment) set to ``values`` for a block."""
    keys = {*values, *LOGIN, "SOCIEUX_KG_PUSH_TOKEN"}
    saved = {key: os.environ.pop(key, None) for key in keys}
    os.environ.update(values)
    try:
        yield
    finally:
        for key in keys:
            os.environ.pop(key, None)
        os.environ.update({key: value for key, value in saved.items() if value is not None})


def count(query_url: str, graph_iri: str | None) -> int:
    return int(Endpoint(query_url, graph_iri).run(NamedQuery("count", Path("<command line>"), COUNT)).rows[0]["n"])


def order_columns(text: str, columns: list[str]) -> list[str]:
    """The projected columns the outer ORDER BY sorts on (the last ORDER BY of the query)."""
    clauses = re.split(r"\bORDER\s+BY\b", text, flags=re.IGNORECASE)
    if len(clauses) < 2 or "}" in clauses[-1]:
        return []
    return [name for name in re.findall(r"[?$](\w+)", clauses[-1]) if name in columns]


@pytest.mark.parametrize("store", ["virtuoso", "oxigraph"])
@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_answers_on_the_store_as_on_the_local_store(pushed, local_answer, store, name):
    query = named_queries()[name]
    expected = local_answer(name)
    answer = Endpoint(pushed[store].query_url, GRAPH).run(query, PARAMS.get(name))
    assert answer.columns == expected.columns
    assert expected.rows, name
    assert sorted(map(sorted, (r.items() for r in answer.rows))) == sorted(
        map(sorted, (r.items() for r in expected.rows))
    )
    keys = order_columns(query.text, answer.columns)
    assert [[r[k] for k in keys] for r in answer.rows] == [[r[k] for k in keys] for r in expected.rows]


@pytest.mark.parametrize("store", ["virtuoso", "oxigraph"])
def test_the_default_graph_answers_like_the_named_graph(pushed, store):
    query = named_queries()["expert-countries"]
    assert (
        Endpoint(pushed[store].query_url, None).run(query).rows
        == Endpoint(pushed[store].query_url, GRAPH).run(query).rows
    )


def test_the_cli_pushes_to_virtuoso_with_digest_and_queries_it_in_every_format(pushed, seed_files, tmp_path):
    virtuoso = pushed["virtuoso"]
    done = push_cli(LOGIN, "--endpoint", virtuoso.push_url, "--graph", seed_files / "socieux.nt")
    assert done.returncode == 0, done.stderr
    triples = sum(1 for line in (seed_files / "socieux.nt").open(encoding="utf-8") if line.strip())
    assert re.search(rf"pushed {triples:,} triples .* \([\d,]+ triples/s; HTTP 20\d\)", done.stdout), done.stdout
    assert "triples sent (100% of socieux.nt)" in done.stderr
    # the queries run in this process (the click commands themselves): the push above is the subprocess
    for fmt in ("table", "csv", "tsv", "json"):
        remote = invoke("query", "actions", "--endpoint", virtuoso.query_url, "--format", fmt)
        here = invoke("query", "actions", "--graph", seed_files / "socieux.nt", "--format", fmt)
        assert remote.returncode == 0 and remote.stdout == here.stdout and remote.stdout, remote.stderr
    peru = invoke("query", "country", "-p", "country=PER", "--endpoint", virtuoso.query_url, "-f", "csv")
    assert (
        peru.stdout
        == invoke("query", "country", "-p", "country=PER", "--graph", seed_files / "socieux.nt", "-f", "csv").stdout
    )
    construct = 'CONSTRUCT { ?c ?p ?o } WHERE { ?c <https://w3id.org/socieux-kg/ontology#isoAlpha3> "PER" ; ?p ?o }'
    remote = invoke("query", construct, "--endpoint", virtuoso.query_url)
    assert remote.returncode == 0 and "isoAlpha3" in remote.stdout and "PER" in remote.stdout


def push_cli(login: dict[str, str], *args) -> subprocess.CompletedProcess:
    """`socieux-kg push` as a user runs it, with these credentials in its environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIEUX_KG_PUSH_")} | login
    return subprocess.run(
        [sys.executable, "-m", "graph", "push", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_refused_digest_login_names_the_scheme_the_store_asked_for(pushed, seed_files):
    virtuoso = pushed["virtuoso"]
    refused = push_cli(
        {**LOGIN, "SOCIEUX_KG_PUSH_PASSWORD": "wrong"},
        "--endpoint",
        virtuoso.push_url,
        "--graph",
        seed_files / "socieux.nt",
    )
    assert refused.returncode == 1 and refused.stderr.splitlines() == [
        'socieux-kg: error: the store refused the login (HTTP Digest (realm "SPARQL")): '
        "check SOCIEUX_KG_PUSH_USER (dba) and SOCIEUX_KG_PUSH_PASSWORD"
    ]
    with environment({**LOGIN, "SOCIEUX_KG_PUSH_PASSWORD": "not-the-password"}):
        with pytest.raises(SocieuxError, match=r'refused the login \(HTTP Digest \(realm "SPARQL"\)\)'):
            push(virtuoso.push_url, seed_files / "socieux.nt", "urn:x:refused")
    with environment({}):
        with pytest.raises(SocieuxError, match="asks for HTTP Digest .* set SOCIEUX_KG_PUSH_USER"):
            push(virtuoso.push_url, seed_files / "socieux.nt", "urn:x:refused")
    with environment({"SOCIEUX_KG_PUSH_TOKEN": "a-token"}):
        with pytest.raises(SocieuxError, match="asks for HTTP Digest"):
            push(virtuoso.push_url, seed_files / "socieux.nt", "urn:x:refused")
    assert count(virtuoso.query_url, "urn:x:refused") == 0


# ------------------------------------------------------ Basic and Bearer, and a size limit, at a gateway
# Oxigraph's server has no accounts: deployments put it behind a gateway that asks for a login and
# caps request bodies. This one does so on loopback, and forwards what it lets through to the store.


class Gateway(BaseHTTPRequestHandler):
    store = ""
    limit = 1_000_000

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        self.forward()

    do_PUT = do_POST

    def forward(self) -> None:
        scheme, _, rest = self.path.strip("/").partition("/")
        given = self.headers.get("Authorization", "")
        length = int(self.headers.get("Content-Length") or 0)
        if scheme == "basic" and given != "Basic " + base64.b64encode(b"analyst:s3cret").decode():
            return self.answer(401, b"", {"WWW-Authenticate": 'Basic realm="socieux"'})
        if scheme == "bearer" and given != "Bearer t0ken":
            return self.answer(401, b"", {"WWW-Authenticate": 'Bearer realm="socieux", error="invalid_token"'})
        if scheme == "limited" and length > self.limit:
            return self.answer(
                413, b"<html><body><h1>413 Request Entity Too Large</h1><p>body over 1 MB</p></body></html>", {}
            )
        body = self.rfile.read(length)
        request = urllib.request.Request(
            self.store + "/" + rest,
            data=body,
            method=self.command,
            headers={"Content-Type": self.headers["Content-Type"]},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                self.answer(response.status, response.read(), {})
        except urllib.error.HTTPError as error:
            self.answer(error.code, error.read(), {})

    def answer(self, status: int, body: bytes, headers: dict) -> None:
        if status >= 400 and self.headers.get("Content-Length"):
            self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def gateway(pushed):
    handler = type("StoreGateway", (Gateway,), {"store": pushed["oxigraph"].push_url.rsplit("/", 1)[0]})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("scheme", "login"),
    [
        ("basic", {"SOCIEUX_KG_PUSH_USER": "analyst", "SOCIEUX_KG_PUSH_PASSWORD": "s3cret"}),
        ("bearer", {"SOCIEUX_KG_PUSH_TOKEN": "t0ken"}),
    ],
)
def test_basic_and_bearer_are_chosen_by_the_challenge(gateway, pushed, seed_files, scheme, login):
    iri = f"urn:x:{scheme}"
    with environment(login):
        report = push(f"{gateway}/{scheme}/store", seed_files / "socieux.nt", iri, chunk=10_000)
    assert report.requests == 3 and count(pushed["oxigraph"].query_url, iri) == report.triples
    wrong = {k: "wrong" for k in login}
    with (
        environment(wrong),
        pytest.raises(SocieuxError, match=f'refused the login \\(HTTP {scheme.capitalize()} \\(realm "socieux"\\)\\)'),
    ):
        push(f"{gateway}/{scheme}/store", seed_files / "socieux.nt", iri)
    other = {"SOCIEUX_KG_PUSH_TOKEN": "t0ken"} if scheme == "basic" else {"SOCIEUX_KG_PUSH_USER": "analyst"}
    with environment(other), pytest.raises(SocieuxError, match=f"asks for HTTP {scheme.capitalize()}"):
        push(f"{gateway}/{scheme}/store", seed_files / "socieux.nt", iri)


def test_a_size_limit_is_a_one_line_error_with_the_stores_message(gateway, seed_files):
    with environment({}), pytest.raises(SocieuxError) as raised:
        push(f"{gateway}/limited/store", seed_files / "socieux.nt", "urn:x:limited", retries=0)
    message = str(raised.value)
    assert "\n" not in message and "HTTP 413" in message and "body over 1 MB" in message
    with environment({}):
        assert push(f"{gateway}/limited/store", seed_files / "socieux.nt", "urn:x:limited", chunk=2_000).triples


def test_chunks_are_bounded_and_blank_nodes_travel_together(tmp_path):
    lines = [f'<urn:s{i}> <urn:p> "v{i}" .\n' for i in range(25)]
    lines[3:3] = ["_:b1 <urn:p> <urn:o> .\n", "<urn:s> <urn:p> _:b1 .\n"]
    path = tmp_path / "g.nt"
    path.write_text("".join(lines), encoding="utf-8")
    bodies = [(body, n) for body, n, _ in chunks(path, 10)]
    assert [n for _, n in bodies] == [10, 10, 5, 2]
    assert bodies[-1][0].count(b"_:b1") == 2
    turtle = tmp_path / "g.ttl"
    turtle.write_text(
        "@prefix : <urn:> .\n" + "".join(f':s{i} :p "v{i}" .\n' for i in range(25)) + ":s :p [ :q :o ] .\n"
    )
    parsed = [n for _, n, _ in chunks(turtle, 10)]
    assert parsed == [10, 10, 5, 2]


def test_the_notebook_api_reads_a_store(pushed, seed_files):
    from graph.api import KnowledgeGraph

    here = KnowledgeGraph.load(seed_files / "socieux.ttl")
    for store in pushed.values():
        there = KnowledgeGraph.remote(store.query_url, graph_iri=GRAPH)
        assert there.query("expert-countries") == here.query("expert-countries")
        assert there.query("country", country="Peru") == here.query("country", country="PER")
        frame = there.dataframe("institutions")
        assert frame.equals(here.dataframe("institutions"))


def test_push_errors_are_one_line_and_retries_stop(pushed, tmp_path):
    oxigraph = pushed["oxigraph"]
    broken = tmp_path / "broken.nt"
    broken.write_text("this is not n-triples\n", encoding="utf-8")
    with environment({}), pytest.raises(SocieuxError, match=r"refused the graph: HTTP 400 .*\S"):
        push(oxigraph.push_url, broken, "urn:x:broken", retries=0)
    turtle = tmp_path / "broken.ttl"
    turtle.write_text("this is not turtle", encoding="utf-8")
    with environment({}), pytest.raises(SocieuxError, match=r"broken.ttl: cannot parse"):
        push(oxigraph.push_url, turtle, "urn:x:broken", retries=0)
    started = time.perf_counter()
    with environment({}), pytest.raises(SocieuxError, match="could not push after 3 attempts"):
        push(f"http://127.0.0.1:{free_port()}/store", broken, None, retries=2, backoff=0.05)
    assert time.perf_counter() - started < 5


def test_a_result_cut_at_the_stores_row_limit_is_an_error_not_a_short_answer(pushed):
    more = NamedQuery("more", Path("<command line>"), "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 12000")
    with pytest.raises(SocieuxError, match=r"the store cut the answer at 10000 rows .*ResultSetMaxRows"):
        Endpoint(pushed["virtuoso"].query_url, GRAPH).run(more)
    assert len(Endpoint(pushed["oxigraph"].query_url, GRAPH).run(more).rows) == 12_000


def test_the_cli_and_the_api_default_to_the_graph_push_replaces():
    from graph.api import KnowledgeGraph
    from graph.cli import PUSHED_GRAPH as cli_default
    from graph.sparql.push import PUSHED_GRAPH

    assert cli_default == PUSHED_GRAPH == GRAPH == KnowledgeGraph.remote("http://127.0.0.1:1/sparql").endpoint.graph_iri


@pytest.mark.parametrize(
    ("name", "params"),
    [
        *PARAMS.items(),
        ("country", {"country": 'PER" } } ; DROP ALL ; #'}),
        ("institution", {"institution": "https://w3id.org/socieux-kg/id/institution/nope>{}"}),
        ("edge-evidence", {"property": "expertCountry", "value": "FRA\\\n'''"}),
    ],
)
def test_parameters_written_into_a_remote_query_mean_what_bound_ones_mean(local, name, params):
    from graph.sparql.query import bindings
    from graph.sparql.remote import substitute

    query = named_queries()[name]
    try:
        text = substitute(query.text, bindings(query, params))
    except SocieuxError as error:  # an IRI that cannot be written into a query is refused, not pasted
        assert "not an IRI that a query can hold" in str(error)
        return
    written = run_query_store(local, NamedQuery(name, query.path, text.replace("# parameters:", "#")))
    assert written.columns == run_query_store(local, query, params).columns
    assert written.rows == run_query_store(local, query, params).rows
