"""The build: seed documents in, graph files and a build report out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from graph import outputs
from graph.assistance import AssistanceTypeMatcher
from graph.errors import InputError
from graph.mapping import build_graph
from graph.merge import merge_documents
from graph.reader import DocumentReader, read_document
from graph.records import Document
from graph.report import BuildReport

GRAPH_FILES = ("socieux.ttl", "socieux.nt", "socieux.jsonld")
REPORT_FILES = ("build-report.md", "build-report.json")


def network_outputs(graph: Graph) -> dict[str, str]:
    """The network views (views/*.html), the Gephi exports (network/) and the statistics (stats/)."""
    from graph import network_files, stats, viz
    from graph.network import VIEWS, project

    rendered: dict[str, str] = {}
    projections = {view: project(graph, view) for view in VIEWS}
    for view, g in projections.items():
        rendered[f"views/{view}.html"] = viz.page(g, view)
    full = projections["full"]
    rendered["network/socieux.graphml"] = network_files.graphml(full)
    rendered["network/socieux.gexf"] = network_files.gexf(full)
    rendered["network/nodes.csv"] = network_files.node_list(full)
    rendered["network/edges.csv"] = network_files.edge_list(full)
    rendered["network/country-flows.graphml"] = network_files.graphml(projections["country-flows"])
    for table in stats.tables(graph, full):
        rendered[f"stats/{table.name}.csv"] = table.csv()
    rendered["stats/country-flows.svg"] = stats.flows_svg(projections["country-flows"])
    return rendered


@dataclass
class BuildResult:
    documents: list[Document]
    graph: Graph
    report: BuildReport


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


def build(
    paths: list[Path],
    validate: bool = True,
    progress: Callable[[str], None] = lambda message: None,
) -> BuildResult:
    """Read, merge, map and (optionally) validate; nothing is written."""
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

    extraction = extract(merged.actions, progress)
    extraction.news_countries = news_countries(merged.news)
    graph = build_graph(merged, extraction)
    progress(f"mapped: {len(graph)} triples")
    report = BuildReport(documents, merged, len(graph), extraction=extraction)
    if validate:
        from graph.validate import validate as shacl

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


def write_outputs(result: BuildResult, out: Path, network: bool = True, store: bool = True) -> list[Path]:
    """Write the graph in each serialisation, the network views and files, and the build report into
    ``out``, each file atomically."""
    outputs.check_writable(out)
    rendered = {
        "socieux.ttl": outputs.turtle(result.graph),
        "socieux.nt": outputs.ntriples(result.graph),
        "socieux.jsonld": outputs.jsonld(result.graph),
    }
    if network:
        rendered.update(network_outputs(result.graph))
    result.report.outputs = [*rendered, *REPORT_FILES, *(["store/ (Oxigraph)"] if store else [])]
    rendered["build-report.md"] = result.report.to_markdown()
    rendered["build-report.json"] = result.report.to_json()
    written = []
    for name, text in rendered.items():
        outputs.write_atomic(out / name, text)
        written.append(out / name)
    if store:
        from graph.store import write_store

        write_store(rendered["socieux.ttl"], out / "store")
        written.append(out / "store")
    return written
