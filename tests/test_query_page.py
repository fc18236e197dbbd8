"""The endpoint's query page in headless Chromium (Debian's, driven by Playwright), against the real
server on loopback: a SELECT fills a table, a CONSTRUCT or DESCRIBE shows its Turtle, an error
replaces the previous answer, and the answer downloads as CSV and JSON (Turtle and JSON-LD for a
graph), byte for byte what the endpoint sends any client."""

from __future__ import annotations

import shutil
from urllib.parse import urlencode

import pytest
from rdflib import Graph

from bench.views import CHROMIUM_ARGS
from tests.test_server import endpoint, http  # noqa: F401 - the endpoint fixture

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = CHROMIUM_ARGS  # anything but loopback (the endpoint under test) goes to a dead proxy
NEWS_TITLES = (
    "SELECT ?news ?title WHERE { ?news a <https://w3id.org/socieux-kg/ontology#NewsItem> ; "
    "<http://purl.org/dc/terms/title> ?title } ORDER BY ?title"
)
NEWS_GRAPH = "CONSTRUCT { ?news ?p ?o } WHERE { ?news a <https://w3id.org/socieux-kg/ontology#NewsItem> ; ?p ?o }"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, endpoint):  # noqa: F811
    context = browser.new_context(accept_downloads=True)
    opened = context.new_page()
    opened.goto(f"{endpoint}/")
    yield opened
    context.close()


def run(page, query: str, state: str) -> None:
    page.fill("#query", query)
    page.click("#run")
    page.wait_for_selector(f"body[data-state='{state}']", timeout=20_000)


def test_a_select_fills_the_table(page, endpoint):  # noqa: F811
    page.goto(f"{endpoint}/?{urlencode({'query': NEWS_TITLES, 'run': '1'})}")
    page.wait_for_selector("body[data-state='table']", timeout=20_000)
    assert page.get_attribute("body", "data-rows") == "51"
    assert page.locator("#results tr").count() == 52  # the header and a row each
    assert page.locator("#results th").all_text_contents() == ["news", "title"]


@pytest.mark.parametrize(
    "query",
    [
        NEWS_GRAPH,
        "DESCRIBE ?news WHERE { ?news a <https://w3id.org/socieux-kg/ontology#NewsItem> }",
    ],
)
def test_a_construct_or_describe_shows_its_turtle(page, query, seed_build):
    run(page, query, "turtle")
    shown = Graph().parse(data=page.text_content("#turtle"), format="turtle")
    expected = seed_build.graph.query(query).graph
    assert len(set(shown.subjects())) == 51 and len(shown) == len(expected)
    assert page.locator("#results table").count() == 0
    assert page.is_visible("#downloads")


def test_an_error_replaces_the_previous_answer(page):
    run(page, NEWS_TITLES, "table")
    assert page.locator("#results table").count() == 1
    run(page, "SELECT ?x WHERE {", "error")
    assert page.locator("#results table").count() == 0 and page.locator("#results tr").count() == 0
    assert "malformed query" in page.text_content("#error")
    assert not page.is_visible("#downloads")  # nothing to download from an error
    run(page, NEWS_GRAPH, "turtle")
    run(page, "DELETE WHERE { ?s ?p ?o }", "error")
    assert page.locator("#turtle").count() == 0 and "read-only" in page.text_content("#error")


def downloaded(page, label: str) -> tuple[str, bytes]:
    with page.expect_download() as event:
        page.click(f"#downloads button:has-text('{label}')")
    download = event.value
    return download.suggested_filename, open(download.path(), "rb").read()


def test_results_download_as_csv_and_json(page, endpoint):  # noqa: F811
    run(page, NEWS_TITLES, "table")
    for label, fmt, name in [("CSV", "csv", "results.csv"), ("JSON", "json", "results.json")]:
        filename, body = downloaded(page, label)
        status, _, expected = http(f"{endpoint}/sparql?{urlencode({'query': NEWS_TITLES, 'format': fmt})}")
        assert status == 200 and filename == name and body == expected
    assert body.count(b'"title"') == 52  # the header names it, and each of the 51 rows


def test_a_graph_downloads_as_turtle_and_json_ld(page):
    run(page, NEWS_GRAPH, "turtle")
    shown = Graph().parse(data=page.text_content("#turtle"), format="turtle")
    for label, fmt, name in [("Turtle", "turtle", "results.ttl"), ("JSON-LD", "json-ld", "results.jsonld")]:
        filename, body = downloaded(page, label)
        assert filename == name and len(Graph().parse(data=body.decode(), format=fmt)) == len(shown)


def test_a_query_without_prefix_lines_runs_as_on_the_command_line(page):
    """The project's prefixes need no PREFIX lines here either (they did on the command line only)."""
    run(page, "SELECT ?title WHERE { ?news a socx:NewsItem ; dcterms:title ?title }", "table")
    assert page.get_attribute("body", "data-rows") == "51"
