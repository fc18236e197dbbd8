"""The gazetteers the extractors read: countries (names, demonyms, places), organisations.

All of it comes from data files in ``ontology/`` (``countries.ttl``, ``reference/places.toml``,
``reference/cities.tsv``, ``reference/shared-places.tsv``, ``reference/organisations.toml`` and
``reference/organisations-crs.tsv``,
``reference/country-variants.toml``). A place name that cities of several countries share is no
place of one country: it is kept apart, with the countries it may stand for.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from graph.vocab import ontology_dir, reference_graph

COUNTRY_NS = "http://publications.europa.eu/resource/authority/country/"


@dataclass(frozen=True)
class Country:
    alpha3: str
    alpha2: str
    iri: str
    name: str
    eu_member: bool
    continent: str | None
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str | None


@dataclass
class Gazetteer:
    """Every phrase the extractors look for, with what it stands for."""

    countries: dict[str, Country] = field(default_factory=dict)  # by alpha-3
    places: dict[str, str] = field(default_factory=dict)  # place name -> alpha-3
    shared_places: dict[str, tuple[str, ...]] = field(default_factory=dict)  # place name -> the alpha-3 it may be
    blocked: tuple[str, ...] = ()
    organisations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical -> names
    donor_countries: dict[str, str] = field(default_factory=dict)  # a bilateral agency's canonical name -> alpha-3
    expert_agencies: dict[str, str] = field(default_factory=dict)  # agency name -> alpha-3

    def country(self, alpha3: str) -> Country:
        return self.countries[alpha3]


@cache
def load_towns() -> dict[str, str]:
    """Towns whose name tells one country (``reference/towns.tsv``), by name: read only where the
    text says a name is a place ("the Municipality of La Estrella") or lists two or more of one
    country after a preposition ("in Kribi and Limbe")."""
    towns = {}
    for line in (ontology_dir() / "reference" / "towns.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, alpha3 = line.split("\t")
            towns[name] = alpha3
    return towns


def _folded(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


def load_organisations(data: dict, crs: Path) -> dict[str, tuple[str, ...]]:
    """Cooperating organisations by canonical name: those of ``organisations.toml`` (its
    [organisations] and [bilateral] tables) and the multilateral bodies of the CRS channel list
    (``organisations-crs.tsv``); a CRS body that shares a name with an entry of the TOML file is
    that entry (which keeps its canonical name and takes the other names)."""
    found: dict[str, list[str]] = {name: list(names) for name, names in data["organisations"].items()}
    for name, entry in data["bilateral"].items():
        found[name] = list(entry["names"])
    owner = {_folded(n): canonical for canonical, names in found.items() for n in [canonical, *names]}
    for line in crs.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        canonical, names, _ = line.split("\t")
        written = names.split("|")
        known = next((owner[_folded(n)] for n in [canonical, *written] if _folded(n) in owner), None)
        target = found.setdefault(known or canonical, [])
        for name in written:
            if _folded(name) not in owner:
                target.append(name)
                owner[_folded(name)] = known or canonical
    return {canonical: tuple(names) for canonical, names in found.items()}


@cache
def load_gazetteer() -> Gazetteer:
    """Read the country, place and organisation data of ``ontology/``."""
    from rdflib import Namespace
    from rdflib.namespace import RDF, SKOS

    socx = Namespace("https://w3id.org/socieux-kg/ontology#")
    folder = ontology_dir()
    graph = reference_graph("countries.ttl")
    gazetteer = Gazetteer()
    for node in sorted(graph.subjects(RDF.type, socx.Country)):
        alpha3 = str(graph.value(node, socx.isoAlpha3))
        names = {str(graph.value(node, SKOS.prefLabel))} | {str(o) for o in graph.objects(node, SKOS.altLabel)}
        capital = graph.value(node, socx.capital)
        continent = graph.value(node, socx.continent)
        gazetteer.countries[alpha3] = Country(
            alpha3=alpha3,
            alpha2=str(graph.value(node, socx.isoAlpha2)),
            iri=str(node),
            name=str(graph.value(node, SKOS.prefLabel)),
            eu_member=bool(graph.value(node, socx.euMemberState).toPython()),
            continent=str(continent) if continent else None,
            names=tuple(sorted(names)),
            demonyms=tuple(sorted(str(o) for o in graph.objects(node, socx.demonym))),
            capital=str(capital) if capital else None,
        )
        if capital:
            gazetteer.places[str(capital)] = alpha3  # capitals and hand-listed places win over cities
    reference = folder / "reference"
    for line in (reference / "cities.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, alpha3, _ = line.split("\t")
            if alpha3 in gazetteer.countries:
                gazetteer.places.setdefault(name, alpha3)
    places = tomllib.loads((reference / "places.toml").read_text(encoding="utf-8"))
    for alpha3, names in places["places"].items():
        for name in names:
            gazetteer.places[name] = alpha3
    for line in (reference / "shared-places.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, codes = line.split("\t")
            owners = tuple(c for c in codes.split("|") if c in gazetteer.countries)
            if len(owners) > 1:
                gazetteer.shared_places[name] = owners
                gazetteer.places.pop(name, None)
    variants = tomllib.loads((reference / "country-variants.toml").read_text(encoding="utf-8"))
    for name in variants["drop_capitals"]:  # capitals whose name other places bear too
        gazetteer.places.pop(name, None)
    gazetteer.blocked = tuple(variants["block"]["phrases"])
    organisations = tomllib.loads((reference / "organisations.toml").read_text(encoding="utf-8"))
    gazetteer.organisations = load_organisations(organisations, reference / "organisations-crs.tsv")
    gazetteer.donor_countries = {name: entry["country"] for name, entry in organisations["bilateral"].items()}
    for alpha3, names in organisations["expert_agencies"].items():
        for name in names:
            gazetteer.expert_agencies[name] = alpha3
    return gazetteer
