"""The build: seed documents in, graph files and a build report out."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph

from graph import files
from graph.build_report import BuildReport
from graph.collector import collector_paused
from graph.curate.actions import check_actions
from graph.curate.corrections import find_corrections, load_corrections
from graph.errors import InputError, InternalError, OutputError, SocieuxError
from graph.rdf import serialise
from graph.rdf.triples import TripleSet
from graph.read.assistance import AssistanceTypeMatcher
from graph.read.merge import merge_documents
from graph.read.reader import DocumentReader, read_document
from graph.read.records import Document
from graph.workers import ForkedPool, can_fork, large_input

REPORT_FILES = ("build-report.md", "build-report.json")
DATASET_FILE = "dataset.ttl"  # graph.site.dataset.DESCRIPTION_FILE, which the build imports only once it needs it


def _write_network(out: Path) -> list[str]:
    """Write the network outputs into ``out`` (in a worker process: the graph is the one it was
    forked with); their names, in order."""
    from graph.network.outputs import network_outputs  # networkx and the page templates: only when asked

    names = []
    for name, text in network_outputs(_WORKER_GRAPH[0]).items():
        files.write_atomic(out / name, text)
        names.append(name)
    return names


def _write_tables(source: Path, out: Path) -> list[str]:
    """Write the CSV tables and their CSV on the Web metadata from the store (or the N-Triples) at
    ``source`` into ``out/tables/`` (in a worker process); their names."""
    from graph.site.tables import write_tables

    return write_tables(source, out)


def _write_serialisation(ntriples: Path, target: Path, fmt: str) -> list[str]:
    """Write the graph as ``fmt`` from its N-Triples (in a worker process); the file's name."""
    files.write_atomic_with(target, lambda stream: serialise.from_ntriples(ntriples, stream, fmt))
    return [target.name]


_WORKER_GRAPH: list[TripleSet] = []  # the graph a writer process was forked with


def _start_writer(graph: TripleSet) -> None:
    """Set up a writer process: the graph it shares with its parent (copy on write)."""
    _WORKER_GRAPH[:] = [graph]


def _in_worker(task: Callable, *args):
    """Run a writer task. Its errors cross a process boundary as text: a user's error (an output
    that cannot be written) as the one line the command line reports, anything else (a bug) with
    its traceback, which the command line prints."""
    try:
        return task(*args)
    except OutputError as error:
        raise OutputError(str(error)) from None
    except SocieuxError as error:
        raise SocieuxError(str(error)) from None
    except Exception as error:  # noqa: BLE001 - a bug: shown whole by the command line
        raise InternalError(f"{type(error).__name__}: {error}", traceback.format_exc()) from None


def _writer_pool(graph: TripleSet, workers: int) -> ForkedPool | ThreadPoolExecutor:
    """Writer processes forked with the graph (inherited through the fork, not copied); a thread
    where processes cannot be forked."""
    if can_fork():
        return ForkedPool(workers, _start_writer, (graph,))
    _WORKER_GRAPH[:] = [graph]
    return ThreadPoolExecutor(1)


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
    corrections: list[Path] | None = None,
) -> BuildResult:
    """Read, merge, extract, apply the corrections, map and (optionally) validate; nothing is
    written. ``jobs``: worker processes for extraction on large inputs (default: one per processor).
    ``corrections``: corrections files (default: the ``corrections.csv`` of each folder in ``paths``),
    read and checked first, before any document."""
    files = find_seed_files(paths)
    names = [p.name for p in files]
    clash = {n for n in names if names.count(n) > 1}
    if clash:
        raise InputError(sorted(clash)[0], "two input documents share this file name; sources would be ambiguous")
    correction_files = find_corrections(paths) if corrections is None else corrections
    checked = load_corrections(correction_files)
    if checked:
        progress(f"read {len(checked)} corrections from {', '.join(map(str, correction_files))}")
    matcher = AssistanceTypeMatcher.default()
    reader = DocumentReader(matcher)
    documents = []
    with ExitStack() as stack:
        # on large inputs, worker processes extract each document's texts while the next ones are
        # read; on small ones the documents are read first, so that a bad one is reported before
        # spaCy is even loaded
        extractor = None
        if large_input(files):
            from graph.extract.run import Extractor

            extractor = stack.enter_context(Extractor(jobs, parallel=True))
        for path in files:
            doc = read_document(path, reader)
            progress(
                f"read {doc.file}: {len(doc.actions)} action entries, {len(doc.news)} news entries, "
                f"{doc.non_blank_lines} non-blank lines"
            )
            documents.append(doc)
            if extractor is not None:
                extractor.read_ahead(doc)
        merged = merge_documents(documents, matcher)
        progress(
            f"merged: {len(merged.actions)} actions ({merged.duplicates_merged} duplicates), "
            f"{len(merged.news)} news items, {len(merged.institutions)} partner institutions"
        )
        if checked:
            check_actions(checked, merged.actions)  # titles and IRIs: before spaCy is loaded
        from graph.extract.run import Extractor, news_countries
        from graph.rdf.mapping import build_graph

        if extractor is None:
            extractor = stack.enter_context(Extractor(jobs, parallel=False))
        extraction = extractor.extract(merged.actions, progress)
    curation = None
    if checked:
        from graph.curate.apply import apply_corrections

        curation, institutions, anomalies = apply_corrections(
            checked, merged.actions, extraction.facts, extraction.institutions, progress
        )
        if institutions is not None:  # resolved again: a partner country changed
            extraction.institutions = institutions
            kept = [a for a in extraction.anomalies if a.kind != "institution-country-unknown"]
            extraction.anomalies = kept + anomalies
    extraction.news_countries = news_countries(merged.news)
    graph = build_graph(merged, extraction)
    progress(f"mapped: {len(graph)} triples")
    report = BuildReport(documents, merged, len(graph), extraction=extraction, curation=curation)
    result = BuildResult(documents, graph, report)
    if validate:
        _validate(result, progress)
    return result


def _validate(result: BuildResult, progress: Callable[[str], None]) -> None:
    """Validate the graph against ontology/shapes.ttl, into the report."""
    from graph.rdf.validate import validate as shacl

    result.report.conforms, violations = shacl(result.triples)
    result.report.violations = len(violations)
    outcome = (
        "the graph conforms to ontology/shapes.ttl" if result.report.conforms else f"{len(violations)} SHACL violations"
    )
    progress(f"validated: {outcome}")


@collector_paused()
def write_outputs(
    result: BuildResult,
    out: Path,
    network: bool = True,
    store: bool = True,
    validate: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> list[Path]:
    """Write the graph in each serialisation, the network views and files, the CSV tables, the build
    report, the Oxigraph store and last the dataset's description (DCAT-AP and VoID, with the size of
    every file) into ``out``, each file atomically; ``validate``: validate the graph meanwhile (when
    :func:`build` did not), for the report.

    The work is spread over the processors: the network outputs are made by a worker process forked
    with the graph (it shares its memory), Turtle and JSON-LD by another from the N-Triples, which
    this process writes first; Oxigraph loads the store from them in a thread (outside the GIL)
    while this process validates; the tables are queried from the store in a worker once it is
    loaded."""
    files.check_writable(out)
    nt = out / "socieux.nt"
    made: dict[str, list[str]] = {nt.name: [nt.name]}  # what each job wrote
    jobs: dict[Future, str] = {}
    loading: Future | None = None
    # (on an error the workers are stopped first, then the store's loading is waited for)
    with ThreadPoolExecutor(1) as loader, _writer_pool(result.triples, 2 if network else 1) as workers:
        if network:  # first: it needs only the graph, and the forks happen before the loading thread starts
            jobs[workers.submit(_in_worker, _write_network, out)] = "network"
        files.write_atomic(nt, serialise.ntriples_chunks(result.triples))
        progress(f"wrote {nt}")
        for name, fmt in (("socieux.ttl", "turtle"), ("socieux.jsonld", "json-ld")):
            jobs[workers.submit(_in_worker, _write_serialisation, nt, out / name, fmt)] = name
        if store:
            from graph.sparql.store import write_store

            loading = loader.submit(write_store, nt, out / "store", lenient=True)
        if validate:
            _validate(result, progress)
        if loading is not None:
            loading.result()  # raises what the load raised
            progress(f"wrote {out / 'store'}")
        jobs[workers.submit(_in_worker, _write_tables, out / "store" if store else nt, out)] = "tables"
        for job in as_completed(jobs):
            made[jobs[job]] = job.result()  # raises what the worker raised
            for name in made[jobs[job]]:
                progress(f"wrote {out / name}")
    order = ("socieux.ttl", "socieux.nt", "socieux.jsonld", "network", "tables")
    written = [out / name for key in order for name in made.get(key, ())]
    result.report.outputs = [p.relative_to(out).as_posix() for p in written]
    result.report.outputs += [*REPORT_FILES, *(["store/ (Oxigraph)"] if store else []), DATASET_FILE]
    for name, text in (
        ("build-report.md", result.report.to_markdown()),
        ("build-report.json", result.report.to_json()),
    ):
        files.write_atomic(out / name, text)
        written.append(out / name)
        progress(f"wrote {out / name}")
    if store:
        written.append(out / "store")
    from graph.site.dataset import write_description

    written.append(write_description(result.triples, out))  # last: it gives the size of every other file
    progress(f"wrote {written[-1]}")
    return written
