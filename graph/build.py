"""The build: seed documents in, graph files and a build report out."""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph

from graph import files
from graph.build_report import BuildReport
from graph.errors import InputError, OutputError, SocieuxError
from graph.rdf.mapping import build_graph
from graph.rdf.triples import TripleSet
from graph.read.assistance import AssistanceTypeMatcher
from graph.read.merge import merge_documents
from graph.read.reader import DocumentReader, read_document
from graph.read.records import Document

GRAPH_FILES = ("socieux.ttl", "socieux.nt", "socieux.jsonld")
REPORT_FILES = ("build-report.md", "build-report.json")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: the build makes millions of long-lived objects and
    no reference cycles worth collecting, and every full collection walks all of them (at a hundred
    times the seeds the collector cost more time than the work)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _write_network(triples: TripleSet, out: Path, progress: Callable[[str], None]) -> list[str]:
    """Write the network outputs into ``out``; their names, in order."""
    from graph.network.outputs import network_outputs  # networkx and the page templates: only when asked

    names = []
    for name, text in network_outputs(triples).items():
        files.write_atomic(out / name, text)
        progress(f"wrote {out / name}")
        names.append(name)
    return names


class _Forked:
    """A call run in a forked child process, which sees this process's memory as it was (copy on
    write); ``result()`` waits for it and gives its (JSON) value or raises its error."""

    def __init__(self, function: Callable, *args) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: no Ctrl-C of its own (the parent decides), no return to the caller
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            code = 0
            try:
                payload = {"value": function(*args)}
            except BaseException as error:  # noqa: BLE001 - handed to the parent
                payload, code = {"error": str(error), "output": isinstance(error, OutputError)}, 1
            try:
                with os.fdopen(write, "w", encoding="utf-8") as stream:
                    json.dump(payload, stream)
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self):
        with os.fdopen(self._read, encoding="utf-8") as stream:
            text = stream.read()
        os.waitpid(self._pid, 0)
        payload = json.loads(text) if text else {"error": "the network worker process died", "output": False}
        if "error" in payload:
            raise (OutputError if payload["output"] else SocieuxError)(payload["error"])
        return payload["value"]

    def cancel(self) -> None:
        try:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        except OSError:
            pass
        os.close(self._read)


@dataclass
class BuildResult:
    documents: list[Document]
    triples: TripleSet
    report: BuildReport

    @cached_property
    def graph(self) -> Graph:
        """The graph as an rdflib ``Graph`` (made on first use; the build itself never needs it)."""
        return self.triples.to_rdflib()


def find_seed_files(paths: list[Path]) -> list[Path]:
    """The documents to read: files as given, folders expanded to their ``*.txt``; sorted by name."""
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            members = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not members:
                raise InputError(str(path), "folder holds no .txt seed documents")
            for member in members:
                found.setdefault(str(member.resolve()), member)
        else:
            try:
                key = str(path.resolve(strict=False))
            except (OSError, RuntimeError):  # a symlink loop
                raise InputError(str(path), "cannot resolve the path (symbolic link loop?)") from None
            found.setdefault(key, path)
    return sorted(found.values(), key=lambda p: (p.name, str(p)))


@collector_paused()
def build(
    paths: list[Path],
    validate: bool = True,
    progress: Callable[[str], None] = lambda message: None,
    jobs: int | None = None,
) -> BuildResult:
    """Read, merge, extract, map and (optionally) validate; nothing is written. ``jobs``: worker
    processes for extraction on large inputs (default: one per processor)."""
    files = find_seed_files(paths)
    names = [p.name for p in files]
    clash = {n for n in names if names.count(n) > 1}
    if clash:
        raise InputError(sorted(clash)[0], "two input documents share this file name; sources would be ambiguous")
    matcher = AssistanceTypeMatcher.default()
    reader = DocumentReader(matcher)
    documents = []
    for path in files:
        doc = read_document(path, reader)
        progress(
            f"read {doc.file}: {len(doc.actions)} action entries, {len(doc.news)} news entries, "
            f"{doc.non_blank_lines} non-blank lines"
        )
        documents.append(doc)
    merged = merge_documents(documents, matcher)
    progress(
        f"merged: {len(merged.actions)} actions ({merged.duplicates_merged} duplicates), "
        f"{len(merged.news)} news items, {len(merged.institutions)} partner institutions"
    )
    from graph.extract.run import extract, news_countries

    extraction = extract(merged.actions, progress, jobs=jobs)
    extraction.news_countries = news_countries(merged.news)
    graph = build_graph(merged, extraction)
    progress(f"mapped: {len(graph)} triples")
    report = BuildReport(documents, merged, len(graph), extraction=extraction)
    if validate:
        from graph.rdf.validate import validate as shacl

        report.conforms, violations = shacl(graph)
        report.violations = len(violations)
        progress(
            "validated: "
            + (
                "the graph conforms to ontology/shapes.ttl"
                if report.conforms
                else f"{len(violations)} SHACL violations"
            )
        )
    return BuildResult(documents, graph, report)


@collector_paused()
def write_outputs(
    result: BuildResult,
    out: Path,
    network: bool = True,
    store: bool = True,
    progress: Callable[[str], None] = lambda message: None,
) -> list[Path]:
    """Write the graph in each serialisation, the network views and files, the build report and the
    Oxigraph store into ``out``, each file atomically as soon as it is made (so that only one is
    held in memory)."""
    from graph.rdf import serialise

    files.check_writable(out)
    written = []

    def write(name: str, data) -> None:
        files.write_atomic(out / name, data)
        written.append(out / name)
        progress(f"wrote {out / name}")

    # The network views, Gephi files and statistics are made by a forked worker process (it shares
    # the graph's memory) while this one writes the serialisations; Oxigraph loads the store from
    # the N-Triples in a thread, outside the GIL.
    views = None
    if network:
        views = _Forked(_write_network, result.triples, out, progress) if hasattr(os, "fork") else None
    loading, loader = None, ThreadPoolExecutor(1, thread_name_prefix="socieux-kg-store")
    try:
        write("socieux.ttl", serialise.turtle_chunks(result.triples))
        write("socieux.nt", serialise.ntriples_chunks(result.triples))
        if store:
            from graph.sparql.store import write_store

            loading = loader.submit(write_store, out / "socieux.nt", out / "store")
        write("socieux.jsonld", serialise.jsonld_chunks(result.triples))
        if network:
            names = views.result() if views is not None else _write_network(result.triples, out, progress)
            views = None
            written.extend(out / name for name in names)
    finally:
        if views is not None:  # this process failed or was interrupted: the worker's work is moot
            views.cancel()
        loader.shutdown(wait=True)
        if loading is not None:
            loading.result()  # raises what the load raised
    if store:
        progress(f"wrote {out / 'store'}")
    result.report.outputs = [p.relative_to(out).as_posix() for p in written]
    result.report.outputs += [*REPORT_FILES, *(["store/ (Oxigraph)"] if store else [])]
    write("build-report.md", result.report.to_markdown())
    write("build-report.json", result.report.to_json())
    if store:
        written.append(out / "store")
    return written
