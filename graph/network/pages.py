"""Interactive network pages with pyvis: one self-contained HTML file per view, working offline.

pyvis collects the nodes, edges and options; the page is written from our own template with the
vis-network script and style that pyvis ships inlined, so the page loads no file from anywhere
(pyvis' ``cdn_resources="in_line"`` would still pull Bootstrap from a CDN).
"""

from __future__ import annotations

import json
import math
from importlib import resources
from string import Template

import networkx as nx

from graph.network.projection import NODE_TYPES, Analytics, analyse

STYLE = {  # node type: (shape, colour, legend label)
    "action": ("dot", "#4e79a7", "Action"),
    "institution": ("square", "#f28e2b", "Partner institution"),
    "country": ("diamond", "#59a14f", "Country"),
    "theme": ("triangle", "#e15759", "Theme"),
    "assistance-type": ("triangleDown", "#76b7b2", "Type of assistance"),
    "organisation": ("star", "#edc948", "Cooperating organisation"),
    "news": ("hexagon", "#b07aa1", "News item"),
    "action-code": ("ellipse", "#9c755f", "Action code (not in the graph)"),
}
TITLES = {
    "full": "SOCIEUX+ actions: the whole graph",
    "country-flows": "Country flows: expert countries to partner countries",
    "institutions-themes": "Partner institutions and the themes of their actions",
    "action-chains": "Chains of related actions",
}
EU_COLOUR = "#1f4e9c"  # countries that are EU member states
MAX_NODES = 1000  # past this a browser struggles; the page keeps the best connected nodes and says so
MAX_EDGES = 3000  # and past this, the heaviest edges (more make a hairball, slow to lay out and draw)
MAX_SIZE = 60  # node size: past this, sizes are scaled down together so that big nodes hide nothing
LABEL_CHARS = 36  # longer names are cut on the canvas; the tooltip and the search use them whole
LAYOUT_SEED = 7


def _weighted_degree(g: nx.Graph, node: str) -> float:
    return float(sum(d.get("weight", 1) for _, _, d in g.edges(node, data=True))) + (
        float(sum(d.get("weight", 1) for _, _, d in g.in_edges(node, data=True))) if g.is_directed() else 0.0
    )


def _tooltip(g: nx.Graph, node: str, data: dict, analytics: Analytics) -> str:
    lines = [data.get("label", node), f"{STYLE[data['type']][2]}"]
    if data.get("name") and data["name"] != data.get("label"):
        lines.append(data["name"])
    lines.append(
        f"links: {g.degree(node)}"
        + (
            f", weight: {_weighted_degree(g, node):g}"
            if any("weight" in d for _, _, d in g.edges(node, data=True))
            else ""
        )
    )
    if data.get("eu_member") is not None and data["type"] == "country":
        lines.append("EU member state" if data["eu_member"] else "not an EU member state")
    if data.get("description"):
        lines.append(data["description"][:200] + ("…" if len(data["description"]) > 200 else ""))
    if data.get("sources"):
        lines.append(f"source: {data['sources']}")
    lines.append(f"community {analytics.community.get(node, -1)}, betweenness {analytics.betweenness.get(node, 0):.3f}")
    return "\n".join(lines)


def _cap(g: nx.Graph) -> tuple[nx.Graph, str]:
    """The view as drawn: at most MAX_NODES best-connected nodes and MAX_EDGES heaviest edges
    among them, with a note saying what was left out."""
    shown, notes = g, []
    if g.number_of_nodes() > MAX_NODES:
        ranked = sorted(g.nodes, key=lambda n: (-g.degree(n), n))[:MAX_NODES]
        shown = g.subgraph(ranked).copy()
        notes.append(f"the {MAX_NODES} best connected of {g.number_of_nodes()} nodes")
    if shown.number_of_edges() > MAX_EDGES:
        degree = dict(shown.degree())
        edges = sorted(
            shown.edges(keys=True, data=True) if shown.is_multigraph() else shown.edges(data=True),
            key=lambda e: (-e[-1].get("weight", 1), -(degree[e[0]] + degree[e[1]]), e[0], e[1], e[-1].get("label", "")),
        )
        # every node keeps its heaviest link; the rest are taken heaviest first, the kinds of link
        # in turn where weights tie (else one kind of link crowds out the others)
        chosen, covered = [], set()
        for index, e in enumerate(edges):
            if e[0] not in covered or e[1] not in covered:
                chosen.append(index)
                covered.update(e[:2])
        taken = set(chosen)
        rank: dict[str, int] = {}
        rest = []
        for index, e in enumerate(edges):
            if index not in taken:
                label = e[-1].get("label", "")
                rank[label] = rank.get(label, -1) + 1
                rest.append((-e[-1].get("weight", 1), rank[label], index))
        chosen += [index for *_, index in sorted(rest)[: max(0, MAX_EDGES - len(chosen))]]
        kept = shown.__class__()
        kept.add_nodes_from(shown.nodes(data=True))
        kept.add_edges_from(edges[i] for i in sorted(chosen))
        notes.append(f"the {MAX_EDGES} heaviest of {shown.number_of_edges()} links")
        shown = kept
    if not notes:
        return g, ""
    return shown, f"Showing {' and '.join(notes)}; the GraphML and GEXF exports hold them all."


def page(g: nx.Graph, view: str, analytics: Analytics | None = None) -> str:
    """The HTML of one view (``analytics``: those of ``g`` when already computed)."""
    from pyvis.network import Network

    shown, note = _cap(g)
    if analytics is None or shown is not g:
        analytics = analyse(shown)
    net = Network(height="100%", width="100%", directed=shown.is_directed(), cdn_resources="local")
    countries: dict[str, set[str]] = {}
    sizes = {n: 8 + 5 * math.sqrt(max(_weighted_degree(shown, n), shown.degree(n))) for n in shown.nodes}
    shrink = (MAX_SIZE - 8) / (max(sizes.values()) - 8) if sizes and max(sizes.values()) > MAX_SIZE else 1
    for node in sorted(shown.nodes):
        data = shown.nodes[node]
        shape, colour, _ = STYLE[data["type"]]
        if data["type"] == "country" and data.get("eu_member"):
            colour = EU_COLOUR
        size = 8 + (sizes[node] - 8) * shrink
        label = data.get("label", node)
        label = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"
        net.add_node(
            node,
            label=label,
            shape=shape,
            color=colour,
            size=round(size, 2),
            title=_tooltip(shown, node, data, analytics),
            kind=data["type"],
        )
        if data["type"] == "country":
            countries[node] = {node} | set(nx.all_neighbors(shown, node))
    # Edges go in as pyvis's add_edge makes them, without its scans of every node and edge per call
    # (quadratic on the large views); an undirected view keeps the first edge of a pair, as it does.
    from pyvis.edge import Edge

    seen, pairs = set(), set()
    for source, target, data in sorted(shown.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("label", ""))):
        key = (source, target, data.get("label", ""))
        if key in seen:
            continue
        seen.add(key)
        if not shown.is_directed():
            if (source, target) in pairs or (target, source) in pairs:
                continue
            pairs.add((source, target))
        weight = data.get("weight", 1)
        title = f"{data.get('label', '')}" + (f" ({weight})" if "weight" in data else "")
        width = round(1 + math.log2(weight), 2)
        edge = Edge(source, target, shown.is_directed(), title=title, width=width, value=weight)
        net.edges.append(edge.options)
    options = {
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": shown.number_of_nodes() < 300},
        "physics": {
            "solver": "forceAtlas2Based",
            # fewer layout steps on large views: the page stays blank until they are done
            "stabilization": {"enabled": True, "iterations": 600 if len(net.edges) <= 2000 else 200, "fit": True},
            "forceAtlas2Based": {
                "gravitationalConstant": -80,
                "centralGravity": 0.02,
                "springLength": 90,
                "springConstant": 0.06,
                "damping": 0.5,
                "avoidOverlap": 0.4,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            **({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True} if len(net.edges) > 2000 else {}),
        },
        "edges": {
            "smooth": False,
            "color": {"opacity": 0.5},
            "arrows": {"to": {"enabled": shown.is_directed(), "scaleFactor": 0.5}},
        },
        "nodes": {"font": {"size": 12}},
    }
    nodes = [
        {
            "id": n["id"],
            "label": n["label"],
            "shape": n["shape"],
            "color": n["color"],
            "size": n["size"],
            "title": n["title"],
            "kind": n["kind"],  # not "group": vis-network would colour by its group palette
            "name": shown.nodes[n["id"]].get("label", n["id"]),
        }
        for n in net.nodes
    ]
    edges = [{k: e[k] for k in ("from", "to", "title", "width", "value") if k in e} for e in net.edges]
    types = sorted({n["kind"] for n in nodes}, key=NODE_TYPES.index)
    country_options = sorted((shown.nodes[c].get("label", c), c) for c in countries)
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    return _TEMPLATE.substitute(
        title=_html(TITLES[view]),
        note=_html(note),
        counts=f"{len(nodes)} nodes, {len(edges)} edges",
        script=(lib / "vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script"),
        style=(lib / "vis-network.css").read_text(encoding="utf-8"),
        legend="".join(
            f'<label><input type="checkbox" class="type" value="{t}" checked> '
            f'<span class="swatch" style="background:{STYLE[t][1]}"></span>{_html(STYLE[t][2])}'
            + (
                f' (<span class="swatch" style="background:{EU_COLOUR}"></span>EU member state)'
                if t == "country"
                else ""
            )
            + "</label>"
            for t in types
        ),
        countries="".join(f'<option value="{_html(c)}">{_html(label)}</option>' for label, c in country_options),
        data=_json(
            {
                "nodes": nodes,
                "edges": edges,
                "options": options,
                "countries": {c: sorted(m) for c, m in countries.items()},
            }
        ),
    )


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _json(value: object) -> str:
    """JSON for a <script> block: no "</script>" or HTML comment can close it early."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028")


_TEMPLATE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$title</title>
<style>$style</style>
<style>
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; font-size: 13px; }
#bar { position: absolute; top: 0; left: 0; right: 0; padding: 6px 10px; background: #f7f7f7;
       border-bottom: 1px solid #ddd; z-index: 2; }
#bar h1 { font-size: 15px; margin: 0 12px 0 0; display: inline; }
#bar label { margin-right: 8px; white-space: nowrap; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 3px; border-radius: 2px; }
#note { color: #a33; }
#network { position: absolute; top: 64px; left: 0; right: 0; bottom: 0; }
div.vis-tooltip { white-space: pre-wrap; max-width: 420px; }
</style>
</head>
<body data-ready="no" data-errors="0">
<div id="bar">
  <h1>$title</h1><span id="counts">$counts</span> <span id="note">$note</span><br>
  <input id="search" type="search" placeholder="Find a node" size="24">
  <select id="country"><option value="">All countries</option>$countries</select>
  $legend
</div>
<div id="network"></div>
<script>
window.addEventListener("error", function () {
  document.body.dataset.errors = String(Number(document.body.dataset.errors) + 1);
});
</script>
<script>$script</script>
<script type="application/json" id="graph-data">$data</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("network"), {nodes: nodes, edges: edges}, data.options);
  window.socieuxNetwork = network;
  document.body.dataset.nodes = String(nodes.length);
  document.body.dataset.edges = String(edges.length);
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    document.body.dataset.ready = "yes";
  });
  function apply() {
    var shown = {};
    document.querySelectorAll("input.type").forEach(function (box) { shown[box.value] = box.checked; });
    var country = document.getElementById("country").value;
    var keep = country ? new Set(data.countries[country]) : null;
    nodes.update(data.nodes.map(function (n) {
      return {id: n.id, hidden: !shown[n.kind] || (keep !== null && !keep.has(n.id))};
    }));
  }
  document.querySelectorAll("input.type").forEach(function (box) { box.addEventListener("change", apply); });
  document.getElementById("country").addEventListener("change", apply);
  document.getElementById("search").addEventListener("change", function (event) {
    var wanted = event.target.value.toLowerCase();
    var found = data.nodes.filter(function (n) { return n.name.toLowerCase().indexOf(wanted) !== -1; });
    if (found.length) {
      network.selectNodes(found.map(function (n) { return n.id; }));
      network.focus(found[0].id, {scale: 1.2});
    }
  });
})();
</script>
</body>
</html>
""")
