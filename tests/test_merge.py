"""One action per real action, with all its sources; distinct actions kept apart."""

from __future__ import annotations

from graph.read.merge import merge_documents
from graph.read.reader import DocumentReader

ENTRY = """  • {title}

    {partner}
    Policy development
    {description}
"""


def doc(name: str, *entries: tuple[str, str, str]):
    text = "".join(ENTRY.format(title=t, partner=p, description=d) for t, p, d in entries)
    return DocumentReader().read(text, name)


DESC = "Experts from Austria and Slovenia supported the fund in the review of its benefit rules."


def test_the_same_action_in_two_documents_is_one_action_with_both_sources():
    first = doc("a.txt", ("Support to the fund", "National Social Security Fund", DESC))
    second = doc(
        "b.txt",
        ("Other action", "Ministry of Health", DESC + " Other."),
        ("Support to the fund", "National Social Security Fund", DESC),
    )
    merged = merge_documents([first, second])
    assert len(merged.actions) == 2 and merged.duplicates_merged == 1
    fund = next(a for a in merged.actions if a.title == "Support to the fund")
    assert [(r.file, r.title.line) for r in fund.records] == [("a.txt", 1), ("b.txt", 6)]


def test_a_copy_with_a_description_cut_short_is_the_same_action():
    merged = merge_documents(
        [
            doc("a.txt", ("Support to the fund", "National Social Security Fund", DESC)),
            doc("b.txt", ("Support to the fund", "National Social Security Fund", DESC[:40])),
        ]
    )
    assert len(merged.actions) == 1 and merged.actions[0].description == DESC


def test_same_title_with_different_partners_gives_two_actions_and_an_anomaly():
    merged = merge_documents(
        [
            doc(
                "a.txt",
                ("Training of trainers", "National Employment Agency", DESC),
                ("Training of trainers", "Ministry of Labour", DESC),
            )
        ]
    )
    assert len(merged.actions) == 2 and merged.duplicates_merged == 0
    assert {a.kind for a in merged.anomalies} == {"duplicate-title-different-partner"}


def test_same_title_and_partner_with_different_descriptions_are_kept_apart():
    merged = merge_documents(
        [
            doc(
                "a.txt",
                ("Guest lectures", "ASEAN Institute", DESC),
                ("Guest Lectures", "ASEAN Institute", "This is the second collaboration with peers."),
            )
        ]
    )
    assert len(merged.actions) == 2
    assert {a.kind for a in merged.anomalies} == {"duplicate-title-different-description"}
    assert merged.actions[0].key != merged.actions[1].key


def test_institutions_are_shared_by_their_actions_and_news_titles_merge():
    reader = DocumentReader()
    text = (
        ENTRY.format(title="A", partner="Workers Compensation Fund (WCF)", description=DESC)
        + ENTRY.format(title="B", partner="Workers Compensation Fund (WCF)", description=DESC + " Again.")
        + "\n    SOCIEUX+ Extends Network of Focal Points\n\n    SOCIEUX+ Extends Network of Focal Points\n"
    )
    merged = merge_documents([reader.read(text, "a.txt")])
    assert len(merged.institutions) == 1 and merged.institutions[0].name.acronym == "WCF"
    assert merged.actions[0].partners == merged.actions[1].partners
    assert len(merged.news) == 1 and len(merged.news[0].records) == 2
