"""Network exports for Gephi and Cytoscape: GraphML, GEXF, and node and edge lists as CSV."""

from __future__ import annotations

import csv
import io
import re

import networkx as nx


def _clean(g: nx.Graph) -> nx.Graph:
    """A copy whose attributes GraphML and GEXF can hold (no None)."""
    out = g.copy()
    for _, data in out.nodes(data=True):
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
    return out


def graphml(g: nx.Graph) -> str:
    return "\n".join(nx.generate_graphml(_clean(g))) + "\n"


def gexf(g: nx.Graph) -> str:
    text = "\n".join(nx.generate_gexf(_clean(g))) + "\n"
    return re.sub(r' lastmodifieddate="[^"]*"', "", text)  # the same graph gives the same bytes on any day


def node_list(g: nx.Graph) -> str:
    columns = ["id", "type", "label", "degree"] + sorted(
        {k for _, d in g.nodes(data=True) for k in d} - {"type", "label"}
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for node in sorted(g.nodes):
        data = g.nodes[node]
        writer.writerow(
            [node, data.get("type", ""), data.get("label", ""), g.degree(node)] + [data.get(c, "") for c in columns[4:]]
        )
    return buffer.getvalue()


def edge_list(g: nx.Graph) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "target", "label", "weight"])
    rows = sorted((s, t, d.get("label", ""), d.get("weight", 1)) for s, t, d in g.edges(data=True))
    writer.writerows(rows)
    return buffer.getvalue()
