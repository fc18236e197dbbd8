"""The command line end to end, in a temporary folder, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from tests.conftest import ROOT, SEED_FILES, invoke, run_cli, write

HEADER = (
    "action,title,action_code,partner_institution,partner_institution_acronym,partner_country,"
    "expert_countries,study_visit_countries,assistance_types,themes,related_action_codes,organisations,sources,"
    "programmes,start_date,end_date,year"
)


@pytest.fixture(scope="module")
def project(built_project) -> Path:
    """A folder laid out like the project: seeds/ and a build into exports/ made with no arguments."""
    return built_project.folder


def test_build_with_no_arguments_reads_seeds_and_writes_exports(project):
    names = sorted(p.name for p in (project / "exports").iterdir())
    assert names == [
        "build-report.json",
        "build-report.md",
        "dataset.ttl",
        "network",
        "socieux.jsonld",
        "socieux.nt",
        "socieux.ttl",
        "stats",
        "store",
        "tables",
        "views",
    ]
    assert sorted(p.name for p in (project / "exports" / "views").iterdir()) == [
        "action-chains.html",
        "country-flows.html",
        "expert-collaboration.html",
        "full.html",
        "institutions-themes.html",
    ]


def test_the_first_progress_line_names_the_inputs_briefly(built_project, tmp_path):
    assert built_project.done.stderr.splitlines()[0] == "socieux-kg: building from 2 documents in seeds/ into exports/"
    from graph.cli import _inputs

    named = [write(tmp_path, f"document-{n:03d}.txt", "text\n") for n in range(200)]
    assert _inputs(named) == "200 documents"
    assert _inputs([tmp_path]) == f"200 documents in {tmp_path.as_posix()}/"
    assert _inputs([tmp_path, SEED_FILES[0]]) == "201 documents from 1 folder and 1 file"


def test_build_summary_line(built_project):
    done = built_project.done
    summary = done.stdout.strip().splitlines()
    assert len(summary) == 1 and summary[0].startswith("socieux-kg: 210 actions (18 duplicates merged), 51 news items")
    assert "validated: the graph conforms" in done.stderr
    assert "read 000_aecc4522525af03b.txt: 209 action entries" in done.stderr  # progress on the console


def test_actions_query_contract(project):
    done = invoke("query", "actions", "--format", "csv", cwd=project)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 210 and len({r["action"] for r in rows}) == 210
    assert not any(r["title"].startswith("SOCIEUX+ in ") for r in rows)
    by_title = {r["title"]: r for r in rows}
    row = by_title["Job Impact Assessment of Public Investments"]
    assert row["sources"] == "000_aecc4522525af03b.txt:958 | 001_edc3517ef0d48764.txt:47"
    assert row["assistance_types"] == "Information management systems"
    row = by_title["Development of counselling standards and services for children and youth at risk"]
    assert row["partner_institution"] == "Ministry of Labour and Social Policy"
    assert row["partner_institution_acronym"] == "MLSP"
    types = by_title["Assessment of human ressources of the State Labour Inspectorate (SLI)"]["assistance_types"]
    assert types.split(" | ") == sorted(types.split(" | ")) and len(types.split(" | ")) == 3
    # the seeds give no dates; four actions get a year: one from its own code, three from a sentence
    assert {r["start_date"] for r in rows} == {""} and {r["end_date"] for r in rows} == {""}
    assert sorted(r["year"] for r in rows if r["year"]) == ["2016", "2017", "2018", "2023"]


def test_query_graph_option_formats_and_sparql_text(project):
    graph = project / "exports" / "socieux.ttl"
    done = invoke(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/socieux-kg/ontology#NewsItem> }",
        "--graph",
        graph,
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"n": 51}]  # a count is a JSON number
    tsv = invoke("query", "news", "--graph", graph, "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "news\ttitle\tkinds\tsources\tcountries" and len(tsv) == 52
    table = invoke("query", "assistance-types", "--graph", graph).stdout
    assert "Institutional capacity building" in table and table.rstrip().endswith("rows)")
    listing = invoke("query", "--list").stdout
    assert "\nactions " in "\n" + listing and "news" in listing


def test_query_errors_are_one_line(tmp_path, project):
    """In a real process: what reaches the terminal is one line, whatever a library logs."""
    graph = project / "exports" / "socieux.ttl"
    cases = [
        run_cli("query", "no-such-query", "--graph", graph),
        run_cli("query", "SELECT ?x WHERE { ?x", "--graph", graph),
        run_cli("query", "actions", "--graph", tmp_path / "missing.ttl"),
        run_cli("query", "country", "-p", "country=http://a{b}", "--graph", graph),
        run_cli("query", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "-p", "s=http://a{b}", "--graph", graph),
        run_cli(
            "query",
            "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
            "-p",
            "s=http://a{b}",
            "--graph",
            graph,
            "--backend",
            "rdflib",
        ),
    ]
    for done in cases:
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("socieux-kg: error: "), done.stderr
    assert "country='http://a{b}' matches no country" in cases[-3].stderr
    assert all("'http://a{b}' is not an IRI that a query can hold" in done.stderr for done in cases[-2:])


def test_a_literal_that_does_not_fit_its_datatype_is_printed_as_it_stands(tmp_path):
    """In a real process: rdflib logs a traceback for "x"^^xsd:integer; the terminal gets none."""
    graph = tmp_path / "odd.nt"
    graph.write_text('<urn:a> <urn:b> "x"^^<http://www.w3.org/2001/XMLSchema#integer> .\n', encoding="utf-8")
    for backend in ("oxigraph", "rdflib"):
        done = run_cli("query", "SELECT ?o WHERE { ?s ?p ?o }", "--graph", graph, "-f", "csv", "--backend", backend)
        assert (done.returncode, done.stdout.splitlines(), done.stderr) == (0, ["o", "x"], ""), backend


def test_the_projects_prefixes_need_no_declaration(project):
    """socx:, dcterms:, skos:... may be used in a query without PREFIX lines, on both engines."""
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a a socx:Action ; dcterms:title ?t }"
    for backend in ("oxigraph", "rdflib"):
        done = invoke("query", text, "--format", "csv", "--backend", backend, cwd=project)
        assert done.returncode == 0 and done.stdout.splitlines() == ["n", "210"], (backend, done.stderr)


def test_validate_exit_codes(project, tmp_path):
    ok = run_cli("validate", "--graph", project / "exports" / "socieux.ttl")
    assert ok.returncode == 0 and "conforms" in ok.stdout
    missing = run_cli("validate", "--graph", tmp_path / "none.ttl")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    # the reference engine says the same, in the same words (on a small graph: pyshacl is slow)
    small = tmp_path / "small.ttl"
    small.write_text(
        "@prefix socx: <https://w3id.org/socieux-kg/ontology#> .\n<https://example.org/a> a socx:Action .\n",
        encoding="utf-8",
    )
    fast = run_cli("validate", "--graph", small)
    reference = invoke("validate", "--graph", small, "--engine", "pyshacl")
    assert reference.returncode == fast.returncode == 1 and reference.stdout == fast.stdout
    assert "<https://example.org/a>" in fast.stdout and "dcterms:title" in fast.stdout


def test_every_command_has_help():
    commands = [[], *([name] for name in sorted(main.commands))]
    assert len(commands) >= 9
    for command in commands:
        done = CliRunner().invoke(main, [*command, "--help"])
        assert done.exit_code == 0 and "Usage:" in done.output and len(done.output) > 200, command


def documented_exit_codes() -> dict[int, str]:
    """The table of exit codes in docs/commands.md."""
    commands = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    table = commands[commands.index("| code | meaning |") :].split("\n\n", 1)[0]
    return {int(code): meaning for code, meaning in re.findall(r"^\| (\d+) \| (.*) \|$", table, re.M)}


# one command a code, run as a user runs it; 130 (Ctrl-C) is tests/test_kill.py's SIGINT case, 3 (a bug)
# test_a_bug_in_a_worker_process_shows_its_traceback_and_its_own_exit_code
EXIT_CASES = {
    0: (["query", "--list"], ""),
    1: (["query", "no-such-query"], "socieux-kg: error: 'no-such-query' is not a named query"),
    2: (["query", "actions", "--no-such-option"], "No such option"),
}


@pytest.mark.parametrize("code", sorted(EXIT_CASES))
def test_each_documented_exit_code(project, code):
    assert set(documented_exit_codes()) == {*EXIT_CASES, 3, 130}
    args, said = EXIT_CASES[code]
    done = run_cli(*args, cwd=project)
    assert done.returncode == code and said in done.stderr and "Traceback" not in done.stderr


def test_a_bug_in_a_worker_process_shows_its_traceback_and_its_own_exit_code(tmp_path, monkeypatch, capsys):
    """A bug in the worker process that writes Turtle (forked with this test's stand-in for the
    serialiser): its traceback is printed and the exit code is 3, not bad input's 1."""
    import sys

    import graph.rdf.serialise
    from graph.cli import run

    def broken(*args, **kwargs):
        return {}["a key that is not there"]

    monkeypatch.setattr(graph.rdf.serialise, "from_ntriples", broken)
    monkeypatch.setattr(
        sys, "argv", ["socieux-kg", "build", str(SEED_FILES[1]), "--out", str(tmp_path), "--no-network"]
    )
    with pytest.raises(SystemExit) as ended:
        run()
    stderr = capsys.readouterr().err
    assert ended.value.code == 3, stderr
    assert "Traceback" in stderr and "in broken" in stderr and "KeyError" in stderr
    assert stderr.splitlines()[-1] == (
        "socieux-kg: internal error: KeyError: 'a key that is not there' "
        "(a bug: please report it with the traceback above)"
    )


BAD_INPUTS = {
    "empty.txt": b"",
    "blank.txt": b"   \n\n  \n",
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR",
    "latin1.txt": "  * Réforme\n\n    Ministère du Travail\n".encode("latin-1"),
    "news-only.txt": b"SOCIEUX+ launches E-learning award\n\nSOCIEUX+ Extends Network of Focal Points\n",
}
EXPECTED_ERRORS = {
    "empty.txt": "empty.txt: the file is empty",
    "blank.txt": "blank.txt: the file is empty",
    "binary.txt": "binary.txt:3: binary data (NUL byte)",
    "latin1.txt": "latin1.txt:1: not UTF-8 text (byte 0xe9)",
    "news-only.txt": "news-only.txt:1: no action entries found",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_a_one_line_error_and_leaves_outputs_intact(project, tmp_path, name):
    out = tmp_path / "exports"
    shutil.copytree(project / "exports", out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "store" not in p.parts}
    bad = tmp_path / name
    bad.write_bytes(BAD_INPUTS[name])
    done = run_cli("build", *SEED_FILES, bad, "--out", out)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("socieux-kg: error:")]
    assert len(errors) == 1 and EXPECTED_ERRORS[name] in errors[0], done.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "store" not in p.parts} == before


def test_missing_file_and_unwritable_out(tmp_path):
    missing = run_cli("build", tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert missing.returncode == 1 and "nope.txt: no such file" in missing.stderr
    assert not (tmp_path / "out").exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    unwritable = run_cli("build", *SEED_FILES, "--out", blocker / "exports")
    assert unwritable.returncode == 1 and "Traceback" not in unwritable.stderr
    assert "cannot create the output folder" in unwritable.stderr
    assert blocker.read_text() == "not a folder"


def test_a_folder_of_documents_is_read_and_directories_are_not_documents(tmp_path):
    (tmp_path / "docs").mkdir()
    write(
        tmp_path / "docs",
        "a.txt",
        """
      • Support to the pension fund

        National Pension Fund
        Policy development
        Experts from Croatia reviewed the rules of the fund with its actuaries and lawyers.
    """,
    )
    done = run_cli("build", tmp_path / "docs", "--out", tmp_path / "out", "-q")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("socieux-kg: 1 action (0 duplicates merged), 0 news items, 1 partner institution, ")
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    assert run_cli("build", empty, "--out", tmp_path / "out2").returncode == 1
