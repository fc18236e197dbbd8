"""What each page shows, gathered from the graph: plain data (texts, hrefs, counts) that the templates
in ``templates/`` lay out. One function a kind of page.

Every page lists what it says with where it comes from: an action's facts each with the sentence
it was read from (or the line of the page, for the partner, the types and the dates), its file
and line; the other pages list the actions behind what they count, each linked to its page.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources as package_files
from urllib.parse import quote

from markupsafe import escape
from rdflib.namespace import DCTERMS, SKOS

from graph.namespaces import PREFIXES, SOCX
from graph.rdf import terms
from graph.site.links import Linker
from graph.site.resources import (
    DERIVED,
    EVIDENCE,
    KINDS,
    LABEL,
    OBJECT,
    PART_OF,
    PREDICATE,
    PREF,
    TYPE,
    P,
    Resources,
    sort_by_label,
)

PAGE_ROWS = 1000  # rows of a kind's list a page holds; more go on further pages (id/action.2...)


def _t(iri: object) -> str:
    return terms.iri(str(iri))


_ALT, _HIDDEN, _DEFINITION, _BROADER = _t(SKOS.altLabel), _t(SKOS.hiddenLabel), _t(SKOS.definition), _t(SKOS.broader)
_EXACT, _DESCRIPTION = _t(SKOS.exactMatch), _t(DCTERMS.description)
_RELATIONS = (P["followUpOf"], P["buildsOn"], P["parallelTo"], P["relatedAction"])
_INVERSE = {
    P["followUpOf"]: "followed up by",
    P["buildsOn"]: "built on by",
    P["parallelTo"]: "in parallel to",
    P["relatedAction"]: "referred to by",
}


def _expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return _t(str(PREFIXES[prefix]) + local)


@dataclass(frozen=True)
class Settings:
    """``site.toml``: the facts of an action in order, the properties shown elsewhere, the line of
    the page each fact without evidence was read from, labels, and the views each kind links to."""

    facts: tuple[str, ...]
    hidden: frozenset[str]
    lines: dict[str, str]
    labels: dict[str, str]
    views: dict[str, tuple[str, ...]]
    view_titles: dict[str, str]

    @classmethod
    def load(cls) -> Settings:
        data = tomllib.loads((package_files.files("graph.site") / "site.toml").read_text(encoding="utf-8"))
        action = data["action"]
        from graph.rdf.mapping import reference_triples

        labels = {_expand(k): v for k, v in data["labels"].items()}
        for s, p, o in reference_triples("socieux.ttl"):
            if p == LABEL and s.startswith("<" + str(SOCX)):
                labels.setdefault(s, terms.lexical(o))
        return cls(
            facts=tuple(_expand(p) for p in action["facts"]),
            hidden=frozenset(_expand(p) for p in action["hidden"]),
            lines={_expand(k): _expand(v) for k, v in action["lines"].items()},
            labels=labels,
            views={kind: tuple(views) for kind, views in data["views"].items()},
            view_titles=data["view_titles"],
        )

    def label(self, predicate: str) -> str:
        found = self.labels.get(predicate)
        if found is None:
            iri = terms.iri_value(predicate)
            found = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        return found


@dataclass
class Link:
    """A value on a page: its text, linked where it has a page; rendered by the templates as it is
    (``__html__``), escaped."""

    text: str
    href: str | None = None  # None: no page to link to
    note: str = ""  # a few words after the link (a language, a country...)

    def __html__(self) -> str:
        key = (self.text, self.href, self.note)
        html = _LINKS.get(key)
        if html is None:
            text = escape(self.text)
            html = f'<a href="{escape(self.href)}">{text}</a>' if self.href else str(text)
            if self.note:
                html += f' <span class="note">({escape(self.note)})</span>'
            if len(_LINKS) > 200_000:
                _LINKS.clear()
            _LINKS[key] = html
        return html


_LINKS: dict[tuple[str, str | None, str], str] = {}  # each link's HTML, made once


@dataclass
class Evidence:
    sentence: str
    where: str  # FILE:LINE
    href: str | None  # to the line on the document's page
    rule: str = ""
    detail: str = ""
    anchor: str = ""  # the evidence node's anchor on the action's page


@dataclass
class Fact:
    label: str
    value: Link
    evidence: list[Evidence] = field(default_factory=list)
    lines: list[Link] = field(default_factory=list)  # lines of the page it was read from (no sentence)
    anchor: str = ""


@dataclass
class Count:
    link: Link
    count: int


@dataclass
class ActionRow:
    title: Link
    year: str
    partner_country: Link | None
    institutions: list[Link]
    html: str = ""  # its row in a table of actions, as the template writes it (made once a folder)

    def __html__(self) -> str:
        return self.html


@dataclass
class Page:
    """One page: its location, template, title and what the template lays out."""

    location: str
    template: str
    title: str
    node: str | None = None  # the resource it describes (its IRI gives the RDF formats)
    data: dict = field(default_factory=dict)


class Gatherer:
    """Gathers what a page shows, for one graph; cached facts of each resource are shared by pages."""

    def __init__(self, resources: Resources, views: dict[str, set[str]] | None = None) -> None:
        self.r = resources
        self.settings = Settings.load()
        self.views = views or {}
        self.row_html: Callable[[ActionRow], str] | None = None  # the template's row of a table of actions
        self._rows: dict[tuple[str, str], ActionRow] = {}

    # ------------------------------------------------------------------ small pieces

    def link(self, linker: Linker, node: str, note: str = "") -> Link:
        return Link(self.r.label(node), linker.node(node) if node[0] == "<" else None, note)

    def links(self, linker: Linker, nodes: Iterable[str]) -> list[Link]:
        return [self.link(linker, n) for n in sort_by_label(self.r, nodes)]

    def counts(self, linker: Linker, counter: Counter) -> list[Count]:
        label = self.r.label
        ordered = sorted(counter.items(), key=lambda item: (-item[1], label(item[0]).casefold(), item[0]))
        return [Count(self.link(linker, node), count) for node, count in ordered]

    def where(self, linker: Linker, file: str | None, line: str | None) -> tuple[str, str | None]:
        """``FILE:LINE`` and the href of that line on the document's page."""
        if file is None or line is None:
            return "", None
        file_text, line_text = self.r.text(file), self.r.text(line)
        document = self.documents.get(file_text)
        href = None
        if document is not None:
            place = self.r.place(document)
            if place is not None:
                anchored = (file_text, line_text) in self.anchored_lines
                href = linker.page(place.page, f"line/{line_text}" if anchored else "")
        return f"{file_text}:{line_text}", href

    @cached_property
    def anchored_lines(self) -> set[tuple[str, str]]:
        """(file, line) of every line a document's page has an anchor for: each line of its entries."""
        found = set()
        for record in (n for n, kind in self.r.kind.items() if kind == "source"):
            file = self.r.value(record, P["sourceFile"])
            if file is None:
                continue
            for predicate, objects in self.r.spo.get(record, {}).items():
                if predicate == P["layout"]:
                    continue
                for line in objects:
                    if line[0] == '"':
                        found.add((self.r.text(file), self.r.text(line)))
        return found

    @cached_property
    def documents(self) -> dict[str, str]:
        """source file name → its document node."""
        return {self.r.text(f): d for d in self.r.by_kind["document"] if (f := self.r.value(d, P["sourceFile"]))}

    def year(self, action: str) -> str:
        years = sorted(self.r.text(y) for y in self.r.objects(action, P["actionYear"]))
        return ", ".join(years)

    def years(self, actions: Iterable[str]) -> list[Count]:
        """Actions per year (a year's actions once each), years in order; actions with no year last."""
        counter: Counter = Counter()
        for action in actions:
            found = {self.r.text(y)[:4] for y in self.r.objects(action, P["actionYear"])}
            for year in found or {""}:
                counter[year] += 1
        if set(counter) <= {""}:
            return []
        return [
            Count(Link(year or "year unknown"), counter[year]) for year in sorted(counter, key=lambda y: (y == "", y))
        ]

    def action_rows(self, linker: Linker, actions: Iterable[str]) -> list[ActionRow]:
        """Rows of a table of actions, by title. An action's row is made once for the pages of a
        folder (a country's page, a theme's... list the same actions from one folder): at a hundred
        times the seeds these tables hold most of what the big pages show."""
        rows = []
        cache = self._rows
        for action in sort_by_label(self.r, actions):
            row = cache.get((linker.folder, action))
            if row is None:
                partner = self.r.value(action, P["partnerCountry"])
                row = ActionRow(
                    self.link(linker, action),
                    self.year(action),
                    self.link(linker, partner) if partner else None,
                    self.links(linker, self.r.objects(action, P["partnerInstitution"])),
                )
                if self.row_html is not None:
                    row.html = self.row_html(row)
                if len(cache) > 200_000:
                    cache.clear()
                cache[(linker.folder, action)] = row
            rows.append(row)
        return rows

    def view_links(self, linker: Linker, node: str, kind: str) -> list[Link]:
        """Links into the network views that draw the node, opened on it."""
        iri = terms.iri_value(node)
        found = []
        for view in self.settings.views.get(kind, ()):
            if iri in self.views.get(view, ()):
                href = linker.file(f"views/{view}.html") + "#node=" + quote(iri, safe="")
                found.append(Link(self.settings.view_titles[view], href))
        return found

    def others(self, linker: Linker, node: str, shown: Iterable[str]) -> list[Fact]:
        """The resource's statements a page does not show otherwise, by property label."""
        skip = set(shown)
        rows = []
        for predicate, objects in self.r.spo.get(node, {}).items():
            if predicate in skip:
                continue
            label = self.settings.label(predicate)
            for obj in objects:
                rows.append(Fact(label, self.value_link(linker, obj)))
        rows.sort(key=lambda f: (f.label.casefold(), f.value.text.casefold(), f.value.href or ""))
        return rows

    def value_link(self, linker: Linker, obj: str) -> Link:
        if obj[0] == '"':
            text, language, _ = terms.split_literal(obj)
            return Link(text, None, language if language and language != "en" else "")
        href = linker.node(obj)
        if href is None and obj[0] == "<" and terms.iri_value(obj).startswith(("http://", "https://")):
            href = terms.iri_value(obj)  # an IRI of another publisher (the EU's, Wikidata's): its own address
        return Link(self.r.label(obj), href)

    # ------------------------------------------------------------------ pages of one resource

    def page_for(self, node: str, location: str, linker: Linker) -> Page:
        kind = self.r.kind.get(node, "")
        maker = {
            "action": self.action,
            "institution": self.institution,
            "country": self.country,
            "theme": self.concept,
            "assistance-type": self.concept,
            "organisation": self.partaker,
            "programme": self.partaker,
            "news": self.news,
            "document": self.document,
        }.get(kind, self.generic)
        page = maker(node, linker)
        page.location, page.node = location, node
        page.data.setdefault("kind", KINDS[kind].singular if kind in KINDS else "Resource")
        page.data.setdefault("iri", terms.iri_value(node))
        page.data["views"] = self.view_links(linker, node, kind)
        return page

    def action(self, node: str, linker: Linker) -> Page:
        r, settings = self.r, self.settings
        evidence: dict[tuple[str, str], list[tuple[str, Evidence]]] = {}
        for ev in r.objects(node, EVIDENCE):
            predicate, obj = r.value(ev, PREDICATE), r.value(ev, OBJECT)
            sentence = r.value(ev, P["sentence"])
            if predicate is None or obj is None:
                continue
            where, href = self.where(linker, r.value(ev, P["sourceFile"]), r.value(ev, P["line"]))
            rule, detail = r.value(ev, P["rule"]), r.value(ev, P["detail"])
            place = r.place(ev)
            evidence.setdefault((predicate, obj), []).append(
                (
                    ev,
                    Evidence(
                        " ".join(r.text(sentence).split()) if sentence else "",
                        where,
                        href,
                        r.text(rule) if rule else "",
                        r.text(detail) if detail else "",
                        place.anchor if place else "",
                    ),
                )
            )
        records = sorted(r.objects(node, DERIVED), key=lambda rec: r.label(rec))
        record_lines: dict[str, list[Link]] = {}  # line property → the lines, in every source record
        for record in records:
            file = r.value(record, P["sourceFile"])
            for predicate, objects in r.spo.get(record, {}).items():
                for line in objects:
                    if predicate in (P["line"], P["layout"]) or line[0] != '"':
                        continue
                    text, href = self.where(linker, file, line)
                    record_lines.setdefault(predicate, []).append(Link(text, href))
        facts: list[Fact] = []
        predicates = r.spo.get(node, {})
        order = list(settings.facts) + sorted(
            p for p in predicates if p not in settings.facts and p not in settings.hidden
        )
        for predicate in order:
            values = sorted(predicates.get(predicate) or (), key=lambda o: (r.label(o).casefold(), o))
            for obj in values:
                found = evidence.get((predicate, obj), [])
                lines = [] if found else record_lines.get(settings.lines.get(predicate, ""), [])
                facts.append(
                    Fact(
                        settings.label(predicate),
                        self.value_link(linker, obj),
                        [e for _, e in found],
                        lines,
                        found[0][1].anchor if found else "",
                    )
                )
        inbound = []
        for subject, predicate in r.inbound.get(node, ()):
            if predicate in _INVERSE and r.kind.get(subject) == "action":
                inbound.append(Fact(_INVERSE[predicate], self.link(linker, subject)))
        inbound.sort(key=lambda f: (f.label, f.value.text.casefold()))
        title = r.label(node)
        description = r.value(node, _DESCRIPTION)
        sources = []
        for record in records:
            place = r.place(record)
            layout = r.value(record, P["layout"])
            sources.append(Link(r.label(record), linker.place(place), r.text(layout) + " layout" if layout else ""))
        code = r.value(node, P["actionCode"])
        return Page(
            "",
            "action.html",
            title,
            data={
                "code": r.text(code) if code else "",
                "year": self.year(node),
                "description": r.text(description) if description else "",
                "description_lines": record_lines.get(settings.lines[_t(DCTERMS.description)], []),
                "title_lines": record_lines.get(settings.lines[_t(DCTERMS.title)], []),
                "facts": facts,
                "inbound": inbound,
                "sources": sources,
            },
        )

    def institution(self, node: str, linker: Linker) -> Page:
        r = self.r
        actions = list(r.subjects(P["partnerInstitution"], node))
        experts: Counter = Counter()
        themes: Counter = Counter()
        for action in actions:
            experts.update(set(r.objects(action, P["expertCountry"])))
            themes.update(set(r.objects(action, P["theme"])))
        country = r.value(node, P["country"])
        names = []
        for predicate, what in (
            (PREF, "name"),
            (_ALT, "other name"),
            (P["originalName"], "original-language name"),
            (P["acronym"], "acronym"),
            (_HIDDEN, "as written on a page"),
        ):
            for value in sorted(r.objects(node, predicate), key=lambda v: (r.text(v).casefold(), v)):
                names.append(Fact(what, self.value_link(linker, value)))
        return Page(
            "",
            "institution.html",
            r.label(node),
            data={
                "country": self.link(linker, country) if country else None,
                "names": names,
                "actions": self.action_rows(linker, actions),
                "years": self.years(actions),
                "experts": self.counts(linker, experts),
                "themes": self.counts(linker, themes),
                "others": self.others(
                    linker, node, (TYPE, PREF, _ALT, P["originalName"], P["acronym"], _HIDDEN, LABEL, P["country"])
                ),
            },
        )

    def country(self, node: str, linker: Linker) -> Page:
        from graph.site.maps import country_map

        r = self.r
        as_partner = list(r.subjects(P["partnerCountry"], node))
        as_expert = list(r.subjects(P["expertCountry"], node))
        as_visit = list(r.subjects(P["studyVisitCountry"], node))
        partner_experts: Counter = Counter()
        partner_themes: Counter = Counter()
        for action in as_partner:
            partner_experts.update(set(r.objects(action, P["expertCountry"])))
            partner_themes.update(set(r.objects(action, P["theme"])))
        # the country's institutions, each with all its actions
        partner_institutions = Counter(
            {
                i: len(r.subjects(P["partnerInstitution"], i))
                for i in r.subjects(P["country"], node)
                if r.kind.get(i) == "institution"
            }
        )
        expert_partners: Counter = Counter()
        expert_themes: Counter = Counter()
        colleagues: Counter = Counter()
        for action in as_expert:
            expert_partners.update(set(r.objects(action, P["partnerCountry"])))
            expert_themes.update(set(r.objects(action, P["theme"])))
            colleagues.update(set(r.objects(action, P["expertCountry"])) - {node})
        news = [n for n in r.subjects(P["mentionsCountry"], node) if r.kind.get(n) == "news"]
        facts = []
        for predicate in (
            P["isoAlpha3"],
            P["isoAlpha2"],
            P["officialName"],
            P["continent"],
            P["capital"],
            P["demonym"],
            P["euMemberState"],
            _ALT,
            _EXACT,
        ):
            for value in sorted(r.objects(node, predicate)):
                link = self.value_link(linker, value)
                if predicate == P["euMemberState"]:
                    link = Link("yes" if r.text(value) == "true" else "no")
                facts.append(Fact(self.settings.label(predicate), link))
        facts.append(Fact("EU authority table", Link(terms.iri_value(node), terms.iri_value(node))))
        return Page(
            "",
            "country.html",
            r.label(node),
            data={
                "facts": facts,
                "map": country_map(r, node, partner_experts, expert_partners, linker),
                "partner": {
                    "count": len(as_partner),
                    "actions": self.action_rows(linker, as_partner),
                    "institutions": self.counts(linker, partner_institutions),
                    "experts": self.counts(linker, partner_experts),
                    "themes": self.counts(linker, partner_themes),
                    "years": self.years(as_partner),
                },
                "expert": {
                    "count": len(as_expert),
                    "actions": self.action_rows(linker, as_expert),
                    "partners": self.counts(linker, expert_partners),
                    "themes": self.counts(linker, expert_themes),
                    "colleagues": self.counts(linker, colleagues),
                    "years": self.years(as_expert),
                },
                "visit": {"count": len(as_visit), "actions": self.action_rows(linker, as_visit)},
                "news": self.links(linker, news),
            },
        )

    def concept(self, node: str, linker: Linker) -> Page:
        r = self.r
        predicate = P["theme"] if r.kind.get(node) == "theme" else P["assistanceType"]
        actions = [a for a in r.subjects(predicate, node) if r.kind.get(a) == "action"]
        definition = r.value(node, _DEFINITION)
        narrower = [n for n, p in r.inbound.get(node, ()) if p == _BROADER]
        partners: Counter = Counter()
        for action in actions:
            partners.update(set(r.objects(action, P["partnerCountry"])))
        return Page(
            "",
            "concept.html",
            r.label(node),
            data={
                "definition": r.text(definition) if definition else "",
                "broader": self.links(linker, r.objects(node, _BROADER)),
                "narrower": self.links(linker, narrower),
                "actions": self.action_rows(linker, actions),
                "years": self.years(actions),
                "partners": self.counts(linker, partners),
                "others": self.others(
                    linker, node, (TYPE, PREF, _DEFINITION, _BROADER, LABEL, _HIDDEN, _t(SOCX.weakCue))
                ),
            },
        )

    def partaker(self, node: str, linker: Linker) -> Page:
        """A cooperating organisation or programme: its names, and its actions with the role read."""
        r = self.r
        predicate = P["cooperatingOrganisation"] if r.kind.get(node) == "organisation" else P["cooperatingProgramme"]
        actions = [a for a in r.subjects(predicate, node) if r.kind.get(a) == "action"]
        roles = []
        for action in sort_by_label(r, actions):
            details = []
            for ev in r.objects(action, EVIDENCE):
                if r.value(ev, PREDICATE) == predicate and r.value(ev, OBJECT) == node:
                    detail = r.value(ev, P["detail"])
                    if detail:
                        details.append(r.text(detail))
            roles.append(Fact(", ".join(sorted(set(details))), self.link(linker, action)))
        return Page(
            "",
            "partaker.html",
            r.label(node),
            data={
                "names": [Fact("other name", self.value_link(linker, v)) for v in sorted(r.objects(node, _ALT))],
                "roles": roles,
                "actions": self.action_rows(linker, actions),
                "years": self.years(actions),
                "others": self.others(linker, node, (TYPE, PREF, _ALT, LABEL)),
            },
        )

    def news(self, node: str, linker: Linker) -> Page:
        r = self.r
        return Page(
            "",
            "news.html",
            r.label(node),
            data={
                "news_kinds": sorted({r.text(k) for k in r.objects(node, P["newsKind"])}),
                "countries": self.links(linker, r.objects(node, P["mentionsCountry"])),
                "sources": [Link(r.label(s), linker.node(s)) for s in sorted(r.objects(node, DERIVED), key=r.label)],
            },
        )

    def document(self, node: str, linker: Linker) -> Page:
        r = self.r
        records = [s for s, p in r.inbound.get(node, ()) if p == PART_OF and r.kind.get(s) == "source"]

        def line_of(record: str) -> int:
            line = r.value(record, P["line"])
            return int(r.text(line)) if line else 0

        rows = []
        for record in sorted(records, key=lambda rec: (line_of(rec), rec)):
            place = r.place(record)
            made = [s for s, p in r.inbound.get(record, ()) if p == DERIVED]
            fields = []  # (what, its lines): each line an anchor (``line/N``) that facts link to
            own = line_of(record)
            for predicate, objects in sorted(r.spo.get(record, {}).items()):
                if predicate.endswith("Line>") and predicate != P["titleLine"]:
                    lines = sorted({int(r.text(o)) for o in objects} - {own})
                    if lines:
                        fields.append((self.settings.label(predicate), lines))
            layout = r.value(record, P["layout"])
            rows.append(
                {
                    "anchor": place.anchor if place else "",
                    "line": line_of(record),
                    "made": self.links(linker, made),
                    "kind": ", ".join(sorted({KINDS[r.kind[m]].singular for m in made if r.kind.get(m) in KINDS})),
                    "layout": r.text(layout) if layout else "",
                    "fields": fields,
                }
            )
        return Page("", "document.html", r.label(node), data={"records": rows})

    def generic(self, node: str, linker: Linker) -> Page:
        return Page("", "generic.html", self.r.label(node), data={"others": self.others(linker, node, (LABEL,))})

    # ------------------------------------------------------------------ lists

    def list_pages(self, kind: str) -> list[tuple[str, int, int]]:
        """The pages of a kind's list: (location, first row, end row)."""
        members = self.r.by_kind[kind]
        base = KINDS[kind].index
        count = max(1, -(-len(members) // PAGE_ROWS))
        return [(base if n == 0 else f"{base}.{n + 1}", n * PAGE_ROWS, (n + 1) * PAGE_ROWS) for n in range(count)]

    def list_page(self, kind: str, number: int, linker: Linker) -> Page:
        r = self.r
        pages = self.list_pages(kind)
        location, start, end = pages[number]
        members = r.by_kind[kind][start:end]
        columns: list[str]
        rows: list[list[Link | str | int]] = []
        if kind == "action":
            columns = ["Action", "Year", "Partner country", "Partner institution"]
            for row in self.action_rows(linker, members):
                cells: list[Link | str | int] = [row.title, row.year, row.partner_country or ""]
                cells.append(row.institutions[0] if row.institutions else "")
                rows.append(cells)
        elif kind == "institution":
            columns = ["Partner institution", "Country", "Actions"]
            for node in members:
                country = r.value(node, P["country"])
                rows.append(
                    [
                        self.link(linker, node),
                        self.link(linker, country) if country else "",
                        len(r.subjects(P["partnerInstitution"], node)),
                    ]
                )
        elif kind == "country":
            columns = [
                "Country",
                "ISO code",
                "Partner country of actions",
                "Expert country in actions",
                "EU member state",
            ]
            for node in members:
                code = r.value(node, P["isoAlpha3"])
                eu = r.value(node, P["euMemberState"])
                rows.append(
                    [
                        self.link(linker, node),
                        r.text(code) if code else "",
                        len(r.subjects(P["partnerCountry"], node)),
                        len(r.subjects(P["expertCountry"], node)),
                        "yes" if eu and r.text(eu) == "true" else "no",
                    ]
                )
        elif kind in ("theme", "assistance-type", "organisation", "programme"):
            predicate = {
                "theme": P["theme"],
                "assistance-type": P["assistanceType"],
                "organisation": P["cooperatingOrganisation"],
                "programme": P["cooperatingProgramme"],
            }[kind]
            columns = [KINDS[kind].singular, "Actions"]
            for node in members:
                rows.append([self.link(linker, node), len(r.subjects(predicate, node))])
        elif kind == "news":
            columns = ["News item", "Countries named"]
            for node in members:
                rows.append(
                    [
                        self.link(linker, node),
                        ", ".join(r.label(c) for c in sort_by_label(r, r.objects(node, P["mentionsCountry"]))),
                    ]
                )
        else:
            columns = [KINDS[kind].singular, "Records"]
            for node in members:
                rows.append([self.link(linker, node), sum(1 for _, p in r.inbound.get(node, ()) if p == PART_OF)])
        others = [
            Link(f"{n + 1}", linker.page(loc) if loc != location else None) for n, (loc, _, _) in enumerate(pages)
        ]
        scheme = r.pages.get(KINDS[kind].index)
        return Page(
            location,
            "list.html",
            KINDS[kind].plural,
            node=scheme if number == 0 else None,
            data={
                "columns": columns,
                "rows": rows,
                "total": len(r.by_kind[kind]),
                "first": start + 1,
                "last": min(end, len(r.by_kind[kind])),
                "pages": others if len(pages) > 1 else [],
                "iri": terms.iri_value(scheme) if scheme and number == 0 else "",
            },
        )
