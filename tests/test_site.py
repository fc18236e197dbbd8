"""The static site of the seed build (`socieux-kg site`), as people read it from disk: every link
resolves and nothing is fetched from elsewhere; the same bytes at every run; in headless Chromium
(Debian's, every request but file:// refused) an action page shows each fact with the sentence it
was read from, a country page counts what the `country` query counts, the search finds any label,
a page opens a network view on its node, pages read with scripts off and print, and axe-core (from
npm, injected offline) finds no serious accessibility violation. One browser for the module."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from bench.views import launch, open_offline
from graph.namespaces import SOCX
from graph.site.render import view_nodes
from tests.conftest import ROOT, invoke, seed_rows

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
EXTERNAL_HOSTS = {"w3id.org", "publications.europa.eu", "www.wikidata.org"}


@pytest.fixture(scope="module")
def site(built_project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    done = invoke("site", "--out", out, "-q", cwd=built_project.folder)
    assert done.returncode == 0, done.stderr
    assert "pages" in done.stdout
    return out


def test_two_runs_write_the_same_bytes_whatever_the_processes(site, built_project, tmp_path):
    again = tmp_path / "again"
    # the seeds are written by one process by default; here by two, each reading the graph
    done = invoke("site", "--out", again, "--jobs", "2", "-q", cwd=built_project.folder)
    assert done.returncode == 0, done.stderr

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = files(site), files(again)
    assert len(first) > 1500 and first == second


def test_it_writes_a_page_turtle_and_json_ld_for_every_resource(site, seed_build, built_project):
    graph = seed_build.graph
    for cls, folder in ((SOCX.Action, "id/action"), (SOCX.PartnerInstitution, "id/institution")):
        nodes = set(graph.subjects(RDF.type, cls))
        stems = {p.stem for p in (site / folder).glob("*.html")}
        assert stems == {str(n).rsplit("/", 1)[-1] for n in nodes}
        for stem in list(stems)[:3]:
            assert (site / folder / f"{stem}.ttl").is_file() and (site / folder / f"{stem}.jsonld").is_file()
    countries = {str(graph.value(c, SOCX.isoAlpha3)) for c in graph.subjects(RDF.type, SOCX.Country)}
    assert {p.stem for p in (site / "country").glob("*.html")} == countries
    pages = [
        p for p in site.rglob("*.html") if p.parent.name not in ("views",) and p.name not in ("index.html", "404.html")
    ]
    assert (site / "sitemap.xml").read_text().count("<loc>https://w3id.org/socieux-kg/") == len(pages)
    assert (site / ".well-known" / "void").read_bytes() == (built_project.exports / "dataset.ttl").read_bytes()
    assert (site / "exports" / "tables" / "actions.csv").read_bytes() == (
        built_project.exports / "tables" / "actions.csv"
    ).read_bytes()


_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')


def _unescaped(text: str) -> str:
    return text.replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'").replace("&quot;", '"')


def test_every_link_resolves_and_only_other_publishers_are_linked_outside(site):
    # the pages are the site's own, written with double-quoted attributes: read with expressions
    pages: dict[Path, tuple[list[str], set[str]]] = {}
    for path in site.rglob("*.html"):
        if path.parent.name != "views":
            html = path.read_text(encoding="utf-8")
            pages[path] = ([_unescaped(v) for v in _LINK.findall(html)], {_unescaped(v) for v in _ID.findall(html)})
    views = {path: view_nodes(path.read_text(encoding="utf-8")) for path in (site / "views").glob("*.html")}
    broken, hosts, checked = [], set(), 0
    for path, (links, _) in pages.items():
        for link in links:
            url = urlsplit(link)
            if url.scheme in ("http", "https"):
                hosts.add(url.netloc)
                continue
            assert not url.scheme, f"{path}: {link}"
            target = (path.parent / unquote(url.path)).resolve() if url.path else path
            checked += 1
            if not target.is_file():
                broken.append(f"{path.relative_to(site)} -> {link}")
                continue
            fragment = unquote(url.fragment)
            if fragment.startswith("node="):
                if fragment[5:] not in views[target]:
                    broken.append(f"{path.relative_to(site)} -> {link} (not drawn in the view)")
            elif fragment and target in pages and fragment not in pages[target][1]:
                broken.append(f"{path.relative_to(site)} -> {link} (no such anchor)")
    assert checked > 20_000
    assert broken == []
    assert hosts <= EXTERNAL_HOSTS


def test_every_country_page_counts_what_the_country_query_counts(site, seed_store):
    for path in sorted((site / "country").glob("*.html")):
        html = path.read_text(encoding="utf-8")
        shown = {role: int(n) for role, n in re.findall(r'data-count="([^"]+)">(\d+)<', html)}
        rows = seed_rows(seed_store, "country", {"country": path.stem})
        counted = {role: sum(1 for r in rows if r["role"] == role) for role in shown}
        assert shown == counted, path.stem
        assert set(shown) == {"partner country", "expert country", "study-visit country"}


def test_a_graph_that_is_not_a_builds_gets_its_views_and_a_description(tmp_path, seed_build):
    from graph.rdf.serialise import turtle
    from graph.rdf.triples import TripleSet
    from graph.site.describe import description
    from graph.site.resources import Resources

    action = f"<{evidenced_actions(seed_build, 1)[0]}>"
    one = TripleSet(seed_build.triples.namespaces())
    for triple in description(Resources(seed_build.triples), action):  # an action, its evidence and labels
        one.add(*triple)
    (tmp_path / "one.ttl").write_text(turtle(one), encoding="utf-8")
    done = invoke("site", "--graph", tmp_path / "one.ttl", "--out", tmp_path / "site", "-q")
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    assert len(list((site / "id" / "action").glob("*.html"))) == 1
    assert (site / "views" / "full.html").is_file() and (site / "exports").exists() is False
    assert "void:triples" in (site / ".well-known" / "void").read_text(encoding="utf-8")


def test_bad_arguments_are_one_line_errors_and_touch_nothing(tmp_path, built_project):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    done = invoke("site", "--out", mine, cwd=built_project.folder)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "is not a site socieux-kg wrote" in done.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    done = invoke("site", "--graph", tmp_path / "none.ttl", "--out", tmp_path / "site")
    assert done.returncode == 1 and "none.ttl: no such graph file" in done.stderr
    assert not (tmp_path / "site").exists()


def test_a_builds_graph_is_read_whole_and_quickly_from_its_n_triples(built_project, seed_build):
    from graph.site.load import build_ntriples, load_triples

    graph_file = built_project.exports / "socieux.ttl"
    assert build_ntriples(graph_file) == built_project.exports / "socieux.nt"  # not the Turtle, parsed
    loaded = load_triples(graph_file)
    assert len(loaded) == len(seed_build.triples) and set(loaded.terms()) == set(seed_build.triples.terms())


def test_dates_and_years_show_where_the_graph_has_them(seed_build):
    """The properties another branch adds to actions (dates, a year with the evidence of its basis)
    appear on the pages, with no change to the site; absent, nothing fails (the seeds have none)."""
    from graph.rdf import terms
    from graph.rdf.triples import TripleSet
    from graph.site.render import Renderer
    from graph.site.resources import Resources

    triples = TripleSet(seed_build.triples.namespaces())
    for triple in seed_build.triples.terms():
        triples.add(*triple)
    action = evidenced_actions(seed_build, 1)[0]
    node, xsd, socx = f"<{action}>", "http://www.w3.org/2001/XMLSchema#", str(SOCX)
    evidence = f"<{action}/evidence/year/2024>"
    year = terms.literal("2024", datatype=xsd + "gYear")
    triples.add(node, f"<{socx}startDate>", terms.literal("2024-09-16", datatype=xsd + "date"))
    triples.add(node, f"<{socx}endDate>", terms.literal("2025-07-04", datatype=xsd + "date"))
    triples.add(node, f"<{socx}actionYear>", year)
    triples.add(node, f"<{socx}evidence>", evidence)
    for predicate, obj in (
        (str(RDF.type), f"<{socx}Evidence>"),
        (str(RDF.subject), node),
        (str(RDF.predicate), f"<{socx}actionYear>"),
        (str(RDF.object), year),
        (f"{socx}sentence", terms.literal("Activities ran from September 2024.", language="en")),
        (f"{socx}rule", terms.literal("year-from-dates")),
        (f"{socx}sourceFile", terms.literal("000_aecc4522525af03b.txt")),
        (f"{socx}line", terms.literal("12", datatype=xsd + "integer")),
    ):
        triples.add(evidence, f"<{predicate}>", obj)
    resources = Resources(triples)
    renderer = Renderer(resources)
    html = renderer.html(resources.place(node).page)
    for shown in (
        "start date",
        "2024-09-16",
        "end date",
        "2025-07-04",
        "action year",
        "Activities ran from September 2024.",
        "year-from-dates",
    ):
        assert shown in html
    institution = seed_build.graph.value(action, SOCX.partnerInstitution)
    assert "<caption>Actions per year</caption>" in renderer.html(resources.place(f"<{institution}>").page)


# ---------------------------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which("chromium"), "Debian's chromium is needed for the page tests (.ci/run installs it)"
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        context, refused = open_offline(chromium, {"width": 1200, "height": 900})
        yield chromium, context, refused
        context.close()
        chromium.close()


def opened(browser, path: Path):
    _, context, _ = browser
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    return page, errors


def evidenced_actions(seed_build, count: int) -> list[URIRef]:
    graph = seed_build.graph
    actions = sorted(
        graph.subjects(RDF.type, SOCX.Action), key=lambda a: (-len(list(graph.objects(a, SOCX.evidence))), a)
    )
    return actions[:count]


FACTS_SHOWN = """() => Array.from(document.querySelectorAll("#facts tbody tr")).map(tr => ({
    value: tr.querySelector("td.value").textContent.trim(),
    sentences: Array.from(tr.querySelectorAll(".sentence")).map(s => [s.id, s.querySelector("blockquote").textContent]),
    lines: tr.querySelectorAll("td.evidence p.where a").length}))"""


def facts_shown(page) -> tuple[set[tuple[str, str, str]], list[dict]]:
    """The (value, evidence anchor, sentence) of each fact an action's page shows, and its rows."""
    rows = page.evaluate(FACTS_SHOWN)
    return {(row["value"], anchor, " ".join(text.split())) for row in rows for anchor, text in row["sentences"]}, rows


def facts_of(graph, action) -> set[tuple[str, str, str]]:
    """The (value's label, evidence anchor, sentence) of each fact of an action with its evidence."""
    expected = set()
    for evidence in graph.objects(action, SOCX.evidence):
        value = graph.value(evidence, RDF.object)
        shown = str(graph.value(value, SKOS.prefLabel) or value)
        anchor = str(evidence)[len(str(action)) + 1 :]
        expected.add((shown, anchor, " ".join(str(graph.value(evidence, SOCX.sentence)).split())))
    return expected


def test_an_action_page_shows_every_fact_with_the_sentence_it_was_read_from(site, browser, seed_build):
    graph = seed_build.graph
    for action in evidenced_actions(seed_build, 3):
        page, errors = opened(browser, site / "id" / "action" / (str(action).rsplit("/", 1)[-1] + ".html"))
        found, rows = facts_shown(page)
        expected = facts_of(graph, action)
        assert expected and expected <= found
        assert all(row["lines"] for row in rows)  # every fact says where it was read
        assert page.title().startswith(str(graph.value(action, URIRef("http://purl.org/dc/terms/title"))))
        assert errors == []
        page.close()
    assert browser[2] == []  # nothing was fetched from outside


@pytest.mark.parametrize("country", ["PER", "ESP", "FRA", "KEN"])
def test_a_country_page_in_the_browser_counts_what_the_country_query_counts(site, browser, seed_store, country):
    page, errors = opened(browser, site / "country" / f"{country}.html")
    shown = page.evaluate(
        "() => Object.fromEntries(Array.from(document.querySelectorAll('[data-count]')).map(e => [e.dataset.count, Number(e.textContent)]))"
    )
    rows = seed_rows(seed_store, "country", {"country": country})
    assert shown == {role: sum(1 for r in rows if r["role"] == role) for role in shown}
    # the lists hold as many actions as the counts say, and the map draws the country
    assert page.locator("#partner-actions tbody tr").count() == shown["partner country"]
    assert page.locator("figure.map circle.self").count() == 1
    assert errors == []
    page.close()


def test_the_search_finds_any_label_offline(site, browser):
    page, errors = opened(browser, site / "search.html")
    page.wait_for_function("document.body.dataset.ready === 'yes'")
    page.fill("#q", "peruvian")  # a demonym
    assert "country/PER.html" in page.locator("#search-results a").first.get_attribute("href")
    page.fill("#q", "MLSP")  # an acronym
    assert page.locator("#search-results a").count() >= 1
    page.fill("#q", "http://publications.europa.eu/resource/authority/country/PER")  # an IRI pasted in
    assert page.locator("#search-results a").first.get_attribute("href") == "country/PER.html"
    page.fill("#q", "no such thing at all")
    assert "No match" in page.locator("#search-status").text_content()
    page.goto((site / "search.html").as_uri() + "?q=Social%20protection")  # the header's search box
    page.wait_for_function("document.body.dataset.ready === 'yes'")
    assert page.locator("#search-results a").first.text_content() == "Social protection"
    assert errors == []
    page.close()


def test_a_page_opens_a_network_view_on_its_node(site, browser, seed_build):
    action = evidenced_actions(seed_build, 1)[0]
    page, errors = opened(browser, site / "id" / "action" / (str(action).rsplit("/", 1)[-1] + ".html"))
    page.get_by_role("link", name="The whole graph").click()
    page.wait_for_function("document.body.dataset.ready === 'yes'", timeout=30000)
    assert page.evaluate("document.body.dataset.picked") == str(action)
    assert "panel" in page.evaluate("document.querySelector('#panel').hidden ? '' : 'panel'")
    page.goto((site / "country" / "PER.html").as_uri())
    page.get_by_role("link", name=re.compile("^Country flows")).click()
    page.wait_for_function("document.body.dataset.ready === 'yes'", timeout=30000)
    assert (
        page.evaluate("document.body.dataset.picked") == "http://publications.europa.eu/resource/authority/country/PER"
    )
    assert errors == []
    page.close()


def test_pages_read_with_scripts_off_and_print_without_the_navigation(site, browser):
    chromium, _, _ = browser
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Actions").first.click()
    page.locator("table.list a").first.click()
    assert page.locator("#facts tbody tr").count() > 3
    page.emulate_media(media="print")
    assert page.locator("header.site nav").is_hidden() and page.locator("#facts").is_visible()
    page.goto((site / "search.html").as_uri())
    assert "needs JavaScript" in page.locator("noscript").first.inner_html()
    context.close()


# a page of each template with tables, figures, forms and lists (the document page is a long table
# like the lists: axe takes seconds on it and finds nothing more)
@pytest.mark.parametrize("path", ["index.html", "id/action.html", "country/PER.html", "search.html", "ACTION"])
def test_pages_pass_axe_with_no_serious_violation(site, browser, seed_build, path):
    assert AXE.is_file(), "axe-core comes from npm: run `npm ci` in the project (.ci/run does)"
    if path == "ACTION":
        node = evidenced_actions(seed_build, 1)[0]
        path = f"id/action/{str(node).rsplit('/', 1)[-1]}.html"
    page, errors = opened(browser, site / path)
    if path == "search.html":
        page.fill("#q", "employment")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, where: v.nodes[0].target.join(" ")}))"""
    )
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
    assert errors == []
    page.close()
