"""``socieux-kg site``: the graph as a static site that opens from disk and from any static host.

One ``.html`` page per resource (action, institution, country, theme, type of assistance,
organisation, programme, news item, source document) with its ``.ttl`` and ``.jsonld``; a list per
kind; the dataset's page (``index.html``) with its DCAT-AP and VoID description
(``.well-known/void``); a search over every label (``search.html``, offline); the network views
(``views/``) and the build's files (``exports/``, hard links where the file system allows);
``sitemap.xml``. Links are relative. The same bytes at every build.

The site is written into a new folder beside the target and swapped in when complete; pages are
rendered by worker processes forked with the graph (they share its index).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from graph.collector import collector_paused
from graph.errors import OutputError, SocieuxError
from graph.namespaces import BASE
from graph.site import describe
from graph.site.dataset import DatasetInfo, describe_dataset, read_description, turtle
from graph.site.load import build_ntriples, load_triples
from graph.site.maps import world_svg
from graph.site.render import (
    ASSETS,
    HOME,
    INDEX,
    ONTOLOGY,
    SEARCH_INDEX,
    STATIC_FORMATS,
    VIEW_NAMES,
    VOID,
    Renderer,
    asset,
    dataset_as,
    load_dataset,
    load_views,
    ontology_turtle,
)
from graph.site.resources import Resources

MARKER = ".socieux-kg-site"  # a folder holding this file is a site this command wrote: it may replace it


@dataclass
class Written:
    pages: int = 0
    files: int = 0
    bytes: int = 0

    def add(self, other: Written) -> None:
        self.pages += other.pages
        self.files += other.files
        self.bytes += other.bytes


class _Writer:
    """Writes files under a folder, making each subfolder once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: set[str] = set()
        self.written = Written()

    def write(self, name: str, data: str | bytes) -> None:
        folder = name.rpartition("/")[0]
        if folder and folder not in self.made:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            self.made.add(folder)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        with open(self.root / name, "wb") as stream:
            stream.write(raw)
        self.written.files += 1
        self.written.bytes += len(raw)


_RENDERER: list[Renderer] = []  # the renderer a page worker was forked with


def _render_pages(root: str, locations: list[str]) -> Written:
    """Render pages (and the RDF of their resources) into ``root`` (in a worker process)."""
    renderer = _RENDERER[0]
    writer = _Writer(Path(root))
    for location in locations:
        html = renderer.html(location)
        if html is None:
            continue
        writer.write(f"{location}.html", html)
        writer.written.pages += 1
        if location == INDEX:
            continue
        for media, data in renderer.rdf_formats(location, STATIC_FORMATS).items():
            writer.write(location + describe.FORMATS[media][0], data)
    return writer.written


def _start(renderer: Renderer) -> None:
    _RENDERER[:] = [renderer]


def sitemap(locations: list[str], base: str) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for location in locations:
        lines.append(f"<url><loc>{escape(base + location)}.html</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _graph_views(triples) -> dict[str, str]:
    """The network views of a graph with none beside it (a file that is not a build's)."""
    from graph.network.actions import action_facts
    from graph.network.pages import page
    from graph.network.projection import actions_behind, project

    found = {}
    for view in VIEW_NAMES:
        g = project(triples, view)
        found[view] = page(g, view, action_facts(triples, actions_behind(g)))
    return found


def check_target(out: Path) -> None:
    """Refuse to replace a folder that is not a site this command wrote."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise OutputError(
            f"{out}: exists and is not a site socieux-kg wrote (no {MARKER} in it); "
            "choose a new folder or empty this one"
        )


@collector_paused()  # millions of long-lived objects and no cycles worth collecting (graph/collector.py)
def write_site(
    graph_file: Path,
    out: Path,
    base_url: str = BASE,
    jobs: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> Written:
    """Write the static site of ``graph_file`` into ``out`` (replaced whole once complete)."""
    from graph.workers import ForkedPool, can_fork

    started = time.perf_counter()
    check_target(out)
    triples = load_triples(graph_file)
    progress(f"read {graph_file}: {len(triples)} triples")
    built = build_ntriples(graph_file) is not None or (graph_file.parent / "dataset.ttl").is_file()
    folder = graph_file.parent if built else None
    resources = Resources(triples)
    views = load_views(folder)
    if not views:
        views = _graph_views(triples)
        progress("drew the network views (none beside the graph)")
    dataset = load_dataset(folder) or _own_dataset(triples, graph_file)
    renderer = Renderer(resources, "static", views, dataset)
    locations = list(renderer.locations())
    # everything the workers read, indexed before they are forked (so that they share it)
    resources.inbound, resources.pages, resources.fragments  # noqa: B018
    renderer.gatherer.documents, renderer.gatherer.anchored_lines  # noqa: B018
    progress(f"indexed {len(resources.kind)} resources; {len(locations)} pages to write")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as error:
        raise OutputError(f"{out.parent}: cannot write there: {error.strerror or error}") from None
    try:
        writer = _Writer(building)
        writer.write(MARKER, "A site written by `socieux-kg site`; the command replaces this folder whole.\n")
        for name in ASSETS:
            writer.write(f"assets/{name}", asset(name))
        writer.write("assets/world.svg", world_svg())
        writer.write(SEARCH_INDEX, renderer.search_index())
        writer.write(VOID, dataset.turtle)
        writer.write(ONTOLOGY, ontology_turtle())
        for media in STATIC_FORMATS:
            writer.write(HOME + describe.FORMATS[media][0], dataset_as(dataset.turtle, media))
        for name, html in sorted(views.items()):
            writer.write(f"views/{name}.html", html)
        writer.write("sitemap.xml", sitemap([loc for loc in locations if loc != INDEX], base_url))
        writer.write("404.html", renderer.not_found("id/"))
        _link_downloads(folder, building, dataset, writer)
        workers = max(1, jobs or os.cpu_count() or 1)
        total = writer.written
        progress(f"wrote the search index, the assets, the views and the downloads; pages in {workers} processes")
        if workers > 1 and can_fork() and len(locations) > 200:
            shares = [locations[i::workers] for i in range(workers)]
            with ForkedPool(workers, _start, (renderer,)) as pool:
                futures = [pool.submit(_render_pages, str(building), share) for share in shares]
                for future in futures:
                    total.add(future.result())
        else:
            _start(renderer)
            total.add(_render_pages(str(building), locations))
        progress(f"wrote {total.pages} pages, {total.files} files, {total.bytes / 1e6:.1f} MB")
        _swap(building, out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    progress(f"site in {out}/ ({time.perf_counter() - started:.1f} s)")
    return total


def _own_dataset(triples, graph_file: Path) -> DatasetInfo:
    """The description of a graph that is not a build's: the graph file its one distribution."""
    return read_description(turtle(describe_dataset(triples, {})))


def _link_downloads(folder: Path | None, root: Path, dataset: DatasetInfo, writer: _Writer) -> None:
    """The build's files the description lists, under ``exports/``: hard links where the file system
    allows (no space taken twice), copies otherwise."""
    if folder is None:
        return
    for download in dataset.downloads:
        source = folder / download.path
        if not source.is_file():
            raise SocieuxError(f"{source}: listed in {folder / 'dataset.ttl'} but missing; build again")
        target = root / "exports" / download.path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        writer.written.files += 1


def _swap(building: Path, out: Path) -> None:
    old = None
    try:
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.replace(out, old / "site")
        os.replace(building, out)
    except OSError as error:
        raise OutputError(f"{out}: cannot replace it: {error.strerror or error}") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
