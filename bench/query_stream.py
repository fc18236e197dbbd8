"""Streamed query results on a built store, as `socieux-kg query --format csv` writes them: the time to
the first 1,000 rows of every named query, and the rate of the whole `evidence` CSV.

Usage: python bench/query_stream.py [exports/store | exports/socieux.ttl] [--rows 1000] [--repeat 3]

Each figure is the median of --repeat runs in this process, from the query's start to its last row
written (to a null sink, through the same writer the command line uses); opening the store is not
counted. Targets (issue 12): the first 1,000 rows of every named query in at most 0.5 s; the full
`evidence` CSV at 100,000 rows/s or more. Timings on a shared machine are noisy: compare figures
taken in one run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from graph.sparql.query import named_queries
from graph.sparql.results import write_answer
from graph.sparql.store import open_store, store_answer, store_for

PARAMS = {
    "country": {"country": "PER"},
    "institution": {"institution": "MLSP"},
    "edge-evidence": {"property": "expertCountry", "value": "FRA"},
}
FIRST_ROWS_TARGET = 0.5  # seconds
RATE_TARGET = 100_000  # rows a second


class Null:
    """A text sink that keeps nothing (the rows are still formatted)."""

    def write(self, text: str) -> int:
        return len(text)


def timed(store, name: str, rows: int | None) -> tuple[float, int]:
    started = time.perf_counter()
    written = write_answer(store_answer(store, named_queries()[name], PARAMS.get(name)), "csv", Null(), rows)
    return time.perf_counter() - started, written


def median(store, name: str, rows: int | None, repeat: int) -> tuple[float, int]:
    runs = [timed(store, name, rows) for _ in range(repeat)]
    return statistics.median(seconds for seconds, _ in runs), runs[0][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", default=Path("exports/store"), type=Path)
    parser.add_argument("--rows", type=int, default=1000, help="rows to the first-rows figure")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = args.store if args.store.is_dir() else store_for(args.store)
    store = open_store(source)
    print(f"store {source}: {len(store):,} triples; median of {args.repeat} runs")
    print(f"{'query':26} {'rows':>7} {f'first {args.rows:,} s':>14}")
    slowest = ("", 0.0)
    for name in named_queries():
        seconds, written = median(store, name, args.rows, args.repeat)
        print(f"{name:26} {written:7,} {seconds:14.3f}")
        slowest = max(slowest, (name, seconds), key=lambda item: item[1])
    seconds, written = median(store, "evidence", None, args.repeat)
    rate = written / seconds if seconds else float("inf")
    print(f"\nevidence CSV: {written:,} rows in {seconds:.2f} s, {rate:,.0f} rows/s")
    met = slowest[1] <= FIRST_ROWS_TARGET
    print(
        f"first {args.rows:,} rows of every named query in at most {FIRST_ROWS_TARGET} s: "
        f"{'met' if met else 'missed'} (slowest {slowest[0]}, {slowest[1]:.3f} s)"
    )
    print(
        f"the whole evidence CSV at {RATE_TARGET:,} rows/s or more: "
        f"{'met' if rate >= RATE_TARGET else 'missed'} ({rate:,.0f} rows/s)"
    )


if __name__ == "__main__":
    main()
