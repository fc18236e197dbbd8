"""A query's parameters mean the same on every surface: the command line (local store, rdflib), the
notebook API and the endpoint's /queries/NAME. A country is a name, a code or an IRI; a value that
matches nothing is one line naming the closest; an undeclared parameter is refused naming the
declared ones; a missing one is named."""

from __future__ import annotations

import pytest

from graph.api import KnowledgeGraph, UnknownValue
from graph.rdf.serialise import turtle
from graph.sparql.store import write_store
from tests.conftest import invoke

PERU = ["Peru", "PER", "pe", "http://publications.europa.eu/resource/authority/country/PER"]


@pytest.fixture(scope="module")
def graph_file(seed_build, tmp_path_factory):
    folder = tmp_path_factory.mktemp("parameters")
    text = turtle(seed_build.triples)
    (folder / "socieux.ttl").write_text(text, encoding="utf-8")
    write_store(text, folder / "store")
    return folder / "socieux.ttl"


def cli(graph_file, *args: str, backend: str = "oxigraph"):
    return invoke("query", *args, "--graph", graph_file, "--format", "csv", "--backend", backend)


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_the_command_line_takes_a_country_by_name_code_or_iri(graph_file, backend):
    forms = PERU if backend == "oxigraph" else PERU[::3]  # rdflib reads the graph file each time: two of them
    answers = [cli(graph_file, "country", "-p", f"country={given}", backend=backend) for given in forms]
    assert all(done.returncode == 0 for done in answers), [done.stderr for done in answers]
    assert len({done.stdout for done in answers}) == 1 and answers[0].stdout.count("\nPER,") > 5
    by_name = cli(graph_file, "edge-evidence", "-p", "property=expertCountry", "-p", "value=Cameroon", backend=backend)
    assert by_name.stdout == cli(graph_file, "edge-evidence", "-p", "property=expertCountry", "-p", "value=CMR").stdout
    assert by_name.stdout.count("\nexpertCountry,CMR,") >= 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["country", "-p", "country=Peruu"], "country='Peruu' matches no country; the closest: Peru (PER)."),
        (["institution", "-p", "institution=Ministry of Helth"], "the closest: Ministry of Health"),
        (["themes", "-p", "country=FRA"], "query 'themes' has no parameter 'country'; it takes none"),
        (
            ["country", "-p", "country=PER", "-p", "nation=PER"],
            "query 'country' has no parameter 'nation'; it takes --param country=VALUE",
        ),
        (["country"], "query 'country' needs --param country=VALUE"),
        (["SELECT ?x WHERE { ?x ?p ?o }", "-p", "y=1"], "the query has no variable ?y for --param y=VALUE to bind"),
    ],
)
def test_the_command_line_refuses_in_one_line(graph_file, args, said):
    done = cli(graph_file, *args)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [f"socieux-kg: error: {done.stderr.split(': ', 2)[2].rstrip()}"]
    assert said in done.stderr and "Traceback" not in done.stderr


def test_the_notebook_api_and_the_command_line_agree(graph_file):
    kg = KnowledgeGraph.load(graph_file)
    rows = kg.query("country", country="Peru")
    printed = cli(graph_file, "country", "-p", "country=Peru").stdout.splitlines()
    assert len(rows) == len(printed) - 1 and {r["country"] for r in rows} == {"PER"}
    with pytest.raises(UnknownValue, match=r"country='Peruu' matches no country; the closest: Peru \(PER\)\."):
        kg.query("country", country="Peruu")
    with pytest.raises(TypeError, match="has no parameter 'country'; it takes none"):
        kg.query("themes", country="FRA")


@pytest.fixture(scope="module")
def served(seed_build, graph_file):
    from graph.sparql.endpoint.pool import Limits
    from tests.test_server import serving

    limits = Limits(time_limit=10.0, max_rows=1000, max_body=20_000, queue_wait=10)
    with serving(seed_build, graph_file.parent, limits, 1, b"") as url:
        yield url


def endpoint_csv(url: str, name: str, **params: str) -> tuple[int, str]:
    from urllib.parse import urlencode

    from tests.test_server import http

    status, _, body = http(f"{url}/queries/{name}?{urlencode({**params, 'format': 'csv'})}")
    return status, body.decode()


def test_the_endpoint_resolves_parameters_as_the_command_line_does(served, graph_file):
    printed = cli(graph_file, "country", "-p", "country=Peru").stdout
    for given in PERU:
        status, body = endpoint_csv(served, "country", country=given)
        assert status == 200 and body.replace("\r\n", "\n") == printed
    status, body = endpoint_csv(served, "edge-evidence", property="expertCountry", value="Cameroon")
    assert status == 200 and body.count("\nexpertCountry,CMR,") >= 1


@pytest.mark.parametrize(
    ("name", "params", "status", "said"),
    [
        ("country", {"country": "Peruu"}, 400, "country='Peruu' matches no country; the closest: Peru (PER)."),
        ("themes", {"country": "FRA"}, 400, "query 'themes' has no parameter 'country'; it takes none"),
        ("country", {"nation": "PER", "country": "PER"}, 400, "it takes ?country=VALUE"),
        ("country", {}, 400, "query 'country' needs ?country=VALUE"),
        ("no-such-query", {}, 404, "no named query 'no-such-query'; the named queries: actions,"),
    ],
)
def test_the_endpoint_refuses_in_one_line(served, name, params, status, said):
    answered, body = endpoint_csv(served, name, **params)
    assert answered == status and said in body and body.count("\n") == 1


def test_the_endpoint_lists_the_named_queries(served):
    import json

    from tests.test_server import http

    status, headers, body = http(f"{served}/queries")
    listed = {q["name"]: q for q in json.loads(body)}
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert listed["country"]["parameters"] == ["country"] and listed["country"]["path"] == "/queries/country"
