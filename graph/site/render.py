"""The site's pages as HTML, and its resources as RDF: what the static site writes and what ``serve``
answers, from one graph.

``mode`` is ``static`` (pages are ``LOCATION.html`` files with relative links, opening from disk or
any static host) or ``served`` (pages at ``/LOCATION``, answered by content negotiation; links
without suffix). The pages are HTML first: readable with scripts off, printable, with table
semantics; the search page is the one that runs a script (over ``search-index.js``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cached_property
from importlib import resources as package_files
from pathlib import Path

from graph.namespaces import BASE, ID
from graph.rdf import mapping, terms
from graph.site import describe
from graph.site.dataset import DESCRIPTION_FILE, DatasetInfo, read_description
from graph.site.links import PAGE_SUFFIX, Linker
from graph.site.pages import Gatherer, Link, Page
from graph.site.resources import KINDS, Resources

SITE_NAME = "SOCIEUX+ knowledge graph"
HOME = "id/dataset"  # the dataset's IRI: its page is the site's home
INDEX = "index"  # the home again, at the root of the static site
SEARCH = "search"
SEARCH_INDEX = "search-index.js"
VOID = ".well-known/void"
ONTOLOGY = "ontology.ttl"
ASSETS = ("site.css", "search.js")
FORMAT_NAMES = {"text/turtle": "Turtle", "application/ld+json": "JSON-LD", "application/n-triples": "N-Triples"}
STATIC_FORMATS = ("text/turtle", "application/ld+json")  # the files the static site writes per resource
VIEW_NAMES = ("full", "country-flows", "expert-collaboration", "institutions-themes", "action-chains")
_VIEW_DATA = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.DOTALL)


def view_nodes(html: str) -> set[str]:
    """The ids (IRIs) of the nodes a network view draws, read from its embedded data."""
    found = _VIEW_DATA.search(html)
    if found is None:
        return set()
    return {node["id"] for node in json.loads(found.group(1))["nodes"] if isinstance(node.get("id"), str)}


class Renderer:
    def __init__(
        self,
        resources: Resources,
        mode: str = "static",
        views: dict[str, str] | None = None,
        dataset: DatasetInfo | None = None,
    ) -> None:
        from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

        self.r = resources
        self.mode = mode
        self.suffix = PAGE_SUFFIX[mode]
        self.views = views or {}  # view name → its HTML
        self.dataset = dataset
        self.gatherer = Gatherer(resources, {name: view_nodes(html) for name, html in self.views.items()})
        self.env = Environment(
            loader=PackageLoader("graph.site", "templates"),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # the templates are the package's: read once
        )
        self.hrefs: dict[tuple[str, str, str], str] = {}  # links from a folder to a page, shared by pages
        macros = self.env.get_template("macros.html").module
        self.gatherer.row_html = lambda row: str(macros.action_row(row))  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ what there is

    @cached_property
    def list_locations(self) -> dict[str, tuple[str, int]]:
        """location → (kind, page number) of the kinds' lists."""
        found = {}
        for kind in KINDS:
            if self.r.by_kind[kind]:
                for number, (location, _, _) in enumerate(self.gatherer.list_pages(kind)):
                    found[location] = (kind, number)
        return found

    def locations(self) -> Iterator[str]:
        """Every page of the site, in a stable order."""
        yield INDEX
        yield HOME
        yield SEARCH
        yield from self.list_locations
        for location in sorted(self.r.pages):
            if location not in self.list_locations:
                yield location

    def node_at(self, location: str) -> str | None:
        """The resource whose page is at ``location`` (the dataset for the home page)."""
        if location in (HOME, INDEX):
            return mapping.dataset_iri()
        return self.r.pages.get(location)

    # ------------------------------------------------------------------ HTML

    def site_context(self, linker: Linker, current: str) -> dict:
        nav = []
        for kind in KINDS.values():
            if self.r.by_kind[kind.name]:
                nav.append(
                    {
                        "text": kind.plural,
                        "href": linker.page(kind.index),
                        "current": current.split(".")[0] == kind.index,
                    }
                )
        return {
            "name": SITE_NAME,
            "css": linker.file("assets/site.css"),
            "home": linker.page(INDEX if self.mode == "static" else HOME),
            "dataset": linker.page(HOME),
            "nav": nav,
            "search": linker.page(SEARCH),
            "void": linker.file(VOID),
            # the endpoint's query page: the public one from the static site, the server's own when served
            "sparql": (BASE + "sparql") if self.mode == "static" else linker.root(),
        }

    def formats(self, linker: Linker, location: str, node: str | None) -> list[dict]:
        if node is None:
            return []
        offered = STATIC_FORMATS if self.mode == "static" else tuple(describe.FORMATS)
        found = []
        for media in offered:
            suffix = describe.FORMATS[media][0]
            found.append({"media": media, "name": FORMAT_NAMES[media], "href": linker.file(location + suffix)})
        return found

    def page(self, location: str) -> Page | None:
        """What the page at ``location`` shows, or None when there is no such page."""
        linker = self.linker(location)
        if location in (INDEX, HOME):
            return self.home(location, linker)
        if location == SEARCH:
            return Page(location, "search.html", "Find a label")
        if location in self.list_locations:
            kind, number = self.list_locations[location]
            return self.gatherer.list_page(kind, number, linker)
        node = self.r.pages.get(location)
        if node is None:
            return None
        return self.gatherer.page_for(node, location, linker)

    def linker(self, location: str) -> Linker:
        return Linker(location, self.suffix, self.r, self.hrefs)

    def html(self, location: str) -> str | None:
        page = self.page(location)
        return None if page is None else self.render(page)

    def render(self, page: Page) -> str:
        linker = self.linker(page.location)
        context = dict(page.data)
        context.update(
            title=page.title,
            site=self.site_context(linker, page.location),
            formats=self.formats(linker, page.location if page.location != INDEX else HOME, page.node),
            canonical=terms.iri_value(page.node) if page.node and page.node[0] == "<" else "",
        )
        if page.template == "search.html":
            context.update(
                self_href=linker.page(SEARCH),
                index_js=linker.file(SEARCH_INDEX),
                search_js=linker.file("assets/search.js"),
            )
        return self.env.get_template(page.template).render(context)

    def not_found(self, path: str) -> str:
        """The page for a path that names no resource (``path``: as requested, from the root)."""
        location = path.strip("/") or "x"
        page = Page(location, "notfound.html", "Not found", data={"iri": BASE + path.lstrip("/")})
        return self.render(page)

    def home(self, location: str, linker: Linker) -> Page:
        info = self.dataset
        kinds = []
        for kind in KINDS.values():
            count = len(self.r.by_kind[kind.name])
            if count:
                kinds.append({"link": Link(kind.plural, linker.page(kind.index)), "count": count})
        downloads = []
        if info is not None:
            for d in info.downloads:
                downloads.append(
                    {
                        "link": Link(d.path, linker.file(f"exports/{d.path}")),
                        "title": d.title,
                        "media": d.media,
                        "size": d.size,
                    }
                )
        titles = self.gatherer.settings.view_titles
        views = [Link(titles[v], linker.file(f"views/{v}.html")) for v in VIEW_NAMES if v in self.views]
        title = info.title if info and info.title else SITE_NAME
        return Page(
            location,
            "home.html",
            title,
            node=mapping.dataset_iri(),
            data={
                "iri": ID + "dataset",
                "description": info.description if info else "",
                "licence": Link(info.licence_title or info.licence, info.licence) if info and info.licence else None,
                "publisher": info.publisher if info else "",
                "temporal": info.temporal if info else "",
                "void": linker.file(VOID),
                "kinds": kinds,
                "views": views,
                "downloads": downloads,
                "sparql": Link(BASE + "sparql", BASE + "sparql" if self.mode == "static" else linker.root()),
            },
        )

    # ------------------------------------------------------------------ RDF

    def rdf(self, location: str, media: str) -> bytes | None:
        """The RDF description of the resource whose page is at ``location``, as ``media``."""
        return self.rdf_formats(location, (media,)).get(media)

    def rdf_formats(self, location: str, medias: tuple[str, ...]) -> dict[str, bytes]:
        """The RDF description of the resource whose page is at ``location`` in each of ``medias``
        (none when there is no such resource)."""
        if location in (HOME, INDEX):
            if self.dataset is None:
                return {}
            return {media: dataset_as(self.dataset.turtle, media) for media in medias}
        node = self.r.pages.get(location) or self.r.fragments.get(location)
        if node is None:
            return {}
        triples = describe.description(self.r, node)
        return {media: describe.serialised(triples, media) for media in medias}

    def search_index(self) -> str:
        """``search-index.js``: every label of every resource with a page, and the href of its page
        from the site's root."""
        from graph.site.pages import P

        kinds = list(KINDS)
        rows = []
        linker = Linker(SEARCH, self.suffix, self.r)  # at the root: hrefs from the root
        label_properties = [p for p in _SEARCH_LABELS] + [P["acronym"], P["isoAlpha3"], P["isoAlpha2"], P["actionCode"]]
        for kind in kinds:
            for node in self.r.by_kind[kind]:
                href = linker.node(node)
                if href is None:
                    continue
                names = {self.r.label(node)}
                predicates = self.r.spo.get(node, {})
                for prop in label_properties:
                    for value in predicates.get(prop, ()):
                        names.add(self.r.text(value))
                for name in sorted(names):
                    rows.append([name, href, kinds.index(kind)])
        data = {"kinds": [KINDS[k].singular for k in kinds], "suffix": self.suffix, "rows": rows}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return f"window.SOCIEUX_SEARCH = {text};\n"


def _label_terms() -> list[str]:
    from rdflib.namespace import DCTERMS, RDFS, SKOS

    from graph.namespaces import SOCX

    return [
        terms.iri(str(p))
        for p in (
            SKOS.prefLabel,
            SKOS.altLabel,
            SKOS.hiddenLabel,
            RDFS.label,
            DCTERMS.title,
            SOCX.originalName,
            SOCX.officialName,
            SOCX.demonym,
        )
    ]


_SEARCH_LABELS = _label_terms()


def dataset_as(turtle: bytes, media: str) -> bytes:
    """The dataset's description (Turtle, as the build wrote it) in another format."""
    if media == "text/turtle":
        return turtle
    from pyoxigraph import RdfFormat, parse

    triples = sorted((str(t.subject), str(t.predicate), str(t.object)) for t in parse(turtle, format=RdfFormat.TURTLE))
    return describe.serialised(triples, media)


def ontology_turtle() -> bytes:
    """The project's ontology (``ontology/socieux.ttl``), which ``socx:`` IRIs resolve to."""
    from graph.vocab import ontology_dir

    return (ontology_dir() / "socieux.ttl").read_bytes()


def asset(name: str) -> bytes:
    return (package_files.files("graph.site") / "assets" / name).read_bytes()


def load_dataset(folder: Path | None) -> DatasetInfo | None:
    """The dataset's description a build wrote into ``folder``, read for the home page."""
    if folder is None or not (folder / DESCRIPTION_FILE).is_file():
        return None
    return read_description((folder / DESCRIPTION_FILE).read_bytes())


def load_views(folder: Path | None) -> dict[str, str]:
    """The network views a build wrote into ``folder/views/``."""
    if folder is None:
        return {}
    found = {}
    for name in VIEW_NAMES:
        path = folder / "views" / f"{name}.html"
        if path.is_file():
            found[name] = path.read_text(encoding="utf-8")
    return found
