"""Node positions computed when a page is written, so that the page opens already laid out.

``force_layout`` is a ForceAtlas2-style layout (repulsion by degree, linear attraction along links,
gravity) in numpy, seeded, with a fixed number of steps: the same graph gives the same positions
byte for byte. A large connected component is laid out in two levels, which keeps it to a few
seconds at a thousand nodes (a plain all-pairs layout costs a tenth of a second a step there):
its communities first, as one node each, then each community's members around its place.
Components are packed side by side, largest first. ``map_layout`` puts countries at their
geographic position (``graph.network.geo``), pushed apart just enough not to overlap.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

SEED = 7
SPACING = 40.0  # canvas units between the centres of two neighbouring small nodes
DIRECT = 250  # components up to this many nodes are laid out in one level


def _forces(
    n: int,
    edges: np.ndarray,
    weights: np.ndarray,
    mass: np.ndarray,
    radius: np.ndarray,
    start: np.ndarray,
    steps: int,
) -> np.ndarray:
    """ForceAtlas2's forces (repulsion ``mass_i * mass_j / d``, attraction ``w * d`` along links,
    gravity ``mass``) with a cooling step; in the last third node radii count as distance, so that
    nodes stop overlapping. Positions in units of SPACING."""
    pos = start.astype(np.float64)
    if n == 1:
        return pos * 0
    temperature = max(1.0, math.sqrt(n))
    for step in range(steps):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta**2).sum(-1)) + 1e-9
        gap = dist
        if step > steps * 2 // 3:
            gap = np.maximum(dist - (radius[:, None] + radius[None, :]), 0.05)
        np.fill_diagonal(gap, np.inf)
        repulsion = (mass[:, None] * mass[None, :]) / (gap * dist)
        disp = np.einsum("ijk,ij->ik", delta, repulsion)
        if len(edges):
            pull = (pos[edges[:, 1]] - pos[edges[:, 0]]) * weights[:, None]
            np.add.at(disp, edges[:, 0], pull)
            np.add.at(disp, edges[:, 1], -pull)
        norm = np.sqrt((pos**2).sum(-1)) + 1e-9
        disp -= 0.5 * (mass / norm)[:, None] * pos
        length = np.sqrt((disp**2).sum(-1)) + 1e-9
        limit = temperature * (1 - step / steps) + 0.05
        pos += disp * (np.minimum(length, limit) / length)[:, None]
    return pos - pos.mean(0)


def _lay(g: nx.Graph, nodes: list, radius: dict, steps: int, rng: np.random.Generator) -> dict:
    """One level: positions (in SPACING units, centred) of ``nodes`` under the links among them."""
    index = {node: i for i, node in enumerate(nodes)}
    pairs, weights = [], []
    for a, b, data in g.edges(nodes, data=True):
        if a in index and b in index and a != b:
            pairs.append((index[a], index[b]))
            weights.append(1 + math.log(data.get("weight", 1)))
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    degree = np.bincount(edges.ravel(), minlength=len(nodes)).astype(np.float64)
    start = rng.random((len(nodes), 2)) * math.sqrt(len(nodes)) * 2
    pos = _forces(
        len(nodes),
        edges,
        np.array(weights, dtype=np.float64) * 0.2,
        degree + 1,
        np.array([radius[node] for node in nodes]),
        start,
        steps,
    )
    return {node: pos[index[node]] for node in nodes}


def _steps(n: int) -> int:
    """Steps of the layout of n nodes: a few nodes settle in far fewer than a crowd."""
    return 300 if n > 24 else 100


def _component(g: nx.Graph, nodes: list, radius: dict, community: dict, rng: np.random.Generator) -> dict:
    if len(nodes) <= DIRECT:
        return _lay(g, nodes, radius, _steps(len(nodes)), rng)
    groups: dict[int, list] = {}
    for node in nodes:
        groups.setdefault(community.get(node, -1), []).append(node)
    # the community graph: one node per community, as big as its members, linked by their links
    coarse: nx.Graph[int] = nx.Graph()
    member_of = {node: key for key, members in groups.items() for node in members}
    coarse.add_nodes_from(groups)
    for a, b, data in g.edges(nodes, data=True):
        ka, kb = member_of.get(a), member_of.get(b)
        if ka is not None and kb is not None and ka != kb:
            previous = coarse.get_edge_data(ka, kb, {"weight": 0})["weight"]
            coarse.add_edge(ka, kb, weight=previous + data.get("weight", 1))
    sizes = {key: math.sqrt(len(members)) * 1.6 for key, members in groups.items()}
    centres = _lay(coarse, sorted(groups), sizes, 300, rng)
    found = {}
    for key in sorted(groups):
        members = sorted(groups[key])
        inner = _lay(g, members, radius, _steps(len(members)) if len(members) <= DIRECT else 120, rng)
        spread = max((np.sqrt((p**2).sum()) for p in inner.values()), default=1.0) or 1.0
        scale = min(1.0, sizes[key] / spread)
        for node, p in inner.items():
            found[node] = centres[key] * 1.6 + p * scale
    return found


def force_layout(
    g: nx.Graph,
    size: dict[str, float],
    community: dict[str, int] | None = None,
    seed: int = SEED,
) -> dict[str, tuple[int, int]]:
    """Canvas positions (whole units) for every node of ``g``; ``size``: node radii on the canvas."""
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    for a, b, data in g.edges(data=True):
        weight = data.get("weight", 1)
        if simple.has_edge(a, b):
            simple[a][b]["weight"] += weight
        else:
            simple.add_edge(a, b, weight=weight)
    rng = np.random.default_rng(seed)
    radius = {node: size[node] / SPACING for node in simple}
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    placed: dict = {}
    # shelf packing: components left to right in rows about as wide as the largest is, or as
    # wide as the square root of the total area
    laid = [_component(simple, nodes, radius, community or {}, rng) for nodes in components]
    boxes = []
    for positions in laid:
        points = np.array(list(positions.values()))
        pad = max(radius[n] for n in positions) + 0.8
        low, high = points.min(0) - pad, points.max(0) + pad
        boxes.append((low, high))
    area = sum(float(np.prod(high - low)) for low, high in boxes)
    width = max(float(boxes[0][1][0] - boxes[0][0][0]), math.sqrt(area) * 1.3) if boxes else 0
    x = y = row = 0.0
    for positions, (low, high) in zip(laid, boxes, strict=True):
        w, h = high - low
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        for node, p in positions.items():
            placed[node] = (x + p[0] - low[0], y + p[1] - low[1])
        x += w
        row = max(row, h)
    if not placed:
        return {}
    names = sorted(placed)
    points = np.array([placed[n] for n in names]) * SPACING
    points -= points.mean(0)
    # as dense as the nodes allow: the median distance to the nearest neighbour about two node
    # sizes, so that the nodes are seen when the whole view is fitted to the window
    if len(names) > 2:
        nearest = []
        for start in range(0, len(names), 500):
            block = points[start : start + 500]
            dist = np.sqrt(((block[:, None, :] - points[None, :, :]) ** 2).sum(-1))
            dist[np.arange(len(block)), np.arange(start, start + len(block))] = np.inf
            nearest.append(dist.min(1))
        typical = float(np.median(np.concatenate(nearest)))
        wanted = 2 * float(np.median([size[n] for n in names])) + 20
        if typical > 0:
            points *= min(3.0, max(0.3, wanted / typical))
    return {node: (round(points[i][0]), round(points[i][1])) for i, node in enumerate(names)}


def map_layout(
    anchors: dict[str, tuple[float, float]], size: dict[str, float], steps: int = 80, reach: float = 36.0
) -> dict[str, tuple[int, int]]:
    """Countries at their projected positions (``anchors``, canvas units), nudged apart where their
    discs overlap, by at most ``reach`` units: Europe's small neighbours part a little, and no
    country leaves its place on the map."""
    nodes = sorted(anchors)
    if not nodes:
        return {}
    anchor = np.array([anchors[n] for n in nodes], dtype=np.float64)
    radius = np.array([min(size[n], 20.0) * 0.8 + 2 for n in nodes], dtype=np.float64)
    # a fixed small offset per node, so that two countries given the same point can part
    pos = anchor + np.stack([np.cos(np.arange(len(nodes))), np.sin(np.arange(len(nodes)))], 1) * 0.5
    for _ in range(steps):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta**2).sum(-1))
        np.fill_diagonal(dist, np.inf)
        overlap = np.maximum(radius[:, None] + radius[None, :] - dist, 0)
        direction = delta / np.maximum(dist, 1e-6)[..., None]
        share = radius[None, :] / (radius[:, None] + radius[None, :])  # the smaller node moves more
        pos += (direction * (overlap * share)[..., None]).sum(1) * 0.25
        offset = pos - anchor
        length = np.sqrt((offset**2).sum(-1))
        pos = anchor + offset * np.minimum(1.0, reach / np.maximum(length, 1e-9))[:, None]
    return {node: (round(pos[i][0]), round(pos[i][1])) for i, node in enumerate(nodes)}
