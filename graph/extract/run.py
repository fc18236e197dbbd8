"""Run the extraction over merged actions: one ``nlp.pipe`` pass over every distinct title, partner
line and description line, then the per-action decisions and the merging of institutions.

On large inputs the spaCy pass runs in worker processes and begins while the documents are still
being read (:class:`Extractor`): each document's texts go to the workers as soon as it is read, so
reading and merging (one processor) and the spaCy pass (the others) run side by side.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from graph.extract.facts import ActionFacts, action_texts, decide, evidence_record, record_texts
from graph.extract.findings import Finding
from graph.extract.headers import header_finding
from graph.extract.institutions import ResolvedInstitution, resolve_institutions
from graph.extract.nlp import load_nlp
from graph.extract.years import code_field, decide_year
from graph.read.merge import Action, NewsItem
from graph.read.records import Anomaly, Document, Field
from graph.workers import ForkedPool, can_fork

Text = tuple[str, str]  # (field name, text)


@dataclass
class Extraction:
    facts: dict[str, ActionFacts]  # by action key
    institutions: dict[str, list[ResolvedInstitution]]  # by action key
    anomalies: list[Anomaly]
    news_countries: dict[str, list[str]] = field(default_factory=dict)  # by news key: alpha-3 codes named


def news_countries(news: list[NewsItem]) -> dict[str, list[str]]:
    """The countries each news title names (by name, demonym or place), in the order they stand."""
    nlp = load_nlp()
    found: dict[str, list[str]] = {}
    for item, doc in zip(news, nlp.pipe(item.title for item in news), strict=True):
        codes = []
        for ent in doc.ents:
            if ent.label_ in ("COUNTRY", "DEMONYM", "PLACE") and ent.ent_id_ not in codes:
                codes.append(ent.ent_id_)
        found[item.key] = codes
    return found


PARALLEL_TEXTS = 5_000  # below this many texts one process is faster than starting workers


def default_jobs() -> int:
    """The processors this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _findings(texts: list[Text]) -> list[list[Finding]]:
    """The findings of each (field name, text), in order."""
    nlp = load_nlp()

    def docs():
        for name, text in texts:
            doc = nlp.make_doc(text)
            doc.user_data["field"] = name
            yield doc

    return [doc._.findings or [] for doc in nlp.pipe(docs(), batch_size=256)]


def text_findings(texts: list[Text]) -> list[list[Finding]]:
    """The findings of each (field name, text), in order, read in this process."""
    return _findings(texts)


class Extractor:
    """The extraction of one build. With worker processes (forked with the loaded pipeline, which
    they share copy on write), :meth:`read_ahead` hands a document's texts to them while the next
    documents are read; :meth:`extract` then waits for their findings and reads whatever is left.
    Each distinct (field, text) is read once: the pipeline reads a text on its own, so the same text
    in the same field gives the same findings wherever it stands (an action repeated in several
    documents, a description or partner line shared by several actions). Use it as a context
    manager: leaving it stops the workers."""

    def __init__(self, jobs: int | None = None, parallel: bool = True) -> None:
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self._parallel = parallel and self.jobs > 1 and can_fork()
        self._pool: ForkedPool | None = None
        self._pending: list[tuple[list[Text], Future]] = []
        self._found: dict[Text, list[Finding]] = {}
        self._asked: set[Text] = set()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, kind: type[BaseException] | None, *failure: object) -> None:
        if self._pool is not None:
            self._pool.__exit__(kind, *failure)
            self._pool = None

    def _workers(self) -> ForkedPool:
        if self._pool is None:
            load_nlp()  # loaded before the fork, inherited by the workers
            self._pool = ForkedPool(self.jobs)
        return self._pool

    def _submit(self, texts: list[Text]) -> None:
        self._asked.update(texts)
        self._pending.append((texts, self._workers().submit(_findings, texts)))

    def read_ahead(self, document: Document) -> None:
        """Hand the texts of a document's action records to the workers (with workers only)."""
        if not self._parallel:
            return
        texts = [(name, where.value) for record in document.actions for name, where in record_texts(record)]
        new = [text for text in dict.fromkeys(texts) if text not in self._asked]
        if new:
            self._submit(new)

    def findings(self, texts: list[Text]) -> dict[Text, list[Finding]]:
        """The findings of each distinct text: from the workers, or read now."""
        missing = [text for text in dict.fromkeys(texts) if text not in self._asked]
        if self._parallel and len(missing) >= PARALLEL_TEXTS // 5:
            size = -(-len(missing) // (self.jobs * 4))
            for start in range(0, len(missing), size):
                self._submit(missing[start : start + size])
        elif missing:
            self._asked.update(missing)
            self._found.update(zip(missing, _findings(missing), strict=True))
        for asked, future in self._pending:
            self._found.update(zip(asked, future.result(), strict=True))
        self._pending = []
        return self._found

    def extract(self, actions: list[Action], progress: Callable[[str], None] = lambda message: None) -> Extraction:
        """Facts of every action, with evidence, and the merged partner institutions."""
        items: list[tuple[int, str, Field]] = [
            (index, name, where) for index, action in enumerate(actions) for name, where in action_texts(action)
        ]
        per_text = self.findings([(name, where.value) for _, name, where in items])
        found: dict[int, list[tuple[str, Field, Finding]]] = defaultdict(list)
        for index, name, where in items:
            for finding in per_text[name, where.value]:
                found[index].append((name, where, finding))
        unknown: dict[tuple[str, int], Anomaly] = {}  # page headers that name no country
        for index, action in enumerate(actions):  # a country page's header: last, so that the text wins ties
            context = evidence_record(action).context or action.context
            header = header_finding(context) if context is not None else None
            if context is not None and header is not None:
                found[index].append(("header", context.line, header))
            elif context is not None:
                where = context.line
                unknown[where.file, where.line] = Anomaly(
                    "header-names-no-country",
                    where.file,
                    where.line,
                    f"the page header {where.value!r} names no country the reference data knows: "
                    "read as a section heading, the entries under it get no country from it",
                )
        extraction = _decide(actions, found, progress)
        extraction.anomalies += [unknown[key] for key in sorted(unknown)]
        return extraction


def extract(
    actions: list[Action], progress: Callable[[str], None] = lambda message: None, jobs: int | None = None
) -> Extraction:
    """Facts of every action, with evidence, and the merged partner institutions. ``jobs``: worker
    processes for the spaCy pass over large inputs (default: one per processor)."""
    texts = {(name, where.value) for action in actions for name, where in action_texts(action)}
    with Extractor(jobs, parallel=len(texts) >= PARALLEL_TEXTS) as extractor:
        return extractor.extract(actions, progress)


def _decide(
    actions: list[Action], found: dict[int, list[tuple[str, Field, Finding]]], progress: Callable[[str], None]
) -> Extraction:
    facts: dict[str, ActionFacts] = {}
    anomalies: list[Anomaly] = []
    for index, action in enumerate(actions):
        names = tuple(n for i in action.partners for n in (i.name.name, i.name.original_name, i.name.acronym) if n)
        facts[action.key], found_anomalies = decide(found[index], action.first.title, names)
        anomalies += found_anomalies + code_field(action, facts[action.key])
        facts[action.key].action_year = decide_year(action, facts[action.key])
    own_codes = {f.action_code.value for f in facts.values() if f.action_code}
    own_codes |= {code.value for f in facts.values() for code in f.other_codes}
    for action in actions:
        for fact in facts[action.key].related_actions:
            if fact.value not in own_codes:
                anomalies.append(
                    Anomaly(
                        "unresolved-reference",
                        fact.file,
                        fact.line,
                        f"action {fact.value} is referred to ({fact.detail}) but no action in the "
                        f"graph states it as its own code; the code is kept",
                    )
                )
    institutions, institution_anomalies = resolve_institutions(actions, facts)
    progress(
        f"extracted: {sum(len(f.expert_countries) for f in facts.values())} expert-country links, "
        f"{sum(1 for f in facts.values() if f.partner_country)} partner countries, "
        f"{len({id(i) for v in institutions.values() for i in v})} partner institutions after merging"
    )
    return Extraction(facts, institutions, anomalies + institution_anomalies)
