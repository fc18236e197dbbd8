"""Facts to RDF: the one place where IRIs are minted and triples are made.

IRIs are built from what identifies a thing in the data (an action's title, partner and the start
of its description; a document's file name and a line), never from its position in a build, so
they are the same in every build and do not change when another document is added.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from graph.extract.facts import Fact, ResolvedInstitution
from graph.extract.run import Extraction
from graph.namespaces import COUNTRY, ID, PREFIXES, SOCX
from graph.rdf.triples import TripleSet
from graph.read.merge import Action, Merged, NewsItem
from graph.read.records import ActionRecord, NewsRecord
from graph.vocab import ontology_dir, reference_graph

# ---------------------------------------------------------------------------- IRIs


def slug(text: str, limit: int = 48) -> str:
    """A readable, ASCII, lower-case IRI segment."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "x"


def _digest(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def action_iri(action: Action) -> URIRef:
    return URIRef(f"{ID}action/{slug(action.title)}-{_digest(action.key)}")


def institution_iri(institution: ResolvedInstitution) -> URIRef:
    return URIRef(f"{ID}institution/{slug(institution.name.name)}-{_digest(institution.key)}")


def organisation_iri(name: str) -> URIRef:
    return URIRef(f"{ID}organisation/{slug(name)}")


def programme_iri(name: str) -> URIRef:
    return URIRef(f"{ID}programme/{slug(name)}")


def evidence_iri(action: URIRef, kind: str, value: str) -> URIRef:
    return URIRef(f"{action}/evidence/{kind}/{slug(value, 60)}")


def news_iri(item: NewsItem) -> URIRef:
    return URIRef(f"{ID}news/{slug(item.title)}-{_digest(item.key)}")


def document_iri(file: str) -> URIRef:
    return URIRef(f"{ID}document/{quote(file, safe='-._~')}")


def source_iri(file: str, line: int) -> URIRef:
    return URIRef(f"{document_iri(file)}/line/{line}")


def country_iri(alpha3: str) -> URIRef:
    return COUNTRY[alpha3]


# ---------------------------------------------------------------------------- triples


class _Terms:
    """A namespace's terms made once each: rdflib makes a new URIRef on every attribute access of a
    Namespace, and the mapping asks for the same few dozen millions of times at scale."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


_SOCX = _Terms(SOCX)
_RDF = _Terms(RDF)
_RDFS = _Terms(RDFS)
_XSD = _Terms(XSD)
_DCTERMS = _Terms(DCTERMS)
_PROV = _Terms(PROV)
_SKOS = _Terms(SKOS)
_ORG = _Terms(ORG)


def new_graph() -> TripleSet:
    """An empty graph with the project's prefixes bound over rdflib's defaults."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return TripleSet.from_graph(graph)


# Literals repeat (line numbers, file names, rules, a sentence behind several facts); making each
# once saves most of the cost of minting them.
_LITERALS: dict[tuple, Literal] = {}


def _literal(value: object, lang: str | None = None, datatype: URIRef | None = None) -> Literal:
    key = (type(value), value, lang, datatype)
    literal = _LITERALS.get(key)
    if literal is None:
        if len(_LITERALS) > 200_000:
            _LITERALS.clear()
        literal = _LITERALS[key] = Literal(value, lang=lang, datatype=datatype)
    return literal


def _text(value: str, lang: str | None = "en") -> Literal:
    return _literal(value, lang=lang or None)


def _line(number: int) -> Literal:
    return _literal(number, datatype=_XSD.positiveInteger)


def _add_document(graph: TripleSet, file: str) -> URIRef:
    doc = document_iri(file)
    graph.add((doc, _RDF.type, _SOCX.SourceDocument))
    graph.add((doc, _SOCX.sourceFile, _literal(file)))
    graph.add((doc, _RDFS.label, _literal(file)))
    return doc


def _add_source(graph: TripleSet, file: str, line: int) -> URIRef:
    record = source_iri(file, line)
    graph.add((record, _RDF.type, _SOCX.SourceRecord))
    graph.add((record, _RDFS.label, Literal(f"{file}:{line}")))
    graph.add((record, _SOCX.sourceFile, _literal(file)))
    graph.add((record, _SOCX.line, _line(line)))
    graph.add((record, _DCTERMS.isPartOf, _add_document(graph, file)))
    return record


def _add_action_source(graph: TripleSet, record: ActionRecord) -> URIRef:
    node = _add_source(graph, record.file, record.title.line)
    graph.add((node, _SOCX.layout, _literal(record.layout)))
    graph.add((node, _SOCX.titleLine, _line(record.title.line)))
    for partner in record.partners:
        graph.add((node, _SOCX.partnerLine, _line(partner.line)))
    if record.types:
        graph.add((node, _SOCX.assistanceTypeLine, _line(record.types.line)))
    for part in record.description:
        graph.add((node, _SOCX.descriptionLine, _line(part.line)))
    if record.start:
        graph.add((node, _SOCX.startLine, _line(record.start.line)))
    if record.end:
        graph.add((node, _SOCX.endLine, _line(record.end.line)))
    return node


def add_institution(graph: TripleSet, institution: ResolvedInstitution, countries: dict[str, URIRef]) -> URIRef:
    node = institution_iri(institution)
    name = institution.name
    graph.add((node, _RDF.type, _SOCX.PartnerInstitution))
    graph.add((node, _RDF.type, _ORG.Organization))
    graph.add((node, _SKOS.prefLabel, _text(name.name, name.name_language)))
    graph.add((node, _RDFS.label, _text(name.name, name.name_language)))
    for other in institution.names:
        if other.name != name.name:
            graph.add((node, _SKOS.altLabel, _text(other.name, other.name_language)))
        if other.original_name:
            graph.add((node, _SOCX.originalName, _text(other.original_name, other.original_language)))
        if other.acronym:
            graph.add((node, _SOCX.acronym, Literal(other.acronym)))
    for variant in institution.variants:
        graph.add((node, _SKOS.hiddenLabel, Literal(variant)))
    if institution.country:
        graph.add((node, _SOCX.country, countries[institution.country]))
    return node


# the property each kind of fact is stated with
FACT_PROPERTIES = {
    "expert_country": _SOCX.expertCountry,
    "study_visit_country": _SOCX.studyVisitCountry,
    "partner_country": _SOCX.partnerCountry,
    "organisation": _SOCX.cooperatingOrganisation,
    "programme": _SOCX.cooperatingProgramme,
    "action_code": _SOCX.actionCode,
    "related_action": _SOCX.relatedActionCode,
    "theme": _SOCX.theme,
}
RELATION_PROPERTIES = {
    "follow-up": _SOCX.followUpOf,
    "builds-on": _SOCX.buildsOn,
    "parallel-to": _SOCX.parallelTo,
    "related": _SOCX.relatedAction,
}


def _add_evidence(graph: TripleSet, action: URIRef, fact: Fact, obj: URIRef | Literal) -> None:
    """A qualified statement: which sentence, line, span and rule a fact comes from."""
    prop = FACT_PROPERTIES[fact.kind]
    node = evidence_iri(action, fact.kind.replace("_", "-"), fact.value)
    graph.add((action, prop, obj))
    graph.add((action, _SOCX.evidence, node))
    graph.add((node, _RDF.type, _SOCX.Evidence))
    graph.add((node, _RDF.subject, action))
    graph.add((node, _RDF.predicate, prop))
    graph.add((node, _RDF.object, obj))
    graph.add((node, _SOCX.rule, _literal(fact.rule)))
    graph.add((node, _SOCX.sentence, _text(fact.sentence)))
    graph.add((node, _SOCX.sourceFile, _literal(fact.file)))
    graph.add((node, _SOCX.line, _line(fact.line)))
    graph.add((node, _SOCX.charStart, _literal(fact.start, datatype=_XSD.nonNegativeInteger)))
    graph.add((node, _SOCX.charEnd, _literal(fact.end, datatype=_XSD.nonNegativeInteger)))
    graph.add((node, _DCTERMS.source, document_iri(fact.file)))
    if fact.detail:
        graph.add((node, _SOCX.detail, _literal(fact.detail)))


def add_action(
    graph: TripleSet,
    action: Action,
    institutions: list[ResolvedInstitution],
    extraction: Extraction,
    countries: dict[str, URIRef],
    codes: dict[str, URIRef],
) -> URIRef:
    node = action_iri(action)
    facts = extraction.facts[action.key]
    graph.add((node, _RDF.type, _SOCX.Action))
    graph.add((node, _DCTERMS.title, _text(action.title)))
    graph.add((node, _RDFS.label, _text(action.title)))
    if action.description:
        graph.add((node, _DCTERMS.description, _text(action.description)))
    for institution, mention in zip(institutions, action.partners, strict=True):
        graph.add((node, _SOCX.partnerInstitution, institution_iri(institution)))
        graph.add((node, _SOCX.partnerInstitutionName, _text(mention.name.name, mention.name.name_language)))
        if mention.name.acronym:
            graph.add((node, _SOCX.partnerInstitutionAcronym, Literal(mention.name.acronym)))
    for concept in action.types.concepts:
        graph.add((node, _SOCX.assistanceType, URIRef(concept)))
    for unknown in action.types.unknown:
        graph.add((node, _SOCX.assistanceTypeText, Literal(unknown)))
    if action.start:
        graph.add((node, _SOCX.startActivities, Literal(action.start)))
    if action.end:
        graph.add((node, _SOCX.endActivities, Literal(action.end)))
    for record in action.records:
        graph.add((node, _PROV.wasDerivedFrom, _add_action_source(graph, record)))
    for fact in facts.expert_countries + facts.study_visit_countries:
        _add_evidence(graph, node, fact, countries[fact.value])
    if facts.partner_country:
        _add_evidence(graph, node, facts.partner_country, countries[facts.partner_country.value])
    for fact in facts.organisations:
        _add_evidence(graph, node, fact, organisation_iri(fact.value))
    for fact in facts.programmes:
        _add_evidence(graph, node, fact, programme_iri(fact.value))
    for fact in facts.themes:
        _add_evidence(graph, node, fact, URIRef(fact.value))
    if facts.action_code:
        _add_evidence(graph, node, facts.action_code, Literal(facts.action_code.value))
        graph.add((node, _SOCX.actionYear, Literal(facts.action_code.value[:4], datatype=_XSD.gYear)))
    for fact in facts.related_actions:
        _add_evidence(graph, node, fact, Literal(fact.value))
        target = codes.get(fact.value)
        if target is not None and target != node:
            graph.add((node, RELATION_PROPERTIES.get(fact.detail, _SOCX.relatedAction), target))
    return node


def add_news(graph: TripleSet, item: NewsItem, countries: dict[str, URIRef], named: list[str]) -> URIRef:
    node = news_iri(item)
    graph.add((node, _RDF.type, _SOCX.NewsItem))
    graph.add((node, _DCTERMS.title, _text(item.title)))
    graph.add((node, _RDFS.label, _text(item.title)))
    for alpha3 in named:
        graph.add((node, _SOCX.mentionsCountry, countries[alpha3]))
    for record in item.records:
        graph.add((node, _SOCX.newsKind, Literal(record.kind)))
        graph.add((node, _PROV.wasDerivedFrom, _add_news_source(graph, record)))
    return node


def _add_news_source(graph: TripleSet, record: NewsRecord) -> URIRef:
    return _add_source(graph, record.title.file, record.title.line)


def _add_countries(graph: TripleSet, used: set[str]) -> dict[str, URIRef]:
    """The reference data of every country the graph uses, from ontology/countries.ttl."""
    reference = reference_graph("countries.ttl")
    nodes = {}
    for node in reference.subjects(_SOCX.isoAlpha3, None):
        alpha3 = str(reference.value(node, _SOCX.isoAlpha3))
        nodes[alpha3] = node
        if alpha3 in used:
            for triple in reference.triples((node, None, None)):
                graph.add(triple)
    return nodes


def _add_organisations(graph: TripleSet, names: set[str]) -> None:
    from graph.extract.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    for name in sorted(names):
        node = organisation_iri(name)
        graph.add((node, _RDF.type, _SOCX.CooperatingOrganisation))
        graph.add((node, _RDF.type, _ORG.Organization))
        graph.add((node, _SKOS.prefLabel, Literal(name)))
        graph.add((node, _RDFS.label, Literal(name)))
        for variant in gazetteer.organisations.get(name, ()):
            if variant != name:
                graph.add((node, _SKOS.altLabel, Literal(variant)))


def _add_programmes(graph: TripleSet, names: set[str]) -> None:
    for name in sorted(names):
        node = programme_iri(name)
        graph.add((node, _RDF.type, _SOCX.Programme))
        graph.add((node, _SKOS.prefLabel, Literal(name)))
        graph.add((node, _RDFS.label, Literal(name)))


def build_graph(merged: Merged, extraction: Extraction) -> TripleSet:
    """The RDF graph of merged actions, institutions and news, with the reference data they use."""
    schemes = Graph()
    for prefix, namespace in PREFIXES.items():
        schemes.bind(prefix, namespace, override=True, replace=True)
    schemes.parse(ontology_dir() / "assistance-types.ttl", format="turtle")
    schemes.parse(ontology_dir() / "themes.ttl", format="turtle")
    graph = TripleSet.from_graph(schemes)
    facts = extraction.facts.values()
    used = {f.value for fs in facts for f in fs.expert_countries + fs.study_visit_countries}
    used |= {fs.partner_country.value for fs in facts if fs.partner_country}
    used |= {i.country for insts in extraction.institutions.values() for i in insts if i.country}
    used |= {c for named in extraction.news_countries.values() for c in named}
    countries = _add_countries(graph, used)
    _add_organisations(graph, {f.value for fs in facts for f in fs.organisations})
    _add_programmes(graph, {f.value for fs in facts for f in fs.programmes})
    codes = {}
    for action in merged.actions:
        own = extraction.facts[action.key].action_code
        if own is not None:
            codes.setdefault(own.value, action_iri(action))
    done: set[int] = set()
    for action in merged.actions:
        for institution in extraction.institutions[action.key]:
            if id(institution) not in done:
                done.add(id(institution))
                add_institution(graph, institution, countries)
    for action in merged.actions:
        add_action(graph, action, extraction.institutions[action.key], extraction, countries, codes)
    for item in merged.news:
        add_news(graph, item, countries, extraction.news_countries.get(item.key, []))
    _LITERALS.clear()  # the graph holds the literals; the index of them is no longer needed
    return graph
