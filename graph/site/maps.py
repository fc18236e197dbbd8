"""The small map of a country's page: the land outline (one file the site shares, ``assets/world.svg``)
with the country, the countries its experts came from and the countries its experts went to, on
the Equal Earth projection the network views use (:mod:`graph.network.geo`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from graph.network import geo
from graph.site.links import Linker
from graph.site.resources import ISO3, Resources

MARGIN = 40


@cache
def bounds() -> tuple[int, int, int, int]:
    """x, y, width, height of the outline, with a margin."""
    xs = [x for ring in geo.outline() for x in ring[0::2]]
    ys = [y for ring in geo.outline() for y in ring[1::2]]
    left, top = min(xs) - MARGIN, min(ys) - MARGIN
    return left, top, max(xs) + MARGIN - left, max(ys) + MARGIN - top


def world_svg() -> str:
    """The land outline as an SVG file."""
    x, y, width, height = bounds()
    paths = []
    for ring in geo.outline():
        points = " ".join(f"{ring[i]} {ring[i + 1]}" for i in range(0, len(ring), 2))
        paths.append(f"M{points}Z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x} {y} {width} {height}" width="{width}" height="{height}">'
        f'<path fill="#e6e8eb" stroke="#b9bec6" stroke-width="2" d="{" ".join(paths)}"/></svg>\n'
    )


@dataclass
class Point:
    x: float
    y: float
    r: float
    label: str
    href: str | None
    role: str  # "self", "from" (experts came from there), "to" (experts went there)


@dataclass
class CountryMap:
    box: tuple[int, int, int, int]
    world: str  # href of assets/world.svg
    points: list[Point]
    lines: list[tuple[float, float, float, float, str]]  # x1, y1, x2, y2, role
    summary: str


def country_map(
    resources: Resources, node: str, came_from: Counter, went_to: Counter, linker: Linker
) -> CountryMap | None:
    """The map of a country's page; None where the reference data does not place it."""
    where = geo.positions()

    def position(country: str) -> tuple[float, float] | None:
        code = resources.value(country, ISO3)
        found = where.get(resources.text(code)) if code else None
        return geo.project(*found) if found else None

    home = position(node)
    if home is None:
        return None
    points, lines = [], []
    heaviest = max([*came_from.values(), *went_to.values(), 1])
    for counter, role in ((came_from, "from"), (went_to, "to")):
        for country, count in sorted(counter.items()):
            at = position(country)
            if at is None or country == node:
                continue
            radius = round(14 + 34 * (count / heaviest) ** 0.5, 1)
            points.append(
                Point(
                    round(at[0], 1),
                    round(at[1], 1),
                    radius,
                    f"{resources.label(country)}: {count}",
                    linker.node(country),
                    role,
                )
            )
            ends = (at, home) if role == "from" else (home, at)
            lines.append((round(ends[0][0], 1), round(ends[0][1], 1), round(ends[1][0], 1), round(ends[1][1], 1), role))
    points.append(Point(round(home[0], 1), round(home[1], 1), 22, resources.label(node), None, "self"))
    name = resources.label(node)
    summary = (
        f"Map: {name}; experts came to it from {len(came_from)} countries and went from it to "
        f"{len(went_to)} countries (the lists below give them all)"
    )
    return CountryMap(bounds(), linker.file("assets/world.svg"), points, lines, summary)
