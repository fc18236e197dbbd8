"""The notebook API as a new user meets it: typed columns, countries and institutions by name,
and errors that speak Python (issue 13, item 7)."""

from __future__ import annotations

import pytest

from graph.api import KnowledgeGraph, UnknownValue
from graph.rdf.serialise import turtle
from graph.sparql.query import named_queries, run_query


@pytest.fixture(scope="module")
def kg(seed_build, tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "socieux.ttl"
    path.write_text(turtle(seed_build.triples), encoding="utf-8")
    return KnowledgeGraph.load(path)


def test_dataframe_columns_have_their_types(kg):
    frame = kg.dataframe("expert-countries")
    assert str(frame["actions"].dtype) == "int64" and str(frame["eu_member"].dtype) == "bool"
    assert frame["eu_member"].sum() > 10 and not frame["eu_member"].all()  # Türkiye, Cameroon... are not EU
    actions = kg.dataframe("actions")
    assert all(isinstance(cell, list) for cell in actions["expert_countries"])
    assert any(len(cell) > 1 and cell == sorted(cell) for cell in actions["expert_countries"])
    assert actions["themes"].map(len).max() > 1 and isinstance(actions["title"][0], str)
    lines = kg.dataframe("field-lines")
    assert str(lines["title_line"].dtype) in ("int64", "Int64")


def test_date_and_year_columns_keep_their_types_when_no_action_has_one(kg):
    """The seed pages give no dates: the columns the query declares as dates are still dates, and
    a year column of a query that finds no year is still Int64 (a notebook's code does not depend on
    the data at hand)."""
    actions = kg.dataframe("actions")
    assert actions["start_date"].isna().all() and actions["end_date"].isna().all()
    assert str(actions["start_date"].dtype).startswith("datetime64")
    assert str(actions["end_date"].dtype).startswith("datetime64") and str(actions["year"].dtype) == "Int64"
    none = kg.dataframe("themes-by-year", expert_country="MLT")  # no dated seed action had experts from Malta
    assert len(none) == 0 and str(none["year"].dtype) == "Int64"


def test_rows_are_typed_like_the_dataframe(kg):
    first = kg.query("expert-countries")[0]
    assert first == {"country": "FRA", "name": "France", "eu_member": True, "actions": first["actions"]}
    assert isinstance(first["actions"], int) and first["actions"] > 50


def test_a_country_is_a_name_an_iso_code_or_an_iri(kg):
    by_code = kg.query("country", country="PER")
    assert by_code and by_code == kg.query("country", country="Peru") == kg.query("country", country="pe")
    assert by_code == kg.query("country", country="http://publications.europa.eu/resource/authority/country/PER")
    assert kg.query("country", country="Iceland") == []  # a real country with no action: no rows, no error
    evidence = kg.query("edge-evidence", property="expertCountry", value="Cameroon")
    assert evidence == kg.query("edge-evidence", property="expertCountry", value="CMR") and evidence


def test_a_value_that_matches_nothing_says_what_would(kg):
    with pytest.raises(UnknownValue, match=r"country='Peruu' matches no country; the closest: Peru \(PER\)"):
        kg.query("country", country="Peruu")
    with pytest.raises(LookupError, match=r"matches no partner institution; the closest: Ministry of Health"):
        kg.query("institution", institution="Ministry of Helth")


def test_errors_speak_python(kg):
    with pytest.raises(TypeError, match=r"^query 'country' needs country=...$"):
        kg.query("country")
    with pytest.raises(TypeError, match=r"^query 'country' has no parameter 'nation'; it takes country=...$"):
        kg.query("country", country="PER", nation="PER")
    with pytest.raises(TypeError, match=r"^query 'themes' has no parameter 'country'; it takes none$"):
        kg.query("themes", country="FRA")  # a RuntimeError from the engine before
    with pytest.raises(TypeError) as raised:
        kg.query("institution")
    assert "--param" not in str(raised.value)


def test_an_institution_is_a_name_an_acronym_or_an_iri_and_shows_its_country(kg):
    by_acronym = kg.query("institution", institution="MLSP")
    assert by_acronym and {r["country"] for r in by_acronym} == {"MKD"}
    iri = by_acronym[0]["node"]
    assert {r["action"] for r in kg.query("institution", institution=iri)} == {
        r["action"] for r in by_acronym if r["node"] == iri
    }
    health = kg.query("institution", institution="ministry of health")
    assert len({(r["node"], r["country"]) for r in health}) == len({r["node"] for r in health}) > 1
    assert len({r["country"] for r in health}) > 1  # the several Ministries of Health told apart
    institutions = kg.dataframe("institutions")
    assert list(institutions.columns)[-1] == "country" and (institutions["country"] == "PER").any()


def test_country_columns_are_added_at_the_end(seed_build):
    queries = named_queries()
    institutions = run_query(seed_build.graph, queries["institutions"])
    assert institutions.columns == ["institution", "name", "original_name", "acronyms", "actions", "country"]
    institution = run_query(seed_build.graph, queries["institution"], {"institution": "MLSP"})
    assert institution.columns[-1] == "country" and institution.columns[:7] == [
        "institution",
        "node",
        "name",
        "action",
        "title",
        "expert_countries",
        "themes",
    ]
