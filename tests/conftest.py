"""Shared fixtures: the real seed documents, a built seed graph, and small text fixtures."""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import re
import shutil
import signal
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

# Tests interrupt builds and servers with SIGINT (Ctrl-C). A process started in the background by a
# shell without job control inherits SIGINT ignored, and so would every process it starts: Python
# then never raises KeyboardInterrupt. The tests' processes get the default disposition back.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


# The test files that take longest, longest first: pytest-xdist hands files to its two workers in
# collection order, and a long file handed out last keeps one worker busy while the other idles.
# The first two need no shared build, so neither worker starts by waiting for the other's.
LONGEST_FIRST = (
    "test_stores.py",
    "test_scale.py",
    "test_views.py",
    "test_site.py",
    "test_kill.py",
    "test_graph.py",
    "test_corrections.py",
    "test_cli.py",
    "test_queries.py",
    "test_shapes.py",
    "test_query_output.py",
    "test_query_page.py",
    "test_evaluation.py",
    "test_server.py",
    "test_site_served.py",
    "test_dataset.py",
    "test_readme.py",
    "test_misuse.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files first (LONGEST_FIRST), then the others in their usual order."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def write(folder: Path, name: str, text: str) -> Path:
    """Write a fixture document (dedented) and return its path."""
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def serving_port(process: subprocess.Popen) -> tuple[int, str]:
    """The port that a ``serve`` process announces on its standard error, and the lines it wrote up to
    that line (a line about the resource pages, when they are loaded, comes before it)."""
    seen = ""
    for _ in range(10):
        line = process.stderr.readline()
        seen += line
        found = re.search(r"serving .* on http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return int(found.group(1)), seen
        if not line:
            break
    raise AssertionError(f"serve did not announce its port: {seen!r}")


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


def invoke(
    *args: str | os.PathLike, cwd: Path | None = None, env: dict[str, str | None] | None = None
) -> subprocess.CompletedProcess:
    """Run the command line's real click commands in this process (a tenth of a subprocess's cost;
    ``run_cli`` where the process itself is tested): exit code, standard output and error as
    ``run_cli`` gives them. ``env``: set for the call (None removes a variable)."""
    from click.testing import CliRunner

    from graph.cli import main

    here = os.getcwd()
    os.chdir(cwd or ROOT)
    try:
        result = CliRunner().invoke(main, [str(arg) for arg in args], env=env)
    finally:
        os.chdir(here)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


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
    it (with PYTHONHASHSEED=1, see test_graph). Made once a test run, shared by pytest-xdist's worker
    processes (the first to ask builds, under a file lock); tests only read it (a test that changes
    outputs copies them first)."""
    root = shared_folder(tmp_path_factory)
    folder = root / "built-project"
    record = root / "built-project.json"
    with open(root / "built-project.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            (folder / "seeds").mkdir(parents=True)
            for path in SEED_FILES:
                shutil.copy(path, folder / "seeds" / path.name)
            done = run_cli("build", cwd=folder, env={"PYTHONHASHSEED": "1"})
            record.write_text(json.dumps([done.args, done.returncode, done.stdout, done.stderr]), encoding="utf-8")
        done = subprocess.CompletedProcess(*json.loads(record.read_text(encoding="utf-8")))
    assert done.returncode == 0, done.stderr
    return BuiltProject(folder, done)


def shared_folder(tmp_path_factory) -> Path:
    """A folder all of pytest-xdist's workers of this run see (each worker's own otherwise)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> BuildResult:
    """The seed graph built in process (no outputs written), once a run: the first worker to ask
    builds it, under a file lock, and leaves it pickled for the others."""
    root = shared_folder(tmp_path_factory)
    pickled = root / "seed-build.pickle"
    with open(root / "seed-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if pickled.exists():
            return pickle.loads(pickled.read_bytes())
        result = build(SEED_FILES, validate=False)
        pickled.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        return result


@pytest.fixture(scope="session")
def seed_store(seed_build):
    """The seed graph in an in-memory Oxigraph store: the engine `socieux-kg query` runs named
    queries on (tests/test_queries.py checks rdflib gives the same terms)."""
    from graph.rdf.serialise import ntriples
    from graph.sparql.store import memory_store

    return memory_store(ntriples(seed_build.triples))


def seed_rows(seed_store, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The rows of the named query ``name`` on the seed graph."""
    from graph.sparql.query import named_queries
    from graph.sparql.store import run_query_store

    return run_query_store(seed_store, named_queries()[name], params).rows
