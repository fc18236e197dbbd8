"""The scale benchmark: build time and peak memory at several scales, extraction against a bare
tokenizer pass, named queries on Oxigraph against rdflib, a cold seed build against importing spaCy
and rdflib, and `socieux-kg --help`. Prints a table and writes bench/results.json.

    python bench/run.py [--scales 1 10 100] [--work /tmp/socieux-bench] [--build-flags=--no-validate]

Workloads: bench/generate.py corpora of SCALE times the seed volume (218 actions, 43 news items
per unit, about 8% of actions repeated across documents); each build is a fresh process running
`python -m graph build CORPUS --out OUT -q` with the default options (validation, network views,
store) unless --build-flags says otherwise. Queries: every named query, median of 3 runs on the
store at the largest scale; rdflib's memory store against the build's Oxigraph store of the same
graph at --compare-scale (10). Extraction: the spaCy pass and rules over every title, partner and
description line of the compare-scale corpus, against `nlp.tokenizer.pipe` over the same texts.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402


def _tree_rss(root: int) -> int:
    """Memory (bytes) of a process and all its descendants (worker processes included): the sum of
    their proportional set sizes (a page shared by two processes counts half in each), or of their
    resident sizes where the kernel gives no PSS."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return sum(_pss(pid, rss.get(pid, 0)) for pid in tree)


def _pss(pid: int, rss: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return rss


PAGE = os.sysconf("SC_PAGE_SIZE")


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak memory (MiB) of a command: the largest sum, sampled every 50 ms, of
    the resident memory of its process and the worker processes it starts."""
    started = time.perf_counter()
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        peak = 0
        while child.poll() is None:
            peak = max(peak, _tree_rss(child.pid))
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        stderr = child.stderr.read()
        if child.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {stderr[-500:]}")
    return elapsed, peak // 2**20


def extraction_against_tokenizer(corpus: Path) -> dict:
    from graph.build import find_seed_files
    from graph.extract.nlp import load_nlp
    from graph.extract.run import extract
    from graph.read.merge import merge_documents
    from graph.read.reader import DocumentReader, read_document

    reader = DocumentReader()
    documents = [read_document(p, reader) for p in find_seed_files([corpus])]
    actions = merge_documents(documents, reader.matcher).actions
    texts = [f.value for a in actions for f in [a.first.title, *a.first.partners, *a.first.description]]
    nlp = load_nlp()
    gc.disable()  # as in a build
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=256))
    bare = time.perf_counter() - started
    started = time.perf_counter()
    extract(actions, jobs=1)
    one = time.perf_counter() - started
    started = time.perf_counter()
    extract(actions)
    full = time.perf_counter() - started
    gc.enable()
    return {
        "tokens": tokens,
        "tokenizer_s": round(bare, 2),
        "extraction_one_process_s": round(one, 2),
        "extraction_s": round(full, 2),
        "ratio": round(full / bare, 1),
        "ratio_one_process": round(one / bare, 1),
        "tokens_per_s": round(tokens / bare),
    }


PARAMS = {
    "country": {"country": "PER"},
    "institution": {"institution": "MLSP"},
    "edge-evidence": {"property": "expertCountry", "value": "FRA"},
}


def _median_time(run, *args, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run(*args)
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def queries(large: Path, small: Path) -> list[dict]:
    """Each named query on the default store (Oxigraph, the build's store/) at the largest scale,
    and on both Oxigraph and rdflib's memory store at a smaller scale (rdflib cannot load the largest
    graph in reasonable time: it parses about 20,000 triples a second)."""
    from graph.sparql.query import load_graph, named_queries, run_query
    from graph.sparql.store import open_store, run_query_store, store_for

    large_store = open_store(store_for(large))
    small_store = open_store(store_for(small))
    graph = load_graph(small)
    rows = []
    for name, query in named_queries().items():
        params = PARAMS.get(name)
        at_large = _median_time(run_query_store, large_store, query, params)
        oxigraph = _median_time(run_query_store, small_store, query, params)
        rdflib = _median_time(run_query, graph, query, params, repeat=1)
        rows.append(
            {
                "query": name,
                "oxigraph_large_s": round(at_large, 3),
                "oxigraph_small_s": round(oxigraph, 4),
                "rdflib_small_s": round(rdflib, 3),
                "speed_up": round(rdflib / oxigraph, 1) if oxigraph else None,
            }
        )
    return rows


TARGETS = """\
scale 100 wall time (s) <= 40
scale 100 peak memory (MiB) <= 3072
extraction / bare tokenizer <= 3
time(100) / time(10) <= 12
slowest query at scale 100, Oxigraph (s) <= 0.5
smallest query speed-up, rdflib / Oxigraph <= -20
cold seed build / import spacy, rdflib <= 3
socieux-kg --help (s) <= 0.5"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--work", type=Path, default=Path("/tmp/socieux-bench"))
    parser.add_argument("--build-flags", default="", help="extra flags for socieux-kg build, e.g. --no-validate")
    parser.add_argument("--query-scale", type=int, default=None, help="scale whose store the queries run on")
    parser.add_argument("--compare-scale", type=int, default=10, help="scale where rdflib and Oxigraph are compared")
    args = parser.parse_args()
    python = sys.executable
    results: dict = {"scales": {}, "build_flags": args.build_flags, "machine": machine()}
    for scale in sorted(set(args.scales) | {args.compare_scale}):
        corpus = args.work / f"scale-{scale}"
        manifest = generate(scale, corpus)
        out = args.work / f"out-{scale}"
        wall, peak = timed(
            [python, "-m", "graph", "build", str(corpus), "--out", str(out), "-q", *shlex.split(args.build_flags)]
        )
        report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))["counts"]
        results["scales"][scale] = {
            "wall_s": round(wall, 1),
            "peak_mib": peak,
            "manifest": manifest,
            "actions": report["actions"],
            "triples": report["triples"],
        }
        print(
            f"scale {scale}: {report['actions']} actions, {report['triples']} triples, {wall:.1f} s, {peak} MiB",
            flush=True,
        )
    scales = sorted(results["scales"])
    if len(scales) >= 2:
        results["growth"] = round(results["scales"][scales[-1]]["wall_s"] / results["scales"][scales[-2]]["wall_s"], 1)
    results["extraction"] = extraction_against_tokenizer(args.work / f"scale-{args.compare_scale}")
    query_scale = args.query_scale or scales[-1]
    results["queries"] = queries(
        args.work / f"out-{query_scale}" / "socieux.ttl", args.work / f"out-{args.compare_scale}" / "socieux.ttl"
    )
    results["query_scale"] = query_scale
    results["compare_scale"] = args.compare_scale
    seeds_wall, _ = timed([python, "-m", "graph", "build", "--out", str(args.work / "out-seeds"), "-q"])
    imports_wall, _ = timed([python, "-c", "import spacy, rdflib"])
    help_wall, _ = timed([str(Path(python).with_name("socieux-kg")), "--help"])
    results["cold_seed_build"] = {
        "build_s": round(seeds_wall, 2),
        "import_spacy_rdflib_s": round(imports_wall, 2),
        "ratio": round(seeds_wall / imports_wall, 1),
    }
    results["help_s"] = round(help_wall, 3)
    report_table(results)
    (Path(__file__).with_name("results.json")).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def machine() -> dict:
    import os
    import platform

    return {"processors": len(os.sched_getaffinity(0)), "python": platform.python_version()}


def report_table(results: dict) -> None:
    scales = sorted(results["scales"])
    print("\nscale  actions  triples    wall s  peak MiB")
    for scale in scales:
        row = results["scales"][scale]
        print(f"{scale:5}  {row['actions']:7}  {row['triples']:8}  {row['wall_s']:7.1f}  {row['peak_mib']:8}")
    q = results["queries"]
    print(
        f"\nquery                      Oxigraph s (scale {results['query_scale']})  "
        f"Oxigraph / rdflib s (scale {results['compare_scale']})  rdflib/Oxigraph"
    )
    for row in q:
        print(
            f"{row['query']:26} {row['oxigraph_large_s']:10.3f}  "
            f"{row['oxigraph_small_s']:10.4f} / {row['rdflib_small_s']:7.3f}  {row['speed_up']:8}"
        )
    e, c = results["extraction"], results["cold_seed_build"]
    largest = results["scales"][scales[-1]]
    measured = [
        largest["wall_s"] if scales[-1] == 100 else None,
        largest["peak_mib"] if scales[-1] == 100 else None,
        e["ratio"],
        results.get("growth") if scales[-2:] == [10, 100] else None,
        max(row["oxigraph_large_s"] for row in q) if results["query_scale"] == 100 else None,
        -min(row["speed_up"] or 0 for row in q),
        c["ratio"],
        results["help_s"],
    ]
    print("\ntarget                                              measured   met")
    results["targets"] = []
    for line, value in zip(TARGETS.splitlines(), measured, strict=True):
        name, limit = line.rsplit(" <= ", 1)
        limit_value = float(limit)
        met = None if value is None else value <= limit_value
        shown = "-" if value is None else f"{abs(value):g}"
        bound = f">= {-limit_value:g}" if limit_value < 0 else f"<= {limit_value:g}"
        print(f"{name + ' ' + bound:52} {shown:>8}   {'-' if met is None else 'yes' if met else 'NO'}")
        results["targets"].append(
            {"target": f"{name} {bound}", "measured": None if value is None else abs(value), "met": met}
        )
    print(
        f"\nextraction {e['extraction_s']} s ({e['extraction_one_process_s']} s in one process) vs bare "
        f"tokenizer {e['tokenizer_s']} s "
        f"({e['tokens']} tokens); cold seed build {c['build_s']} s vs imports {c['import_spacy_rdflib_s']} s"
    )


if __name__ == "__main__":
    main()
