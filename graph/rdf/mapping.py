"""Facts to RDF: the one place where IRIs are minted and triples are made.

IRIs are built from what identifies a thing in the data (an action's title, partner and the start
of its description; a document's file name and a line), never from its position in a build, so
they are the same in every build and do not change when another document is added. Terms are
N-Triples text (graph/rdf/terms.py): the IRIs minted here are ASCII (slugs, digests, numbers and
percent-encoded file names), so they are written as they are.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from graph.namespaces import BASE, COUNTRY, ID, PREFIXES, SOCX
from graph.rdf import terms
from graph.rdf.triples import TripleSet
from graph.vocab import ontology_dir

if TYPE_CHECKING:  # for the annotations only: the IRIs are minted without loading the NLP stack
    from graph.extract.facts import ActionFacts, Fact
    from graph.extract.institutions import ResolvedInstitution
    from graph.extract.run import Extraction
    from graph.read.merge import Action, Merged, NewsItem
    from graph.read.partner import PartnerName
    from graph.read.records import ActionRecord, NewsRecord

# ---------------------------------------------------------------------------- IRIs


@lru_cache(maxsize=100_000)
def slug(text: str, limit: int = 48) -> str:
    """A readable, ASCII, lower-case IRI segment."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "x"


def _digest(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def action_iri(action: Action) -> str:
    return f"<{ID}action/{slug(action.title)}-{_digest(action.key)}>"


def institution_iri(institution: ResolvedInstitution) -> str:
    return f"<{ID}institution/{slug(institution.name.name)}-{_digest(institution.key)}>"


def organisation_iri(name: str) -> str:
    return f"<{ID}organisation/{slug(name)}>"


def programme_iri(name: str) -> str:
    """A programme's IRI, the same for every spelling of its name (case, accents and punctuation
    folded: "Skills for Jobs", "SKILLS for JOBS", "Skills-for-Jobs"); a name longer than a slug
    keeps a digest of the whole, so that two long names never share an IRI."""
    from graph.extract.facts import programme_key  # (the programmes' vocabulary, on first use)

    key = programme_key(name)
    readable = slug(key)
    return f"<{ID}programme/{readable if slug(key, 200) == readable else f'{readable}-{_digest(key)}'}>"


def evidence_iri(action: str, kind: str, value: str) -> str:
    return f"{action[:-1]}/evidence/{kind}/{slug(value, 60)}>"


def person_iri(name: str) -> str:
    """The person a correction names (its ``by``): one node per name, folded as slugs fold it."""
    return f"<{ID}person/{slug(name)}>"


def news_iri(item: NewsItem) -> str:
    return f"<{ID}news/{slug(item.title)}-{_digest(item.key)}>"


@lru_cache(maxsize=4096)
def document_iri(file: str) -> str:
    return f"<{ID}document/{quote(file, safe='-._~')}>"


def source_iri(file: str, line: int) -> str:
    return f"{document_iri(file)[:-1]}/line/{line}>"


def country_iri(alpha3: str) -> str:
    return f"<{COUNTRY}{alpha3}>"


# the dataset as published (graph/site/dataset.py describes it in DCAT-AP and VoID)


def dataset_iri() -> str:
    """The dataset: its DCAT-AP description, and the site's home page."""
    return f"<{ID}dataset>"


def distribution_iri(name: str) -> str:
    """One file of the dataset (``name``: its path in the build's output folder, e.g. ``tables/actions.csv``)."""
    return f"<{ID}dataset/distribution/{quote(name, safe='-._~/')}>"


def download_iri(name: str) -> str:
    """Where a file of the dataset is downloaded (w3id.org redirects ``exports/`` to the server)."""
    return f"<{BASE}exports/{quote(name, safe='-._~/')}>"


def endpoint_iri() -> str:
    """The SPARQL endpoint's public address (w3id.org redirects it to the server's ``/sparql``)."""
    return f"<{BASE}sparql>"


def data_service_iri() -> str:
    """The SPARQL endpoint as a ``dcat:DataService``."""
    return f"<{ID}dataset/sparql-endpoint>"


def period_iri(first: str, last: str) -> str:
    """The years the dataset's actions cover (``first`` and ``last``: ``YYYY``)."""
    return f"<{ID}dataset/period/{slug(first)}-{slug(last)}>"


def class_partition_iri(cls: str) -> str:
    """The VoID partition of the dataset holding the resources of a class (``cls``: its IRI)."""
    for prefix, namespace in PREFIXES.items():
        if cls.startswith(str(namespace)) and prefix not in ("action", "institution", "news", "doc", "at"):
            return f"<{ID}dataset/class/{prefix}-{slug(cls[len(str(namespace)) :], 60)}>"
    return f"<{ID}dataset/class/{_digest(cls)}>"


def media_type_iri(media: str) -> str:
    """A media type as IANA's registry names it (``text/turtle``)."""
    return f"<http://www.iana.org/assignments/media-types/{media}>"


def file_type_iri(code: str) -> str:
    """A file type of the EU's authority table (``RDF_TURTLE``)."""
    return f"<http://publications.europa.eu/resource/authority/file-type/{code}>"


def iri_of_path(path: str) -> str:
    """The IRI a path under the project's base names (``id/action/x``: a request's path on ``serve``)."""
    return f"<{BASE}{path}>"


# ---------------------------------------------------------------------------- triples


class _Terms:
    """A namespace's terms as term text, each made once."""

    def __init__(self, namespace: object) -> None:
        self._namespace = str(namespace)

    def __getattr__(self, name: str) -> str:
        term = terms.iri(self._namespace + name)
        setattr(self, name, term)
        return term


_SOCX = _Terms(SOCX)
_RDF = _Terms(RDF)
_RDFS = _Terms(RDFS)
_DCTERMS = _Terms(DCTERMS)
_PROV = _Terms(PROV)
_SKOS = _Terms(SKOS)
_ORG = _Terms(ORG)
_INTEGER = str(XSD.integer)
_GYEAR = str(XSD.gYear)
_DATE = str(XSD.date)


def new_graph() -> TripleSet:
    """An empty graph with the project's prefixes."""
    return TripleSet((prefix, str(namespace)) for prefix, namespace in PREFIXES.items())


# Literals repeat (line numbers, file names, rules, a sentence behind several facts); making each
# once saves most of the cost of minting them.
_LITERALS: dict[tuple, str] = {}


def _literal(value: str | int | float | bool, lang: str | None = None, datatype: str | None = None) -> str:
    key = (value, lang, datatype)
    literal = _LITERALS.get(key)
    if literal is None:
        if len(_LITERALS) > 200_000:
            _LITERALS.clear()
        literal = _LITERALS[key] = terms.literal(value, language=lang, datatype=datatype)
    return literal


def _text(value: str, lang: str | None = "en") -> str:
    return _literal(value, lang=lang or None)


_NUMBERS: dict[int, str] = {}


def _line(number: int) -> str:
    """A line number or character offset: an xsd:integer (the shapes say which are at least 1)."""
    literal = _NUMBERS.get(number)
    if literal is None:
        literal = _NUMBERS[number] = terms.literal(number, datatype=_INTEGER)
    return literal


def _add_document(graph: TripleSet, file: str) -> str:
    doc = document_iri(file)
    graph.add_all(
        doc, ((_RDF.type, _SOCX.SourceDocument), (_SOCX.sourceFile, _literal(file)), (_RDFS.label, _literal(file)))
    )
    return doc


def _source_pairs(graph: TripleSet, file: str, line: int) -> list[tuple[str, str]]:
    """The triples of a source record (file and line), as (predicate, object) pairs."""
    return [
        (_RDF.type, _SOCX.SourceRecord),
        (_RDFS.label, terms.literal(f"{file}:{line}")),
        (_SOCX.sourceFile, _literal(file)),
        (_SOCX.line, _line(line)),
        (_DCTERMS.isPartOf, _add_document(graph, file)),
    ]


def _add_action_source(graph: TripleSet, record: ActionRecord) -> str:
    node = source_iri(record.file, record.title.line)
    pairs = _source_pairs(graph, record.file, record.title.line)
    pairs += [(_SOCX.layout, _literal(record.layout)), (_SOCX.titleLine, _line(record.title.line))]
    pairs += [(_SOCX.partnerLine, _line(partner.line)) for partner in record.partners]
    if record.types:
        pairs.append((_SOCX.assistanceTypeLine, _line(record.types.line)))
    pairs += [(_SOCX.descriptionLine, _line(part.line)) for part in record.description]
    if record.start:
        pairs.append((_SOCX.startLine, _line(record.start.line)))
    if record.end:
        pairs.append((_SOCX.endLine, _line(record.end.line)))
    if record.code:
        pairs.append((_SOCX.codeLine, _line(record.code.line)))
    graph.add_all(node, pairs)
    return node


def add_institution(graph: TripleSet, institution: ResolvedInstitution, countries: dict[str, str]) -> str:
    node = institution_iri(institution)
    name = institution.name
    graph.add(node, _RDF.type, _SOCX.PartnerInstitution)
    graph.add(node, _RDF.type, _ORG.Organization)
    graph.add(node, _SKOS.prefLabel, _text(name.name, name.name_language))
    graph.add(node, _RDFS.label, _text(name.name, name.name_language))
    for other in institution.names:
        if other.name != name.name:
            graph.add(node, _SKOS.altLabel, _text(other.name, other.name_language))
        if other.original_name:
            graph.add(node, _SOCX.originalName, _text(other.original_name, other.original_language))
        if other.acronym:
            graph.add(node, _SOCX.acronym, _literal(other.acronym))
    for variant in institution.variants:
        graph.add(node, _SKOS.hiddenLabel, _literal(variant))
    if institution.country:
        graph.add(node, _SOCX.country, countries[institution.country])
    return node


# the property each kind of fact is stated with
FACT_PROPERTIES = {
    "expert_country": _SOCX.expertCountry,
    "study_visit_country": _SOCX.studyVisitCountry,
    "partner_country": _SOCX.partnerCountry,
    "organisation": _SOCX.cooperatingOrganisation,
    "programme": _SOCX.cooperatingProgramme,
    "action_code": _SOCX.actionCode,
    "action_year": _SOCX.actionYear,
    "related_action": _SOCX.relatedActionCode,
    "theme": _SOCX.theme,
    # stated by the page: have evidence nodes only where a correction states them
    "partner_institution": _SOCX.partnerInstitution,
    "assistance_type": _SOCX.assistanceType,
}
RELATION_PROPERTIES = {
    "follow-up": _SOCX.followUpOf,
    "builds-on": _SOCX.buildsOn,
    "parallel-to": _SOCX.parallelTo,
    "related": _SOCX.relatedAction,
}


def _add_evidence(graph: TripleSet, action: str, fact: Fact, obj: str) -> None:
    """A qualified statement: which sentence, line, span and rule a fact comes from; or, for a fact a
    correction states, who stated it, when and why, and the line of the corrections file."""
    prop = FACT_PROPERTIES[fact.kind]
    node = evidence_iri(action, fact.kind.replace("_", "-"), fact.value)
    graph.add_all(action, ((prop, obj), (_SOCX.evidence, node)))
    if fact.curation is not None:
        person = person_iri(fact.curation.by)
        graph.add_all(
            node,
            (
                (_RDF.type, _SOCX.Evidence),
                (_RDF.type, _SOCX.Curation),
                (_RDF.subject, action),
                (_RDF.predicate, prop),
                (_RDF.object, obj),
                (_SOCX.rule, _literal(fact.rule)),
                (_SOCX.reason, _literal(fact.curation.reason)),
                (_PROV.wasAttributedTo, person),
                (_DCTERMS.date, _literal(fact.curation.date, datatype=_DATE)),
                (_SOCX.sourceFile, _literal(fact.file)),
                (_SOCX.line, _line(fact.line)),
                *(((_SOCX.detail, _literal(fact.detail)),) if fact.detail else ()),
            ),
        )
        if not graph.objects_of(person, _RDFS.label):  # one name per person: the first met
            graph.add_all(
                person,
                ((_RDF.type, _PROV.Person), (_RDF.type, _PROV.Agent), (_RDFS.label, _literal(fact.curation.by))),
            )
        return
    graph.add_all(
        node,
        (
            (_RDF.type, _SOCX.Evidence),
            (_RDF.subject, action),
            (_RDF.predicate, prop),
            (_RDF.object, obj),
            (_SOCX.rule, _literal(fact.rule)),
            (_SOCX.sentence, _text(fact.sentence)),
            (_SOCX.sourceFile, _literal(fact.file)),
            (_SOCX.line, _line(fact.line)),
            (_SOCX.charStart, _line(fact.start)),
            (_SOCX.charEnd, _line(fact.end)),
            (_DCTERMS.source, document_iri(fact.file)),
            *(((_SOCX.detail, _literal(fact.detail)),) if fact.detail else ()),
        ),
    )


def add_action(
    graph: TripleSet,
    action: Action,
    institutions: list[ResolvedInstitution],
    extraction: Extraction,
    countries: dict[str, str],
    codes: dict[str, str],
    institution_iris: dict[int, str] | None = None,
) -> str:
    node = action_iri(action)
    facts = extraction.facts[action.key]
    graph.add(node, _RDF.type, _SOCX.Action)
    graph.add(node, _DCTERMS.title, _text(action.title))
    graph.add(node, _RDFS.label, _text(action.title))
    if action.description:
        graph.add(node, _DCTERMS.description, _text(action.description))
    for institution, name, curated in partner_links(action, institutions, facts, extraction):
        known = institution_iris.get(id(institution)) if institution_iris is not None else None
        target = known or institution_iri(institution)
        if curated is not None:
            _add_evidence(graph, node, curated, target)
        graph.add(node, _SOCX.partnerInstitution, target)
        graph.add(node, _SOCX.partnerInstitutionName, _text(name.name, name.name_language))
        if name.acronym:
            graph.add(node, _SOCX.partnerInstitutionAcronym, _literal(name.acronym))
    for concept in action.types.concepts:
        if ("assistance_type", concept) not in facts.withdrawn:
            graph.add(node, _SOCX.assistanceType, terms.iri(concept))
    for fact in facts.curated:
        if fact.kind == "assistance_type":
            _add_evidence(graph, node, fact, terms.iri(fact.value))
    for unknown in action.types.unknown:
        graph.add(node, _SOCX.assistanceTypeText, _literal(unknown))
    if action.start:
        graph.add(node, _SOCX.startActivities, _literal(action.start))
    if action.end:
        graph.add(node, _SOCX.endActivities, _literal(action.end))
    for prop, written in ((_SOCX.startDate, action.start_date), (_SOCX.endDate, action.end_date)):
        if written is not None and written.date is not None:
            graph.add(node, prop, _literal(written.date.isoformat(), datatype=_DATE))
    for record in action.records:
        graph.add(node, _PROV.wasDerivedFrom, _add_action_source(graph, record))
    for fact in facts.expert_countries + facts.study_visit_countries:
        _add_evidence(graph, node, fact, countries[fact.value])
    if facts.partner_country:
        _add_evidence(graph, node, facts.partner_country, countries[facts.partner_country.value])
    for fact in facts.organisations:
        _add_evidence(graph, node, fact, organisation_iri(fact.value))
    for fact in facts.programmes:
        _add_evidence(graph, node, fact, programme_iri(fact.value))
    for fact in facts.themes:
        _add_evidence(graph, node, fact, terms.iri(fact.value))
    for fact in ([facts.action_code] if facts.action_code else []) + facts.other_codes:
        _add_evidence(graph, node, fact, _literal(fact.value))
    if facts.action_year:
        _add_evidence(graph, node, facts.action_year, _literal(facts.action_year.value, datatype=_GYEAR))
    for fact in facts.related_actions:
        _add_evidence(graph, node, fact, _literal(fact.value))
        related = codes.get(fact.value)
        if related is not None and related != node:
            graph.add(node, RELATION_PROPERTIES.get(fact.detail, _SOCX.relatedAction), related)
    return node


def partner_links(
    action: Action, institutions: list[ResolvedInstitution], facts: ActionFacts, extraction: Extraction
) -> list[tuple[ResolvedInstitution, PartnerName, Fact | None]]:
    """The partner institutions of an action, each with the name the action gives it and, for one a
    correction adds, that correction: those of its partner lines (but those a correction removes)
    and those corrections add."""
    links: list[tuple[ResolvedInstitution, PartnerName, Fact | None]] = [
        (institution, mention.name, None)
        for institution, mention in zip(institutions, action.partners, strict=True)
        if ("partner_institution", institution.key) not in facts.withdrawn
    ]
    added = [fact for fact in facts.curated if fact.kind == "partner_institution"]
    if added:
        every = {i.key: i for found in extraction.institutions.values() for i in found}
        links += [(every[fact.value], every[fact.value].name, fact) for fact in added]
    return links


def add_news(graph: TripleSet, item: NewsItem, countries: dict[str, str], named: list[str]) -> str:
    node = news_iri(item)
    graph.add(node, _RDF.type, _SOCX.NewsItem)
    graph.add(node, _DCTERMS.title, _text(item.title))
    graph.add(node, _RDFS.label, _text(item.title))
    for alpha3 in named:
        graph.add(node, _SOCX.mentionsCountry, countries[alpha3])
    for record in item.records:
        graph.add(node, _SOCX.newsKind, _literal(record.kind))
        graph.add(node, _PROV.wasDerivedFrom, _add_news_source(graph, record))
    return node


def _add_news_source(graph: TripleSet, record: NewsRecord) -> str:
    node = source_iri(record.title.file, record.title.line)
    graph.add_all(node, _source_pairs(graph, record.title.file, record.title.line))
    return node


@cache
def reference_triples(file_name: str) -> tuple[tuple[str, str, str], ...]:
    """The triples of a Turtle file of ``ontology/`` as term text, parsed once per process."""
    from pyoxigraph import RdfFormat, parse

    path = ontology_dir() / file_name
    return tuple(
        (str(t.subject), str(t.predicate), str(t.object)) for t in parse(path=str(path), format=RdfFormat.TURTLE)
    )


def _add_countries(graph: TripleSet, used: set[str]) -> dict[str, str]:
    """The reference data of every country the graph uses, from ontology/countries.ttl."""
    by_subject: dict[str, list[tuple[str, str, str]]] = {}
    nodes = {}
    for triple in reference_triples("countries.ttl"):
        by_subject.setdefault(triple[0], []).append(triple)
        if triple[1] == _SOCX.isoAlpha3:
            nodes[terms.lexical(triple[2])] = triple[0]
    for alpha3, node in nodes.items():
        if alpha3 in used:
            for triple in by_subject[node]:
                graph.add(*triple)
    return nodes


def _add_organisations(graph: TripleSet, names: set[str]) -> None:
    from graph.extract.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    for name in sorted(names):
        node = organisation_iri(name)
        graph.add(node, _RDF.type, _SOCX.CooperatingOrganisation)
        graph.add(node, _RDF.type, _ORG.Organization)
        graph.add(node, _SKOS.prefLabel, _literal(name))
        graph.add(node, _RDFS.label, _literal(name))
        for variant in gazetteer.organisations.get(name, ()):
            if variant != name:
                graph.add(node, _SKOS.altLabel, _literal(variant))


def programme_labels(spellings: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Each programme's node: its prefLabel (a known programme's known name; else the spelling the
    texts use most, of equals the first in code-point order) and its other spellings, from every
    spelling met (with repeats)."""
    from graph.extract.facts import known_programme

    counts: dict[str, dict[str, int]] = {}
    for name in spellings:
        found = counts.setdefault(programme_iri(name), {})
        found[name] = found.get(name, 0) + 1
    labels = {}
    for node, found in counts.items():
        ranked = sorted(found, key=lambda n: (-found[n], n))
        known = next((k for n in ranked if (k := known_programme(n)) is not None), None)
        if known is not None:
            ranked = [known, *(n for n in ranked if n != known)]
        labels[node] = (ranked[0], ranked[1:])
    return labels


def _add_programmes(graph: TripleSet, spellings: list[str]) -> None:
    for node, (pref, others) in sorted(programme_labels(spellings).items()):
        graph.add(node, _RDF.type, _SOCX.Programme)
        graph.add(node, _SKOS.prefLabel, _literal(pref))
        graph.add(node, _RDFS.label, _literal(pref))
        for other in others:
            graph.add(node, _SKOS.altLabel, _literal(other))


def build_graph(merged: Merged, extraction: Extraction) -> TripleSet:
    """The RDF graph of merged actions, institutions and news, with the reference data they use."""
    graph = new_graph()
    for file_name in ("assistance-types.ttl", "themes.ttl"):
        for triple in reference_triples(file_name):
            graph.add(*triple)
    facts = extraction.facts.values()
    used = {f.value for fs in facts for f in fs.expert_countries + fs.study_visit_countries}
    used |= {fs.partner_country.value for fs in facts if fs.partner_country}
    used |= {i.country for insts in extraction.institutions.values() for i in insts if i.country}
    used |= {c for named in extraction.news_countries.values() for c in named}
    countries = _add_countries(graph, used)
    _add_organisations(graph, {f.value for fs in facts for f in fs.organisations})
    _add_programmes(graph, [f.value for fs in facts for f in fs.programmes])
    codes: dict[str, str] = {}  # action code → the IRI of the action it is the own code of
    for action in merged.actions:
        found = extraction.facts[action.key]
        for own in ([found.action_code] if found.action_code else []) + found.other_codes:
            codes.setdefault(own.value, action_iri(action))
    iris: dict[int, str] = {}  # each institution's IRI, by id (working out its name takes a while)
    for action in merged.actions:
        stated = extraction.facts[action.key]
        for institution, _, _ in partner_links(action, extraction.institutions[action.key], stated, extraction):
            if id(institution) not in iris:
                iris[id(institution)] = add_institution(graph, institution, countries)
    for action in merged.actions:
        add_action(graph, action, extraction.institutions[action.key], extraction, countries, codes, iris)
    for item in merged.news:
        add_news(graph, item, countries, extraction.news_countries.get(item.key, []))
    _LITERALS.clear()  # the graph holds the literals; the index of them is no longer needed
    _NUMBERS.clear()
    return graph
