"""Push throughput into real stores: a fresh Virtuoso and a fresh Oxigraph server (bench/stores.py),
each sent the same graph file by `socieux-kg push` in its own process.

    python /work/shared/bench/make_scale.py seeds 100 /tmp/scale100/seeds       # 100 x the seeds
    socieux-kg build /tmp/scale100/seeds --out /tmp/scale100/out --no-network   # 2.0 M triples
    python bench/push.py /tmp/scale100/out/socieux.nt                          # this benchmark

For each store: the wall time of the push, triples per second, the requests, the peak memory
(resident set) of the push process, and the triples the store then holds in the graph (must be
all of them). Writes bench/push-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stores import VIRTUOSO_PASSWORD, VIRTUOSO_USER, start_oxigraph, start_virtuoso  # noqa: E402
from graph.sparql.query import NamedQuery  # noqa: E402
from graph.sparql.remote import Endpoint  # noqa: E402

GRAPH = "https://w3id.org/socieux-kg/graph"
COUNT = NamedQuery("count", Path("<bench>"), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")


def measure(store, graph_file: Path, chunk: int) -> dict:
    env = dict(os.environ)
    if store.name == "virtuoso":
        env.update(SOCIEUX_KG_PUSH_USER=VIRTUOSO_USER, SOCIEUX_KG_PUSH_PASSWORD=VIRTUOSO_PASSWORD)
    command = [sys.executable, "-m", "graph", "push", "--endpoint", store.push_url, "--graph", str(graph_file)]
    command += ["--graph-iri", GRAPH, "--chunk-triples", str(chunk)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # this process's own peak memory, not the stores'
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise SystemExit(f"{store.name}: push failed: {stderr.strip().splitlines()[-1]}")
    peak = usage.ru_maxrss  # KiB
    held = int(Endpoint(store.query_url, GRAPH).run(COUNT).rows[0]["n"])
    summary = stdout.strip()
    triples = int(re.search(r"pushed ([\d,]+) triples", summary).group(1).replace(",", ""))
    requests = int(re.search(r" in (\d+) requests?,", summary).group(1))
    return {
        "store": store.name,
        "triples": triples,
        "held_after": held,
        "requests": requests,
        "chunk_triples": chunk,
        "wall_s": round(wall, 1),
        "triples_per_s": round(triples / wall),
        "push_peak_rss_mib": round(peak / 1024),
        "summary": summary,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graph_file", type=Path, help="the graph to push (e.g. OUT/socieux.nt of a scale build)")
    parser.add_argument("--chunk-triples", type=int, default=100_000)
    parser.add_argument("--stores", default="virtuoso,oxigraph")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("push-results.json"))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="socieux-kg-push-bench.") as folder:
        for name in args.stores.split(","):
            started = time.perf_counter()
            if name == "virtuoso":  # Virtuoso's advice: 170,000 buffers (1.3 GiB) per 2 GB it may use
                store = start_virtuoso(Path(folder) / name, buffers=170_000)
            else:
                store = start_oxigraph(Path(folder) / name)
            print(f"{name}: started in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            try:
                results.append(measure(store, args.graph_file, args.chunk_triples))
            finally:
                store.stop()
            print(json.dumps(results[-1]), file=sys.stderr)
    print(f"{'store':10} {'triples':>10} {'held':>10} {'requests':>8} {'wall s':>7} {'triples/s':>10} {'push RSS':>9}")
    for r in results:
        print(
            f"{r['store']:10} {r['triples']:>10,} {r['held_after']:>10,} {r['requests']:>8} {r['wall_s']:>7} "
            f"{r['triples_per_s']:>10,} {r['push_peak_rss_mib']:>6} MiB"
        )
    record = {"graph_file": str(args.graph_file), "bytes": args.graph_file.stat().st_size, "results": results}
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
