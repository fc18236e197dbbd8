"""The RDF graph: serialisations that round-trip, deterministic bytes, stable IRIs, pinned namespaces."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from graph import namespaces
from graph.build import build
from graph.namespaces import SOCX
from graph.rdf.serialise import jsonld, ntriples, turtle
from tests.conftest import ROOT, SEED_FILES, run_cli, write


def test_namespaces_agree_with_the_ontology_files_and_the_standard_vocabularies():
    # the code's prefixes must be the ones the data files declare (one IRI per prefix everywhere),
    # the standard vocabularies as rdflib knows them, and the ontology's own IRI
    declared: dict[str, set[str]] = {}
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        for prefix, iri in Graph().parse(path, format="turtle").namespaces():
            declared.setdefault(prefix, set()).add(str(iri))
    for prefix, namespace in namespaces.PREFIXES.items():
        if prefix in declared:
            assert declared[prefix] == {str(namespace)}, prefix
    assert {"socx", "country", "cv", "schema", "at", "dcterms", "prov", "org", "skos"} <= declared.keys()
    for prefix, standard in (
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("skos", SKOS),
        ("dcterms", DCTERMS),
        ("prov", PROV),
        ("org", ORG),
    ):
        assert str(namespaces.PREFIXES[prefix]) == str(standard), prefix
    ontology = Graph().parse(ROOT / "ontology" / "socieux.ttl")
    (iri,) = ontology.subjects(RDF.type, OWL.Ontology)
    assert str(SOCX) == f"{iri}#"
    assert str(namespaces.ID) == str(iri).removesuffix("ontology") + "id/"


def test_every_serialisation_parses_back_to_the_same_graph(seed_build):
    """rdflib reads the N-Triples and JSON-LD the build writes as the graph built (the Turtle:
    tests/test_serialise.py, against the reference graph). No blank nodes (see below): the same set
    of triples is the same graph."""
    expected = set(seed_build.graph)
    for text, fmt in ((ntriples(seed_build.triples), "nt"), (jsonld(seed_build.triples), "json-ld")):
        assert set(Graph().parse(data=text, format=fmt)) == expected, fmt


def test_turtle_declares_prefixes_and_holds_no_blank_nodes(seed_build):
    text = turtle(seed_build.triples)
    assert text.startswith("@prefix ")
    assert "@prefix socx: <https://w3id.org/socieux-kg/ontology#> ." in text
    assert "_:" not in ntriples(seed_build.triples)


def test_each_action_is_linked_to_its_sources_with_lines(seed_build):
    graph = seed_build.graph
    actions = set(graph.subjects(RDF.type, SOCX.Action))
    assert len(actions) == 210
    merged = [a for a in actions if len(list(graph.objects(a, PROV.wasDerivedFrom))) == 2]
    assert len(merged) == 18
    record = next(iter(graph.objects(merged[0], PROV.wasDerivedFrom)))
    assert graph.value(record, SOCX.line).toPython() >= 1 and graph.value(record, SOCX.sourceFile)
    titles = [graph.value(a, DCTERMS.title) for a in actions]
    assert all(t.language == "en" for t in titles)


def test_two_builds_are_byte_identical_whatever_the_hash_seed(tmp_path, built_project):
    """The session's build (PYTHONHASHSEED=1) and one more with another hash seed."""

    def outputs(out: Path) -> dict[str, bytes]:
        # the Oxigraph store is a database, not a document: its files are not compared
        return {
            str(p.relative_to(out)): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file() and "store" not in p.relative_to(out).parts
        }

    out = tmp_path / "out"
    done = run_cli("build", "--out", out, "-q", cwd=built_project.folder, env={"PYTHONHASHSEED": "2"})
    assert done.returncode == 0, done.stderr
    first, second = outputs(built_project.exports), outputs(out)
    assert {
        "socieux.ttl",
        "socieux.nt",
        "socieux.jsonld",
        "build-report.md",
        "build-report.json",
        "views/full.html",
        "network/socieux.gexf",
        "stats/country-flows.svg",
        "tables/actions.csv",
        "tables/evidence.csv-metadata.json",
        "dataset.ttl",
    } <= first.keys()
    assert first == second


def test_iris_do_not_change_when_a_document_is_added(tmp_path, seed_build):
    extra = write(
        tmp_path,
        "002_new.txt",
        """
      • Support to the pension reform of a new partner

        National Pension Fund
        Policy development
        Experts from Latvia reviewed the investment rules of the fund with its staff.
      • Support to the disability sector in Kosovo*

        Prime-Ministers Office
        Institutional capacity building
    """,
    )
    bigger = build([*SEED_FILES, extra], validate=False).graph
    before = set(seed_build.graph.subjects(RDF.type, SOCX.Action))
    after = set(bigger.subjects(RDF.type, SOCX.Action))
    assert before < after and len(after - before) == 1
    for kind in (SOCX.PartnerInstitution, SOCX.NewsItem):
        assert set(seed_build.graph.subjects(RDF.type, kind)) <= set(bigger.subjects(RDF.type, kind))


def test_iris_do_not_depend_on_the_folder_or_the_order_of_inputs(tmp_path, seed_build):
    copies = tmp_path / "elsewhere"
    copies.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, copies / path.name)
    reordered = build([copies / SEED_FILES[1].name, copies / SEED_FILES[0].name], validate=False)
    assert ntriples(reordered.triples) == ntriples(seed_build.triples)


def test_build_report_accounts_for_every_line(built_project):
    exports = built_project.exports
    report = json.loads((exports / "build-report.json").read_text(encoding="utf-8"))
    counts = report["counts"]
    assert counts["lines_accounted"] == counts["non_blank_lines"] == 1308 + 151
    assert counts["lines_in_graph"] + counts["skipped_lines"] == counts["non_blank_lines"]
    assert {s["reason"] for s in report["skipped"]} == {
        "layout label 'Start activities'",
        "layout label 'End activities'",
        "layout label 'Partner Institution'",
        "layout label 'Type of Assistance'",
        "section heading",
    }
    markdown = (exports / "build-report.md").read_text(encoding="utf-8")
    assert "## Skipped lines" in markdown and "## Anomalies" in markdown
    assert "000_aecc4522525af03b.txt:517" in markdown  # the partner with a bracket left open
    assert (exports / "socieux.ttl").stat().st_size > 100_000
