"""Tables of the graph for reports: top expert and partner countries, institutions, themes,
types of assistance, the most central nodes and the actions per theme per year; the country flows
and the themes by year as SVG pictures."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass

import networkx as nx
from rdflib import RDF, Graph
from rdflib.namespace import SKOS

from graph.namespaces import SOCX
from graph.network.projection import Analytics, analyse
from graph.network.source import Source, term
from graph.network.source import source as read_source
from graph.rdf.triples import TripleSet

_TYPE, _ACTION, _PREF = term(RDF.type), term(SOCX.Action), term(SKOS.prefLabel)
_INSTITUTION, _COUNTRY = term(SOCX.partnerInstitution), term(SOCX.country)
_YEAR, _THEME = term(SOCX.actionYear), term(SOCX.theme)


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[object]]

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buffer.getvalue()

    def text(self, top: int) -> str:
        rows = [[str(c) for c in r] for r in self.rows[:top]]
        widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(self.columns)]
        lines = [self.title, "  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        more = len(self.rows) - top
        return "\n".join(lines + ([f"({more} more in {self.name}.csv)"] if more > 0 else [])) + "\n"


def _count(src: Source, prop: str, label_prop: str) -> list[list[object]]:
    counts: Counter[str] = Counter()
    for action in src.subjects(_TYPE, _ACTION):
        for value in set(src.objects(action, prop)):
            counts[value] += 1
    rows = sorted(((_label(src, v, label_prop), counts[v]) for v in counts), key=lambda r: (-r[1], r[0]))
    return [list(r) for r in rows]


def _label(src: Source, node: str, prop: str) -> str:
    found = src.value(node, prop)
    return src.text(found) if found is not None else src.text(node)


def _institutions(src: Source) -> list[list[object]]:
    """Partner institutions with their country (the English short name; empty when unknown), so
    that the several "Ministry of Health" rows can be told apart."""
    counts: Counter[str] = Counter()
    for action in src.subjects(_TYPE, _ACTION):
        for value in set(src.objects(action, _INSTITUTION)):
            counts[value] += 1
    rows = []
    for institution, count in counts.items():
        country = src.value(institution, _COUNTRY)
        name = _label(src, country, _PREF) if country is not None else ""
        rows.append((_label(src, institution, _PREF), name, count))
    return [list(r) for r in sorted(rows, key=lambda r: (-r[2], r[0], r[1]))]


def themes_by_year(graph: TripleSet | Graph | Source) -> list[list[object]]:
    """(theme, year, actions): the numbers of the ``themes-by-year`` query, in its order."""
    src = read_source(graph)
    counts: Counter[tuple[str, int]] = Counter()
    for action in src.subjects(_TYPE, _ACTION):
        year = src.value(action, _YEAR)
        if year is None:
            continue
        for theme in set(src.objects(action, _THEME)):
            counts[_label(src, theme, _PREF), int(src.text(year))] += 1
    return [[theme, year, counts[theme, year]] for theme, year in sorted(counts)]


def tables(graph: TripleSet | Graph | Source, full: nx.Graph, analytics: Analytics | None = None) -> list[Table]:
    """The tables ``socieux-kg stats`` prints and writes (``analytics``: those of ``full`` when
    already computed)."""
    src = read_source(graph)
    analytics = analytics or analyse(full)
    central = sorted(full.nodes, key=lambda n: (-analytics.betweenness.get(n, 0), n))
    return [
        Table(
            "expert-countries",
            "Expert countries by number of actions (all their actions; the country-flows picture counts only "
            "those with a partner country)",
            ["country", "actions"],
            _count(src, term(SOCX.expertCountry), term(SOCX.isoAlpha3)),
        ),
        Table(
            "partner-countries",
            "Partner countries by number of actions (all their actions; the country-flows picture counts only "
            "those with an expert country)",
            ["country", "actions"],
            _count(src, term(SOCX.partnerCountry), term(SOCX.isoAlpha3)),
        ),
        Table(
            "institutions",
            "Partner institutions by number of actions",
            ["institution", "country", "actions"],
            _institutions(src),
        ),
        Table("themes", "Themes by number of actions", ["theme", "actions"], _count(src, term(SOCX.theme), _PREF)),
        Table(
            "assistance-types",
            "Types of assistance by number of actions",
            ["type", "actions"],
            _count(src, term(SOCX.assistanceType), _PREF),
        ),
        Table(
            "centrality",
            "Most central nodes of the whole graph",
            ["label", "type", "degree_centrality", "betweenness", "community"],
            [
                [
                    full.nodes[n].get("label", n),
                    full.nodes[n]["type"],
                    round(analytics.degree.get(n, 0), 4),
                    round(analytics.betweenness.get(n, 0), 4),
                    analytics.community.get(n, -1),
                ]
                for n in central
            ],
        ),
        Table("themes-by-year", "Actions per theme per year", ["theme", "year", "actions"], themes_by_year(src)),
    ]


def themes_svg(rows: list[list[object]]) -> str:
    """The actions per theme per year (the rows of :func:`themes_by_year`) as a grid: a theme a row,
    most actions first, a year a column, each cell its number of actions, shaded by it; the sums
    of each row and column at the ends (an action on two themes counts in both rows)."""
    counts = {(str(theme), int(str(year))): int(str(n)) for theme, year, n in rows}
    width_label, cell, top = 260, 44, 96
    if not counts:
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="80" viewBox="0 0 640 80" '
            'font-family="sans-serif" font-size="13"><rect width="100%" height="100%" fill="white"/>'
            '<text x="20" y="44">No action has a year: nothing to chart.</text></svg>\n'
        )
    years = list(range(min(y for _, y in counts), max(y for _, y in counts) + 1))
    by_theme: Counter[str] = Counter()
    by_year: Counter[int] = Counter()
    for (theme, year), n in counts.items():
        by_theme[theme] += n
        by_year[year] += n
    themes = sorted(by_theme, key=lambda t: (-by_theme[t], t))
    biggest = max(counts.values())
    row = 22
    width = max(width_label + cell * (len(years) + 1) + 20, 760)
    height = top + row * (len(themes) + 1) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="20" y="26" font-size="15" font-weight="bold">SOCIEUX+ actions per theme per year</text>',
        '<text x="20" y="46" fill="#555">Each cell: the number of actions on the theme that year (the themes-by-year '
        "query); an action counts once per theme.</text>",
        '<text x="20" y="62" fill="#555">Years from the action&#39;s dates, else its own code, else a sentence that '
        "dates it; actions with no year are left out.</text>",
    ]
    for k, year in enumerate(years):
        x = width_label + k * cell + cell / 2
        parts.append(f'<text x="{x:.0f}" y="{top - 8}" text-anchor="middle" font-weight="bold">{year}</text>')
    x_total = width_label + len(years) * cell + cell / 2
    parts.append(f'<text x="{x_total:.0f}" y="{top - 8}" text-anchor="middle" font-weight="bold">all</text>')
    for i, theme in enumerate(themes):
        y = top + i * row
        parts.append(f'<text x="{width_label - 8}" y="{y + 15}" text-anchor="end">{_xml(theme)}</text>')
        for k, year in enumerate(years):
            n = counts.get((theme, year), 0)
            x = width_label + k * cell
            shade = 0.12 + 0.88 * n / biggest if n else 0
            fill = f'fill="#4e79a7" fill-opacity="{shade:.2f}"' if n else 'fill="#f4f5f7"'
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{row - 2}" {fill}>'
                f"<title>{_xml(theme)}, {year}: {n} actions</title></rect>"
            )
            if n:
                colour = "white" if shade > 0.6 else "#222"
                parts.append(
                    f'<text x="{x + cell / 2:.0f}" y="{y + 15}" text-anchor="middle" fill="{colour}">{n}</text>'
                )
        parts.append(
            f'<text x="{x_total:.0f}" y="{y + 15}" text-anchor="middle" font-weight="bold">{by_theme[theme]}</text>'
        )
    y = top + len(themes) * row
    parts.append(f'<text x="{width_label - 8}" y="{y + 15}" text-anchor="end" font-weight="bold">all themes</text>')
    for k, year in enumerate(years):
        parts.append(
            f'<text x="{width_label + k * cell + cell / 2:.0f}" y="{y + 15}" text-anchor="middle" '
            f'font-weight="bold">{by_year[year]}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def flows_svg(flows: nx.DiGraph) -> str:
    """Expert countries on the left, partner countries on the right, bands as wide as the flows.
    Every number is a number of actions, as in the ``country-flows`` query: a band's is the actions
    with both countries, a country's the distinct actions of all its bands (an action with experts
    from two countries counts once for its partner country)."""
    behind: dict[tuple[str, str], set[str]] = {}  # ("expert" or "partner", country) → actions
    for origin, target, data in flows.edges(data=True):
        behind.setdefault(("expert", origin), set()).update(data.get("actions", ()))
        behind.setdefault(("partner", target), set()).update(data.get("actions", ()))
    total = {key: len(actions) for key, actions in behind.items()}
    experts = sorted({s for s, _ in flows.edges}, key=lambda n: (-total["expert", n], n))
    partners = sorted({t for _, t in flows.edges}, key=lambda n: (-total["partner", n], n))
    step, top, width = 18, 60, 900
    height = top + step * max(len(experts), len(partners), 1) + 50
    y_expert = {n: top + i * step for i, n in enumerate(experts)}
    y_partner = {n: top + i * step for i, n in enumerate(partners)}
    biggest = max((d["weight"] for _, _, d in flows.edges(data=True)), default=1)

    def label(node: str) -> str:
        return _xml(flows.nodes[node].get("label", node))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="20" y="24" font-size="15" font-weight="bold">SOCIEUX+ country flows: '
        "expert countries (left) to partner countries (right), by number of actions</text>",
        '<text x="150" y="46" font-weight="bold">expert country</text>',
        f'<text x="{width - 230}" y="46" font-weight="bold">partner country</text>',
        f'<text x="20" y="{height - 12}">The number beside a country counts its actions drawn here: those with both '
        "an expert and a partner country. The tables of socieux-kg stats count all its actions.</text>",
    ]
    for source, target, data in sorted(flows.edges(data=True), key=lambda e: (e[2]["weight"], e[0], e[1])):
        y1, y2, w = y_expert[source] - 4, y_partner[target] - 4, data["weight"]
        stroke = 0.6 + 5 * math.sqrt(w / biggest)
        parts.append(
            f'<path d="M 210 {y1} C 450 {y1}, 450 {y2}, {width - 240} {y2}" fill="none" '
            f'stroke="#4e79a7" stroke-opacity="0.35" stroke-width="{stroke:.2f}">'
            f"<title>{label(source)} to {label(target)}: {w} actions</title></path>"
        )
    for node, y in y_expert.items():
        parts.append(f'<text x="200" y="{y}" text-anchor="end">{label(node)} ({total["expert", node]})</text>')
    for node, y in y_partner.items():
        parts.append(f'<text x="{width - 230}" y="{y}">{label(node)} ({total["partner", node]})</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
