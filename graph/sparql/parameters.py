"""The parameters of a query, checked and resolved the same way wherever it runs: the command line
(``--param country=Peru``), the notebook API (``kg.query("country", country="Peru")``) and the
endpoint (``/queries/country?country=Peru``).

A query declares its parameters in a ``# parameters:`` comment and takes exactly those; one that
declares none takes none, except a query of the user's own (SPARQL text, a ``.rq`` file), which may
bind any variable it uses. A country is given by name, ISO 3166 code (alpha-3 or alpha-2) or IRI and
becomes the alpha-3 code the queries match on; an institution by any of its names, its acronym or
its IRI. A name or value that does not fit is a one-line error that says what would: the declared
parameters, or the closest names. Each surface spells a parameter its own way in these messages.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from graph.errors import SocieuxError
from graph.sparql.query import (
    NamedQuery,
    ParameterError,
    Spelling,
    check_names,
    command_line,
    keyword,
    own_query,
    url_parameter,
    variables,
)

__all__ = [
    "ParameterError",
    "Resolver",
    "Spelling",
    "UnknownValue",
    "check_names",
    "command_line",
    "countries",
    "themes",
    "keyword",
    "own_query",
    "url_parameter",
    "variables",
]


class UnknownValue(SocieuxError, LookupError):
    """A country, institution or theme that names nothing; the message lists the closest names."""


# parameters whose values name a country or an institution, by the parameter's name
COUNTRY_PARAMETERS = {"country", "expert_country"}
INSTITUTION_PARAMETERS = {"institution"}
# edge-evidence's value names a country when its property is one of these
COUNTRY_PROPERTIES = {"partnerCountry", "expertCountry", "studyVisitCountry"}


def _key(text: str) -> str:
    """A name folded for matching: case, accents, apostrophe variants and spacing ignored."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("`", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


@dataclass
class Names:
    """Names that stand for values of one kind (countries, institutions): folded name -> value."""

    kind: str
    hint: str  # how to give one, for the error
    values: dict[str, str] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # folded name -> how to show it in an error

    def add(self, name: str, value: str, shown: str) -> None:
        self.values.setdefault(_key(name), value)
        self.shown.setdefault(_key(name), shown)

    def resolve(self, given: str, parameter: str) -> str:
        found = self.values.get(_key(given))
        if found is not None:
            return found
        close = difflib.get_close_matches(_key(given), list(self.shown), n=5, cutoff=0.6)
        suggestions = list(dict.fromkeys(self.shown[c] for c in close))
        raise UnknownValue(
            f"{parameter}={given!r} matches no {self.kind}"
            + (f"; the closest: {', '.join(suggestions)}" if suggestions else "")
            + f". {self.hint}"
        )


@cache
def countries() -> Names:
    """Every country of ``ontology/countries.ttl`` by name, ISO 3166 alpha-3 and alpha-2 code and IRI."""
    from rdflib.namespace import SKOS

    from graph.namespaces import SOCX
    from graph.vocab import reference_graph

    names = Names("country", "Give a country by name, ISO 3166 code (PER or PE) or IRI.")
    reference = reference_graph("countries.ttl")
    for country, code in sorted(reference.subject_objects(SOCX.isoAlpha3)):
        code = str(code)
        label = str(reference.value(country, SKOS.prefLabel) or code)
        shown = f"{label} ({code})"
        for name in (code, label, str(country), str(reference.value(country, SOCX.isoAlpha2) or "")):
            if name:
                names.add(name, code, shown)
        for other in (*reference.objects(country, SKOS.altLabel), *reference.objects(country, SKOS.exactMatch)):
            names.add(str(other), code, shown)
    return names


@cache
def themes() -> Names:
    """Every theme of ``ontology/themes.ttl`` by label, local name (``migration``), prefixed name
    (``theme:migration``) and IRI."""
    from graph.vocab import load_scheme

    names = Names("theme", "Give a theme by label, local name (migration) or IRI (the `themes` query lists them).")
    for concept in load_scheme("themes.ttl"):
        local = concept.iri.rsplit("/", 1)[-1]
        for name in (concept.pref_label, local, f"theme:{local}", concept.iri):
            names.add(name, concept.iri, f"{concept.pref_label} (theme:{local})")
    return names


INSTITUTION_NAMES = NamedQuery(
    "institution-names",
    Path("<institution names>"),
    """PREFIX socx: <https://w3id.org/socieux-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?node ?name ?label ?country WHERE {
  ?node a socx:PartnerInstitution ; skos:prefLabel ?name ;
        skos:prefLabel|skos:altLabel|socx:acronym|skos:hiddenLabel ?label .
  OPTIONAL { ?node socx:country/socx:isoAlpha3 ?country }
}""",
)

Rows = Callable[[NamedQuery], Iterable[Mapping[str, object]]]  # a query's SELECT rows on the graph at hand


class Resolver:
    """Checks and resolves the parameters of queries run on one graph; ``rows`` runs a query there
    (to learn the institutions' names, once, when a query first asks for one)."""

    def __init__(self, rows: Rows, spell: Spelling = command_line) -> None:
        self.rows, self.spell = rows, spell
        self._institutions: Names | None = None

    def __call__(self, query: NamedQuery, given: Mapping[str, object]) -> dict[str, str]:
        """The values to bind: ``given`` checked against the query's parameters, countries and
        institutions resolved to what the query matches on."""
        check_names(query, given, self.spell)
        values = {name: str(value) for name, value in given.items()}
        for name in query.parameters + [name for name in query.optional_parameters if name in values]:
            if name in COUNTRY_PARAMETERS or (name == "value" and values.get("property") in COUNTRY_PROPERTIES):
                values[name] = countries().resolve(values[name], name)
            elif name == "value" and values.get("property") == "theme":
                values[name] = themes().resolve(values[name], name)
            elif name in INSTITUTION_PARAMETERS:
                values[name] = self.institutions().resolve(values[name], name)
        return values

    def institutions(self) -> Names:
        if self._institutions is None:
            names = Names(
                "partner institution",
                "Give a partner institution by name, acronym or IRI (the institutions query lists them).",
            )
            for row in self.rows(INSTITUTION_NAMES):
                node, name, country = str(row["node"]), str(row["name"]), row.get("country")
                shown = f"{name} ({country})" if country is not None else name
                names.add(str(row["label"]), str(row["label"]), shown)
                names.add(node, node, shown)
            self._institutions = names
        return self._institutions
