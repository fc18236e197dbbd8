"""Today's website layouts, dates, codes and years: the same actions written in five layouts give
the same actions table; each quirk of the pages as read today; dates, the page's Code, the year and
its basis; the country page's header; themes-by-year and its chart against a count from the table.

The fixtures are invented (tests/data/layouts/actions.toml, rendered by render.py into the five
layouts); the small texts below are written for these tests."""

from __future__ import annotations

import csv
import io
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from graph.build import build
from graph.rdf.serialise import ntriples
from graph.read.reader import DocumentReader
from graph.sparql.query import named_queries
from graph.sparql.store import memory_store, run_query_store
from tests.conftest import ROOT, write

LAYOUTS = ROOT / "tests" / "data" / "layouts"
OLD = ("plain", "labelled")  # the seeds' layouts: no place for dates or a Code
NEW = ("labelled-values", "dashed", "inline")
TIME_COLUMNS = ("action_code", "start_date", "end_date", "year")


def read(text: str):
    return DocumentReader().read(textwrap.dedent(text).lstrip("\n"), "page.txt")


def rows(store, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    return run_query_store(store, named_queries()[name], params).rows


@pytest.fixture(scope="module")
def built():
    """Each layout built on its own, with its actions table, by action IRI."""
    found = {}
    for name in OLD + NEW:
        result = build([LAYOUTS / f"{name}.txt"], validate=name == "dashed")
        store = memory_store(ntriples(result.triples))
        found[name] = (result, store, {row["action"]: row for row in rows(store, "actions")})
    return found


def without(row: dict[str, str], columns: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k not in columns}


def test_the_five_layouts_give_the_same_actions_table_sources_aside(built):
    reference = built["labelled-values"][2]
    assert len(reference) == 16
    for name in NEW:
        table = built[name][2]
        assert {k: without(v, ("sources",)) for k, v in table.items()} == {
            k: without(v, ("sources",)) for k, v in reference.items()
        }, name
    for name in OLD:  # the same, but for what the old layouts have no place for
        table = built[name][2]
        assert {k: without(v, ("sources", *TIME_COLUMNS)) for k, v in table.items()} == {
            k: without(v, ("sources", *TIME_COLUMNS)) for k, v in reference.items()
        }, name
        for action, row in table.items():  # a year the old layouts give (from a sentence) is the same year
            assert row["year"] in ("", reference[action]["year"]), (name, row["title"])
    assert built["dashed"][0].report.conforms


def test_every_action_has_its_code_and_dates_where_the_page_has_them(built):
    import tomllib

    with open(LAYOUTS / "actions.toml", "rb") as handle:
        given = {a["title"]: a for a in tomllib.load(handle)["action"]}
    for name in NEW:
        for row in built[name][2].values():
            page = given[row["title"]]
            assert row["action_code"] == page["code"], (name, row["title"])
            for column, written in (("start_date", page["start"]), ("end_date", page["end"])):
                if written:
                    day, month, year = (int(p) for p in written.replace("/", "-").replace(".", "-").split("-"))
                    assert row[column] == f"{year:04d}-{month:02d}-{day:02d}", (name, row["title"])
                else:
                    assert row[column] == ""


def test_the_report_says_which_layout_each_document_was_read_as(built):
    for name, layout in (
        ("plain", "plain"),
        ("labelled", "labelled"),
        ("labelled-values", "labelled"),
        ("dashed", "labelled-dashed"),
        ("inline", "labelled-inline"),
    ):
        report = built[name][0].report
        assert report.documents[0].layouts == {layout: 16}
        assert f"| {name}.txt | {layout} (16) |" in report.to_markdown()
        assert f'"{layout}": 16' in report.to_json()


# ---------------------------------------------------------------- the quirks of today's pages


def test_labelled_values_dates_code_and_description_are_each_in_their_place():
    doc = read("""
      • Registry of household income

        Start activities
        16-09-2024
        End activities
        04/07/2025
        Partner Institution
        Ministry of Social Development
        Type of Assistance
        Information management systems
        Code
        2024-13
        Description
        The ministry in Colombia worked with experts from Spain on a single registry of household income.
    """)
    (action,) = doc.actions
    assert (action.start.value, action.end.value, action.code.value) == ("16-09-2024", "04/07/2025", "2024-13")
    assert action.description_text.startswith("The ministry in Colombia")
    assert action.types.value == "Information management systems"
    reasons = {r.line: r.reason for r in doc.lines if r.skipped}
    assert reasons[11] == "layout label 'Code'" and reasons[13] == "layout label 'Description'"


DASHED = """
Actions in Guatemala

Quality standards for day-care centres
- Start activities
- 28-10-2024
- End activities
- 14-02-2025
- Partner Institution
- National Civil Service Office - ONSEC
- Type of Assistance
- Policy development
- Code
- 2024-11
- Description
- The National Civil Service Office asked experts from Spain to review the standards of its day-care centres.
Regional employment observatories
- Start activities
- End activities
- Partner Institution
- Ministry of Labour and Social Welfare
- Type of Assistance
- Institutional capacity building
- Description
- The ministry set up observatories of regional labour markets with Portuguese experts.
"""


def test_the_dashed_layout_under_a_country_header_gives_actions_and_no_news():
    doc = read(DASHED)
    assert [a.title.value for a in doc.actions] == [
        "Quality standards for day-care centres",
        "Regional employment observatories",
    ]
    assert doc.news == []
    first, second = doc.actions
    assert first.partners[0].value == "National Civil Service Office - ONSEC"
    assert (first.start.value, first.end.value, first.code.value) == ("28-10-2024", "14-02-2025", "2024-11")
    assert second.partners[0].value == "Ministry of Labour and Social Welfare" and second.code is None
    assert first.context.name == "Guatemala" and first.context.line.line == 1 and second.context == first.context
    assert {r.line: r.reason for r in doc.lines if r.skipped}[1] == "page header"
    assert [a.layout for a in doc.actions] == ["labelled-dashed", "labelled-dashed"]


@pytest.mark.parametrize(
    "header, name",
    [
        ("Acciones en Perú", "Perú"),
        ("Ações em Moçambique", "Moçambique"),
        ("Açôes em Cabo Verde", "Cabo Verde"),
        ("Actions au Sénégal", "Sénégal"),
        ("Acciones en la República Dominicana", "República Dominicana"),
    ],
)
def test_country_headers_in_spanish_portuguese_and_french(header, name):
    doc = read(DASHED.replace("Actions in Guatemala", header))
    assert len(doc.actions) == 2 and doc.news == []
    assert doc.actions[0].context.name == name


def test_translated_labels_are_read_as_their_english_ones():
    doc = read("""
        Acciones en Perú

        Formación de inspectores
        - Inicio de actividades
        - 3.2.2025
        - Fin de actividades
        - 28.3.2025
        - Institución socia
        - National Labour Inspectorate
        - Tipo de asistencia
        - Individual capacity building (human resources development)
        - Código
        - 2025-04
        - Descripción
        - Inspectors in Peru were trained by peers from Italy.
    """)
    (action,) = doc.actions
    assert (action.start.value, action.code.value, action.partners[0].value) == (
        "3.2.2025",
        "2025-04",
        "National Labour Inspectorate",
    )


def test_partner_institution_on_one_line_then_the_type():
    doc = read("""
      • Support to the pension fund

        Partner Institution: National Pension Fund
        Policy development
        Experts from France reviewed the actuarial model of the fund in Togo.
    """)
    (action,) = doc.actions
    assert [p.value for p in action.partners] == ["National Pension Fund"]
    assert action.types.value == "Policy development"
    assert not [a for a in doc.anomalies if a.kind == "several-partners"]


def test_an_empty_type_of_assistance_keeps_the_code_out_of_the_description():
    doc = read("""
      • Labour market information system

        Start activities
        End activities
        Partner Institution
        Ministry of Labour
        Type of Assistance
        Code
        2023-07
        Description
        The ministry in Jordan worked with Danish experts on a labour market information system.
    """)
    (action,) = doc.actions
    assert action.types is None and action.code.value == "2023-07"
    assert (
        action.description_text
        == "The ministry in Jordan worked with Danish experts on a labour market information system."
    )
    assert [a.kind for a in doc.anomalies] == ["missing-type"]


def test_two_types_run_together_without_a_comma_are_both_read():
    from graph.read.assistance import AssistanceTypeMatcher

    match = AssistanceTypeMatcher.default().match("Policy developmentInstitutional capacity building")
    assert [c.rsplit("/", 1)[1] for c in match.concepts] == ["policy-development", "institutional-capacity-building"]
    assert match.unknown == []


def test_an_acronym_after_a_dash_but_not_a_name_after_a_dash():
    from graph.read.partner import parse_partner

    onsec = parse_partner("National Civil Service Office - ONSEC")
    assert (onsec.name, onsec.acronym) == ("National Civil Service Office", "ONSEC")
    for whole in ("Kyrgyz Republic - Ministry of Labour and Social Development", "Ministry of Health of Guinea-Bissau"):
        parsed = parse_partner(whole)
        assert (parsed.name, parsed.acronym) == (whole, None)


def test_a_single_action_page_with_no_bullet_under_its_country_header():
    doc = read("""
        Acções em Angola

        Support to the social insurance fund

        National Social Insurance Fund
        Policy development
        The fund reviewed its contribution rules with experts from Portugal.
    """)
    (action,) = doc.actions
    assert action.title.value == "Support to the social insurance fund" and not action.bulleted
    assert action.partners[0].value == "National Social Insurance Fund" and action.types.value == "Policy development"
    assert doc.news == [] and action.context.name == "Angola"


def test_entries_with_no_blank_line_between_them_and_no_bullet():
    doc = read("""
        First action title
        Partner Institution: Ministry of Labour
        Type of Assistance: Policy development
        Description: The ministry in Kenya drafted a policy with experts from Finland.
        Second action title
        Partner Institution: Social Security Fund
        Type of Assistance: Institutional capacity building
        Description: The fund in Ghana trained its staff with experts from Belgium.
    """)
    assert [(a.title.value, a.partners[0].value) for a in doc.actions] == [
        ("First action title", "Ministry of Labour"),
        ("Second action title", "Social Security Fund"),
    ]


def test_labels_with_no_title_are_an_anomaly_never_an_action_or_news():
    doc = read("""
        - Partner Institution
        - Ministry of Labour
        - Type of Assistance
        - Policy development

      • A real action

        Ministry of Health
        Policy development
        The ministry in Malawi drafted a health financing policy with experts from Ireland.
    """)
    assert [a.title.value for a in doc.actions] == ["A real action"] and doc.news == []
    assert [(a.kind, a.line) for a in doc.anomalies if a.kind == "unreadable-entry"] == [("unreadable-entry", 1)]
    assert {r.line for r in doc.lines if r.skipped} >= {1, 2, 3, 4}


def test_a_line_holding_only_a_bullet_is_skipped_with_its_reason():
    doc = read(DASHED.replace("- Type of Assistance\n- Policy development", "- Type of Assistance\n-"))
    assert len(doc.actions) == 2 and doc.actions[0].types is None
    assert {r.line: r.reason for r in doc.lines if r.skipped}[11] == "bullet with no text"


# ---------------------------------------------------------------- dates, codes, years


def built_text(tmp_path: Path, text: str):
    result = build([write(tmp_path, "page.txt", text)], validate=False)
    return result, {row["title"]: row for row in rows(memory_store(ntriples(result.triples)), "actions")}


ENTRY = """
  • {title}

    Start activities
    {start}
    End activities
    {end}
    Partner Institution
    Ministry of Labour and Social Protection
    Type of Assistance
    Policy development
    Code
    {code}
    Description
    {description}
"""


def entry(title: str, start: str = "", end: str = "", code: str = "", description: str = "") -> str:
    text = ENTRY.format(
        title=title,
        start=start,
        end=end,
        code=code,
        description=description or f"The ministry in Kenya prepared {title.lower()} with experts from Finland.",
    )
    return "\n".join(line for line in text.splitlines() if line.strip() or not line)


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    """One document of entries whose dates, codes and sentences try each case."""
    text = "".join(
        [
            entry("Valid dates", "4.7.2025", "16-09-2025", "2025-03"),
            entry("Not a calendar day", "31-02-2024", "15-03-2024", "2024-05"),
            entry("End before start", "16-09-2024", "04/07/2024"),
            entry("No dates at all"),
            entry("Year from the code", code="2022-14"),
            entry(
                "Year from a sentence",
                description="The ministry in Kenya held a national dialogue. The workshop with experts from Finland "
                "was held in Nairobi on 20-23 March 2018.",
            ),
            entry(
                "Background years only",
                description="The fund in Kenya was established in 1986 and applies the 2015 law; experts from "
                "Finland reviewed the 2024-2027 strategy.",
            ),
            entry(
                "Code field and text disagree",
                code="2021-09",
                description="Action 2021-19 was implemented with experts from Finland for the ministry in Kenya.",
            ),
        ]
    )
    return built_text(tmp_path_factory.mktemp("dated"), text)


def test_valid_dates_become_xsd_dates_and_keep_their_text(dated):
    result, table = dated
    row = table["Valid dates"]
    assert (row["start_date"], row["end_date"], row["year"]) == ("2025-07-04", "2025-09-16", "2025")
    nt = ntriples(result.triples)
    assert '"4.7.2025"' in nt and '"2025-07-04"^^<http://www.w3.org/2001/XMLSchema#date>' in nt


def test_a_day_that_is_no_calendar_day_is_an_anomaly_and_stays_text(dated):
    result, table = dated
    row = table["Not a calendar day"]
    assert row["start_date"] == "" and row["end_date"] == "2024-03-15" and row["year"] == "2024"
    (anomaly,) = [a for a in result.report.anomalies if a.kind == "invalid-date"]
    assert "'31-02-2024' is not a calendar date" in anomaly.detail
    assert '"31-02-2024"' in ntriples(result.triples)  # socx:startActivities as written


def test_an_end_before_the_start_is_an_anomaly_and_neither_is_a_date(dated):
    result, table = dated
    row = table["End before start"]
    assert (row["start_date"], row["end_date"], row["year"]) == ("", "", "")
    assert [
        a.kind for a in result.report.anomalies if "End before start" in a.detail or a.kind == "end-before-start"
    ] == ["end-before-start"]


def test_empty_date_labels_give_no_date_and_no_anomaly(dated):
    result, table = dated
    assert (table["No dates at all"]["start_date"], table["No dates at all"]["year"]) == ("", "")
    kinds = {a.kind for a in result.report.anomalies}
    assert "partial-date" not in kinds and len([a for a in result.report.anomalies if a.kind == "invalid-date"]) == 1


def year_basis(result, title: str) -> tuple[str, str, str]:
    """(year, rule, sentence) of the year's evidence node."""
    from rdflib.namespace import DCTERMS, RDF

    from graph.namespaces import SOCX

    graph = result.graph
    (action,) = [a for a in graph.subjects(DCTERMS.title, None) if str(graph.value(a, DCTERMS.title)) == title]
    (node,) = [e for e in graph.objects(action, SOCX.evidence) if graph.value(e, RDF.predicate) == SOCX.actionYear]
    return str(graph.value(node, RDF.object)), str(graph.value(node, SOCX.rule)), str(graph.value(node, SOCX.sentence))


def test_the_year_and_its_basis(dated):
    result, table = dated
    assert year_basis(result, "Valid dates") == ("2025", "year-from-start-date", "4.7.2025")
    assert year_basis(result, "Not a calendar day") == ("2024", "year-from-end-date", "15-03-2024")
    assert year_basis(result, "Year from the code") == ("2022", "year-from-own-code", "2022-14")
    year, rule, sentence = year_basis(result, "Year from a sentence")
    assert (year, rule) == ("2018", "year-from-sentence") and sentence.startswith("The workshop with experts")
    assert table["Background years only"]["year"] == ""
    assert result.report.counts()["actions_with_year"] == 5


def test_the_code_field_is_the_own_code_and_a_different_code_in_the_text_is_kept_and_reported(dated):
    result, table = dated
    assert table["Year from the code"]["action_code"] == "2022-14"
    (anomaly,) = [a for a in result.report.anomalies if a.kind == "action-code-conflict"]
    assert "the Code field gives 2021-09, the description 2021-19" in anomaly.detail
    from rdflib import Literal
    from rdflib.namespace import DCTERMS

    from graph.namespaces import SOCX

    graph = result.graph
    (action,) = [a for a in graph.subjects(DCTERMS.title, None) if "disagree" in str(graph.value(a, DCTERMS.title))]
    assert set(graph.objects(action, SOCX.actionCode)) == {Literal("2021-09"), Literal("2021-19")}
    assert year_basis(result, "Code field and text disagree")[:2] == ("2021", "year-from-own-code")


# ---------------------------------------------------------------- the country page's header


def test_the_header_gives_the_partner_country_only_where_the_text_does_not(tmp_path):
    result, table = built_text(
        tmp_path,
        """
        Actions in Guatemala

        Pension desk
        - Partner Institution
        - National Pension Agency
        - Type of Assistance
        - Policy development
        - Description
        - The agency asked experts from Spain to review its complaints desk.
        Employment offices
        - Partner Institution
        - Ministry of Labour
        - Type of Assistance
        - Policy development
        - Description
        - The Ministry of Labour of Honduras trained its employment offices with experts from Portugal.
        """,
    )
    assert table["Pension desk"]["partner_country"] == "GTM"
    assert table["Employment offices"]["partner_country"] == "HND"  # the text wins over the header
    from rdflib.namespace import DCTERMS, RDF

    from graph.namespaces import SOCX

    graph = result.graph
    (action,) = [a for a in graph.subjects(DCTERMS.title, None) if str(graph.value(a, DCTERMS.title)) == "Pension desk"]
    (node,) = [e for e in graph.objects(action, SOCX.evidence) if graph.value(e, RDF.predicate) == SOCX.partnerCountry]
    assert (str(graph.value(node, SOCX.rule)), str(graph.value(node, SOCX.sentence))) == (
        "country-page-header",
        "Actions in Guatemala",
    )
    assert int(graph.value(node, SOCX.line)) == 1
    assert any(
        a.kind == "partner-country-conflict" and "header 'Actions in Guatemala' names GTM" in a.detail
        for a in result.report.anomalies
    )


def test_a_headline_over_a_page_header_is_news_not_the_title_of_the_entry_under_it(tmp_path):
    result, table = built_text(
        tmp_path,
        """
        Peer network meets in Lisbon to compare pension desks

        Actions in Guatemala

        Family bonus targeting
        - Partner Institution
        - Ministry of Social Development
        - Type of Assistance
        - Policy development
        - Description
        - The ministry asked experts from Spain to review how the family bonus reaches households.
        """,
    )
    assert list(table) == ["Family bonus targeting"]
    assert table["Family bonus targeting"]["partner_country"] == "GTM"  # the header's context applies
    assert [n.title.value for d in result.documents for n in d.news] == [
        "Peer network meets in Lisbon to compare pension desks"
    ]


def test_a_page_header_that_names_no_country_is_reported_and_gives_none(tmp_path):
    result, table = built_text(
        tmp_path,
        """
        Actions in Social Protection

        Family bonus targeting
        - Partner Institution
        - Ministry of Social Development
        - Type of Assistance
        - Policy development
        - Description
        - The ministry asked experts from Spain to review how the family bonus reaches households.
        """,
    )
    assert table["Family bonus targeting"]["partner_country"] == ""
    (anomaly,) = [a for a in result.report.anomalies if a.kind == "header-names-no-country"]
    assert anomaly.line == 1 and "Actions in Social Protection" in anomaly.detail


# ---------------------------------------------------------------- which themes grow


def test_themes_by_year_counts_what_the_actions_table_counts(built):
    """The query's numbers against a count by hand from the actions table (each action once per theme
    in its year), on the dashed layout; the expert country narrows both the same way."""
    _, store, table = built["dashed"]
    for expert in (None, "PRT"):
        counted = Counter(
            (theme, row["year"])
            for row in table.values()
            if row["year"] and (expert is None or expert in row["expert_countries"].split(" | "))
            for theme in row["themes"].split(" | ")
            if theme
        )
        answer = rows(store, "themes-by-year", {"expert_country": expert} if expert else None)
        assert {(r["theme"], r["year"]): int(r["actions"]) for r in answer} == dict(counted), expert
        assert all(r["expert_country"] == (expert or "") for r in answer)
    by_year = rows(store, "actions-by-year")
    assert [(r["year"], r["actions"], r["from_dates"], r["from_code"]) for r in by_year] == [
        ("2023", "1", "0", "1"),
        ("2024", "11", "11", "0"),
        ("2025", "3", "3", "0"),
    ]


def test_the_stats_chart_and_csv_hold_the_query_numbers(built):
    from graph.network import stats
    from graph.network.projection import project

    result, store, _ = built["dashed"]
    table = next(t for t in stats.tables(result.triples, project(result.triples, "full")) if t.name == "themes-by-year")
    answer = rows(store, "themes-by-year")
    read = list(csv.DictReader(io.StringIO(table.csv())))
    assert [(r["theme"], r["year"], r["actions"]) for r in read] == [
        (r["theme"], r["year"], r["actions"]) for r in answer
    ]
    svg = stats.themes_svg(table.rows)
    for r in answer:  # every cell of the query is a cell of the chart, with its number
        assert f"<title>{r['theme']}, {r['year']}: {r['actions']} actions</title>" in svg.replace("&amp;", "&")
    assert svg.count("<rect") == 1 + len({r["theme"] for r in answer}) * len({r["year"] for r in answer})


def test_the_notebook_api_gives_dates_as_datetime64_and_years_as_int64(built):
    import datetime

    from graph.api import KnowledgeGraph

    kg = KnowledgeGraph(store=built["dashed"][1])
    frame = kg.dataframe("actions")
    assert str(frame["start_date"].dtype).startswith("datetime64") and str(frame["end_date"].dtype).startswith(
        "datetime64"
    )
    assert str(frame["year"].dtype) == "Int64" and frame["year"].isna().sum() == 1
    row = next(r for r in kg.query("actions") if r["title"] == "Unemployment insurance benefit rules")
    assert (row["start_date"], row["end_date"], row["year"]) == (
        datetime.date(2024, 9, 16),
        datetime.date(2025, 7, 4),
        2024,
    )
    assert kg.query("themes-by-year", expert_country="Portugal") == kg.query("themes-by-year", expert_country="PRT")
    assert {r["expert_country"] for r in kg.query("themes-by-year", expert_country="PT")} == {"PRT"}
