"""``socieux-kg site``: the graph as a static site that opens from disk and from any static host.

One ``.html`` page per resource (action, institution, country, theme, type of assistance,
organisation, programme, news item, source document) with its ``.ttl`` and ``.jsonld``; a list per
kind; the dataset's page (``index.html``) with its DCAT-AP and VoID description
(``.well-known/void``); a search over every label (``search.html``, offline); the network views
(``views/``) and the build's files (``exports/``, hard links where the file system allows);
``sitemap.xml``. Links are relative. The same bytes at every build.

The site is written into a new folder beside the target and swapped in when complete; a large
graph's pages are written by worker processes, each reading the graph and writing a share.
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
from graph.files import replace_folder
from graph.namespaces import BASE
from graph.site import describe
from graph.site.dataset import DatasetInfo, describe_graph
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
        # tens of thousands of files: the system calls alone, without Python's file objects
        handle = os.open(f"{self.root}/{name}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        self.written.files += 1
        self.written.bytes += len(raw)


@dataclass
class _Share:
    """What one process writes: every ``count``-th page from the ``index``-th (and, the first, the
    files of the whole site)."""

    graph_file: str
    root: str
    index: int
    count: int
    base_url: str


@collector_paused()  # millions of long-lived objects and no cycles worth collecting (graph/collector.py)
def _write_share(share: _Share, progress: Callable[[str], None] | None = None) -> tuple[Written, list[str]]:
    """Read the graph and write a share of the site into ``share.root``; what was written, and the
    progress lines to print. Each process reads the graph itself, in parallel: forked with a graph
    already read, every process touching its objects copied most of its memory (a million page
    faults at a hundred times the seeds)."""
    started = time.perf_counter()
    said: list[str] = []

    def say(message: str) -> None:
        if progress is not None:  # in this process: as it goes
            progress(message)
        else:
            said.append(f"{time.perf_counter() - started:.1f} s in process {share.index + 1}: {message}")

    graph_file = Path(share.graph_file)
    triples = load_triples(graph_file)
    built = build_ntriples(graph_file) is not None or (graph_file.parent / "dataset.ttl").is_file()
    folder = graph_file.parent if built else None
    views = load_views(folder) or _graph_views(triples)
    dataset = load_dataset(folder) or describe_graph(triples)
    renderer = Renderer(Resources(triples), "static", views, dataset)
    locations = list(renderer.locations())
    say(f"read {len(triples)} triples, indexed {len(renderer.r.kind)} resources; {len(locations)} pages in all")
    writer = _Writer(Path(share.root))
    if share.index == 0:
        _write_whole(renderer, folder, views, dataset, locations, share.base_url, writer)
        say("wrote the search index, the assets, the views and the downloads")
    for location in locations[share.index :: share.count]:
        html = renderer.html(location)
        if html is None:
            continue
        writer.write(f"{location}.html", html)
        writer.written.pages += 1
        if location == INDEX:
            continue
        for media, data in renderer.rdf_formats(location, STATIC_FORMATS).items():
            writer.write(location + describe.FORMATS[media][0], data)
    say(f"wrote {writer.written.pages} pages")
    return writer.written, said


def _share_in_worker(share: _Share) -> tuple[Written, list[str]]:
    """``_write_share`` in a worker process: an error goes back as its one line (it crosses a
    process boundary)."""
    try:
        return _write_share(share)
    except OutputError as error:
        raise OutputError(str(error)) from None
    except SocieuxError as error:
        raise SocieuxError(str(error)) from None


def _write_whole(
    renderer: Renderer,
    folder: Path | None,
    views: dict[str, str],
    dataset: DatasetInfo,
    locations: list[str],
    base_url: str,
    writer: _Writer,
) -> None:
    """The files of the site that are no resource's page."""
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
    _link_downloads(folder, Path(writer.root), dataset, writer)


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


PARALLEL_BYTES = 20_000_000  # a graph file this large (four times the seeds' N-Triples) is written by workers


def write_site(
    graph_file: Path,
    out: Path,
    base_url: str = BASE,
    jobs: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> Written:
    """Write the static site of ``graph_file`` into ``out`` (replaced whole once complete).
    ``jobs``: processes writing it (default: one per processor for a large graph, else one)."""
    from graph.workers import ForkedPool, can_fork

    started = time.perf_counter()
    check_target(out)
    graph_file = Path(graph_file)
    if not graph_file.is_file():
        load_triples(graph_file)  # the one-line error of a missing file
    source = build_ntriples(graph_file) or graph_file
    large = source.stat().st_size >= PARALLEL_BYTES
    workers = jobs or ((os.cpu_count() or 1) if large else 1)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as error:
        raise OutputError(f"{out.parent}: cannot write there: {error.strerror or error}") from None
    try:
        shares = [_Share(str(graph_file), str(building), i, workers, base_url) for i in range(workers)]
        total = Written()
        if workers > 1 and can_fork():
            progress(f"writing the site of {graph_file} in {workers} processes, each reading the graph")
            with ForkedPool(workers) as pool:  # forked now, before anything large is read
                for future in [pool.submit(_share_in_worker, share) for share in shares]:
                    written, said = future.result()
                    total.add(written)
                    for line in said:
                        progress(line)
        else:
            for share in shares:
                total.add(_write_share(share, progress)[0])
        progress(f"wrote {total.pages} pages, {total.files} files, {total.bytes / 1e6:.1f} MB")
        replace_folder(building, out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    progress(f"site in {out}/ ({time.perf_counter() - started:.1f} s)")
    return total


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
