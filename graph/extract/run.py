"""Run the extraction over merged actions: one ``nlp.pipe`` pass over every distinct title, partner
line and description line, then the per-action decisions and the merging of institutions."""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from graph.extract.facts import ActionFacts, ResolvedInstitution, action_texts, decide, resolve_institutions
from graph.extract.nlp import load_nlp
from graph.extract.rules import Finding
from graph.read.merge import Action, NewsItem
from graph.read.records import Anomaly, Field


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


def _findings(texts: list[tuple[str, str]]) -> list[list[Finding]]:
    """The findings of each (field name, text), in order."""
    nlp = load_nlp()

    def docs():
        for name, text in texts:
            doc = nlp.make_doc(text)
            doc.user_data["field"] = name
            yield doc

    return [doc._.findings or [] for doc in nlp.pipe(docs(), batch_size=256)]


def _findings_parallel(texts: list[tuple[str, str]], jobs: int) -> list[list[Finding]]:
    """As :func:`_findings`, in ``jobs`` worker processes forked with the loaded pipeline (they share
    it, copy on write); the pieces come back in order, so the result is the same as in one process."""
    load_nlp()  # loaded before the fork, inherited by the workers
    size = -(-len(texts) // (jobs * 4))
    pieces = [texts[start : start + size] for start in range(0, len(texts), size)]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as workers:
        return [findings for piece in workers.map(_findings, pieces) for findings in piece]


def extract(
    actions: list[Action], progress: Callable[[str], None] = lambda message: None, jobs: int | None = None
) -> Extraction:
    """Facts of every action, with evidence, and the merged partner institutions. ``jobs``: worker
    processes for the spaCy pass over large inputs (default: one per processor).

    Each distinct (field, text) is read once: the pipeline reads a text on its own, so the same text
    in the same field gives the same findings wherever it stands (an action repeated in several
    documents, a description or partner line shared by several actions)."""
    items: list[tuple[int, str, Field]] = [
        (index, name, where) for index, action in enumerate(actions) for name, where in action_texts(action)
    ]
    texts = list(dict.fromkeys((name, where.value) for _, name, where in items))
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs > 1 and len(texts) >= PARALLEL_TEXTS and "fork" in multiprocessing.get_all_start_methods():
        per_text = dict(zip(texts, _findings_parallel(texts, jobs), strict=True))
    else:
        per_text = dict(zip(texts, _findings(texts), strict=True))
    found: dict[int, list[tuple[str, Field, Finding]]] = defaultdict(list)
    for index, name, where in items:
        for finding in per_text[name, where.value]:
            found[index].append((name, where, finding))
    facts: dict[str, ActionFacts] = {}
    anomalies: list[Anomaly] = []
    for index, action in enumerate(actions):
        facts[action.key], conflicts = decide(found[index])
        title = action.first.title
        anomalies += [Anomaly("partner-country-conflict", title.file, title.line, c) for c in conflicts]
    own_codes = {f.action_code.value for f in facts.values() if f.action_code}
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
