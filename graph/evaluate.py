"""Score the ``actions`` table against an annotated development set.

The set is JSON Lines: one object per action with ``file`` and ``line`` (the line of its title)
and a ``gold`` object holding the expected value of each column. Documents named by ``file`` are
looked for beside the set first, then in the seeds folder. The build runs on those documents and
the table is read through the same ``actions`` query that users and other tools call.

A field is scored on the entries whose gold has it (``themes`` and ``programmes`` were annotated
later, and not on every set). Themes are scored as an analyst reads them: a theme found counts as
right (precision) when it is one of the gold ``themes`` (sure), one of ``themes_acceptable``
(doubtful: an analyst could give it) or a broader theme (``skos:broader``, at any distance) of a
sure one; recall counts the sure themes found. So a doubtful theme never costs recall, and the
broad area of a right theme never costs precision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import SocieuxError

# the annotated fields are columns of the actions table, under the same names
SET_FIELDS = (
    "expert_countries",
    "study_visit_countries",
    "assistance_types",
    "themes",
    "related_action_codes",
    "organisations",
    "programmes",
)
VALUE_FIELDS = (
    "partner_institution",
    "partner_institution_acronym",
    "partner_country",
    "action_code",
    "start_date",
    "end_date",
    "year",
)


@dataclass
class Score:
    tp: int = 0  # values found that count as right
    fp: int = 0
    fn: int = 0
    recall_tp: int = 0  # gold values found (differs from tp only for themes: see the module's note)
    correct: int = 0
    total: int = 0
    entries: int = 0  # entries whose gold has the field
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.recall_tp / (self.recall_tp + self.fn) if self.recall_tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


def _split(cell: str) -> set[str]:
    return {v for v in (cell or "").split(" | ") if v}


def _norm(value: str | None) -> str:
    return " ".join((value or "").split())


def load_set(path: Path) -> list[dict]:
    entries = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise SocieuxError(f"{path}: cannot read the annotated set: {error.strerror or error}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            entry["file"], entry["line"], entry["gold"]  # noqa: B018 - the keys every entry needs
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise SocieuxError(f"{path}:{number}: not an annotated action ({error})") from None
        entries.append(entry)
    return entries


def broader_themes() -> dict[str, set[str]]:
    """Every theme's broader themes (transitively), by prefLabel, from ``ontology/themes.ttl``."""
    from rdflib.namespace import SKOS

    from graph.vocab import reference_graph

    graph = reference_graph("themes.ttl")
    label = {node: str(text) for node, text in graph.subject_objects(SKOS.prefLabel)}
    broader: dict[str, set[str]] = {}
    for node, name in label.items():
        found = broader.setdefault(name, set())
        todo = list(graph.objects(node, SKOS.broader))
        while todo:
            up = todo.pop()
            if label.get(up) and label[up] not in found:
                found.add(label[up])
                todo.extend(graph.objects(up, SKOS.broader))
    return broader


def _right_themes(gold: dict, broader: dict[str, set[str]]) -> set[str]:
    """The themes that count as right when found: sure, doubtful, or broader than a sure one."""
    sure = set(gold.get("themes") or [])
    return sure | set(gold.get("themes_acceptable") or []) | {b for t in sure for b in broader.get(t, ())}


def evaluate(set_path: Path, seeds: Path) -> tuple[dict[str, dict[str, Score]], list[str]]:
    """Scores per field, for all entries and per kind ("seed", "new"); and the entries not found."""
    from graph.build import build
    from graph.rdf.serialise import ntriples
    from graph.sparql.query import named_queries
    from graph.sparql.store import memory_store, run_query_store

    entries = load_set(set_path)
    # the seed documents are built together, as `socieux-kg build` does; any other document alone
    groups: dict[str, set[Path]] = {}
    for entry in entries:
        name = entry["file"]
        if (seeds / name).is_file():
            groups.setdefault("seeds", set()).update(p for p in seeds.glob("*.txt") if p.is_file())
        elif (set_path.parent / name).is_file():
            groups.setdefault(name, {set_path.parent / name})
        else:
            raise SocieuxError(f"{set_path}: document {name!r} is neither beside the set nor in {seeds}/")
    by_source: dict[str, dict[str, str]] = {}
    for files in groups.values():
        result = build(sorted(files), validate=False, corrections=[])  # the extraction's own facts
        store = memory_store(ntriples(result.triples))
        for action_row in run_query_store(store, named_queries()["actions"]).rows:
            for source in _split(action_row["sources"]):
                by_source[source] = action_row
    scores: dict[str, dict[str, Score]] = {}
    missing: list[str] = []
    broader = broader_themes()
    for entry in entries:
        row = by_source.get(f"{entry['file']}:{entry['line']}")
        if row is None:
            missing.append(f"{entry['file']}:{entry['line']} {entry.get('title', '')[:60]!r}")
            row = {}
        kinds = ("all", entry.get("kind", "seed"))
        for name in VALUE_FIELDS + SET_FIELDS:
            gold = entry["gold"].get(name)
            for kind in kinds:
                score = scores.setdefault(kind, {}).setdefault(name, Score())
                if name not in entry["gold"]:
                    continue
                score.entries += 1
                where = f"{entry['file']}:{entry['line']}"
                if name == "themes":
                    expected, found = set(gold or []), _split(row.get(name, ""))
                    right = _right_themes(entry["gold"], broader)
                    score.tp += len(found & right)
                    score.fp += len(found - right)
                    score.recall_tp += len(expected & found)
                    score.fn += len(expected - found)
                    if (found - right or expected - found) and kind == "all":
                        score.errors.append(f"{where} missing {sorted(expected - found)} extra {sorted(found - right)}")
                elif name in SET_FIELDS:
                    expected, found = set(gold or []), _split(row.get(name, ""))
                    score.tp += len(expected & found)
                    score.recall_tp += len(expected & found)
                    score.fp += len(found - expected)
                    score.fn += len(expected - found)
                    if expected != found and kind == "all":
                        score.errors.append(
                            f"{where} missing {sorted(expected - found)} extra {sorted(found - expected)}"
                        )
                else:
                    expected_value, found_value = _norm(gold), _norm(row.get(name, ""))
                    score.total += 1
                    score.correct += expected_value == found_value
                    if expected_value != found_value and kind == "all":
                        score.errors.append(f"{where} expected {expected_value!r} found {found_value!r}")
    for fields in scores.values():  # a field no entry of a kind annotates has no score there
        for name in [name for name, score in fields.items() if not score.entries]:
            del fields[name]
    return scores, missing


def format_scores(scores: dict[str, dict[str, Score]]) -> str:
    kinds = [k for k in ("all", "seed", "new") if k in scores]
    header = f"{'field':30}" + "".join(f"{k + ' P':>9}{k + ' R':>9}{k + ' F1':>9}" for k in kinds)
    lines = [header, "-" * len(header)]
    for name in VALUE_FIELDS + SET_FIELDS:
        if not any(name in scores[kind] for kind in kinds):
            continue
        cells = ""
        for kind in kinds:
            s = scores[kind].get(name)
            if s is None:
                cells += f"{'':9}{'':9}{'-':>9}"
            elif name in SET_FIELDS:
                cells += f"{s.precision:9.3f}{s.recall:9.3f}{s.f1:9.3f}"
            else:
                cells += f"{'':9}{'acc':>9}{s.accuracy:9.3f}"
        lines.append(f"{name:30}{cells}")

    def actions(kind: str) -> int:
        return max((score.entries for score in scores[kind].values()), default=0)

    counts = ", ".join(f"{k}: {actions(k)} actions" for k in kinds)
    partial = [
        f"{name} on {scores['all'][name].entries}"
        for name in SET_FIELDS
        if name in scores["all"] and scores["all"][name].entries < actions("all")
    ]
    note = f"; annotated only in part: {', '.join(partial)}" if partial else ""
    return "\n".join(lines) + f"\n({counts}; F1 for list fields, accuracy for single values{note})\n"
