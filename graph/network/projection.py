"""Projections of the RDF graph to networkx, and the network analytics on them.

Views: ``full`` (every typed node and labelled edge), ``country-flows`` (expert country to partner
country, weighted by actions), ``institutions-themes`` (partner institutions and the themes of
their actions, weighted by actions) and ``action-chains`` (actions linked by follow-up, builds-on,
parallel and other references; unresolved codes as their own nodes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS

from graph.namespaces import SOCX

VIEWS = ("full", "country-flows", "institutions-themes", "action-chains")
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


def _label(graph: Graph, node: URIRef, kind: str) -> str:
    if kind == "country":
        return _text(graph, node, SOCX.isoAlpha3)
    return _text(graph, node, SKOS.prefLabel, DCTERMS.title, RDFS.label)


def _sources(graph: Graph, node: URIRef) -> str:
    return " | ".join(sorted(str(graph.value(r, RDFS.label)) for r in graph.objects(node, PROV.wasDerivedFrom)))


def _add_node(graph: Graph, g: nx.Graph, node: URIRef, kind: str) -> str:
    key = str(node)
    if key not in g:
        attrs = {"type": kind, "label": _label(graph, node, kind)}
        if kind == "action":
            attrs["description"] = " ".join(str(graph.value(node, DCTERMS.description) or "").split())[:240]
            attrs["sources"] = _sources(graph, node)
        elif kind == "country":
            attrs["name"] = _text(graph, node, SKOS.prefLabel)
            attrs["eu_member"] = bool(graph.value(node, SOCX.euMemberState) == Literal(True))
        elif kind == "news":
            attrs["sources"] = _sources(graph, node)
        g.add_node(key, **attrs)
    return key


def full_graph(graph: Graph) -> nx.MultiDiGraph:
    """Every action, institution, country, theme, type of assistance, organisation and news item."""
    g = nx.MultiDiGraph()
    for action in sorted(graph.subjects(RDF.type, SOCX.Action)):
        source = _add_node(graph, g, action, "action")
        for prop, (kind, label) in EDGE_PROPERTIES.items():
            for target in sorted(graph.objects(action, prop)):
                g.add_edge(source, _add_node(graph, g, target, kind), key=label, label=label)
        for prop, label in RELATIONS.items():
            for target in sorted(graph.objects(action, prop)):
                g.add_edge(source, _add_node(graph, g, target, "action"), key=label, label=label)
    for institution in sorted(graph.subjects(RDF.type, SOCX.PartnerInstitution)):
        for country in graph.objects(institution, SOCX.country):
            g.add_edge(
                _add_node(graph, g, institution, "institution"),
                _add_node(graph, g, country, "country"),
                key="located in",
                label="located in",
            )
    for news in sorted(graph.subjects(RDF.type, SOCX.NewsItem)):
        source = _add_node(graph, g, news, "news")
        for country in sorted(graph.objects(news, SOCX.mentionsCountry)):
            g.add_edge(source, _add_node(graph, g, country, "country"), key="mentions", label="mentions")
    return g


def _pair_weights(graph: Graph, left, right) -> Counter[tuple[URIRef, URIRef]]:
    """For each pair (a value of ``left``, a different value of ``right``), the number of actions with both."""
    weights: Counter[tuple[URIRef, URIRef]] = Counter()
    for action in graph.subjects(RDF.type, SOCX.Action):
        for b in graph.objects(action, right):
            for a in graph.objects(action, left):
                if a != b:
                    weights[(a, b)] += 1
    return weights


def country_flows(graph: Graph) -> nx.DiGraph:
    """Expert country to partner country, weighted by the number of actions."""
    weights = _pair_weights(graph, SOCX.expertCountry, SOCX.partnerCountry)
    g = nx.DiGraph()
    for (expert, partner), weight in sorted(weights.items()):
        g.add_edge(
            _add_node(graph, g, expert, "country"),
            _add_node(graph, g, partner, "country"),
            weight=weight,
            label="experts to",
        )
    for node in g:
        g.nodes[node]["role"] = (
            "expert"
            if g.out_degree(node) and not g.in_degree(node)
            else ("partner" if g.in_degree(node) and not g.out_degree(node) else "both")
        )
    return g


def institutions_themes(graph: Graph) -> nx.Graph:
    """Partner institutions and the themes of their actions, weighted by the number of actions."""
    weights = _pair_weights(graph, SOCX.partnerInstitution, SOCX.theme)
    g = nx.Graph()
    for (institution, theme), weight in sorted(weights.items()):
        g.add_edge(
            _add_node(graph, g, institution, "institution"),
            _add_node(graph, g, theme, "theme"),
            weight=weight,
            label="theme of its actions",
        )
    return g


def action_chains(graph: Graph) -> nx.DiGraph:
    """Actions linked by references; a code whose action is not in the graph is a node of its own."""
    g = nx.DiGraph()
    for action in sorted(graph.subjects(RDF.type, SOCX.Action)):
        linked = set()
        for prop, label in RELATIONS.items():
            for target in sorted(graph.objects(action, prop)):
                g.add_edge(_add_node(graph, g, action, "action"), _add_node(graph, g, target, "action"), label=label)
                own = graph.value(target, SOCX.actionCode)
                if own is not None:
                    linked.add(str(own))
        for code in sorted(str(c) for c in graph.objects(action, SOCX.relatedActionCode)):
            if code not in linked:
                key = f"code:{code}"
                g.add_node(key, type="action-code", label=code)
                g.add_edge(_add_node(graph, g, action, "action"), key, label="refers to")
    return g


def project(graph: Graph, view: str) -> nx.Graph:
    """The networkx graph of one view."""
    builders = {
        "full": full_graph,
        "country-flows": country_flows,
        "institutions-themes": institutions_themes,
        "action-chains": action_chains,
    }
    if view not in builders:
        raise ValueError(f"unknown view {view!r}; views: {', '.join(VIEWS)}")
    return builders[view](graph)


@dataclass
class Analytics:
    degree: dict[str, float]
    betweenness: dict[str, float]
    community: dict[str, int]


ANALYSIS_NODES = 1500  # betweenness and communities run on at most this many best-connected nodes
BETWEENNESS_WORK = 2_000_000  # sampled sources × (nodes + edges): bounds the sampled betweenness


def analyse(g: nx.Graph, seed: int = 7) -> Analytics:
    """Degree centrality, and betweenness centrality and communities (Louvain, seeded), on the
    undirected graph. On a graph past ANALYSIS_NODES nodes the last two are computed on the subgraph
    of its ANALYSIS_NODES best-connected nodes (other nodes: betweenness 0, community -1), and
    betweenness samples at most 500 sources, fewer where the graph is large, seeded."""
    simple = nx.Graph(g.to_undirected()) if g.is_directed() or g.is_multigraph() else g
    degree = nx.degree_centrality(simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    core = simple
    if len(simple) > ANALYSIS_NODES:
        core = simple.subgraph(sorted(simple.nodes, key=lambda n: (-simple.degree(n), n))[:ANALYSIS_NODES]).copy()
    k = min(len(core), 500) if len(core) > 500 else None
    if k is not None:
        k = max(50, min(k, BETWEENNESS_WORK // (core.number_of_nodes() + core.number_of_edges())))
    betweenness = {n: 0.0 for n in simple}
    if len(core) > 2:
        betweenness.update(nx.betweenness_centrality(core, k=k, seed=seed))
    communities = nx.community.louvain_communities(core, seed=seed) if core.number_of_edges() else []
    community = {}
    for index, members in enumerate(sorted(communities, key=lambda c: (-len(c), sorted(c)[0]))):
        for member in members:
            community[member] = index
    for node in simple:
        community.setdefault(node, -1)
    return Analytics(degree, betweenness, community)
