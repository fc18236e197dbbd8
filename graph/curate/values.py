"""What a correction's value stands for: the value a fact holds (a country's ISO alpha-3 code, a
theme's or a type's IRI, an organisation's canonical name...) and what the ``actions`` table shows
for it (the code, the label, the name).

A value may be written as the table shows it or in any way the vocabularies know it: a country by
its name, another of its names, its ISO alpha-3 or alpha-2 code or its IRI; a theme or a type of
assistance by its label, another label or its IRI; an organisation by any of its names. Case and
accents of the writing do not matter. The vocabularies are those of ``ontology/``, read without
spaCy. Partner institutions are the build's own (see :mod:`graph.curate.apply`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cache

from graph.namespaces import ID

CODE = re.compile(r"^(?:19|20)\d{2}-\d{2}$")  # an action's code: 2021-07
YEAR = re.compile(r"^(?:19|20)\d{2}$")


class UnknownValue(ValueError):
    """A value no vocabulary knows; the message says which field and the closest names."""


@dataclass(frozen=True)
class Value:
    key: str  # what the fact holds
    shown: str  # what the actions table shows


def fold(text: str) -> str:
    """Case, accents, apostrophes and spacing folded: how two writings of a name are compared."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


@dataclass
class Names:
    """Written forms of the things of one vocabulary, folded, and the value each stands for."""

    what: str  # "country", "theme"...
    values: dict[str, Value] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # folded → as written, for suggestions

    def add(self, written: str, value: Value, suggested: bool = True) -> None:
        self.values.setdefault(fold(written), value)
        if suggested:  # names, not codes or IRIs, are offered as the closest
            self.labels.setdefault(fold(written), written)

    def resolve(self, written: str, hint: str = "") -> Value:
        found = self.values.get(fold(written))
        if found is not None:
            return found
        close = get_close_matches(fold(written), list(self.labels), n=3, cutoff=0.6)
        suggestion = f"; the closest: {', '.join(self.labels[c] for c in close)}" if close else ""
        raise UnknownValue(f"{written!r} is no known {self.what}{suggestion}{hint}")


@cache
def countries() -> Names:
    from graph.extract.gazetteer import load_gazetteer

    names = Names("country")
    for alpha3, country in sorted(load_gazetteer().countries.items()):
        value = Value(alpha3, alpha3)
        for written in (alpha3, country.alpha2, country.iri):
            names.add(written, value, suggested=False)
        for written in (country.name, *country.names):
            names.add(written, value)
    return names


def _scheme(file_name: str, what: str) -> Names:
    from rdflib.namespace import RDF, SKOS

    from graph.vocab import reference_graph

    graph = reference_graph(file_name)
    names = Names(what)
    for concept in sorted(graph.subjects(RDF.type, SKOS.Concept)):
        label = str(graph.value(concept, SKOS.prefLabel))
        value = Value(str(concept), label)
        names.add(str(concept), value, suggested=False)
        if str(concept).startswith(ID):
            names.add(str(concept)[len(ID) :].replace("/", ":", 1), value, suggested=False)  # theme:pensions
        for written in (label, *sorted(str(alt) for alt in graph.objects(concept, SKOS.altLabel))):
            names.add(written, value)
    return names


@cache
def themes() -> Names:
    return _scheme("themes.ttl", "theme")


@cache
def assistance_types() -> Names:
    return _scheme("assistance-types.ttl", "type of assistance")


@cache
def organisations() -> Names:
    from graph.extract.gazetteer import load_gazetteer

    names = Names("cooperating organisation")
    for canonical, variants in sorted(load_gazetteer().organisations.items()):
        for written in (canonical, *variants):
            names.add(written, Value(canonical, canonical))
    return names


@cache
def programmes() -> Names:
    import tomllib

    from graph.vocab import ontology_dir

    data = tomllib.loads((ontology_dir() / "reference" / "programmes.toml").read_text(encoding="utf-8"))
    names = Names("programme")
    for canonical, variants in sorted(data["known"].items()):
        for written in (canonical, *variants):
            names.add(written, Value(canonical, canonical))
    return names


HINTS = {
    "organisations": " (cooperating organisations are those of ontology/reference/organisations.toml: add it there)",
}


def resolve(field_name: str, written: str) -> Value | None:
    """The value a correction of ``field_name`` names; None for partner institutions (the build's
    own, resolved once the build has them). Raises :class:`UnknownValue`."""
    text = " ".join(written.split())
    if field_name == "partner_institution":
        return None
    if field_name in ("partner_country", "expert_countries", "study_visit_countries"):
        return countries().resolve(text)
    if field_name == "themes":
        return themes().resolve(text)
    if field_name == "assistance_types":
        return assistance_types().resolve(text)
    if field_name == "organisations":
        return organisations().resolve(text, HINTS["organisations"])
    if field_name == "programmes":
        known = programmes().values.get(fold(text))
        return known or Value(text, text)  # a programme is a name: a new one is as good as a known one
    if field_name == "related_action_codes":
        if not CODE.match(text):
            raise UnknownValue(f"{written!r} is no action code (YYYY-NN, as 2021-07)")
        return Value(text, text)
    if field_name == "year":
        if not YEAR.match(text):
            raise UnknownValue(f"{written!r} is no year (four digits, as 2021)")
        return Value(text, text)
    raise UnknownValue(f"no values are known for the field {field_name!r}")
