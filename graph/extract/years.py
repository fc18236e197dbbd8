"""The action's own code from the page's Code field, and the year of every action that has one,
with its basis: the dates (``year-from-start-date``, ``year-from-end-date``), else the own code
(``year-from-own-code``), else a sentence that dates the action itself (``year-from-sentence``;
:mod:`graph.extract.rules.action_years`). Each year is a fact with its evidence."""

from __future__ import annotations

import re
from dataclasses import replace

from graph.extract.facts import ActionFacts, Fact
from graph.read.merge import Action, WrittenDate
from graph.read.records import Anomaly

_CODE = re.compile(r"^((?:19|20)\d{2})\s*[-/]\s*(\d{1,3})$")
CODE_FIELD_RULE = "code-field"


def code_field(action: Action, facts: ActionFacts) -> list[Anomaly]:
    """Make the page's Code field the action's own code; a different own code in the description is
    kept too (``facts.other_codes``), and the contradiction reported."""
    written = action.code
    if written is None:
        return []
    found = _CODE.match(written.value.strip(" .;:"))
    if found is None:
        return [
            Anomaly(
                "unreadable-code",
                written.file,
                written.line,
                f"the Code field {written.value!r} is no action code (YYYY-NN); kept out of the graph",
            )
        ]
    value = f"{found.group(1)}-{int(found.group(2)):02d}"
    fact = Fact("action_code", value, CODE_FIELD_RULE, written.file, written.line, 0, len(written.value), written.value)
    anomalies = []
    text = facts.action_code
    if text is not None and text.value != value:
        facts.other_codes.append(text)
        anomalies.append(
            Anomaly(
                "action-code-conflict",
                written.file,
                written.line,
                f"the Code field gives {value}, the description {text.value} ({text.file}:{text.line}: "
                f"{text.sentence[:80]!r}); both are kept",
            )
        )
    facts.action_code = fact
    facts.related_actions = [f for f in facts.related_actions if f.value != value]
    return anomalies


def _from_date(which: str, written: WrittenDate) -> Fact:
    where = written.field
    return Fact(
        "action_year",
        str(written.year),
        f"year-from-{which}-date",
        where.file,
        where.line,
        0,
        len(where.value),
        where.value,
    )


def decide_year(action: Action, facts: ActionFacts) -> Fact | None:
    """The action's year and its basis (see the module's note), or None."""
    for which, written in (("start", action.start_date), ("end", action.end_date)):
        if written is not None:
            return _from_date(which, written)
    if facts.action_code is not None:
        return replace(
            facts.action_code, kind="action_year", value=facts.action_code.value[:4], rule="year-from-own-code"
        )
    if facts.dating:
        first = min(facts.dating, key=lambda f: (f.line, f.start))
        return replace(first, rule="year-from-sentence")
    return None
