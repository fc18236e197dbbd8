"""The SPARQL endpoint as clients use it (SPARQLWrapper and plain HTTP), its formats, streaming and
limits. The guard is in test_guard.py, the query page in test_query_page.py, `push` and remote
stores in test_stores.py."""

from __future__ import annotations

import csv
import http.client as http_client
import io
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from graph.rdf.serialise import turtle
from graph.sparql.endpoint.app import Endpoint, ServerOptions, make_server
from graph.sparql.endpoint.page import query_page
from graph.sparql.endpoint.pool import Limits, WorkerPool
from graph.sparql.query import named_queries, run_query
from graph.sparql.store import open_store, write_store

ACTIONS = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/socieux-kg/ontology#Action> }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@contextmanager
def serving(
    seed_build,
    folder: Path,
    limits: Limits,
    workers: int,
    page: bytes,
    options: ServerOptions | None = None,
    opener=open_store,
) -> Iterator[str]:
    """The seed graph's store served on loopback (the real server, in a thread) with these limits:
    the endpoint's URL."""
    if not (folder / "store").exists():
        write_store(turtle(seed_build.triples), folder / "store")
    pool = WorkerPool(folder / "store", workers, limits, opener)
    options = options or ServerOptions(port=0)
    server, _, port = make_server(
        lambda public, own: Endpoint(pool, page, public, options.cors, own), options, limits.max_body, 2 * workers + 2
    )
    stop = in_thread(server)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop()
        pool.close()


def in_thread(server) -> Callable[[], None]:
    """Run a waitress server in a thread of its own; the function that stops it. Its sockets are
    closed by its own loop (closed from here, they vanish under the loop's select: EBADF in the
    thread), then its request threads end."""
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    def close_all() -> None:
        for channel in list(server._map.values()):
            if channel is not server and channel is not server.trigger:
                channel.close()
        server.close()  # and its trigger: the map is empty, the loop returns

    def stop() -> None:
        server.trigger.pull_trigger(close_all)
        thread.join(10)
        server.task_dispatcher.shutdown()

    return stop


@pytest.fixture(scope="module")
def endpoint(seed_build, tmp_path_factory):
    limits = Limits(time_limit=2.0, max_rows=1000, max_body=20_000, queue_wait=10)
    examples = {name: q.text for name, q in named_queries().items() if not q.parameters}
    with serving(seed_build, tmp_path_factory.mktemp("served"), limits, 2, query_page(examples)) as url:
        yield url


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get(base: str, query: str, accept: str = "") -> tuple:
    return http(f"{base}/sparql?{urlencode({'query': query})}", headers={"Accept": accept} if accept else {})


def test_sparqlwrapper_as_a_real_client(endpoint):
    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setQuery(ACTIONS)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "210"
    for fmt in (XML, CSV, TSV):
        client.setReturnFormat(fmt)
        assert client.query().response.status == 200
    client.setQuery("CONSTRUCT { ?n ?p ?o } WHERE { ?n a <https://w3id.org/socieux-kg/ontology#NewsItem> ; ?p ?o }")
    client.setReturnFormat(TURTLE)
    graph = client.queryAndConvert()
    graph = graph if isinstance(graph, Graph) else Graph().parse(data=graph, format="turtle")
    assert len(set(graph.subjects())) == 51


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_content_negotiation(endpoint, accept, media):
    status, headers, body = get(endpoint, ACTIONS, accept)
    assert status == 200 and headers["Content-Type"] == media and b"210" in body
    assert "Access-Control-Allow-Origin" not in headers  # CORS is off unless serve --cors names an origin


@pytest.mark.parametrize(
    ("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")]
)
def test_construct_content_negotiation(endpoint, seed_build, accept, fmt):
    query = "CONSTRUCT { ?a ?p ?o } WHERE { ?a a <https://w3id.org/socieux-kg/ontology#NewsItem> ; ?p ?o }"
    status, headers, body = get(endpoint, query, accept)
    assert status == 200 and headers["Content-Type"] == accept
    local = seed_build.graph.query(query).graph
    assert len(Graph().parse(data=body.decode(), format=fmt)) == len(local)


def test_ask_post_forms_and_service_description(endpoint):
    status, _, body = http(
        f"{endpoint}/sparql",
        b"ASK { ?s ?p ?o }",
        {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    status, _, body = http(
        f"{endpoint}/sparql",
        urlencode({"query": ACTIONS}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"},
    )
    assert status == 200 and list(csv.reader(io.StringIO(body.decode())))[1] == ["210"]
    status, headers, body = http(f"{endpoint}/sparql")
    description = Graph().parse(data=body.decode(), format="turtle")
    assert status == 200 and len(description) > 5
    assert http(f"{endpoint}/sparql", method="OPTIONS")[0] == 204


def test_malformed_query_gets_the_parser_message(endpoint):
    status, _, body = get(endpoint, "SELEC * WHERE { ?s ?p ?o }")
    assert status == 400 and b"malformed query: line 1, column 1" in body


@pytest.mark.parametrize(
    ("how", "media"),
    [
        ("GET ?format=", "text/tab-separated-values"),
        ("POST sparql-query, ?format=", "text/tab-separated-values"),
        ("POST form, format= in the body", "text/tab-separated-values"),
        ("POST form, ?format=", "text/tab-separated-values"),
    ],
)
def test_format_parameter_is_honoured_on_every_request_form(endpoint, how, media):
    json_accept = {"Accept": "application/sparql-results+json"}
    form = {"Content-Type": "application/x-www-form-urlencoded", **json_accept}
    requests = {
        "GET ?format=": (f"{endpoint}/sparql?{urlencode({'query': ACTIONS, 'format': 'tsv'})}", None, json_accept),
        "POST sparql-query, ?format=": (
            f"{endpoint}/sparql?format=tsv",
            ACTIONS.encode(),
            {"Content-Type": "application/sparql-query", **json_accept},
        ),
        "POST form, format= in the body": (
            f"{endpoint}/sparql",
            urlencode({"query": ACTIONS, "format": "tsv"}).encode(),
            form,
        ),
        "POST form, ?format=": (f"{endpoint}/sparql?format=tsv", urlencode({"query": ACTIONS}).encode(), form),
    }
    status, headers, body = http(*requests[how])
    assert status == 200 and headers["Content-Type"] == media
    assert body.decode().splitlines() == ["?n", "210"]


def test_format_parameter_takes_names_and_media_types(endpoint):
    query = "CONSTRUCT { ?n ?p ?o } WHERE { ?n a <https://w3id.org/socieux-kg/ontology#NewsItem> ; ?p ?o }"
    for value, media in [("ntriples", "application/n-triples"), ("application/ld+json", "application/ld+json")]:
        status, headers, _ = http(f"{endpoint}/sparql?{urlencode({'query': query, 'format': value})}")
        assert status == 200 and headers["Content-Type"] == media
    status, _, body = http(f"{endpoint}/sparql?{urlencode({'query': ACTIONS, 'format': 'yaml'})}")
    assert status == 400 and b"unknown format 'yaml'" in body


def test_answers_stream_in_chunks_and_say_what_oxigraph_says(endpoint, seed_build, tmp_path):
    """A long answer goes out chunked; the capped path re-reads Oxigraph's TSV, and what it sends
    is exactly what Oxigraph writes straight from the store: datatypes, language tags, blank
    nodes and unbound variables included."""
    from pyoxigraph import QueryResultsFormat

    from graph.sparql.store import open_store, write_store

    query = """SELECT ?s ?p ?o ?none WHERE {
      { SELECT ?s ?p ?o WHERE { ?s <https://w3id.org/socieux-kg/ontology#line> ?o BIND (<https://w3id.org/socieux-kg/ontology#line> AS ?p) } LIMIT 500 }
      UNION { SELECT ?s ?p ?o WHERE { ?s <http://purl.org/dc/terms/title> ?o FILTER (LANG(?o) != "") BIND (<http://purl.org/dc/terms/title> AS ?p) } LIMIT 399 }
      UNION { BIND (BNODE("b") AS ?s) BIND (<http://example.org/p> AS ?p) BIND ("a\\ttab and\\na line" AS ?o) }
      OPTIONAL { ?s <http://example.org/none> ?none }
    }"""
    write_store(turtle(seed_build.triples), tmp_path / "store")
    store = open_store(tmp_path / "store")
    for fmt, media in [("JSON", "application/sparql-results+json"), ("XML", "application/sparql-results+xml")]:
        status, headers, body = get(endpoint, query, media)
        assert status == 200 and headers["Transfer-Encoding"] == "chunked", body
        expected = store.query(query).serialize(format=getattr(QueryResultsFormat, fmt))
        if fmt == "JSON":
            sent, local = json.loads(body), json.loads(expected)
            bnodes = {b["s"]["value"] for b in sent["results"]["bindings"] if b["s"]["type"] == "bnode"}
            assert len(bnodes) == 1  # blank node labels are the engine's own: compare the rest
            for bindings in (sent["results"]["bindings"], local["results"]["bindings"]):
                for b in bindings:
                    if b["s"]["type"] == "bnode":
                        b["s"]["value"] = "b"
            assert sent["head"] == local["head"] and len(sent["results"]["bindings"]) > 600
            assert sorted(map(json.dumps, sent["results"]["bindings"])) == sorted(
                map(json.dumps, local["results"]["bindings"])
            )
            assert {"xml:lang", "datatype"} <= {k for b in sent["results"]["bindings"] for k in b["o"]}
        else:
            assert body.count(b"<result>") == expected.count(b"<result>") > 600


@pytest.fixture(scope="module")
def uncapped(seed_build, tmp_path_factory):
    """An endpoint with no row cap (--max-rows 0): answers stream from their first row."""
    limits = Limits(time_limit=3.0, max_rows=0, max_body=20_000, queue_wait=30)
    with serving(seed_build, tmp_path_factory.mktemp("uncapped"), limits, 1, b"") as url:
        yield url


def test_without_a_cap_answers_stream_and_the_time_limit_cuts_them_honestly(uncapped, seed_build):
    status, headers, body = get(uncapped, "SELECT * WHERE { ?s ?p ?o }", "text/tab-separated-values")
    assert status == 200 and headers["Transfer-Encoding"] == "chunked"
    assert len(body.decode().splitlines()) == len(seed_build.graph) + 1
    # an endless answer: rows arrive, then the time limit stops the query and the answer ends
    # without its last chunk, so the client knows it is incomplete
    request = urllib.request.Request(
        f"{uncapped}/sparql?{urlencode({'query': 'SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }'})}",
        headers={"Accept": "text/tab-separated-values"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        first = response.read(100_000)
        assert len(first) == 100_000 and first.startswith(b"?a\t?b\t?c\t?d")
        with pytest.raises(http_client.IncompleteRead):
            response.read()
    assert time.perf_counter() - started < 20
    assert get(uncapped, ACTIONS)[0] == 200  # the worker was replaced


def test_a_graph_past_the_cap_is_refused(endpoint):
    status, _, body = get(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert status == 413 and b"more than 1000 triples" in body


def test_limits_time_rows_and_body(endpoint):
    started = time.perf_counter()
    status, _, body = get(endpoint, HEAVY)
    assert status == 503 and b"time limit" in body and time.perf_counter() - started < 10
    assert get(endpoint, ACTIONS)[0] == 200  # the worker was replaced
    status, _, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 413 and b"more than 1000 rows" in body
    status, _, _ = http(f"{endpoint}/sparql", b"x" * 30_000, {"Content-Type": "application/sparql-query"})
    assert status == 413


def test_bad_urls(endpoint):
    assert http(f"{endpoint}/sparql?query=%E0%A4%A")[0] == 400
    assert http(f"{endpoint}/../../etc/passwd")[0] == 404
    assert http(f"{endpoint}/nothing")[0] == 404


def test_one_log_line_per_request(endpoint, caplog):
    marked = ACTIONS + " # log-test"
    with caplog.at_level(logging.INFO, logger="socieux-kg.serve"):
        for _ in range(3):
            get(endpoint, marked)
        time.sleep(0.2)
    lines = [r.getMessage() for r in caplog.records if r.name == "socieux-kg.serve" and "log-test" in r.getMessage()]
    assert len(lines) == 3 and all(" 200 " in line and line.startswith("127.0.0.1 ") for line in lines)


def test_named_query_answers_the_same_remotely_and_locally(endpoint, seed_build):
    query = named_queries()["country-flows"]
    status, _, body = get(endpoint, query.text, "application/sparql-results+json")
    remote = {
        (b["expert_country"]["value"], b["partner_country"]["value"], b["actions"]["value"])
        for b in json.loads(body)["results"]["bindings"]
    }
    local = {(r["expert_country"], r["partner_country"], r["actions"]) for r in run_query(seed_build.graph, query).rows}
    assert status == 200 and remote == local
