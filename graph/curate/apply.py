"""Applying corrections to the facts of a build, after extraction and before the graph is mapped,
so that every output (graph, tables, pages, statistics) sees them.

Each correction names its action by code (the action's own code, as the ``actions`` table shows
it), IRI or exact title. A correction the extraction already agrees with (adding what is found,
removing what is not, setting what is there) is reported as redundant and changes nothing; two
corrections that decide the same fact differently are an error. A fact a correction removes leaves
the graph and is listed, with its evidence, who removed it and why, in the build report. A fact a
correction adds or sets carries the correction as its evidence (:class:`graph.extract.facts.Curation`).

Partner countries are corrected first: an institution's country follows its actions' (institutions
are merged by name and country), so the institutions are resolved again when one changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.curate.actions import build_index, contradictions
from graph.curate.corrections import Checked, Correction
from graph.curate.values import Value, fold
from graph.extract.facts import ActionFacts, Curation, Fact
from graph.extract.institutions import ResolvedInstitution, resolve_institutions
from graph.fields import FIELDS
from graph.read.merge import Action
from graph.read.records import Anomaly
from graph.words import counted

# the facts of ActionFacts that are lists, by field
LIST_FIELDS = {
    "expert_countries": "expert_countries",
    "study_visit_countries": "study_visit_countries",
    "themes": "themes",
    "organisations": "organisations",
    "programmes": "programmes",
    "related_action_codes": "related_actions",
}


@dataclass(frozen=True)
class Outcome:
    """What became of one correction."""

    correction: Correction
    action: str  # the action's title
    value: str  # as the actions table shows it
    applied: bool
    note: str  # what it did, or why it changed nothing


@dataclass(frozen=True)
class RemovedFact:
    """A fact a correction took out of the graph, with the evidence it had."""

    correction: Correction
    action: str  # the action's title
    field: str
    value: str  # as the actions table showed it
    evidence: tuple[str, ...]  # "rule: 'sentence' (FILE:LINE)" or the line it was read from


@dataclass
class CurationReport:
    files: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    removed: list[RemovedFact] = field(default_factory=list)

    @property
    def applied(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.applied]

    @property
    def redundant(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.applied]

    def summary(self) -> str:
        added = sum(1 for o in self.applied if o.correction.change != "remove")
        return (
            f"{counted(len(self.applied), 'correction')} applied "
            f"({counted(added, 'fact')} added or set, {len(self.removed)} removed), "
            f"{len(self.redundant)} redundant"
        )


# ---------------------------------------------------------------- applying


def _evidence(fact: Fact) -> str:
    if fact.curation is not None:
        return (
            f"curation by {fact.curation.by} on {fact.curation.date}: {fact.curation.reason} ({fact.file}:{fact.line})"
        )
    return f"{fact.rule}: {' '.join(fact.sentence.split())!r} ({fact.file}:{fact.line})"


def _curated(correction: Correction, kind: str, value: str, detail: str = "") -> Fact:
    return Fact(
        kind,
        value,
        "curation",
        correction.file,
        correction.line,
        0,
        0,
        "",
        detail,
        Curation(correction.reason, correction.by, correction.date),
    )


class _Applier:
    def __init__(
        self,
        actions: list[Action],
        facts: dict[str, ActionFacts],
        institutions: dict[str, list[ResolvedInstitution]],
    ) -> None:
        self.actions = actions
        self.facts = facts
        self.institutions = institutions
        self.report = CurationReport()
        self._named: dict[str, list[ResolvedInstitution]] | None = None

    def outcome(self, correction: Correction, action: Action, value: str, applied: bool, note: str) -> None:
        self.report.outcomes.append(Outcome(correction, action.title, value, applied, note))

    def removed(self, correction: Correction, action: Action, value: str, evidence: list[str]) -> None:
        self.report.removed.append(RemovedFact(correction, action.title, correction.field, value, tuple(evidence)))

    # -- facts the extraction holds as lists
    def list_field(self, correction: Correction, action: Action, value: Value) -> None:
        facts = self.facts[action.key]
        attribute = LIST_FIELDS[correction.field]
        current: list[Fact] = getattr(facts, attribute)
        here = [f for f in current if f.value == value.key]
        words = FIELDS[correction.field].words
        if correction.change == "add":
            if here:
                self.outcome(
                    correction, action, value.shown, False, f"the build already has this {words} ({_evidence(here[0])})"
                )
                return
            detail = "related" if correction.field == "related_action_codes" else ""
            fact = _curated(correction, FIELDS[correction.field].kind, value.key, detail)
            setattr(facts, attribute, sorted([*current, fact], key=lambda f: f.value))
            self.outcome(correction, action, value.shown, True, f"{words} added")
            return
        if not here:
            self.outcome(correction, action, value.shown, False, f"the build has no such {words}")
            return
        setattr(facts, attribute, [f for f in current if f.value != value.key])
        self.removed(correction, action, value.shown, [_evidence(f) for f in here])
        self.outcome(correction, action, value.shown, True, f"{words} removed")

    # -- the partner country
    def partner_country(self, correction: Correction, action: Action, value: Value) -> bool:
        facts = self.facts[action.key]
        current = facts.partner_country
        if correction.change == "set":
            if current is not None and current.value == value.key:
                self.outcome(
                    correction,
                    action,
                    value.shown,
                    False,
                    f"the build already has this partner country ({_evidence(current)})",
                )
                return False
            facts.partner_country = _curated(correction, "partner_country", value.key)
            if current is not None:
                self.removed(correction, action, current.value, [_evidence(current)])
            self.outcome(
                correction,
                action,
                value.shown,
                True,
                "partner country set" + (f" (was {current.value})" if current else ""),
            )
            return True
        if current is None or current.value != value.key:
            found = f"it is {current.value}" if current else "it has none"
            self.outcome(correction, action, value.shown, False, f"the build has no such partner country ({found})")
            return False
        facts.partner_country = None
        self.removed(correction, action, value.shown, [_evidence(current)])
        self.outcome(correction, action, value.shown, True, "partner country removed")
        return True

    # -- the year
    def year(self, correction: Correction, action: Action, value: Value) -> None:
        facts = self.facts[action.key]
        found = facts.action_year  # the year the extraction gave, with its basis (graph/extract/years.py)
        current = found.value if found is not None else None
        evidence = [_evidence(found)] if found is not None else []
        if correction.change == "set":
            if current == value.key:
                self.outcome(correction, action, value.shown, False, "the build already has this year")
                return
            facts.action_year = _curated(correction, "action_year", value.key)
            if current is not None:
                self.removed(correction, action, current, evidence)
            self.outcome(correction, action, value.shown, True, "year set" + (f" (was {current})" if current else ""))
            return
        if current != value.key:
            self.outcome(
                correction,
                action,
                value.shown,
                False,
                f"the build has no such year ({'it is ' + current if current else 'it has none'})",
            )
            return
        facts.action_year = None
        self.removed(correction, action, value.shown, evidence)
        self.outcome(correction, action, value.shown, True, "year removed")

    # -- types of assistance, as the page states them
    def assistance_type(self, correction: Correction, action: Action, value: Value) -> None:
        facts = self.facts[action.key]
        stated = value.key in action.types.concepts and ("assistance_type", value.key) not in facts.withdrawn
        curated = [f for f in facts.curated if f.kind == "assistance_type" and f.value == value.key]
        typed = next((r.types for r in action.records if r.types), None)
        line = f"type line ({typed.file}:{typed.line})" if typed else "the type line"
        if correction.change == "add":
            if stated or curated:
                how = line if stated else _evidence(curated[0])
                self.outcome(
                    correction, action, value.shown, False, f"the build already has this type of assistance ({how})"
                )
                return
            facts.curated.append(_curated(correction, "assistance_type", value.key))
            self.outcome(correction, action, value.shown, True, "type of assistance added")
            return
        if not stated and not curated:
            self.outcome(correction, action, value.shown, False, "the build has no such type of assistance")
            return
        if stated:
            facts.withdrawn.add(("assistance_type", value.key))
        facts.curated = [f for f in facts.curated if f not in curated]
        self.removed(correction, action, value.shown, [line] if stated else [_evidence(f) for f in curated])
        self.outcome(correction, action, value.shown, True, "type of assistance removed")

    # -- partner institutions
    def institution(self, correction: Correction, action: Action) -> None:
        facts = self.facts[action.key]
        mine = [
            (inst, mention.name.name)
            for inst, mention in zip(self.institutions[action.key], action.partners, strict=True)
            if ("partner_institution", inst.key) not in facts.withdrawn
        ]
        curated = [f for f in facts.curated if f.kind == "partner_institution"]
        institution = self._find_institution(correction, action, [i for i, _ in mine])
        shown = next((name for inst, name in mine if inst is institution), institution.name.name)
        stated = any(inst is institution for inst, _ in mine)
        added = [f for f in curated if f.value == institution.key]
        if correction.change == "add":
            if stated or added:
                self.outcome(correction, action, shown, False, "the build already has this partner institution")
                return
            facts.curated.append(_curated(correction, "partner_institution", institution.key))
            self.outcome(correction, action, shown, True, "partner institution added")
            return
        if not stated and not added:
            self.outcome(correction, action, shown, False, "the build has no such partner institution for this action")
            return
        if stated:
            facts.withdrawn.add(("partner_institution", institution.key))
            lines = [f"partner line ({p.file}:{p.line})" for r in action.records for p in r.partners]
            self.removed(correction, action, shown, lines[:1])
        else:
            facts.curated = [f for f in facts.curated if f not in added]
            self.removed(correction, action, shown, [_evidence(f) for f in added])
        self.outcome(correction, action, shown, True, "partner institution removed")

    def _find_institution(
        self, correction: Correction, action: Action, mine: list[ResolvedInstitution]
    ) -> ResolvedInstitution:
        from graph.rdf.mapping import institution_iri

        if self._named is None:  # every name, acronym, partner line and IRI of each institution, folded
            self._named = defaultdict(list)
            seen: set[str] = set()
            for found in self.institutions.values():
                for inst in found:
                    if inst.key in seen:
                        continue
                    seen.add(inst.key)
                    names = {institution_iri(inst)[1:-1], *inst.variants}
                    for name in inst.names:
                        names.update(n for n in (name.name, name.original_name, name.acronym) if n)
                    for folded in {fold(n) for n in names}:
                        self._named[folded].append(inst)
        matches = self._named.get(fold(correction.value.strip().strip("<>")), [])
        if not matches:
            raise correction.error(
                f"partner_institution: {correction.value!r} names no partner institution of the build"
            )
        if len(matches) > 1:
            country = self.facts[action.key].partner_country
            narrowed = [m for m in matches if m in mine] or [
                m for m in matches if country is not None and m.country == country.value
            ]
            if len(narrowed) == 1:
                return narrowed[0]
            listed = ", ".join(f"{m.name.name} ({m.country or 'country unknown'})" for m in matches[:5])
            raise correction.error(
                f"partner_institution: {correction.value!r} names {len(matches)} institutions ({listed}); "
                "name one by its IRI"
            )
        return matches[0]


def apply_corrections(
    checked: list[Checked],
    actions: list[Action],
    facts: dict[str, ActionFacts],
    institutions: dict[str, list[ResolvedInstitution]],
    progress: Callable[[str], None] = lambda message: None,
) -> tuple[CurationReport, dict[str, list[ResolvedInstitution]] | None, list[Anomaly]]:
    """Apply the corrections to the extracted facts (in place). Returns the report, the partner
    institutions resolved again when a partner country changed (else None) and their anomalies."""
    named = build_index(actions, facts)
    by_key = {action.key: action for action in actions}
    resolved = []
    for item in checked:
        key = named.find(item.correction)
        assert key is not None  # the codes are known now
        resolved.append((item, by_key[key]))
    repeats = contradictions(resolved)
    applier = _Applier(actions, facts, institutions)
    applier.report.files = sorted({item.correction.path for item in checked})
    for index, (item, action) in enumerate(resolved):
        if index in repeats:
            applier.outcome(item.correction, action, item.correction.value, False, "repeats an earlier line")
    countries_changed = False
    for index, (item, action) in enumerate(resolved):
        if index not in repeats and item.correction.field == "partner_country":
            assert item.value is not None
            countries_changed |= applier.partner_country(item.correction, action, item.value)
    renewed: dict[str, list[ResolvedInstitution]] | None = None
    anomalies: list[Anomaly] = []
    if countries_changed:
        # an institution's country follows its actions': resolve them again, the countries carried
        # over from other actions too, and never to an action a correction left without one
        corrected = {action.key for item, action in resolved if item.correction.field == "partner_country"}
        for key, action_facts in facts.items():
            carried = action_facts.partner_country
            if carried is not None and carried.rule == "same-institution" and key not in corrected:
                action_facts.partner_country = None
        cleared = frozenset(
            action.key
            for item, action in resolved
            if item.correction.field == "partner_country" and facts[action.key].partner_country is None
        )
        renewed, anomalies = resolve_institutions(actions, facts, cleared)
        applier.institutions, applier._named = renewed, None
    for index, (item, action) in enumerate(resolved):
        correction = item.correction
        if index in repeats or correction.field == "partner_country":
            continue
        if correction.field == "partner_institution":
            applier.institution(correction, action)
        elif correction.field in LIST_FIELDS:
            assert item.value is not None
            applier.list_field(correction, action, item.value)
        elif correction.field == "assistance_types":
            assert item.value is not None
            applier.assistance_type(correction, action, item.value)
        elif correction.field == "year":
            assert item.value is not None
            applier.year(correction, action, item.value)
    report = applier.report
    report.outcomes.sort(key=lambda o: (o.correction.path, o.correction.line))
    progress(f"curated: {report.summary()} ({', '.join(report.files)})")
    return report, renewed, anomalies
