"""Themes on what an action is about: the cues of ``ontology/themes.ttl`` matched on lemmas (case
and plurals folded), each weighed by the kind of sentence it stands in, with the weights and the
sentence cues in ``ontology/reference/themes.toml``.

The component leaves one ``theme_cue`` finding per theme and sentence (its strongest cue, its
weight). :func:`decide_themes` decides an action's themes by the method chosen in ``themes.toml``:
the rules (the cue weights summed per action, the themes past the threshold), the learned model
(:mod:`graph.extract.theme_model`) or the two combined; each theme keeps the sentence that most
supports it and what decided it.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from graph.errors import SocieuxError
from graph.extract.doc_index import sentence_of, sentence_span
from graph.extract.findings import Finding, findings
from graph.extract.theme_model import CueSummary, ThemeModel, active_method, active_model, combiner_features
from graph.vocab import load_layout, load_scheme, ontology_dir, reference_graph

_IRREGULAR = {"children": "child", "women": "woman", "people": "person", "persons": "person", "men": "man"}
_KEEP = re.compile(r"(ss|us|is|ics|ous|ies)$")


@cache
def _spellings() -> dict[str, str]:
    data = tomllib.loads((ontology_dir() / "reference" / "themes.toml").read_text(encoding="utf-8"))
    return dict(data.get("spellings", {}))


def simple_lemma(word: str) -> str:
    """Lower case, singular and British: "Pensions" -> "pension", "disabilities" -> "disability",
    "Labor" -> "labour" (the spellings are in ``themes.toml``)."""
    lower = word.lower()
    spellings = _spellings()
    if lower in spellings:
        return spellings[lower]
    if lower.endswith("s") and lower[:-1] in spellings:
        return spellings[lower[:-1]]
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if len(lower) > 4 and lower.endswith("ies"):
        return lower[:-3] + "y"
    if len(lower) > 3 and lower.endswith("s") and not _KEEP.search(lower) and lower.isalpha():
        return lower[:-1]
    return lower


_LEMMAS: dict[int, int] = {}  # lower-case form → lemma, as string-store hashes


@Language.component("socx_lemmas")
def lemmas(doc: Doc) -> Doc:
    """A light lemmatiser: no lookup tables are downloaded, plurals and case are folded by rule.
    Works on the token arrays (each word's lemma computed once per process), not Token objects."""
    if not len(doc):
        return doc
    strings = doc.vocab.strings
    lemmas = []
    for lower in doc.to_array(LOWER).tolist():
        lemma = _LEMMAS.get(lower)
        # StringStore takes a hash as well as a string; its stub names only the string
        if lemma is None or lemma not in strings:  # type: ignore[operator]
            lemma = _LEMMAS[lower] = strings.add(simple_lemma(strings[lower]))
        lemmas.append(lemma)
    # from_array takes a numpy array; spaCy types it as thinc's Ints2d, which numpy's own types do not match
    doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))  # type: ignore[arg-type]
    return doc


@dataclass(frozen=True)
class ThemeSettings:
    """``themes.toml``: cue strengths, sentence weights, the threshold and the sentence cues."""

    threshold: float
    broad_threshold: float
    weak_only_threshold: float
    name_in_title: float
    cue: float
    weak_cue: float
    weights: dict[str, float]
    name_joiners: frozenset[str]
    sentence_cues: tuple[tuple[str, re.Pattern], ...]  # (kind, pattern): purpose, activity, background
    action_markers: re.Pattern


@cache
def theme_settings() -> ThemeSettings:
    """Read ``ontology/reference/themes.toml``."""
    data = tomllib.loads((ontology_dir() / "reference" / "themes.toml").read_text(encoding="utf-8"))

    def pattern(phrases: list[str]) -> re.Pattern:
        alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    return ThemeSettings(
        threshold=float(data["threshold"]),
        broad_threshold=float(data["broad_threshold"]),
        weak_only_threshold=float(data["weak_only_threshold"]),
        name_in_title=float(data["weight"]["name_in_title"]),
        cue=float(data["strength"]["cue"]),
        weak_cue=float(data["strength"]["weak_cue"]),
        weights={kind: float(w) for kind, w in data["weight"].items() if kind != "name_in_title"},
        name_joiners=frozenset(data["names"]["joiners"]),
        sentence_cues=tuple((kind, pattern(data["sentences"][kind])) for kind in ("purpose", "activity", "background")),
        action_markers=pattern(data["sentences"]["action_markers"]),
    )


def sentence_kind(sentence: str) -> str:
    """purpose, activity, background or other: what a description sentence says, by its cues. A
    sentence with a background cue is background unless it speaks of the action itself."""
    settings = theme_settings()
    lowered = sentence.lower()
    cues = dict(settings.sentence_cues)
    if cues["background"].search(lowered) and not settings.action_markers.search(lowered):
        return "background"
    for kind in ("purpose", "activity"):
        if cues[kind].search(lowered):
            return kind
    return "other"


@cache
def _weak_cues() -> dict[str, set[str]]:
    from graph.namespaces import SOCX

    graph = reference_graph("themes.ttl")
    found: dict[str, set[str]] = {}
    for concept, label in graph.subject_objects(SOCX.weakCue):
        found.setdefault(str(concept), set()).add(str(label))
    return found


@cache
def theme_vocabulary() -> frozenset[str]:
    """Every label and cue of the theme scheme (``themes.ttl``)."""
    found = {label for concept in load_scheme("themes.ttl") for label in concept.labels}
    return frozenset(found | {cue for cues in _weak_cues().values() for cue in cues})


def is_acronym(cue: str) -> bool:
    """A cue written with a capital after its first letter ("IT", "PES", "PwD") is an acronym: it
    is matched as written (and with a plural "s": "SMEs"), or the pronoun "it" would be taken for
    information technology."""
    return any(c.isupper() for c in cue[1:])


@cache
def _matchers(nlp: Language) -> tuple[PhraseMatcher, PhraseMatcher]:
    """The cue phrases matched on lemmas (case and plurals folded), and the acronyms matched as written."""
    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
    weak = _weak_cues()
    for concept in load_scheme("themes.ttl"):
        # a one-word prefLabel ("Labour", "Employment") names the area, it is no evidence of it: every
        # "Ministry of Labour" would match; the scheme's other labels are the phrases that are
        labels = [label for label in concept.labels if label != concept.pref_label or " " in label]
        for strength, cues in (
            ("cue", [label for label in labels if label not in weak.get(concept.iri, ())]),
            ("weak_cue", sorted(weak.get(concept.iri, ()))),
        ):
            words = [cue for cue in cues if not is_acronym(cue)]
            if words:
                matcher.add(f"{concept.iri} {strength}", [lemmas(nlp.make_doc(cue)) for cue in words])
            written = [cue for cue in cues if is_acronym(cue)]
            if written:
                forms = [form for cue in written for form in (cue, cue + "s")]  # "SMEs", "PwDs"
                acronyms.add(f"{concept.iri} {strength}", [nlp.make_doc(form) for form in forms])
    return matcher, acronyms


def in_institution_name(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens ``start:end`` stand inside an institution's name ("the Ministry of Labour and
    Social Protection", "the Pension and Disability Insurance Fund"): a run of capitalised words,
    joined by "of", "and"..., holding an institution noun. A theme's word in a name says what the
    institution is, not what the action is about."""
    heads = load_layout().partner_nouns
    joiners = theme_settings().name_joiners

    def capital(i: int) -> bool:
        token = doc[i]
        return token.is_title or (token.is_upper and token.is_alpha)

    if not all(capital(i) or doc[i].lower_ in joiners for i in range(start, end)):
        return False
    first, last = start, end - 1
    while first > 0 and (capital(first - 1) or doc[first - 1].lower_ in joiners):
        first -= 1
    while last + 1 < len(doc) and (capital(last + 1) or doc[last + 1].lower_ in joiners):
        last += 1
    capitals = [i for i in range(first, last + 1) if capital(i)]
    return len(capitals) >= 2 and any(doc[i].lower_ in heads for i in capitals)


def make_theme_matcher(nlp: Language):
    matcher, acronyms = _matchers(nlp)
    settings = theme_settings()

    def theme_matcher(doc: Doc) -> Doc:
        field = doc.user_data.get("field", "description")
        if field == "partner":  # "Ministry of Social Welfare" is the partner's name, no theme
            return doc
        out = findings(doc)
        best: dict[tuple[int, str], Finding] = {}  # (sentence start, theme) -> strongest cue
        kinds: dict[int, tuple[str, str]] = {}
        found = [*matcher(doc), *acronyms(doc)]
        matches = [Span(doc, start, end, label=match_id) for match_id, start, end in found]
        # a cue inside a longer one counts for the longer one only ("information system" in
        # "labour market information system"); a cue in an institution's name only in the title
        for span in filter_spans(matches):
            in_name = in_institution_name(doc, span.start, span.end)
            if in_name and field != "title":
                continue
            iri, strength_name = span.label_.split(" ")
            sent_start = sentence_span(doc, span.start)[0]
            if sent_start not in kinds:
                text = sentence_of(span)
                kinds[sent_start] = (text, "title" if field == "title" else sentence_kind(text))
            text, kind = kinds[sent_start]
            weight = getattr(settings, strength_name) * settings.weights[kind]
            if in_name:
                weight *= settings.name_in_title
            if weight <= 0:
                continue
            key = (sent_start, iri)
            if key not in best or weight > best[key].weight:
                rule = f"theme-{kind}" + ("-weak" if strength_name == "weak_cue" else "")
                best[key] = Finding("theme_cue", iri, rule, span.start_char, span.end_char, text, weight, span.text)
        out.extend(best[key] for key in sorted(best))
        return doc

    return theme_matcher


@Language.factory("socx_themes")
def themes_factory(nlp: Language, name: str):
    return make_theme_matcher(nlp)


@cache
def broad_themes() -> frozenset[str]:
    """The themes that have narrower themes: they name an area."""
    from rdflib.namespace import SKOS

    return frozenset(str(o) for o in reference_graph("themes.ttl").objects(None, SKOS.broader))


Where = TypeVar("Where")  # where a finding was made: any value, handed back with the decided theme


@dataclass(frozen=True)
class DecidedTheme(Generic[Where]):
    """A theme of an action, with the finding whose sentence most supports it and where that is."""

    iri: str
    finding: Finding
    where: Where
    rule: str  # the method that decided: theme-rules, theme-learned or theme-combined
    detail: str  # what decided: the cues and their weights, the model's probability


def summarise_cues(cues: Sequence[tuple[Finding, Where]]) -> dict[str, CueSummary]:
    """The cue weights of each theme in one action, summed by the kind of sentence they stand in."""
    sums: dict[str, dict[str, float]] = {}
    strong: set[str] = set()
    for finding, _ in cues:
        kind = finding.rule.removeprefix("theme-").removesuffix("-weak")
        found = sums.setdefault(finding.value, {})
        found[kind] = found.get(kind, 0.0) + finding.weight
        if not finding.rule.endswith("-weak"):
            strong.add(finding.value)
    return {
        iri: CueSummary(
            title=found.get("title", 0.0),
            purpose_activity=found.get("purpose", 0.0) + found.get("activity", 0.0),
            other=found.get("other", 0.0),
            total=sum(found.values()),
            weak_only=iri not in strong,
        )
        for iri, found in sums.items()
    }


def _cues_text(found: list[tuple[Finding, Where]]) -> str:
    return "; ".join(f"{f.detail!r} ({f.rule.removeprefix('theme-')}, {f.weight:g})" for f, _ in found[:6])


def decide_by_rules(cues: Sequence[tuple[Finding, Where]]) -> list[DecidedTheme[Where]]:
    """The themes whose cue weights reach the threshold (the rules of ``themes.toml``)."""
    settings = theme_settings()
    broad = broad_themes()
    by_theme: dict[str, list[tuple[Finding, Where]]] = {}
    for finding, where in cues:
        by_theme.setdefault(finding.value, []).append((finding, where))
    decided = []
    for iri, found in sorted(by_theme.items()):
        total = sum(f.weight for f, _ in found)
        needed = settings.broad_threshold if iri in broad else settings.threshold
        if all(f.rule.endswith("-weak") for f, _ in found):
            needed = max(needed, settings.weak_only_threshold)
        if total < needed:
            continue
        found.sort(key=lambda item: -item[0].weight)
        decided.append(
            DecidedTheme(iri, found[0][0], found[0][1], "theme-rules", f"score {total:g}: {_cues_text(found)}")
        )
    return decided


def model_scores(
    model: ThemeModel, sentences: Sequence[tuple[Finding, Where]]
) -> tuple[dict[str, float], dict[str, tuple[Finding, Where]]]:
    """The model's probability of each theme for an action whose sentences are ``sentences`` (its
    ``theme_model`` findings), and each theme's best sentence (the one contributing most)."""
    # in plain Python: an action has a few sentences, and numpy's cost per call is more than the sums
    totals = list(model.bias_list)
    top = [-math.inf] * len(totals)
    at = [0] * len(totals)
    for n, (finding, _) in enumerate(sentences):
        for k, value in enumerate(finding.scores):
            totals[k] += value
            if value > top[k]:
                top[k], at[k] = value, n
    bounded = (max(-500.0, min(500.0, t)) for t in totals)
    probabilities = {iri: 1 / (1 + math.exp(-t)) for iri, t in zip(model.labels, bounded, strict=False)}
    best = {iri: sentences[k] for iri, k in zip(model.labels, at, strict=True)} if sentences else {}
    return probabilities, best


def decide_themes(
    cues: Sequence[tuple[Finding, Where]],
    sentences: Sequence[tuple[Finding, Where]] = (),
    method: str | None = None,
    model: ThemeModel | None = None,
) -> list[DecidedTheme[Where]]:
    """The themes of one action from its ``theme_cue`` findings and its ``theme_model`` findings
    (each with where it was found), by ``method`` (default: the active one, see
    :func:`graph.extract.theme_model.active_method`): the cue rules, the learned model alone, or
    both combined (with ``model``, default: the active one). Each theme comes with the sentence
    that most supports it: its strongest cue's, or for a theme no cue names the sentence that the
    model scores highest for it."""
    method = method or active_method()
    if method == "rules":
        return decide_by_rules(cues)
    model = model or active_model()
    if model is None:
        raise SocieuxError(f"the {method} theme method needs a trained model (socieux-kg themes train)")
    probabilities, best = model_scores(model, sentences)
    strongest: dict[str, tuple[Finding, Where]] = {}
    cue_lists: dict[str, list[tuple[Finding, Where]]] = {}
    for finding, where in cues:
        cue_lists.setdefault(finding.value, []).append((finding, where))
        if finding.value not in strongest or finding.weight > strongest[finding.value][0].weight:
            strongest[finding.value] = (finding, where)
    decided: list[DecidedTheme[Where]] = []
    if method == "learned":
        for iri in sorted(probabilities):
            if probabilities[iri] >= model.learned_threshold and iri in best:
                finding, where = best[iri]
                detail = f"model probability {probabilities[iri]:.2f}"
                decided.append(DecidedTheme(iri, finding, where, "theme-learned", detail))
        return decided
    summaries = summarise_cues(cues)
    broad = broad_themes()
    candidates = set(summaries) | {iri for iri, p in probabilities.items() if p >= model.candidate_floor}
    for iri in sorted(candidates):
        probability = probabilities.get(iri, 0.0)
        combined = model.combiner.probability(combiner_features(summaries.get(iri), probability, iri in broad))
        if combined < model.combiner.threshold:
            continue
        evidence = strongest.get(iri) or best.get(iri)
        if evidence is None:
            continue
        found = sorted(cue_lists.get(iri, []), key=lambda item: -item[0].weight)
        cues_text = f"; cues {summaries[iri].total:g}: {_cues_text(found)}" if iri in summaries else "; no cue"
        detail = f"combined {combined:.2f}: model probability {probability:.2f}{cues_text}"
        decided.append(DecidedTheme(iri, evidence[0], evidence[1], "theme-combined", detail))
    return decided
