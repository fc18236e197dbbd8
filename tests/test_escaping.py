"""Hostile and odd text in titles and descriptions gives valid Turtle, N-Triples and JSON-LD."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from graph.build import build
from graph.rdf.serialise import jsonld, ntriples, turtle

TITLE = '"Quoted" \\ back\\slash \\n not a newline <b>bold</b> \'\'\' triple quotes """ end'
LINES = [
    "  • " + TITLE,
    "",
    '    Ministry of "Labour" \\ [Ministère « du » Travail] (M\\L)',
    "    Policy development",
    '    Experts from France wrote "\\u0000" and \\" and </script> and \u202eright-to-left\u202c and zero\u200bwidth'
    " and \U0001f642 \U0001d518\U0001d52b\U0001d526 in the fund of Peru.",
]


def test_hostile_text_serialises_to_valid_rdf(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = build([path], validate=True)
    assert result.report.conforms
    graph = result.graph
    titles = [str(t) for t in graph.objects(None, DCTERMS.title)]
    assert any('"Quoted" \\ back\\slash' in t and '"""' in t and "'''" in t for t in titles), titles
    for text, fmt in ((turtle(graph), "turtle"), (ntriples(graph), "nt"), (jsonld(graph), "json-ld")):
        assert isomorphic(Graph().parse(data=text, format=fmt), graph), fmt
