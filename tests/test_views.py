"""The network pages of the seed build in a real headless Chromium (Debian's, driven by Playwright),
with every request but file:// refused: they draw at once, search finds any name, the facets
recount what the Python projections count, the panel lists the actions a named query counts, the
map is a map, and the full view opens as an overview with an ego mode. One browser for the module;
each page is opened once and the tests put it back as they found it."""

from __future__ import annotations

import re
import shutil

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from bench.views import launch, open_offline
from graph.build import build
from graph.namespaces import SOCX
from graph.network import pages
from graph.network.actions import action_facts
from graph.network.projection import VIEWS, actions_behind, project
from graph.sparql.query import named_queries, run_query
from tests.conftest import write


@pytest.fixture(scope="module", autouse=True)
def debian_chromium():
    assert shutil.which("chromium"), "Debian's chromium is needed for the page tests (.ci/run installs it)"


@pytest.fixture(scope="module")
def written(built_project):
    """The views as `socieux-kg build` writes them."""
    return built_project.exports / "views"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        context, refused = open_offline(chromium)
        yield context, refused
        context.close()
        chromium.close()


class Opened(dict):
    """view → its page and script errors. Looking a view up brings its page to the front: Chromium
    gives a page behind others no animation frames, and Playwright's clicks wait for them (seconds
    a click)."""

    def __getitem__(self, view: str):
        page, errors = super().__getitem__(view)
        page.bring_to_front()
        return page, errors


@pytest.fixture(scope="module")
def opened(browser, written) -> Opened:
    """view → its page, loaded once, with the script errors it raised."""
    context, _ = browser
    # a first page starts the renderer process and its fonts: not what a page costs, so not timed
    warm = context.new_page()
    warm.goto((written / "action-chains.html").as_uri())
    warm.wait_for_function("document.body.dataset.ready === 'yes'")
    warm.close()
    found = Opened()
    for view in VIEWS:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        page.goto((written / f"{view}.html").as_uri())
        page.wait_for_function("window.__firstInk !== null && document.body.dataset.ready === 'yes'", timeout=30000)
        found[view] = (page, errors)
    return found


def counts(page) -> tuple[int, int]:
    return tuple(int(page.eval_on_selector("#counts", f"e => e.dataset.{k}")) for k in ("nodes", "links"))


def node_id(page, label: str) -> str:
    return page.evaluate("l => window.socieuxView.data.nodes.find(n => n.label === l).id", label)


def search(page, text: str) -> None:
    page.fill("#search", text)
    page.press("#search", "Enter")


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_draws_within_a_second_offline_without_errors(opened, browser, written, view):
    """The first non-white pixel on the canvas, from navigation start, within 1 s. On a machine
    shared with other work one load can be slowed by half; the page is then loaded again, twice at
    most, and the quickest load counts (bench/views.py measures it properly)."""
    page, errors = opened[view]
    ink = page.evaluate("window.__firstInk")
    for _ in range(2):
        if ink <= 1000:
            break
        again = browser[0].new_page()
        again.goto((written / f"{view}.html").as_uri())
        again.wait_for_function("window.__firstInk !== null && document.body.dataset.ready === 'yes'")
        ink = min(ink, again.evaluate("window.__firstInk"))
        again.close()
    assert ink <= 1000, f"{view}: first non-white pixel {ink:.0f} ms after navigation"
    assert errors == [] and page.evaluate("document.body.dataset.errors") == "0"
    assert browser[1] == []  # nothing was asked of the network
    html = page.content()
    assert ' src="http' not in html and ' href="http' not in html and "<link" not in html
    assert int(page.evaluate("document.body.dataset.labels")) > 0  # labels are drawn


def test_search_finds_spain_by_name_and_says_no_match(opened):
    page, _ = opened["country-flows"]
    search(page, "Spain")
    assert page.evaluate("window.socieuxView.network.getSelectedNodes()") == [node_id(page, "Spain")]
    assert "Spain" in page.inner_text("#panel h2")
    search(page, "Zzz")
    assert page.inner_text("#matches") == "no match" and page.is_visible("#matches")
    assert page.evaluate("window.socieuxView.network.getSelectedNodes()") == []
    # every label a node has, whatever the case and accents: a demonym, a code, a name without its accent
    for typed, found in (("peruvian", "Peru"), ("per", "Peru"), ("cote d'ivoire", "Côte d'Ivoire")):
        page.fill("#search", typed)
        page.wait_for_function("t => document.getElementById('matches').dataset.query === t", arg=typed)
        listed = page.eval_on_selector_all("#matches li[data-node]", "items => items.map(i => i.dataset.node)")
        assert node_id(page, found) in listed, typed
    page.fill("#search", "")


def theme_actions(graph, label: str) -> set[URIRef]:
    theme = next(t for t in graph.subjects(SKOS.prefLabel, None) if str(graph.value(t, SKOS.prefLabel)) == label)
    return set(graph.subjects(SOCX.theme, theme))


@pytest.mark.parametrize("view", VIEWS)
def test_a_theme_filter_counts_what_python_counts_for_that_theme(opened, seed_build, view):
    page, _ = opened[view]
    before = counts(page)
    option = page.evaluate(
        "() => [...document.querySelectorAll('#facet-theme option')].find(o => o.textContent.startsWith('Pensions ('))"
        "?.value ?? null"
    )
    assert option is not None
    page.select_option("#facet-theme", option)
    expected = project(seed_build.graph, view, only=theme_actions(seed_build.graph, "Pensions"))
    try:
        assert counts(page) == (expected.number_of_nodes(), expected.number_of_edges())
        assert counts(page)[0] < before[0] and counts(page)[1] < before[1]
    finally:
        page.click("#reset-filters")
    assert counts(page) == before


def year_actions(graph, first: int, last: int) -> set[URIRef]:
    return {a for a, year in graph.subject_objects(SOCX.actionYear) if first <= int(str(year)) <= last}


@pytest.mark.parametrize("view", VIEWS)
def test_a_year_range_counts_what_python_counts_for_those_years(opened, seed_build, view):
    """The seeds' years (2016, 2017, 2018 from sentences, 2023 from a code): a range of the years the
    page holds lowers the header counts to those of the projection of the actions of those years."""
    page, _ = opened[view]
    before = counts(page)
    years = [year for year, _ in page.evaluate("window.socieuxView.data.years")]
    if not years:  # no action of this view has a year: the range cannot be chosen
        assert page.is_disabled("#year-from") and page.is_disabled("#year-to")
        assert not year_actions(seed_build.graph, 0, 9999) & set(
            page.evaluate("window.socieuxView.data.nodes.map(n => n.id)")
        )
        return
    first, last = years[0], years[-2] if len(years) > 1 else years[0]
    page.select_option("#year-from", str(first))
    page.select_option("#year-to", str(last))
    expected = project(seed_build.graph, view, only=year_actions(seed_build.graph, first, last))
    try:
        assert counts(page) == (expected.number_of_nodes(), expected.number_of_edges())
        assert counts(page)[0] < before[0] and counts(page)[1] <= before[1]
        nodes, links = counts(page)
        said = f"{nodes} node{'s' * (nodes != 1)}, {links} link{'s' * (links != 1)} pass the filters"
        assert page.inner_text("#counts").startswith(said)  # "1 link" in the singular
    finally:
        page.click("#reset-filters")
    assert counts(page) == before and page.input_value("#year-from") == "0"


def edge_point(page, edge: str) -> dict | None:
    """A point of the page where a click lands on ``edge`` and on no node (the link's own geometry,
    curved or not, from vis-network)."""
    return page.evaluate(
        """id => {
          const net = window.socieuxView.network, box = document.getElementById("network").getBoundingClientRect();
          const shape = net.body.edges[id].edgeType;
          for (let t = 0.3; t < 0.9; t += 0.02) {
            const dom = net.canvasToDOM(shape.getPoint(t));
            if (net.getNodeAt(dom) === undefined && net.getEdgeAt(dom) === id) return {x: dom.x + box.left, y: dom.y + box.top};
          }
          return null;
        }""",
        edge,
    )


def node_point(page, node: str) -> tuple[float, float]:
    at = page.evaluate(
        """id => { const net = window.socieuxView.network, box = document.getElementById("network").getBoundingClientRect();
                   const dom = net.canvasToDOM(net.getPositions([id])[id]); return [dom.x + box.left, dom.y + box.top]; }""",
        node,
    )
    return at[0], at[1]


def neighbours(page, node: str) -> list[str]:
    """The nodes linked to ``node`` in the page's data, heaviest first."""
    return page.evaluate(
        """id => { const d = window.socieuxView.data, seen = new Map();
                   d.edges.forEach(e => { if (e.from === id) seen.set(e.to, 0); if (e.to === id) seen.set(e.from, 0); });
                   return [...seen.keys()].sort((a, b) => (d.nodes.find(n => n.id === b).rank || 0) - (d.nodes.find(n => n.id === a).rank || 0)); }""",
        node,
    )


def test_clicking_france_to_peru_lists_the_actions_the_query_counts_with_their_evidence(opened, seed_build):
    page, _ = opened["country-flows"]
    graph = seed_build.graph
    rows = run_query(graph, named_queries()["country-flows"]).rows
    count = next(int(r["actions"]) for r in rows if (r["expert_country"], r["partner_country"]) == ("FRA", "PER"))
    france, peru = (URIRef(node_id(page, label)) for label in ("France", "Peru"))
    behind = set(graph.subjects(SOCX.partnerCountry, peru)) & set(graph.subjects(SOCX.expertCountry, france))
    edge = page.evaluate(
        "([a, b]) => window.socieuxView.data.edges.find(e => e.from === a && e.to === b).id", [str(france), str(peru)]
    )
    point = edge_point(page, edge)
    assert point is not None
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#panel li.action")
    try:
        assert page.inner_text("#panel h2") == "France → Peru"
        items = page.query_selector_all("#panel li.action")
        titles = sorted(i.query_selector(".title").inner_text() for i in items)
        assert len(titles) == count == len(behind)
        assert titles == sorted(str(graph.value(a, DCTERMS.title)) for a in behind)
        for item in items:
            lines = [e.inner_text() for e in item.query_selector_all(".ev")]
            assert lines and all(re.search(r"\S+\.txt:\d+$", line) for line in lines)
        # each action shows the sentence that names France as an expert country, with its file and line
        for action in behind:
            title = str(graph.value(action, DCTERMS.title))
            item = next(i for i in items if i.query_selector(".title").inner_text() == title)
            shown = {e.inner_text().replace("\n", " ") for e in item.query_selector_all(".ev")}
            for node in graph.objects(action, SOCX.evidence):
                if graph.value(node, RDF.object) == france and graph.value(node, RDF.predicate) == SOCX.expertCountry:
                    where = f"{graph.value(node, SOCX.sourceFile)}:{graph.value(node, SOCX.line)}"
                    assert any(line.endswith(where) for line in shown), (title, where)
        # clicking an action shows its facts
        items[0].query_selector(".title").click()
        assert "partner country" in items[0].query_selector(".facts").inner_text()
    finally:
        page.click("#panel-close")


def test_an_actions_facts_show_each_theme_with_its_own_sentence(opened, seed_build):
    """Clicking an action in the panel lists its themes one by one, each followed by the sentence
    of that theme's evidence node (not the sentences of all its themes after the list)."""
    page, _ = opened["country-flows"]
    graph = seed_build.graph
    france, peru = (URIRef(node_id(page, label)) for label in ("France", "Peru"))
    behind = set(graph.subjects(SOCX.partnerCountry, peru)) & set(graph.subjects(SOCX.expertCountry, france))
    action = max(sorted(behind), key=lambda a: len(set(graph.objects(a, SOCX.theme))))
    evidence = {}
    for node in graph.objects(action, SOCX.evidence):
        if graph.value(node, RDF.predicate) == SOCX.theme:
            label = str(graph.value(graph.value(node, RDF.object), SKOS.prefLabel))
            evidence[label] = " ".join(str(graph.value(node, SOCX.sentence)).split())
    assert len(evidence) >= 2
    edge = page.evaluate(
        "([a, b]) => window.socieuxView.data.edges.find(e => e.from === a && e.to === b).id", [str(france), str(peru)]
    )
    page.evaluate("id => window.socieuxView.showEdge(Number(id.slice(1)))", edge)
    try:
        title = str(graph.value(action, DCTERMS.title))
        item = next(
            i for i in page.query_selector_all("#panel li.action") if i.query_selector(".title").inner_text() == title
        )
        item.query_selector(".title").click()
        facts = item.query_selector(".facts")
        themes = facts.query_selector_all("dt")
        index = [dt.inner_text() for dt in themes].index("theme")
        shown = {}
        for fact in facts.query_selector_all("dd")[index].query_selector_all(".fact"):
            value = fact.query_selector(".value")  # the value, then its "correct this" link
            shown[value.inner_text().removesuffix(value.query_selector(".correct-this").inner_text()).strip()] = [
                e.inner_text().removesuffix(e.query_selector(".where").inner_text())
                for e in fact.query_selector_all(".ev")
            ]
        assert set(shown) == set(evidence)
        for label, sentence in evidence.items():
            assert [s.strip() for s in shown[label]] == [sentence], label
    finally:
        page.click("#panel-close")


def test_the_map_puts_peru_west_and_south_of_spain(opened):
    page, _ = opened["country-flows"]
    at = page.evaluate(
        "ids => window.socieuxView.network.getPositions(ids)", [node_id(page, "Peru"), node_id(page, "Spain")]
    )
    peru, spain = at.values()
    assert peru["x"] < spain["x"] and peru["y"] > spain["y"]  # canvas y grows southwards


def test_the_full_view_opens_as_an_overview_with_an_ego_mode(opened):
    page, _ = opened["full"]
    total = counts(page)[0]
    assert page.inner_text("#mode-note").startswith("Overview")
    assert int(page.evaluate("document.body.dataset.shownNodes")) < 60 < total  # groups, not a hairball
    search(page, "Peru")  # a node inside a closed group: picking it opens the group
    peru = node_id(page, "Peru")
    assert page.evaluate("window.socieuxView.network.getSelectedNodes()") == [peru]
    around = neighbours(page, peru)
    page.mouse.dblclick(*node_point(page, peru))
    assert page.inner_text("#mode-note").startswith("Neighbourhood of Peru")
    ego = int(page.evaluate("document.body.dataset.shownNodes"))
    assert ego == len(around) + 1
    # open the neighbourhood of the neighbour with the most nodes still out of sight
    shown = set(around) | {peru}
    wider = max(around, key=lambda n: (len(set(neighbours(page, n)) - shown), n))
    page.mouse.dblclick(*node_point(page, wider))
    assert int(page.evaluate("document.body.dataset.shownNodes")) > ego
    page.click("text=Step back")
    assert int(page.evaluate("document.body.dataset.shownNodes")) == ego
    page.click("text=Reset")
    assert page.inner_text("#mode-note").startswith("Overview")
    page.click("text=Show all")
    assert int(page.evaluate("document.body.dataset.shownNodes")) == total
    page.click("text=Overview")


def test_the_country_filter_works_where_there_are_countries_and_refits(opened):
    page, _ = opened["institutions-themes"]
    before = counts(page)
    scale = page.evaluate("window.socieuxView.network.getScale()")
    option = page.evaluate(
        "() => [...document.querySelectorAll('#facet-country option')].find(o => o.textContent.startsWith('Peru ('))"
        ".value"
    )
    page.select_option("#facet-country", option)
    try:
        assert 1 < counts(page)[0] < before[0]
        assert page.evaluate("window.socieuxView.network.getScale()") != scale  # fitted to what is left
        inside = page.evaluate(
            """() => { const net = window.socieuxView.network, box = document.getElementById('network').getBoundingClientRect();
                return Object.values(net.getPositions()).every(p => { const d = net.canvasToDOM(p);
                  return d.x >= 0 && d.y >= 0 && d.x <= box.width && d.y <= box.height; }); }"""
        )
        assert inside
    finally:
        page.click("#reset-filters")


def test_hostile_titles_cannot_inject_script(browser, tmp_path):
    doc = write(
        tmp_path,
        "hostile.txt",
        """
      • </script><script>document.body.dataset.pwned="yes"</script><img src=x onerror=alert(1)> "quotes" \\ back

        Ministry of <b>Labour</b>
        Policy development
        Experts from France reviewed the "rules" of the fund of Peru </script> & more.
    """,
    )
    graph = build([doc], validate=False).graph
    g = project(graph, "full")
    html = pages.page(g, "full", action_facts(graph, actions_behind(g)))
    assert "<img src=x" not in html
    file = tmp_path / "page.html"
    file.write_text(html, encoding="utf-8")
    page = browser[0].new_page()
    page.goto(file.as_uri())
    page.wait_for_function("document.body.dataset.ready === 'yes'")
    search(page, "quotes")  # the title goes through the search list and the panel as text
    assert page.evaluate("document.body.dataset.pwned") is None and page.evaluate("document.body.dataset.errors") == "0"
    title = str(graph.value(next(iter(graph.subjects(RDF.type, SOCX.Action))), DCTERMS.title))
    assert '"quotes" \\ back' in title and title in page.inner_text("#panel h2")
    page.close()
