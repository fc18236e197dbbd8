"""Latency of every named query on a built graph: the embedded Oxigraph store against rdflib's
memory store, in one run. Usage: python bench/query_latency.py [exports/socieux.ttl] [--repeat N]

Prints a table (median of N runs, milliseconds) and writes bench/query-latency.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from graph.sparql.query import load_graph, named_queries, run_query
from graph.sparql.store import open_store, run_query_store, store_for

PARAMS = {
    "country": {"country": "PER"},
    "institution": {"institution": "MLSP"},
    "edge-evidence": {"property": "expertCountry", "value": "FRA"},
}


def median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", default="exports/socieux.ttl", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    graph = load_graph(args.graph)
    store = open_store(store_for(args.graph))
    rows = []
    for name, query in named_queries().items():
        params = PARAMS.get(name)
        oxigraph = median_ms(lambda q=query, p=params: run_query_store(store, q, p), args.repeat)
        rdflib = median_ms(lambda q=query, p=params: run_query(graph, q, p), args.repeat)
        rows.append(
            {
                "query": name,
                "oxigraph_ms": round(oxigraph, 2),
                "rdflib_ms": round(rdflib, 2),
                "speed-up": round(rdflib / oxigraph, 1) if oxigraph else None,
            }
        )
    print(f"{'query':26} {'oxigraph ms':>12} {'rdflib ms':>10} {'ratio':>7}")
    for row in rows:
        print(f"{row['query']:26} {row['oxigraph_ms']:12.2f} {row['rdflib_ms']:10.2f} {row['speed-up']:7.1f}")
    out = Path(__file__).with_name("query-latency.json")
    out.write_text(
        json.dumps({"graph": str(args.graph), "triples": len(graph), "repeat": args.repeat, "queries": rows}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    print(f"({len(graph)} triples; median of {args.repeat} runs; written to {out})")


if __name__ == "__main__":
    main()
