"""Which action a correction names: by its code (the action's own code, as the ``actions`` table
shows it), its IRI (``action:...`` or in full) or its exact title (the title as written, else with
case, spacing and apostrophes folded).

The same lookup serves a build (its merged actions, before the graph exists) and ``socieux-kg
correct`` (the actions of a built graph): both describe their actions as :class:`Named`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.curate.corrections import Checked, Correction
from graph.curate.values import CODE, fold
from graph.fields import FIELDS
from graph.namespaces import ID
from graph.read.merge import Action, normalise

if TYPE_CHECKING:  # the extraction loads spaCy's modules: not needed to name actions by title
    from graph.extract.facts import ActionFacts


@dataclass(frozen=True)
class Named:
    """An action as a correction may name it."""

    key: str  # what the caller knows it by
    title: str
    code: str | None  # its own code, where known
    where: str  # where it stands (FILE:LINE), for messages


class ActionIndex:
    """Actions by code, IRI and title. ``iris``: called once, when a correction names an IRI, for
    IRI → key (minting the IRIs of a build loads the mapping). ``codes``: whether the codes are
    known yet (a build knows them once the extraction has run)."""

    def __init__(self, named: list[Named], iris: Callable[[], dict[str, str]], codes: bool = True) -> None:
        self.named = {n.key: n for n in named}
        self.by_title: dict[str, list[Named]] = defaultdict(list)
        self.by_exact_title: dict[str, list[Named]] = defaultdict(list)
        self.by_code: dict[str, list[Named]] | None = defaultdict(list) if codes else None
        for n in named:
            self.by_title[normalise(n.title)].append(n)
            self.by_exact_title[" ".join(n.title.split())].append(n)
            if self.by_code is not None and n.code:
                self.by_code[n.code].append(n)
        self._iris = iris
        self._by_iri: dict[str, str] | None = None

    def find(self, correction: Correction) -> str | None:
        """The key of the action a correction names; None for a code while the codes are unknown.
        An InputError when it names no action, or several."""
        name = " ".join(correction.action.split())
        iri = as_iri(name)
        if iri is not None:
            if self._by_iri is None:
                self._by_iri = self._iris()
            found = self._by_iri.get(iri)
            if found is None:
                raise correction.error(f"no action has the IRI {iri}")
            return found
        if CODE.match(name):
            if self.by_code is None:
                return None
            return self._one(
                correction, self.by_code.get(name, []), f"the code {name}", "(the action_code of the actions table)"
            )
        exact = self.by_exact_title.get(name, [])
        if len(exact) == 1:
            return exact[0].key
        return self._one(correction, self.by_title.get(normalise(name), []), f"the title {name!r}")

    def _one(self, correction: Correction, found: list[Named], what: str, hint: str = "") -> str:
        if not found and not hint:  # a title: the closest ones
            from difflib import get_close_matches

            titles = {normalise(n.title): n.title for n in self.named.values()}
            close = get_close_matches(normalise(correction.action), list(titles), n=2, cutoff=0.75)
            hint = "; the closest: " + "; ".join(repr(titles[c]) for c in close) if close else ""
            raise correction.error(f"no action has {what}{hint}")
        if not found:
            raise correction.error(f"no action has {what} {hint}")
        if len(found) > 1:
            places = ", ".join(n.where for n in found[:5])
            raise correction.error(f"{len(found)} actions have {what} ({places}); name one by its IRI")
        return found[0].key

    def ref(self, key: str, iri: str) -> str:
        """How a correction best names an action: its code where no other action has it, else its
        title where no other action has it, else its IRI."""
        named = self.named[key]
        if named.code and self.by_code is not None and len(self.by_code[named.code]) == 1:
            return named.code
        if len(self.by_title[normalise(named.title)]) == 1:
            return " ".join(named.title.split())
        return iri


def as_iri(name: str) -> str | None:
    """The IRI a name writes (``<...>``, ``action:...`` or in full), or None."""
    if name.startswith("<") and name.endswith(">"):
        name = name[1:-1]
    if name.startswith("action:"):
        return f"{ID}action/{name[len('action:') :]}"
    if name.startswith(("http://", "https://")):
        return name
    return None


def build_index(actions: list[Action], facts: dict[str, ActionFacts] | None = None) -> ActionIndex:
    """A build's merged actions (by key), with their codes once ``facts`` are extracted."""

    def iris() -> dict[str, str]:
        from graph.rdf.mapping import action_iri  # loads spaCy's modules: only when an IRI is named

        return {action_iri(action)[1:-1]: action.key for action in actions}

    named = []
    for action in actions:
        own = facts[action.key].action_code if facts is not None else None
        where = f"{action.first.file}:{action.first.title.line}"
        named.append(Named(action.key, action.title, own.value if own is not None else None, where))
    return ActionIndex(named, iris, codes=facts is not None)


def contradictions(resolved: list[tuple[Checked, Action]]) -> set[int]:
    """Raise on two corrections deciding one fact differently; the indexes of exact repeats."""
    seen: dict[tuple, tuple[Checked, int]] = {}
    repeats = set()
    for index, (item, action) in enumerate(resolved):
        c = item.correction
        spec = FIELDS[c.field]
        value = item.value.key if item.value is not None else fold(c.value)
        fact = (action.key, c.field) if spec.single else (action.key, c.field, value)
        earlier = seen.get(fact)
        if earlier is None:
            seen[fact] = (item, index)
            continue
        first = earlier[0].correction
        first_value = earlier[0].value.key if earlier[0].value is not None else fold(first.value)
        if first.change == c.change and first_value == value:
            repeats.add(index)
            continue
        shown = item.value.shown if item.value is not None else c.value
        what = f"the {c.field}" if spec.single else f"{shown!r} in {c.field}"
        line = f"line {first.line}" if first.path == c.path else first.where
        raise c.error(f"contradicts {line} ({first.change} {first.value}): both decide {what} of {action.title!r}")
    return repeats


def check_actions(checked: list[Checked], actions: list[Action]) -> None:
    """Fail early on a correction naming no action by title or IRI, and on two such corrections that
    contradict each other (codes wait for the extraction)."""
    index = build_index(actions)
    by_key = {action.key: action for action in actions}
    resolved = []
    for item in checked:
        key = index.find(item.correction)
        if key is not None:
            resolved.append((item, by_key[key]))
    contradictions(resolved)
