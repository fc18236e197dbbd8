"""The build benchmark of issue 12, from one run: the default build of a large corpus (100 times the
seeds) against its targets, wall time, peak memory, scaling and extraction against a bare tokenizer.

    python bench/run.py                      # bench/generate.py writes 100 x the seeds into --work
    python bench/run.py CORPUS               # any folder of seed documents, e.g. the shared corpus:
                                             # python ../shared/bench/make_scale.py seeds 100 /tmp/c100
    python bench/run.py CORPUS --small SMALL # the small corpus for the scaling ratio (default: every
                                             # tenth document of CORPUS, a tenth of the volume)

Each build is a fresh `python -m graph build CORPUS --out OUT` with the default options (validation,
network views and files, statistics, store), as a user runs it; its progress lines give the stages'
times. Peak memory is the largest sum, sampled every 50 ms, of the proportional set sizes of the
build and its worker processes (a page two processes share counts half in each). Extraction: the
build's extraction (`graph.extract.run.extract`, default worker processes) of the large corpus's
merged actions, against spaCy's bare tokenizer (`nlp.tokenizer.pipe`) over the same texts, each in a
fresh process with the pipeline loaded beforehand; also the extraction in one process over the
distinct texts against the tokenizer over those (what our pipeline costs per text). The machine is
shared: the load average before and after is printed with the results, which go to
bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 2**20

TARGETS = (
    ("build wall at 100 x, s", "wall_s", 40),
    ("build peak memory at 100 x, MiB", "peak_mib", 3072),
    ("time(100 x) / time(10 x)", "scaling", 11),
    ("extraction / bare tokenizer", "extraction_ratio", 3),
)


def _tree(root: int) -> list[int]:
    """A process and all its descendants."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree += children
        frontier += children
    return tree


def _pss(pid: int) -> int:
    """The proportional set size of a process, in bytes (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def timed(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak memory (MiB: the largest sum of the PSS of the process and its
    descendants, sampled every 50 ms) and the standard error of a command."""
    started = time.perf_counter()
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        peak = 0
        while child.poll() is None:
            peak = max(peak, sum(_pss(pid) for pid in _tree(child.pid)))
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        stderr = child.stderr.read()
        if child.returncode not in (0,):
            raise SystemExit(f"{' '.join(command)} failed ({child.returncode}): {stderr[-800:]}")
    return elapsed, peak // MIB, stderr


PROGRESS = re.compile(r"^\s+(\d+\.\d) s  (.*)$")


def stages(stderr: str) -> list[tuple[float, str]]:
    """The timeline of a build from its progress lines: when (seconds from the start) each stage
    ended; the network outputs as one line (their worker reports them together)."""
    found: list[tuple[float, str]] = []
    for line in stderr.splitlines():
        match = PROGRESS.match(line)
        if not match or match.group(2).startswith("read "):
            continue
        at, what = float(match.group(1)), match.group(2).split(":")[0]
        if re.search(r"/(views|network|stats)/", what):
            if found and found[-1][1] == "network outputs":
                continue
            what = "network outputs"
        found.append((at, what.removeprefix("wrote ").rsplit("/", 1)[-1]))
    return found


def build(corpus: Path, out: Path) -> dict:
    wall, peak, stderr = timed([sys.executable, "-m", "graph", "build", str(corpus), "--out", str(out)])
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))["counts"]
    return {
        "corpus": str(corpus),
        "documents": len(list(corpus.glob("*.txt"))),
        "actions": report["actions"],
        "triples": report["triples"],
        "wall_s": round(wall, 1),
        "peak_mib": peak,
        "stages": stages(stderr),
    }


EXTRACTION = """
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
    nlp = load_nlp()
    started = time.perf_counter()
    if sys.argv[2] == "tokenizer":
        tokens = sum(len(doc) for doc in nlp.tokenizer.pipe((text for _, text in texts), batch_size=256))
    elif sys.argv[2] == "tokenizer-distinct":
        tokens = sum(len(doc) for doc in nlp.tokenizer.pipe((text for _, text in distinct), batch_size=256))
    elif sys.argv[2] == "extraction":
        tokens = len(extract(actions).facts)
    else:  # one process, every distinct text: the pipeline's cost per text
        tokens = len(_findings(distinct))
    print(json.dumps({"seconds": time.perf_counter() - started, "count": tokens, "texts": len(texts),
                      "distinct": len(distinct)}))
"""


def extraction(corpus: Path) -> dict:
    """The build's extraction against a bare tokenizer pass over the same texts, each in a fresh process."""
    runs = {}
    for what in ("tokenizer", "extraction", "tokenizer-distinct", "one-process-distinct"):
        done = subprocess.run(
            [sys.executable, "-c", EXTRACTION, str(corpus), what], cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"extraction benchmark ({what}) failed: {done.stderr[-800:]}")
        runs[what] = json.loads(done.stdout.splitlines()[-1])
    return {
        "texts": runs["tokenizer"]["texts"],
        "distinct_texts": runs["tokenizer"]["distinct"],
        "tokens": runs["tokenizer"]["count"],
        "tokenizer_s": round(runs["tokenizer"]["seconds"], 2),
        "extraction_s": round(runs["extraction"]["seconds"], 2),
        "ratio": round(runs["extraction"]["seconds"] / runs["tokenizer"]["seconds"], 1),
        "tokenizer_distinct_s": round(runs["tokenizer-distinct"]["seconds"], 2),
        "one_process_distinct_s": round(runs["one-process-distinct"]["seconds"], 2),
        "ratio_per_text": round(runs["one-process-distinct"]["seconds"] / runs["tokenizer-distinct"]["seconds"], 1),
    }


def other_checks(work: Path) -> dict:
    """Checks from earlier issues, cheap enough to keep: a cold seed build against importing spaCy
    and rdflib (at most 3 x), and `socieux-kg --help` (under 0.5 s)."""
    seeds, _, _ = timed([sys.executable, "-m", "graph", "build", "--out", str(work / "out-seeds"), "-q"])
    imports, _, _ = timed([sys.executable, "-c", "import spacy, rdflib"])
    help_s, _, _ = timed([str(Path(sys.executable).with_name("socieux-kg")), "--help"])
    return {
        "cold_seed_build_s": round(seeds, 2),
        "import_spacy_rdflib_s": round(imports, 2),
        "cold_seed_build_ratio": round(seeds / imports, 1),
        "help_s": round(help_s, 3),
    }


def tenth(corpus: Path, folder: Path) -> Path:
    """Every tenth document of a corpus (by name), linked into ``folder``: a tenth of its volume."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for document in sorted(corpus.glob("*.txt"))[::10]:
        (folder / document.name).symlink_to(document.resolve())
    return folder


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        "corpus", nargs="?", type=Path, help="folder of seed documents (default: bench/generate.py 100)"
    )
    parser.add_argument("--small", type=Path, help="corpus for the scaling ratio (default: every tenth document)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/socieux-bench"), help="folder for corpora and outputs")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.corpus is None:
        from bench.generate import generate

        args.corpus = args.work / "generated-100"
        generate(100, args.corpus)
    small = args.small or tenth(args.corpus, args.work / "tenth")
    results: dict = {"machine": machine(), "load_before": load()}
    print(f"machine: {results['machine']}; load average {results['load_before']}", flush=True)
    results["large"] = build(args.corpus, args.work / "out-large")
    print(f"large: {_row(results['large'])}", flush=True)
    results["small"] = build(small, args.work / "out-small")
    print(f"small: {_row(results['small'])}", flush=True)
    results["extraction"] = extraction(args.corpus)
    results["other"] = other_checks(args.work)
    results["load_after"] = load()
    large, small_run, e = results["large"], results["small"], results["extraction"]
    measured = {
        "wall_s": large["wall_s"],
        "peak_mib": large["peak_mib"],
        "scaling": round(large["wall_s"] / small_run["wall_s"], 1),
        "extraction_ratio": e["ratio"],
    }
    results["targets"] = [
        {"target": name, "limit": limit, "measured": measured[key], "met": measured[key] <= limit}
        for name, key, limit in TARGETS
    ]
    report(results)
    (Path(__file__).with_name("results.json")).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _row(run: dict) -> str:
    return (
        f"{run['documents']} documents, {run['actions']} actions, {run['triples']} triples: "
        f"{run['wall_s']} s, {run['peak_mib']} MiB"
    )


def machine() -> dict:
    import platform

    return {"processors": len(os.sched_getaffinity(0)), "python": platform.python_version()}


def report(results: dict) -> None:
    print("\nthe large build's progress (seconds from the start when each stage ended)")
    for at, name in results["large"]["stages"]:
        print(f"  {at:6.1f}  {name}")
    e = results["extraction"]
    print(
        f"\nextraction {e['extraction_s']} s against the bare tokenizer {e['tokenizer_s']} s over the same "
        f"{e['texts']} texts ({e['tokens']} tokens); per text, in one process over the {e['distinct_texts']} "
        f"distinct texts: {e['one_process_distinct_s']} s against {e['tokenizer_distinct_s']} s "
        f"({e['ratio_per_text']} x)"
    )
    print(f"\n{'target':40} {'limit':>7} {'measured':>9}  met")
    for row in results["targets"]:
        print(f"{row['target']:40} {row['limit']:>7} {row['measured']:>9}  {'yes' if row['met'] else 'NO'}")
    o = results["other"]
    print(
        f"\nearlier checks: cold seed build {o['cold_seed_build_s']} s = {o['cold_seed_build_ratio']} x "
        f"`import spacy, rdflib` ({o['import_spacy_rdflib_s']} s; target 3 x); `socieux-kg --help` {o['help_s']} s "
        "(target 0.5 s)"
    )
    print(f"\nload average before {results['load_before']}, after {results['load_after']}")


if __name__ == "__main__":
    main()
