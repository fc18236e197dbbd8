"""The endpoint under misuse: no request leaves the process whatever SERVICE or LOAD asks for, and
parallel clients on loopback (8 clients, 1,000 requests, against `socieux-kg serve` in a process of
its own) get every valid query answered right and every invalid one refused with its 4xx. A 503 (time limit or busy) is honest only for work that
reached a worker; it is counted and reported apart, never taken for a refusal or an answer."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from graph.rdf.serialise import turtle
from graph.sparql.store import write_store
from tests.conftest import ROOT, serving_port
from tests.test_guard import encodings, service_queries
from tests.test_server import ACTIONS, endpoint, http  # noqa: F401 - the endpoint fixture

NEWS = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/socieux-kg/ontology#NewsItem> }"
EXPERTS = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?a <https://w3id.org/socieux-kg/ontology#expertCountry> ?c }"
TOO_BIG = ("SELECT * WHERE { ?s ?p ?o }", 413)  # valid, past the row cap: 413, or an honest 503
INVALID = [
    ("DELETE WHERE { ?s ?p ?o }", 403),
    ("PREFIX socx: <https://w3id.org/socieux-kg/ontology#>\nINSERT DATA { socx:a socx:b socx:c }", 403),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403),
    ("SELECT ?x WHERE {", 400),
]
HONEST_503 = (b"time limit", b"busy")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (the server's query workers)."""
    return [
        int(child)
        for task in os.listdir(f"/proc/{pid}/task")
        for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()
    ]


def test_no_request_leaves_the_process(endpoint):  # noqa: F811
    """SERVICE anywhere in a query and LOAD, in every encoding, at a socket listening on loopback:
    every request is refused and the socket is never connected to."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    address = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    texts = [*service_queries(address).values(), f"LOAD <{address}>", f"LOAD <{address}> INTO GRAPH <{address}>"]
    try:
        for text in texts:
            for encoding, (url, data, headers) in encodings(endpoint, text).items():
                status, _, _ = http(url, data, headers)
                assert status == 403, (encoding, text)
        readable, _, _ = select.select([listener], [], [], 1.0)
        assert not readable, "the endpoint connected to the address a request named"
    finally:
        listener.close()


@pytest.fixture(scope="module")
def loaded(seed_build, tmp_path_factory):
    """`socieux-kg serve` as a user starts it, in a process of its own (the clients' threads do not
    share its interpreter), with a time limit only a broken server would reach under this load, so
    that a 503 says something is wrong rather than that the machine is busy: (URL, its process id)."""
    folder = tmp_path_factory.mktemp("loaded")
    text = turtle(seed_build.triples)
    (folder / "socieux.ttl").write_text(text, encoding="utf-8")
    write_store(text, folder / "store")  # newer than the file: serve uses it
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--graph", str(folder / "socieux.ttl"), "--port", "0"]
        + ["--time-limit", "60", "--max-rows", "1000", "--max-body", "20000", "--workers", "2"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port, _ = serving_port(process)
        threading.Thread(target=process.stderr.read, daemon=True).start()  # the request log, unread
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)


REQUESTS = 1000  # a tenth of them invalid, too big or forbidden


def test_load_of_parallel_clients(loaded, seed_build):
    loaded, server = loaded
    extraction = seed_build.report.extraction
    valid = {  # the answers, computed from the records and facts
        ACTIONS: str(len(seed_build.report.merged.actions)),
        NEWS: str(len(seed_build.report.merged.news)),
        EXPERTS: str(len({e.value for f in extraction.facts.values() for e in f.expert_countries})),
    }
    memory_before = sum(rss_kib(p) for p in [server, *children(server)])
    plan = []  # (query, expected status, valid?) for each request, the same every run
    for n in range(REQUESTS):
        if n % 10 == 9:
            query, status = [TOO_BIG, *INVALID][(n // 10) % (len(INVALID) + 1)]
            plan.append((query, status, query == TOO_BIG[0]))
        else:
            plan.append((list(valid)[n % len(valid)], 200, True))
    counts = {"right": 0, "refused as expected": 0, "honest 503": 0}
    problems: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        for query, expected, is_valid in plan[index::8]:
            status, _, body = http(
                f"{loaded}/sparql?{urlencode({'query': query})}",
                headers={"Accept": "application/sparql-results+json"},
            )
            with lock:
                if status == expected == 200:
                    value = json.loads(body)["results"]["bindings"][0]["n"]["value"]
                    if value == valid[query]:
                        counts["right"] += 1
                    else:
                        problems.append(f"wrong answer {value} for {query}")
                elif status == expected:
                    counts["refused as expected"] += 1
                elif status == 503 and is_valid and any(word in body for word in HONEST_503):
                    counts["honest 503"] += 1
                else:
                    problems.append(f"{status} where {expected} was due for {query[:60]!r}: {body[:80]!r}")

    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(client, range(8)))
    elapsed = time.perf_counter() - started
    memory_after = sum(rss_kib(p) for p in [server, *children(server)])
    print(
        f"\nload: {REQUESTS} requests from 8 clients in {elapsed:.1f} s ({REQUESTS / elapsed:.0f} req/s), "
        f"{counts}, memory {memory_before // 1024} -> {memory_after // 1024} MiB"
    )
    assert not problems, problems[:5]
    assert sum(counts.values()) == REQUESTS
    assert counts["refused as expected"] >= sum(1 for _, status, _ in plan if status in (400, 403))
    assert memory_after < memory_before + 200 * 1024  # bounded: under 200 MiB of growth
