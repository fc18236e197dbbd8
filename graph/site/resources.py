"""The graph as the site reads it: every resource with its kind, label and page, and what links to it.

A resource's page is where a person reads it: ``id/...`` for the resources whose IRIs the project
mints (the path of the IRI under ``https://w3id.org/socieux-kg/``), ``country/ISO`` for countries
(their IRIs are the EU's authority table's). Evidence nodes and source records are read on the
page of what they belong to, at an anchor: an action's evidence at ``#evidence/...`` on the
action's page, a source record at ``#line/N`` on its document's page. Terms are N-Triples text, as
the build holds them (:mod:`graph.rdf.terms`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property

from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graph.namespaces import ASSISTANCE_SCHEME, ID, SOCX
from graph.rdf import terms
from graph.rdf.triples import TripleSet


def _t(iri: object) -> str:
    return terms.iri(str(iri))


TYPE, LABEL, PREF, TITLE = _t(RDF.type), _t(RDFS.label), _t(SKOS.prefLabel), _t(DCTERMS.title)
IN_SCHEME, ISO3 = _t(SKOS.inScheme), _t(SOCX.isoAlpha3)
SUBJECT, OBJECT, PREDICATE = _t(RDF.subject), _t(RDF.object), _t(RDF.predicate)
PART_OF, DERIVED, EVIDENCE, SOURCE = (
    _t(DCTERMS.isPartOf),
    _t(PROV.wasDerivedFrom),
    _t(SOCX.evidence),
    _t(DCTERMS.source),
)

# class → kind; the first class of this list a resource has decides
CLASSES = (
    (_t(SOCX.Action), "action"),
    (_t(SOCX.PartnerInstitution), "institution"),
    (_t(SOCX.Country), "country"),
    (_t(SOCX.Theme), "theme"),
    (_t(SOCX.CooperatingOrganisation), "organisation"),
    (_t(SOCX.Programme), "programme"),
    (_t(SOCX.NewsItem), "news"),
    (_t(SOCX.SourceDocument), "document"),
    (_t(SOCX.Evidence), "evidence"),
    (_t(SOCX.SourceRecord), "source"),
    (_t(SKOS.ConceptScheme), "scheme"),
)
ASSISTANCE = _t(ASSISTANCE_SCHEME)
# the project's properties the site reads, by local name
P = {
    name: _t(SOCX[name])
    for name in (
        "partnerInstitution",
        "partnerCountry",
        "expertCountry",
        "studyVisitCountry",
        "theme",
        "assistanceType",
        "cooperatingOrganisation",
        "cooperatingProgramme",
        "actionCode",
        "actionYear",
        "startDate",
        "endDate",
        "country",
        "acronym",
        "originalName",
        "isoAlpha2",
        "isoAlpha3",
        "euMemberState",
        "continent",
        "capital",
        "demonym",
        "officialName",
        "crsPurposeCode",
        "sentence",
        "sourceFile",
        "line",
        "rule",
        "detail",
        "mentionsCountry",
        "newsKind",
        "layout",
        "titleLine",
        "relatedAction",
        "followUpOf",
        "buildsOn",
        "parallelTo",
        "partnerInstitutionName",
    )
}


@dataclass(frozen=True)
class Kind:
    name: str
    singular: str
    plural: str
    index: str  # the location of the kind's list of pages


# the kinds with a page of their own, in the order the site lists them
KINDS = {
    kind.name: kind
    for kind in (
        Kind("action", "Action", "Actions", "id/action"),
        Kind("institution", "Partner institution", "Partner institutions", "id/institution"),
        Kind("country", "Country", "Countries", "id/countries"),
        Kind("theme", "Theme", "Themes", "id/theme"),
        Kind("assistance-type", "Type of assistance", "Types of assistance", "id/assistance-type"),
        Kind("organisation", "Cooperating organisation", "Cooperating organisations", "id/organisation"),
        Kind("programme", "Cooperating programme", "Cooperating programmes", "id/programme"),
        Kind("news", "News item", "News items", "id/news"),
        Kind("document", "Source document", "Source documents", "id/document"),
    )
}
FRAGMENT_KINDS = ("evidence", "source")  # read at an anchor of another resource's page
# inbound links not worth indexing: every evidence node points at its action and value, and the
# type and scheme of everything is known otherwise
_NOT_INBOUND = {TYPE, SUBJECT, OBJECT, PREDICATE, IN_SCHEME, SOURCE, EVIDENCE}


@dataclass(frozen=True)
class Place:
    """Where a resource is read: a page (its location, without suffix) and an anchor on it."""

    page: str
    anchor: str = ""


class Resources:
    """An index of the graph by resource, built once (at a hundred times the seeds, a few seconds)."""

    def __init__(self, triples: TripleSet) -> None:
        self.triples = triples
        self.spo = triples.subject_index()
        self.kind: dict[str, str] = {}
        order = {cls: rank for rank, (cls, _) in enumerate(CLASSES)}
        names = dict(CLASSES)
        ranks: dict[str, int] = {}
        for subject, cls in triples.pairs(TYPE):
            rank = order.get(cls)
            if rank is not None and rank < ranks.get(subject, len(order)):
                ranks[subject] = rank
                self.kind[subject] = names[cls]
        for subject, scheme in triples.pairs(IN_SCHEME):
            if scheme == ASSISTANCE and subject not in self.kind:
                self.kind[subject] = "assistance-type"
            self.kind.setdefault(scheme, "scheme")  # a scheme is a resource, described or not
        self._text: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._places: dict[str, Place | None] = {}

    # ------------------------------------------------------------------ reading

    def objects(self, subject: str, predicate: str) -> Collection[str]:
        return self.spo.get(subject, {}).get(predicate, ())

    def value(self, subject: str, predicate: str) -> str | None:
        for found in self.spo.get(subject, {}).get(predicate, ()):
            return found
        return None

    def subjects(self, predicate: str, obj: str) -> Collection[str]:
        return self.triples.by_object(predicate).get(obj, {}).keys()

    def text(self, term: str) -> str:
        """A literal's lexical form, or an IRI (decoded once)."""
        found = self._text.get(term)
        if found is None:
            found = self._text[term] = terms.lexical(term)
        return found

    def label(self, node: str) -> str:
        """What a resource is called: its English preferred label, else any label, title or name,
        else the end of its IRI; a literal's text."""
        found = self._labels.get(node)
        if found is not None:
            return found
        if node[0] == '"':
            found = self.text(node)
        else:
            found = ""
            predicates = self.spo.get(node, {})
            for prop in (PREF, LABEL, TITLE):
                values = predicates.get(prop, ())
                english = [v for v in values if v.endswith('"@en')]
                for value in english or list(values):
                    found = self.text(value)
                    break
                if found:
                    break
            found = found or terms.iri_value(node).rstrip("/").rsplit("/", 1)[-1]
        self._labels[node] = found
        return found

    def members(self, kind: str) -> list[str]:
        """The resources of a kind, by label (case folded), then IRI."""
        return sort_by_label(self, (s for s, k in self.kind.items() if k == kind))

    @cached_property
    def by_kind(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {name: [] for name in KINDS}
        for subject, kind in self.kind.items():
            if kind in found:
                found[kind].append(subject)
        return {kind: sort_by_label(self, nodes) for kind, nodes in found.items()}

    @cached_property
    def inbound(self) -> dict[str, list[tuple[str, str]]]:
        """object IRI → the (subject, predicate) pairs that link to it (but the evidence, type and
        scheme links)."""
        found: dict[str, list[tuple[str, str]]] = {}
        for subject, predicates in self.spo.items():
            for predicate, objects in predicates.items():
                if predicate in _NOT_INBOUND:
                    continue
                for obj in objects:
                    if obj[0] == "<":
                        found.setdefault(obj, []).append((subject, predicate))
        return found

    # ------------------------------------------------------------------ where a resource is read

    def place(self, node: str) -> Place | None:
        """The page (and anchor) of a resource, or None when the site has no page for it."""
        found = self._places.get(node, False)
        if found is False:
            found = self._places[node] = self._place(node)
        return found  # type: ignore[return-value]  # False was replaced

    def _place(self, node: str) -> Place | None:
        kind = self.kind.get(node)
        if kind == "country":
            code = self.value(node, ISO3)
            tail = self.text(code) if code else terms.iri_value(node).rsplit("/", 1)[-1]
            return Place(f"country/{tail}")
        if kind == "evidence":
            return self._fragment(node, self.value(node, SUBJECT))
        if kind == "source":
            return self._fragment(node, self.value(node, PART_OF))
        if node[0] != "<" or not node.startswith("<" + ID):
            return None
        if kind is None and node not in self.spo:
            return None  # an IRI the graph only points to
        return Place("id/" + terms.iri_value(node)[len(ID) :])

    def _fragment(self, node: str, owner: str | None) -> Place | None:
        if owner is None:
            return None
        page = self.place(owner)
        if page is None:
            return None
        owner_iri, own = terms.iri_value(owner), terms.iri_value(node)
        anchor = own[len(owner_iri) + 1 :] if own.startswith(owner_iri + "/") else own.rsplit("/", 1)[-1]
        return Place(page.page, anchor)

    @cached_property
    def pages(self) -> dict[str, str]:
        """Every resource page's location → its resource (fragments aside)."""
        found = {}
        for node, kind in self.kind.items():
            if kind in KINDS or kind == "scheme":
                place = self.place(node)
                if place is not None and not place.anchor:
                    found[place.page] = node
        return found

    @cached_property
    def fragments(self) -> dict[str, str]:
        """The IRI path (``id/...``) of every evidence node and source record → the resource."""
        found = {}
        for node, kind in self.kind.items():
            if kind in FRAGMENT_KINDS and node.startswith("<" + ID):
                found["id/" + terms.iri_value(node)[len(ID) :]] = node
        return found


def sort_by_label(resources: Resources, nodes: Iterable[str]) -> list[str]:
    label = resources.label
    return sorted(nodes, key=lambda n: (label(n).casefold(), n))
