"""The README's examples run, and print what the README shows: the same lines, words, columns and
rows. Numbers are left out of the comparison: an improvement of the extraction changes counts and
scores, and must not break a test; the README's figures are refreshed from a build when they do."""

from __future__ import annotations

import re
import shlex

import pytest

from tests.conftest import ROOT, invoke
from tests.test_cli import HEADER

README = (ROOT / "README.md").read_text(encoding="utf-8")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def shape(text: str) -> list[str]:
    """The lines of some output without their numbers and column padding: what must match."""
    lines = []
    for line in text.strip().splitlines():
        line = " ".join(NUMBER.sub("#", line).split())
        lines.append(re.sub(r"^[- ]+$", "---", line) if set(line) <= {"-", " "} and line else line)
    return lines


def example(command: str) -> tuple[str, str]:
    """The command line (up to its closing quote for quoted SPARQL) and the output the README shows
    after ``$ COMMAND``, up to the end of its console block."""
    start = README.index(f"$ {command}")
    end = README.index("\n```", start)
    block = README[start + 2 : end]
    if "'" in block.split("\n", 1)[0]:  # a quoted argument over several lines
        close = block.index("'", block.index("'") + 1)
        newline = block.index("\n", close)
        return block[:newline], block[newline + 1 :]
    first, _, rest = block.partition("\n")
    return first, rest


def run(args: list[str], cwd) -> str:
    """Run the command line in this process (the real click commands), in ``cwd``: what it prints."""
    done = invoke(*args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_readme_states_the_actions_contract():
    assert f"\n{HEADER}\n" in README


def test_readme_starts_with_the_two_commands():
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert commands[0].endswith("socieux-kg build")
    assert commands[1].endswith("python -m pytest")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_build_example_is_what_a_build_prints(built_project):
    """Each line shown is printed, in order (the README leaves some out: "...")."""
    _, shown = example("socieux-kg build\n")
    printed = shape(built_project.done.stderr + built_project.done.stdout)
    at = 0
    for line in shape(shown):
        if line == "...":
            continue
        assert line in printed[at:], line
        at = printed.index(line, at) + 1


@pytest.mark.parametrize("command", ["socieux-kg query themes --limit 3", "socieux-kg query 'PREFIX"])
def test_query_examples_print_what_the_readme_shows(built_project, command):
    line, shown = example(command)
    printed = run(shlex.split(line)[1:], built_project.folder)
    assert shape(printed) == shape(shown)


def test_every_query_command_of_the_usage_block_runs(built_project):
    start = README.index("$ socieux-kg query --list")
    block = README[start : README.index("\n```", start)]
    ran = 0
    for line in block.splitlines():
        args = shlex.split(line.split("  #", 1)[0].removeprefix("$ "))[1:]
        if any(a.endswith(".rq") for a in args):
            continue  # the user's own query file
        run([a.replace("exports/socieux.nt", "exports/socieux.ttl") for a in args], built_project.folder)
        ran += 1
    assert ran >= 7


def test_readme_evaluation_example_is_what_evaluate_prints():
    line, shown = example("socieux-kg evaluate --data")
    done = invoke(*shlex.split(line)[1:])
    assert done.returncode == 0, done.stderr
    assert shape(done.stdout) == shape(shown)
