"""The extractors scored against the annotated development sets, with the quality bar as thresholds.

``annotated.jsonl`` holds the 210 seed actions (with an independent annotator's themes) and 60
new texts; ``holdout-annotated.jsonl`` and ``unseen-annotated.jsonl`` 40 texts each, written by
other annotators in their own words. The rules were corrected after a first run on those two, so
they are development sets, not held-out ones: the thresholds are the quality bar of the
extraction issue (never 1.0, which would measure memory).

``fresh-annotated.jsonl`` (84 texts in ``fresh-a-actions.txt`` and ``fresh-b-actions.txt``, both
layouts, written and annotated by people who never saw the rules, themes included) was held out and
scored once (2026-11-29); since issue 21 it is a development set like the others (rules were changed
after looking at its errors, and the theme model is trained on it): its floors below are a little
under its figures now, raised from the first run's, so that the test catches a regression.

Themes are decided by the combined method (the cue rules and the learned model, trained on
``annotated.jsonl``'s seed themes and ``fresh-annotated.jsonl``): on those two sets the figures are
in-sample, which is why docs/extraction.md gives the cross-validated comparison beside them. Programme gold
follows the convention of docs/extraction.md (re-annotated in issue 21).

Partner country on the seeds stays below the 0.97 target: 12 seed actions name their partner's
country nowhere in their text (the annotators filled it from knowledge of the institution, e.g.
that the ASEAN Institute for Health Development is at Mahidol University, in Thailand).
"""

from __future__ import annotations

import pytest

from graph.evaluate import evaluate
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
# the quality bar of the extraction issue, per list field (F1)
TARGETS_F1 = {
    "expert_countries": 0.99,
    "study_visit_countries": 0.95,
    "assistance_types": 0.99,
    "related_action_codes": 0.95,
    "organisations": 0.9,
    "programmes": 0.9,
}
# per single-value field (accuracy): the targets, with partner country at what the seeds allow
TARGETS_ACCURACY = {
    "partner_institution": 0.99,
    "partner_institution_acronym": 0.99,
    "partner_country": 0.95,
    "action_code": 0.97,
}
THEMES_AT_LEAST = 0.9  # precision and recall on the seeds (in-sample for the trained model: see above)


@pytest.mark.parametrize("name", ["annotated.jsonl", "holdout-annotated.jsonl", "unseen-annotated.jsonl"])
def test_quality_bar(name):
    scores, missing = evaluate(DATA / name, ROOT / "seeds")
    assert missing == []
    overall = scores["all"]
    for field, target in TARGETS_ACCURACY.items():
        assert overall[field].accuracy >= target, (field, overall[field].accuracy)
    for field, target in TARGETS_F1.items():
        assert overall[field].f1 >= target, (field, overall[field].f1)
    if "themes" in overall:
        assert overall["themes"].precision >= THEMES_AT_LEAST and overall["themes"].recall >= THEMES_AT_LEAST


# the fresh set's figures (issue 21; first run in 2026-11-29 in docs/extraction.md): the floor a change must not cross
FRESH = {  # field: (figure, floor)
    "partner_institution": (0.988, 0.97),
    "partner_country": (0.905, 0.88),
    "action_code": (0.988, 0.97),
    "expert_countries": (0.982, 0.96),
    "study_visit_countries": (1.0, 0.95),
    "assistance_types": (1.0, 0.97),
    "related_action_codes": (0.971, 0.94),
    "organisations": (0.995, 0.97),
    "programmes": (0.930, 0.9),
}
FRESH_THEMES = (0.954, 0.968)  # precision, recall (in-sample for the trained model)


def test_the_fresh_set_stays_at_its_figures():
    scores, missing = evaluate(DATA / "fresh-annotated.jsonl", ROOT / "seeds")
    assert missing == []
    overall = scores["all"]
    for field, (_, floor) in FRESH.items():
        score = overall[field].accuracy if field in TARGETS_ACCURACY else overall[field].f1
        assert score >= floor, (field, score)
    themes = overall["themes"]
    assert themes.precision >= FRESH_THEMES[0] - 0.03 and themes.recall >= FRESH_THEMES[1] - 0.03


# ``fresh2-annotated.jsonl`` (90 texts in ``fresh2-a-actions.txt`` and ``fresh2-b-actions.txt``,
# both seed layouts, with issue 21's traps: trainees, passive voice, donors, neighbours, regional
# bodies, programme names, institutions written in two languages), written for issue 21 by a writer
# who never saw the rules, themes annotated apart by an annotator who saw only the texts and the
# scheme; kept from whoever changed the extraction and scored once after the last change
# (2026-12-07, `socieux-kg evaluate --data tests/data/fresh2-annotated.jsonl`). Its first-run figures
# are in docs/extraction.md and the README's summary; the theme model was not trained on it.
# Development sets since (issue 21's later rounds); the floors hold today's figures a little under.
FRESH2 = {  # field: (first-run figure, today's figure, 2026-12-07)
    "partner_institution": (1.0, 1.0),
    "partner_country": (0.933, 0.978),
    "action_code": (0.989, 0.989),
    "expert_countries": (0.989, 0.994),
    "study_visit_countries": (0.800, 1.0),
    "assistance_types": (0.991, 0.991),
    "related_action_codes": (0.933, 0.933),
    "organisations": (0.984, 0.992),
    "programmes": (0.793, 0.971),
}
FRESH2_THEMES = ((0.881, 0.710), (0.906, 0.885))  # precision, recall: at the first run, today


def holds(name: str, figures: dict[str, tuple[float, float]], themes: tuple[float, float]) -> None:
    """The set's scores are at most 0.02 under today's figures (0.03 for themes)."""
    scores, missing = evaluate(DATA / name, ROOT / "seeds")
    assert missing == []
    overall = scores["all"]
    for field, (_, today) in figures.items():
        score = overall[field].accuracy if field in TARGETS_ACCURACY else overall[field].f1
        assert score >= today - 0.02, (field, score)
    assert overall["themes"].precision >= themes[0] - 0.03 and overall["themes"].recall >= themes[1] - 0.03


def test_the_second_fresh_set_holds_its_figures():
    holds("fresh2-annotated.jsonl", FRESH2, FRESH2_THEMES[1])


# ``fresh3-annotated.jsonl`` (86 texts in ``fresh3-a-actions.txt`` and ``fresh3-b-actions.txt``, both
# seed layouts, built more freely: texts that open with a question, a figure or the outcome, 20
# partner countries only hinted at by a city, a region or the institution, five institutions under
# two names), written for issue 21 by a third writer who never saw the rules or ran the tools, themes
# added by an annotator who saw only the texts and the scheme; scored once after issue 21's last
# extraction change (2026-12-07, at 69b327a). Its first-run figures are in docs/extraction.md and the
# README's summary. From then on a development set: the floors hold today's figures a little under.
FRESH3 = {  # field: (first-run figure, today's figure, 2026-12-07)
    "partner_institution": (0.965, 1.0),
    "partner_country": (0.919, 0.965),
    "action_code": (0.988, 0.988),
    "expert_countries": (0.958, 0.994),
    "study_visit_countries": (0.444, 0.923),
    "assistance_types": (0.990, 0.990),
    "related_action_codes": (0.857, 0.857),
    "organisations": (0.922, 0.981),
    "programmes": (0.554, 0.761),
}
FRESH3_THEMES = ((0.900, 0.565), (0.929, 0.819))  # precision, recall: at the first run, today


def test_the_third_fresh_set_holds_its_figures():
    holds("fresh3-annotated.jsonl", FRESH3, FRESH3_THEMES[1])


# ``pages-annotated.jsonl``: 55 actions in today's website shapes (labelled with dates and codes,
# dashed lists under country headers in four languages, "Label: value" lines, single-action pages;
# ``pages-*.txt``), written by a tester who never saw the reader, and scored once for issue 20: 54
# of 55 actions found, codes, dates and years all right, partner country 51/54, expert countries
# F1 0.981 (a headline over a page header took an entry's title; trainees read as experts). Both
# were fixed after looking, so it is a development set: the floors hold today's figures.
def test_todays_page_shapes_give_every_action_its_code_dates_and_year():
    scores, missing = evaluate(DATA / "pages-annotated.jsonl", ROOT / "seeds")
    assert missing == []
    overall = scores["all"]
    for field in ("partner_institution", "action_code", "start_date", "end_date", "year"):
        assert overall[field].accuracy == 1.0, field  # what the page states, read as it stands
    assert overall["partner_country"].accuracy >= 0.96 and overall["expert_countries"].f1 >= 0.97


def test_themes_count_doubtful_and_broader_themes_as_right_and_recall_only_sure_ones(tmp_path):
    """The scoring rule of themes, on a one-action set: found Pensions (sure), Social protection
    (broader than Pensions) and Public administration (doubtful) are all right; the sure Disability
    missed costs recall only."""
    import json

    document = tmp_path / "doc.txt"
    document.write_text(
        "  • Reform of the pension scheme and of the public administration\n\n    Pension Fund\n"
        "    Policy development\n    Experts reviewed the pension scheme and the social security law.\n",
        encoding="utf-8",
    )
    gold = {
        "themes": ["Disability", "Pensions"],
        "themes_acceptable": ["Public administration"],
    }
    entry = {"file": "doc.txt", "line": 1, "gold": gold}
    (tmp_path / "set.jsonl").write_text(json.dumps(entry) + "\n", encoding="utf-8")
    scores, missing = evaluate(tmp_path / "set.jsonl", tmp_path)
    themes = scores["all"]["themes"]
    assert missing == [] and themes.entries == 1
    assert (themes.tp, themes.fp, themes.recall_tp, themes.fn) == (3, 0, 1, 1)
    assert "partner_country" not in scores["all"]  # a field no entry annotates is not scored


def test_no_news_item_becomes_an_action(seed_build):
    titles = {a.title for a in seed_build.report.merged.actions}
    news = {n.title for n in seed_build.report.merged.news}
    assert not titles & news and len(news) == 51


def test_evaluate_finds_the_set_of_the_project_folder_it_runs_in(tmp_path, monkeypatch):
    """Not only the set beside an editable install's sources: the one of the folder it runs in, and
    a one-line error naming --data where there is none (an installed wheel ships no test data)."""
    import json
    import shutil

    from graph import cli
    from tests.conftest import ROOT, SEED_FILES, invoke

    monkeypatch.setattr(cli, "_checkout", lambda: tmp_path / "site-packages")  # an installed wheel's place
    nowhere = invoke("evaluate", cwd=tmp_path)
    assert nowhere.returncode == 1 and nowhere.stderr.splitlines() == [
        "socieux-kg: error: no annotated set at tests/data/annotated.jsonl here or in the project: "
        "give one with --data FILE.jsonl"
    ]
    project = tmp_path / "project"
    (project / "tests" / "data").mkdir(parents=True)
    (project / "seeds").mkdir()
    shutil.copy(SEED_FILES[1], project / "seeds")
    entries = map(json.loads, (ROOT / "tests/data/annotated.jsonl").open(encoding="utf-8"))
    first = next(entry for entry in entries if entry["file"] == SEED_FILES[1].name)
    (project / "tests" / "data" / "annotated.jsonl").write_text(json.dumps(first) + "\n", encoding="utf-8")
    done = invoke("evaluate", "--json", cwd=project)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["missing"] == []
