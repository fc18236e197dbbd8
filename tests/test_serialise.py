"""The build's own RDF writers against rdflib's: the same Turtle byte for byte, the same sorted
N-Triples, and JSON-LD that reads back as the same graph; on the seed graph and on generated graphs
with awkward IRIs and literals."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from graph.rdf import serialise
from graph.rdf.mapping import new_graph
from graph.rdf.triples import TripleSet

EX = Namespace("https://example.org/thing/")
UNBOUND = "https://example.org/elsewhere/"


def rdflib_turtle(triples: TripleSet) -> str:
    return triples.to_rdflib().serialize(format="turtle")


def rdflib_ntriples(triples: TripleSet) -> str:
    lines = triples.to_rdflib().serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def test_seed_turtle_is_rdflibs_byte_for_byte(seed_build):
    assert serialise.turtle(seed_build.triples) == rdflib_turtle(seed_build.triples)


def test_seed_ntriples_are_rdflibs_sorted(seed_build):
    assert serialise.ntriples(seed_build.triples) == rdflib_ntriples(seed_build.triples)


def test_seed_jsonld_reads_back_as_the_same_graph(seed_build):
    back = Graph().parse(data=serialise.jsonld(seed_build.triples), format="json-ld")
    assert len(back) == len(seed_build.triples)
    assert isomorphic(back, seed_build.graph)


def test_triple_set_reads_like_an_rdflib_graph(seed_build):
    triples, graph = seed_build.triples, seed_build.graph
    assert len(triples) == len(graph) == len(set(triples))
    action = next(iter(graph.subjects(RDF.type, URIRef("https://w3id.org/socieux-kg/ontology#Action"))))
    assert set(triples.subjects(RDF.type, URIRef("https://w3id.org/socieux-kg/ontology#Action"))) == set(
        graph.subjects(RDF.type, URIRef("https://w3id.org/socieux-kg/ontology#Action"))
    )
    assert set(triples.predicate_objects(action)) == set(graph.predicate_objects(action))
    assert set(triples.triples((None, RDFS.label, None))) == set(graph.triples((None, RDFS.label, None)))
    assert triples.value(action, RDFS.label) == graph.value(action, RDFS.label)
    assert (action, RDF.type, URIRef("https://w3id.org/socieux-kg/ontology#Action")) in triples


LOCAL = st.text(alphabet="abcXYZ019-._%/#", min_size=0, max_size=8)
TEXT = st.lists(st.sampled_from(list("ab é\"\\\n\r\t'<>{}") + ['"""', "ü", "😀"]), max_size=12).map("".join)
NAMESPACE = st.sampled_from([str(EX), UNBOUND, "https://w3id.org/socieux-kg/id/action/", "urn:x:"])


@st.composite
def terms(draw, literal: bool, bound: bool = False):
    if literal and draw(st.booleans()):
        kind = draw(st.sampled_from(["plain", "lang", "int", "pos", "bool", "dec", "year", "double"]))
        if kind == "plain":
            return Literal(draw(TEXT))
        if kind == "lang":
            return Literal(draw(TEXT), lang=draw(st.sampled_from(["en", "fr", "es-PE"])))
        if kind == "int":
            return Literal(draw(st.integers(-50, 50)))
        if kind == "pos":
            return Literal(draw(st.integers(1, 5000)), datatype=XSD.positiveInteger)
        if kind == "bool":
            return Literal(draw(st.booleans()))
        if kind == "dec":
            return Literal(Decimal(draw(st.integers(-999, 999))) / 10, datatype=XSD.decimal)
        if kind == "double":
            return Literal(draw(st.floats(-1e6, 1e6, allow_nan=False)))
        return Literal(str(draw(st.integers(1990, 2030))), datatype=XSD.gYear)
    if bound:  # a predicate: the build's are all in bound namespaces, with ordinary local names
        return URIRef(str(EX) + draw(st.from_regex(r"[a-z][a-zA-Z0-9]{0,6}", fullmatch=True)))
    return URIRef(draw(NAMESPACE) + draw(LOCAL).lstrip("/#"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(terms(False), terms(False, bound=True), terms(True)), min_size=1, max_size=25))
def test_turtle_matches_rdflib_on_generated_graphs(triples):
    graph = new_graph()
    graph.bind("ex", EX)
    for s, p, o in triples:
        graph.add((s, p, o))
    graph.add((EX.a, RDF.type, EX.Thing))
    graph.add((EX.a, RDFS.label, Literal("a")))
    assert serialise.turtle(graph) == rdflib_turtle(graph)
    assert serialise.ntriples(graph) == rdflib_ntriples(graph)
    back = Graph().parse(data=serialise.jsonld(graph), format="json-ld")
    assert isomorphic(back, graph.to_rdflib())
