"""A built graph as ``socieux-kg correct`` checks a correction against it: each action's facts as
the ``actions`` table shows them, its partner institutions and its year, and the build's partner
institutions with all their names."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graph.curate.actions import ActionIndex, Named
from graph.curate.values import UnknownValue, fold
from graph.fields import FIELDS

SEPARATOR = " | "  # how the actions table joins the values of a cell

_INSTITUTIONS = """
SELECT ?institution ?label ?name ?country WHERE {
  ?institution a socx:PartnerInstitution ; skos:prefLabel ?label .
  { ?institution skos:prefLabel ?name } UNION { ?institution skos:altLabel ?name }
  UNION { ?institution socx:acronym ?name } UNION { ?institution socx:originalName ?name }
  UNION { ?institution skos:hiddenLabel ?name }
  OPTIONAL { ?institution socx:country/socx:isoAlpha3 ?country }
}"""
_PARTNERS = "SELECT ?action ?institution WHERE { ?action a socx:Action ; socx:partnerInstitution ?institution }"
_YEARS = "SELECT ?action ?year WHERE { ?action a socx:Action ; socx:actionYear ?year }"


@dataclass
class BuiltInstitution:
    iri: str
    name: str  # its preferred name
    country: str | None  # ISO alpha-3
    names: set[str] = field(default_factory=set)  # folded: every name, acronym and partner line


@dataclass
class BuiltAction:
    iri: str
    title: str
    values: dict[str, set[str]]  # field → the values the actions table shows
    institutions: set[str] = field(default_factory=set)  # IRIs


class CurrentBuild:
    """The actions and partner institutions of a built graph."""

    def __init__(self, actions: dict[str, BuiltAction], institutions: dict[str, BuiltInstitution], index: ActionIndex):
        self.actions = actions
        self.institutions = institutions
        self.index = index

    @classmethod
    def read(cls, graph_file: Path) -> CurrentBuild:
        """Read the build of ``graph_file`` (from its store where the build wrote one)."""
        from graph.errors import SocieuxError
        from graph.sparql.query import default_prefixes, named_queries
        from graph.sparql.store import open_store, run_query_store, store_for

        if not Path(graph_file).exists():
            raise SocieuxError(
                f"{graph_file}: no such graph file (run `socieux-kg build` first, or name the build with --graph)"
            )
        store = open_store(store_for(graph_file))
        rows = run_query_store(store, named_queries()["actions"]).rows

        def select(text: str):
            return store.query(text, prefixes=default_prefixes())

        actions: dict[str, BuiltAction] = {}
        named = []
        for row in rows:
            values = {
                name: set(row[name].split(SEPARATOR)) if row.get(name) else set() for name in FIELDS if name in row
            }
            actions[row["action"]] = BuiltAction(row["action"], row["title"], values)
            where = row["sources"].split(SEPARATOR)[0]
            named.append(Named(row["action"], row["title"], row["action_code"] or None, where))
        for solution in select(_YEARS):
            action = actions.get(solution["action"].value)
            if action is not None:
                action.values.setdefault("year", set()).add(solution["year"].value)
        for solution in select(_PARTNERS):
            action = actions.get(solution["action"].value)
            if action is not None:
                action.institutions.add(solution["institution"].value)
        institutions: dict[str, BuiltInstitution] = {}
        for solution in select(_INSTITUTIONS):
            iri = solution["institution"].value
            country = solution["country"]
            found = institutions.setdefault(
                iri, BuiltInstitution(iri, solution["label"].value, country.value if country is not None else None)
            )
            found.names.add(fold(solution["name"].value))
        for found in institutions.values():
            found.names.add(fold(found.iri))
        index = ActionIndex(named, lambda: {iri: iri for iri in actions})
        return cls(actions, institutions, index)

    def institution(self, written: str, action: BuiltAction) -> BuiltInstitution:
        """The partner institution ``written`` names (any of its names, its acronym or its IRI); of
        several, the action's own, else the one in the action's partner country."""
        key = fold(written.strip().strip("<>"))
        matches = [i for i in self.institutions.values() if key in i.names]
        if not matches:
            raise UnknownValue(f"{written!r} names no partner institution of the build")
        if len(matches) > 1:
            countries = action.values.get("partner_country", set())
            narrowed = [m for m in matches if m.iri in action.institutions] or [
                m for m in matches if m.country in countries
            ]
            if len(narrowed) != 1:
                listed = ", ".join(f"{m.name} ({m.country or 'country unknown'})" for m in matches[:5])
                raise UnknownValue(f"{written!r} names {len(matches)} institutions ({listed}); name one by its IRI")
            return narrowed[0]
        return matches[0]
