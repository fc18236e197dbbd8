"""``socieux-kg themes train`` and ``socieux-kg themes compare``: the learned theme model, trained
on annotated actions, and the methods (rules, learned, combined) compared by cross-validation."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import NoReturn

import click

# the project's sets with gold themes (the seeds' and the fresh texts'), relative to its checkout
DEFAULT_SETS = ("tests/data/annotated.jsonl", "tests/data/fresh-annotated.jsonl")

data_option = click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Annotated set (JSON Lines, as `socieux-kg evaluate` reads); repeat for several. The entries "
    "with gold themes are used.  [default: the project's tests/data/annotated.jsonl and fresh-annotated.jsonl]",
)
seeds_option = click.option(
    "--seeds",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the seed documents the sets refer to.  [default: seeds/ here, else the project's seeds/]",
)
seed_option = click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the training.")
epochs_option = click.option(
    "--epochs", type=click.IntRange(min=1), default=20, show_default=True, help="Passes over the examples."
)


def _fail(error: Exception | str) -> NoReturn:
    click.echo(f"socieux-kg: error: {error}", err=True)
    sys.exit(1)


def _inputs(data: tuple[Path, ...], seeds: Path | None) -> tuple[list[Path], Path]:
    from graph.vocab import ontology_dir

    project = ontology_dir().parent
    sets = list(data) or [project / name for name in DEFAULT_SETS]
    return sets, seeds or (Path("seeds") if Path("seeds").is_dir() else project / "seeds")


def _progress(started: float):
    def say(message: str) -> None:
        click.echo(f"  {time.perf_counter() - started:6.1f} s  {message}", err=True)

    return say


@click.group()
def themes() -> None:
    """Train the learned theme model; compare the theme methods by cross-validation.

    \b
    socieux-kg themes compare                     rules, learned and combined, cross-validated
    socieux-kg themes train --out my-model        train on the annotated sets, write the model
    socieux-kg build --themes-model my-model      build with it
    """


@themes.command()
@data_option
@seeds_option
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the model into (ontology/models/themes is the one the package ships).",
)
@seed_option
@epochs_option
def train(data: tuple[Path, ...], seeds: Path | None, out: Path, seed: int, epochs: int) -> None:
    """Train the theme model on annotated actions and write it into OUT.

    The model is spaCy's textcat_multilabel over the content words of an action's title and
    description, with a threshold and a combiner (its probability with the cue rules) fitted on
    out-of-fold probabilities. Deterministic: the same sets and seed give the same model. Use it
    with `socieux-kg build --themes-model OUT` (and `evaluate --themes-model OUT`).
    """
    from graph.errors import SocieuxError
    from graph.files import check_writable
    from graph.themes_training import load_examples
    from graph.themes_training import train as run_training

    started = time.perf_counter()
    say = _progress(started)
    sets, seeds_dir = _inputs(data, seeds)
    try:
        check_writable(out.parent, create=False)
        examples = load_examples(sets, seeds_dir, say)
        model = run_training(examples, seed=seed, epochs=epochs, progress=say)
        model.save(out)
    except SocieuxError as error:
        _fail(error)
    except OSError as error:
        _fail(f"{out}: cannot write the model: {error.strerror or error}")
    click.echo(
        f"socieux-kg: trained the theme model on {len(examples)} actions into {out}/ "
        f"(learned threshold {model.learned_threshold:g}, combined threshold {model.combiner.threshold:g}); "
        f"{time.perf_counter() - started:.1f} s"
    )


@themes.command()
@data_option
@seeds_option
@click.option(
    "--folds",
    type=int,
    default=None,
    help="K folds of actions (shuffled by --seed) instead of holding out one document at a time.",
)
@seed_option
@epochs_option
def compare(data: tuple[Path, ...], seeds: Path | None, folds: int | None, seed: int, epochs: int) -> None:
    """Compare the theme methods (rules, learned, combined) by cross-validation.

    Each held-out part is scored by a model trained on the rest (the rules need no training): by
    default one document at a time (the seed documents count as one), with --folds K in K folds of
    actions, an action's texts never on both sides. Prints precision, recall and F1 per method,
    per held-out part and overall, scored as `evaluate` scores themes.
    """
    from graph.errors import SocieuxError
    from graph.themes_training import cross_validate, format_comparison, load_examples

    say = _progress(time.perf_counter())
    sets, seeds_dir = _inputs(data, seeds)
    try:
        examples = load_examples(sets, seeds_dir, say)
        comparison = cross_validate(examples, folds=folds, seed=seed, epochs=epochs, progress=say)
    except SocieuxError as error:
        _fail(error)
    click.echo(format_comparison(comparison), nl=False)
