"""From the findings in an action's texts to the facts of the action, each with its evidence.

Per action: expert countries, study-visit countries, the partner country (decided by weighing
the evidence; contradictions are reported), its own code, references to other actions and
cooperating organisations. Which partner institutions are one is decided in
:mod:`graph.extract.institutions`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace

from graph.extract.findings import Finding
from graph.extract.gazetteer import load_gazetteer
from graph.extract.rules.vocabulary import roles
from graph.extract.themes import decide_themes
from graph.read.merge import Action, normalise
from graph.read.records import ActionRecord, Anomaly, Field

FIELD_ORDER = {"title": 0, "partner": 1, "description": 2}


@dataclass(frozen=True)
class Curation:
    """Who stated a fact by hand, when and why (a line of a corrections file: the fact's file and line)."""

    reason: str
    by: str
    date: str  # ISO date


@dataclass(frozen=True)
class Fact:
    """An extracted fact and the evidence for it: the sentence, the line and the span in the line;
    or a fact a correction states (``curation``; file and line are the correction's)."""

    kind: str
    value: str
    rule: str
    file: str
    line: int
    start: int
    end: int
    sentence: str
    detail: str = ""
    curation: Curation | None = None

    @classmethod
    def of(cls, finding: Finding, where: Field, rule: str | None = None) -> Fact:
        return cls(
            finding.kind,
            finding.value,
            rule or finding.rule,
            where.file,
            where.line,
            finding.start,
            finding.end,
            finding.sentence,
            finding.detail,
        )


@dataclass
class ActionFacts:
    expert_countries: list[Fact] = field(default_factory=list)
    study_visit_countries: list[Fact] = field(default_factory=list)
    partner_country: Fact | None = None
    action_code: Fact | None = None
    related_actions: list[Fact] = field(default_factory=list)
    organisations: list[Fact] = field(default_factory=list)
    programmes: list[Fact] = field(default_factory=list)
    themes: list[Fact] = field(default_factory=list)
    mentions: list[Fact] = field(default_factory=list)
    other_codes: list[Fact] = field(default_factory=list)  # own codes the text gives besides the page's Code
    dating: list[Fact] = field(default_factory=list)  # years sentences date the action by
    action_year: Fact | None = None  # the year and its basis (graph/extract/years.py)
    # what corrections change in the facts the page states (types of assistance, partner
    # institutions); see graph/curate/apply.py
    curated: list[Fact] = field(default_factory=list)  # types, partner institutions a correction adds
    withdrawn: set[tuple[str, str]] = field(default_factory=set)  # (kind, value) a correction removes


def evidence_record(action: Action) -> ActionRecord:
    """The record whose text the facts are read from: the one with the fullest description."""
    return max(action.records, key=lambda r: (len(r.description_text), -action.records.index(r)))


def record_texts(record: ActionRecord) -> list[tuple[str, Field]]:
    """The fields of a record the extraction reads, with their names."""
    texts = [("title", record.title)] + [("partner", p) for p in record.partners]
    return texts + [("description", d) for d in record.description]


def action_texts(action: Action) -> list[tuple[str, Field]]:
    """The fields the facts of an action are read from: those of its evidence record."""
    return record_texts(evidence_record(action))


def _first_per_value(facts: list[Fact]) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for fact in facts:
        seen.setdefault(fact.value, fact)
    return sorted(seen.values(), key=lambda f: f.value)


def _strongest_per_value(found: list[tuple[Fact, float]]) -> list[tuple[Fact, float]]:
    """Per value, the first of its facts with the highest weight."""
    best: dict[str, tuple[Fact, float]] = {}
    for fact, weight in found:
        if fact.value not in best or weight > best[fact.value][1]:
            best[fact.value] = (fact, weight)
    return sorted(best.values(), key=lambda item: item[0].value)


def programme_key(name: str) -> str:
    """What identifies a programme whatever its spelling: case, accents, punctuation and spacing
    folded ("Skills for Jobs", "SKILLS for JOBS" and "Skills-for-Jobs"; "EUROsociAL" and "EUROsociAL+")."""
    from graph.extract.rules.programmes import programme_words

    name = programme_words().known.get(name.casefold(), name)  # a known programme's names are one
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def known_programme(name: str) -> str | None:
    """The name a known programme is shown by ("YouMatch" for "YouMatch Global Initiative"), or None."""
    from graph.extract.rules.programmes import programme_words

    return programme_words().known.get(name.casefold())


def _without_noun(name: str) -> str:
    """A programme's name without the programme noun the text attached to it ("Forsa initiative")."""
    from graph.extract.rules.programmes import programme_words

    head, _, last = name.rpartition(" ")
    return head if head and last.casefold() in programme_words().nouns else name


def _said_by_the_facility(sentence: str) -> bool:
    """Whether a sentence says the facility sent the people it names ("mobilised by SOCIEUX+")."""
    lowered = sentence.lower()
    return any(re.search(rf"(?<![\w+]){re.escape(cue)}(?![\w+])", lowered) for cue in roles().facility_cues)


def decide(
    found: list[tuple[str, Field, Finding]], title: Field, partner_names: tuple[str, ...] = ()
) -> tuple[ActionFacts, list[Anomaly]]:
    """Turn the findings of one action's texts into its facts; return them and the anomalies seen
    (contradictions about the partner country at the ``title`` line, misspelt country names).
    ``partner_names``: the partner institution's names and acronyms, whose own programmes ("Social
    Prosperity's programmes") are no cooperating programmes."""
    gazetteer = load_gazetteer()
    facts = ActionFacts()
    conflicts: list[str] = []
    anomalies: list[Anomaly] = []
    theme_cues: list[tuple[Finding, Field]] = []
    theme_sentences: list[tuple[Finding, Field]] = []
    experts: list[tuple[Fact, float]] = []
    # organisations named on the partner line are the partner itself (CIPRES, ECASSA...), not cooperating
    partner_orgs = {f.value for name, _, f in found if name == "partner" and f.kind == "organisation"}
    regional = any(
        name == "partner" and f.kind == "organisation" and _is_whole_name(where.value, f) for name, where, f in found
    ) and not any(
        name == "partner"
        and f.kind == "partner_country_candidate"
        and f.rule != "demonym-mention"
        and not _in_brackets(where.value, f.start)
        for name, where, f in found
    )
    for field_name, where, finding in found:
        if finding.kind == "organisation" and (
            finding.value in partner_orgs or (finding.rule == "organisation-defined" and finding.value in partner_names)
        ):
            continue  # a body the text defines by the partner's own acronym is the partner
        if (
            field_name == "partner"
            and finding.kind == "partner_country_candidate"
            and (regional or (finding.rule.startswith("demonym") and _in_brackets(where.value, finding.start)))
        ):
            continue  # "Viện Khoa Học Lao Động": a word of the original-language name, not a demonym
        if finding.kind == "expert_country":
            experts.append((Fact.of(finding, where), finding.weight))
        elif finding.kind == "study_visit_country":
            facts.study_visit_countries.append(Fact.of(finding, where))
        elif finding.kind == "action_code" and facts.action_code is None:
            facts.action_code = Fact.of(finding, where)
        elif finding.kind == "related_action":
            facts.related_actions.append(Fact.of(finding, where))
        elif finding.kind == "organisation":
            facts.organisations.append(Fact.of(finding, where))
        elif finding.kind == "programme" and field_name != "partner":
            facts.programmes.append(Fact.of(finding, where))
        elif finding.kind == "theme_cue":
            theme_cues.append((finding, where))
        elif finding.kind == "theme_model":
            theme_sentences.append((finding, where))
        elif finding.kind == "mention":
            facts.mentions.append(Fact.of(finding, where))
        elif finding.kind == "action_year":
            facts.dating.append(Fact.of(finding, where))
        elif finding.kind == "spelling":
            anomalies.append(Anomaly("country-spelling", where.file, where.line, finding.detail))
    experts = _strongest_per_value(experts)
    facts.expert_countries = [fact for fact, _ in experts]
    facts.study_visit_countries = _first_per_value(facts.study_visit_countries)
    own = facts.action_code.value if facts.action_code else None
    facts.related_actions = [f for f in _first_per_value(facts.related_actions) if f.value != own]
    facts.organisations = _first_per_value(facts.organisations)
    partner_keys = {normalise(n) for n in partner_names if n}
    by_key: dict[str, Fact] = {}  # one fact per programme, whatever its spelling in the action
    for fact in facts.programmes:
        by_key.setdefault(programme_key(fact.value), fact)
    programmes = [
        f
        for f in sorted(by_key.values(), key=lambda f: f.value)
        if not any(normalise(f.value) in name for name in partner_keys)
    ]
    # "the initiative Forsa" and "the Forsa initiative" in one action: one programme, by its bare
    # name; "School Feeding Programme" in the title and "the Zanzibar School Feeding Programme": the longer
    keys = {programme_key(f.value) for f in programmes}
    programmes = [
        f
        for f in programmes
        if not any(other != programme_key(f.value) and other.endswith(" " + programme_key(f.value)) for other in keys)
        or len(programme_key(f.value).split()) < 2
    ]
    bare = {programme_key(f.value) for f in programmes}
    facts.programmes = [
        f
        for f in programmes
        if programme_key(_without_noun(f.value)) == programme_key(f.value)
        or programme_key(_without_noun(f.value)) not in bare
    ]
    facts.themes = [
        Fact(
            "theme",
            theme.iri,
            theme.rule,
            theme.where.file,
            theme.where.line,
            theme.finding.start,
            theme.finding.end,
            theme.finding.sentence,
            theme.detail,
        )
        for theme in decide_themes(theme_cues, theme_sentences)
    ]

    # the partner country: weigh every candidate; a country with another role needs strong evidence
    # (people whose noun may name the partner's staff, "inspectors from Kenya", leave Kenya free)
    roles = {fact.value for fact, weight in experts if weight >= 1}
    roles |= {f.value for f in facts.study_visit_countries}
    scores: dict[str, float] = defaultdict(float)
    best_evidence: dict[str, tuple[float, int, Finding, Field, str]] = {}
    with_role: list[tuple[int, Finding, Field, str, float]] = []
    for order, (field_name, where, finding) in enumerate(found):
        if finding.kind != "partner_country_candidate":
            continue
        rule, weight = finding.rule, finding.weight
        if field_name == "partner":
            rule, weight = "partner-line", 5.0 if rule != "demonym-mention" else 4.0
        elif field_name == "title" and rule in ("country-after-preposition", "place-after-preposition"):
            rule, weight = "title-country", 3.0
        elif field_name == "title" and rule in ("country-mention", "place-mention") and weight < 3:
            rule, weight = "title-" + rule, weight + 1.0
        country = gazetteer.countries.get(finding.value)
        if country is None:
            continue
        if country.eu_member and weight < 5:
            continue  # partner countries of the facility lie outside the EU
        if finding.value in roles and weight < 4:
            with_role.append((order, finding, where, rule, weight))
            continue
        _weigh(scores, best_evidence, order, finding, where, rule, weight)
    if not scores:  # no other country at all: the one with another role that the text places the action in
        for order, finding, where, rule, weight in with_role:
            _weigh(scores, best_evidence, order, finding, where, rule, weight)
    for field_name, _where, finding in found:  # "in Santiago" supports Chile when the text names Chile
        if finding.kind == "shared_place" and not (field_name == "partner" and regional):
            for owner in finding.value.split("|"):
                if scores.get(owner, 0) > 0:
                    scores[owner] += finding.weight
    if scores and not regional:
        ranked = sorted(scores, key=lambda c: (-scores[c], -best_evidence[c][0], -best_evidence[c][1]))
        winner = ranked[0]
        _, _, finding, where, rule = best_evidence[winner]
        facts.partner_country = replace(Fact.of(finding, where, rule), kind="partner_country")
        for other in ranked[1:]:
            if best_evidence[other][0] >= 3:
                conflicts.append(
                    f"partner country: {winner} ({scores[winner]:g}, {best_evidence[winner][4]}) chosen over "
                    f"{other} ({scores[other]:g}, {best_evidence[other][4]}: {best_evidence[other][2].sentence[:80]!r})"
                )
    header = next((f for name, _, f in found if name == "header" and f.kind == "partner_country_candidate"), None)
    if header is not None and facts.partner_country is not None and facts.partner_country.value != header.value:
        conflicts.append(
            f"partner country: {facts.partner_country.value} from the text, though the country page's header "
            f"{header.sentence!r} names {header.value}"
        )
    if facts.partner_country is not None:
        # the partner's own people ("the Kenyan peers", "Specialists of Peru's Ministry", "the
        # Paraguayan team") are no experts, unless the sentence says the facility sent them
        partner = facts.partner_country.value
        for fact, weight in experts:
            if fact.value != partner:
                continue
            kept = weight >= 1 and _said_by_the_facility(fact.sentence)
            if not kept:
                facts.expert_countries.remove(fact)
            outcome = "kept: the sentence says the facility sent them" if kept else "dropped: the partner's own people"
            anomalies.append(
                Anomaly(
                    "expert-country-is-partner",
                    fact.file,
                    fact.line,
                    f"{partner} is the partner country and read as an expert country ({fact.rule}: "
                    f"{fact.sentence[:100]!r}); {outcome}",
                )
            )
    anomalies += [Anomaly("partner-country-conflict", title.file, title.line, c) for c in conflicts]
    return facts, anomalies


def _weigh(
    scores: dict[str, float],
    best_evidence: dict[str, tuple[float, int, Finding, Field, str]],
    order: int,
    finding: Finding,
    where: Field,
    rule: str,
    weight: float,
) -> None:
    """Count one piece of evidence of a partner country, keeping each country's strongest."""
    scores[finding.value] += weight
    key = (weight, -order)
    if finding.value not in best_evidence or key > best_evidence[finding.value][:2]:
        best_evidence[finding.value] = (weight, -order, finding, where, rule)


def _in_brackets(text: str, offset: int) -> bool:
    """Whether ``offset`` of a partner line falls in its bracketed original-language name."""
    opened = text.rfind("[", 0, offset)
    if opened == -1:
        return False
    closed = text.find("]", opened)
    return closed == -1 or closed > offset


def _is_whole_name(partner_line: str, finding: Finding) -> bool:
    """The organisation found on a partner line is the partner itself: its name or its acronym."""
    from graph.read.partner import parse_partner

    parsed = parse_partner(partner_line)
    span = partner_line[finding.start : finding.end]
    return normalise(span) in {normalise(parsed.name), normalise(parsed.acronym or "")}
