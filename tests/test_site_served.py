"""Dereferenceable IRIs on `serve`, over HTTP on loopback as clients use them: the path of a
resource's IRI gives Turtle, N-Triples or JSON-LD that rdflib reads into the resource's triples
and evidence, or the page, by the Accept header, with `Vary: Accept` and `Link` headers to the
other formats; an unknown IRI is a 404 page; every IRI the graph holds answers. And in headless
Chromium through the server: the pages read and link as they do from disk."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request

import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import RDF, Graph, URIRef

from bench.views import CHROMIUM_ARGS
from graph.namespaces import BASE, SOCX
from graph.site.dereference import Site
from graph.sparql.endpoint.app import Endpoint, ServerOptions, make_server, site_answers
from graph.sparql.endpoint.page import query_page
from graph.sparql.endpoint.pool import Limits, WorkerPool
from tests.conftest import seed_rows
from tests.test_server import in_thread
from tests.test_site import facts_of, facts_shown


@pytest.fixture(scope="module")
def served(built_project):
    """The seed build served as `socieux-kg serve` serves it: (base URL, the site)."""
    exports = built_project.exports
    site = Site.load(exports / "socieux.ttl")
    limits = Limits(time_limit=5.0, max_rows=1000)
    pool = WorkerPool(exports / "store", 1, limits)
    options = ServerOptions(port=0)

    def endpoint(public: str, own: set[str]) -> Endpoint:
        made = Endpoint(pool, query_page({}), public, options.cors, own)
        made.fallback = site_answers(site)  # as `serve` wires the site
        return made

    server, _, port = make_server(endpoint, options, limits.max_body, 4)
    stop = in_thread(server)
    try:
        yield f"http://127.0.0.1:{port}", site
    finally:
        stop()
        pool.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def get(url: str, accept: str | None = None):
    """(status, headers, body) of a GET, redirects not followed."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with _OPENER.open(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def path_of(iri: URIRef) -> str:
    return "/" + str(iri)[len(BASE) :]


def an_action(seed_build) -> URIRef:
    graph = seed_build.graph
    return max(sorted(graph.subjects(RDF.type, SOCX.Action)), key=lambda a: len(list(graph.objects(a, SOCX.evidence))))


def test_turtle_for_machines_holds_the_resources_triples_and_evidence(served, seed_build):
    base, _ = served
    action = an_action(seed_build)
    status, headers, body = get(base + path_of(action), "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert headers["Vary"] == "Accept"
    links = headers["Link"]
    for media in ("text/html", "application/ld+json", "application/n-triples"):
        assert f'type="{media}"' in links
    described = Graph().parse(data=body.decode("utf-8"), format="turtle")
    graph = seed_build.graph
    own = set(graph.triples((action, None, None)))
    assert own and own <= set(described)
    for evidence in graph.objects(action, SOCX.evidence):
        assert set(graph.triples((evidence, None, None))) <= set(described)
    for country in graph.objects(action, SOCX.expertCountry):  # the labels of what it links to
        assert (country, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None) in described
    # the same description in JSON-LD and N-Triples, by Accept or by the file suffix
    for accept, suffix, fmt in (("application/ld+json", ".jsonld", "json-ld"), ("application/n-triples", ".nt", "nt")):
        status, headers, body = get(base + path_of(action), accept)
        assert status == 200 and headers["Content-Type"].startswith(accept)
        assert set(Graph().parse(data=body.decode("utf-8"), format=fmt)) == set(described)
        status, headers, body = get(base + path_of(action) + suffix)
        assert status == 200 and "Vary" not in headers
        assert set(Graph().parse(data=body.decode("utf-8"), format=fmt)) == set(described)


def test_browsers_get_the_page_and_unknown_iris_a_404_page(served, seed_build):
    base, _ = served
    action = an_action(seed_build)
    status, headers, body = get(base + path_of(action), "text/html,application/xhtml+xml,*/*;q=0.8")
    title = str(seed_build.graph.value(action, URIRef("http://purl.org/dc/terms/title")))
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert f"<h1>{title}</h1>" in body.decode("utf-8") and headers["Content-Location"].endswith(".html")
    status, headers, body = get(base + "/id/action/no-such-action-0000000000", "text/html")
    assert status == 404 and "Not found" in body.decode("utf-8") and headers["Vary"] == "Accept"
    status, _, body = get(base + "/id/action/no-such-action-0000000000", "text/turtle")
    assert status == 404 and b"no such resource" in body
    assert get(base + "/id/institution/nope", "application/ld+json")[0] == 404
    assert get(base + "/id/", "text/html")[0] == 303
    assert get(base + "/sparql?query=ASK%7B%7D", "application/sparql-results+json")[0] == 200  # the endpoint stays


def test_an_evidence_iri_leads_to_its_anchor_on_the_actions_page(served, seed_build):
    base, _ = served
    action = an_action(seed_build)
    evidence = sorted(seed_build.graph.objects(action, SOCX.evidence))[0]
    status, headers, _ = get(base + path_of(evidence), "text/html")
    assert status == 303
    assert headers["Location"].endswith(str(action).rsplit("/", 1)[-1] + "#" + str(evidence)[len(str(action)) + 1 :])
    status, _, body = get(base + path_of(evidence), "text/turtle")
    assert set(seed_build.graph.triples((evidence, None, None))) <= set(
        Graph().parse(data=body.decode(), format="turtle")
    )


def test_every_iri_the_graph_holds_under_the_base_answers(served, seed_build):
    """Through the function the server calls (framework-independent), for all of them."""
    _, site = served
    iris = {
        t for triple in seed_build.graph for t in triple if isinstance(t, URIRef) and str(t).startswith(BASE + "id/")
    }
    assert len(iris) > 1500
    for iri in sorted(iris):
        page = site.respond(path_of(iri), "text/html")
        assert page is not None and page.status in (200, 303), iri
        data = site.respond(path_of(iri), "text/turtle")
        assert data is not None and data.status == 200, iri
        assert any(
            str(t.subject) == f"<{iri}>" or str(t.object) == f"<{iri}>"
            for t in parse(data.body, format=RdfFormat.TURTLE)
        )


def test_the_dataset_description_and_the_downloads_are_published(served, built_project):
    base, _ = served
    described = (built_project.exports / "dataset.ttl").read_bytes()
    status, headers, body = get(base + "/.well-known/void")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and body == described
    status, _, body = get(base + "/id/dataset", "text/turtle")
    assert status == 200 and body == described
    status, _, body = get(base + "/id/dataset", "text/html")
    assert status == 200 and b".well-known/void" in body
    status, headers, body = get(base + "/exports/tables/actions.csv")
    assert status == 200 and body == (built_project.exports / "tables" / "actions.csv").read_bytes()
    assert get(base + "/exports/store/CURRENT")[0] == 404  # only what the description lists


def test_in_the_browser_through_serve_pages_read_and_link(served, seed_build, seed_store):
    from playwright.sync_api import sync_playwright

    assert shutil.which("chromium"), "Debian's chromium is needed for the page tests (.ci/run installs it)"
    base, _ = served
    action = an_action(seed_build)
    institution = seed_build.graph.value(action, SOCX.partnerInstitution)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=[a for a in CHROMIUM_ARGS if not a.startswith("--proxy")]
        )
        page = browser.new_page()
        outside: list[str] = []
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(base) else (outside.append(r.request.url), r.abort()),
        )
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + path_of(action))
        found, _ = facts_shown(page)
        assert facts_of(seed_build.graph, action) <= found
        page.locator("#facts td.value a").first.click()  # the partner institution
        page.wait_for_load_state()
        assert page.url == base + path_of(institution)
        page.get_by_role("link", name="Countries").first.click()
        page.get_by_role("link", name="Peru", exact=True).click()
        shown = page.evaluate(
            "() => Object.fromEntries(Array.from(document.querySelectorAll('[data-count]')).map(e => [e.dataset.count, Number(e.textContent)]))"
        )
        rows = seed_rows(seed_store, "country", {"country": "PER"})
        assert shown == {role: sum(1 for r in rows if r["role"] == role) for role in shown}
        assert page.locator("figure.map image").count() == 1
        browser.close()
    assert errors == [] and outside == []
