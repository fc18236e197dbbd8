"""The endpoint under misuse: no outbound request for SERVICE, and a bounded load test of parallel
clients on loopback (8 clients, 2,000 requests): no crash, bounded memory, every refusal a clear 4xx
or 503, every valid query answered correctly."""

from __future__ import annotations

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from tests.test_server import ACTIONS, endpoint, http  # noqa: F401 - the endpoint fixture

NEWS = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/socieux-kg/ontology#NewsItem> }"
EXPERTS = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?a <https://w3id.org/socieux-kg/ontology#expertCountry> ?c }"
REFUSED = [
    ("SELECT * WHERE { ?s ?p ?o }", 413),  # past the row limit
    ("DELETE WHERE { ?s ?p ?o }", 403),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403),
    ("SELECT ?x WHERE {", 400),
]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker_pids() -> list[int]:
    import multiprocessing

    return [p.pid for p in multiprocessing.active_children()]


def test_service_makes_no_outbound_request(endpoint):  # noqa: F811
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    status, _, body = http(f"{endpoint}/sparql?{urlencode({'query': query})}")
    assert status == 403 and b"SERVICE" in body
    try:
        connection, _ = listener.accept()
        connection.close()
        raise AssertionError("the endpoint connected to the SERVICE address")
    except TimeoutError:
        pass
    finally:
        listener.close()


def test_load_of_parallel_clients(endpoint, seed_build):  # noqa: F811
    import os

    extraction = seed_build.report.extraction
    VALID = {  # noqa: N806 - the answers, computed from the records and facts
        ACTIONS: str(len(seed_build.report.merged.actions)),
        NEWS: str(len(seed_build.report.merged.news)),
        EXPERTS: str(len({e.value for f in extraction.facts.values() for e in f.expert_countries})),
    }
    pids = [os.getpid(), *worker_pids()]
    memory_before = sum(rss_kib(p) for p in pids)
    valid = list(VALID)
    counts = {"ok": 0, "refused": 0, "wrong": 0, "other": 0}
    lock = threading.Lock()

    def client(index: int) -> None:
        for n in range(250):
            if n % 10 == 9:
                query, expected_status = REFUSED[(index + n) % len(REFUSED)]
            else:
                query, expected_status = valid[(index + n) % len(valid)], 200
            status, _, body = http(
                f"{endpoint}/sparql?{urlencode({'query': query})}",
                headers={"Accept": "application/sparql-results+json"},
            )
            with lock:
                if status == 200 and expected_status == 200:
                    value = json.loads(body)["results"]["bindings"][0]["n"]["value"]
                    counts["ok" if value == VALID[query] else "wrong"] += 1
                elif status == expected_status or status == 503:
                    counts["refused"] += 1
                else:
                    counts["other"] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(client, range(8)))
    elapsed = time.perf_counter() - started
    memory_after = sum(rss_kib(p) for p in [os.getpid(), *worker_pids()])
    assert counts["wrong"] == 0 and counts["other"] == 0
    assert counts["ok"] + counts["refused"] == 2000 and counts["ok"] >= 1700
    assert memory_after < memory_before + 200 * 1024  # bounded: under 200 MiB of growth
    print(
        f"\nload: 2000 requests from 8 clients in {elapsed:.1f} s ({2000 / elapsed:.0f} req/s), "
        f"{counts}, memory {memory_before // 1024} -> {memory_after // 1024} MiB"
    )
