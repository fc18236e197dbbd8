"""The endpoint under the load test's workload (tests/test_misuse.py: 8 clients, 1,000 GET requests on
loopback, a tenth of them too big, forbidden or malformed), the server in a process of its own:
requests per second, and the CPU seconds the HTTP process and its query workers spent (read from
/proc, so that other work on the machine does not blur them as it blurs the wall clock).

    python bench/endpoint_load.py exports/store [--rounds 5] [--before 0b33386]

``--before REV`` also serves the endpoint of an earlier revision (its ``graph/sparql/server.py``,
http.server based) with the same worker pool, alternating with today's, round by round.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SOCX = "https://w3id.org/socieux-kg/ontology#"
VALID = [
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a a <{SOCX}Action> }}",
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a a <{SOCX}NewsItem> }}",
    f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?a <{SOCX}expertCountry> ?c }}",
]
SPECIAL = [
    "SELECT * WHERE { ?s ?p ?o }",
    "DELETE WHERE { ?s ?p ?o }",
    f"PREFIX socx: <{SOCX}>\nINSERT DATA {{ socx:a socx:b socx:c }}",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT ?x WHERE {",
]
PLAN = [SPECIAL[(n // 10) % len(SPECIAL)] if n % 10 == 9 else VALID[n % len(VALID)] for n in range(1000)]


def load(base: str) -> tuple[float, dict[int, int]]:
    """The plan from 8 clients, a new connection a request (as urllib makes them): requests/s, statuses."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def client(index: int) -> None:
        for query in PLAN[index::8]:
            request = urllib.request.Request(
                f"{base}/sparql?{urlencode({'query': query})}", headers={"Accept": "application/sparql-results+json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status = response.status
                    response.read()
            except urllib.error.HTTPError as error:
                status = error.code
                error.read()
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(client, range(8)))
    return len(PLAN) / (time.perf_counter() - started), statuses


def cpu(pid: int) -> tuple[float, float]:
    """CPU seconds of a process (all its threads) and of its children (the query workers)."""
    tick = os.sysconf("SC_CLK_TCK")

    def of(process: int) -> float:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    children = [
        int(child)
        for task in os.listdir(f"/proc/{pid}/task")
        for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()
    ]
    return of(pid), sum(of(child) for child in children)


SERVE_TODAY = """
import sys, threading
from pathlib import Path
from graph.sparql.endpoint.app import Endpoint, ServerOptions, make_server
from graph.sparql.endpoint.pool import Limits, WorkerPool
if __name__ == "__main__":
    limits = Limits(time_limit=60, max_rows=1000, max_body=20000, queue_wait=60)
    pool = WorkerPool(Path(sys.argv[1]), 2, limits)
    def endpoint(public, own):
        return Endpoint(pool, b"", public, (), own)
    server, _, port = make_server(endpoint, ServerOptions(port=0), 20000, 6)
    threading.Thread(target=server.run, daemon=True).start()
    print(f"http://127.0.0.1:{port}", flush=True)
    sys.stdin.read()
    pool.close()
"""

SERVE_BEFORE = """
import sys, threading
from http.server import ThreadingHTTPServer
from pathlib import Path
import server_before as before
if __name__ == "__main__":
    limits = before.Limits(time_limit=60, max_rows=1000, max_body=20000, queue_wait=60)
    pool = before.WorkerPool(Path(sys.argv[1]), 2, limits)
    server = ThreadingHTTPServer(("127.0.0.1", 0), before.make_handler(pool, limits, b""))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_port}", flush=True)
    sys.stdin.read()
    pool.close()
"""


def earlier_server(revision: str, folder: Path) -> None:
    """The http.server endpoint of ``revision`` as a module of ``folder``, importing today's guard and page."""
    text = subprocess.run(
        ["git", "show", f"{revision}:graph/sparql/server.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    text = text.replace("from graph.sparql.guard", "from graph.sparql.endpoint.guard")
    text = text.replace("from graph.sparql.page", "from graph.sparql.endpoint.page")
    (folder / "server_before.py").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", metavar="REV", help="also serve the http.server endpoint of this revision")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="endpoint-load."))
    servers = {"waitress (today)": SERVE_TODAY}
    if args.before:
        earlier_server(args.before, folder)
        servers = {f"http.server ({args.before})": SERVE_BEFORE, **servers}
    figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in servers}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)])}
    for _ in range(args.rounds):
        for name, script in servers.items():
            (folder / "serve.py").write_text(script, encoding="utf-8")
            process = subprocess.Popen(
                [sys.executable, str(folder / "serve.py"), str(args.store)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
            assert process.stdin is not None and process.stdout is not None
            base = process.stdout.readline().strip()
            load(base)  # warm: the guard's cache, the store's pages
            http_before, workers_before = cpu(process.pid)
            rate, statuses = load(base)
            http_after, workers_after = cpu(process.pid)
            process.stdin.close()
            process.wait(30)
            figures[name].append((rate, http_after - http_before, workers_after - workers_before))
            print(f"{name}: {rate:.0f} req/s, CPU {http_after - http_before:.2f} s HTTP + "
                  f"{workers_after - workers_before:.2f} s workers, statuses {dict(sorted(statuses.items()))}")
    for name, rows in figures.items():
        rates, https, workers = zip(*rows, strict=True)
        print(
            f"{name}: median {statistics.median(rates):.0f} req/s ({', '.join(f'{r:.0f}' for r in rates)}); "
            f"median CPU for 1,000 requests {statistics.median(https):.2f} s HTTP, "
            f"{statistics.median(workers):.2f} s workers"
        )


if __name__ == "__main__":
    main()
