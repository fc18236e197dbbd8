"""The learned theme model, its combination with the cue rules, retraining with one command, the
cross-validated comparison, and the evidence of a theme looked up by the theme (issue 21)."""

from __future__ import annotations

import json

import numpy
import pytest

from graph.extract.findings import Finding
from graph.extract.theme_model import ThemeModel, active_model, chosen_model
from graph.extract.themes import decide_themes
from tests.conftest import invoke, write

# a small annotated set in our own words: pensions, disability and public employment services
TEXTS = [
    (
        "Actuarial review of the old-age pension fund",
        "Experts from Spain projected the pension fund's balance.",
        ["Pensions"],
    ),
    ("Reform of survivors' pensions", "Experts from France reviewed the pension rules for widows.", ["Pensions"]),
    (
        "Retirement age scenarios",
        "Experts from Italy modelled the retirement of civil servants and their pensions.",
        ["Pensions"],
    ),
    (
        "Assessment of disability",
        "Experts from Belgium redesigned the disability assessment of persons with disabilities.",
        ["Disability"],
    ),
    (
        "Inclusive workplaces for persons with disabilities",
        "Experts from Austria advised employers of disabled workers.",
        ["Disability"],
    ),
    (
        "Job counselling in employment offices",
        "Experts from Sweden trained the counsellors of the public employment service on job matching.",
        ["Public employment services"],
    ),
    (
        "Profiling of jobseekers",
        "Experts from Finland designed the profiling of job seekers in the employment offices.",
        ["Public employment services"],
    ),
]


def annotated_set(folder):
    lines, entries = [], []
    for k, (title, description, themes) in enumerate(TEXTS):
        line = len(lines) + 1
        lines += [
            f"  • {title}",
            "",
            "    Ministry of Labour of Peru",
            "    Policy development",
            f"    {description}",
            "",
        ]
        entries.append({"file": "small.txt", "line": line, "gold": {"themes": themes}, "id": k})
    write(folder, "small.txt", "\n".join(lines) + "\n")
    (folder / "small.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return folder / "small.jsonl"


def test_retraining_on_ones_own_examples_is_one_deterministic_command_and_the_build_uses_the_model(tmp_path):
    data = annotated_set(tmp_path)
    first, second = tmp_path / "model-a", tmp_path / "model-b"
    for out in (first, second):
        done = invoke("themes", "train", "--data", data, "--seeds", tmp_path, "--out", out, "--epochs", "3")
        assert done.returncode == 0, done.stderr
        assert "trained the theme model on 7 actions" in done.stdout
    assert (first / "model.json").read_bytes() == (second / "model.json").read_bytes()
    assert (first / "textcat.bin.gz").read_bytes() == (second / "textcat.bin.gz").read_bytes()
    meta = json.loads((first / "model.json").read_text(encoding="utf-8"))
    assert meta["trained"]["actions"] == 7 and len(meta["combiner"]["weights"]) == len(meta["combiner"]["features"])
    # the build reads the retrained model: its evidence says the method that decided
    out = tmp_path / "out"
    done = invoke("build", tmp_path / "small.txt", "--out", out, "--no-network", "--themes-model", first)
    assert done.returncode == 0, done.stderr
    turtle = (out / "socieux.ttl").read_text(encoding="utf-8")
    assert 'socx:rule "theme-combined"' in turtle
    assert active_model() is not None and active_model().info.get("actions") != 7  # the default is back


def test_a_model_folder_that_is_no_model_is_a_one_line_error(tmp_path):
    done = invoke("build", "--out", tmp_path / "out", "--themes-model", tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "no theme model there (no model.json)" in done.stderr


def test_the_comparison_scores_rules_learned_and_combined_on_held_out_folds(tmp_path):
    data = annotated_set(tmp_path)
    done = invoke("themes", "compare", "--data", data, "--seeds", tmp_path, "--folds", "3", "--epochs", "2")
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines() if line.split()}
    assert set(rows) >= {"rules", "learned", "combined"}
    assert all(len(rows[m]) == 12 for m in ("rules", "learned", "combined"))  # 3 folds and all, P R F1 each
    assert "all: 7" in done.stdout


def test_a_learned_theme_keeps_the_sentence_that_scores_highest_for_it():
    """Whatever the text, the learned method's evidence for a theme is the sentence whose
    contribution to that theme is the largest; the combined method keeps a cue's sentence."""
    model = active_model()
    assert isinstance(model, ThemeModel)
    pensions = model.labels.index("https://w3id.org/socieux-kg/id/theme/pensions")
    rows = numpy.zeros((3, len(model.labels)))
    rows[1, pensions] = 9.0  # the second sentence speaks of pensions
    sentences = [
        (Finding("theme_model", "", "theme-model", 0, 5, f"sentence {k}", scores=tuple(row)), k)
        for k, row in enumerate(rows)
    ]
    with chosen_model(method="learned"):
        (theme,) = [t for t in decide_themes([], sentences) if t.iri.endswith("/pensions")]
    assert theme.finding.sentence == "sentence 1" and theme.rule == "theme-learned" and theme.where == 1
    cue = Finding("theme_cue", theme.iri, "theme-title", 0, 7, "Pension reform", 3.0, "pension")
    (combined,) = [t for t in decide_themes([(cue, 9)], sentences, "combined", model) if t.iri == theme.iri]
    assert combined.finding.sentence == "Pension reform" and combined.rule == "theme-combined"
    assert "model probability" in combined.detail and "'pension' (title, 3)" in combined.detail


@pytest.mark.parametrize(
    "value", ["Migration", "migration", "theme:migration", "https://w3id.org/socieux-kg/id/theme/migration"]
)
def test_the_evidence_of_a_theme_is_found_by_label_local_name_prefixed_name_or_iri(built_project, value):
    graph = built_project.exports / "socieux.ttl"
    done = invoke(
        "query", "edge-evidence", "-g", graph, "-p", "property=theme", "-p", f"value={value}", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows and all(r["rule"].startswith("theme-") and r["sentence"] for r in rows)


def test_the_notebook_api_finds_a_themes_evidence_and_names_the_closest_theme_when_none_matches(built_project):
    from graph.api import KnowledgeGraph, UnknownValue

    kg = KnowledgeGraph.load(built_project.exports / "socieux.ttl")
    by_label = kg.query("edge-evidence", property="theme", value="Migration")
    assert by_label and by_label == kg.query("edge-evidence", property="theme", value="theme:migration")
    with pytest.raises(UnknownValue, match="closest: Migration"):
        kg.query("edge-evidence", property="theme", value="Migrants")
