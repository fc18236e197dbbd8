"""What `socieux-kg query` prints: tables that show prefixed names instead of cut IRIs and fit the
terminal, the first rows with a line on how to get the rest, whole descriptions in --list, and
CSV, TSV and JSON streamed row by row, the same from every engine."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from graph.namespaces import ID
from graph.rdf.serialise import turtle
from graph.sparql.query import graph_answer, named_queries
from graph.sparql.results import write_answer
from graph.sparql.store import oxigraph_answer, store_answer, write_store
from tests.conftest import ROOT, invoke


@pytest.fixture(scope="module")
def graph_file(seed_build, tmp_path_factory):
    """The seed graph as a build leaves it: socieux.ttl with its Oxigraph store beside it."""
    folder = tmp_path_factory.mktemp("queried")
    text = turtle(seed_build.triples)
    (folder / "socieux.ttl").write_text(text, encoding="utf-8")
    write_store(text, folder / "store")
    return folder / "socieux.ttl"


def query(graph_file, *args: str, columns: int | None = 100) -> subprocess.CompletedProcess:
    """`socieux-kg query ARGS --graph GRAPH_FILE` with COLUMNS set to ``columns`` (None: unset, as
    when the output is piped)."""
    done = invoke("query", *args, "--graph", graph_file, env={"COLUMNS": None if columns is None else str(columns)})
    assert done.returncode == 0, done.stderr
    return done


def table_cells(table: str) -> list[list[str]]:
    """The cells of a printed table, a wrapped cell's lines joined with spaces."""
    lines = table.splitlines()
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
    body = lines[2:-1]
    rows = int(re.match(r"\((\d+)", lines[-1].replace(",", "")).group(1))
    blocks = [[x] for x in body] if rows == len(body) else [b.splitlines() for b in "\n".join(body).split("\n\n")]
    return [[" ".join(part for line in block if (part := line[a:b].strip())) for a, b in spans] for block in blocks]


def csv_rows(graph_file, *args: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(query(graph_file, *args, "--format", "csv").stdout)))


@pytest.mark.parametrize(
    ("name", "params", "column", "prefix", "width"),
    [
        ("themes", [], "theme", "theme:", 100),
        ("repeat-institutions", [], "institution", "institution:", 100),
        ("edge-evidence", ["-p", "property=expertCountry", "-p", "value=CMR"], "action", "action:", 200),
    ],
)
def test_the_table_shows_prefixed_names_not_cut_iris(graph_file, name, params, column, prefix, width):
    table = query(graph_file, name, *params, "--limit", "0", columns=width).stdout
    assert "…" not in table
    assert all(len(line) <= width for line in table.splitlines())
    header = table.splitlines()[0].split()
    shown = [row[header.index(column)].replace(" ", "") for row in table_cells(table)]
    expected = []
    for row in csv_rows(graph_file, name, *params):
        iri = row[column]
        assert iri.startswith(ID) and iri not in table
        expected.append(prefix + iri.split("/", len(ID.split("/")))[-1])  # the name below the kind's folder
    assert shown == expected


def test_the_table_fits_the_terminal_and_turns_to_records_when_it_cannot(graph_file):
    for width in (60, 80, 140):
        for name in ("evidence", "news", "institutions", "actions"):
            table = query(graph_file, name, columns=width).stdout
            assert all(len(line) <= width for line in table.splitlines()), (name, width)
    records = query(graph_file, "actions", "--limit", "2", columns=80).stdout
    assert records.count("-[ row ") == 2 and "\npartner_institution " in records
    right = query(graph_file, "assistance-types", columns=100).stdout.splitlines()
    assert right[2].endswith(" 40") and len(right[2]) == len(right[0])  # counts right-aligned under their header


def test_the_table_shows_the_first_rows_and_says_how_to_get_the_rest(graph_file):
    total = len(csv_rows(graph_file, "evidence"))
    assert total > 100
    first = query(graph_file, "evidence", columns=None).stdout.splitlines()
    assert first[-1] == f"(50 of {total:,} rows shown; {total - 50:,} more: --limit 0 shows them all)"
    assert len(first) == 50 + 3  # header, rule, 50 rows, the count (no terminal: no wrapping)
    every = query(graph_file, "evidence", "--limit", "0", columns=None).stdout.splitlines()
    assert every[-1] == f"({total:,} rows)" and len(every) == total + 3
    assert (
        query(graph_file, "evidence", "--limit", "7", columns=None)
        .stdout.splitlines()[-1]
        .startswith(f"(7 of {total:,} rows shown; ")
    )


def test_list_prints_whole_descriptions(graph_file):
    listing = query(graph_file, "--list", columns=80).stdout
    assert all(len(line) <= 80 for line in listing.splitlines())
    flat = " ".join(listing.split())
    for name, named in named_queries().items():
        assert f"{name} {named.description}" in flat
    described = named_queries()["follow-up-chains"].description
    assert described.endswith("and that action's title when it is.")
    assert named_queries()["evidence"].description.endswith("the action's code and references.")
    assert not any(q.description.startswith("(") or "multi-valued:" in q.description for q in named_queries().values())


def test_csv_tsv_and_json_take_a_limit_and_keep_the_actions_contract(graph_file):
    every = csv_rows(graph_file, "actions")
    assert len(every) == 210
    three = query(graph_file, "actions", "--format", "csv", "--limit", "3").stdout
    assert three.splitlines()[0].startswith("action,title,action_code,") and len(three.splitlines()) == 4
    assert list(csv.DictReader(io.StringIO(three))) == every[:3]
    tsv = query(graph_file, "news", "--format", "tsv", "--limit", "5").stdout.splitlines()
    assert tsv[0] == "news\ttitle\tkinds\tsources\tcountries" and len(tsv) == 6
    rows = json.loads(query(graph_file, "actions", "--format", "json").stdout)
    assert [{k: v for k, v in row.items()} for row in rows] == every
    assert all(r["assistance_types"].split(" | ") == sorted(r["assistance_types"].split(" | ")) for r in rows)


def test_json_gives_numbers_and_booleans_as_json_values(graph_file):
    """A count is a JSON number and a flag a JSON boolean (the notebook API's types), so a tool that
    loads the JSON gets them typed; a literal of another datatype stays its text."""
    rows = json.loads(query(graph_file, "expert-countries", "--format", "json").stdout)
    assert {type(r["actions"]) for r in rows} == {int} and {type(r["eu_member"]) for r in rows} == {bool}
    by_csv = {r["country"]: r for r in csv_rows(graph_file, "expert-countries")}
    assert all(str(r["actions"]) == by_csv[r["country"]]["actions"] for r in rows)
    assert rows[0]["country"] == "FRA" and rows[0]["eu_member"] is True
    text = 'SELECT ?n ?d ?odd WHERE { VALUES (?n ?d ?odd) { (1.50 "2024-03-01"^^xsd:date "x"^^xsd:integer) } }'
    assert json.loads(query(graph_file, text, "--format", "json").stdout) == [{"n": 1.5, "d": "2024-03-01", "odd": "x"}]


def test_limit_0_prints_every_row_in_every_format(graph_file):
    """`--limit 0` means all rows, as --help says and the table's footer recommends, in every format."""
    every = csv_rows(graph_file, "actions")
    assert csv_rows(graph_file, "actions", "--limit", "0") == every
    tsv = query(graph_file, "actions", "--format", "tsv", "--limit", "0").stdout.splitlines()
    assert len(tsv) == len(every) + 1
    rows = json.loads(query(graph_file, "actions", "--format", "json", "--limit", "0").stdout)
    assert rows == every


def test_a_reader_that_stops_early_ends_the_query_quietly(graph_file):
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "query", "evidence", "--format", "csv", "--graph", str(graph_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    header = process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    _, errors = process.communicate(timeout=120)
    assert header.startswith(b"action,title,property,value,")
    assert process.returncode == 0 and errors == b""


def test_every_engine_prints_the_same(graph_file, seed_build):
    """The store, rdflib and a remote endpoint's SPARQL JSON (read back with pyoxigraph) go through
    the same writers: the same CSV, and the same table once rows are in the same order. (The
    actions contract from rdflib: its terms are compared in tests/test_queries.py; rdflib takes
    seconds over it, so its printing is checked on the other multi-valued queries.)"""
    from pyoxigraph import QueryResultsFormat, parse_query_results

    from graph.sparql.store import open_store

    store = open_store(graph_file.parent / "store")
    for name in ("actions", "themes", "institutions", "news", "repeat-institutions"):
        named = named_queries()[name]
        remote = store.query(named.text).serialize(format=QueryResultsFormat.JSON)
        answers = [
            store_answer(store, named),
            oxigraph_answer(parse_query_results(remote, format=QueryResultsFormat.JSON), named),
        ]
        if name != "actions":
            answers.append(graph_answer(seed_build.graph, named))
        printed = []
        for answer in answers:
            out = io.StringIO()
            write_answer(answer, "csv", out)
            printed.append(out.getvalue())
        assert printed[0] == printed[1] and printed[0].count("\n") > 5, name
        if len(printed) == 3:
            assert sorted(printed[0].splitlines()) == sorted(printed[2].splitlines()), name
    table = query(graph_file, "themes").stdout
    assert table == query(graph_file, "themes", "--backend", "rdflib").stdout
    assert re.search(r"^theme:social-protection\s", table, re.M)


def test_the_readme_table_example_runs_and_shows_what_the_build_holds(graph_file):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"\$ socieux-kg query themes --limit 3\n(.*?)\n```", readme, re.S).group(1).splitlines()
    printed = query(graph_file, "themes", "--limit", "3", columns=None).stdout.splitlines()
    assert len(printed) == len(shown) == 6 and printed[0] == shown[0]
    themes = csv_rows(graph_file, "themes")
    for line, row in zip(printed[2:5], themes[:3], strict=True):
        assert line.split()[0] == "theme:" + row["theme"].rsplit("/", 1)[1] and line.endswith(" " + row["actions"])
    assert printed[5] == f"(3 of {len(themes)} rows shown; {len(themes) - 3} more: --limit 0 shows them all)"
    assert re.fullmatch(r"\(3 of \d+ rows shown; \d+ more: --limit 0 shows them all\)", shown[5])
