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

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from graph.merge import Action, Institution, Merged, NewsItem
from graph.records import ActionRecord, NewsRecord
from graph.vocab import ontology_dir

BASE = "https://w3id.org/socieux-kg/"
SOCX = Namespace(BASE + "ontology#")
ID = BASE + "id/"
CV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("https://schema.org/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
ASSISTANCE_SCHEME = URIRef(ID + "assistance-type")

PREFIXES = {
    "socx": SOCX,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "cv": CV,
    "schema": SCHEMA,
    "country": COUNTRY,
    "action": Namespace(ID + "action/"),
    "institution": Namespace(ID + "institution/"),
    "news": Namespace(ID + "news/"),
    "doc": Namespace(ID + "document/"),
    "at": Namespace(ID + "assistance-type/"),
}


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


def institution_iri(institution: Institution) -> URIRef:
    return URIRef(f"{ID}institution/{slug(institution.name.name)}-{_digest(institution.key)}")


def news_iri(item: NewsItem) -> URIRef:
    return URIRef(f"{ID}news/{slug(item.title)}-{_digest(item.key)}")


def document_iri(file: str) -> URIRef:
    return URIRef(f"{ID}document/{quote(file, safe='-._~')}")


def source_iri(file: str, line: int) -> URIRef:
    return URIRef(f"{document_iri(file)}/line/{line}")


def country_iri(alpha3: str) -> URIRef:
    return COUNTRY[alpha3]


# ---------------------------------------------------------------------------- triples


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def _text(value: str, lang: str | None = "en") -> Literal:
    return Literal(value, lang=lang) if lang else Literal(value)


def _line(number: int) -> Literal:
    return Literal(number, datatype=XSD.positiveInteger)


def _add_document(graph: Graph, file: str) -> URIRef:
    doc = document_iri(file)
    graph.add((doc, RDF.type, SOCX.SourceDocument))
    graph.add((doc, SOCX.sourceFile, Literal(file)))
    graph.add((doc, RDFS.label, Literal(file)))
    return doc


def _add_source(graph: Graph, file: str, line: int) -> URIRef:
    record = source_iri(file, line)
    graph.add((record, RDF.type, SOCX.SourceRecord))
    graph.add((record, RDFS.label, Literal(f"{file}:{line}")))
    graph.add((record, SOCX.sourceFile, Literal(file)))
    graph.add((record, SOCX.line, _line(line)))
    graph.add((record, DCTERMS.isPartOf, _add_document(graph, file)))
    return record


def _add_action_source(graph: Graph, record: ActionRecord) -> URIRef:
    node = _add_source(graph, record.file, record.title.line)
    graph.add((node, SOCX.layout, Literal(record.layout)))
    graph.add((node, SOCX.titleLine, _line(record.title.line)))
    for partner in record.partners:
        graph.add((node, SOCX.partnerLine, _line(partner.line)))
    if record.types:
        graph.add((node, SOCX.assistanceTypeLine, _line(record.types.line)))
    for part in record.description:
        graph.add((node, SOCX.descriptionLine, _line(part.line)))
    if record.start:
        graph.add((node, SOCX.startLine, _line(record.start.line)))
    if record.end:
        graph.add((node, SOCX.endLine, _line(record.end.line)))
    return node


def add_institution(graph: Graph, institution: Institution) -> URIRef:
    node = institution_iri(institution)
    name = institution.name
    graph.add((node, RDF.type, SOCX.PartnerInstitution))
    graph.add((node, RDF.type, ORG.Organization))
    graph.add((node, SKOS.prefLabel, _text(name.name, name.name_language)))
    graph.add((node, RDFS.label, _text(name.name, name.name_language)))
    if name.original_name:
        graph.add((node, SOCX.originalName, _text(name.original_name, name.original_language)))
    if name.acronym:
        graph.add((node, SOCX.acronym, Literal(name.acronym)))
    return node


def add_action(graph: Graph, action: Action) -> URIRef:
    node = action_iri(action)
    graph.add((node, RDF.type, SOCX.Action))
    graph.add((node, DCTERMS.title, _text(action.title)))
    graph.add((node, RDFS.label, _text(action.title)))
    if action.description:
        graph.add((node, DCTERMS.description, _text(action.description)))
    for institution in action.partners:
        graph.add((node, SOCX.partnerInstitution, institution_iri(institution)))
    for concept in action.types.concepts:
        graph.add((node, SOCX.assistanceType, URIRef(concept)))
    for unknown in action.types.unknown:
        graph.add((node, SOCX.assistanceTypeText, Literal(unknown)))
    if action.start:
        graph.add((node, SOCX.startActivities, Literal(action.start)))
    if action.end:
        graph.add((node, SOCX.endActivities, Literal(action.end)))
    for record in action.records:
        graph.add((node, PROV.wasDerivedFrom, _add_action_source(graph, record)))
    return node


def add_news(graph: Graph, item: NewsItem) -> URIRef:
    node = news_iri(item)
    graph.add((node, RDF.type, SOCX.NewsItem))
    graph.add((node, DCTERMS.title, _text(item.title)))
    graph.add((node, RDFS.label, _text(item.title)))
    for record in item.records:
        graph.add((node, SOCX.newsKind, Literal(record.kind)))
        graph.add((node, PROV.wasDerivedFrom, _add_news_source(graph, record)))
    return node


def _add_news_source(graph: Graph, record: NewsRecord) -> URIRef:
    return _add_source(graph, record.title.file, record.title.line)


def build_graph(merged: Merged) -> Graph:
    """The RDF graph of merged actions, institutions and news, with the SKOS schemes they use."""
    graph = new_graph()
    graph.parse(ontology_dir() / "assistance-types.ttl", format="turtle")
    for institution in merged.institutions:
        add_institution(graph, institution)
    for action in merged.actions:
        add_action(graph, action)
    for item in merged.news:
        add_news(graph, item)
    return graph
