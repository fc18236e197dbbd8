"""Every network output of a build: the views (views/*.html), the Gephi files (network/) and the
statistics (stats/), rendered as text."""

from __future__ import annotations

from rdflib import Graph

from graph.network import files, pages, stats
from graph.network.actions import action_facts
from graph.network.projection import VIEWS, actions_of, analyse, country_flows, project
from graph.network.source import Source, source
from graph.rdf.triples import TripleSet


def network_outputs(graph: TripleSet | Graph | Source) -> dict[str, str]:
    """The network views (views/*.html), the Gephi exports (network/) and the statistics (stats/)."""
    rendered: dict[str, str] = {}
    graph = source(graph)  # indexed once, read by every projection
    # country_flows is what project(graph, "country-flows") runs, typed as the DiGraph flows_svg takes
    flows = country_flows(graph)
    projections = {view: flows if view == "country-flows" else project(graph, view) for view in VIEWS}
    full = projections["full"]
    analytics = analyse(full)  # for the statistics, and for the full view's page when it is not capped
    facts = action_facts(graph, actions_of(graph))  # read once, for every page
    for view, g in projections.items():
        rendered[f"views/{view}.html"] = pages.page(g, view, facts, analytics if view == "full" else None)
    rendered["network/socieux.graphml"] = files.graphml(full)
    rendered["network/socieux.gexf"] = files.gexf(full)
    rendered["network/nodes.csv"] = files.node_list(full)
    rendered["network/edges.csv"] = files.edge_list(full)
    rendered["network/country-flows.graphml"] = files.graphml(projections["country-flows"])
    for table in stats.tables(graph, full, analytics):
        rendered[f"stats/{table.name}.csv"] = table.csv()
        if table.name == "themes-by-year":
            rendered["stats/themes-by-year.svg"] = stats.themes_svg(table.rows)
    rendered["stats/country-flows.svg"] = stats.flows_svg(flows)
    return rendered
