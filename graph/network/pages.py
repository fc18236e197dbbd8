"""Interactive network pages with pyvis: one self-contained HTML file per view, working offline.

pyvis collects the nodes, edges and options; the page is written from our own template
(``assets/view.html``, ``view.css``, ``view.js``) with the vis-network script that pyvis ships
inlined, so the page loads no file from anywhere (pyvis' ``cdn_resources="in_line"`` would still
pull Bootstrap from a CDN). vis-network's stylesheet is left out: the page uses one rule of its
220 kB (the tooltip's), which ``view.css`` holds. Everything the page shows is computed here and embedded: the layout
(so the page opens drawn, physics off), the map positions and world outline for the country views,
the communities of the overview, and for every action behind a node or link its facts and
evidence, for the side panel and the facet filters.
"""

from __future__ import annotations

import json
import math
from importlib import resources

import networkx as nx

from graph.network import geo
from graph.network.actions import EU_SIDE, FACTS, FIELD_OF_KIND, NON_EU_SIDE, ActionFacts
from graph.network.layout import force_layout, map_layout
from graph.network.projection import NODE_TYPES, Analytics, analyse
from graph.words import counted

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
PLURALS = {
    "action": "actions",
    "institution": "partner institutions",
    "country": "countries",
    "theme": "themes",
    "assistance-type": "types of assistance",
    "organisation": "cooperating organisations",
    "news": "news items",
    "action-code": "action codes",
}
TITLES = {
    "full": "SOCIEUX+ actions: the whole graph",
    "country-flows": "Country flows: expert countries to partner countries",
    "expert-collaboration": "Expert collaboration: countries whose experts worked on the same actions",
    "institutions-themes": "Partner institutions and the themes of their actions",
    "action-chains": "Chains of related actions",
}
EU_COLOUR = "#1f4e9c"  # countries that are EU member states
MAX_NODES = 1000  # past this a browser struggles; the page keeps the best connected nodes and says so
MAX_EDGES = 3000  # and past this, the heaviest edges (more make a hairball, slow to draw)
MAX_SIZE = 60  # node size: past this, sizes are scaled down together so that big nodes hide nothing
LABEL_CHARS = 36  # longer names are cut on the canvas; the tooltip and the search use them whole
OVERVIEW_NODES = 300  # a view past this opens as an overview: its communities, each one node
MIN_GROUP = 4  # smaller communities stay as their nodes in the overview
MAP_VIEWS = {"country-flows": "map", "expert-collaboration": "force"}  # views with a map, and their first layout
REGIONS_UNKNOWN = "partner country unknown"


def _weighted_degree(g: nx.Graph, node: str) -> float:
    return float(sum(d.get("weight", 1) for _, _, d in g.edges(node, data=True))) + (
        float(sum(d.get("weight", 1) for _, _, d in g.in_edges(node, data=True))) if isinstance(g, nx.DiGraph) else 0.0
    )


def _tooltip(g: nx.Graph, node: str, data: dict, analytics: Analytics, actions: int) -> str:
    lines = [data.get("label", node), f"{STYLE[data['type']][2]}"]
    if data.get("iso"):
        lines[-1] += f" ({data['iso']})"
    if data.get("type") == "country":
        lines.append("EU member state" if data.get("eu_member") else "not an EU member state")
    if data.get("country"):
        lines.append(f"in {data['country']}")
    if data.get("code"):
        lines.append(f"action {data['code']}")
    lines.append(f"links: {g.degree(node)}" + (f", actions: {actions}" if actions else ""))
    if data.get("description"):
        lines.append(data["description"][:200] + ("…" if len(data["description"]) > 200 else ""))
    if data.get("sources"):
        lines.append(f"source: {data['sources']}")
    community = f"community {analytics.community.get(node, -1)}"
    if node in analytics.betweenness:
        community += f", betweenness {analytics.betweenness[node]:.3f}"
    lines.append(community)
    lines.append("click: the actions behind it; double-click: its neighbourhood")
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
            shown.edges(keys=True, data=True) if isinstance(shown, nx.MultiGraph) else shown.edges(data=True),
            key=lambda e: (-e[-1].get("weight", 1), -(degree[e[0]] + degree[e[1]]), e[0], e[1], e[-1].get("label", "")),
        )
        # every node keeps its heaviest link; the rest are taken heaviest first, the kinds of link
        # in turn where weights tie (else one kind of link crowds out the others)
        chosen: list[int] = []
        covered: set[str] = set()
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


def _page_edges(shown: nx.Graph) -> list[tuple[str, str, dict]]:
    """The links as the page draws them: one per (source, target, kind); an undirected view keeps
    one per pair, as pyvis does."""
    seen, pairs, kept = set(), set(), []
    for source, target, data in sorted(shown.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("label", ""))):
        key = (source, target, data.get("label", ""))
        if key in seen:
            continue
        seen.add(key)
        if not shown.is_directed():
            if (source, target) in pairs or (target, source) in pairs:
                continue
            pairs.add((source, target))
        kept.append((source, target, data))
    return kept


class _Table:
    """Strings numbered in the order they are first met, so that a page holds each once."""

    def __init__(self) -> None:
        self.index: dict[object, int] = {}

    def __call__(self, value: object) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.index)
        return found

    def values(self) -> list:
        return list(self.index)


def _facet_options(values: dict[str, str], counts: dict[str, int]) -> tuple[list, dict[str, int]]:
    """Options sorted by label, with their number of actions; and the index of each value."""
    ordered = sorted(values, key=lambda v: (values[v].lower(), v))
    return [[values[v], counts.get(v, 0)] for v in ordered], {v: i for i, v in enumerate(ordered)}


def _where(where: str, files: _Table) -> list[int]:
    file, _, line = where.rpartition(":")
    return [files(file), int(line)]


def _actions_data(used: list[str], facts: dict[str, ActionFacts], country_labels: dict[str, str]) -> dict:
    """The actions of the page, numbered as in ``used``, as compact rows (a page at a hundred times
    the seeds holds twenty thousand): ``[title, code, sources, institutions, facts, themes, types,
    region, sides, countries, year, ref]`` (year 0: none; ref: how a correction names the action, "" for
    its title). Sources are flat (file, line) pairs; facts flat runs of (kind, key, number of evidence,
    evidence...); keys (node id, label, the value as the actions table shows it); evidence a flat table
    of (text, file, line); strings (titles and sentences, often the same), keys and file names numbered
    once in their own tables; facet values as indexes into the options."""
    texts, keys, evidence, files = _Table(), _Table(), _Table(), _Table()
    kinds = [kind for _, kind in FACTS]
    theme_labels: dict[str, str] = {}
    type_labels: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {"theme": {}, "type": {}, "region": {}, "side": {}, "country": {}}
    for iri in used:
        action = facts[iri]
        for fact in action.facts:
            if fact.kind == "theme":
                theme_labels[fact.key] = fact.value
            elif fact.kind == "type of assistance":
                type_labels[fact.key] = fact.value
        for iri, name in action.country_names.items():
            country_labels.setdefault(iri, name)
        for facet, values in (
            ("theme", action.themes),
            ("type", action.types),
            ("region", [action.region or REGIONS_UNKNOWN]),
            ("side", action.sides),
            ("country", action.countries),
        ):
            for value in values:
                counts[facet][value] = counts[facet].get(value, 0) + 1
    options, index = {}, {}
    for facet, labels in (
        ("theme", theme_labels),
        ("type", type_labels),
        ("region", {r: r for r in counts["region"]}),
        (
            "side",
            {s: f"experts from an {s}" if s == EU_SIDE else f"experts from a country {s}" for s in counts["side"]},
        ),
        ("country", {c: country_labels.get(c, c.rsplit("/", 1)[-1]) for c in counts["country"]}),
    ):
        options[facet], index[facet] = _facet_options(labels, counts[facet])
    kind_index = {kind: i for i, kind in enumerate(kinds)}
    rows = []
    for iri in used:
        action = facts[iri]
        flat: list[int] = []
        for f in action.facts:
            flat += [kind_index[f.kind], keys((f.key, f.value, f.shown)), len(f.evidence)]
            flat += [evidence((texts(e.text), *_where(e.where, files))) for e in f.evidence]
        rows.append(
            [
                texts(action.title),  # often also the sentence of a fact: held once
                action.code,
                [part for where in action.sources for part in _where(where, files)],
                [texts(i) for i in action.institutions],
                flat,
                [index["theme"][t] for t in action.themes],
                [index["type"][t] for t in action.types],
                index["region"][action.region or REGIONS_UNKNOWN],
                [index["side"][s] for s in action.sides],
                [index["country"][c] for c in action.countries],
                action.year,
                "" if action.ref == action.title else action.ref,  # most actions are named by their title
            ]
        )
    years: dict[int, int] = {}
    for iri in used:
        if facts[iri].year:
            years[facts[iri].year] = years.get(facts[iri].year, 0) + 1
    return {
        "actions": rows,
        "years": [[year, years[year]] for year in sorted(years)],  # each year with its number of actions
        "kinds": kinds,
        # for "correct this": the field of each kind, and whether it holds one value (set) or several
        "fields": [FIELD_OF_KIND[kind].name for kind in kinds],
        "single": [FIELD_OF_KIND[kind].single for kind in kinds],
        "keys": [list(k) for k in keys.values()],
        "texts": texts.values(),
        "files": files.values(),
        "evidence": [part for e in evidence.values() for part in e],
        "facets": options,
        "sides": {"eu": index["side"].get(EU_SIDE, -1), "non_eu": index["side"].get(NON_EU_SIDE, -1)},
    }


def _groups(shown: nx.Graph, community: dict[str, int], weight: dict[str, float], positions: dict) -> list[dict]:
    """The overview's groups: each community of at least MIN_GROUP nodes, named by its three
    heaviest members (actions last: their titles say least about a group); the nodes of smaller
    communities (isolated news items, pairs of actions) gathered by type."""
    members: dict[int, list[str]] = {}
    for node in shown.nodes:
        members.setdefault(community.get(node, -1), []).append(node)
    leftovers: dict[tuple[str, str], list[str]] = {}
    for community_key in [k for k, nodes in members.items() if k == -1 or len(nodes) < MIN_GROUP]:
        for node in members.pop(community_key):
            leftovers.setdefault(("small", shown.nodes[node]["type"]), []).append(node)
    # the communities (by number), then the leftovers gathered by type: ("small", type)
    chosen: list[tuple[int | tuple[str, str], list[str]]] = [(k, members[k]) for k in sorted(members)]
    chosen += [(k, leftovers[k]) for k in sorted(leftovers) if len(leftovers[k]) >= MIN_GROUP]
    groups = []
    for key, nodes in chosen:
        kinds: dict[str, int] = {}
        for n in nodes:
            kinds[shown.nodes[n]["type"]] = kinds.get(shown.nodes[n]["type"], 0) + 1
        if not isinstance(key, tuple):  # a community
            named = sorted(nodes, key=lambda n: (shown.nodes[n]["type"] == "action", -weight[n], n))[:3]
            names = [shown.nodes[n].get("label", n) for n in named]
            names = [n if len(n) <= 28 else n[:27].rstrip() + "…" for n in names]
            label = "\n".join(names) + f"\n+{len(nodes) - len(named)} more"
        else:
            label = f"{len(nodes)} {PLURALS[key[1]]}\nlinked to few others"
        xs = [positions[n][0] for n in nodes]
        ys = [positions[n][1] for n in nodes]
        centre = (sum(xs) / len(xs), sum(ys) / len(ys))
        base = 20 + 8 * math.sqrt(len(nodes))
        spread = math.sqrt(
            sum((x - centre[0]) ** 2 + (y - centre[1]) ** 2 for x, y in zip(xs, ys, strict=True)) / len(xs)
        )
        groups.append(
            {
                "label": label,
                "title": f"Group of {len(nodes)} nodes: "
                + ", ".join(
                    f"{count} {STYLE[kind][2].lower() if count == 1 else PLURALS[kind]}"
                    for kind, count in sorted(kinds.items())
                )
                + "\nclick to open it",
                "members": sorted(nodes),
                "x": round(centre[0]),
                "y": round(centre[1]),
                # about as big as the place its members take (a community's members sit together;
                # the leftovers are scattered, so their group keeps the plain size)
                "size": round(min(max(base, 0.45 * spread), 2.5 * base) if not isinstance(key, tuple) else base, 1),
            }
        )
    return groups


def page(g: nx.Graph, view: str, facts: dict[str, ActionFacts], analytics: Analytics | None = None) -> str:
    """The HTML of one view; ``facts``: those of (at least) the actions behind ``g`` (see
    ``graph.network.actions.action_facts``); ``analytics``: those of ``g`` when already computed."""
    from pyvis.edge import Edge
    from pyvis.network import Network

    shown, note = _cap(g)
    if analytics is None or shown is not g:
        analytics = analyse(shown, betweenness=False)
    weighted = any("weight" in d for *_, d in shown.edges(data=True))
    edges = _page_edges(shown)
    weight = {n: max(_weighted_degree(shown, n), float(shown.degree(n))) for n in shown.nodes}
    raw = {n: 8 + 5 * math.sqrt(weight[n]) for n in shown.nodes}
    shrink = (MAX_SIZE - 8) / (max(raw.values()) - 8) if raw and max(raw.values()) > MAX_SIZE else 1
    sizes = {n: round(8 + (raw[n] - 8) * shrink, 2) for n in shown.nodes}
    # an ellipse (an action code) is as wide as its label, about three times its size
    footprint = {n: sizes[n] * (3 if STYLE[shown.nodes[n]["type"]][0] == "ellipse" else 1) for n in shown.nodes}
    positions = force_layout(shown, footprint, analytics.community)
    # on the map, smaller nodes: Europe is crowded and the map is what must be seen
    heaviest = max(weight.values(), default=1) or 1
    map_sizes = {n: _map_size(weight[n], heaviest) for n in shown.nodes}
    widest = max((d.get("weight", 1) for *_, d in edges), default=1)
    layouts = {}
    if view in MAP_VIEWS:
        where = geo.positions()
        anchors: dict[str, tuple[float, float]] = {}
        for n in shown.nodes:
            if shown.nodes[n]["type"] != "country":  # the map views hold countries only
                continue
            point = where.get(shown.nodes[n].get("iso", ""))
            # a country the reference data does not place waits in the South Atlantic
            anchors[n] = geo.project(*point) if point else geo.project(-50, -25 + 4 * len(anchors) % 40)
        layouts = map_layout(anchors, map_sizes)
    groups = _groups(shown, analytics.community, weight, positions) if len(shown) > OVERVIEW_NODES else []
    group_of = {n: i for i, group in enumerate(groups) for n in group["members"]}

    # the actions the page describes: its action nodes, and those behind its links
    used = sorted(
        {n for n, d in shown.nodes(data=True) if d["type"] == "action" and n in facts}
        | {a for *_, data in edges for a in data.get("actions", ())}
    )
    action_index = {a: i for i, a in enumerate(used)}
    node_actions: dict[str, set[str]] = {n: set() for n in shown.nodes}
    for source, target, data in edges:
        node_actions[source].update(data.get("actions", ()))
        node_actions[target].update(data.get("actions", ()))
    country_labels = {n: d.get("label", n) for n, d in shown.nodes(data=True) if d["type"] == "country"}
    actions = _actions_data(used, facts, country_labels)

    net = Network(height="100%", width="100%", directed=shown.is_directed(), cdn_resources="local")
    for node in sorted(shown.nodes):
        data = shown.nodes[node]
        shape, colour, _ = STYLE[data["type"]]
        if data["type"] == "country" and data.get("eu_member"):
            colour = EU_COLOUR
        label = data.get("label", node)
        label = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"
        extra: dict[str, float] = {}
        if node in layouts:
            extra["mx"], extra["my"] = layouts[node]
            extra["msize"] = map_sizes[node]
        net.add_node(
            node,
            label=label,
            shape=shape,
            color=colour,
            size=sizes[node],
            x=positions[node][0],
            y=positions[node][1],
            title=_tooltip(shown, node, data, analytics, len(node_actions[node])),
            kind=data["type"],  # not "group": vis-network would colour by its group palette
            names=[data.get("label", node), *data.get("aliases", ())],
            own=action_index.get(node, -1) if data["type"] == "action" else -1,
            rank=round(weight[node] / heaviest, 4),
            group_index=group_of.get(node, -1),
            code=data.get("code", ""),
            eu=bool(data.get("eu_member")),
            **extra,
        )
    page_edges = []
    eu_side, non_eu_side = actions["sides"]["eu"], actions["sides"]["non_eu"]
    for number, (source, target, data) in enumerate(edges):
        behind = [action_index[a] for a in data.get("actions", ())]
        count = data.get("weight", 1)
        edge = Edge(source, target, shown.is_directed(), title=data.get("label", ""), width=_width(count, widest))
        options = dict(edge.options, id=f"e{number}", kind=data.get("label", ""), a=behind, w=count)
        if view in MAP_VIEWS:  # the expert side of a link between countries: its expert end(s)
            ends = [source] if view == "country-flows" else [source, target]
            options["sd"] = sorted({eu_side if shown.nodes[e].get("eu_member") else non_eu_side for e in ends})
        page_edges.append(options)
    nodes = [
        {k: v for k, v in n.items() if k not in ("font",) and v not in (None, "", -1) or k in ("own",)}
        for n in net.nodes
    ]
    big = len(page_edges) > 2000
    options = {
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": False,
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": False, "iterations": 300, "fit": False},
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "centralGravity": 0.01,
                "springLength": 80,
                "springConstant": 0.05,
                "damping": 0.6,
                "avoidOverlap": 0.5,
            },
        },
        "interaction": {
            "hover": not big,
            "tooltipDelay": 200,
            "navigationButtons": False,
            "zoomSpeed": 0.6,
            **({"hideEdgesOnDrag": True} if big else {}),
        },
        "edges": {
            # flows drawn as arcs, so that A to B and B to A are two lines
            "smooth": {"type": "curvedCW", "roundness": 0.12} if view == "country-flows" else False,
            "color": {"inherit": "from", "opacity": 0.45},
            "arrows": {"to": {"enabled": shown.is_directed(), "scaleFactor": 0.45}},
            "selectionWidth": 2,
        },
        "nodes": {
            "font": {"size": 12, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": 6, "maxVisible": 40}},
            "borderWidth": 1,
        },
    }
    types = sorted({n["kind"] for n in nodes}, key=NODE_TYPES.index)
    payload = {
        "view": view,
        "directed": shown.is_directed(),
        "weighted": weighted,
        "nodes": nodes,
        "edges": page_edges,
        "groups": groups,
        "options": options,
        "types": [[t, STYLE[t][1], STYLE[t][2]] for t in types],
        "eu_colour": EU_COLOUR,
        "shrink": shrink,
        "heaviest": heaviest,
        "widest": widest,
        "max_size": MAX_SIZE,
        **actions,
    }
    if view in MAP_VIEWS:
        payload["map"] = {"first": MAP_VIEWS[view], "outline": [list(ring) for ring in geo.outline()]}
    assets = resources.files("graph.network") / "assets"
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    page_text = (assets / "view.html").read_text(encoding="utf-8")
    replacements = {
        "$title": _html(TITLES[view]),
        "$note": _html(note),
        "$counts": f"{counted(len(nodes), 'node')}, {counted(len(page_edges), 'link')}",
        "$style": (assets / "view.css").read_text(encoding="utf-8"),
        "$code": (assets / "view.js").read_text(encoding="utf-8").replace("</script", "<\\/script"),
        "$vis_script": (lib / "vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script"),
        "$data": _json(payload),
    }
    # one pass, so that nothing substituted is read again for a placeholder
    parts = page_text.split("$")
    out = [parts[0]]
    for part in parts[1:]:
        name = next((key for key in replacements if part.startswith(key[1:])), None)
        if name is None:
            out.append("$" + part)
        else:
            out.append(replacements[name] + part[len(name) - 1 :])
    return "".join(out)


def _width(count: int, widest: int) -> float:
    """A link's width: 1 to 7 canvas units, by the square root of its weight against the heaviest
    link's, so that a view a hundred times larger draws the same (view.js has the same formula)."""
    if widest <= 1:
        return 1.0
    return round(1 + 6 * math.sqrt(max(count, 1) / widest), 2)


def _map_size(weight: float, heaviest: float) -> float:
    """A country's size on the map, against the heaviest country's (view.js has the same formula)."""
    return round(4 + 22 * math.sqrt(weight / heaviest), 2)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _json(value: object) -> str:
    """JSON for a <script> block: no "</script>" or HTML comment can close it early."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028")
