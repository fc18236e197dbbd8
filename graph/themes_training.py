"""Training the theme model on annotated actions, and comparing the methods by cross-validation.

An annotated set is the JSON Lines file that ``socieux-kg evaluate`` reads; the entries whose gold
has ``themes`` are the examples. Each example is one action: its texts are read from the documents
the set refers to (beside the set, or in the seeds folder, as ``evaluate`` finds them), its sure
themes are positive, the doubtful ones (``themes_acceptable``) and the broader themes of the sure
ones are left out of the loss (a model is neither rewarded nor blamed for them), every other theme
is negative.

Training is deterministic: the examples in (file, line) order, thinc's random seed fixed, the
batches shuffled by a seeded generator, Adam without weight averages, and the combiner fitted by
full-batch gradient descent. The learned threshold and the combiner are fitted on out-of-fold
probabilities (the model trained on the other folds scores each example), so that they are fitted
to how the model does on texts it has not seen.

Cross-validation (:func:`cross_validate`) holds out one document at a time (the seed documents
count as one: they share actions), or with ``folds`` K, K folds of actions: an action's texts, and
its copies in several documents, never sit on both sides.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy
from spacy.tokens import Doc, Span

from graph.errors import SocieuxError
from graph.evaluate import Score, broader_themes, load_set
from graph.extract.findings import Finding
from graph.extract.theme_model import (
    METHODS,
    Combiner,
    CueSummary,
    ThemeModel,
    combiner_features,
    make_textcat,
)

SEED = 0
EPOCHS = 20
LENGTH = 8192  # rows of the model's hashed weights per label
LEARN_RATE = 0.01
BATCH = 8
INNER_FOLDS = 3  # folds for the out-of-fold probabilities the thresholds and the combiner are fitted on
CANDIDATE_FLOOR = 0.02
L2 = 1.0  # the combiner's L2 penalty
THRESHOLDS = (0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


@dataclass
class Example:
    """One annotated action: its texts' findings, its sentences and its gold themes (IRIs)."""

    key: str  # FILE:LINE of its title
    group: str  # the document it was read from ("seeds" for the seed documents)
    sure: frozenset[str]
    right: frozenset[str]  # what counts as right when found: sure, doubtful, broader than sure
    cues: list[tuple[Finding, None]]
    sentences: list[Span]  # spaCy spans of its title and description sentences (lemmatised)
    doc: Doc  # the spaCy Doc of its title and description, what the model is trained on
    scored: dict[int, list[tuple[Finding, None]]] = field(default_factory=dict)  # theme_model findings by model


def _theme_iris() -> dict[str, str]:
    from graph.vocab import load_scheme

    return {c.pref_label: c.iri for c in load_scheme("themes.ttl") if c.pref_label != "SOCIEUX+ themes"}


def theme_labels() -> tuple[str, ...]:
    """Every theme of ``ontology/themes.ttl`` (IRIs, sorted): the model's labels."""
    return tuple(sorted(_theme_iris().values()))


def load_examples(
    sets: Sequence[Path], seeds: Path, progress: Callable[[str], None] = lambda message: None
) -> list[Example]:
    """The annotated actions of ``sets`` that have gold themes, read from their documents."""
    from graph.build import find_seed_files
    from graph.extract.facts import action_texts
    from graph.extract.nlp import load_nlp
    from graph.extract.run import text_findings
    from graph.extract.theme_model import chosen_model
    from graph.read.merge import Action, merge_documents
    from graph.read.reader import DocumentReader, read_document

    iris = _theme_iris()
    broader = {iris[n]: {iris[b] for b in ups if b in iris} for n, ups in broader_themes().items() if n in iris}
    wanted: list[tuple[Path, dict]] = []
    for path in sets:
        for number, entry in enumerate(load_set(path), 1):
            if "themes" not in entry["gold"]:
                continue
            for name in [*(entry["gold"]["themes"] or []), *(entry["gold"].get("themes_acceptable") or [])]:
                if name not in iris:
                    raise SocieuxError(f"{path}:{number}: {name!r} is no theme of ontology/themes.ttl")
            wanted.append((path, entry))
    if not wanted:
        raise SocieuxError(f"{', '.join(map(str, sets))}: no annotated action has gold themes")
    groups: dict[str, list[Path]] = {}
    for path, entry in wanted:
        name = entry["file"]
        if (seeds / name).is_file():
            groups.setdefault("seeds", find_seed_files([seeds]))
        elif (path.parent / name).is_file():
            groups.setdefault(name, [path.parent / name])
        else:
            raise SocieuxError(f"{path}: document {name!r} is neither beside the set nor in {seeds}/")
    reader = DocumentReader()
    by_source: dict[tuple[str, int], tuple[str, Action]] = {}
    for group, files in groups.items():
        documents = [read_document(p, reader) for p in files]
        for action in merge_documents(documents, reader.matcher).actions:
            for record in action.records:
                by_source[record.file, record.title.line] = (group, action)
    progress(f"read {len(wanted)} annotated actions from {len(groups)} document group(s)")
    with chosen_model(None, "rules"):  # the cues alone: the model being trained plays no part
        nlp = load_nlp()
        examples = []
        pending = []
        for path, entry in sorted(wanted, key=lambda item: (item[1]["file"], item[1]["line"])):
            found = by_source.get((entry["file"], entry["line"]))
            if found is None:
                raise SocieuxError(f"{path}: no action's title at {entry['file']}:{entry['line']}")
            group, action = found
            pending.append((entry, group, action_texts(action)))
        texts = list(dict.fromkeys((name, where.value) for _, _, fields in pending for name, where in fields))
        per_text = dict(zip(texts, text_findings(texts), strict=True))
        docs: dict[tuple[str, str], Doc] = {}
        for name, text in texts:
            if name != "partner":
                doc = nlp.make_doc(text)
                for component in ("sentencizer", "socx_sentence_cap", "socx_lemmas"):
                    doc = nlp.get_pipe(component)(doc)
                docs[name, text] = doc
    for entry, group, fields in pending:
        gold = entry["gold"]
        sure = frozenset(iris[name] for name in gold["themes"] or [])
        doubtful = {iris[name] for name in gold.get("themes_acceptable") or []}
        right = sure | doubtful | {b for t in sure for b in broader.get(t, ())}
        cues = [(f, None) for name, where in fields for f in per_text[name, where.value] if f.kind == "theme_cue"]
        parts = [docs[name, where.value] for name, where in fields if name != "partner"]
        sentences = [sent for doc in parts for sent in doc.sents if sent.text.strip()]
        examples.append(
            Example(
                f"{entry['file']}:{entry['line']}",
                group,
                sure,
                frozenset(right),
                cues,
                sentences,
                Doc.from_docs(parts, ensure_whitespace=True),
            )
        )
    return examples


# ------------------------------------------------------------------------------- training


def train_textcat(examples: Sequence[Example], labels: Sequence[str], seed: int = SEED, epochs: int = EPOCHS):
    """spaCy's textcat_multilabel trained on ``examples`` (deterministic for a seed)."""
    import spacy
    from spacy.training import Example as SpacyExample
    from thinc.api import Adam, fix_random_seed

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = make_textcat(nlp, labels, LENGTH)
    training = []
    for example in examples:
        cats = {label: 1.0 for label in example.sure}
        cats |= {label: 0.0 for label in labels if label not in example.right}
        reference = example.doc.copy()
        reference.cats = cats
        training.append(SpacyExample(example.doc, reference))
    textcat.initialize(lambda: training, nlp=nlp, labels=list(labels))
    optimizer = Adam(LEARN_RATE, use_averages=False)
    order = list(range(len(training)))
    shuffle = random.Random(seed)
    for _ in range(epochs):
        shuffle.shuffle(order)
        for start in range(0, len(order), BATCH):
            textcat.update([training[i] for i in order[start : start + BATCH]], sgd=optimizer, drop=0.0)
    return textcat


def scored_sentences(model: ThemeModel, example: Example) -> list[tuple[Finding, None]]:
    """The ``theme_model`` findings the pipeline would leave for an example's sentences."""
    key = id(model)
    if key not in example.scored:
        rows = model.contributions(example.sentences).round(5).tolist()  # as the pipeline component rounds
        found = []
        for sent, row in zip(example.sentences, rows, strict=True):
            start, end, text = sent.start_char, sent.end_char, sent.text.strip()
            found.append((Finding("theme_model", "", "theme-model", start, end, text, scores=tuple(row)), None))
        example.scored[key] = found
    return example.scored[key]


def _probabilities(model: ThemeModel, example: Example) -> dict[str, float]:
    from graph.extract.themes import model_scores

    return model_scores(model, scored_sentences(model, example))[0]


def _score(predicted: Sequence[set[str]], examples: Sequence[Example]) -> Score:
    score = Score()
    for found, example in zip(predicted, examples, strict=True):
        score.tp += len(found & example.right)
        score.fp += len(found - example.right)
        score.recall_tp += len(found & example.sure)
        score.fn += len(example.sure - found)
        score.entries += 1
    return score


def _candidates(summaries: dict[str, CueSummary], probabilities: dict[str, float]) -> list[str]:
    return sorted(set(summaries) | {t for t, p in probabilities.items() if p >= CANDIDATE_FLOOR})


def fit_combiner(examples: Sequence[Example], probabilities: Sequence[dict[str, float]]) -> Combiner:
    """The combiner fitted on the examples' cues and out-of-fold model probabilities."""
    from graph.extract.themes import broad_themes, summarise_cues

    broad = broad_themes()
    rows, targets = [], []
    per_example = []
    for example, probs in zip(examples, probabilities, strict=True):
        summaries = summarise_cues(example.cues)
        candidates = []
        for theme in _candidates(summaries, probs):
            features = combiner_features(summaries.get(theme), probs.get(theme, 0.0), theme in broad)
            candidates.append((theme, features))
            if theme in example.sure:
                rows.append(features)
                targets.append(1.0)
            elif theme not in example.right:
                rows.append(features)
                targets.append(0.0)
        per_example.append(candidates)
    x, y = numpy.array(rows, dtype="float64"), numpy.array(targets, dtype="float64")
    weights = numpy.zeros(x.shape[1])
    for _ in range(3000):
        p = 1 / (1 + numpy.exp(-(x @ weights)))
        weights -= 0.5 * (x.T @ (p - y) + L2 * weights) / len(y)
    combiner = Combiner(tuple(float(w) for w in weights), 0.5)

    def f1_at(threshold: float) -> float:
        predicted = [
            {t for t, features in candidates if combiner.probability(features) >= threshold}
            for candidates in per_example
        ]
        return _score(predicted, examples).f1

    combiner.threshold = max(THRESHOLDS, key=lambda t: (round(f1_at(t), 6), -abs(t - 0.5)))
    return combiner


def _folds(examples: Sequence[Example], count: int, seed: int) -> list[list[int]]:
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    return [sorted(order[k::count]) for k in range(count)]


def _model(textcat, labels: Sequence[str], learned_threshold: float = 0.5, combiner: Combiner | None = None):
    return ThemeModel(
        labels=tuple(labels),
        textcat=textcat,
        length=LENGTH,
        learned_threshold=learned_threshold,
        combiner=combiner or Combiner((0.0,) * 9, 0.5),
        candidate_floor=CANDIDATE_FLOOR,
    )


def train(
    examples: Sequence[Example],
    seed: int = SEED,
    epochs: int = EPOCHS,
    progress: Callable[[str], None] = lambda message: None,
) -> ThemeModel:
    """A theme model trained on ``examples``: the textcat on all of them, the learned threshold and
    the combiner on out-of-fold probabilities."""
    if len(examples) < INNER_FOLDS:
        raise SocieuxError(f"{len(examples)} annotated actions: training needs {INNER_FOLDS} at least")
    labels = theme_labels()
    out_of_fold: list[dict[str, float]] = [{} for _ in examples]
    for k, fold in enumerate(_folds(examples, INNER_FOLDS, seed), 1):
        held = set(fold)
        rest = [e for i, e in enumerate(examples) if i not in held]
        inner = _model(train_textcat(rest, labels, seed, epochs), labels)
        for i in fold:
            out_of_fold[i] = _probabilities(inner, examples[i])
        progress(f"out-of-fold model {k} of {INNER_FOLDS} trained")

    def learned_f1(threshold: float) -> float:
        predicted = [{t for t, p in probs.items() if p >= threshold} for probs in out_of_fold]
        return _score(predicted, examples).f1

    learned_threshold = max(THRESHOLDS, key=lambda t: (round(learned_f1(t), 6), -abs(t - 0.5)))
    combiner = fit_combiner(examples, out_of_fold)
    textcat = train_textcat(examples, labels, seed, epochs)
    progress(f"model trained on {len(examples)} actions")
    model = _model(textcat, labels, learned_threshold, combiner)
    model.info = {
        "actions": len(examples),
        "documents": sorted({e.group for e in examples}),
        "seed": seed,
        "epochs": epochs,
        "learn_rate": LEARN_RATE,
        "batch": BATCH,
        "inner_folds": INNER_FOLDS,
    }
    return model


def predict(method: str, model: ThemeModel | None, example: Example) -> set[str]:
    """The themes ``method`` gives an example (with ``model`` for the learned and combined ones)."""
    from graph.extract.themes import decide_themes

    sentences = scored_sentences(model, example) if model is not None else []
    return {theme.iri for theme in decide_themes(example.cues, sentences, method, model)}


# ------------------------------------------------------------------------------- comparison


@dataclass
class Comparison:
    """Cross-validated scores of each method: overall and per held-out fold."""

    folds: list[str]
    scores: dict[str, dict[str, Score]]  # method -> fold (or "all") -> score


def cross_validate(
    examples: Sequence[Example],
    folds: int | None = None,
    seed: int = SEED,
    epochs: int = EPOCHS,
    progress: Callable[[str], None] = lambda message: None,
) -> Comparison:
    """Score rules, learned and combined on held-out examples: one document held out at a time
    (default), or ``folds`` folds of actions."""
    if folds is None:
        names = sorted({e.group for e in examples})
        if len(names) < 2:
            raise SocieuxError("holding out one document at a time needs two documents or more: use --folds K")
        held_out = [(name, [i for i, e in enumerate(examples) if e.group == name]) for name in names]
    else:
        if not 2 <= folds <= len(examples):
            raise SocieuxError(f"--folds {folds}: give between 2 and {len(examples)} folds")
        held_out = [(f"fold {k}", fold) for k, fold in enumerate(_folds(examples, folds, seed), 1)]
    predicted: dict[str, list[set[str]]] = {method: [set() for _ in examples] for method in METHODS}
    for name, fold in held_out:
        held = set(fold)
        training = [e for i, e in enumerate(examples) if i not in held]
        model = train(training, seed, epochs)
        for i in fold:
            for method in METHODS:
                predicted[method][i] = predict(method, None if method == "rules" else model, examples[i])
        progress(f"held out {name}: {len(fold)} actions, trained on {len(training)}")
    scores: dict[str, dict[str, Score]] = {}
    for method in METHODS:
        scores[method] = {
            name: _score([predicted[method][i] for i in fold], [examples[i] for i in fold]) for name, fold in held_out
        }
        scores[method]["all"] = _score(predicted[method], examples)
    return Comparison([name for name, _ in held_out], scores)


def format_comparison(comparison: Comparison) -> str:
    """The comparison as a table: a row per method, P/R/F1 per held-out fold and overall."""
    columns = [*comparison.folds, "all"]
    width = max(17, *(len(c) for c in columns))
    header = f"{'method':10}" + "".join(f"  {c[-width:]:>{width}}" for c in columns)
    sub = f"{'':10}" + "".join(f"  {'P     R    F1':>{width}}" for _ in columns)
    lines = [header, sub, "-" * len(header)]
    for method in METHODS:
        cells = ""
        for column in columns:
            s = comparison.scores[method][column]
            cells += f"  {f'{s.precision:.3f} {s.recall:.3f} {s.f1:.3f}':>{width}}"
        lines.append(f"{method:10}{cells}")
    counts = ", ".join(f"{c}: {comparison.scores['rules'][c].entries}" for c in columns)
    return "\n".join(lines) + f"\n(actions held out: {counts}; P counts doubtful and broader themes as right)\n"
