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
from rdflib import RDF, Graph
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS

from graph.namespaces import SOCX
from graph.network.source import TRUE, Source, iri, only_terms, sorted_by_iri, source, term
from graph.rdf.triples import TripleSet

VIEWS = ("full", "country-flows", "expert-collaboration", "institutions-themes", "action-chains")
NODE_TYPES = ("action", "institution", "country", "theme", "assistance-type", "organisation", "news", "action-code")

EDGE_PROPERTIES = {
    term(SOCX.partnerInstitution): ("institution", "partner institution"),
    term(SOCX.expertCountry): ("country", "expert country"),
    term(SOCX.partnerCountry): ("country", "partner country"),
    term(SOCX.studyVisitCountry): ("country", "study visit"),
    term(SOCX.theme): ("theme", "theme"),
    term(SOCX.assistanceType): ("assistance-type", "type of assistance"),
    term(SOCX.cooperatingOrganisation): ("organisation", "cooperating organisation"),
}
RELATIONS = {
    term(SOCX.followUpOf): "follow-up of",
    term(SOCX.buildsOn): "builds on",
    term(SOCX.parallelTo): "parallel to",
    term(SOCX.relatedAction): "related to",
}
ALIASES = tuple(  # every other name a node is found by in a page's search
    term(p)
    for p in (
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
)
_TYPE, _ACTION, _NEWS = term(RDF.type), term(SOCX.Action), term(SOCX.NewsItem)
_NAMES = (term(SKOS.prefLabel), term(DCTERMS.title), term(RDFS.label))
_PREF, _LABEL, _DESCRIPTION, _DERIVED = (
    term(SKOS.prefLabel),
    term(RDFS.label),
    term(DCTERMS.description),
    term(PROV.wasDerivedFrom),
)
_CODE, _ISO3, _EU, _CONTINENT, _COUNTRY = (
    term(SOCX.actionCode),
    term(SOCX.isoAlpha3),
    term(SOCX.euMemberState),
    term(SOCX.continent),
    term(SOCX.country),
)
_MENTIONS, _INSTITUTION, _RELATED_CODE = (
    term(SOCX.mentionsCountry),
    term(SOCX.partnerInstitution),
    term(SOCX.relatedActionCode),
)
_EXPERT, _PARTNER, _THEME = term(SOCX.expertCountry), term(SOCX.partnerCountry), term(SOCX.theme)

Graphs = TripleSet | Graph | Source


def _text(src: Source, node: str, *props: str) -> str:
    for prop in props:
        value = src.value(node, prop)
        if value is not None:
            return src.text(value)
    return iri(node).rsplit("/", 1)[-1]


def _sources(src: Source, node: str) -> str:
    return " | ".join(sorted(_text(src, r, _LABEL) for r in src.objects(node, _DERIVED)))


def _add_node(src: Source, g: nx.Graph, node: str, kind: str) -> str:
    key = iri(node)
    if key not in g:
        label = _text(src, node, *_NAMES)
        attrs: dict[str, object] = {"type": kind, "label": label}
        aliases = {src.text(o) for prop in ALIASES for o in src.objects(node, prop)} - {label}
        if aliases:
            attrs["aliases"] = tuple(sorted(aliases))
        if kind == "action":
            description = src.value(node, _DESCRIPTION)
            attrs["description"] = " ".join(src.text(description).split())[:240] if description else ""
            attrs["sources"] = _sources(src, node)
            code = src.value(node, _CODE)
            if code is not None:
                attrs["code"] = src.text(code)
        elif kind == "country":
            attrs["iso"] = _text(src, node, _ISO3)
            attrs["eu_member"] = src.value(node, _EU) == TRUE
            continent = src.value(node, _CONTINENT)
            if continent is not None:
                attrs["continent"] = src.text(continent)
        elif kind == "institution":
            country = src.value(node, _COUNTRY)
            if country is not None:
                attrs["country"] = _text(src, country, _PREF)
        elif kind == "news":
            attrs["sources"] = _sources(src, node)
        g.add_node(key, **attrs)
    return key


def _actions(src: Source, only: set[str] | None) -> list[str]:
    return [a for a in src.subjects(_TYPE, _ACTION) if only is None or a in only]


def actions_of(graph: Graphs, only: Collection[object] | None = None) -> Iterator[str]:
    """The IRIs of the graph's actions in IRI order (those in ``only`` when it is given)."""
    return (iri(a) for a in _actions(source(graph), only_terms(only)))


def full_graph(graph: Graphs, only: Collection[object] | None = None) -> nx.MultiDiGraph:
    """Every action, institution, country, theme, type of assistance, organisation and news item."""
    src, keep = source(graph), only_terms(only)
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    institutions: dict[str, list[str]] = {}
    for action in _actions(src, keep):
        node = _add_node(src, g, action, "action")
        for prop, (kind, label) in EDGE_PROPERTIES.items():
            for target in sorted_by_iri(src.objects(action, prop)):
                g.add_edge(node, _add_node(src, g, target, kind), key=label, label=label, actions=(node,))
                if prop == _INSTITUTION:
                    institutions.setdefault(target, []).append(node)
        for prop, label in RELATIONS.items():
            for target in sorted_by_iri(src.objects(action, prop)):
                if keep is None or target in keep:
                    ends = tuple(sorted({node, iri(target)}))
                    g.add_edge(node, _add_node(src, g, target, "action"), key=label, label=label, actions=ends)
    for institution in sorted_by_iri(institutions):
        for country in sorted_by_iri(src.objects(institution, _COUNTRY)):
            g.add_edge(
                _add_node(src, g, institution, "institution"),
                _add_node(src, g, country, "country"),
                key="located in",
                label="located in",
                actions=tuple(sorted(set(institutions[institution]))),
            )
    if keep is None:
        for news in src.subjects(_TYPE, _NEWS):
            node = _add_node(src, g, news, "news")
            for country in sorted_by_iri(src.objects(news, _MENTIONS)):
                g.add_edge(node, _add_node(src, g, country, "country"), key="mentions", label="mentions", actions=())
    return g


def _pairs(
    src: Source, left: str, right: str, only: set[str] | None, symmetric: bool = False
) -> dict[tuple[str, str], list[str]]:
    """For each pair (a value of ``left``, a different value of ``right``), the actions with both;
    ``symmetric``: unordered pairs, each once, the smaller IRI first."""
    found: dict[tuple[str, str], list[str]] = {}
    for action in _actions(src, only):
        for b in src.objects(action, right):
            for a in src.objects(action, left):
                if a != b and (not symmetric or iri(a) < iri(b)):
                    found.setdefault((a, b), []).append(iri(action))
    return found


def _weighted(src: Source, g: nx.Graph, pairs: dict, kinds: tuple[str, str], label: str) -> None:
    for (a, b), actions in sorted(pairs.items(), key=lambda item: (iri(item[0][0]), iri(item[0][1]))):
        g.add_edge(
            _add_node(src, g, a, kinds[0]),
            _add_node(src, g, b, kinds[1]),
            weight=len(actions),
            label=label,
            actions=tuple(sorted(actions)),
        )


def country_flows(graph: Graphs, only: Collection[object] | None = None) -> nx.DiGraph:
    """Expert country to partner country, weighted by the number of actions (the ``country-flows``
    named query)."""
    src = source(graph)
    g: nx.DiGraph[str] = nx.DiGraph()
    _weighted(src, g, _pairs(src, _EXPERT, _PARTNER, only_terms(only)), ("country", "country"), "experts to")
    for node in g:
        g.nodes[node]["role"] = (
            "expert"
            if g.out_degree(node) and not g.in_degree(node)
            else ("partner" if g.in_degree(node) and not g.out_degree(node) else "both")
        )
    return g


def expert_collaboration(graph: Graphs, only: Collection[object] | None = None) -> nx.Graph:
    """Expert countries linked when their experts worked on the same action, weighted by the number
    of such actions: which member states deploy together."""
    src = source(graph)
    g: nx.Graph[str] = nx.Graph()
    pairs = _pairs(src, _EXPERT, _EXPERT, only_terms(only), symmetric=True)
    _weighted(src, g, pairs, ("country", "country"), "worked together")
    return g


def institutions_themes(graph: Graphs, only: Collection[object] | None = None) -> nx.Graph:
    """Partner institutions and the themes of their actions, weighted by the number of actions."""
    src = source(graph)
    g: nx.Graph[str] = nx.Graph()
    pairs = _pairs(src, _INSTITUTION, _THEME, only_terms(only))
    _weighted(src, g, pairs, ("institution", "theme"), "theme of its actions")
    return g


def action_chains(graph: Graphs, only: Collection[object] | None = None) -> nx.DiGraph:
    """Actions linked by references; a code whose action is not in the graph is a node of its own."""
    src, keep = source(graph), only_terms(only)
    g: nx.DiGraph[str] = nx.DiGraph()
    for action in _actions(src, keep):
        linked = set()
        for prop, label in RELATIONS.items():
            for target in sorted_by_iri(src.objects(action, prop)):
                own = src.value(target, _CODE)
                if own is not None:
                    linked.add(src.text(own))
                if keep is not None and target not in keep:
                    continue
                ends = tuple(sorted({iri(action), iri(target)}))
                g.add_edge(
                    _add_node(src, g, action, "action"),
                    _add_node(src, g, target, "action"),
                    label=label,
                    actions=ends,
                )
        for code in sorted(src.text(c) for c in src.objects(action, _RELATED_CODE)):
            if code not in linked:
                key = f"code:{code}"
                g.add_node(key, type="action-code", label=code)
                g.add_edge(_add_node(src, g, action, "action"), key, label="refers to", actions=(iri(action),))
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


def project(graph: Graphs, view: str, only: Collection[object] | None = None) -> nx.Graph:
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
BETWEENNESS_WORK = 500_000  # sampled sources × (nodes + edges): bounds the sampled betweenness


def _undirected(g: nx.Graph) -> nx.Graph:
    """``nx.Graph(g.to_undirected())`` without its deep copy of every edge's attributes: the same
    nodes in the same order, one edge per pair with the attributes of the last edge met (the
    analytics read only ``weight``), sharing their values with ``g``."""
    if not (g.is_directed() or g.is_multigraph()):
        return g
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(g.nodes(data=True))
    simple.add_edges_from(g.edges(data=True))
    return simple


def analyse(g: nx.Graph, seed: int = 7, betweenness: bool = True) -> Analytics:
    """Degree centrality, and betweenness centrality and communities (Louvain, seeded), on the
    undirected graph. On a graph past ANALYSIS_NODES nodes the last two are computed on the subgraph
    of its ANALYSIS_NODES best-connected nodes (other nodes: betweenness 0, community -1), and
    betweenness samples at most 500 sources, fewer where the graph is large, seeded.
    ``betweenness=False`` leaves it out (empty): the pages need only the communities, and sampled
    betweenness costs seconds on a thousand nodes."""
    simple = _undirected(g)
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
