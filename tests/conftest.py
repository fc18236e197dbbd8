"""Shared fixtures: the real seed documents, a built seed graph, and small text fixtures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.build import BuildResult, build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def write(folder: Path, name: str, text: str) -> Path:
    """Write a fixture document (dedented) and return its path."""
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run_cli(
    *args: str | os.PathLike, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would (``env``: added to the environment)."""
    return subprocess.run(
        [sys.executable, "-m", "graph", *map(str, args)],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env} if env else None,
    )


@dataclass(frozen=True)
class BuiltProject:
    folder: Path  # seeds/ and exports/
    done: subprocess.CompletedProcess  # the build's exit code, summary line and progress

    @property
    def exports(self) -> Path:
        return self.folder / "exports"


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> BuiltProject:
    """A folder laid out like the project, seeds/ a copy of the seeds, and the build the README's
    first command makes there: ``socieux-kg build`` with no arguments, in a subprocess as a user runs
    it (with PYTHONHASHSEED=1, see test_graph). Made once a session; tests only read it (a test that
    changes outputs copies them first)."""
    folder = tmp_path_factory.mktemp("project")
    (folder / "seeds").mkdir()
    for path in SEED_FILES:
        shutil.copy(path, folder / "seeds" / path.name)
    done = run_cli("build", cwd=folder, env={"PYTHONHASHSEED": "1"})
    assert done.returncode == 0, done.stderr
    return BuiltProject(folder, done)


@pytest.fixture(scope="session")
def seed_build() -> BuildResult:
    return build(SEED_FILES, validate=False)
