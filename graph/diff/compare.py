"""Comparing two builds action by action.

An action keeps its IRI from build to build while its title, partner and the start of its
description stay the same. One whose IRI is in one build only is paired, where it can be, with
its former self in the other: the same own code, the same partner institution or a title close
enough (an edited title, a description rewritten at its start). What is left is added or removed.
A paired action, or one whose IRI stayed, is changed when a fact was added or removed: the values
of each column of the ``actions`` table but the action's IRI and sources (where its lines stand,
which move with every new scrape).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from graph.diff.snapshot import Evidence, Snapshot, read_snapshot

# Pairing an action with its former self: how alike the titles must be (difflib's ratio, 0 to 1),
# given what else they share. An own code is a strong sign; the same partner a fair one.
SAME_CODE_TITLES = 0.5
SAME_PARTNER_TITLES = 0.75
TITLES_ALONE = 0.9
_WORD = re.compile(r"\w{4,}")
COMMON_WORD = 50  # a title word met in more actions than this points to no candidate ("capacity", "social")


@dataclass(frozen=True)
class FactChange:
    column: str
    value: str
    evidence: tuple[Evidence, ...]


@dataclass
class ActionChange:
    action: str  # the IRI in the new build
    title: str
    former: str  # the IRI in the old build (the same when it kept it)
    former_title: str
    paired_by: str  # "IRI", "code", "partner and title", "title"
    added: list[FactChange] = field(default_factory=list)
    removed: list[FactChange] = field(default_factory=list)


@dataclass
class Diff:
    old: Snapshot
    new: Snapshot
    added: list[str]  # IRIs in the new build
    removed: list[str]  # IRIs in the old build
    changed: list[ActionChange]

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def fields(self) -> dict[str, dict[str, int]]:
        """Per column, the facts added and removed in the changed actions."""
        counts: dict[str, dict[str, int]] = {}
        for change in self.changed:
            for side, facts in (("added", change.added), ("removed", change.removed)):
                for fact in facts:
                    counts.setdefault(fact.column, {"added": 0, "removed": 0})[side] += 1
        order = {c: i for i, c in enumerate(self.new.columns + self.old.columns)}
        return dict(sorted(counts.items(), key=lambda item: order.get(item[0], len(order))))


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def pair(old: Snapshot, new: Snapshot, removed: list[str], added: list[str]) -> list[tuple[str, str, str]]:
    """(old IRI, new IRI, what paired them) for the actions of one build only that are the same action."""
    by_code: dict[str, list[str]] = defaultdict(list)
    by_partner: dict[str, list[str]] = defaultdict(list)
    by_word: dict[str, list[str]] = defaultdict(list)
    for iri in removed:
        row = old.rows[iri]
        if row.get("action_code"):
            by_code[row["action_code"]].append(iri)
        if row.get("partner_institution"):
            by_partner[row["partner_institution"]].append(iri)
        for word in set(_WORD.findall(row["title"].casefold())):
            by_word[word].append(iri)
    scored = []
    for iri in added:
        row = new.rows[iri]
        title = row["title"]
        candidates = set(by_code.get(row.get("action_code") or "", []))
        candidates |= set(by_partner.get(row.get("partner_institution") or "", []))
        words = [w for w in set(_WORD.findall(title.casefold())) if len(by_word.get(w, ())) <= COMMON_WORD]
        shared: dict[str, int] = defaultdict(int)
        for word in words:
            for other in by_word.get(word, ()):
                shared[other] += 1
        candidates |= {other for other, n in shared.items() if n * 2 >= len(words)}
        for other in candidates:
            former = old.rows[other]
            ratio = _similarity(title, former["title"])
            same_code = bool(row.get("action_code")) and row.get("action_code") == former.get("action_code")
            same_partner = bool(row.get("partner_institution")) and row.get("partner_institution") == former.get(
                "partner_institution"
            )
            if same_code and ratio >= SAME_CODE_TITLES:
                how, score = "code", 2 + ratio
            elif same_partner and ratio >= SAME_PARTNER_TITLES:
                how, score = "partner and title", 1 + ratio
            elif ratio >= TITLES_ALONE:
                how, score = "title", ratio
            else:
                continue
            scored.append((-score, other, iri, how))
    pairs = []
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    for _, other, iri, how in sorted(scored):
        if other not in taken_old and iri not in taken_new:
            taken_old.add(other)
            taken_new.add(iri)
            pairs.append((other, iri, how))
    return pairs


def compare(old: Snapshot, new: Snapshot) -> Diff:
    """What changed from ``old`` to ``new``."""
    removed = sorted(set(old.rows) - set(new.rows))
    added = sorted(set(new.rows) - set(old.rows))
    pairs = [(iri, iri, "IRI") for iri in sorted(set(old.rows) & set(new.rows))]
    paired = pair(old, new, removed, added)
    pairs += paired
    removed = sorted(set(removed) - {o for o, _, _ in paired})
    added = sorted(set(added) - {n for _, n, _ in paired})
    columns = new.columns + [c for c in old.columns if c not in new.columns]
    changes = []
    for former, iri, how in pairs:
        gained: list[tuple[str, str]] = []
        lost: list[tuple[str, str]] = []
        for column in columns:
            before = old.values(former, column) if column in old.columns else set()
            after = new.values(iri, column) if column in new.columns else set()
            gained += [(column, v) for v in sorted(after - before)]
            lost += [(column, v) for v in sorted(before - after)]
        if gained or lost:
            changes.append((former, iri, how, gained, lost))
    new_evidence = new.evidence([iri for _, iri, _, _, _ in changes])
    old_evidence = old.evidence([former for former, _, _, _, _ in changes])
    changed = []
    for former, iri, how, gained, lost in changes:
        change = ActionChange(iri, new.rows[iri]["title"], former, old.rows[former]["title"], how)
        change.added = [FactChange(c, v, tuple(new_evidence.get((iri, c, v), ()))) for c, v in gained]
        change.removed = [FactChange(c, v, tuple(old_evidence.get((former, c, v), ()))) for c, v in lost]
        changed.append(change)
    changed.sort(key=lambda c: (c.title.casefold(), c.action))
    added.sort(key=lambda iri: (new.rows[iri]["title"].casefold(), iri))
    removed.sort(key=lambda iri: (old.rows[iri]["title"].casefold(), iri))
    return Diff(old, new, added, removed, changed)


def compare_builds(old: Path, new: Path) -> Diff:
    """Read two builds (output folders or graph files) and compare them."""
    return compare(read_snapshot(old), read_snapshot(new))
