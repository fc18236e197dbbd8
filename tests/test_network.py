"""Network views: projections on a small graph, Gephi exports read back, every page in headless
Chromium with the network off, statistics and the flows picture."""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from graph.build import build
from graph.network import files as network_files
from graph.network import pages as viz
from graph.network import stats
from graph.network.projection import VIEWS, analyse, project
from tests.conftest import write

FIXTURE = """
  • Pension reform support

    National Pension Fund
    Policy development
    Action 2020-01 was implemented in 2020. Experts from France and Spain reviewed the pensions of the fund of Peru.
  • Pension reform follow-up

    National Pension Fund
    Institutional capacity building
    Follow-up from action 2020-01: experts from France drafted the pension rules with the fund.
  • Labour inspection training

    Ministry of Labour
    Individual capacity building (human resources development)
    German experts trained the labour inspectors of the Ministry of Labour of Kenya on occupational safety and health.
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    return build([write(folder, "small.txt", FIXTURE)], validate=False).graph


def labels(g: nx.Graph, node: str) -> str:
    return g.nodes[node]["label"]


def test_country_flows_are_weighted_by_actions(small):
    g = project(small, "country-flows")
    edges = {(labels(g, s), labels(g, t)): d["weight"] for s, t, d in g.edges(data=True)}
    assert edges == {("FRA", "PER"): 2, ("ESP", "PER"): 1, ("DEU", "KEN"): 1}


def test_institutions_and_themes(small):
    g = project(small, "institutions-themes")
    edges = {
        (labels(g, s), labels(g, t)) if g.nodes[s]["type"] == "institution" else (labels(g, t), labels(g, s)): d[
            "weight"
        ]
        for s, t, d in g.edges(data=True)
    }
    assert edges[("National Pension Fund", "Pensions")] == 2
    assert edges[("Ministry of Labour", "Occupational safety and health")] == 1


def test_action_chains(small):
    g = project(small, "action-chains")
    assert [(labels(g, s), d["label"], labels(g, t)) for s, t, d in g.edges(data=True)] == [
        ("Pension reform follow-up", "follow-up of", "Pension reform support")
    ]


def test_full_graph_has_typed_nodes_and_labelled_edges(small):
    g = project(small, "full")
    types = sorted(d["type"] for _, d in g.nodes(data=True))
    assert types.count("action") == 3 and types.count("institution") == 2
    assert {labels(g, n) for n, d in g.nodes(data=True) if d["type"] == "country"} == {
        "FRA",
        "ESP",
        "PER",
        "DEU",
        "KEN",
    }
    edge_labels = {d["label"] for _, _, d in g.edges(data=True)}
    assert {
        "partner institution",
        "expert country",
        "partner country",
        "theme",
        "type of assistance",
        "follow-up of",
        "located in",
    } <= edge_labels
    analytics = analyse(g)
    assert set(analytics.degree) == set(g.nodes) and set(analytics.community) == set(g.nodes)


def test_graphml_and_gexf_read_back(small):
    g = project(small, "full")
    for text, reader in ((network_files.graphml(g), nx.read_graphml), (network_files.gexf(g), nx.read_gexf)):
        back = reader(io.BytesIO(text.encode("utf-8")))
        assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
        node = next(n for n, d in g.nodes(data=True) if d["type"] == "action")
        assert back.nodes[node]["type"] == "action"
    assert "lastmodifieddate" not in network_files.gexf(g)


def test_stats_tables_and_flows_picture(small):
    tables = {t.name: t for t in stats.tables(small, project(small, "full"))}
    assert tables["expert-countries"].rows[0] == ["FRA", 2]
    assert tables["partner-countries"].rows == [["PER", 2], ["KEN", 1]]
    svg = stats.flows_svg(project(small, "country-flows"))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and "FRA (2)" in svg and "PER (3)" in svg


# ---------------------------------------------------------------- in a real browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]


def chromium(tmp_path: Path, *args: str, loopback: bool = False) -> subprocess.CompletedProcess:
    """Headless Chromium with every connection sent to a dead proxy; ``loopback`` lets 127.0.0.1 through."""
    assert CHROMIUM, "Debian's chromium is needed for the page tests (.ci/run installs it)"
    profile = tmp_path / "profile"
    flags = [f for f in FLAGS if not (loopback and f.startswith("--proxy-bypass-list"))]
    return subprocess.run(
        [CHROMIUM, *flags, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120
    )


def body_attributes(dom: str) -> dict[str, str]:
    start = dom.index("<body")
    tag = dom[start : dom.index(">", start)]
    return dict(part.split("=", 1) for part in tag.replace('"', "").split()[1:])


@pytest.fixture(scope="module")
def pages(seed_build, tmp_path_factory):
    folder = tmp_path_factory.mktemp("views")
    written = {}
    for view in VIEWS:
        g = project(seed_build.graph, view)
        path = folder / f"{view}.html"
        path.write_text(viz.page(g, view), encoding="utf-8")
        written[view] = (path, g)
    return written


@pytest.mark.parametrize("view", VIEWS)
def test_view_opens_offline_without_errors_and_holds_every_node(pages, view, tmp_path):
    path, g = pages[view]
    html = path.read_text(encoding="utf-8")
    assert ' src="http' not in html and ' href="http' not in html and "url(http" not in html and "<link" not in html
    done = chromium(tmp_path, "--virtual-time-budget=30000", "--dump-dom", path.as_uri())
    assert done.returncode == 0, done.stderr[-500:]
    attributes = body_attributes(done.stdout)
    assert attributes["data-errors"] == "0" and attributes["data-ready"] == "yes"
    assert int(attributes["data-nodes"]) == g.number_of_nodes()
    assert "Uncaught" not in done.stderr


def test_screenshots_are_not_blank(pages, tmp_path):
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    sizes = {}
    for name, path in [("blank", blank), *((v, p) for v, (p, _) in pages.items())]:
        shot = tmp_path / f"{name}.png"
        chromium(
            tmp_path, "--virtual-time-budget=30000", "--window-size=1200,800", f"--screenshot={shot}", path.as_uri()
        )
        sizes[name] = shot.stat().st_size
    for view in VIEWS:
        assert sizes[view] > 5 * sizes["blank"], (view, sizes)


def test_hostile_titles_cannot_inject_script(tmp_path):
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
    page = tmp_path / "page.html"
    page.write_text(viz.page(project(graph, "full"), "full"), encoding="utf-8")
    done = chromium(tmp_path, "--virtual-time-budget=20000", "--dump-dom", page.as_uri())
    attributes = body_attributes(done.stdout)
    assert "data-pwned" not in attributes and attributes["data-errors"] == "0"
    assert "<img src=x" not in page.read_text(encoding="utf-8")


def test_page_data_colours_each_type_and_uses_no_vis_groups(pages):
    import json
    import re

    path, _ = pages["full"]
    data = json.loads(
        re.search(
            r'<script type="application/json" id="graph-data">(.*?)</script>', path.read_text(encoding="utf-8"), re.S
        ).group(1)
    )
    for node in data["nodes"]:
        assert "group" not in node
        assert node["color"] == viz.STYLE[node["kind"]][1] or (
            node["kind"] == "country" and node["color"] == viz.EU_COLOUR
        )


def test_filters_and_search_work_in_the_browser(pages, tmp_path):
    path, g = pages["full"]
    probe = """<script>
      setTimeout(function () {
        var net = window.socieuxNetwork;
        document.querySelector('input.type[value="news"]').click();
        var hiddenNews = net.body.data.nodes.get({filter: function (n) { return n.hidden; }}).length;
        var select = document.getElementById("country");
        select.value = select.options[1].value;
        select.dispatchEvent(new Event("change"));
        var shownForCountry = net.body.data.nodes.get({filter: function (n) { return !n.hidden; }}).length;
        var search = document.getElementById("search");
        search.value = "Kosovo";
        search.dispatchEvent(new Event("change"));
        document.body.dataset.probe = [hiddenNews, shownForCountry, net.getSelectedNodes().length].join("-");
      }, 500);
    </script></body>"""
    probed = tmp_path / "probe.html"
    probed.write_text(path.read_text(encoding="utf-8").replace("</body>", probe), encoding="utf-8")
    done = chromium(tmp_path, "--virtual-time-budget=30000", "--dump-dom", probed.as_uri())
    hidden_news, shown_for_country, selected = map(int, body_attributes(done.stdout)["data-probe"].split("-"))
    assert hidden_news == sum(1 for _, d in g.nodes(data=True) if d["type"] == "news") == 51
    assert 1 < shown_for_country < g.number_of_nodes()
    assert selected >= 1


def test_cli_view_names_are_the_views():
    from graph.cli import VIEW_NAMES

    assert VIEW_NAMES == tuple(VIEWS)


def test_a_large_view_is_capped_in_nodes_edges_and_sizes():
    """A view far past the page's limits keeps the best connected nodes and the heaviest links,
    scales sizes down together, and says what it left out."""
    import json
    import re

    import networkx as nx

    g = nx.DiGraph()
    for i in range(2400):
        g.add_node(f"n{i}", type="action", label=f"action {i}")
    for j in range(60):
        g.add_node(f"c{j}", type="country", label=f"country {j}", eu_member=j % 2 == 0)
    for i in range(2400):
        for k in range(5):
            g.add_edge(f"n{i}", f"c{(i * 7 + k * 11) % 60}", label="expertCountry", weight=1 + (i + k) % 5)
    html = viz.page(g, "country-flows")
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S).group(1))
    assert len(data["nodes"]) == viz.MAX_NODES
    assert {f"c{j}" for j in range(60)} <= {n["id"] for n in data["nodes"]}  # the hubs are kept
    assert len(data["edges"]) == viz.MAX_EDGES
    assert min(e["value"] for e in data["edges"]) >= 2  # the heaviest links
    linked = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert linked == {n["id"] for n in data["nodes"]}  # no node is left without a link
    assert max(n["size"] for n in data["nodes"]) <= viz.MAX_SIZE
    assert f"the {viz.MAX_NODES} best connected of 2460 nodes" in html and "heaviest of" in html


def test_graphml_and_gexf_escape_what_they_hold():
    """Quotes, markup and control characters in names come back as text (control characters,
    which XML cannot hold, are dropped); typed attributes keep their types."""
    g = nx.MultiDiGraph()
    hostile = 'A "fund" <b>&</b> \x01of Perú'
    g.add_node("a", type="action", label=hostile, eu_member=False, description=None)
    g.add_node('c"<', type="country", label="PER", eu_member=True)
    g.add_edge("a", 'c"<', key="expert country", label="expert country", weight=3)
    for text, reader in ((network_files.graphml(g), nx.read_graphml), (network_files.gexf(g), nx.read_gexf)):
        back = reader(io.BytesIO(text.encode("utf-8")))
        assert back.nodes["a"]["label"] == hostile.replace("\x01", "")
        assert back.nodes['c"<']["eu_member"] is True and back.nodes["a"]["eu_member"] is False
        assert "description" not in back.nodes["a"]
        assert back.number_of_edges() == 1
