"""The README's examples say what the code does."""

from __future__ import annotations

import re

from tests.conftest import ROOT, run_cli
from tests.test_cli import HEADER

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_states_the_actions_contract():
    assert f"\n{HEADER}\n" in README


def test_readme_sparql_example_prints_what_the_readme_shows(tmp_path):
    block = re.search(r"\$ socieux-kg query '(.*?)'\n(.*?)\n```", README, re.S)
    query, shown = block.group(1), block.group(2)
    assert run_cli("build", "--out", tmp_path, "-q", "--no-validate").returncode == 0
    done = run_cli("query", query, "--graph", tmp_path / "socieux.ttl")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == shown.strip()


def test_readme_starts_with_the_two_commands():
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert commands[0].endswith("socieux-kg build")
    assert commands[1].endswith("python -m pytest")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_evaluation_example_is_what_evaluate_prints():
    block = re.search(r"\$ socieux-kg evaluate --data (\S+)\n(.*?)\n```", README, re.S)
    done = run_cli("evaluate", "--data", block.group(1))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == block.group(2).strip()
