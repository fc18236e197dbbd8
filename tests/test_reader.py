"""The reader on the smallest texts that show each layout and irregularity."""

from __future__ import annotations

import textwrap

import pytest

from graph.read.reader import DocumentReader


def read(text: str, name: str = "doc.txt"):
    return DocumentReader().read(textwrap.dedent(text).lstrip("\n"), name)


PLAIN = """
  • Support to the pension reform

    National Social Security Fund (NSSF)
    Policy development, Institutional capacity building
    Experts from France and Spain mobilised by SOCIEUX+ reviewed the pension scheme of the fund.
  • Training of labour inspectors

    Ministry of Labour [Ministerio del Trabajo]
    Individual capacity building (human resources development)
    Labour inspectors were trained on occupational safety and health by peers from Belgium.
"""

LABELLED = """
  • Development of a registry

    Start activities
    End activities
    Partner Institution
    Ministry of Social Development
    Type of Assistance
    Information management systems
    The ministry asked SOCIEUX+ to help it design a single registry of beneficiaries.
"""


def test_plain_layout_gives_partner_types_and_description_with_their_lines():
    doc = read(PLAIN)
    assert [a.title.value for a in doc.actions] == ["Support to the pension reform", "Training of labour inspectors"]
    first = doc.actions[0]
    assert first.partners[0].value == "National Social Security Fund (NSSF)" and first.partners[0].line == 3
    assert first.types.value == "Policy development, Institutional capacity building" and first.types.line == 4
    assert first.description[0].line == 5 and first.description_text.startswith("Experts from France")
    assert first.title.line == 1 and first.layout == "plain"


def test_labelled_layout_reads_values_after_labels_and_skips_empty_labels():
    doc = read(LABELLED)
    (action,) = doc.actions
    assert action.layout == "labelled"
    assert action.partners[0].value == "Ministry of Social Development" and action.partners[0].line == 6
    assert action.types.value == "Information management systems" and action.types.line == 8
    assert action.description[0].line == 9
    skipped = {r.line: r.reason for r in doc.lines if r.skipped}
    assert skipped == {
        3: "layout label 'Start activities'",
        4: "layout label 'End activities'",
        5: "layout label 'Partner Institution'",
        7: "layout label 'Type of Assistance'",
    }


def test_labelled_values_on_the_label_line_and_dates_are_read():
    doc = read("""
      • Support to the employment agency

        Start activities: March 2021
        End activities: 2022-01
        Partner Institution: National Employment Agency
        Type of Assistance: Policy development
        The agency revised its strategic plan with experts from Finland and Estonia.
    """)
    (action,) = doc.actions
    assert action.start.value == "March 2021" and action.end.value == "2022-01"
    assert action.partners[0].value == "National Employment Agency"
    assert action.types.value == "Policy development"


def test_labelled_entry_with_no_type_reads_the_sentence_as_description():
    doc = read("""
      • Review of the pension law

        Start activities
        End activities
        Partner Institution
        Ministry of Labour
        Type of Assistance
        The Ministry of Labour of Peru requested SOCIEUX+ support to review its pension law; experts from Spain and Portugal compared the options and drafted a proposal with the staff.
    """)
    (action,) = doc.actions
    assert action.types is None
    assert action.description_text.startswith("The Ministry of Labour of Peru")
    assert [a.kind for a in doc.anomalies] == ["missing-type"]


def test_short_sentence_in_the_type_slot_is_reported():
    doc = read("""
      • Support to the institute

        Partner Institution
        Institute of Labour Science
        Type of Assistance
        Improve social protection systems design, monitoring and evaluation in the country.
    """)
    (action,) = doc.actions
    assert action.types is None and action.description
    assert {a.kind for a in doc.anomalies} == {"sentence-in-type-slot", "missing-type"}


def test_plain_entry_without_description_or_type():
    doc = read("""
      • Analysis of the disability assessment

        Ministry of Finance, Labour and Transfers
        Organisational management (structures & functions)
      • Support to the labour inspectorate

        State Labour Inspectorate (SLI)
        The inspectorate reviewed its procedures with peers from Lithuania and Latvia in two missions.
    """)
    first, second = doc.actions
    assert first.types.value.startswith("Organisational management") and not first.description
    assert second.types is None and second.description_text.startswith("The inspectorate")
    assert sorted(a.kind for a in doc.anomalies) == ["missing-description", "missing-type"]


def test_type_line_as_first_body_line_means_no_partner():
    doc = read("""
      • Seminar on social dialogue

        National events (awareness raising)
        A seminar gathered the social partners of the country with experts from Italy and Spain.
    """)
    (action,) = doc.actions
    assert not action.partners and action.types.value == "National events (awareness raising)"
    assert [a.kind for a in doc.anomalies] == ["missing-partner"]


NEWS_MIX = """
• Kosovo delegation visits Ireland to study good practices

  • Support to the pension reform

    National Social Security Fund
    Policy development
    Experts from France reviewed the scheme.

    Social services: Uzbekistan explores EU experience in a study visit to Romania

  • Peer cooperation: a delegation visits Poland

    SOCIEUX+ and Employers of Poland further cooperation with agreement

    SOCIEUX+ launches E-learning award

    SOCIEUX+ in Kenya: National dialogue to enhance social protection coverage

    Start activities
    End activities
    Partner Institution
    Type of Assistance

"""


def test_news_headlines_bulleted_items_and_empty_stories_are_news_not_actions():
    doc = read(NEWS_MIX)
    assert [a.title.value for a in doc.actions] == ["Support to the pension reform"]
    kinds = {n.title.value: n.kind for n in doc.news}
    assert kinds == {
        "Kosovo delegation visits Ireland to study good practices": "bulleted",
        "Social services: Uzbekistan explores EU experience in a study visit to Romania": "headline",
        "Peer cooperation: a delegation visits Poland": "bulleted",
        "SOCIEUX+ and Employers of Poland further cooperation with agreement": "headline",
        "SOCIEUX+ launches E-learning award": "headline",
        "SOCIEUX+ in Kenya: National dialogue to enhance social protection coverage": "story",
    }


def test_unbulleted_title_followed_by_data_is_an_action():
    doc = read("""
        SOCIEUX+ launches E-learning award

        Enhance effectiveness and coordination of social protection

        Start activities
        End activities
        Partner Institution
        Ministry of Gender, Children and Social Protection
        Type of Assistance
        Institutional (Regulatory & Policy)
        The ministry strengthened the coordination of its programmes with experts from Portugal.
    """)
    assert [a.title.value for a in doc.actions] == ["Enhance effectiveness and coordination of social protection"]
    assert not doc.actions[0].bulleted
    assert [n.title.value for n in doc.news] == ["SOCIEUX+ launches E-learning award"]


def test_unbulleted_plain_entry_is_an_action():
    doc = read("""
        Job opportunities for young people: SOCIEUX+ cooperation with three partners

        Support to the youth employment agency

        National Agency for the Promotion of Youth Employment
        Organisational capacity building
        The agency improved its services to young job seekers with peers from France.
    """)
    assert [a.title.value for a in doc.actions] == ["Support to the youth employment agency"]
    assert len(doc.news) == 1


def test_section_heading_is_skipped_with_its_reason():
    doc = read("""
Actions in Work

  • Support to the pension reform

    National Social Security Fund
    Policy development
    Experts from France reviewed the scheme.
""")
    assert [r.reason for r in doc.lines if r.skipped] == ["section heading"]
    assert len(doc.actions) == 1 and not doc.news


def test_question_mark_for_apostrophe_is_repaired_and_reported():
    doc = read("""
      • Review of veterans? entrepreneurial activities

        National Employment Agency [Agence Nationale pour l?Emploi] (ANPE)
        Policy development
        Which rules apply? The agency asked for advice on the support to veterans in business.
    """)
    (action,) = doc.actions
    assert action.partners[0].value == "National Employment Agency [Agence Nationale pour l\u2019Emploi] (ANPE)"
    assert "Which rules apply?" in action.description_text
    assert sorted((a.kind, a.line) for a in doc.anomalies) == [
        ("question-mark-apostrophe", 1),
        ("question-mark-apostrophe", 3),
    ]
    assert action.title.value == "Review of veterans\u2019 entrepreneurial activities"


def test_several_partner_lines_in_the_labelled_layout_are_kept_and_reported():
    doc = read("""
      • Joint support to two agencies

        Partner Institution
        National Employment Agency
        National Social Security Fund
        Type of Assistance
        Policy development
        Both agencies worked with experts from Sweden on a joint strategy for the unemployed.
    """)
    (action,) = doc.actions
    assert [p.value for p in action.partners] == ["National Employment Agency", "National Social Security Fund"]
    assert [a.kind for a in doc.anomalies] == ["several-partners"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_non_blank_line_is_accounted_for_whatever_the_line_endings(newline):
    text = (PLAIN + NEWS_MIX + LABELLED).replace("\n", newline)
    doc = DocumentReader().read(text, "doc.txt")
    non_blank = [n for n, line in enumerate(text.split(newline), start=1) if line.strip()]
    assert sorted(r.line for r in doc.lines) == non_blank
    assert doc.non_blank_lines == len(non_blank)
    assert len(doc.actions) == 4


def test_tabs_as_indentation_read_like_spaces():
    doc = read(PLAIN.replace("    ", "\t"))
    assert len(doc.actions) == 2 and doc.actions[0].types.value.startswith("Policy development")
