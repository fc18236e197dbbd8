"""The SPARQL endpoint as clients use it (SPARQLWrapper and plain HTTP), its refusals and limits,
and its query page in headless Chromium (`push` and remote stores: tests/test_stores.py)."""

from __future__ import annotations

import csv
import io
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from graph.sparql.query import named_queries, run_query
from graph.sparql.server import Limits, WorkerPool, make_handler, query_page
from graph.sparql.store import write_store
from tests.test_network import body_attributes, chromium

ACTIONS = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/socieux-kg/ontology#Action> }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def endpoint(seed_build, tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    write_store(seed_build.graph.serialize(format="turtle"), folder / "store")
    limits = Limits(time_limit=2.0, max_rows=1000, max_body=20_000, queue_wait=10)
    pool = WorkerPool(folder / "store", 2, limits)
    examples = {name: q.text for name, q in named_queries().items() if not q.parameters}
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(pool, limits, query_page(examples)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    pool.close()


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
    assert headers["Access-Control-Allow-Origin"] == "*"


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


@pytest.mark.parametrize(
    ("data", "headers"),
    [
        (
            urlencode({"update": "DELETE WHERE { ?s ?p ?o }"}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
        (b"DELETE WHERE { ?s ?p ?o }", {"Content-Type": "application/sparql-update"}),
        (b"PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }", {"Content-Type": "application/sparql-query"}),
        (b"LOAD <http://example.org/data.ttl>", {"Content-Type": "application/sparql-query"}),
        (
            b"SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            {"Content-Type": "application/sparql-query"},
        ),
    ],
)
def test_updates_load_and_service_are_refused(endpoint, data, headers):
    status, _, body = http(f"{endpoint}/sparql", data, headers)
    assert status == 403 and body.strip()
    assert get(endpoint, ACTIONS)[0] == 200  # and the graph is untouched


def test_malformed_query_gets_the_parser_message(endpoint):
    status, _, body = get(endpoint, "SELEC * WHERE { ?s ?p ?o }")
    assert status == 400 and b"malformed query" in body and b"1:" in body


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


def test_query_page_runs_a_query_in_the_browser(endpoint, tmp_path):
    url = f"{endpoint}/?{urlencode({'query': 'SELECT ?t WHERE { ?a a <https://w3id.org/socieux-kg/ontology#NewsItem> ; <http://purl.org/dc/terms/title> ?t }', 'run': '1'})}"
    done = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", url, loopback=True)
    assert body_attributes(done.stdout).get("data-rows") == "51"
    assert done.stdout.count("<tr>") >= 52
