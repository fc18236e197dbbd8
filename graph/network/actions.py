"""What a network page says about the actions behind its nodes and links: each action's facts with
the sentence (or page line), file and line they were read from, and the facet values the page
filters on (theme, type of assistance, partner region, expert side, countries involved, year).

A page embeds these for every action behind what it shows, so the side panel and the filters work
from disk with no server.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graph.fields import BY_PROPERTY
from graph.namespaces import SOCX
from graph.network.source import TRUE, Source, iri, sorted_by_iri, source, term
from graph.rdf.triples import TripleSet

# the facts listed for an action, in this order, with the words the panel uses for them
FACTS = (
    (term(SOCX.partnerInstitution), "partner institution"),
    (term(SOCX.partnerCountry), "partner country"),
    (term(SOCX.expertCountry), "expert country"),
    (term(SOCX.studyVisitCountry), "study visit"),
    (term(SOCX.assistanceType), "type of assistance"),
    (term(SOCX.theme), "theme"),
    (term(SOCX.cooperatingOrganisation), "cooperating organisation"),
    (term(SOCX.cooperatingProgramme), "cooperating programme"),
    (term(SOCX.relatedActionCode), "related action"),
    (term(SOCX.actionYear), "year"),
)
# the field a correction of each kind of fact names (graph/fields.py), by the panel's words
FIELD_OF_KIND = {kind: BY_PROPERTY[prop[len(term(SOCX)[:-1]) : -1]] for prop, kind in FACTS}
EU_SIDE, NON_EU_SIDE = "EU member state", "not an EU member state"


@dataclass(frozen=True, order=True)
class Evidence:
    text: str  # the sentence, or for the partner and type lines the line's value
    where: str  # FILE:LINE


@dataclass(frozen=True)
class Fact:
    kind: str  # "expert country", "theme"...
    key: str  # the id of the node the fact is about: its IRI, "code:2020-01" for a code, "year:2020" for a year
    value: str  # its label
    evidence: tuple[Evidence, ...]
    shown: str = ""  # the value as the actions table shows it (a country's ISO alpha-3 code, a label)


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
    year: int = 0  # the action's year (socx:actionYear); 0 where it has none
    ref: str = ""  # how a correction names the action: its code, its title or its IRI (graph/curate/actions.py)

    def evidence_for(self, key: str) -> tuple[Evidence, ...]:
        """The evidence of the facts about the node ``key`` (empty when the action has none)."""
        return tuple(e for fact in self.facts if fact.key == key for e in fact.evidence)


_EVIDENCE, _SENTENCE, _FILE, _LINE = (term(p) for p in (SOCX.evidence, SOCX.sentence, SOCX.sourceFile, SOCX.line))
_PARTNER_LINE, _TYPE_LINE, _COUNTRY = (term(p) for p in (SOCX.partnerLine, SOCX.assistanceTypeLine, SOCX.country))
_INSTITUTION, _TYPE, _NAME = (
    term(p) for p in (SOCX.partnerInstitution, SOCX.assistanceType, SOCX.partnerInstitutionName)
)
_PARTNER, _EXPERT, _VISIT, _THEME = (
    term(p) for p in (SOCX.partnerCountry, SOCX.expertCountry, SOCX.studyVisitCountry, SOCX.theme)
)
_EU, _CONTINENT, _CODE = (term(p) for p in (SOCX.euMemberState, SOCX.continent, SOCX.actionCode))
_YEAR = term(SOCX.actionYear)
_PREDICATE_OF, _OBJECT_OF, _DERIVED, _LABEL = (
    term(p) for p in (RDF.predicate, RDF.object, PROV.wasDerivedFrom, RDFS.label)
)
_NAMES = tuple(term(p) for p in (SKOS.prefLabel, DCTERMS.title, RDFS.label))
_REASON, _BY, _DATE, _YEAR = (term(p) for p in (SOCX.reason, PROV.wasAttributedTo, DCTERMS.date, SOCX.actionYear))
_ALPHA3, _TITLE, _ACTION = term(SOCX.isoAlpha3), term(DCTERMS.title), term(SOCX.Action)
_TYPE_OF = term(RDF.type)


def _key(src: Source, node: str, prop: str | None = None) -> str:
    """The id of what a fact is about: a node's IRI, "code:..." for an action code (a literal),
    "year:..." for a year."""
    if node[0] == '"':
        return f"{'year' if prop == _YEAR else 'code'}:{src.text(node)}"
    return iri(node)


class _Labels(dict):
    """Labels of the nodes facts point to (countries, themes, institutions...), each read once."""

    def __init__(self, src: Source) -> None:
        super().__init__()
        self.src = src

    def __missing__(self, node: str) -> str:
        src = self.src
        if node[0] == '"':
            text = src.text(node)
        else:
            text = ""
            for prop in _NAMES:
                value = src.value(node, prop)
                if value is not None:
                    text = src.text(value)
                    break
            text = text or iri(node).rsplit("/", 1)[-1]
        self[node] = text
        return text


def action_facts(graph: TripleSet | Graph | Source, actions: Iterable[str]) -> dict[str, ActionFacts]:
    """The facts of each action (IRIs as strings), with their evidence, by IRI."""
    src = source(graph)
    text, objects, value = src.text, src.objects, src.value
    labels = _Labels(src)
    countries: dict[str, tuple[bool, str]] = {}  # country → (EU member state, continent)

    def country(node: str) -> tuple[bool, str]:
        found = countries.get(node)
        if found is None:
            continent = value(node, _CONTINENT)
            found = countries[node] = (value(node, _EU) == TRUE, text(continent) if continent else "")
        return found

    def where(file: str | None, line: str | None) -> str:
        return f"{text(file) if file else None}:{text(line) if line else None}"

    found = {}
    titles = _folded_titles(src)
    for name in sorted(set(actions)):
        action = term(name)
        evidence: dict[tuple[str | None, str], list[Evidence]] = {}
        curated: set[tuple[str | None, str]] = set()  # facts a correction states: no page line is their evidence
        for node in objects(action, _EVIDENCE):
            sentence = value(node, _SENTENCE)
            reason = value(node, _REASON) if sentence is None else None
            if sentence is not None or reason is not None:
                about = value(node, _OBJECT_OF)
                prop = value(node, _PREDICATE_OF)
                key = (prop, _key(src, about, prop) if about else "None")
                at = where(value(node, _FILE), value(node, _LINE))
                if reason is not None:
                    curated.add(key)
                    said = _curation(src, node, reason, labels)
                else:
                    said = " ".join(text(sentence).split()) if sentence is not None else ""
                evidence.setdefault(key, []).append(Evidence(said, at))
        records = sorted_by_iri(objects(action, _DERIVED))
        sources = sorted(text(label) if (label := value(r, _LABEL)) else "None" for r in records)
        institutions_of = sorted_by_iri(objects(action, _INSTITUTION))
        types_of = sorted_by_iri(objects(action, _TYPE))
        written = " / ".join(sorted({text(n) for n in objects(action, _NAME)}))
        for record in records:
            file = value(record, _FILE)
            for line in sorted(objects(record, _PARTNER_LINE), key=lambda n: int(text(n))):
                for institution in institutions_of:
                    if (_INSTITUTION, iri(institution)) not in curated:
                        evidence.setdefault((_INSTITUTION, iri(institution)), []).append(
                            Evidence(written, where(file, line))
                        )
            for line in objects(record, _TYPE_LINE):
                for concept in types_of:
                    if (_TYPE, iri(concept)) not in curated:
                        evidence.setdefault((_TYPE, iri(concept)), []).append(
                            Evidence(labels[concept], where(file, line))
                        )
        facts = []
        for prop, kind in FACTS:
            for node in sorted(objects(action, prop), key=lambda v: labels[v]):
                node_key = _key(src, node, prop)
                alpha3 = value(node, _ALPHA3) if node[0] == "<" else None
                facts.append(
                    Fact(
                        kind,
                        node_key,
                        labels[node],
                        tuple(sorted(set(evidence.get((prop, node_key), ())))),
                        text(alpha3) if alpha3 is not None else labels[node],
                    )
                )
        institutions = []
        involved = set()
        for institution in institutions_of:
            located = value(institution, _COUNTRY)
            label = labels[institution]
            institutions.append(f"{label} ({labels[located]})" if located is not None else label)
            if located is not None:
                involved.add(iri(located))
        partner = value(action, _PARTNER)
        sides = {EU_SIDE if country(c)[0] else NON_EU_SIDE for c in objects(action, _EXPERT)}
        for prop in (_PARTNER, _EXPERT, _VISIT):
            involved.update(iri(c) for c in objects(action, prop))
        code = min((text(c) for c in objects(action, _CODE)), default="")  # as the actions table gives it
        year = value(action, _YEAR)
        title = value(action, _TITLE)
        found[name] = ActionFacts(
            iri=name,
            title=labels[action],
            code=code,
            sources=sources,
            institutions=institutions,
            facts=facts,
            themes=sorted(iri(t) for t in objects(action, _THEME)),
            types=[iri(t) for t in types_of],
            region=country(partner)[1] if partner is not None else "",
            sides=sorted(sides),
            countries=sorted(involved),
            country_names={c: labels[term(c)] for c in sorted(involved)},
            year=int(text(year)) if year is not None else 0,
            ref=_ref(src, name, code, title, titles),
        )
    return found


def _curation(src: Source, node: str, reason: str, labels: _Labels) -> str:
    """What the panel says of a fact a correction states: who, when and why."""
    person, when = src.value(node, _BY), src.value(node, _DATE)
    by = labels[person] if person is not None else "?"
    return f"Corrected by {by} on {src.text(when) if when else '?'}: {' '.join(src.text(reason).split())}"


def _folded_titles(src: Source) -> dict[str, int]:
    """How many actions have each title, once case, spacing and apostrophes are folded."""
    from graph.read.merge import normalise

    found: dict[str, int] = {}
    for subject, title in src.triples.pairs(_TITLE):
        if _ACTION in src.objects(subject, _TYPE_OF):
            key = normalise(" ".join(src.text(title).split()))
            found[key] = found.get(key, 0) + 1
    return found


def _ref(src: Source, action: str, code: str | None, title: str | None, titles: dict[str, int]) -> str:
    """How a correction best names an action (as ``socieux-kg correct`` writes it): its code where
    no other action has it, else its title where no other action has it, else its IRI."""
    from graph.read.merge import normalise

    if code is not None and sum(1 for n in src.subjects(_CODE, code) if _ACTION in src.objects(n, _TYPE_OF)) == 1:
        return src.text(code)
    if title is not None:
        named = " ".join(src.text(title).split())
        if titles.get(normalise(named), 0) == 1:
            return named
    return action
