"""Named queries on the seed graph, each checked against answers computed from the extracted facts
and records (not from the query output), and the notebook façade."""

from __future__ import annotations

import os
from collections import Counter

import pytest

from graph.api import KnowledgeGraph
from graph.errors import SocieuxError
from graph.extract.gazetteer import load_gazetteer
from graph.rdf.serialise import turtle
from graph.sparql.query import named_queries, resolve_query
from graph.sparql.store import write_store
from tests.conftest import seed_rows


@pytest.fixture(scope="module")
def facts(seed_build):
    extraction = seed_build.report.extraction
    return [(action, extraction.facts[action.key]) for action in seed_build.report.merged.actions]


@pytest.fixture(scope="module")
def rows(seed_store):
    """name, **params → the rows of that named query on the seed graph."""
    return lambda name, **params: seed_rows(seed_store, name, params)


def test_there_are_at_least_twelve_commented_named_queries():
    queries = named_queries()
    assert len(queries) >= 12
    assert all(q.description for q in queries.values())


def test_expert_and_partner_countries(seed_build, facts, rows):
    experts = Counter(f.value for _, fs in facts for f in fs.expert_countries)
    assert {r["country"]: int(r["actions"]) for r in rows("expert-countries")} == experts
    partners = Counter(fs.partner_country.value for _, fs in facts if fs.partner_country)
    assert {r["country"]: int(r["actions"]) for r in rows("partner-countries")} == partners


def test_country_flows(seed_build, facts, rows):
    expected = Counter(
        (e.value, fs.partner_country.value) for _, fs in facts if fs.partner_country for e in fs.expert_countries
    )
    found = {(r["expert_country"], r["partner_country"]): int(r["actions"]) for r in rows("country-flows")}
    assert found == expected


def test_triangular_cooperation(seed_build, facts, rows):
    countries = load_gazetteer().countries
    expected = {a.title for a, fs in facts if any(not countries[e.value].eu_member for e in fs.expert_countries)}
    assert {r["title"] for r in rows("triangular")} == expected


def test_repeat_institutions(seed_build, rows):
    per_institution = Counter(id(i) for found in seed_build.report.extraction.institutions.values() for i in found)
    expected = sum(1 for count in per_institution.values() if count > 1)
    found = rows("repeat-institutions")
    assert len(found) == expected and all(int(r["actions"]) > 1 for r in found)


def test_themes_by_expert_country_and_types_by_region(seed_build, facts, rows):
    expected = Counter((e.value, t.value) for _, fs in facts for e in fs.expert_countries for t in fs.themes)
    found = rows("themes-by-expert-country")
    assert sum(int(r["actions"]) for r in found) == sum(expected.values())
    countries = load_gazetteer().countries
    types = Counter(
        (countries[fs.partner_country.value].continent, t)
        for a, fs in facts
        if fs.partner_country and countries[fs.partner_country.value].continent
        for t in a.types.concepts
    )
    assert sum(int(r["actions"]) for r in rows("types-by-region")) == sum(types.values())


def test_study_visits_organisations_and_follow_ups(seed_build, facts, rows):
    visits = Counter(v.value for _, fs in facts for v in fs.study_visit_countries)
    found = Counter()
    for r in rows("study-visits"):
        found[r["host_country"]] += int(r["actions"])
    assert found == visits
    organisations = Counter(o.value for _, fs in facts for o in fs.organisations)
    assert {r["organisation"]: int(r["actions"]) for r in rows("organisations")} == organisations
    references = {(a.title, r.value) for a, fs in facts for r in fs.related_actions}
    assert {(r["title"], r["code"]) for r in rows("follow-up-chains")} == references


def test_parameters_are_bound_not_pasted(seed_build, facts, rows):
    kosovo = {
        (a.title, "partner country") for a, fs in facts if fs.partner_country and fs.partner_country.value == "XKX"
    }
    kosovo |= {(a.title, "expert country") for a, fs in facts for e in fs.expert_countries if e.value == "XKX"}
    assert {(r["title"], r["role"]) for r in rows("country", country="XKX")} == kosovo
    assert rows("country", country='PER" } } ; DROP ALL ; #') == []
    with pytest.raises(SocieuxError, match="needs --param country=VALUE"):
        rows("country")
    evidence = rows("edge-evidence", property="expertCountry", value="CMR")
    cameroon = [a.title for a, fs in facts for e in fs.expert_countries if e.value == "CMR"]
    assert sorted(r["title"] for r in evidence) == sorted(cameroon)


def test_edge_evidence_finds_a_theme_by_its_label(facts, rows):
    """A label is a language-tagged string; the value given is compared with its text."""
    evidence = rows("edge-evidence", property="theme", value="Pensions")
    pensions = [a.title for a, fs in facts for t in fs.themes if t.value.endswith("/theme/pensions")]
    assert pensions and sorted(r["title"] for r in evidence) == sorted(pensions)


def test_institution_by_acronym(seed_build, facts, rows):
    found = rows("institution", institution="mlsp")
    expected = {a.title for a, _ in facts if any((p.name.acronym or "").lower() == "mlsp" for p in a.partners)}
    assert expected and {r["title"] for r in found} >= expected


def test_notebook_facade(seed_build, tmp_path):
    path = tmp_path / "g.ttl"
    path.write_text(turtle(seed_build.triples), encoding="utf-8")
    kg = KnowledgeGraph.load(path)
    assert len(kg) == len(seed_build.graph)
    assert "actions" in kg.queries()
    peru = kg.query("country", country="PER")
    assert peru and all(set(r) == {"country", "action", "title", "role"} for r in peru)
    assert kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/socieux-kg/ontology#Action> }") == [
        {"n": 210}
    ]
    assert resolve_query("news").name == "news"
    # a build's graph file is read from the store beside it when the store is at least as new (as
    # `socieux-kg query` does); any other file, or a file newer than the store, from the file
    build = tmp_path / "exports"
    build.mkdir()
    write_store(path, build / "store")
    own = build / "socieux.ttl"
    own.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    os.utime(own, (0, 0))  # older than the store: the store is read
    assert len(KnowledgeGraph.load(own)) == len(kg)
    assert KnowledgeGraph.load(own).query("expert-countries") == kg.query("expert-countries")
    own.touch()  # newer than the store: the file is read
    assert len(KnowledgeGraph.load(own)) == 1
    other = build / "other.ttl"
    other.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    os.utime(other, (0, 0))
    assert len(KnowledgeGraph.load(other)) == 1  # not a build's file: never the store
    # the project's prefixes need no declaration
    assert kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?a a socx:Action }") == [{"n": 210}]
    # an rdflib graph handed in is queried with rdflib: the same typed rows
    mine = KnowledgeGraph(graph=seed_build.graph)
    assert len(mine) == len(kg) == len(kg.graph)  # a loaded graph still gives its rdflib Graph
    for name, params in (("expert-countries", {}), ("country", {"country": "Peru"}), ("institutions", {})):
        assert mine.query(name, **params) == kg.query(name, **params), name
    peru_triples = 'CONSTRUCT { ?c ?p ?o } WHERE { ?c <https://w3id.org/socieux-kg/ontology#isoAlpha3> "PER" ; ?p ?o }'
    assert len(kg.construct(peru_triples)) > 3 and set(mine.construct(peru_triples)) == set(kg.construct(peru_triples))


def answers_as_terms(solutions, variables: list[str], term, query) -> list[tuple]:
    """Each row as its terms (N-Triples text; a literal as its lexical form, language and datatype,
    the values of a multi-valued cell sorted), the rows sorted."""
    from graph.rdf.terms import is_literal, split_literal

    def tidy(variable: str, text: str) -> str:  # the engines join a multi-valued cell's values in any order
        return " | ".join(sorted(set(text.split(" | ")) - {""})) if variable in query.multi_valued else text

    rows = []
    for solution in solutions:
        row = []
        for variable in variables:
            value = solution[variable]
            text = "" if value is None else term(value)
            if text and is_literal(text):
                lexical, language, datatype = split_literal(text)
                row.append((variable, tidy(variable, lexical), language, datatype))
            else:
                row.append((variable, text))
        rows.append(tuple(row))
    return sorted(rows)


def test_every_named_query_answers_the_same_terms_on_oxigraph_and_rdflib(seed_build, tmp_path):
    """Not only the same values: the same terms, datatypes and language tags included."""
    from graph.rdf.serialise import ntriples
    from graph.rdf.terms import from_rdflib
    from graph.sparql.query import bindings
    from graph.sparql.store import open_store, substitutions, write_store

    write_store(ntriples(seed_build.triples), tmp_path / "store")
    store = open_store(tmp_path / "store")
    params = {
        "country": {"country": "PER"},
        "institution": {"institution": "MLSP"},
        "edge-evidence": {"property": "expertCountry", "value": "FRA"},
    }
    typed = set()
    for name, query in named_queries().items():
        bound = bindings(query, params.get(name))
        on_oxigraph = store.query(query.text, substitutions=substitutions(bound) if bound else None)
        on_rdflib = (
            seed_build.graph.query(query.text, initBindings=bound) if bound else seed_build.graph.query(query.text)
        )
        variables = [v.value for v in on_oxigraph.variables]
        assert variables == [str(v) for v in on_rdflib.vars], name
        oxigraph_rows = answers_as_terms(on_oxigraph, variables, str, query)
        rdflib_rows = answers_as_terms(on_rdflib, variables, from_rdflib, query)
        assert oxigraph_rows, name
        assert oxigraph_rows == rdflib_rows, name
        typed |= {cell[2:] for row in oxigraph_rows for cell in row if len(cell) == 4}
    # the answers hold language-tagged text, integers (line numbers, counts) and plain strings
    assert {("en", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")} <= typed
    assert {
        (None, "http://www.w3.org/2001/XMLSchema#integer"),
        (None, "http://www.w3.org/2001/XMLSchema#string"),
    } <= typed


def test_themes_types_institutions_news_and_field_lines(seed_build, facts, rows):
    themes = Counter(t.value for _, fs in facts for t in fs.themes)
    assert {r["theme"]: int(r["actions"]) for r in rows("themes")} == themes
    types = Counter(c for a, _ in facts for c in a.types.concepts)
    assert {r["type"]: int(r["actions"]) for r in rows("assistance-types")} == types
    institutions = Counter(id(i) for found in seed_build.report.extraction.institutions.values() for i in found)
    assert sorted(int(r["actions"]) for r in rows("institutions")) == sorted(institutions.values())
    news = {n.title for n in seed_build.report.merged.news}
    assert {r["title"] for r in rows("news")} == news
    records = {(r.file, r.title.line) for a, _ in facts for r in a.records}
    assert {(r["file"], int(r["title_line"])) for r in rows("field-lines")} == records


def test_notebook_dataframe(seed_build, tmp_path):
    path = tmp_path / "g.ttl"
    path.write_text(turtle(seed_build.triples), encoding="utf-8")
    frame = KnowledgeGraph.load(path).dataframe("expert-countries")
    assert list(frame.columns) == ["country", "name", "eu_member", "actions"] and len(frame) > 20
