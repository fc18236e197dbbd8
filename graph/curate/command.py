"""``socieux-kg correct``: check one correction against the current build and append it to the
corrections file, written as the build and the network pages write it (the action by its code or
title, the value as the ``actions`` table shows it)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from graph.fields import FIELDS

DEFAULT_CORRECTIONS = Path("seeds") / "corrections.csv"
DEFAULT_GRAPH = Path("exports") / "socieux.ttl"


def _fail(message: object) -> None:
    click.echo(f"socieux-kg: error: {message}", err=True)
    sys.exit(1)


def default_author() -> str:
    """Who makes a correction when --by is not given: the login name."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@click.command()
@click.argument("action")
@click.argument("field", type=click.Choice(list(FIELDS)), metavar="FIELD")
@click.option("--add", "add", metavar="VALUE", help="Add VALUE to a field of several values.")
@click.option("--remove", "remove", metavar="VALUE", help="Remove VALUE from the field.")
@click.option("--set", "set_", metavar="VALUE", help="Set a field of one value (partner_country, year) to VALUE.")
@click.option("--reason", required=True, help="Why: it goes into the graph with the fact, and into the build report.")
@click.option("--by", "by", default=None, help="Who makes the correction.  [default: your login name]")
@click.option("--date", "when", default=None, metavar="YYYY-MM-DD", help="The correction's date.  [default: today]")
@click.option(
    "--corrections",
    type=click.Path(path_type=Path),
    default=DEFAULT_CORRECTIONS,
    show_default=True,
    help="Corrections file to append to (made, with its header, when there is none).",
)
@click.option(
    "--graph",
    "-g",
    "graph_file",
    type=click.Path(path_type=Path),
    default=DEFAULT_GRAPH,
    show_default=True,
    help="The current build, to check the correction against (its store is used where there is one).",
)
def correct(
    action: str,
    field: str,
    add: str | None,
    remove: str | None,
    set_: str | None,
    reason: str,
    by: str | None,
    when: str | None,
    corrections: Path,
    graph_file: Path,
) -> None:
    """Correct one fact of ACTION: check it against the current build and append it to the
    corrections file, which every later build applies.

    ACTION is the action's code (the actions table's action_code), its IRI or its exact title;
    FIELD one of partner_institution, partner_country, expert_countries, study_visit_countries,
    assistance_types, themes, organisations, programmes, related_action_codes, year. A value is
    written as the actions table shows it or in any way the vocabularies know it (a country's name
    or ISO code, a theme's label, an institution's name or acronym).

    \b
    socieux-kg correct 2021-07 expert_countries --remove Romania --reason "an observer, not an expert"
    socieux-kg correct "Support to the pension reform" themes --add Pensions --reason "..." --by "A. Ruiz"
    socieux-kg correct 2021-07 partner_country --set PER --reason "the partner is Peruvian"

    Exits 1, appending nothing, when the action, the field or the value is unknown, when the build
    already agrees (adding what it has, removing what it has not), or when the file already holds
    the same correction or one that contradicts it.
    """
    chosen = [(name, value) for name, value in (("add", add), ("remove", remove), ("set", set_)) if value is not None]
    if len(chosen) != 1:
        raise click.UsageError("give one of --add, --remove or --set")
    change, value = chosen[0]
    from graph.curate.check import check_line
    from graph.errors import SocieuxError

    try:
        line, number = check_line(
            action,
            field,
            change,
            value,
            reason,
            by or default_author(),
            when or date.today().isoformat(),
            corrections,
            graph_file,
        )
    except SocieuxError as error:
        _fail(error)
        return
    from graph.curate.corrections import append_line

    try:
        append_line(corrections, line)
    except SocieuxError as error:
        _fail(error)
        return
    click.echo(f"socieux-kg: added to {corrections}:{number}: {line}")
    click.echo("  the next `socieux-kg build` applies it", err=True)
