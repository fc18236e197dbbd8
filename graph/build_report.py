"""The build report: what was read, what became of every non-blank line, and every anomaly."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.read.merge import Merged
from graph.read.records import Anomaly, Document, LineRole
from graph.words import counted

if TYPE_CHECKING:  # the extraction modules load spaCy: not imported to read or write a report
    from graph.curate.apply import CurationReport
    from graph.extract.run import Extraction

ANOMALY_TITLES = {
    "missing-partner": "Actions with no partner institution",
    "missing-type": "Actions with no type of assistance",
    "missing-description": "Actions with no description",
    "unknown-type": "Types of assistance not in the scheme (kept as text)",
    "truncated-type": "Types of assistance cut short",
    "type-code-prefix": "Types of assistance with a code prefix",
    "sentence-in-type-slot": "Sentences where the type of assistance should be",
    "question-mark-apostrophe": "'?' in place of an apostrophe",
    "unclosed-bracket": "Partner names with a bracket left open",
    "several-partners": "Entries with several partner lines",
    "duplicate-title-different-partner": "Titles shared by actions with different partners",
    "duplicate-title-different-description": "Titles shared by actions with different descriptions",
    "duplicate-news": "Repeated news titles (merged)",
    "description-after-blank-line": "Description paragraphs set apart by a blank line",
    "partner-country-conflict": "Contradictions about the partner country (title, partner line, description)",
    "institution-country-unknown": "Partner institutions whose country is unknown",
    "institutions-merged": "Partner institutions merged by acronym or original-language name (with the reason)",
    "expert-country-is-partner": "Expert countries that are the partner country (kept or dropped)",
    "unresolved-reference": "References to actions that are not in the graph",
    "markup-in-text": "HTML or Markdown markup removed from the text",
    "unreadable-entry": "Entries whose structure could not be read (labels with no title)",
    "invalid-date": "Dates that are no calendar day (kept as text)",
    "partial-date": "Dates that give a month or a year, not a day (only the year is read)",
    "end-before-start": "Activities that end before they start (both dates kept as text)",
    "unreadable-code": "Code fields that hold no action code",
    "action-code-conflict": "Actions whose Code field and description give different codes (both kept)",
}


@dataclass
class BuildReport:
    """Counts, line accounting and anomalies of one build, as Markdown and as JSON."""

    documents: list[Document]
    merged: Merged
    triples: int
    conforms: bool | None = None
    violations: int = 0
    outputs: list[str] = field(default_factory=list)
    extraction: Extraction | None = None  # when the build extracted facts
    curation: CurationReport | None = None  # when corrections were applied

    @property
    def lines(self) -> list[LineRole]:
        return [role for doc in self.documents for role in doc.lines]

    @property
    def skipped(self) -> list[LineRole]:
        return [role for role in self.lines if role.skipped]

    @property
    def anomalies(self) -> list[Anomaly]:
        found = [a for doc in self.documents for a in doc.anomalies] + self.merged.anomalies
        if self.extraction is not None:
            found += self.extraction.anomalies
        return sorted(found, key=lambda a: (a.kind, a.file, a.line, a.detail))

    def counts(self) -> dict[str, int]:
        roles = Counter(role.role for role in self.lines)
        return {
            "documents": len(self.documents),
            "non_blank_lines": sum(doc.non_blank_lines for doc in self.documents),
            "lines_accounted": len(self.lines),
            "action_records": sum(len(doc.actions) for doc in self.documents),
            "actions": len(self.merged.actions),
            "duplicates_merged": self.merged.duplicates_merged,
            "news_records": sum(len(doc.news) for doc in self.documents),
            "news_items": len(self.merged.news),
            "partner_institutions": self.institution_count(),
            "section_headings": sum(1 for r in self.skipped if r.reason == "section heading"),
            "skipped_lines": len(self.skipped),
            "anomalies": len(self.anomalies),
            **self.fact_counts(),
            **self.correction_counts(),
            "triples": self.triples,
            "lines_in_graph": sum(v for k, v in roles.items() if k != "skipped"),
        }

    def institution_count(self) -> int:
        if self.extraction is None:
            return len(self.merged.institutions)
        return len({id(i) for found in self.extraction.institutions.values() for i in found})

    def fact_counts(self) -> dict[str, int]:
        if self.extraction is None:
            return {}
        facts = self.extraction.facts.values()
        return {
            "expert_country_links": sum(len(f.expert_countries) for f in facts),
            "actions_with_partner_country": sum(1 for f in facts if f.partner_country),
            "study_visit_links": sum(len(f.study_visit_countries) for f in facts),
            "theme_links": sum(len(f.themes) for f in facts),
            "action_codes": sum(1 for f in facts if f.action_code),
            "actions_with_year": sum(1 for f in facts if f.action_year),
            **{
                f"years_{basis.replace('-', '_')}": sum(
                    1 for f in facts if f.action_year and f.action_year.rule == f"year-from-{basis}"
                )
                for basis in ("start-date", "end-date", "own-code", "sentence")
            },
            "references_to_actions": sum(len(f.related_actions) for f in facts),
            "organisation_links": sum(len(f.organisations) for f in facts),
        }

    def correction_counts(self) -> dict[str, int]:
        if self.curation is None:
            return {}
        return {
            "corrections_applied": len(self.curation.applied),
            "corrections_redundant": len(self.curation.redundant),
            "facts_removed_by_corrections": len(self.curation.removed),
        }

    def summary(self) -> str:
        c = self.counts()
        corrected = ""
        if self.curation is not None:
            applied = counted(c["corrections_applied"], "correction")
            corrected = f"; {applied} applied, {c['corrections_redundant']} redundant"
        return (
            f"{counted(c['actions'], 'action')} ({counted(c['duplicates_merged'], 'duplicate')} merged), "
            f"{counted(c['news_items'], 'news item')}, {counted(c['partner_institutions'], 'partner institution')}, "
            f"{counted(c['triples'], 'triple')}; {counted(c['skipped_lines'], 'line')} skipped, "
            f"{counted(c['anomalies'], 'anomaly', 'anomalies')}{corrected}"
        )

    def corrections_json(self) -> dict:
        curation = self.curation
        assert curation is not None

        def line(c) -> dict:
            return {
                "file": c.path,
                "line": c.line,
                "action": c.action,
                "field": c.field,
                "change": c.change,
                "value": c.value,
                "reason": c.reason,
                "by": c.by,
                "date": c.date,
            }

        return {
            "files": curation.files,
            "applied": [
                {**line(o.correction), "title": o.action, "shown": o.value, "note": o.note} for o in curation.applied
            ],
            "redundant": [
                {**line(o.correction), "title": o.action, "shown": o.value, "note": o.note} for o in curation.redundant
            ],
            "removed": [
                {**line(r.correction), "title": r.action, "shown": r.value, "evidence": list(r.evidence)}
                for r in curation.removed
            ],
        }

    def corrections_markdown(self) -> list[str]:
        curation = self.curation
        assert curation is not None
        files = ", ".join(f"`{f}`" for f in curation.files)
        out = ["## Corrections", "", f"From {files}: {curation.summary()}.", ""]
        if curation.applied:
            out += [
                "| line | action | field | change | value | by | date | reason |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |",
            ]
            for o in curation.applied:
                c = o.correction
                cells = (f"`{c.where}`", o.action, c.field, c.change, o.value, c.by, c.date, c.reason)
                out.append("| " + " | ".join(_cell(x) for x in cells) + " |")
            out.append("")
        out += ["### Facts removed by corrections", ""]
        if not curation.removed:
            out.append("None.")
        for r in curation.removed:
            c = r.correction
            out.append(f"- `{c.where}` {r.field} {r.value} of {r.action!r}, removed by {c.by} on {c.date}: {c.reason}")
            out += [f"  - it had: {e}" for e in r.evidence]
        out += ["", "### Redundant corrections (the build agrees without them)", ""]
        if not curation.redundant:
            out.append("None.")
        for o in curation.redundant:
            c = o.correction
            out.append(f"- `{c.where}` {c.change} {c.field} {o.value} of {o.action!r}: {o.note}")
        return out + [""]

    def to_json(self) -> str:
        data = {
            "counts": self.counts(),
            "shacl": {"conforms": self.conforms, "violations": self.violations},
            "documents": [
                {
                    "file": doc.file,
                    "non_blank_lines": doc.non_blank_lines,
                    "action_records": len(doc.actions),
                    "news_records": len(doc.news),
                    "layouts": doc.layouts,
                    "lines_by_role": dict(sorted(Counter(r.role for r in doc.lines).items())),
                }
                for doc in self.documents
            ],
            "skipped": [{"file": r.file, "line": r.line, "reason": r.reason} for r in self.skipped],
            "anomalies": [{"kind": a.kind, "file": a.file, "line": a.line, "detail": a.detail} for a in self.anomalies],
            **({"corrections": self.corrections_json()} if self.curation is not None else {}),
            "outputs": self.outputs,
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        c = self.counts()
        out = [
            "# socieux-kg build report",
            "",
            self.summary() + ".",
            "",
            "## Counts",
            "",
            "| what | count |",
            "| --- | ---: |",
        ]
        out += [f"| {key.replace('_', ' ')} | {value} |" for key, value in c.items()]
        if self.conforms is not None:
            verdict = "conforms" if self.conforms else f"does NOT conform ({self.violations} violations)"
            out += ["", f"SHACL validation against `ontology/shapes.ttl`: the graph {verdict}."]
        out += [
            "",
            "## Documents",
            "",
            "| file | read as | non-blank lines | action records | news records | skipped lines |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for doc in self.documents:
            skipped = sum(1 for r in doc.lines if r.skipped)
            layouts = ", ".join(f"{name} ({count})" for name, count in doc.layouts.items()) or "no action"
            out.append(
                f"| {doc.file} | {layouts} | {doc.non_blank_lines} | {len(doc.actions)} | {len(doc.news)} | {skipped} |"
            )
        out += [
            "",
            "Every non-blank line is accounted for: it feeds a record of the graph (a title, a partner, "
            "a type of assistance, a description, a date, a code) or it is listed below as skipped, with its reason. "
            "'read as' gives the layout each document's action entries were read in: plain (partner, types and "
            "description lines), labelled (a label, its value on the next line), labelled-dashed (every label "
            "and value a '- ' item) or labelled-inline ('Label: value').",
        ]
        out += ["", "## Skipped lines", ""]
        by_reason: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for role in self.skipped:
            by_reason[role.reason][role.file].append(role.line)
        if not by_reason:
            out.append("None.")
        for reason in sorted(by_reason):
            total = sum(len(lines) for lines in by_reason[reason].values())
            out.append(f"- **{reason}** ({total}):")
            for file, lines in sorted(by_reason[reason].items()):
                out.append(f"  - {file}: lines {', '.join(map(str, lines))}")
        out += ["", "## Anomalies", ""]
        by_kind: dict[str, list[Anomaly]] = defaultdict(list)
        for anomaly in self.anomalies:
            by_kind[anomaly.kind].append(anomaly)
        if not by_kind:
            out.append("None.")
        for kind in sorted(by_kind):
            out += [f"### {ANOMALY_TITLES.get(kind, kind)} ({len(by_kind[kind])})", ""]
            out += [f"- `{a.file}:{a.line}` {a.detail}" for a in by_kind[kind]]
            out.append("")
        if self.curation is not None:
            out += self.corrections_markdown()
        if self.outputs:
            out += ["## Outputs", ""] + [f"- `{name}`" for name in self.outputs] + [""]
        return "\n".join(out).rstrip() + "\n"


def _cell(text: str) -> str:
    """Text for a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")
