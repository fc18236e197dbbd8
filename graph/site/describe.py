"""A resource's RDF description, as a machine gets it from the resource's IRI: its own triples, the
triples of its evidence and source records (what each fact was read from; a document's: its
entries' records), the links to it from actions, institutions and news items (a concept scheme's:
its concepts), and the labels of everything it links to or is linked from.

Written as Turtle, N-Triples or JSON-LD from the sorted N-Triples, by the small writers here (a
static site writes tens of thousands of them: Oxigraph's serialisers, parsing the lines again,
took most of its time); a test reads each back with rdflib and finds the same triples. The same
bytes at every build.
"""

from __future__ import annotations

import json
import re

from graph.namespaces import PREFIXES
from graph.rdf import terms
from graph.site.resources import DERIVED, EVIDENCE, IN_SCHEME, LABEL, PART_OF, PREF, TITLE, Resources

# media type → (file suffix, the serialiser's name)
FORMATS = {
    "text/turtle": (".ttl", "turtle"),
    "application/ld+json": (".jsonld", "json-ld"),
    "application/n-triples": (".nt", "nt"),
}
_LABELS = (PREF, LABEL, TITLE)
_INBOUND_FROM = ("action", "institution", "news", "source")  # whose links to a resource it is described with


Triple = tuple[str, str, str]


def description(resources: Resources, node: str) -> list[Triple]:
    """The triples of a resource's description (term text), sorted."""
    spo = resources.spo
    triples: set[Triple] = set()
    mentioned: set[str] = set()

    def own(subject: str) -> None:
        for predicate, objects in spo.get(subject, {}).items():
            for obj in objects:
                triples.add((subject, predicate, obj))
                if obj[0] == "<":
                    mentioned.add(obj)

    own(node)
    for attached in (*resources.objects(node, EVIDENCE), *resources.objects(node, DERIVED)):
        own(attached)
    if resources.kind.get(node) == "document":  # its entries' source records, whole
        for record, predicate in resources.inbound.get(node, ()):
            if predicate == PART_OF and resources.kind.get(record) == "source":
                own(record)
    for member in resources.subjects(IN_SCHEME, node):  # a concept scheme: its concepts
        triples.add((member, IN_SCHEME, node))
        mentioned.add(member)
    for subject, predicate in resources.inbound.get(node, ()):
        if resources.kind.get(subject) in _INBOUND_FROM:
            triples.add((subject, predicate, node))
            mentioned.add(subject)
    mentioned.discard(node)
    for other in mentioned:
        predicates = spo.get(other, {})
        for prop in _LABELS:
            for value in predicates.get(prop, ()):
                triples.add((other, prop, value))
    return sorted(triples)


def serialised(triples: list[Triple], media: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Sorted triples of term text (canonical, as the build holds them) as ``media`` (one of
    FORMATS), with the project's prefixes (those it uses)."""
    _, fmt = FORMATS[media]
    if fmt == "nt":
        return "".join(f"{s} {p} {o} .\n" for s, p, o in triples).encode("utf-8")
    prefixes = PREFIX_MAP if prefixes is None else prefixes
    if fmt == "turtle":
        return turtle(triples, prefixes).encode("utf-8")
    return jsonld(triples, prefixes).encode("utf-8")


PREFIX_MAP = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")  # a local name Turtle takes as it is
_JSON_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*\Z")  # and JSON-LD (a compact IRI's suffix)
_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
_INTEGER_TEXT = re.compile(r'"[+-]?[0-9]+"')
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class _Names:
    """IRIs as prefixed names where a prefix fits (the longest namespace), each worked out once."""

    def __init__(self, prefixes: dict[str, str], local: re.Pattern) -> None:
        self.namespaces = sorted(((ns, prefix) for prefix, ns in prefixes.items()), key=lambda x: -len(x[0]))
        self.local = local
        self.cache: dict[str, tuple[str, str] | None] = {}  # IRI → (prefix, prefixed name)

    def short(self, iri: str) -> tuple[str, str] | None:
        found = self.cache.get(iri, False)
        if found is False:
            found = None
            for namespace, prefix in self.namespaces:
                if iri.startswith(namespace) and self.local.match(iri, len(namespace)):
                    found = (prefix, f"{prefix}:{iri[len(namespace) :]}")
                    break
            if len(self.cache) > 500_000:
                self.cache.clear()
            self.cache[iri] = found
        return found  # type: ignore[return-value]  # False was replaced


_NAMES: dict[tuple, _Names] = {}


def _names(prefixes: dict[str, str], local: re.Pattern) -> _Names:
    key = (tuple(sorted(prefixes.items())), local.pattern)
    found = _NAMES.get(key)
    if found is None:
        found = _NAMES[key] = _Names(prefixes, local)
    return found


def turtle(triples: list[tuple[str, str, str]], prefixes: dict[str, str]) -> str:
    """Sorted triples of term text as Turtle: a subject's triples together (``;``), objects of a
    predicate together (``,``), prefixed names where they fit, ``a`` for ``rdf:type``. Each term's
    Turtle is made once per process, as in :func:`jsonld`."""
    written = _caches(prefixes)[0]
    get = written.get
    used: set[str] = set()
    add = used.add

    def term(node: str) -> str:
        found = get(node)
        if found is None:
            found = written[node] = _turtle_term(node, prefixes)
        if found[0]:
            add(found[0])
        return found[1]

    out: list[str] = []
    append = out.append
    subject = predicate = None
    for s, p, o in triples:
        if s != subject:
            if subject is not None:
                append(" .\n")
            append(f"{term(s)} {'a' if p == _RDF_TYPE else term(p)} {term(o)}")
        elif p != predicate:
            append(f" ;\n\t{'a' if p == _RDF_TYPE else term(p)} {term(o)}")
        else:
            append(f" ,\n\t\t{term(o)}")
        subject, predicate = s, p
    if subject is not None:
        append(" .\n")
    head = "".join(f"@prefix {prefix}: <{prefixes[prefix]}> .\n" for prefix in sorted(used))
    return head + ("\n" if head else "") + "".join(out)


# per prefix map: each term written once (Turtle; JSON-LD as a node's id, as a key, as a value)
_CACHES: dict[int, tuple[dict[str, str], tuple[dict[str, tuple[str, str]], ...]]] = {}


def _caches(prefixes: dict[str, str]) -> tuple[dict[str, tuple[str, str]], ...]:
    found = _CACHES.get(id(prefixes))
    if found is None or found[0] is not prefixes or len(found[1][0]) + len(found[1][3]) > 1_000_000:
        found = _CACHES[id(prefixes)] = (prefixes, ({}, {}, {}, {}))
    return found[1]


def _turtle_term(node: str, prefixes: dict[str, str]) -> tuple[str, str]:
    """A term in Turtle, and the prefix it uses (or "")."""
    names = _names(prefixes, _LOCAL)
    if node[0] == "<":
        found = names.short(node[1:-1])
        return found if found is not None else ("", node)
    if node[0] == '"' and node[-1] == ">":
        body, _, datatype = node.rpartition("^^")
        if datatype == _INTEGER and _INTEGER_TEXT.fullmatch(body):
            return "", body[1:-1]  # 7, not "7"^^xsd:integer
        prefix, name = _turtle_term(datatype, prefixes)
        return prefix, f"{body}^^{name}"
    return "", node


def jsonld(triples: list[tuple[str, str, str]], prefixes: dict[str, str]) -> str:
    """Sorted triples of term text as JSON-LD: one node object a subject (a line each), compact IRIs
    where a prefix fits, the prefixes used as the ``@context``. Each term's JSON is made once per
    process (a site writes the same labels, files and properties thousands of times)."""
    _, ids, keys, values = _caches(prefixes)
    used: set[str] = set()
    add = used.add

    def code(cache: dict[str, tuple[str, str]], node: str, role: str) -> str:
        found = cache.get(node)
        if found is None:
            found = cache[node] = _encode(node, role, prefixes)
        if found[0]:
            add(found[0])
        return found[1]

    parts: list[str] = []
    append = parts.append
    subject = predicate = None
    for s, p, o in triples:
        if s != subject:
            if subject is not None:
                append("]},\n")
            append('{"@id":')
            append(code(ids, s, "id"))
            predicate = None
        is_type = p == _RDF_TYPE and o[0] == "<"
        key = "@type" if is_type else p
        if key != predicate:
            if predicate is not None:
                append("]")
            append(',"@type":[' if is_type else f",{code(keys, p, 'id')}:[")
        else:
            append(",")
        append(code(ids, o, "id") if is_type else code(values, o, "value"))
        subject, predicate = s, key
    if subject is not None:
        append("]}")
    context = {prefix: prefixes[prefix] for prefix in sorted(used)}
    return f'{{"@context":{_JSON.encode(context)},\n"@graph":[\n{"".join(parts)}\n]}}\n'


def _encode(node: str, role: str, prefixes: dict[str, str]) -> tuple[str, str]:
    """The JSON of a term (and the prefix it uses, or ""): as ``id`` an IRI as a string (a subject,
    a type, a key), as ``value`` an object as a value object."""
    names = _names(prefixes, _JSON_LOCAL)

    def iri(term: str) -> tuple[str, str]:
        if term[0] == "_":
            return "", term
        found = names.short(term[1:-1])
        return (found[0], found[1]) if found else ("", term[1:-1])

    if role == "id":
        prefix, text = iri(node)
        return prefix, _JSON.encode(text)
    if node[0] != '"':
        prefix, text = iri(node)
        return prefix, '{"@id":' + _JSON.encode(text) + "}"
    text, language, datatype = terms.split_literal(node)
    if language is not None:
        return "", _JSON.encode({"@value": text, "@language": language})
    if datatype == terms.XSD_STRING:
        return "", _JSON.encode({"@value": text})
    prefix, name = iri(f"<{datatype}>")
    return prefix, _JSON.encode({"@value": text, "@type": name})
