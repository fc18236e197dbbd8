"""The dataset's description of itself: DCAT-AP for the portals that harvest it (data.europa.eu and
the national portals), VoID for linked-data tools.

The fixed part (title, description, publisher, licence, theme) is ``ontology/dataset.ttl``; this
module adds what a build measures: a ``dcat:Distribution`` for each file of the output folder with
its media type and byte size, the SPARQL endpoint as a ``dcat:DataService``, the partner countries
as spatial coverage, the years of the actions as temporal coverage, the themes as keywords, and
the VoID statistics (triples, entities, classes, properties, a partition per class, example
resources). ``exports/dataset.ttl`` is written last, so that every size is that of the file as
written; the same bytes at every build.
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID, XSD

from graph.namespaces import SOCX
from graph.rdf import mapping, terms
from graph.rdf.triples import TripleSet
from graph.site.resources import TYPE, P, Resources
from graph.vocab import ontology_dir

DESCRIPTION_FILE = "dataset.ttl"
# the store is for queries, the description is this file, README.md says what the folder holds
NOT_DISTRIBUTED = ("store", DESCRIPTION_FILE, "README.md")
PREFIXES = {
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "void": str(VOID),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "wdrs": "http://www.w3.org/2007/05/powder-s#",
    "socx": str(SOCX),
    "rdf": str(RDF),
}
_CSVW = "http://www.w3.org/TR/tabular-metadata/"
_SPARQL = "https://www.w3.org/TR/sparql11-protocol/"


def _t(iri: object) -> str:
    return terms.iri(str(iri))


def _text(value: str) -> str:
    return terms.literal(value, language="en")


_A = TYPE
_DIST, _DATASET, _SERVICE = _t(DCAT.Distribution), _t(DCAT.Dataset), _t(DCAT.DataService)


@dataclass(frozen=True)
class FileKind:
    title: str
    media: str
    file_type: str


class Distributions:
    """``ontology/reference/distributions.toml``: what each file of a build is."""

    def __init__(self) -> None:
        data = tomllib.loads((ontology_dir() / "reference" / "distributions.toml").read_text(encoding="utf-8"))
        self.licence: str = data["licence"]
        self.paths: dict[str, str] = data["paths"]
        self.folders: dict[str, str] = data["folders"]
        self.suffixes: dict[str, dict[str, str]] = data["suffixes"]

    def kind(self, path: str) -> FileKind:
        folder = path.split("/", 1)[0] if "/" in path else ""
        title = self.paths.get(path) or self.folders.get(folder) or path
        matches = [s for s in self.suffixes if path.endswith(s)]
        suffix = max(matches, key=len) if matches else None
        found = self.suffixes[suffix] if suffix else {"media": "application/octet-stream", "format": "BIN"}
        return FileKind(title, found["media"], found["format"])


def distributed_files(folder: Path) -> dict[str, int]:
    """The files of an output folder a description lists (path → bytes), in path order: every file
    but the store, this description and hidden or temporary files."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if not path.is_file() or relative.split("/")[0] in NOT_DISTRIBUTED:
            continue
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        found[relative] = path.stat().st_size
    return dict(sorted(found.items()))


def describe_dataset(triples: TripleSet, files: dict[str, int]) -> TripleSet:
    """The DCAT-AP and VoID description of the graph ``triples`` published as ``files`` (path → bytes)."""
    from pyoxigraph import RdfFormat, parse

    out = TripleSet(PREFIXES.items())
    for t in parse(path=str(ontology_dir() / DESCRIPTION_FILE), format=RdfFormat.TURTLE):
        out.add(str(t.subject), str(t.predicate), str(t.object))
    dataset = mapping.dataset_iri()
    kinds = Distributions()
    licence = terms.iri(kinds.licence)
    dcat, dcterms, void = _Ns(DCAT), _Ns(DCTERMS), _Ns(VOID)
    for path, size in files.items():
        kind = kinds.kind(path)
        node, url = mapping.distribution_iri(path), mapping.download_iri(path)
        media, file_type = mapping.media_type_iri(kind.media), mapping.file_type_iri(kind.file_type)
        out.add(dataset, dcat.distribution, node)
        out.add_all(
            node,
            (
                (_A, _DIST),
                (dcterms.title, _text(path)),
                (dcterms.description, _text(kind.title)),
                (dcat.accessURL, url),
                (dcat.downloadURL, url),
                (dcat.mediaType, media),
                (dcterms["format"], file_type),
                (dcat.byteSize, terms.literal(str(size), datatype=str(XSD.nonNegativeInteger))),
                (dcterms.license, licence),
            ),
        )
        out.add(media, _A, _t(DCTERMS.MediaType))
        out.add(file_type, _A, _t(DCTERMS.MediaTypeOrExtent))
        if path.endswith(".csv") and f"{path}-metadata.json" in files:
            out.add(
                node,
                _t("http://www.w3.org/2007/05/powder-s#describedby"),
                mapping.distribution_iri(f"{path}-metadata.json"),
            )
        if path.endswith("-metadata.json"):
            out.add(node, dcterms.conformsTo, terms.iri(_CSVW))
            out.add(terms.iri(_CSVW), _A, _t(DCTERMS.Standard))
    for name in ("socieux.nt", "socieux.ttl", "socieux.jsonld"):
        if name in files:
            out.add(dataset, void.dataDump, mapping.download_iri(name))
    _add_service(out, dataset, licence)
    _add_coverage(out, dataset, Resources(triples))
    _add_statistics(out, dataset, triples)
    return out


class _Ns:
    """A vocabulary's terms as term text: ``_Ns(DCAT).distribution``."""

    def __init__(self, namespace: object) -> None:
        self.base = str(namespace)

    def __getattr__(self, name: str) -> str:
        return terms.iri(self.base + name)

    def __getitem__(self, name: str) -> str:
        return terms.iri(self.base + name)


def _add_service(out: TripleSet, dataset: str, licence: str) -> None:
    dcat, dcterms = _Ns(DCAT), _Ns(DCTERMS)
    service, endpoint = mapping.data_service_iri(), mapping.endpoint_iri()
    out.add_all(
        service,
        (
            (_A, _SERVICE),
            (dcterms.title, _text("SPARQL endpoint of the graph (read-only, SPARQL 1.1 Protocol)")),
            (dcat.endpointURL, endpoint),
            (dcat.servesDataset, dataset),
            (dcterms.conformsTo, terms.iri(_SPARQL)),
            (dcterms.license, licence),
        ),
    )
    out.add(terms.iri(_SPARQL), _A, _t(DCTERMS.Standard))
    out.add(dataset, _t(VOID.sparqlEndpoint), endpoint)
    node = mapping.distribution_iri("sparql")
    out.add(dataset, dcat.distribution, node)
    out.add_all(
        node,
        (
            (_A, _DIST),
            (dcterms.title, _text("SPARQL endpoint")),
            (dcterms.description, _text("The graph through its SPARQL endpoint")),
            (dcat.accessURL, endpoint),
            (dcat.accessService, service),
            (dcterms.license, licence),
        ),
    )


def _add_coverage(out: TripleSet, dataset: str, resources: Resources) -> None:
    """Where (the partner countries), when (the years of the actions) and what (the themes)."""
    dcterms, dcat = _Ns(DCTERMS), _Ns(DCAT)
    partners = {c for _, c in resources.triples.pairs(P["partnerCountry"])}
    for country in sorted(partners):
        out.add(dataset, dcterms.spatial, country)
        out.add(country, _A, _t(DCTERMS.Location))
    years = _years(resources)
    if years:
        period = mapping.period_iri(years[0], years[-1])
        gyear = str(XSD.gYear)
        out.add(dataset, dcterms.temporal, period)
        out.add_all(
            period,
            (
                (_A, _t(DCTERMS.PeriodOfTime)),
                (dcat.startDate, terms.literal(years[0], datatype=gyear)),
                (dcat.endDate, terms.literal(years[-1], datatype=gyear)),
            ),
        )
    themes = {t for _, t in resources.triples.pairs(P["theme"])}
    for label in sorted({resources.label(t) for t in themes}):
        out.add(dataset, dcat.keyword, _text(label))


def _years(resources: Resources) -> list[str]:
    found: set[str] = set()
    for prop in ("actionYear", "startDate", "endDate"):
        for _, value in resources.triples.pairs(P[prop]):
            year = resources.text(value)[:4]
            if year.isdigit():
                found.add(year)
    return sorted(found)


def _add_statistics(out: TripleSet, dataset: str, triples: TripleSet) -> None:
    """VoID: triples, entities, classes, properties, distinct subjects and objects, a partition per
    class, example resources."""
    void = _Ns(VOID)
    index = triples.subject_index()
    predicates: set[str] = set()
    objects: set[str] = set()
    for by_predicate in index.values():
        predicates.update(by_predicate)
        for values in by_predicate.values():
            objects.update(values)
    classes: dict[str, int] = {}
    first: dict[str, str] = {}  # the class's first member, by IRI: its example resource
    for subject, cls in triples.pairs(TYPE):
        classes[cls] = classes.get(cls, 0) + 1
        if cls not in first or subject < first[cls]:
            first[cls] = subject
    integer = str(XSD.integer)

    def number(value: int) -> str:
        return terms.literal(str(value), datatype=integer)

    out.add_all(
        dataset,
        (
            (void.triples, number(len(triples))),
            (void.entities, number(sum(1 for s in index if s[0] == "<"))),
            (void.classes, number(len(classes))),
            (void.properties, number(len(predicates))),
            (void.distinctSubjects, number(len(index))),
            (void.distinctObjects, number(len(objects))),
        ),
    )
    for cls, count in sorted(classes.items()):
        partition = mapping.class_partition_iri(terms.iri_value(cls))
        out.add(dataset, void.classPartition, partition)
        out.add_all(partition, ((void["class"], cls), (void.entities, number(count))))
    for cls in (SOCX.Action, SOCX.PartnerInstitution, SOCX.Country):
        if _t(cls) in first:
            out.add(dataset, void.exampleResource, first[_t(cls)])


def turtle(description: TripleSet) -> bytes:
    """The description in Turtle, as the build writes it (sorted, the same bytes at every build)."""
    from pyoxigraph import RdfFormat, parse, serialize

    from graph.rdf.serialise import ntriples

    buffer = io.BytesIO()
    parsed = parse(ntriples(description).encode("utf-8"), format=RdfFormat.N_TRIPLES)
    serialize(parsed, buffer, RdfFormat.TURTLE, prefixes=PREFIXES)
    return buffer.getvalue()


def write_description(triples: TripleSet, folder: Path) -> Path:
    """Describe the files of the output folder ``folder`` in ``folder/dataset.ttl`` (written last)."""
    from graph import files

    target = folder / DESCRIPTION_FILE
    files.write_atomic(target, turtle(describe_dataset(triples, distributed_files(folder))))
    return target


# ---------------------------------------------------------------------------- reading it back


@dataclass
class Download:
    path: str
    title: str
    media: str
    size: int


@dataclass
class DatasetInfo:
    """What the site's home page says of the dataset, read from its description."""

    title: str
    description: str
    licence: str
    licence_title: str
    publisher: str
    temporal: str
    downloads: list[Download]
    turtle: bytes  # the description as published


def read_description(data: bytes) -> DatasetInfo:
    from pyoxigraph import RdfFormat, parse

    graph = TripleSet()
    for t in parse(data, format=RdfFormat.TURTLE):
        graph.add(str(t.subject), str(t.predicate), str(t.object))
    dcterms, dcat, foaf = _Ns(DCTERMS), _Ns(DCAT), _Ns(FOAF)
    dataset = mapping.dataset_iri()

    def one(subject: str | None, predicate: str) -> str:
        for value in graph.objects_of(subject, predicate) if subject else ():
            return value
        return ""

    def text(term: str) -> str:
        return terms.lexical(term) if term else ""

    downloads = []
    licence = ""
    for node in graph.objects_of(dataset, dcat.distribution):
        url = one(node, dcat.downloadURL)
        if not url:
            continue
        licence = licence or one(node, dcterms.license)
        media = text(one(node, dcat.mediaType)).rsplit("media-types/", 1)[-1]
        size = text(one(node, dcat.byteSize))
        downloads.append(
            Download(text(one(node, dcterms.title)), text(one(node, dcterms.description)), media, int(size or 0))
        )
    downloads.sort(key=lambda d: d.path)
    period = one(dataset, dcterms.temporal)
    temporal = ""
    if period:
        temporal = f"{text(one(period, dcat.startDate))} to {text(one(period, dcat.endDate))}"
    return DatasetInfo(
        title=text(one(dataset, dcterms.title)),
        description=text(one(dataset, dcterms.description)),
        licence=text(licence),
        licence_title=text(one(licence, dcterms.title)) if licence else "",
        publisher=text(one(one(dataset, dcterms.publisher), foaf.name)),
        temporal=temporal,
        downloads=downloads,
        turtle=data,
    )


def describe_graph(triples: TripleSet) -> DatasetInfo:
    """The description of a graph that is not a build's (no files beside it to list)."""
    return read_description(turtle(describe_dataset(triples, {})))
