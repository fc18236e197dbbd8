"""SHACL: the seed graph conforms, every shape matches nodes, and broken graphs fail."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS, XSD

from graph.errors import SocieuxError
from graph.namespaces import SOCX
from graph.rdf.triples import TripleSet
from graph.rdf.validate import load_shapes, validate


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
    assert len(node_shapes) == 11
    for shape in node_shapes:
        assert focus_nodes(seed_build.graph, shapes, shape), f"{shape} targets nothing: it would pass vacuously"


def nth(g: Graph, cls, n: int) -> URIRef:
    """The n-th node of a class, by IRI: each break of the combined graph changes nodes of its own."""
    return sorted(g.subjects(RDF.type, cls))[n]


def action_of(g: Graph, n: int = 0) -> URIRef:
    return nth(g, SOCX.Action, n)


FRANCE = URIRef("http://publications.europa.eu/resource/authority/country/FRA")

# Each break takes the graph and a number n, and changes the n-th node of its kind.
BREAKS = {
    "action without title": lambda g, n: g.remove((action_of(g, n), DCTERMS.title, None)),
    "action with two titles": lambda g, n: g.add((action_of(g, n), DCTERMS.title, Literal("Another", lang="en"))),
    "action with an empty title": lambda g, n: g.set((action_of(g, n), DCTERMS.title, Literal("", lang="en"))),
    "action with an untagged title": lambda g, n: g.set((action_of(g, n), DCTERMS.title, Literal("Untagged"))),
    "action without source": lambda g, n: g.remove((action_of(g, n), PROV.wasDerivedFrom, None)),
    "action derived from a news item": lambda g, n: g.add(
        (action_of(g, n), PROV.wasDerivedFrom, nth(g, SOCX.NewsItem, n))
    ),
    "action that is also news": lambda g, n: g.add((action_of(g, n), RDF.type, SOCX.NewsItem)),
    "action with no data": lambda g, n: [
        g.remove((action_of(g, n), p, None))
        for p in (SOCX.partnerInstitution, SOCX.assistanceType, SOCX.assistanceTypeText, DCTERMS.description)
    ],
    "type outside the scheme": lambda g, n: g.add(
        (action_of(g, n), SOCX.assistanceType, URIRef("http://example.org/t"))
    ),
    "type text that is a number": lambda g, n: g.add((action_of(g, n), SOCX.assistanceTypeText, Literal(3))),
    "institution without name": lambda g, n: g.remove((nth(g, SOCX.PartnerInstitution, n), SKOS.prefLabel, None)),
    "institution acronym with a leading space": lambda g, n: g.add(
        (nth(g, SOCX.PartnerInstitution, n), SOCX.acronym, Literal(" MLSP"))
    ),
    "institution of no action": lambda g, n: g.remove(
        (None, SOCX.partnerInstitution, nth(g, SOCX.PartnerInstitution, n))
    ),
    "source record with line 0": lambda g, n: g.set(
        (nth(g, SOCX.SourceRecord, n), SOCX.line, Literal(0, datatype=XSD.integer))
    ),
    "source record with a positiveInteger line": lambda g, n: g.set(
        (nth(g, SOCX.SourceRecord, n), SOCX.line, Literal(5, datatype=XSD.positiveInteger))
    ),
    "source record with a text line": lambda g, n: g.set((nth(g, SOCX.SourceRecord, n), SOCX.line, Literal("five"))),
    "source record with a badly written label": lambda g, n: g.set(
        (nth(g, SOCX.SourceRecord, n), RDFS.label, Literal("no line number"))
    ),
    "news with a partner": lambda g, n: g.add(
        (nth(g, SOCX.NewsItem, n), SOCX.partnerInstitution, nth(g, SOCX.PartnerInstitution, n))
    ),
    "news of an unknown kind": lambda g, n: g.set((nth(g, SOCX.NewsItem, n), SOCX.newsKind, Literal("rumour"))),
    "document without file name": lambda g, n: g.remove((nth(g, SOCX.SourceDocument, n % 2), SOCX.sourceFile, None)),
    "evidence with a negative offset": lambda g, n: g.set(
        (nth(g, SOCX.Evidence, n), SOCX.charStart, Literal(-1, datatype=XSD.integer))
    ),
    "evidence with an ill-formed offset": lambda g, n: g.set(
        (nth(g, SOCX.Evidence, n), SOCX.charEnd, Literal("x", datatype=XSD.integer))
    ),
    "evidence of another predicate": lambda g, n: g.set((nth(g, SOCX.Evidence, n), RDF.predicate, DCTERMS.title)),
    "evidence without sentence": lambda g, n: g.remove((nth(g, SOCX.Evidence, n), SOCX.sentence, None)),
    "country with a lower-case code": lambda g, n: g.set((FRANCE, SOCX.isoAlpha3, Literal("fra"))),
    "country outside the EU authority list": lambda g, n: g.add(
        (action_of(g, n), SOCX.expertCountry, URIRef("http://example.org/country/FRA"))
    ),
    "theme outside the scheme": lambda g, n: g.remove(
        (sorted(set(g.objects(None, SOCX.theme)))[n % 3], SKOS.inScheme, None)
    ),
}


class Recording(Graph):
    """A graph that notes the nodes of every triple added or removed (``Graph.set`` removes, then adds)."""

    def __init__(self) -> None:
        super().__init__()
        self.touched: set = set()

    def add(self, triple):
        self.touched |= {triple[0], triple[2]}
        return super().add(triple)

    def remove(self, triple):
        for s, _, o in self.triples(triple):
            self.touched |= {s, o}
        return super().remove(triple)


def broken(seed_build, *names: str) -> tuple[Graph, dict[str, set]]:
    """The seed graph with the named breaks, each on nodes of its own, and the nodes each break touched."""
    graph = Recording()
    for prefix, namespace in seed_build.graph.namespaces():
        graph.bind(prefix, namespace)
    graph.addN((s, p, o, graph) for s, p, o in seed_build.graph)
    touched = {}
    for n, name in enumerate(names):
        graph.touched = set()
        BREAKS[name](graph, n)
        touched[name] = {node for node in graph.touched if isinstance(node, URIRef)}
    return graph, touched


@pytest.fixture(scope="module")
def every_break(seed_build, shapes):
    """The seed graph with every break at once, each on nodes of its own; the nodes each touched;
    what the fast engine finds."""
    graph, touched = broken(seed_build, *sorted(BREAKS))
    return graph, touched, validate(graph, shapes, engine="fast")


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_broken_graphs_do_not_conform(every_break, name):
    """Each break is found on a node it touched (one validation of a graph holding every break: the
    breaks touch nodes of their own, so each result names its break)."""
    _, touched, (conforms, violations) = every_break
    assert not conforms
    others = set().union(*(nodes for other, nodes in touched.items() if other != name))
    own = touched[name] - others
    assert own, f"{name} touches only nodes other breaks touch: a result could not name its break"
    assert any(v.focus in {str(node) for node in own} for v in violations), name


def test_every_extracted_edge_has_evidence_stating_it(seed_build):
    graph = seed_build.graph
    props = [
        SOCX.expertCountry,
        SOCX.partnerCountry,
        SOCX.studyVisitCountry,
        SOCX.theme,
        SOCX.cooperatingOrganisation,
        SOCX.cooperatingProgramme,
        SOCX.relatedActionCode,
        SOCX.actionCode,
        SOCX.actionYear,
    ]
    edges = {(s, p, o) for p in props for s, o in graph.subject_objects(p)}
    stated = {
        (graph.value(e, RDF.subject), graph.value(e, RDF.predicate), graph.value(e, RDF.object))
        for e in graph.subjects(RDF.type, SOCX.Evidence)
    }
    assert len(edges) > 900 and edges == stated


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


# ---------------------------------------------------------------------------- the fast engine and pyshacl


def results(violations) -> set[tuple[str, str, str, str, str]]:
    """What the results say, whatever their wording: (focus node, path, constraint component,
    severity, value)."""
    return {v.key() for v in violations}


def test_fast_engine_agrees_with_pyshacl_on_the_seed_graph(seed_build, shapes):
    fast = validate(seed_build.graph, shapes, engine="fast")
    assert fast == (True, []) and validate(seed_build.graph, shapes, engine="pyshacl") == (True, [])


def test_fast_engine_agrees_with_pyshacl_on_every_break(every_break, shapes):
    """Every break at once, each on nodes of its own (one pyshacl run instead of one a break): both
    engines find the same set of (focus node, path, constraint component, severity, value)."""
    graph, _, fast = every_break
    reference = validate(graph, shapes, engine="pyshacl")
    assert fast[0] is reference[0] is False
    assert results(fast[1]) == results(reference[1])
    components = {v.component.removeprefix("sh:").removesuffix("ConstraintComponent") for v in fast[1]}
    assert components == {
        "MinCount", "MaxCount", "Datatype", "Class", "HasValue", "In", "MinLength", "Pattern", "MinInclusive",
        "Node", "Not", "Or",
    }  # fmt: skip
    assert len(results(fast[1])) >= 40


def test_fast_engine_reads_the_build_triples_as_their_rdflib_graph(seed_build, shapes):
    """The build validates its own triple set; `socieux-kg validate` an rdflib graph of a file: the
    same results."""
    graph, _ = broken(seed_build, "type outside the scheme")
    from graph.rdf.triples import TripleSet

    own = validate(TripleSet.from_rdflib(graph), shapes)
    assert not own[0] and own == validate(graph, shapes)


def test_an_unknown_engine_is_refused(shapes):
    with pytest.raises(ValueError, match="engine"):
        validate(Graph(), shapes, engine="shaclex")


PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
EX = "http://example.org/"


def both(shapes_ttl: str, data_ttl: str) -> tuple[bool, list]:
    """Validate with both engines, check they find the same results, and return the fast engine's."""
    shapes = Graph().parse(data=PREFIXES + shapes_ttl, format="turtle")
    data = Graph().parse(data=PREFIXES + data_ttl, format="turtle")
    fast = validate(data, shapes, engine="fast")
    reference = validate(data, shapes, engine="pyshacl")
    assert fast[0] == reference[0] and results(fast[1]) == results(reference[1])
    return fast


def failures(violations) -> list[tuple[str, str, str]]:
    return [(v.focus.removeprefix(EX), v.path, v.message) for v in violations]


def test_or_needs_one_alternative():
    conforms, violations = both(
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
               sh:or ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) .""",
        "ex:a a ex:C . ex:b a ex:C ; ex:q 1 . ex:c a ex:C ; ex:p 1 ; ex:q 2 .",
    )
    assert not conforms
    assert failures(violations) == [
        (
            "a",
            "",
            'Node ex:a must conform to one or more shapes in [ sh:minCount Literal("1", datatype=xsd:integer) ; '
            'sh:path ex:p ] , [ sh:minCount Literal("1", datatype=xsd:integer) ; sh:path ex:q ]',
        )
    ]
    assert violations[0].shape == "ex:S" and violations[0].severity == "Violation"


def test_not_and_class_with_subclasses():
    conforms, violations = both(
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:not [ sh:class ex:D ] .",
        "ex:E rdfs:subClassOf ex:D . ex:F rdfs:subClassOf ex:E . ex:a a ex:C, ex:F . ex:b a ex:C .",
    )
    assert failures(violations) == [("a", "", "Node ex:a must not conform to shape [ sh:class ex:D ]")]


def test_class_of_values_and_targets_through_subclasses():
    conforms, violations = both(
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:class ex:K ] .""",
        """ex:C2 rdfs:subClassOf ex:C . ex:K2 rdfs:subClassOf ex:K .
           ex:a a ex:C2 ; ex:p ex:k, ex:k2, ex:none, "literal" . ex:k a ex:K . ex:k2 a ex:K2 .""",
    )
    assert not conforms
    assert failures(violations) == [("a", "ex:p", "Value does not have class ex:K")] * 2  # ex:none and the literal


def test_inverse_path_counts_incoming_edges():
    conforms, violations = both(
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
               sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ; sh:maxCount 1 ] .""",
        "ex:a a ex:C . ex:b a ex:C . ex:x ex:p ex:b . ex:c a ex:C . ex:x ex:p ex:c . ex:y ex:p ex:c .",
    )
    assert failures(violations) == [
        ("a", "(complex path)", "Less than 1 values on ex:a->[ sh:inversePath ex:p ]"),
        ("c", "(complex path)", "More than 1 values on ex:c->[ sh:inversePath ex:p ]"),
    ]


def test_min_length_and_pattern_read_the_string_form():
    conforms, violations = both(
        """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
               sh:property [ sh:path ex:p ; sh:minLength 2 ] ; sh:property [ sh:path ex:q ; sh:pattern "^[a-z]+$" ] .""",
        """ex:a ex:p "ab", "é"@fr, "", 7, ex:iri, [ ex:k 1 ] ;
               ex:q "abc", "Abc", "abc"@en, "x y", 12, <http://x.org/> .""",
    )
    messages = [m for _, _, m in failures(violations)]
    # "é"@fr (1 character), "" , 7 ("7") and the blank node are too short; the IRI is long enough
    assert messages.count('String length not >= Literal("2", datatype=xsd:integer)') == 4
    # "Abc", "x y", 12 and the IRI do not match; "abc"@en does (its string form is "abc")
    assert messages.count("Value does not match pattern '^[a-z]+$'") == 4


def test_pattern_searches_rather_than_matches():
    conforms, violations = both(
        'ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:pattern "[0-9]" ] .',
        'ex:a ex:p "abc1" . ex:b ex:p "abc" .',
    )
    assert [focus for focus, _, _ in failures(violations)] == ["b"]


def test_datatypes_need_a_well_formed_lexical_form():
    conforms, violations = both(
        """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
               sh:property [ sh:path ex:n ; sh:datatype xsd:positiveInteger ] ;
               sh:property [ sh:path ex:s ; sh:datatype xsd:string ] ;
               sh:property [ sh:path ex:l ; sh:datatype rdf:langString ] ;
               sh:property [ sh:path ex:i ; sh:datatype xsd:integer ] .""",
        """ex:a ex:n "abc"^^xsd:positiveInteger, "-5"^^xsd:positiveInteger, "0"^^xsd:positiveInteger,
                    "5"^^xsd:positiveInteger, 5 ;
               ex:s "plain", "z"^^xsd:string, "tagged"@en, 3 ;
               ex:l "tagged"@en, "plain", ex:iri ;
               ex:i 1, "1.5"^^xsd:decimal, "x"^^xsd:integer, "+7"^^xsd:integer .""",
    )
    assert not conforms
    counts = {}
    for _, path, message in failures(violations):
        assert message.startswith("Value is not Literal with datatype ")
        counts[path] = counts.get(path, 0) + 1
    # "abc", "-5", "0" and 5 (an xsd:integer); "tagged"@en and 3; "plain" and the IRI; "1.5" and "x"
    assert counts == {"ex:n": 4, "ex:s": 2, "ex:l": 2, "ex:i": 2}


def test_dates_need_a_date_that_exists():
    conforms, violations = both(
        """ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:d ; sh:datatype xsd:date ] .""",
        """ex:a ex:d "2024-02-29"^^xsd:date, "2024-01-05Z"^^xsd:date, "2024-01-05+02:00"^^xsd:date,
                    "not-a-date"^^xsd:date, "2023-02-29"^^xsd:date, "2024-1-05"^^xsd:date, "2024-04-31"^^xsd:date,
                    "2024"^^xsd:date, "2024-01-05" .""",
    )
    wrong = sorted(m.group(1) for v in violations if (m := re.match(r'"([^"]*)"', v.value)))
    assert not conforms and wrong == sorted(
        ["not-a-date", "2023-02-29", "2024-1-05", "2024-04-31", "2024", "2024-01-05"]
    )


def test_years_and_times_are_checked_where_pyshacl_does_not():
    """rdflib (so pyshacl) takes any text as an xsd:gYear; the fast engine checks years and times
    against XML Schema's lexical forms."""
    shapes = Graph().parse(
        data=PREFIXES
        + """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
                 sh:property [ sh:path ex:y ; sh:datatype xsd:gYear ] ;
                 sh:property [ sh:path ex:t ; sh:datatype xsd:dateTime ] .""",
        format="turtle",
    )
    data = TripleSet()  # the terms as written: rdflib would rewrite some dateTimes as it parses them
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for path, datatype, lexical in [
        *(("y", "gYear", text) for text in ("2024", "-0044", "2024Z", "not-a-year", "24")),
        *(("t", "dateTime", text) for text in ("2024-01-05T10:30:00Z", "2024-01-05T24:00:00", "2024-01-05")),
        *(("t", "dateTime", text) for text in ("2024-01-05T25:00:00", "2024-01-05 10:30:00")),
    ]:
        data.add(f"<{EX}a>", f"<{EX}{path}>", f'"{lexical}"^^<{xsd}{datatype}>')
    conforms, violations = validate(data, shapes, engine="fast")
    wrong = sorted(m.group(1) for v in violations if (m := re.match(r'"([^"]*)"', v.value)))
    assert not conforms and wrong == sorted(
        ["not-a-year", "24", "2024-01-05", "2024-01-05T25:00:00", "2024-01-05 10:30:00"]
    )


def test_min_inclusive_compares_numbers():
    conforms, violations = both(
        """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:n ; sh:property [ sh:path ex:n ; sh:minInclusive 1 ] .""",
        """ex:a ex:n 1, 2, "3"^^xsd:positiveInteger, 1.5, "7.0e0"^^xsd:double .
           ex:b ex:n 0, -3, "0.5"^^xsd:decimal . ex:c ex:n "5", ex:iri, "x"^^xsd:integer .""",
    )
    assert not conforms
    values = sorted((focus, v.value) for (focus, _, _), v in zip(failures(violations), violations, strict=True))
    # below 1, or not a number at all (a string, an IRI, an ill-formed integer)
    assert values == [
        ("b", '"-3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("b", '"0"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("b", '"0.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
        ("c", '"5"'),
        ("c", '"x"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("c", "<http://example.org/iri>"),
    ]
    assert {m for _, _, m in failures(violations)} == {'Value is not >= Literal("1", datatype=xsd:integer)'}


def test_has_value_in_and_node_with_nested_results():
    conforms, violations = both(
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
               sh:property [ sh:path ex:p ; sh:node ex:T ; sh:in ( ex:t1 ex:t2 ) ] .
           ex:T a sh:NodeShape ; sh:class ex:K ; sh:property [ sh:path ex:v ; sh:hasValue ex:ok ] .""",
        "ex:a a ex:C ; ex:p ex:t1, ex:t3 . ex:b a ex:C ; ex:p ex:t1 . ex:t1 a ex:K ; ex:v ex:no . ex:t3 a ex:K ; ex:v ex:ok .",
    )
    assert not conforms
    nested = "Node ex:t1->ex:v does not contain a value in the set: ['ex:ok']"
    by_message = [m for _, _, m in failures(violations)]
    # ex:t1 fails ex:T for both ex:a and ex:b: two sh:node results, each with ex:t1's result nested (and listed)
    assert by_message.count("Value does not conform to Shape ex:T. See details for more information.") == 2
    assert by_message.count(nested) == 2
    # pyshacl lists sh:in's members in the order of a Python set; the fast engine gives the same text
    assert sum(m.startswith("Value ex:t3 not in list [") for m in by_message) == 1


def test_warnings_and_infos_do_not_break_conformance_but_are_listed():
    conforms, violations = both(
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:severity sh:Warning ;
               sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Info ] ;
               sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:severity sh:Warning ;
                             sh:message "needs q"@en, "il faut q"@fr ] .""",
        "ex:a a ex:C .",
    )
    assert conforms
    assert [(v.severity, v.message) for v in violations] == [
        ("Info", "Less than 1 values on ex:a->ex:p"),
        ("Warning", "il faut q"),  # the messages' first, sorted, as the pyshacl reading has always done
    ]


def test_target_node_and_node_level_has_value():
    conforms, violations = both(
        "ex:S a sh:NodeShape ; sh:targetNode ex:a, ex:absent ; sh:hasValue ex:a .",
        "ex:a ex:p 1 .",
    )
    assert failures(violations) == [("absent", "", "Node ex:absent value is not a in the set of values: ['ex:a']")]


def test_blank_nodes_are_found_and_named():
    conforms, violations = both(
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
               sh:property [ sh:path ex:q ; sh:maxCount 1 ] ; sh:property [ sh:path ex:r ; sh:in ( ex:a ) ] .""",
        "[] a ex:C ; ex:q 1, 2 ; ex:r [ ex:k ( 1 ex:b ) ] .",
    )
    assert not conforms
    messages = sorted(m for _, _, m in failures(violations))
    assert messages[0].startswith("More than 1 values on _:") and messages[0].endswith("->ex:q")
    assert messages[1].startswith("Value _:") and messages[1].endswith(" not in list ['ex:a']")


@pytest.mark.parametrize(
    ("shapes_ttl", "term"),
    [
        ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxLength 3 ] .", "sh:maxLength"),
        ('ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern "a" ; sh:flags "i" ] .', "sh:flags"),
        ("ex:S sh:targetClass ex:C ; sh:and ( [ sh:class ex:D ] ) .", "sh:and"),
        ("ex:S sh:targetClass ex:C ; sh:closed true .", "sh:closed"),
        (
            "ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ] .",
            "sh:alternativePath",
        ),
        ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .", "sequence path"),
        ("ex:S a sh:NodeShape, rdfs:Class ; sh:class ex:D .", "implicit class targets"),
        ("ex:S a sh:SPARQLRule .", "sh:SPARQLRule"),
        ("ex:S sh:targetClass ex:C ; sh:node ex:S .", "recursive"),
        ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:duration ] .", "xsd:duration"),
        ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:anyURI ] .", "xsd:anyURI"),
    ],
)
def test_shapes_outside_the_subset_are_refused(shapes_ttl, term):
    shapes = Graph().parse(data=PREFIXES + shapes_ttl, format="turtle")
    with pytest.raises(SocieuxError, match="not supported") as raised:
        validate(Graph(), shapes)
    assert term in str(raised.value)


def test_malformed_shapes_are_refused():
    shapes = Graph().parse(data=PREFIXES + "ex:S sh:targetClass ex:C ; sh:minCount 1 .", format="turtle")
    with pytest.raises(SocieuxError, match="sh:minCount belongs on a property shape"):
        validate(Graph(), shapes)
