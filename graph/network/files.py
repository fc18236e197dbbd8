"""Network exports for Gephi and Cytoscape: GraphML, GEXF, and node and edge lists as CSV."""

from __future__ import annotations

import csv
import io
import re
from xml.sax.saxutils import escape

import networkx as nx


def _xml(value: object) -> str:
    """Text for an XML attribute or element: escaped, and without the characters XML 1.0 forbids."""
    text = str(value)
    if _SPECIAL.search(text) is None:  # most names and IRIs: nothing to do, found in C
        return text
    return escape(_FORBIDDEN.sub("", text), {'"': "&quot;"})


_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def _scalars(data: dict) -> list[tuple[str, object]]:
    """The attributes a GraphML or GEXF file can hold, by name: not None, and not a collection (the
    actions behind an edge are for the pages; the weight says how many there are)."""
    return sorted(
        (k, v) for k, v in data.items() if v is not None and not isinstance(v, tuple | list | set | frozenset)
    )


def _types(items) -> dict[str, str]:
    """Attribute name → GraphML type, from the values (None values and collections are left out)."""
    found: dict[str, str] = {}
    for data in items:
        for name, value in _scalars(data):
            kind = (
                "boolean"
                if isinstance(value, bool)
                else "long"
                if isinstance(value, int)
                else "double"
                if isinstance(value, float)
                else "string"
            )
            if found.get(name, kind) != kind:
                kind = "string"
            found[name] = kind
    return found


def _value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else _xml(value)


def graphml(g: nx.Graph) -> str:
    """GraphML for Gephi, Cytoscape and networkx (attributes typed from their values; a
    multigraph's edge keys as edge ids). Written directly: networkx builds an element tree of the
    whole graph first, which is slow on large graphs."""
    node_types = _types(d for _, d in g.nodes(data=True))
    edge_types = _types(d for *_, d in g.edges(data=True))
    keys = {("node", name): f"n{i}" for i, name in enumerate(sorted(node_types))}
    keys.update({("edge", name): f"e{i}" for i, name in enumerate(sorted(edge_types))})
    lines = [
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
    ]
    for (kind, name), key in keys.items():
        kinds = node_types if kind == "node" else edge_types
        lines.append(f'  <key id="{key}" for="{kind}" attr.name="{_xml(name)}" attr.type="{kinds[name]}" />')
    lines.append(f'  <graph edgedefault="{"directed" if g.is_directed() else "undirected"}">')
    for node, data in g.nodes(data=True):
        values = "".join(f'<data key="{keys["node", k]}">{_value(v)}</data>' for k, v in _scalars(data))
        lines.append(f'    <node id="{_xml(node)}">{values}</node>')
    edges = (
        g.edges(keys=True, data=True)
        if isinstance(g, nx.MultiGraph)
        else ((u, v, None, d) for u, v, d in g.edges(data=True))
    )
    for source, target, edge_key, data in edges:
        ident = f' id="{_xml(edge_key)}"' if edge_key is not None else ""
        values = "".join(f'<data key="{keys["edge", k]}">{_value(v)}</data>' for k, v in _scalars(data))
        lines.append(f'    <edge source="{_xml(source)}" target="{_xml(target)}"{ident}>{values}</edge>')
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"


def gexf(g: nx.Graph) -> str:
    """GEXF 1.2 for Gephi (the node's label attribute as its label, the others as attvalues, edge
    weights as weights). Written directly, as GraphML is; no date, so the same graph gives the same
    bytes on any day."""
    node_types = {k: v for k, v in _types(d for _, d in g.nodes(data=True)).items() if k != "label"}
    edge_types = {k: v for k, v in _types(d for *_, d in g.edges(data=True)).items() if k not in ("label", "weight")}
    gexf_type = {"boolean": "boolean", "long": "long", "double": "double", "string": "string"}
    node_ids = {name: str(i) for i, name in enumerate(sorted(node_types))}
    edge_ids = {name: str(i + len(node_ids)) for i, name in enumerate(sorted(edge_types))}
    lines = [
        '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
        "  <meta>",
        "    <creator>socieux-kg</creator>",
        "  </meta>",
        f'  <graph defaultedgetype="{"directed" if g.is_directed() else "undirected"}" mode="static" name="">',
    ]
    for cls, ids, types in (("edge", edge_ids, edge_types), ("node", node_ids, node_types)):
        if ids:
            lines.append(f'    <attributes mode="static" class="{cls}">')
            lines += [
                f'      <attribute id="{i}" title="{_xml(name)}" type="{gexf_type[types[name]]}" />'
                for name, i in ids.items()
            ]
            lines.append("    </attributes>")
    lines.append("    <nodes>")
    for node, data in g.nodes(data=True):
        values = "".join(
            f'<attvalue for="{node_ids[k]}" value="{_value(v)}" />' for k, v in _scalars(data) if k in node_ids
        )
        label = data.get("label", node)
        body = f"<attvalues>{values}</attvalues>" if values else ""
        lines.append(f'      <node id="{_xml(node)}" label="{_xml(label)}">{body}</node>')
    lines.append("    </nodes>")
    lines.append("    <edges>")
    edges = (
        g.edges(data=True, keys=True)
        if isinstance(g, nx.MultiGraph)
        else ((u, v, None, d) for u, v, d in g.edges(data=True))
    )
    for number, (source, target, _, data) in enumerate(edges):
        extra = f' label="{_xml(data["label"])}"' if data.get("label") is not None else ""
        if data.get("weight") is not None:
            extra += f' weight="{_xml(data["weight"])}"'
        values = "".join(
            f'<attvalue for="{edge_ids[k]}" value="{_value(v)}" />' for k, v in _scalars(data) if k in edge_ids
        )
        body = f"<attvalues>{values}</attvalues>" if values else ""
        lines.append(f'      <edge source="{_xml(source)}" target="{_xml(target)}" id="{number}"{extra}>{body}</edge>')
    lines += ["    </edges>", "  </graph>", "</gexf>"]
    return "\n".join(lines) + "\n"


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
