"""Five times the seeds, end to end: the benchmark's generated corpus (1,090 actions in five
documents of both layouts, 1.5 MB: extracted by worker processes while the documents are read)
built with the real command line; what the build counts must be what the generator says it wrote.
(Timing lives in bench/run.py, not here.)"""

from __future__ import annotations

import json

from bench.generate import generate
from graph.workers import large_input
from tests.conftest import run_cli


def test_a_scale_5_build_counts_what_the_generator_wrote(tmp_path):
    manifest = generate(5, tmp_path / "corpus")
    assert manifest["actions"] > 1000 and manifest["duplicates"] > 50 and manifest["news_items"] > 200
    assert large_input(sorted((tmp_path / "corpus").glob("*.txt")))  # the worker processes' path
    done = run_cli("build", tmp_path / "corpus", "--out", tmp_path / "out", "-q", "--no-network")
    assert done.returncode == 0, done.stderr
    counts = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))["counts"]
    assert counts["documents"] == manifest["documents"] == 5
    assert counts["actions"] == manifest["actions"]
    assert counts["action_records"] == manifest["action_records"]
    assert counts["duplicates_merged"] == manifest["duplicates"]
    assert counts["news_items"] == manifest["news_items"]
    assert counts["lines_accounted"] == counts["non_blank_lines"]

    from pyoxigraph import Store

    store = Store.read_only(str(tmp_path / "out" / "store"))
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/socieux-kg/ontology#Action> }"
    assert int(next(iter(store.query(query)))["n"].value) == manifest["actions"]
    assert len(store) == counts["triples"]
