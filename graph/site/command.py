"""``socieux-kg site``: the command (registered in graph/cli.py). Only click is imported here, so
that ``--help`` stays quick; the work is in graph/site/static.py."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

BASE = "https://w3id.org/socieux-kg/"  # graph.namespaces.BASE, repeated so that --help loads no rdflib


@click.command()
@click.option(
    "--graph",
    "-g",
    "graph_file",
    type=click.Path(path_type=Path),
    default=Path("exports") / "socieux.ttl",
    show_default=True,
    help="Graph file; a build's (exports/) brings its network views, tables and dataset description along.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder for the site; replaced whole once the new site is complete (only a folder this command wrote).",
)
@click.option(
    "--base-url",
    default=BASE,
    show_default=True,
    help="Public address of the site, for sitemap.xml (the pages themselves link relatively).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes rendering pages  [default: one per processor]",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the one-line summary.")
def site(graph_file: Path, out: Path, base_url: str, jobs: int | None, quiet: bool) -> None:
    """Write the graph as a static site into OUT: a page for every resource, with its Turtle and JSON-LD.

    \b
    socieux-kg site --out site          then open site/index.html, or put site/ on any static host

    Every action, partner institution, country, theme, type of assistance, cooperating organisation
    and programme, news item and source document gets a page (LOCATION.html) showing each fact with
    the sentence it was read from, and its description as LOCATION.ttl and LOCATION.jsonld; each kind
    has a list; search.html finds any label offline; the network views and the build's files are
    linked in; .well-known/void is the dataset's DCAT-AP and VoID description; sitemap.xml lists the
    pages under --base-url. Links are relative: the site opens from disk. The same bytes at every run.
    """
    from graph.errors import SocieuxError
    from graph.site.static import write_site

    started = time.perf_counter()

    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"  {time.perf_counter() - started:6.1f} s  {message}", err=True)

    try:
        written = write_site(graph_file, out, base_url if base_url.endswith("/") else base_url + "/", jobs, progress)
    except SocieuxError as error:
        click.echo(f"socieux-kg: error: {error}", err=True)
        sys.exit(1)
    click.echo(
        f"socieux-kg: wrote {out}/: {written.pages} pages, {written.files} files, "
        f"{written.bytes / 1e6:.1f} MB; {time.perf_counter() - started:.1f} s"
    )
