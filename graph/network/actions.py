"""What a network page says about the actions behind its nodes and links: each action's facts with
the sentence (or page line), file and line they were read from, and the facet values the page
filters on (theme, type of assistance, partner region, expert side, countries involved).

A page embeds these for every action behind what it shows, so the side panel and the filters work
from disk with no server.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graph.namespaces import SOCX

# the facts listed for an action, in this order, with the words the panel uses for them
FACTS = (
    (SOCX.partnerInstitution, "partner institution"),
    (SOCX.partnerCountry, "partner country"),
    (SOCX.expertCountry, "expert country"),
    (SOCX.studyVisitCountry, "study visit"),
    (SOCX.assistanceType, "type of assistance"),
    (SOCX.theme, "theme"),
    (SOCX.cooperatingOrganisation, "cooperating organisation"),
    (SOCX.relatedActionCode, "related action"),
)
EU_SIDE, NON_EU_SIDE = "EU member state", "not an EU member state"


@dataclass(frozen=True, order=True)
class Evidence:
    text: str  # the sentence, or for the partner and type lines the line's value
    where: str  # FILE:LINE


@dataclass(frozen=True)
class Fact:
    kind: str  # "expert country", "theme"...
    key: str  # the id of the node the fact is about: its IRI, or "code:2020-01" for a code
    value: str  # its label
    evidence: tuple[Evidence, ...]


@dataclass
class ActionFacts:
    iri: str
    title: str
    code: str
    sources: list[str]  # FILE:LINE of the title in each document
    institutions: list[str]  # "Ministry of Health (Peru)"
    facts: list[Fact]
    themes: list[str] = field(default_factory=list)  # IRIs
    types: list[str] = field(default_factory=list)
    region: str = ""  # continent of the partner country
    sides: list[str] = field(default_factory=list)  # EU_SIDE and/or NON_EU_SIDE: where the experts came from
    countries: list[str] = field(default_factory=list)  # every country the action involves (IRIs)
    country_names: dict[str, str] = field(default_factory=dict)  # their English short names

    def evidence_for(self, key: str) -> tuple[Evidence, ...]:
        """The evidence of the facts about the node ``key`` (empty when the action has none)."""
        return tuple(e for fact in self.facts if fact.key == key for e in fact.evidence)


# the terms, looked up once (a namespace attribute costs a few microseconds, and an action needs
# dozens of lookups: at a hundred times the seeds that was a fifth of the time)
_EVIDENCE, _SENTENCE, _FILE, _LINE = SOCX.evidence, SOCX.sentence, SOCX.sourceFile, SOCX.line
_PARTNER_LINE, _TYPE_LINE, _COUNTRY = SOCX.partnerLine, SOCX.assistanceTypeLine, SOCX.country
_INSTITUTION, _TYPE, _NAME = SOCX.partnerInstitution, SOCX.assistanceType, SOCX.partnerInstitutionName
_PARTNER, _EXPERT, _VISIT, _THEME = SOCX.partnerCountry, SOCX.expertCountry, SOCX.studyVisitCountry, SOCX.theme
_EU, _CONTINENT, _CODE = SOCX.euMemberState, SOCX.continent, SOCX.actionCode
_PREDICATE_OF, _OBJECT_OF, _DERIVED, _LABEL = RDF.predicate, RDF.object, PROV.wasDerivedFrom, RDFS.label
_TRUE = Literal(True)


def _key(node) -> str:
    return f"code:{node}" if isinstance(node, Literal) else str(node)


def _where(file, line) -> str:
    return f"{file}:{line}"


class _Labels(dict):
    """Labels of the nodes facts point to (countries, themes, institutions...), each read once."""

    def __init__(self, graph: Graph) -> None:
        super().__init__()
        self.graph = graph

    def __missing__(self, node) -> str:
        if isinstance(node, Literal):
            text = str(node)
        else:
            text = ""
            for prop in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
                value = self.graph.value(node, prop)
                if value is not None:
                    text = str(value)
                    break
            text = text or str(node).rsplit("/", 1)[-1]
        self[node] = text
        return text


def action_facts(graph: Graph, actions: Iterable[str]) -> dict[str, ActionFacts]:
    """The facts of each action (IRIs as strings), with their evidence, by IRI."""
    labels = _Labels(graph)
    countries: dict = {}  # country → (EU member state, continent)

    def country(node) -> tuple[bool, str]:
        found = countries.get(node)
        if found is None:
            found = countries[node] = (graph.value(node, _EU) == _TRUE, str(graph.value(node, _CONTINENT) or ""))
        return found

    found = {}
    for iri in sorted(set(actions)):
        action = URIRef(iri)
        evidence: dict[tuple, list[Evidence]] = {}
        for node in graph.objects(action, _EVIDENCE):
            sentence = graph.value(node, _SENTENCE)
            if sentence is not None:
                key = (graph.value(node, _PREDICATE_OF), _key(graph.value(node, _OBJECT_OF)))
                where = _where(graph.value(node, _FILE), graph.value(node, _LINE))
                evidence.setdefault(key, []).append(Evidence(" ".join(str(sentence).split()), where))
        records = sorted(graph.objects(action, _DERIVED))
        sources = sorted(str(graph.value(r, _LABEL)) for r in records)
        institutions_of = sorted(graph.objects(action, _INSTITUTION))
        types_of = sorted(graph.objects(action, _TYPE))
        written = " / ".join(sorted({str(n) for n in graph.objects(action, _NAME)}))
        for record in records:
            file = graph.value(record, _FILE)
            for line in sorted(graph.objects(record, _PARTNER_LINE), key=int):
                for institution in institutions_of:
                    evidence.setdefault((_INSTITUTION, str(institution)), []).append(
                        Evidence(written, _where(file, line))
                    )
            for line in graph.objects(record, _TYPE_LINE):
                for concept in types_of:
                    evidence.setdefault((_TYPE, str(concept)), []).append(Evidence(labels[concept], _where(file, line)))
        facts = []
        for prop, kind in FACTS:
            for value in sorted(graph.objects(action, prop), key=lambda v: labels[v]):
                key = _key(value)
                facts.append(Fact(kind, key, labels[value], tuple(sorted(set(evidence.get((prop, key), ()))))))
        institutions = []
        involved = set()
        for institution in institutions_of:
            where = graph.value(institution, _COUNTRY)
            name = labels[institution]
            institutions.append(f"{name} ({labels[where]})" if where is not None else name)
            if where is not None:
                involved.add(str(where))
        partner = graph.value(action, _PARTNER)
        experts = list(graph.objects(action, _EXPERT))
        sides = {EU_SIDE if country(c)[0] else NON_EU_SIDE for c in experts}
        for prop in (_PARTNER, _EXPERT, _VISIT):
            involved.update(str(c) for c in graph.objects(action, prop))
        code = graph.value(action, _CODE)
        found[iri] = ActionFacts(
            iri=iri,
            title=labels[action],
            code=str(code) if code is not None else "",
            sources=sources,
            institutions=institutions,
            facts=facts,
            themes=sorted(str(t) for t in graph.objects(action, _THEME)),
            types=sorted(str(t) for t in types_of),
            region=country(partner)[1] if partner is not None else "",
            sides=sorted(sides),
            countries=sorted(involved),
            country_names={c: labels[URIRef(c)] for c in sorted(involved)},
        )
    return found
