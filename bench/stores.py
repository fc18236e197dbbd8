"""Start a real OpenLink Virtuoso or Oxigraph server on loopback, with free ports and private
database files, for the tests (tests/test_stores.py) and the push benchmark (bench/push.py).

    python bench/stores.py virtuoso-ini DIR [--http-port 8890 --sql-port 1111]   # write DIR/virtuoso.ini

Virtuoso comes from Debian's `virtuoso-opensource` package (`virtuoso-t`, `isql-vt`), Oxigraph's
server from PyPI's `oxigraph` (the `test` extra). A store that does not start raises StoreError with
the end of its log: the tests fail, they are never skipped.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

VIRTUOSO_USER = VIRTUOSO_PASSWORD = "dba"  # the account a new Virtuoso database has
# Virtuoso has no default graph of its own: the Graph Store endpoint's `?default` and queries
# without a dataset use the graph that DB.DBA.SYS_SPARQL_HOST names for the host.
VIRTUOSO_DEFAULT_GRAPH = "urn:socieux-kg:default-graph"


class StoreError(RuntimeError):
    """A store that could not be started."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def virtuoso_ini(folder: Path, http_port: int, sql_port: int, buffers: int = 10_000) -> str:
    """A virtuoso.ini whose database, log and temporary files are all in ``folder``; ``buffers``
    pages of 8 KiB of cache (Virtuoso's advice: 170,000 for each 2 GB of memory it may use)."""
    folder = Path(folder).resolve()
    return f"""\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {buffers * 3 // 4}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 120
"""


@dataclass
class Store:
    """A running store: where to push (Graph Store Protocol) and where to query (SPARQL Protocol)."""

    name: str
    push_url: str
    query_url: str
    process: subprocess.Popen
    folder: Path
    default_graph: str | None = None  # the graph behind the store's default graph, where it has one

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def _wait(store: Store, log: Path, seconds: float) -> Store:
    deadline = time.monotonic() + seconds
    probe = f"{store.query_url}?query={quote('ASK {}')}"
    while time.monotonic() < deadline:
        if store.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return store
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    store.stop()
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
    raise StoreError(f"{store.name} did not answer at {store.query_url} within {seconds:g} s:\n{tail}")


def start_oxigraph(folder: Path, seconds: float = 60) -> Store:
    """`oxigraph serve` on a free loopback port with its database in ``folder``."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        raise StoreError("no `oxigraph` binary: pip install oxigraph (in the test extra)")
    folder.mkdir(parents=True, exist_ok=True)
    port, log = free_port(), folder / "oxigraph.log"
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    return _wait(Store("oxigraph", f"{base}/store", f"{base}/query", process, folder), log, seconds)


def start_virtuoso(folder: Path, seconds: float = 120, buffers: int = 10_000) -> Store:
    """`virtuoso-t +foreground` with a private virtuoso.ini and database in ``folder``; the host's
    default graph set to VIRTUOSO_DEFAULT_GRAPH."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        raise StoreError("no `virtuoso-t`: apt-get install virtuoso-opensource (.ci/run does)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(virtuoso_ini(folder, http_port, sql_port, buffers), encoding="utf-8")
    log = folder / "virtuoso-console.log"
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
            cwd=folder,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    store = Store("virtuoso", f"{base}/sparql-graph-crud-auth", f"{base}/sparql", process, folder)
    _wait(store, log, seconds)
    sql = (
        "INSERT INTO DB.DBA.SYS_SPARQL_HOST (SH_HOST, SH_GRAPH_URI) "
        f"VALUES ('127.0.0.1:{http_port}', '{VIRTUOSO_DEFAULT_GRAPH}');"
    )
    done = subprocess.run(
        [
            shutil.which("isql-vt") or "isql-vt",
            f"127.0.0.1:{sql_port}",
            VIRTUOSO_USER,
            VIRTUOSO_PASSWORD,
            f"exec={sql}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        store.stop()
        raise StoreError(f"isql-vt could not set Virtuoso's default graph: {done.stdout}{done.stderr}")
    store.default_graph = VIRTUOSO_DEFAULT_GRAPH
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ini = sub.add_parser("virtuoso-ini", help="write DIR/virtuoso.ini with the database files in DIR")
    ini.add_argument("folder", type=Path)
    ini.add_argument("--http-port", type=int, default=8890)
    ini.add_argument("--sql-port", type=int, default=1111)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    (args.folder / "virtuoso.ini").write_text(virtuoso_ini(args.folder, args.http_port, args.sql_port))
    print(f"wrote {args.folder / 'virtuoso.ini'}; start: virtuoso-t +foreground +configfile {args.folder}/virtuoso.ini")


if __name__ == "__main__":
    main()
