"""Types of assistance: the SKOS scheme and the matcher over type lines."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from graph.read.assistance import AssistanceTypeMatcher
from graph.vocab import ontology_dir

AT = "https://w3id.org/socieux-kg/id/assistance-type/"


@pytest.fixture(scope="module")
def matcher() -> AssistanceTypeMatcher:
    return AssistanceTypeMatcher.default()


def ids(match) -> list[str]:
    return [iri.removeprefix(AT) for iri in match.concepts]


def test_scheme_concepts_have_one_english_preflabel_and_are_in_the_scheme():
    graph = Graph().parse(ontology_dir() / "assistance-types.ttl")
    scheme = graph.value(None, RDF.type, SKOS.ConceptScheme)
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 15
    for concept in concepts:
        labels = list(graph.objects(concept, SKOS.prefLabel))
        assert len(labels) == 1 and labels[0].language == "en"
        assert (concept, SKOS.inScheme, scheme) in graph


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Policy development", ["policy-development"]),
        (
            "Institutional capacity building, Individual capacity building (human resources development)",
            ["institutional-capacity-building", "individual-capacity-building"],
        ),
        (
            "Institutional capacity building Organisational management (structures & functions) Human resources management",
            ["institutional-capacity-building", "organisational-management", "human-resources-management"],
        ),
        ("Awareness raising (roundtables, seminars, workshops, etc)", ["awareness-raising"]),
        ("Organisation/business strategy & planning", ["strategy-planning"]),
        ("organizational capacity building", ["organisational-capacity-building"]),
        ("Legislative and regulatory framework development", ["legislative-regulatory-framework"]),
        (" International events (awareness raising)", ["international-events"]),
        ("Regulatory & Policy", ["institutional-regulatory-policy"]),
    ],
)
def test_type_lines_map_to_concepts(matcher, line, expected):
    match = matcher.match(line)
    assert ids(match) == expected and not match.unknown and not match.truncated


def test_code_prefix_is_stripped_and_kept(matcher):
    match = matcher.match("A.02 Institutional capacity building")
    assert ids(match) == ["institutional-capacity-building"] and match.code == "A.02"


def test_type_cut_short_at_the_end_of_the_line_is_recognised_and_flagged(matcher):
    match = matcher.match("Legislative & regulatory framework development Institutional capacity buildin")
    assert ids(match) == ["legislative-regulatory-framework", "institutional-capacity-building"]
    assert match.truncated == ["Institutional capacity buildin"]
    cut = matcher.match("Sectoral planning & budgeting, Financial management (incl. bud")
    assert ids(cut) == ["sectoral-planning-budgeting", "financial-management"]


def test_unknown_type_is_kept_as_text_beside_known_ones(matcher):
    match = matcher.match("Institutional reform, Policy development")
    assert ids(match) == ["policy-development"] and match.unknown == ["Institutional reform"]
    assert not match.fully_known


def test_a_cut_too_short_to_tell_is_not_guessed(matcher):
    match = matcher.match("Policy development, Inst")
    assert ids(match) == ["policy-development"] and match.unknown == ["Inst"]
