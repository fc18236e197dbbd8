"""The extraction's own time on one or more corpora, each in a fresh process (pipeline loaded first).

    python bench/extraction.py seeds                       # the seeds
    python ../shared/bench/make_scale.py seeds 100 /tmp/c100
    python bench/extraction.py seeds /tmp/c100             # and 100 x the seeds

For each corpus: its documents are read and merged as a build does (not timed), then timed: the
build's extraction (``graph.extract.run.extract``: worker processes on large inputs, one process
below 5,000 distinct texts) and the spaCy pass alone in one process over the distinct texts (what
the pipeline costs per text). Seconds are the median of ``--runs`` runs (default 3), each run in
a fresh process. The machine is shared: the load average before and after is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = """
import json, sys, time
from pathlib import Path
from graph.collector import collector_paused
from graph.build import find_seed_files
from graph.extract.facts import action_texts
from graph.extract.nlp import load_nlp
from graph.extract.run import _findings, extract
from graph.read.merge import merge_documents
from graph.read.reader import DocumentReader, read_document

with collector_paused():  # as in a build
    reader = DocumentReader()
    documents = [read_document(p, reader) for p in find_seed_files([Path(sys.argv[1])])]
    actions = merge_documents(documents, reader.matcher).actions
    texts = [(name, where.value) for action in actions for name, where in action_texts(action)]
    distinct = list(dict.fromkeys(texts))
    load_nlp()
    started = time.perf_counter()
    if sys.argv[2] == "extraction":
        extract(actions)
    else:
        _findings(distinct)
    print(json.dumps({"seconds": time.perf_counter() - started, "actions": len(actions), "distinct": len(distinct)}))
"""


def timed(corpus: Path, what: str) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, str(corpus), what], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{corpus} ({what}) failed: {done.stderr[-800:]}")
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+", type=Path, help="folders of seed documents")
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (the median is shown)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"{'corpus':24} {'actions':>8} {'distinct texts':>15} {'extraction s':>13} {'spaCy pass, one process s':>26}")
    for corpus in args.corpora:
        runs = {what: [timed(corpus, what) for _ in range(args.runs)] for what in ("extraction", "pass")}
        first = runs["extraction"][0]
        seconds = {what: statistics.median(r["seconds"] for r in found) for what, found in runs.items()}
        print(
            f"{str(corpus):24} {first['actions']:>8} {first['distinct']:>15} {seconds['extraction']:>13.2f} "
            f"{seconds['pass']:>26.2f}"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
