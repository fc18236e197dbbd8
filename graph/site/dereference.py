"""Dereferenceable IRIs: a request for the path of a resource's IRI (``/id/action/...``) answered with
content negotiation, as Pubby and LodView answer in front of an endpoint: HTML for browsers,
Turtle, N-Triples or JSON-LD for machines (the resource's description, :mod:`graph.site.describe`),
with ``Vary: Accept`` and ``Link`` headers to the other formats; ``PATH.html``, ``PATH.ttl``,
``PATH.nt`` and ``PATH.jsonld`` name one format; an IRI the graph does not hold is a 404 page.

Around them, the rest of the site: the kinds' lists, countries (``/country/ISO``), the search, the
dataset's description (``/.well-known/void``, and ``/id/dataset``, the site's home), the network
views (``/views/``) and the build's files (``/exports/``, those the description lists).

This module knows nothing of HTTP servers: :meth:`Site.respond` takes a request's path and Accept
header and gives the status, headers and body; a server hands them on (``graph/sparql/endpoint/app.py``
in a few lines).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.site import describe
from graph.site.links import relative
from graph.site.render import (
    ASSETS,
    HOME,
    INDEX,
    ONTOLOGY,
    SEARCH,
    SEARCH_INDEX,
    VOID,
    Renderer,
    asset,
    dataset_as,
    load_dataset,
    load_views,
    ontology_turtle,
)

HTML = "text/html"
RDF_TYPES = tuple(describe.FORMATS)  # text/turtle, application/ld+json, application/n-triples
SUFFIXES = {".html": HTML, **{suffix: media for media, (suffix, _) in describe.FORMATS.items()}}
CONTENT_TYPES = {
    HTML: "text/html; charset=utf-8",
    "text/turtle": "text/turtle; charset=utf-8",
    "application/ld+json": "application/ld+json",
    "application/n-triples": "application/n-triples",
}
ASSET_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
FILE_TYPES = {
    ".ttl": "text/turtle; charset=utf-8",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".graphml": "application/xml",
    ".gexf": "application/xml",
}


@dataclass
class Response:
    """What to answer: status, headers and either a body or a file to send (large downloads)."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    file: Path | None = None


def negotiate(accept: str, offered: tuple[str, ...]) -> str | None:
    """The offered media type the Accept header prefers (the first offered for none, ``*/*`` or
    ``type/*``); None when it accepts none of them."""
    if not accept.strip():
        return offered[0]
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, media.count("*"), position, media.lower()))
    for *_, media in sorted(ranked):
        if media == "application/xhtml+xml" and HTML in offered:
            return HTML
        if media in offered:
            return media
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            for candidate in offered:
                if candidate.startswith(media[:-1]):
                    return candidate
    return None


class Site:
    """The resource pages of one graph, answering requests (see :meth:`respond`)."""

    def __init__(self, renderer: Renderer, folder: Path | None = None) -> None:
        self.renderer = renderer
        self.folder = folder  # the build's output folder: downloads, as its description lists them
        self.downloads = {d.path for d in renderer.dataset.downloads} if renderer.dataset else set()

    @classmethod
    def load(cls, graph_file: Path, say: Callable[[str], None] = lambda message: None) -> Site:
        """The site of a graph file (a build's, with its views, tables and description beside it)."""
        from graph.collector import collector_paused
        from graph.site.dataset import describe_graph
        from graph.site.load import load_triples
        from graph.site.resources import Resources

        started = time.perf_counter()
        graph_file = Path(graph_file)
        folder = graph_file.parent
        with collector_paused():  # millions of long-lived objects and no cycles (graph/collector.py)
            triples = load_triples(graph_file)
            dataset = load_dataset(folder) or describe_graph(triples)
            renderer = Renderer(Resources(triples), "served", load_views(folder), dataset)
            resources = renderer.r
            # indexed before the first request, not by it
            resources.inbound, resources.pages, resources.fragments, resources.by_kind  # noqa: B018
            renderer.gatherer.documents, renderer.gatherer.anchored_lines, renderer.list_locations  # noqa: B018
        site = cls(renderer, folder)
        say(f"resource pages of {graph_file}: {len(triples)} triples read in {time.perf_counter() - started:.1f} s")
        return site

    # ------------------------------------------------------------------ answering

    def respond(self, path: str, accept: str = "") -> Response | None:
        """The answer to a GET of ``path`` (the request's path, still percent-encoded, without its
        query), or None for a path that is not the site's (``/sparql``, the query page)."""
        name = path.lstrip("/")
        if name in ("id", "id/"):
            return _redirect(relative(name + ("x" if name.endswith("/") else ""), HOME))
        if name == VOID.strip("/"):
            return self._void(accept)
        if name in ("ontology", ONTOLOGY):  # the vocabulary: socx: terms are .../ontology#Term
            return Response(200, [("Content-Type", CONTENT_TYPES["text/turtle"])], ontology_turtle())
        if name.startswith("assets/"):
            return self._asset(name[len("assets/") :])
        if name == SEARCH_INDEX:
            return Response(200, [("Content-Type", ASSET_TYPES[".js"])], self.renderer.search_index().encode())
        if name.startswith("views/"):
            html = self.renderer.views.get(name[len("views/") :].removesuffix(".html"))
            if html is None or not name.endswith(".html"):
                return self._not_found(path, accept)
            return Response(200, [("Content-Type", CONTENT_TYPES[HTML])], html.encode("utf-8"))
        if name.startswith("exports/"):
            return self._download(path, name[len("exports/") :], accept)
        if name.startswith(("id/", "country/")) or name == SEARCH:
            return self._resource(path, name, accept)
        return None

    def _resource(self, path: str, name: str, accept: str) -> Response:
        location, explicit = name, None
        for suffix, named in SUFFIXES.items():
            if name.endswith(suffix):
                location, explicit = name[: -len(suffix)], named
                break
        if location == INDEX:
            return self._not_found(path, accept)
        renderer = self.renderer
        has_page = location in (HOME, SEARCH) or location in renderer.list_locations or location in renderer.r.pages
        fragment = renderer.r.fragments.get(location)
        if not has_page and fragment is None:
            return self._not_found(path, accept)
        has_rdf = location == HOME and renderer.dataset is not None or renderer.node_at(location) is not None
        has_rdf = has_rdf or fragment is not None
        offered = (HTML, *RDF_TYPES) if has_rdf else (HTML,)
        media: str | None = explicit if explicit in offered else None
        if explicit is not None and media is None:
            return self._not_found(path, accept)
        if media is None:
            media = negotiate(accept, offered)
        if media is None:
            listed = ", ".join(offered)
            return Response(
                406,
                [("Content-Type", "text/plain; charset=utf-8"), ("Vary", "Accept")],
                f"{path}: available as {listed}\n".encode(),
            )
        headers = [("Vary", "Accept")] if explicit is None else []
        base = location.rsplit("/", 1)[-1]
        if has_rdf:
            links = [f'<{base}{suffix}>; rel="alternate"; type="{m}"' for suffix, m in SUFFIXES.items() if m in offered]
            headers.append(("Link", ", ".join(links)))
        if media == HTML:
            if fragment is not None and not has_page:  # read on its owner's page, at its anchor
                place = renderer.r.place(fragment)
                if place is None:
                    return self._not_found(path, accept)
                target = renderer.linker(location).page(place.page, place.anchor)
                return _redirect(target, headers)
            html = renderer.html(location)
            if html is None:
                return self._not_found(path, accept)
            body = html.encode("utf-8")
        else:
            data = renderer.rdf(location, media)
            if data is None:
                return self._not_found(path, accept)
            body = data
        if explicit is None:
            headers.append(("Content-Location", base + next(s for s, m in SUFFIXES.items() if m == media)))
        return Response(200, [("Content-Type", CONTENT_TYPES[media]), *headers], body)

    def _void(self, accept: str) -> Response:
        dataset = self.renderer.dataset
        if dataset is None:
            return Response(
                404, [("Content-Type", "text/plain; charset=utf-8")], b"no dataset description (build first)\n"
            )
        media = negotiate(accept, RDF_TYPES) or "text/turtle"
        return Response(
            200, [("Content-Type", CONTENT_TYPES[media]), ("Vary", "Accept")], dataset_as(dataset.turtle, media)
        )

    def _asset(self, name: str) -> Response:
        if name == "world.svg":
            from graph.site.maps import world_svg

            return Response(200, [("Content-Type", ASSET_TYPES[".svg"])], world_svg().encode())
        if name not in ASSETS:
            return Response(404, [("Content-Type", "text/plain; charset=utf-8")], b"no such file\n")
        return Response(200, [("Content-Type", ASSET_TYPES[Path(name).suffix])], asset(name))

    def _download(self, path: str, name: str, accept: str) -> Response:
        if name not in self.downloads or self.folder is None or not (self.folder / name).is_file():
            return self._not_found(path, accept)
        kind = FILE_TYPES.get(Path(name).suffix, "application/octet-stream")
        return Response(200, [("Content-Type", kind)], file=self.folder / name)

    def _not_found(self, path: str, accept: str) -> Response:
        if negotiate(accept, (HTML, "text/plain")) == HTML:
            body = self.renderer.not_found(path).encode("utf-8")
            return Response(404, [("Content-Type", CONTENT_TYPES[HTML]), ("Vary", "Accept")], body)
        return Response(
            404,
            [("Content-Type", "text/plain; charset=utf-8"), ("Vary", "Accept")],
            f"{path}: the graph holds no such resource\n".encode(),
        )


def _redirect(target: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(303, [("Location", target), *(headers or [])])
