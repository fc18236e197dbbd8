"""SPARQL over the built seed graph returns each role with the sentence and line it came from."""

from __future__ import annotations

from graph.read.apostrophes import repair_apostrophes
from graph.sparql.query import named_queries, run_query
from tests.conftest import SEED_FILES, seed_rows


def seed_lines() -> dict[tuple[str, int], str]:
    lines = {}
    for path in SEED_FILES:
        for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            # evidence quotes the text as read: white space collapsed, "?" for an apostrophe repaired
            lines[(path.name, number)] = repair_apostrophes(" ".join(text.split()))[0]
    return lines


def test_every_expert_country_edge_has_its_sentence_and_line(seed_store):
    rows = seed_rows(seed_store, "expert-evidence")
    edges = {(r["action"], r["expert_country"]) for r in rows}
    assert len(rows) == len(edges) > 300
    lines = seed_lines()
    for row in rows:
        assert row["sentence"] in lines[(row["file"], int(row["line"]))], row
    portugal = [r for r in rows if r["expert_country"] == "PRT" and r["rule"] == "expert-from-country"]
    assert portugal and all("Portugal" in r["sentence"] for r in portugal)
    assert {r["eu_member"] for r in rows} == {"true", "false"}  # triangular cooperation is there too


def test_evidence_query_covers_each_kind_of_fact(seed_store):
    rows = seed_rows(seed_store, "evidence")
    properties = {r["property"] for r in rows}
    assert {
        "expertCountry",
        "partnerCountry",
        "studyVisitCountry",
        "theme",
        "cooperatingOrganisation",
        "actionCode",
        "relatedActionCode",
    } <= properties
    lines = seed_lines()
    for row in rows:
        if row["rule"] != "same-institution":
            assert row["sentence"] in lines[(row["file"], int(row["line"]))], row


def test_actions_table_is_filled_and_links_resolve(seed_store):
    rows = seed_rows(seed_store, "actions")
    filled = {column: sum(1 for r in rows if r[column]) for column in rows[0]}
    for column in ("partner_country", "expert_countries", "assistance_types", "themes", "sources"):
        assert filled[column] > len(rows) * 0.75, column  # 10 actions have no description at all
    for column in ("action_code", "study_visit_countries", "related_action_codes", "organisations"):
        assert filled[column] > 0, column
    follow_up = next(
        r for r in rows if r["title"] == "Enhance the effectiveness and coordination of social protection in Ghana"
    )
    assert follow_up["related_action_codes"] == "2014-12" and follow_up["partner_country"] == "GHA"


def test_follow_up_links_point_to_the_action_when_it_is_in_the_graph(tmp_path):
    from graph.build import build
    from tests.conftest import write

    doc = write(
        tmp_path,
        "chain.txt",
        """
      • First support to the pension fund

        National Pension Fund
        Policy development
        Action 2019-03 was implemented in 2019. Experts from Austria reviewed the rules of the fund of Ghana.
      • Second support to the pension fund

        National Pension Fund
        Policy development
        Follow-up from action 2019-03: experts from Austria and Slovenia drafted the new rules with the fund.
      • Third support

        National Pension Fund
        Policy development
        Building on Action 2017-11, experts from Latvia trained the staff of the fund.
    """,
    )
    result = build([doc], validate=False)
    rows = {r["title"]: r for r in run_query(result.graph, named_queries()["actions"]).rows}
    assert rows["First support to the pension fund"]["action_code"] == "2019-03"
    assert rows["Second support to the pension fund"]["related_action_codes"] == "2019-03"
    linked = result.graph.query("""
        PREFIX socx: <https://w3id.org/socieux-kg/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?a ?b WHERE { ?x socx:followUpOf ?y . ?x dcterms:title ?a . ?y dcterms:title ?b }""")
    assert {(str(a), str(b)) for a, b in linked} == {
        ("Second support to the pension fund", "First support to the pension fund")
    }
    unresolved = [a for a in result.report.anomalies if a.kind == "unresolved-reference"]
    assert len(unresolved) == 1 and "2017-11" in unresolved[0].detail
    assert {r["partner_country"] for r in rows.values()} == {"GHA"}  # carried over within the institution
