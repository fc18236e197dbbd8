"""`socieux-kg diff`: the seed build against a build of the seeds plus a new document lists exactly
the new actions; against a build where one title was edited and one expert country removed, one
changed action with those facts and their evidence; a build against itself, nothing. The two other
builds are made once for the module (in process, the N-Triples only)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph import files
from graph.build import build
from graph.rdf import serialise
from tests.conftest import SEED_FILES, invoke, write

OLD_TITLE = "Advice for equal employment opportunities of people with disabilities"
NEW_TITLE = "Advice on equal employment opportunities for people with disabilities"

# two actions the seeds do not have, written for this test
NEW_DOCUMENT = """
  • Training labour inspectors to check home-based work

    Directorate of Labour Inspection and Home Work Safety (DLIHWS)
    Individual capacity building (human resources development)
    The Directorate of Labour Inspection and Home Work Safety of Fiji wanted its inspectors to be able to check the safety of people who work from home. Experts from Estonia and Ireland mobilised by SOCIEUX+ wrote a short course for inspectors and tried it out with twelve trainees in Suva.
  • Costing a universal allowance for young children

    Child Allowance Design Unit
    Policy development
    The Child Allowance Design Unit of Bhutan studies a universal allowance for children under six. An expert from Slovenia mobilised by SOCIEUX+ built a costing model with the budget team in Thimphu and explained how her own country phased in such an allowance.
"""
NEW_TITLES = ["Costing a universal allowance for young children", "Training labour inspectors to check home-based work"]


def write_build(paths: list[Path], out: Path) -> Path:
    """The graph of ``paths`` written as a build writes its N-Triples."""
    result = build(paths, validate=False)
    files.write_atomic(out / "socieux.nt", serialise.ntriples_chunks(result.triples))
    return out


@pytest.fixture(scope="module")
def old(built_project) -> Path:
    return built_project.exports


@pytest.fixture(scope="module")
def with_new_document(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("new-document")
    document = write(folder, "002_new_actions.txt", NEW_DOCUMENT)
    return write_build([*SEED_FILES, document], folder / "out")


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> Path:
    """The seeds with one title edited and one expert country taken out of its sentence."""
    folder = tmp_path_factory.mktemp("edited")
    seeds = folder / "seeds"
    seeds.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, seeds / path.name)
    page = seeds / SEED_FILES[0].name
    text = page.read_text(encoding="utf-8")
    assert text.count(OLD_TITLE) == 1 and text.count("Experts from Spain, Romania and France assessed") == 1
    text = text.replace(OLD_TITLE, NEW_TITLE).replace(
        "Experts from Spain, Romania and France assessed", "Experts from Spain and France assessed"
    )
    page.write_text(text, encoding="utf-8")
    return write_build(sorted(seeds.glob("*.txt")), folder / "out")


def diff(*args) -> tuple[int, str]:
    done = invoke("diff", *map(str, args))
    return done.returncode, done.stdout


def test_a_new_document_adds_exactly_its_actions(old, with_new_document):
    code, out = diff(old, with_new_document, "--format", "json")
    found = json.loads(out)
    assert code == 1
    assert sorted(a["title"] for a in found["actions_added"]) == NEW_TITLES
    assert found["actions_removed"] == [] and found["actions_changed"] == [] and found["fields"] == {}
    assert found["actions_after"] == found["actions_before"] + 2
    fiji = next(a for a in found["actions_added"] if a["title"].startswith("Training"))
    assert fiji["facts"]["expert_countries"] == ["EST", "IRL"] and fiji["facts"]["partner_country"] == ["FJI"]


def test_an_edited_title_and_a_removed_expert_country_make_one_changed_action(old, edited):
    code, out = diff(old, edited, "--format", "json")
    found = json.loads(out)
    assert code == 1
    assert found["actions_added"] == [] and found["actions_removed"] == []
    (changed,) = found["actions_changed"]
    assert (changed["title"], changed["former_title"]) == (NEW_TITLE, OLD_TITLE)
    assert changed["action"] != changed["former_action"] and changed["paired_by"] == "partner and title"
    assert {k: [v["value"] for v in vs] for k, vs in changed["added"].items()} == {"title": [NEW_TITLE]}
    assert {k: [v["value"] for v in vs] for k, vs in changed["removed"].items()} == {
        "title": [OLD_TITLE],
        "expert_countries": ["ROU"],
    }
    (evidence,) = changed["removed"]["expert_countries"][0]["evidence"]
    assert evidence["sentence"].startswith("Experts from Spain, Romania and France assessed")
    assert (evidence["file"], evidence["line"], evidence["rule"]) == (SEED_FILES[0].name, 167, "expert-from-country")
    assert found["fields"] == {"title": {"added": 1, "removed": 1}, "expert_countries": {"added": 0, "removed": 1}}


def test_the_markdown_page_says_what_changed(old, edited):
    code, out = diff(old, edited)
    assert code == 1
    assert "0 actions added, 0 removed, 1 changed." in out
    assert "| expert_countries | 0 | 1 |" in out
    assert f"### {NEW_TITLE}" in out and "paired by partner and title" in out
    assert "- − expert_countries: ROU" in out and "“Experts from Spain, Romania and France assessed" in out


def test_a_build_against_itself_and_its_own_graph_files(old):
    assert diff(old, old) == (0, diff(old, old)[1])
    assert "Nothing changed." in diff(old, old)[1]
    code, out = diff(old / "socieux.ttl", old / "socieux.nt", "--format", "json")
    assert code == 0 and json.loads(out)["actions_changed"] == []


def test_an_unreadable_build_is_an_error(old, tmp_path):
    done = invoke("diff", old, tmp_path / "nothing")
    assert done.returncode == 2 and "no such build folder or graph file" in done.stderr
    (tmp_path / "empty").mkdir()
    done = invoke("diff", tmp_path / "empty", old)
    assert done.returncode == 2 and "no build in this folder" in done.stderr


def test_the_documented_diff_example_is_what_diff_prints(old, with_new_document):
    from tests.test_readme import examples, shape

    line, shown = examples("socieux-kg diff exports-before exports", "docs/corrections.md")[0]
    code, out = diff(old, with_new_document)
    out = out.replace(f"`{old}`", "`exports-before`").replace(f"`{with_new_document}`", "`exports`")
    assert code == 1 and shape(out) == shape(shown)
