"""RDF terms as their N-Triples text: the one form the build holds a term in.

A term is a plain ``str``: ``<iri>``, ``_:label`` or a literal in canonical N-Triples
(``"text"``, ``"text"@en``, ``"7"^^<http://www.w3.org/2001/XMLSchema#integer>``), the text
pyoxigraph itself writes for it. Plain strings hash and compare in C and keep their hash, where
rdflib's terms hash and compare in Python and its literals cost microseconds each to make; and a
triple's N-Triples line is its three terms joined, so writing N-Triples is joining strings.
Literals are made by pyoxigraph, so their escaping is canonical by construction; IRIs are written
as given by the code that mints them (graph/rdf/mapping.py) or read from the ontology files.

rdflib terms come in (:func:`from_rdflib`) and go out (:func:`to_rdflib`) at the edges: reading
a graph file with rdflib, the rdflib-style read methods of :class:`graph.rdf.triples.TripleSet`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode as OxNamedNode

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
XSD_BOOLEAN = XSD + "boolean"
RDF_LANGSTRING = RDF + "langString"


def iri(text: str) -> str:
    """The term of an IRI."""
    return f"<{text}>"


@lru_cache(maxsize=1024)
def _datatype_node(datatype: str) -> OxNamedNode:
    return OxNamedNode(datatype)


def literal(value: str | int | float | bool, language: str | None = None, datatype: str | None = None) -> str:
    """The term of a literal: ``value`` (text, int, bool or float) with a language tag or a datatype
    IRI, in canonical N-Triples as pyoxigraph writes it (a Python int is an xsd:integer, a bool an
    xsd:boolean, text without either an xsd:string)."""
    if datatype is not None:
        text = str(value).lower() if isinstance(value, bool) else str(value)
        return str(OxLiteral(text, datatype=_datatype_node(datatype)))
    return str(OxLiteral(value, language=language or None))


def is_iri(term: str) -> bool:
    return term[0] == "<"


def is_literal(term: str) -> bool:
    return term[0] == '"'


def is_blank(term: str) -> bool:
    return term[0] == "_"


def iri_value(term: str) -> str:
    """The IRI of an IRI term (``<x>`` → ``x``)."""
    return term[1:-1]


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_SINGLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match) -> str:
    short, long, char = match.groups()
    if char is not None:
        return _SINGLE.get(char, char)
    return chr(int(short or long, 16))


def split_literal(term: str) -> tuple[str, str | None, str]:
    """A literal term's lexical form, language tag (or None) and datatype IRI (``rdf:langString``
    for a tagged literal, ``xsd:string`` for a plain one)."""
    end = term.rindex('"')
    body = term[1:end]
    lexical = _ESCAPE.sub(_unescape, body) if "\\" in body else body
    rest = term[end + 1 :]
    if not rest:
        return lexical, None, XSD_STRING
    if rest[0] == "@":
        return lexical, rest[1:], RDF_LANGSTRING
    return lexical, None, rest[3:-1]  # ^^<datatype>


def lexical(term: str) -> str:
    """The lexical form of a literal term, or the IRI (or label) of another term: its string form."""
    if term[0] == '"':
        return split_literal(term)[0]
    return term[1:-1] if term[0] == "<" else term[2:]


def from_rdflib(node: object) -> str:
    """The term of an rdflib term (its lexical form as rdflib holds it)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        if node.language:
            return str(OxLiteral(str(node), language=node.language))
        if node.datatype is not None:
            return str(OxLiteral(str(node), datatype=_datatype_node(str(node.datatype))))
        return str(OxLiteral(str(node)))
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"not an RDF term: {node!r}")


def to_rdflib(term: str):
    """The rdflib term of a term."""
    from rdflib import BNode, Literal, URIRef

    if term[0] == "<":
        return URIRef(term[1:-1])
    if term[0] == "_":
        return BNode(term[2:])
    text, language, datatype = split_literal(term)
    if language is not None:
        return Literal(text, lang=language)
    return Literal(text, datatype=None if datatype == XSD_STRING else URIRef(datatype))
