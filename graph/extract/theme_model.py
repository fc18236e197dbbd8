"""The learned theme model and its combination with the cue rules.

The model is spaCy's ``textcat_multilabel`` over the content words of a text (lemmas of the
alphabetic words that are no stop words, counted: a bag of words with no n-grams), trained on the
annotated development sets by ``socieux-kg themes train`` (:mod:`graph.themes_training`). Its
score of a text is a sum over the text's words plus a bias, so the score of an action (its title
and description) is the bias plus the sum of its sentences' contributions: each sentence is scored
once, in the extraction's per-text pass (the ``socx_theme_model`` component, a ``theme_model``
finding per sentence), and the sentence that contributes most to a theme is its evidence.

The combiner is a logistic regression over a few numbers per action and theme: the cue weights
of the rules by the kind of sentence they stand in, whether only weak cues were met, and the
model's probability. Which method decides (``rules``, ``learned`` or ``combined``) is set in
``ontology/reference/themes.toml`` and was chosen by cross-validation (README, ``socieux-kg themes
compare``).

A trained model is a folder: ``textcat.bin.gz`` (the spaCy component as its ``to_bytes`` writes
it, without the vocabulary, gzipped) and ``model.json`` (labels, settings, the learned threshold, the combiner
and what it was trained on).
"""

from __future__ import annotations

import gzip
import json
import math
import os
import shutil
import tempfile
import tomllib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy
from spacy.attrs import IS_ALPHA, IS_STOP, LEMMA
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain

from graph.errors import SocieuxError
from graph.extract.doc_index import sentences
from graph.extract.findings import Finding, findings
from graph.vocab import ontology_dir

ARCHITECTURE = "socx.ThemeWords.v1"
METHODS = ("rules", "learned", "combined")
# the combiner's inputs, in order (model.json names them, so that a model and the code agree)
COMBINER_FEATURES = (
    "title cues",
    "purpose and activity cues",
    "other cues",
    "weak cues only",
    "log(1 + cue total)",
    "model probability",
    "model logit / 5",
    "broad theme",
    "bias",
)
MODEL_VERSION = 1
TEXTCAT_FILE = "textcat.bin.gz"  # the component as spaCy's to_bytes writes it (no vocabulary), gzipped


def content_word_counts(docs: Sequence[Doc | Span]) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """The features of each doc or span: the lemmas of its alphabetic non-stop words (hashes) and
    how often each stands in it, as thinc's sparse layers take them (keys, values, lengths)."""
    keys: list[int] = []
    values: list[float] = []
    lengths: list[int] = []
    whole: dict[int, list[int]] = {}  # each doc's content lemmas by token (0 for other words), read once
    for item in docs:
        parent, start, end = (item.doc, item.start, item.end) if isinstance(item, Span) else (item, 0, len(item))
        lemmas = whole.get(id(parent))
        if lemmas is None:
            rows = parent.to_array([LEMMA, IS_ALPHA, IS_STOP]).reshape(-1, 3).tolist()
            lemmas = whole[id(parent)] = [int(lemma) if alpha and not stop else 0 for lemma, alpha, stop in rows]
        counts = Counter(lemma for lemma in lemmas[start:end] if lemma)
        found = sorted(counts)
        keys += found
        values += [float(counts[k]) for k in found]
        lengths.append(len(found))
    return (
        numpy.asarray(keys, dtype="uint64"),
        numpy.asarray(values, dtype="float32"),
        numpy.asarray(lengths, dtype="int32"),
    )


def _word_features(model: Model, docs: Sequence[Doc | Span], is_train: bool):
    return content_word_counts(docs), lambda d_features: []


@registry.architectures(ARCHITECTURE)
def theme_words(length: int = 8192, nO: int | None = None) -> Model:
    """A bag of content words (lemmas, counted) into a sparse linear layer and a sigmoid per label."""
    linear = SparseLinear_v2(nO=nO, length=length)
    model: Model = chain(Model("socx_content_words", _word_features), linear, Logistic())
    model.set_ref("output_layer", linear)
    model.attrs["multi_label"] = True
    return model


def textcat_config(length: int) -> dict:
    """The ``textcat_multilabel`` component's config for our architecture."""
    return {"threshold": 0.5, "model": {"@architectures": ARCHITECTURE, "length": length}}


def make_textcat(nlp: Language, labels: Sequence[str], length: int):
    """A new, untrained ``textcat_multilabel`` component with ``labels`` (not added to a pipeline's
    run: the model is called on sentences directly)."""
    from spacy.pipeline import MultiLabel_TextCategorizer

    textcat = nlp.create_pipe("textcat_multilabel", config=textcat_config(length))
    assert isinstance(textcat, MultiLabel_TextCategorizer)
    for label in labels:
        textcat.add_label(label)
    return textcat


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x > -700 else 0.0


@dataclass(frozen=True)
class CueSummary:
    """The rules' cues of one theme in one action: their weights summed by the kind of sentence."""

    title: float = 0.0
    purpose_activity: float = 0.0
    other: float = 0.0
    total: float = 0.0
    weak_only: bool = True


def combiner_features(cues: CueSummary | None, probability: float, broad: bool) -> list[float]:
    """The combiner's inputs for one action and theme (in the order of COMBINER_FEATURES)."""
    cues = cues or CueSummary()
    return [
        cues.title,
        cues.purpose_activity,
        cues.other,
        1.0 if cues.total > 0 and cues.weak_only else 0.0,
        math.log1p(cues.total),
        probability,
        _logit(probability) / 5,
        1.0 if broad else 0.0,
        1.0,
    ]


@dataclass
class Combiner:
    """A logistic regression over :func:`combiner_features`, with its decision threshold."""

    weights: tuple[float, ...]
    threshold: float

    def probability(self, features: list[float]) -> float:
        return _sigmoid(sum(w * x for w, x in zip(self.weights, features, strict=True)))


@dataclass
class ThemeModel:
    """A trained theme model: the textcat component, the learned threshold and the combiner."""

    labels: tuple[str, ...]  # theme IRIs, in the model's order
    textcat: object  # spaCy's TextCategorizer (typed loosely: spaCy types its pipes as Callable)
    length: int
    learned_threshold: float
    combiner: Combiner
    candidate_floor: float  # a theme no cue names is a candidate of the combiner from this probability
    info: dict = field(default_factory=dict)
    _index: dict[int, int] = field(default_factory=dict, repr=False)  # feature -> its row of _matrix
    _matrix: numpy.ndarray = field(default_factory=lambda: numpy.zeros((0, 0)), repr=False)

    @property
    def _network(self) -> Model:
        return self.textcat.model  # type: ignore[attr-defined]

    @cached_property
    def bias(self) -> numpy.ndarray:
        return numpy.asarray(self._network.get_ref("output_layer").get_param("b"), dtype="float64")

    @cached_property
    def bias_list(self) -> list[float]:
        return [float(b) for b in self.bias]

    def _indices(self, keys: Sequence[int]) -> list[int]:
        """Where each feature's contribution to each label stands in ``self._matrix`` (a row per
        feature), each computed once by the model's own linear layer: a text's contributions are
        then a sum of rows."""
        index = self._index
        missing = [k for k in dict.fromkeys(keys) if k not in index]
        if missing:
            linear = self._network.get_ref("output_layer")
            alone = (
                numpy.asarray(missing, dtype="uint64"),
                numpy.ones(len(missing), dtype="float32"),
                numpy.ones(len(missing), dtype="int32"),
            )
            rows = numpy.asarray(linear.predict(alone), dtype="float64") - self.bias
            used = len(index)
            if used + len(missing) > len(self._matrix):
                grown = numpy.zeros((max(1024, 2 * (used + len(missing))), len(self.labels)))
                if used:
                    grown[:used] = self._matrix[:used]
                self._matrix = grown
            self._matrix[used : used + len(missing)] = rows
            index.update((k, used + n) for n, k in enumerate(missing))
        return [index[k] for k in keys]

    def contributions(self, spans: Sequence[Doc | Span]) -> numpy.ndarray:
        """Each span's contribution to each label's score (the linear layer's output less the
        bias): a score of a text is the bias plus the sum of its sentences' contributions."""
        out = numpy.zeros((len(spans), len(self.labels)))
        if not spans:
            return out
        keys, values, lengths = content_word_counts(spans)
        if len(keys):
            owner = numpy.repeat(numpy.arange(len(spans)), lengths)
            where = self._indices([int(k) for k in keys.tolist()])  # (grows the matrix: before reading it)
            rows = self._matrix[where]
            numpy.add.at(out, owner, rows * values[:, None])
        return out

    def sentence_contributions(self, lemmas: list[int], bounds: Sequence[tuple[int, int]]) -> list[list[float]]:
        """The contributions of the sentences ``bounds`` (token ranges) of a doc whose content
        lemmas by token are ``lemmas`` (0 for other words): what :meth:`contributions` gives for
        their spans, rounded to 5 decimals, with no Span made (the extraction's per-text pass)."""
        counted = [Counter(lemma for lemma in lemmas[start:end] if lemma) for start, end in bounds]
        self._indices([k for counts in counted for k in counts])  # every feature's row computed first
        zero, matrix, index = [0.0] * len(self.labels), self._matrix, self._index
        found = []
        for counts in counted:
            if not counts:
                found.append(zero)
                continue
            keys = sorted(counts)
            weights = numpy.asarray([counts[k] for k in keys], dtype="float64")
            found.append(weights.dot(matrix[[index[k] for k in keys]]).round(5).tolist())
        return found

    def probabilities(self, contributions: numpy.ndarray) -> numpy.ndarray:
        """The probability of each label for a text whose sentences contribute ``contributions``."""
        total = self.bias + (contributions.sum(axis=0) if len(contributions) else 0.0)
        return 1 / (1 + numpy.exp(-numpy.clip(total, -500, 500)))

    def save(self, folder: Path) -> None:
        """Write the model into ``folder`` (``textcat.bin.gz`` and ``model.json``), replacing a model there
        only once the new one is whole."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
        try:
            building.chmod(0o755)  # mkdtemp makes it private; a model is for every user
            packed = self.textcat.to_bytes(exclude=["vocab"])  # type: ignore[attr-defined]
            (building / TEXTCAT_FILE).write_bytes(gzip.compress(packed, mtime=0))
            meta = {
                "version": MODEL_VERSION,
                "architecture": ARCHITECTURE,
                "length": self.length,
                "labels": list(self.labels),
                "learned_threshold": round(self.learned_threshold, 4),
                "candidate_floor": self.candidate_floor,
                "combiner": {
                    "features": list(COMBINER_FEATURES),
                    "weights": [round(w, 6) for w in self.combiner.weights],
                    "threshold": round(self.combiner.threshold, 4),
                },
                "trained": self.info,
            }
            text = json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
            (building / "model.json").write_text(text, encoding="utf-8")
            old = None
            if folder.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
                os.replace(folder, old / "model")
            os.replace(building, folder)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise

    @classmethod
    def load(cls, folder: Path) -> ThemeModel:
        """Read a model folder; a clear one-line error when it is not one."""
        import spacy

        if not (folder / "model.json").is_file():
            raise SocieuxError(f"{folder}: no theme model there (no model.json); `socieux-kg themes train` makes one")
        try:
            meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
            if meta.get("version") != MODEL_VERSION or meta.get("architecture") != ARCHITECTURE:
                raise ValueError(f"a model of another version ({meta.get('version')}, {meta.get('architecture')})")
            if list(meta["combiner"]["features"]) != list(COMBINER_FEATURES):
                raise ValueError("its combiner reads other features")
            labels = tuple(meta["labels"])
            textcat = make_textcat(spacy.blank("en"), labels, int(meta["length"]))
            textcat.from_bytes(gzip.decompress((folder / TEXTCAT_FILE).read_bytes()), exclude=["vocab"])
            textcat.model.get_ref("output_layer").get_param("W")  # raises when the weights are missing
        except (OSError, ValueError, KeyError, TypeError, EOFError) as error:
            raise SocieuxError(f"{folder}: not a theme model of socieux-kg ({error})") from None
        return cls(
            labels=labels,
            textcat=textcat,
            length=int(meta["length"]),
            learned_threshold=float(meta["learned_threshold"]),
            combiner=Combiner(tuple(meta["combiner"]["weights"]), float(meta["combiner"]["threshold"])),
            candidate_floor=float(meta["candidate_floor"]),
            info=meta.get("trained", {}),
        )


# ----------------------------------------------------------------- which model and method


@dataclass(frozen=True)
class ThemeMethod:
    """``themes.toml``: the method that decides and the model folder (relative to ``ontology/``)."""

    method: str
    model: Path


@cache
def theme_method() -> ThemeMethod:
    data = tomllib.loads((ontology_dir() / "reference" / "themes.toml").read_text(encoding="utf-8"))
    method = str(data.get("method", "rules"))
    if method not in METHODS:
        where = ontology_dir() / "reference" / "themes.toml"
        raise SocieuxError(f"{where}: method {method!r} must be one of {', '.join(METHODS)}")
    return ThemeMethod(method, ontology_dir() / str(data.get("model", "models/themes")))


_CHOSEN: dict[str, Path | str | None] = {}  # what use_model set: "model" (a folder, or None: none), "method"


def use_model(folder: Path | None = None, method: str | None = None) -> None:
    """Decide themes with the model in ``folder`` (a retrained one) and/or by ``method`` from now
    on in this process, instead of what ``themes.toml`` says; ``use_model()`` goes back to it.
    The pipeline (:func:`graph.extract.nlp.load_nlp`) is loaded anew for another model; worker
    processes inherit what was in use when they were forked."""
    if method is not None and method not in METHODS:
        raise SocieuxError(f"theme method {method!r}: choose one of {', '.join(METHODS)}")
    if folder is not None:
        ThemeModel.load(folder)  # a bad folder is an error now, not in the middle of a build
    _CHOSEN.clear()
    if folder is not None:
        _CHOSEN["model"] = folder
    if method is not None:
        _CHOSEN["method"] = method
    active_model.cache_clear()


@contextmanager
def chosen_model(folder: Path | None = None, method: str | None = None) -> Iterator[None]:
    """:func:`use_model` for the time of a ``with`` block; what was in use before comes back after."""
    before = dict(_CHOSEN)
    use_model(folder, method)
    try:
        yield
    finally:
        use_model(before.get("model"), before.get("method"))  # type: ignore[arg-type]


def active_method() -> str:
    """The method that decides themes in this process."""
    return str(_CHOSEN.get("method") or theme_method().method)


def active_choice() -> tuple[str, str]:
    """What decides themes in this process: the method and the model folder (a pipeline's key)."""
    return active_method(), str(_CHOSEN.get("model") or theme_method().model)


@cache
def active_model() -> ThemeModel | None:
    """The model this process decides themes with (None when the method is the rules alone)."""
    if active_method() == "rules":
        return None
    folder = _CHOSEN.get("model") or theme_method().model
    assert isinstance(folder, Path)
    return ThemeModel.load(folder)


# ----------------------------------------------------------------- the pipeline component


@Language.factory("socx_theme_model")
def make_theme_model_component(nlp: Language, name: str):
    """Score each sentence of a title or description with the active model: a ``theme_model``
    finding per sentence whose ``scores`` are its contributions to each label (the model's order)."""
    model = active_model()

    def theme_model(doc: Doc) -> Doc:
        if model is None or not len(doc) or doc.user_data.get("field", "description") == "partner":
            return doc
        found = [sentence for sentence in sentences(doc) if sentence[4]]
        out = findings(doc)
        rows = doc.to_array([LEMMA, IS_ALPHA, IS_STOP]).reshape(-1, 3).tolist()
        lemmas = [int(lemma) if alpha and not stop else 0 for lemma, alpha, stop in rows]
        scores = model.sentence_contributions(lemmas, [(start, end) for start, end, *_ in found])
        for (_, _, first, last, text), row in zip(found, scores, strict=True):
            out.append(Finding("theme_model", "", "theme-model", first, last, text, scores=tuple(row)))
        return doc

    return theme_model
