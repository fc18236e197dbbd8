"""The scale benchmark: build time and peak memory at several scales, extraction against a bare
tokenizer pass, named queries on Oxigraph against rdflib, a cold seed build against importing spaCy
and rdflib, and `socieux-kg --help`. Prints a table and writes bench/results.json.

    python bench/run.py [--scales 1 10 100] [--work /tmp/socieux-bench] [--build-flags=--no-validate]
"""

from __future__ import annotations

import argparse
import json
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr[-500:]}")
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return elapsed, peak // 1024


def extraction_against_tokenizer(corpus: Path) -> dict:
    from graph.extract.nlp import load_nlp
    from graph.extract.run import extract
    from graph.merge import merge_documents
    from graph.pipeline import find_seed_files
    from graph.reader import DocumentReader, read_document

    reader = DocumentReader()
    documents = [read_document(p, reader) for p in find_seed_files([corpus])]
    actions = merge_documents(documents, reader.matcher).actions
    texts = [f.value for a in actions for f in [a.first.title, *a.first.partners, *a.first.description]]
    nlp = load_nlp()
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=256))
    bare = time.perf_counter() - started
    started = time.perf_counter()
    extract(actions)
    full = time.perf_counter() - started
    return {
        "tokens": tokens,
        "tokenizer_s": round(bare, 2),
        "extraction_s": round(full, 2),
        "ratio": round(full / bare, 1),
        "tokens_per_s": round(tokens / bare),
    }


def queries(graph_file: Path) -> list[dict]:
    from graph.query import load_graph, named_queries, run_query
    from graph.store import open_store, run_query_store, store_for

    params = {
        "country": {"country": "PER"},
        "institution": {"institution": "MLSP"},
        "edge-evidence": {"property": "expertCountry", "value": "FRA"},
    }
    store = open_store(store_for(graph_file))
    graph = load_graph(graph_file)
    rows = []
    for name, query in named_queries().items():
        started = time.perf_counter()
        run_query_store(store, query, params.get(name))
        oxigraph = time.perf_counter() - started
        started = time.perf_counter()
        run_query(graph, query, params.get(name))
        rdflib = time.perf_counter() - started
        rows.append(
            {
                "query": name,
                "oxigraph_s": round(oxigraph, 3),
                "rdflib_s": round(rdflib, 3),
                "speed_up": round(rdflib / oxigraph, 1) if oxigraph else None,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--work", type=Path, default=Path("/tmp/socieux-bench"))
    parser.add_argument("--build-flags", default="", help="extra flags for socieux-kg build, e.g. --no-validate")
    parser.add_argument("--query-scale", type=int, default=None, help="scale whose graph the queries run on")
    args = parser.parse_args()
    python = sys.executable
    results: dict = {"scales": {}, "build_flags": args.build_flags}
    for scale in args.scales:
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
    results["extraction"] = extraction_against_tokenizer(args.work / f"scale-{min(scales[-1], 10)}")
    query_scale = args.query_scale or scales[-1]
    results["queries"] = queries(args.work / f"out-{query_scale}" / "socieux.ttl")
    results["query_scale"] = query_scale
    seeds_wall, _ = timed([python, "-m", "graph", "build", "--out", str(args.work / "out-seeds"), "-q"])
    imports_wall, _ = timed([python, "-c", "import spacy, rdflib"])
    help_wall, _ = timed([python, "-m", "graph", "--help"])
    results["cold_seed_build"] = {
        "build_s": round(seeds_wall, 2),
        "import_spacy_rdflib_s": round(imports_wall, 2),
        "ratio": round(seeds_wall / imports_wall, 1),
    }
    results["help_s"] = round(help_wall, 3)
    print("\nscale  actions  triples    wall s  peak MiB")
    for scale in scales:
        row = results["scales"][scale]
        print(f"{scale:5}  {row['actions']:7}  {row['triples']:8}  {row['wall_s']:7.1f}  {row['peak_mib']:8}")
    if "growth" in results:
        print(f"time({scales[-1]}) / time({scales[-2]}) = {results['growth']}")
    e = results["extraction"]
    print(
        f"extraction {e['extraction_s']} s vs bare tokenizer {e['tokenizer_s']} s: {e['ratio']}x "
        f"({e['tokens']} tokens, {e['tokens_per_s']} tokens/s)"
    )
    print(
        f"queries at scale {query_scale}: slowest Oxigraph {max(q['oxigraph_s'] for q in results['queries'])} s, "
        f"smallest speed-up {min(q['speed_up'] or 0 for q in results['queries'])}x"
    )
    c = results["cold_seed_build"]
    print(f"cold seed build {c['build_s']} s vs import spacy, rdflib {c['import_spacy_rdflib_s']} s: {c['ratio']}x")
    print(f"socieux-kg --help: {results['help_s']} s")
    (Path(__file__).with_name("results.json")).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
