"""A diff as one Markdown page, or as JSON with the keys ``actions_added``, ``actions_removed``,
``actions_changed`` and ``fields``."""

from __future__ import annotations

import json

from graph.diff.compare import Diff, FactChange
from graph.diff.snapshot import Snapshot


def _summary(snapshot: Snapshot, iri: str) -> dict:
    row = snapshot.rows[iri]
    return {
        "action": iri,
        "title": row["title"],
        "action_code": row.get("action_code") or "",
        "facts": snapshot.facts(iri),
    }


def _facts(changes: list[FactChange]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for fact in changes:
        out.setdefault(fact.column, []).append({"value": fact.value, "evidence": [e.as_json() for e in fact.evidence]})
    return out


def to_json(diff: Diff) -> str:
    data = {
        "old": str(diff.old.source),
        "new": str(diff.new.source),
        "actions_before": len(diff.old.rows),
        "actions_after": len(diff.new.rows),
        "actions_added": [_summary(diff.new, iri) for iri in diff.added],
        "actions_removed": [_summary(diff.old, iri) for iri in diff.removed],
        "actions_changed": [
            {
                "action": c.action,
                "title": c.title,
                "former_action": c.former,
                "former_title": c.former_title,
                "paired_by": c.paired_by,
                "added": _facts(c.added),
                "removed": _facts(c.removed),
            }
            for c in diff.changed
        ],
        "fields": diff.fields(),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _line(snapshot: Snapshot, iri: str) -> str:
    row = snapshot.rows[iri]
    parts = [f"**{row['title']}**"]
    if row.get("action_code"):
        parts.append(f"code {row['action_code']}")
    partner = row.get("partner_institution") or ""
    if partner:
        country = row.get("partner_country") or ""
        parts.append(partner + (f" ({country})" if country else ""))
    if row.get("expert_countries"):
        parts.append(f"experts: {row['expert_countries'].replace(' | ', ', ')}")
    if row.get("sources"):
        parts.append(f"`{row['sources']}`")
    return "- " + " · ".join(parts)


def _evidence(fact: FactChange) -> list[str]:
    lines = []
    for e in fact.evidence:
        where = f"{e.file}:{e.line}" if e.file else ""
        said = f"“{e.sentence}”" if e.rule != "page line" else e.sentence
        rule = f"{e.rule} by {e.by} on {e.date}" if e.by else e.rule
        lines.append(f"    - {said} ({where}, {rule})")
    return lines


def to_markdown(diff: Diff) -> str:
    out = [
        "# What changed between two builds",
        "",
        f"Before: `{diff.old.source}` ({_plural(len(diff.old.rows), 'action')}). "
        f"After: `{diff.new.source}` ({_plural(len(diff.new.rows), 'action')}).",
        "",
    ]
    if diff.unchanged:
        return "\n".join(out + ["Nothing changed.", ""])
    out += [
        f"{_plural(len(diff.added), 'action')} added, {len(diff.removed)} removed, {len(diff.changed)} changed.",
        "",
    ]
    fields = diff.fields()
    if fields:
        out += ["| field | facts added | facts removed |", "| --- | ---: | ---: |"]
        out += [f"| {name} | {n['added']} | {n['removed']} |" for name, n in fields.items()]
        out += ["", "(counted over the changed actions)", ""]
    out += [f"## Actions added ({len(diff.added)})", ""]
    out += [_line(diff.new, iri) for iri in diff.added] or ["None."]
    out += ["", f"## Actions removed ({len(diff.removed)})", ""]
    out += [_line(diff.old, iri) for iri in diff.removed] or ["None."]
    out += ["", f"## Actions changed ({len(diff.changed)})", ""]
    if not diff.changed:
        out.append("None.")
    for change in diff.changed:
        out += [f"### {change.title}", ""]
        if change.former != change.action:
            out += [f"Was `{change.former}`, paired by {change.paired_by}; now `{change.action}`.", ""]
        else:
            out += [f"`{change.action}`", ""]
        for sign, facts in (("+", change.added), ("−", change.removed)):
            for fact in facts:
                out.append(f"- {sign} {fact.column}: {fact.value}")
                out += _evidence(fact)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
