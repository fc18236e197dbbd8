"""The project's namespaces and prefixes, in one small module that imports nothing but rdflib's
namespace terms: listing queries, drawing a network page or reading a graph never loads the NLP
stack through it."""

from rdflib import RDF, RDFS, XSD, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

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
