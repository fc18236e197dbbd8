"""SHACL: the seed graph conforms, every shape matches nodes, and broken graphs fail."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SH, SKOS, XSD

from graph.mapping import SOCX
from graph.validate import load_shapes, validate


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def focus_nodes(graph: Graph, shapes: Graph, shape) -> set:
    nodes = set()
    for cls in shapes.objects(shape, SH.targetClass):
        nodes |= set(graph.subjects(RDF.type, cls))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        nodes |= set(graph.objects(None, prop))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes |= set(graph.subjects(prop, None))
    return nodes


def test_seed_graph_conforms(seed_build, shapes):
    conforms, violations = validate(seed_build.graph, shapes)
    assert conforms, "\n".join(map(str, violations[:10]))


def test_every_shape_targets_nodes_of_the_seed_graph(seed_build, shapes):
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) == 10
    for shape in node_shapes:
        assert focus_nodes(seed_build.graph, shapes, shape), f"{shape} targets nothing: it would pass vacuously"


def action_of(graph: Graph) -> URIRef:
    return next(iter(sorted(graph.subjects(RDF.type, SOCX.Action))))


def broken(seed_build, change) -> Graph:
    graph = Graph()
    for triple in seed_build.graph:
        graph.add(triple)
    change(graph)
    return graph


BREAKS = {
    "action without title": lambda g: g.remove((action_of(g), DCTERMS.title, None)),
    "action with two titles": lambda g: g.add((action_of(g), DCTERMS.title, Literal("Another", lang="en"))),
    "action without source": lambda g: g.remove((action_of(g), PROV.wasDerivedFrom, None)),
    "action that is also news": lambda g: g.add((action_of(g), RDF.type, SOCX.NewsItem)),
    "type outside the scheme": lambda g: g.add((action_of(g), SOCX.assistanceType, URIRef("http://example.org/t"))),
    "institution without name": lambda g: g.remove(
        (next(iter(sorted(g.subjects(RDF.type, SOCX.PartnerInstitution)))), SKOS.prefLabel, None)
    ),
    "source record with line 0": lambda g: g.set(
        (next(iter(sorted(g.subjects(RDF.type, SOCX.SourceRecord)))), SOCX.line, Literal(0, datatype=XSD.integer))
    ),
    "news with a partner": lambda g: g.add(
        (
            next(iter(sorted(g.subjects(RDF.type, SOCX.NewsItem)))),
            SOCX.partnerInstitution,
            next(iter(sorted(g.subjects(RDF.type, SOCX.PartnerInstitution)))),
        )
    ),
    "document without file name": lambda g: g.remove(
        (next(iter(sorted(g.subjects(RDF.type, SOCX.SourceDocument)))), SOCX.sourceFile, None)
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_broken_graphs_do_not_conform(seed_build, shapes, name):
    conforms, violations = validate(broken(seed_build, BREAKS[name]), shapes)
    assert not conforms and violations, name


def test_every_extracted_edge_has_evidence_stating_it(seed_build):
    graph = seed_build.graph
    props = [
        SOCX.expertCountry,
        SOCX.partnerCountry,
        SOCX.studyVisitCountry,
        SOCX.theme,
        SOCX.cooperatingOrganisation,
        SOCX.relatedActionCode,
        SOCX.actionCode,
    ]
    edges = {(s, p, o) for p in props for s, o in graph.subject_objects(p)}
    stated = {
        (graph.value(e, RDF.subject), graph.value(e, RDF.predicate), graph.value(e, RDF.object))
        for e in graph.subjects(RDF.type, SOCX.Evidence)
    }
    assert len(edges) > 1000 and edges == stated


def test_an_action_with_no_data_does_not_conform(shapes):
    graph = Graph()
    action, record = URIRef("http://example.org/a"), URIRef("http://example.org/r")
    graph.add((action, RDF.type, SOCX.Action))
    graph.add((action, DCTERMS.title, Literal("Empty", lang="en")))
    graph.add((action, PROV.wasDerivedFrom, record))
    graph.add((record, RDF.type, SOCX.SourceRecord))
    conforms, violations = validate(graph, shapes)
    assert not conforms
    assert any(v.focus == str(action) and "has data" in v.message for v in violations)
