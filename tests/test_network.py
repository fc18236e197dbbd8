"""Network views: projections on a small graph (and on the seeds against the named queries), the
page data, Gephi exports read back, statistics and the flows picture. The pages in a browser:
tests/test_views.py."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from bench.views import CHROMIUM_ARGS
from graph.build import build
from graph.namespaces import SOCX
from graph.network import files as network_files
from graph.network import pages as viz
from graph.network import stats
from graph.network.actions import action_facts
from graph.network.projection import VIEWS, actions_behind, analyse, project
from graph.sparql.query import named_queries, run_query
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
    assert edges == {("France", "Peru"): 2, ("Spain", "Peru"): 1, ("Germany", "Kenya"): 1}
    assert {g.nodes[n]["iso"] for n in g} == {"FRA", "ESP", "PER", "DEU", "KEN"}  # codes stay, for tooltips


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
        "France",
        "Spain",
        "Peru",
        "Germany",
        "Kenya",
    }
    spain = next(n for n, d in g.nodes(data=True) if d["label"] == "Spain")
    assert {"ES", "ESP", "Spanish", "Kingdom of Spain"} <= set(g.nodes[spain]["aliases"])  # what search finds
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
    assert tables["institutions"].columns == ["institution", "country", "actions"]
    svg = stats.flows_svg(project(small, "country-flows"))
    root = ET.fromstring(svg)
    # France sends experts on 2 actions, Peru receives them on 2 (one of them with Spain too): actions, not links
    assert root.tag.endswith("svg") and "France (2)" in svg and "Peru (2)" in svg and "Spain (1)" in svg


def test_institution_rows_name_their_country(tmp_path):
    """Two institutions of the same name in two countries are two rows, told apart by the country."""
    doc = write(
        tmp_path,
        "twins.txt",
        """
      • Health insurance review

        Ministry of Health
        Policy development
        Experts from France reviewed the health insurance of the Ministry of Health of Peru.
      • Hospital financing

        Ministry of Health
        Policy development
        Experts from Spain advised the Ministry of Health of Kenya on hospital financing.
    """,
    )
    graph = build([doc], validate=False).graph
    institutions = {t.name: t for t in stats.tables(graph, project(graph, "full"))}["institutions"]
    assert sorted(institutions.rows) == [["Ministry of Health", "Kenya", 1], ["Ministry of Health", "Peru", 1]]


def test_expert_collaboration_counts_the_actions_experts_shared(tmp_path):
    doc = write(
        tmp_path,
        "together.txt",
        """
      • Pension reform

        National Pension Fund
        Policy development
        Experts from France, Spain and Portugal reviewed the pensions of the fund of Peru.
      • Pension rules

        National Pension Fund
        Policy development
        Experts from France and Spain drafted the pension rules of the fund of Peru.
      • Labour inspection

        Ministry of Labour
        Policy development
        French and Belgian experts trained the labour inspectors of the Ministry of Labour of Kenya.
      • Employment services

        Ministry of Labour
        Policy development
        German experts advised the employment services of the Ministry of Labour of Kenya.
    """,
    )
    graph = build([doc], validate=False).graph
    g = project(graph, "expert-collaboration")
    weights = {tuple(sorted((labels(g, a), labels(g, b)))): d["weight"] for a, b, d in g.edges(data=True)}
    # by hand: France-Spain on the first two actions; Portugal with both on the first; Belgium with France on the third
    assert weights == {
        ("France", "Spain"): 2,
        ("France", "Portugal"): 1,
        ("Portugal", "Spain"): 1,
        ("Belgium", "France"): 1,
    }
    assert not g.is_directed() and "Germany" not in {labels(g, n) for n in g}  # alone on its action
    assert all(len(d["actions"]) == d["weight"] for *_, d in g.edges(data=True))


def test_country_flows_are_the_named_query_on_the_seeds(seed_build):
    g = project(seed_build.graph, "country-flows")
    drawn = {(g.nodes[s]["iso"], g.nodes[t]["iso"]): d["weight"] for s, t, d in g.edges(data=True)}
    queried = {(r["expert_country"], r["partner_country"]): int(r["actions"]) for r in flows_rows(seed_build)}
    assert drawn == queried


def flows_rows(seed_build):
    return run_query(seed_build.graph, named_queries()["country-flows"]).rows


def test_flows_picture_counts_actions_as_the_query_does(seed_build):
    svg = stats.flows_svg(project(seed_build.graph, "country-flows"))
    g = project(seed_build.graph, "country-flows")
    name = {g.nodes[n]["iso"]: g.nodes[n]["label"] for n in g}
    bands = {m.group(1, 2): int(m.group(3)) for m in re.finditer(r"<title>(.+?) to (.+?): (\d+) actions</title>", svg)}
    assert bands == {
        (name[r["expert_country"]], name[r["partner_country"]]): int(r["actions"]) for r in flows_rows(seed_build)
    }
    # a partner country's total: its distinct actions with experts from anywhere (Peru: 15, not the 30 links)
    peru = {str(a) for a, _ in seed_build.graph.subject_objects(SOCX.partnerCountry) if str(_).endswith("/PER")}
    with_experts = {a for a in peru if any(True for _ in seed_build.graph.objects(URIRef(a), SOCX.expertCountry))}
    assert f"Peru ({len(with_experts)})" in svg and len(with_experts) < bands_total(bands, "Peru")


def test_the_table_and_the_picture_say_what_each_counts(seed_build):
    """France has more actions in the table than beside its name in the picture: both say why."""
    svg = stats.flows_svg(project(seed_build.graph, "country-flows"))
    table = {t.name: t for t in stats.tables(seed_build.graph, project(seed_build.graph, "full"))}["expert-countries"]
    france = next(row[1] for row in table.rows if row[0] == "FRA")
    drawn = int(re.search(r">France \((\d+)\)<", svg).group(1))
    assert drawn < france
    assert "counts its actions drawn here: those with both an expert and a partner country" in svg
    assert table.title.startswith("Expert countries by number of actions (all their actions;")
    assert "country-flows picture counts only those with a partner country" in table.text(3)


def bands_total(bands: dict, partner: str) -> int:
    return sum(n for (_, p), n in bands.items() if p == partner)


def page_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S).group(1))


def test_a_page_holds_the_actions_behind_each_link_with_their_evidence(small):
    g = project(small, "country-flows")
    data = page_data(viz.page(g, "country-flows", action_facts(small, actions_behind(g))))
    by_id = {n["id"]: n for n in data["nodes"]}
    link = next(e for e in data["edges"] if by_id[e["from"]]["label"] == "France" and by_id[e["to"]]["label"] == "Peru")
    titles = sorted(data["texts"][data["actions"][a][0]] for a in link["a"])
    assert titles == ["Pension reform follow-up", "Pension reform support"]
    # every fact of an action keeps its sentences with their file and line
    action = data["actions"][link["a"][1]]
    flat, facts = action[4], {}
    at = 0
    while at < len(flat):
        kind, key, count = flat[at : at + 3]
        facts[(data["kinds"][kind], data["keys"][key][1])] = [
            (
                data["texts"][data["evidence"][3 * e]],
                f"{data['files'][data['evidence'][3 * e + 1]]}:{data['evidence'][3 * e + 2]}",
            )
            for e in flat[at + 3 : at + 3 + count]
        ]
        at += 3 + count
    sentence = "Experts from France and Spain reviewed the pensions of the fund of Peru."
    assert facts[("expert country", "France")] == [(sentence, "small.txt:5")]
    assert facts[("partner country", "Peru")] == [(sentence, "small.txt:5")]
    assert facts[("partner institution", "National Pension Fund")] == [("National Pension Fund", "small.txt:3")]
    # the map: positions for every country, and the land outline
    assert all("mx" in n and "my" in n for n in data["nodes"]) and len(data["map"]["outline"]) > 50


def test_pages_are_the_same_bytes_each_time(small):
    for view in ("full", "country-flows", "action-chains"):
        g = project(small, view)
        facts = action_facts(small, actions_behind(g))
        assert viz.page(g, view, facts) == viz.page(project(small, view), view, action_facts(small, actions_behind(g)))


def test_a_filtered_projection_keeps_only_the_actions_given(small):
    """What a page shows under a facet is the projection of the actions that pass it (tested in
    the browser against these numbers)."""
    pensions = {
        a for a in actions_behind(project(small, "full")) if "Pension" in str(small.value(URIRef(a), DCTERMS.title))
    }
    g = project(small, "full", only={URIRef(a) for a in pensions})
    assert {d["label"] for _, d in g.nodes(data=True) if d["type"] == "action"} == {
        "Pension reform support",
        "Pension reform follow-up",
    }
    assert "Kenya" not in {d["label"] for _, d in g.nodes(data=True)} and not any(
        d["type"] == "news" for _, d in g.nodes(data=True)
    )
    flows = project(small, "country-flows", only={URIRef(a) for a in pensions})
    assert {(labels(flows, s), labels(flows, t)) for s, t in flows.edges} == {("France", "Peru"), ("Spain", "Peru")}


# ---------------------------------------------------------------- Chromium on the command line
# (tests/test_server.py drives its pages with these; the network pages are in tests/test_views.py)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# headless, and not even loopback is let through the dead proxy (it is by default)
FLAGS = ["--headless", *CHROMIUM_ARGS, "--proxy-bypass-list=<-loopback>"]


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


def test_cli_view_names_are_the_views():
    from graph.cli import VIEW_NAMES

    assert VIEW_NAMES == tuple(VIEWS) and "expert-collaboration" in VIEW_NAMES


def test_a_large_view_is_capped_in_nodes_edges_and_sizes():
    """A view far past the page's limits keeps the best connected nodes and the heaviest links,
    scales sizes down together, and says what it left out."""
    g = nx.DiGraph()
    for i in range(2400):
        g.add_node(f"n{i}", type="action", label=f"action {i}")
    for j in range(60):
        g.add_node(f"c{j}", type="country", label=f"country {j}", eu_member=j % 2 == 0)
    for i in range(2400):
        for k in range(5):
            g.add_edge(f"n{i}", f"c{(i * 7 + k * 11) % 60}", label="expertCountry", weight=1 + (i + k) % 5)
    html = viz.page(g, "country-flows", {})
    data = page_data(html)
    assert len(data["nodes"]) == viz.MAX_NODES
    assert {f"c{j}" for j in range(60)} <= {n["id"] for n in data["nodes"]}  # the hubs are kept
    assert len(data["edges"]) == viz.MAX_EDGES
    assert min(e["w"] for e in data["edges"]) >= 2  # the heaviest links
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
