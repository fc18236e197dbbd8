"""``socieux-kg diff OLD NEW``: what changed between two builds."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="One Markdown page, or JSON (actions_added, actions_removed, actions_changed, fields).",
)
def diff(old: Path, new: Path, fmt: str) -> None:
    """What changed between two builds: OLD and NEW are output folders (exports/) or graph files.

    Lists the actions added and removed, and for each changed action the facts it gained and lost
    (the columns of the actions table) with the sentences they were read from; counts per field.
    An action whose title changed a little on the website is paired with its former self (the same
    code, the same partner, a close title) and shown as changed.

    \b
    socieux-kg diff exports-2026-01/ exports/
    socieux-kg diff old/socieux.nt exports/socieux.ttl --format json

    Exits 0 when nothing changed, 1 when something did (as diff does), 2 on an error.
    """
    from graph.diff.compare import compare_builds
    from graph.diff.render import to_json, to_markdown
    from graph.errors import SocieuxError

    try:
        result = compare_builds(old, new)
    except SocieuxError as error:
        click.echo(f"socieux-kg: error: {error}", err=True)
        sys.exit(2)
    click.echo(to_json(result) if fmt == "json" else to_markdown(result), nl=False)
    sys.exit(0 if result.unchanged else 1)
