"""The endpoint's read-only guard, over HTTP: it decides from a SPARQL parse, so a word in a name,
an IRI, a string or a comment changes nothing, and updates, LOAD and SERVICE are refused in every
encoding a client can send them, wherever SERVICE hides in the query."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from graph.sparql.endpoint.guard import Refused, classify
from tests.test_server import ACTIONS, endpoint, get, http  # noqa: F401 - the endpoint fixture

SOCX = "PREFIX socx: <https://w3id.org/socieux-kg/ontology#>\n"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

LEGITIMATE = {
    "a variable named ?service": "SELECT ?service WHERE { ?service a ?type } LIMIT 3",
    "a prefixed name ex:service": ("PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s ex:service ?o } LIMIT 3"),
    "an IRI ending in Service": "SELECT ?s WHERE { ?s a <http://example.org/Service> } LIMIT 3",
    "the word in a string and a comment": 'SELECT ?s WHERE { ?s ?p "SERVICE <x> {}" } # SERVICE <http://x> {}\nLIMIT 1',
    "a # inside an IRI": SOCX + "SELECT (COUNT(?a) AS ?n) WHERE { ?a a socx:Action }",
}

UPDATES = {
    "the #> bypass": SOCX + "INSERT DATA { socx:a socx:b socx:c }",
    "DELETE WHERE": "DELETE WHERE { ?s ?p ?o }",
    "LOAD": "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR after a comment": "# only a comment\nCLEAR ALL",
    "DROP with an escaped keyword": "\\u0044ROP ALL",
    "WITH ... DELETE": "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
}


def service_queries(address: str) -> dict[str, str]:
    """SERVICE at the top and inside every kind of group a query can nest it in."""
    s = f"SERVICE <{address}> {{ ?x ?y ?z }}"
    return {
        "top level": f"SELECT * WHERE {{ {s} }}",
        "nested group": f"SELECT * WHERE {{ {{ {{ {s} }} }} }}",
        "OPTIONAL": f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ {s} }} }}",
        "UNION": f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ {s} }} }}",
        "MINUS": f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ {s} }} }}",
        "FILTER EXISTS": f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ {s} }} }}",
        "FILTER NOT EXISTS": f"SELECT * WHERE {{ ?a ?b ?c FILTER (NOT EXISTS {{ {s} }}) }}",
        "subquery": f"SELECT * WHERE {{ {{ SELECT ?x WHERE {{ {s} }} }} }}",
        "GRAPH": f"SELECT * WHERE {{ GRAPH ?g {{ {s} }} }}",
        "BIND EXISTS": f"SELECT * WHERE {{ ?a ?b ?c BIND (EXISTS {{ {s} }} AS ?e) }}",
        "projection": f"SELECT (EXISTS {{ {s} }} AS ?e) WHERE {{ ?a ?b ?c }}",
        "ORDER BY": f"SELECT * WHERE {{ ?a ?b ?c }} ORDER BY (EXISTS {{ {s} }})",
        "CONSTRUCT": f"CONSTRUCT {{ ?x ?y ?z }} WHERE {{ {s} }}",
        "ASK": f"ASK {{ {s} }}",
        "DESCRIBE": f"DESCRIBE ?x WHERE {{ {s} }}",
        "SILENT, lower case": f"select * where {{ service silent <{address}> {{ ?x ?y ?z }} }}",
        "escaped keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{address}> {{ ?x ?y ?z }} }}",
    }


def encodings(base: str, text: str) -> dict[str, tuple]:
    """Every way the SPARQL 1.1 Protocol lets a client send ``text``: (url, body, headers)."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    return {
        "GET query=": (f"{base}/sparql?{urlencode({'query': text})}", None, {}),
        "GET update=": (f"{base}/sparql?{urlencode({'update': text})}", None, {}),
        "POST form query=": (f"{base}/sparql", urlencode({"query": text}).encode(), form),
        "POST form update=": (f"{base}/sparql", urlencode({"update": text}).encode(), form),
        "POST sparql-query": (f"{base}/sparql", text.encode(), {"Content-Type": "application/sparql-query"}),
        "POST sparql-update": (f"{base}/sparql", text.encode(), {"Content-Type": "application/sparql-update"}),
    }


def triples(base: str) -> str:
    status, _, body = get(base, COUNT, "application/sparql-results+json")
    assert status == 200
    return json.loads(body)["results"]["bindings"][0]["n"]["value"]


@pytest.mark.parametrize("name", LEGITIMATE)
def test_queries_that_only_mention_service_are_answered(endpoint, name):  # noqa: F811
    status, _, body = get(endpoint, LEGITIMATE[name], "application/sparql-results+json")
    assert status == 200, body
    assert "results" in json.loads(body)


@pytest.mark.parametrize("name", UPDATES)
def test_updates_are_refused_in_every_encoding(endpoint, name):  # noqa: F811
    before = triples(endpoint)
    for encoding, (url, data, headers) in encodings(endpoint, UPDATES[name]).items():
        status, _, body = http(url, data, headers)
        assert status == 403, (encoding, status, body)
        assert b"read-only" in body, encoding
    assert triples(endpoint) == before  # and the graph is untouched


@pytest.mark.parametrize("where", list(service_queries("http://127.0.0.1:9/sparql")))
def test_service_is_refused_wherever_it_is(endpoint, where):  # noqa: F811
    text = service_queries("http://127.0.0.1:9/sparql")[where]
    for encoding, (url, data, headers) in encodings(endpoint, text).items():
        status, _, body = http(url, data, headers)
        assert status == 403, (encoding, status, body)


def test_what_is_not_sparql_is_a_400_naming_the_place(endpoint):  # noqa: F811
    for text in ("SELEC * WHERE { ?s ?p ?o }", "SELECT ?x WHERE {", "   ", SOCX + "INSERT DATA { socx:a "):
        status, _, body = get(endpoint, text)
        assert status == 400 and body.startswith(b"malformed query"), (text, body)
    status, _, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o }\nLIMIT ten")
    assert status == 400 and b"line 2" in body


def test_a_long_group_of_triple_patterns_is_read_as_a_query():
    """rdflib's grammar recurses once per triple pattern: with Python's default recursion limit a
    group of about 60 patterns failed to parse. The guard gives the parser room."""
    patterns = " ".join(f"?a <http://example.org/p{i}> ?v{i} ." for i in range(400))
    assert classify(f"SELECT * WHERE {{ {patterns} }}") == "SELECT"
    with pytest.raises(Refused) as refused:
        classify(f"SELECT * WHERE {{ {patterns} OPTIONAL {{ SERVICE <http://127.0.0.1:9/> {{ ?x ?y ?z }} }} }}")
    assert refused.value.status == 403
