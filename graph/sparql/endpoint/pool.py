"""The query workers: processes that hold the Oxigraph store and answer one request at a time, so
that a query past the time limit is stopped (its worker is killed and replaced) instead of burning
a thread forever.

A worker parses each text first (``guard.classify``), then answers it (``answers.answer``). It
ignores Ctrl-C (the server stops it) and ends when the server's end of its pipe closes. The pool
hands each request to an idle worker and gives the worker back once its answer is complete, or
replaces it when the answer was not read to its end (time limit, a reader that went away): no
answer, however it ends, leaves a worker neither idle nor replaced.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.sparql.endpoint.answers import TEXT, answer
from graph.sparql.endpoint.guard import Refused
from graph.sparql.store import open_store

log = logging.getLogger("socieux-kg.serve")


@dataclass
class Limits:
    time_limit: float = 10.0  # seconds per answer, from the request to its last byte
    max_rows: int = 10_000  # rows (or triples) per result; 0: no cap, the answer streams from its first row
    max_body: int = 1_000_000  # bytes per request
    queue_wait: float = 5.0  # seconds a request waits for a free worker


def _worker(conn, source: str, max_rows: int, opener: Callable[[Path], object]) -> None:
    """A worker process: open the store, then answer requests until the pipe closes. A request is
    SPARQL text, or a named query with its parameters (resolved here, where the store is)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    store = opener(Path(source))
    conn.send("ready")
    resolve = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the server has gone
            return
        if message is None:
            return
        text, accept, named, params = message
        try:
            substitutions = None
            if named is not None:
                if resolve is None:
                    resolve = _resolver(store)
                text, substitutions = _named(named, params, resolve)
            answer(store, text, accept, max_rows, conn.send, substitutions)
        except Refused as refusal:
            conn.send(("whole", refusal.status, TEXT, f"{refusal}\n".encode()))
        except Exception as error:  # noqa: BLE001 - a worker answers every request
            log.exception("query worker error")
            conn.send(("whole", 500, TEXT, f"internal error: {error}\n".encode()))


def _resolver(store):
    from graph.sparql.parameters import Resolver, url_parameter
    from graph.sparql.store import store_solutions

    return Resolver(lambda query: store_solutions(store, query)[2], url_parameter)


def _named(name: str, params: Mapping[str, str], resolve) -> tuple[str, dict]:
    """A named query's text and its parameters as Oxigraph terms, or Refused (404, 400)."""
    from graph.errors import SocieuxError
    from graph.sparql.query import bindings, named_queries
    from graph.sparql.store import substitutions

    queries = named_queries()
    if name not in queries:
        raise Refused(404, f"no named query {name!r}; the named queries: {', '.join(queries)}")
    query = queries[name]
    try:
        bound = bindings(query, resolve(query, params))
        return query.text, substitutions(bound)
    except SocieuxError as error:
        raise Refused(400, str(error)) from None


class Overtime(Exception):
    """The answer ran past the time limit (or failed half-way); the client gets it cut short."""


@dataclass
class Reply:
    status: int
    media: str
    body: bytes = b""  # a whole answer (refusals, errors, ASK)
    chunks: Stream | None = None  # or a streamed one


class WorkerPool:
    """Worker processes holding the store; a worker past the time limit is killed and replaced.
    ``opener`` opens the store in a worker (``store.open_store``; a module-level function, since it
    travels to a new process by name)."""

    def __init__(self, source: Path, size: int, limits: Limits, opener: Callable[[Path], object] = open_store) -> None:
        self.source = str(source)
        self.limits = limits
        self.opener = opener
        self.context = multiprocessing.get_context("spawn")
        self.idle: queue.Queue = queue.Queue()
        self.closed = False
        self.size = size
        for _ in range(size):
            self.idle.put(self._spawn())

    def _spawn(self):
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_worker, args=(child, self.source, self.limits.max_rows, self.opener), daemon=True
        )
        process.start()
        child.close()  # the worker's end: held only by the worker, so that its death reads as EOF here
        if not parent.poll(60) or parent.recv() != "ready":
            process.kill()
            raise RuntimeError(f"{self.source}: the query worker did not start")
        return process, parent

    def replace(self, worker) -> None:
        """Kill ``worker`` and start another in the background (the request that found it stuck
        is answered meanwhile)."""
        process, conn = worker
        process.kill()
        conn.close()

        def respawn() -> None:
            process.join(5)
            if self.closed:
                return
            try:
                self.idle.put(self._spawn())
            except (RuntimeError, OSError) as error:
                log.error("could not replace a query worker: %s", error)

        threading.Thread(target=respawn, daemon=True).start()

    def receive(self, worker, deadline: float):
        """The worker's next message, or None past the deadline or when it died."""
        _, conn = worker
        try:
            if conn.poll(max(0.0, deadline - time.monotonic())):
                return conn.recv()
        except (EOFError, OSError):
            pass
        return None

    def run(self, text: str, accept: str, named: str | None = None, params: Mapping[str, str] | None = None) -> Reply:
        """Answer SPARQL ``text`` (or the named query ``named`` with ``params``) on a free worker."""
        try:
            worker = self.idle.get(timeout=self.limits.queue_wait)
        except queue.Empty:
            raise Refused(503, "the endpoint is busy: every query worker is taken; try again") from None
        deadline = time.monotonic() + self.limits.time_limit
        try:
            worker[1].send((text, accept, named, dict(params or {})))
            message = self.receive(worker, deadline)
        except OSError:
            message = None
        if message is None:
            self.replace(worker)
            raise Refused(503, f"the query ran past the time limit of {self.limits.time_limit:g} s and was stopped")
        if message[0] == "whole":
            self.idle.put(worker)
            _, status, media, body = message
            return Reply(status, media, body)
        if message[0] != "head":  # not this protocol: the worker's state is unknown
            self.replace(worker)
            raise Refused(500, f"internal error: the query worker answered {message[0]!r}")
        _, status, media = message
        return Reply(status, media, chunks=Stream(self, worker, deadline))

    def close(self) -> None:
        self.closed = True
        while True:
            try:
                process, conn = self.idle.get_nowait()
            except queue.Empty:
                return
            try:
                conn.send(None)
            except OSError:
                pass
            process.join(2)
            if process.is_alive():
                process.kill()


class Stream:
    """The chunks of a streamed answer, as an iterator. The worker goes back to the pool when the
    answer is read to its end and is replaced when it is not: a reader that stops (``close``, as
    every WSGI server calls), even before the first chunk, or the time limit (``Overtime``)."""

    def __init__(self, pool: WorkerPool, worker, deadline: float) -> None:
        self.pool, self.worker, self.deadline = pool, worker, deadline
        self.done = False

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        if self.done:
            raise StopIteration
        message = self.pool.receive(self.worker, self.deadline)
        if message is None:
            self._finish(returned=False)
            raise Overtime(f"the answer ran past the time limit of {self.pool.limits.time_limit:g} s")
        if message[0] == "chunk":
            return message[1]
        self._finish(returned=True)  # "end", or "abort": the worker itself is fine
        if message[0] == "end":
            raise StopIteration
        raise Overtime(message[1])

    def _finish(self, returned: bool) -> None:
        self.done = True
        if returned:
            self.pool.idle.put(self.worker)
        else:
            self.pool.replace(self.worker)

    def close(self) -> None:
        if not self.done:
            self._finish(returned=False)
