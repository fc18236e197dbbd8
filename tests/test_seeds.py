"""Counts on the real seed documents.

The expected figures were counted by hand in the two seeds: document 000 holds 214 bullets, of
which 6 have no data (4 bulleted headlines, 2 bulleted empty stories), plus one unbulleted
action in the labelled layout; document 001 repeats 18 of its 19 actions from 000.
"""

from __future__ import annotations

from collections import Counter

from tests.conftest import SEED_FILES


def test_seed_documents_are_the_shared_scrapes():
    assert [p.name for p in SEED_FILES] == ["000_aecc4522525af03b.txt", "001_edc3517ef0d48764.txt"]


def test_seed_counts(seed_build):
    counts = seed_build.report.counts()
    assert counts["action_records"] == 209 + 19
    assert counts["actions"] == 210
    assert counts["duplicates_merged"] == 18
    assert counts["news_records"] == 53
    assert counts["news_items"] == 51  # "SOCIEUX+ Extends Network of Focal Points" three times
    assert counts["section_headings"] == 1


def test_every_non_blank_seed_line_is_accounted_for_once(seed_build):
    for doc, path in zip(seed_build.documents, SEED_FILES, strict=True):
        non_blank = [n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if line.strip()]
        assert sorted(r.line for r in doc.lines) == non_blank


def test_no_news_item_is_an_action(seed_build):
    action_lines = {(r.file, r.title.line) for doc in seed_build.documents for r in doc.actions}
    news_lines = {(n.title.file, n.title.line) for doc in seed_build.documents for n in doc.news}
    assert not action_lines & news_lines
    news_titles = {n.title.value for doc in seed_build.documents for n in doc.news}
    assert "SOCIEUX+ in Kenya: National dialogue to enhance social protection coverage" in news_titles
    assert not any(a.title.startswith("SOCIEUX+ in ") for a in seed_build.report.merged.actions)


def test_seed_bullets_with_data_are_actions(seed_build):
    """Every bulleted title followed (after a blank line) by a non-label, non-bullet line is an action."""
    path = SEED_FILES[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    expected = set()
    for n, line in enumerate(lines):
        if line.strip().startswith("•") and n + 2 < len(lines) and not lines[n + 1].strip():
            following = lines[n + 2].strip()
            if following and not following.startswith("•") and following != "Start activities":
                expected.add(n + 1)
    actions = {r.title.line for r in seed_build.documents[0].actions}
    # all are actions but the three bulleted headlines followed by another headline
    assert sorted(expected - actions) == [201, 337, 372]
    assert all(lines[n - 1].lstrip().startswith("•") for n in (expected - actions))


def test_each_action_has_partner_and_types_wherever_the_text_has_them(seed_build):
    missing = Counter(a.kind for a in seed_build.report.anomalies if a.kind.startswith("missing-"))
    # 13 actions state no type of assistance (the labelled layout with the description right
    # after the label); 10 have no description; every seed action names its partner
    assert missing == {"missing-type": 13, "missing-description": 10}
    kinds = Counter(a.kind for a in seed_build.report.anomalies)
    assert kinds["truncated-type"] == 1 and kinds["type-code-prefix"] == 1 and kinds["unclosed-bracket"] == 1


def test_news_items_carry_the_countries_their_titles_name(seed_build):
    from graph.sparql.query import named_queries, run_query

    rows = {r["title"]: r["countries"] for r in run_query(seed_build.graph, named_queries()["news"]).rows}
    assert (
        rows["Kosovo delegation visits Ireland to study good practices in the area of labour market data"]
        == "IRL | XKX"
    )
    assert rows["How foster care works: a delegation from Kazakhstan visits the Czech Republic"] == "CZE | KAZ"
    assert rows["SOCIEUX+ launches E-learning award"] == ""
