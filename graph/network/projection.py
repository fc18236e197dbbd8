"""Projections of the RDF graph to networkx, and the network analytics on them.

Views: ``full`` (every typed node and labelled edge), ``country-flows`` (expert country to partner
country, weighted by actions), ``expert-collaboration`` (expert countries whose experts worked on
the same action, weighted by such actions), ``institutions-themes`` (partner institutions and the
themes of their actions, weighted by actions) and ``action-chains`` (actions linked by follow-up,
builds-on, parallel and other references; unresolved codes as their own nodes).

Every edge carries ``actions``, the sorted IRIs of the actions behind it: the page lists them when
the edge is clicked and recounts the weights when a facet filters them. ``only`` restricts a
projection to some actions (news items, which are not actions, are then left out): what a page
shows under a filter is the projection of the actions that pass it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS

from graph.namespaces import SOCX

VIEWS = ("full", "country-flows", "expert-collaboration", "institutions-themes", "action-chains")
NODE_TYPES = ("action", "institution", "country", "theme", "assistance-type", "organisation", "news", "action-code")

EDGE_PROPERTIES = {
    SOCX.partnerInstitution: ("institution", "partner institution"),
    SOCX.expertCountry: ("country", "expert country"),
    SOCX.partnerCountry: ("country", "partner country"),
    SOCX.studyVisitCountry: ("country", "study visit"),
    SOCX.theme: ("theme", "theme"),
    SOCX.assistanceType: ("assistance-type", "type of assistance"),
    SOCX.cooperatingOrganisation: ("organisation", "cooperating organisation"),
}
RELATIONS = {
    SOCX.followUpOf: "follow-up of",
    SOCX.buildsOn: "builds on",
    SOCX.parallelTo: "parallel to",
    SOCX.relatedAction: "related to",
}


def _text(graph: Graph, node: URIRef, *props) -> str:
    for prop in props:
        value = graph.value(node, prop)
        if value is not None:
            return str(value)
    return str(node).rsplit("/", 1)[-1]


def _sources(graph: Graph, node: URIRef) -> str:
    return " | ".join(sorted(str(graph.value(r, RDFS.label)) for r in graph.objects(node, PROV.wasDerivedFrom)))


ALIASES = (  # every other name a node is found by in a page's search
    SKOS.altLabel,
    SKOS.hiddenLabel,
    SOCX.acronym,
    SOCX.originalName,
    SOCX.officialName,
    SOCX.demonym,
    SOCX.isoAlpha2,
    SOCX.isoAlpha3,
    SOCX.actionCode,
)


def _add_node(graph: Graph, g: nx.Graph, node: URIRef, kind: str) -> str:
    key = str(node)
    if key not in g:
        label = _text(graph, node, SKOS.prefLabel, DCTERMS.title, RDFS.label)
        attrs: dict[str, object] = {"type": kind, "label": label}
        aliases = {str(o) for prop in ALIASES for o in graph.objects(node, prop)} - {label}
        if aliases:
            attrs["aliases"] = tuple(sorted(aliases))
        if kind == "action":
            attrs["description"] = " ".join(str(graph.value(node, DCTERMS.description) or "").split())[:240]
            attrs["sources"] = _sources(graph, node)
            code = graph.value(node, SOCX.actionCode)
            if code is not None:
                attrs["code"] = str(code)
        elif kind == "country":
            attrs["iso"] = _text(graph, node, SOCX.isoAlpha3)
            attrs["eu_member"] = bool(graph.value(node, SOCX.euMemberState) == Literal(True))
            continent = graph.value(node, SOCX.continent)
            if continent is not None:
                attrs["continent"] = str(continent)
        elif kind == "institution":
            country = graph.value(node, SOCX.country)
            if country is not None:
                attrs["country"] = _text(graph, country, SKOS.prefLabel)
        elif kind == "news":
            attrs["sources"] = _sources(graph, node)
        g.add_node(key, **attrs)
    return key


def actions_of(graph: Graph, only: Collection[URIRef] | None = None) -> Iterator[URIRef]:
    """The actions of the graph in IRI order (those in ``only`` when it is given)."""
    for action in sorted(graph.subjects(RDF.type, SOCX.Action)):
        if only is None or action in only:
            yield action


def full_graph(graph: Graph, only: Collection[URIRef] | None = None) -> nx.MultiDiGraph:
    """Every action, institution, country, theme, type of assistance, organisation and news item."""
    g = nx.MultiDiGraph()
    institutions: dict[URIRef, list[str]] = {}
    for action in actions_of(graph, only):
        source = _add_node(graph, g, action, "action")
        for prop, (kind, label) in EDGE_PROPERTIES.items():
            for target in sorted(graph.objects(action, prop)):
                g.add_edge(source, _add_node(graph, g, target, kind), key=label, label=label, actions=(source,))
                if prop == SOCX.partnerInstitution:
                    institutions.setdefault(target, []).append(source)
        for prop, label in RELATIONS.items():
            for target in sorted(graph.objects(action, prop)):
                if only is None or target in only:
                    ends = tuple(sorted({source, str(target)}))
                    g.add_edge(source, _add_node(graph, g, target, "action"), key=label, label=label, actions=ends)
    for institution in sorted(institutions):
        for country in sorted(graph.objects(institution, SOCX.country)):
            g.add_edge(
                _add_node(graph, g, institution, "institution"),
                _add_node(graph, g, country, "country"),
                key="located in",
                label="located in",
                actions=tuple(sorted(set(institutions[institution]))),
            )
    if only is None:
        for news in sorted(graph.subjects(RDF.type, SOCX.NewsItem)):
            source = _add_node(graph, g, news, "news")
            for country in sorted(graph.objects(news, SOCX.mentionsCountry)):
                g.add_edge(
                    source, _add_node(graph, g, country, "country"), key="mentions", label="mentions", actions=()
                )
    return g


def _pairs(graph: Graph, left, right, only, symmetric: bool = False) -> dict[tuple[URIRef, URIRef], list[str]]:
    """For each pair (a value of ``left``, a different value of ``right``), the actions with both;
    ``symmetric``: unordered pairs, each once, the smaller IRI first."""
    found: dict[tuple[URIRef, URIRef], list[str]] = {}
    for action in actions_of(graph, only):
        for b in graph.objects(action, right):
            for a in graph.objects(action, left):
                if a != b and (not symmetric or a < b):
                    found.setdefault((a, b), []).append(str(action))
    return found


def _weighted(graph: Graph, g: nx.Graph, pairs: dict, kinds: tuple[str, str], label: str) -> None:
    for (a, b), actions in sorted(pairs.items()):
        g.add_edge(
            _add_node(graph, g, a, kinds[0]),
            _add_node(graph, g, b, kinds[1]),
            weight=len(actions),
            label=label,
            actions=tuple(sorted(actions)),
        )


def country_flows(graph: Graph, only: Collection[URIRef] | None = None) -> nx.DiGraph:
    """Expert country to partner country, weighted by the number of actions (the ``country-flows``
    named query)."""
    g = nx.DiGraph()
    _weighted(
        graph, g, _pairs(graph, SOCX.expertCountry, SOCX.partnerCountry, only), ("country", "country"), "experts to"
    )
    for node in g:
        g.nodes[node]["role"] = (
            "expert"
            if g.out_degree(node) and not g.in_degree(node)
            else ("partner" if g.in_degree(node) and not g.out_degree(node) else "both")
        )
    return g


def expert_collaboration(graph: Graph, only: Collection[URIRef] | None = None) -> nx.Graph:
    """Expert countries linked when their experts worked on the same action, weighted by the number
    of such actions: which member states deploy together."""
    g = nx.Graph()
    pairs = _pairs(graph, SOCX.expertCountry, SOCX.expertCountry, only, symmetric=True)
    _weighted(graph, g, pairs, ("country", "country"), "worked together")
    return g


def institutions_themes(graph: Graph, only: Collection[URIRef] | None = None) -> nx.Graph:
    """Partner institutions and the themes of their actions, weighted by the number of actions."""
    g = nx.Graph()
    pairs = _pairs(graph, SOCX.partnerInstitution, SOCX.theme, only)
    _weighted(graph, g, pairs, ("institution", "theme"), "theme of its actions")
    return g


def action_chains(graph: Graph, only: Collection[URIRef] | None = None) -> nx.DiGraph:
    """Actions linked by references; a code whose action is not in the graph is a node of its own."""
    g = nx.DiGraph()
    for action in actions_of(graph, only):
        linked = set()
        for prop, label in RELATIONS.items():
            for target in sorted(graph.objects(action, prop)):
                own = graph.value(target, SOCX.actionCode)
                if own is not None:
                    linked.add(str(own))
                if only is not None and target not in only:
                    continue
                ends = tuple(sorted({str(action), str(target)}))
                g.add_edge(
                    _add_node(graph, g, action, "action"),
                    _add_node(graph, g, target, "action"),
                    label=label,
                    actions=ends,
                )
        for code in sorted(str(c) for c in graph.objects(action, SOCX.relatedActionCode)):
            if code not in linked:
                key = f"code:{code}"
                g.add_node(key, type="action-code", label=code)
                g.add_edge(_add_node(graph, g, action, "action"), key, label="refers to", actions=(str(action),))
    return g


def actions_behind(g: nx.Graph) -> set[str]:
    """The IRIs of the actions behind a projection's nodes and edges (what its page describes)."""
    found = {n for n, d in g.nodes(data=True) if d.get("type") == "action"}
    for *_, data in g.edges(data=True):
        found.update(data.get("actions", ()))
    return found


BUILDERS = {
    "full": full_graph,
    "country-flows": country_flows,
    "expert-collaboration": expert_collaboration,
    "institutions-themes": institutions_themes,
    "action-chains": action_chains,
}


def project(graph: Graph, view: str, only: Collection[URIRef] | None = None) -> nx.Graph:
    """The networkx graph of one view (of the actions in ``only`` when it is given)."""
    if view not in BUILDERS:
        raise ValueError(f"unknown view {view!r}; views: {', '.join(VIEWS)}")
    return BUILDERS[view](graph, only)


@dataclass
class Analytics:
    degree: dict[str, float]
    betweenness: dict[str, float]
    community: dict[str, int]


ANALYSIS_NODES = 1500  # betweenness and communities run on at most this many best-connected nodes
BETWEENNESS_WORK = 2_000_000  # sampled sources × (nodes + edges): bounds the sampled betweenness


def analyse(g: nx.Graph, seed: int = 7, betweenness: bool = True) -> Analytics:
    """Degree centrality, and betweenness centrality and communities (Louvain, seeded), on the
    undirected graph. On a graph past ANALYSIS_NODES nodes the last two are computed on the subgraph
    of its ANALYSIS_NODES best-connected nodes (other nodes: betweenness 0, community -1), and
    betweenness samples at most 500 sources, fewer where the graph is large, seeded.
    ``betweenness=False`` leaves it out (empty): the pages need only the communities, and sampled
    betweenness costs seconds on a thousand nodes."""
    simple = nx.Graph(g.to_undirected()) if g.is_directed() or g.is_multigraph() else g
    degree = nx.degree_centrality(simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    core = simple
    if len(simple) > ANALYSIS_NODES:
        core = simple.subgraph(sorted(simple.nodes, key=lambda n: (-simple.degree(n), n))[:ANALYSIS_NODES]).copy()
    k = min(len(core), 500) if len(core) > 500 else None
    if k is not None:
        k = max(50, min(k, BETWEENNESS_WORK // (core.number_of_nodes() + core.number_of_edges())))
    centrality: dict[str, float] = {}
    if betweenness:
        centrality = {n: 0.0 for n in simple}
        if len(core) > 2:
            centrality.update(nx.betweenness_centrality(core, k=k, seed=seed))
    communities = nx.community.louvain_communities(core, seed=seed) if core.number_of_edges() else []
    community = {}
    for index, members in enumerate(sorted(communities, key=lambda c: (-len(c), sorted(c)[0]))):
        for member in members:
            community[member] = index
    for node in simple:
        community.setdefault(node, -1)
    return Analytics(degree, centrality, community)
