"""A build interrupted half-way (SIGINT or SIGKILL) leaves the previous outputs whole and loadable."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.workers import large_input
from tests.conftest import ROOT, SEED_FILES


@pytest.fixture(scope="module")
def previous(tmp_path_factory, built_project) -> Path:
    """A copy of the seed build's outputs, for the interrupted build to write over."""
    out = tmp_path_factory.mktemp("previous") / "exports"
    shutil.copytree(built_project.exports, out)
    return out


@pytest.fixture(scope="module")
def big_input(tmp_path_factory) -> Path:
    """Six batches of the first seed with distinct titles: a build that takes a while (1,250
    actions: worker processes extract them while the next documents are read)."""
    text = SEED_FILES[0].read_text(encoding="utf-8")
    folder = tmp_path_factory.mktemp("big")
    for batch in range(6):
        renamed = re.sub(r"^(\s*• .+)$", rf"\1 (batch {batch})", text, flags=re.MULTILINE)
        (folder / f"batch-{batch:02d}.txt").write_text(renamed, encoding="utf-8")
    assert large_input(sorted(folder.glob("*.txt")))  # extracted by worker processes
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "store" not in p.relative_to(folder).parts
    }


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_build_leaves_previous_outputs_whole(previous, big_input, sig):
    before = snapshot(previous)
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "build", str(big_input), "--out", str(previous)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # wait until the build has handed a document to its extraction workers (they start before the
    # second document is read) and is reading the next, then interrupt it
    deadline = time.monotonic() + 60
    seen = ""
    while "read batch-01.txt" not in seen and time.monotonic() < deadline:
        seen += process.stderr.readline()
    assert "read batch-01.txt" in seen, seen
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert process.returncode == 130 and "Traceback" not in stderr
        assert stderr.strip().splitlines()[-1].startswith("socieux-kg: interrupted")
    else:
        assert process.returncode == -signal.SIGKILL
    assert snapshot(previous) == before
    assert len(list(ox.parse(path=previous / "socieux.ttl", format=ox.RdfFormat.TURTLE))) > 20_000
    assert not [p for p in previous.iterdir() if p.name.endswith(".tmp")]


KILLED_AT_THE_SWAP = """
import os, signal, sys
from pathlib import Path
import graph.sparql.store as store

def killing(step):
    def run(*args, **kwargs):
        step(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)  # killed once the first rename or swap is done
    return run

os.replace = killing(os.replace)
os.rename = killing(os.rename)
if hasattr(store, "exchange"):
    store.exchange = killing(store.exchange)
store.write_store('<urn:s> <urn:p> "new" .', Path(sys.argv[1]))
"""


def test_a_store_replaced_by_a_killed_process_is_the_old_or_the_new_one(tmp_path):
    """The store is swapped in one step: killed right after the first rename (or swap) of its
    folders, the process leaves a whole store, here the new one."""
    from graph.sparql.store import open_store, write_store

    target = tmp_path / "store"
    write_store('<urn:s> <urn:p> "old" .', target)
    done = subprocess.run([sys.executable, "-c", KILLED_AT_THE_SWAP, str(target)], cwd=ROOT, timeout=120)
    assert done.returncode == -signal.SIGKILL
    values = [quad.object.value for quad in open_store(target)]
    assert values in (["old"], ["new"])
