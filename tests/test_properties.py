"""Property-based tests of the reader and the extractors (hypothesis): no crash on any text, every
non-blank line accounted for exactly once, and the same input always gives the same graph."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.build import build
from graph.errors import InputError
from graph.rdf.serialise import turtle
from graph.read.reader import DocumentReader, decode_document

# words from the website's vocabulary, and arbitrary printable text
WORDS = st.sampled_from(
    [
        "Ministry",
        "of",
        "Labour",
        "Experts",
        "from",
        "France",
        "and",
        "Spain",
        "Niger",
        "Nigerian",
        "Guinea-Bissau",
        "Kosovo*",
        "Action",
        "2021-07",
        "2024-2027",
        "Policy development",
        "study",
        "visit",
        "to",
        "Germany",
        "ILO",
        "Start activities",
        "Partner Institution",
        "Type of Assistance",
        "SOCIEUX+",
        ":",
        "(ANPE)",
        "[Ministère]",
        "their",
        "Peruvian",
        "peers",
        "•",
        "?",
        "—",
        "the",
        "fund",
        ".",
    ]
)
TEXT = st.one_of(
    st.lists(WORDS, min_size=1, max_size=14).map(" ".join),
    st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\u2028\u2029\x85"), max_size=60),
)


@st.composite
def documents(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["plain", "labelled", "headline", "blank", "stray"]))
        bullet = draw(st.sampled_from(["  • ", "    ", "• ", ""]))
        if kind == "plain":
            lines += [bullet + draw(TEXT), ""] + ["    " + draw(TEXT) for _ in range(draw(st.integers(0, 4)))]
        elif kind == "labelled":
            lines += [bullet + draw(TEXT), "", "    Start activities", "    End activities", "    Partner Institution"]
            lines += ["    " + draw(TEXT)] * draw(st.integers(0, 2)) + ["    Type of Assistance"]
            lines += ["    " + draw(TEXT) for _ in range(draw(st.integers(0, 2)))]
        elif kind == "headline":
            lines += ["", "    " + draw(TEXT), ""]
        elif kind == "blank":
            lines += ["", "   ", "\t"]
        else:
            lines.append(draw(TEXT))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(lines) + draw(st.sampled_from(["", newline]))


def non_blank(text: str) -> list[int]:
    import re

    return [n for n, line in enumerate(re.split(r"\r\n|\r|\n", text), 1) if line.strip()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_reader_never_crashes_and_accounts_for_every_line(text):
    document = DocumentReader().read(text, "doc.txt")
    assert sorted(r.line for r in document.lines) == non_blank(text)
    for action in document.actions:
        assert action.title.value and (action.partners or action.types or action.description)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_text_or_a_clear_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bytes.txt"
        path.write_bytes(data)
        try:
            text = decode_document(path, "bytes.txt")
        except InputError as error:
            assert str(error).startswith("bytes.txt")
        else:
            assert isinstance(text, str) and text.strip()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_the_same_input_always_gives_the_same_graph(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.txt"
        path.write_text(text, encoding="utf-8")
        try:
            first = build([path], validate=False)
        except InputError:
            return  # a document with no action is refused, as it must be
        second = build([path], validate=False)
        assert turtle(first.graph) == turtle(second.graph)
        counts = first.report.counts()
        assert counts["lines_accounted"] == counts["non_blank_lines"]
