"""Train the targeted-tone model and write ``analysis/resources/targeted_tone_v2.json``.

    python -m analysis.train_targeted [--data ../shared/eval/newsmtsc] [--out PATH] [--no-cv]

Trains only on NewsMTSC ``train.jsonl``. The regularisation strength C is chosen by 5-fold
cross-validation on train, grouped by sentence so that a sentence's targets never sit on both
sides of a split; dev_rw / dev_mt are scored once at the end for the report, never for choices.
Deterministic (fixed seed, lbfgs): the same data gives the same file. Needs scikit-learn, which
inference does not.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold, KFold

from analysis.nlp import load_nlp
from analysis.targeted import LABELS, MODEL_RESOURCE, target_features, target_vector

__all__ = ["POLARITY_LABELS", "read_newsmtsc", "featurise", "fit", "fit_sentence_tone", "main"]

POLARITY_LABELS = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "newsmtsc"
DEFAULT_OUT = Path(__file__).resolve().parent / "resources" / MODEL_RESOURCE
C_GRID = (0.03, 0.1, 0.3, 1.0)
DENSE_FACTOR = 0.1  # the standardised tok2vec block's scale beside the 0/1 sparse features (CV on train)
MIN_COUNT = 2  # a feature seen in fewer training targets is dropped
SEED = 13
VERSION = "targeted_tone_v2"


def read_newsmtsc(path: Path) -> list[tuple[str, int, int, str]]:
    """``(sentence, from, to, label)`` for every target of a NewsMTSC JSON Lines file."""
    rows = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            sentence = record["sentence_normalized"]
            for target in record["targets"]:
                label = POLARITY_LABELS[float(target["polarity"])]
                rows.append((sentence, int(target["from"]), int(target["to"]), label))
    return rows


def featurise(rows: Sequence[tuple[str, int, int, str]]) -> tuple[list[dict[str, float]], np.ndarray]:
    """Sparse features and contextual vectors of every row, each sentence parsed once."""
    unique = list(dict.fromkeys(r[0] for r in rows))
    docs = dict(zip(unique, load_nlp().pipe(unique, batch_size=256), strict=True))
    spans = [(docs[s][:], start, end) for s, start, end, _ in rows]
    return [target_features(*item) for item in spans], np.array([target_vector(*item) for item in spans])


class _Standardiser:
    """Centre and scale the vectors to unit variance times ``DENSE_FACTOR``."""

    def __init__(self, vectors: np.ndarray):
        self.mean = vectors.mean(axis=0)
        self.scale = DENSE_FACTOR / (vectors.std(axis=0) + 1e-6)

    def __call__(self, vectors: np.ndarray) -> sparse.csr_matrix:
        return sparse.csr_matrix((vectors - self.mean) * self.scale)


def _prune(features: list[dict[str, float]]) -> list[dict[str, float]]:
    counts: dict[str, int] = {}
    for f in features:
        for name in f:
            counts[name] = counts.get(name, 0) + 1
    keep = {name for name, n in counts.items() if n >= MIN_COUNT}
    return [{k: v for k, v in f.items() if k in keep} for f in features]


def _classifier(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, random_state=SEED)


def _export(model: LogisticRegression, vectorizer: DictVectorizer) -> tuple[dict[str, list[float]], list[float]]:
    """A fitted model's first ``len(vectorizer.vocabulary_)`` columns as plain JSON: feature -> one
    weight per class in ``LABELS`` order, and the biases; weights below 1e-5 in every class are
    dropped."""
    order = [list(model.classes_).index(label) for label in LABELS]
    coef = model.coef_[order]
    weights = {
        name: [round(float(w), 5) for w in coef[:, j]]
        for name, j in sorted(vectorizer.vocabulary_.items())
        if np.any(np.abs(coef[:, j]) >= 1e-5)
    }
    return weights, [round(float(b), 5) for b in model.intercept_[order]]


def fit(features: list[dict[str, float]], vectors: np.ndarray, labels: list[str], c: float) -> dict:
    """Fit on all rows and return the model as the JSON object ``TargetedToneModel`` loads."""
    features = _prune(features)
    vectorizer = DictVectorizer()
    standardise = _Standardiser(vectors)
    x = sparse.hstack([vectorizer.fit_transform(features), standardise(vectors)]).tocsr()
    model = _classifier(c).fit(x, labels)
    weights, bias = _export(model, vectorizer)
    n_sparse = len(vectorizer.vocabulary_)
    order = [list(model.classes_).index(label) for label in LABELS]
    dense = {
        "mean": [round(float(v), 6) for v in standardise.mean],
        "scale": [round(float(v), 6) for v in standardise.scale],
        "weights": [[round(float(w), 6) for w in row] for row in model.coef_[order, n_sparse:].T],
    }
    return {"version": VERSION, "labels": list(LABELS), "C": c, "bias": bias, "weights": weights, "dense": dense}


def fit_sentence_tone(rows: Sequence[tuple[str, int, int, str]]) -> dict:
    """The sentence-tone regression of ``analysis.tone`` over ``sentence_features``, fitted on
    the train sentences whose targets all share one label; C and the neutral band of ``tone``
    are chosen on sentence-grouped cross-validation predictions."""
    from analysis.tone import lexicon_scores, sentence_features

    by_sentence: dict[str, set[str]] = {}
    for sentence, _, _, label in rows:
        by_sentence.setdefault(sentence, set()).add(label)
    sentences = [s for s, labels in by_sentence.items() if len(labels) == 1]
    y = np.array([next(iter(by_sentence[s])) for s in sentences])
    features = _prune(
        [
            sentence_features(s, *lexicon_scores(s)[:2])
            for s in sentences
        ]
    )
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(features)

    def tone_of(probs: np.ndarray, classes: list[str]) -> np.ndarray:
        return probs[:, classes.index("positive")] - probs[:, classes.index("negative")]

    def f1_at(tone: np.ndarray, threshold: float) -> float:
        predicted = np.where(tone >= threshold, "positive", np.where(tone <= -threshold, "negative", "neutral"))
        return f1_score(y, predicted, average="macro")

    thresholds = np.arange(0.02, 0.5, 0.02).round(2)
    best = (-1.0, 0.0, 0.0)  # macro-F1, C, threshold
    for c in C_GRID:
        tone = np.zeros(len(y))
        for train, test in KFold(n_splits=5, shuffle=True, random_state=SEED).split(x):
            model = _classifier(c).fit(x[train], y[train])
            tone[test] = tone_of(model.predict_proba(x[test]), list(model.classes_))
        threshold = max(thresholds, key=lambda t: f1_at(tone, t))
        best = max(best, (f1_at(tone, threshold), c, float(threshold)))
    score, c, threshold = best
    print(f"sentence tone: {len(sentences)} sentences, C={c}, threshold {threshold}, cross-validated macro-F1 {score:.3f}")
    model = _classifier(c).fit(x, y)
    weights, bias = _export(model, vectorizer)
    return {"C": c, "weights": weights, "bias": bias, "threshold": threshold}


def cross_validate(features, vectors, labels, groups) -> dict[float, float]:
    """Macro-F1 of each C in ``C_GRID`` over 5 sentence-grouped folds of train."""
    features = _prune(features)
    x = sparse.hstack([DictVectorizer().fit_transform(features), _Standardiser(vectors)(vectors)]).tocsr()
    y = np.array(labels)
    scores: dict[float, float] = {}
    for c in C_GRID:
        predicted = np.empty_like(y)
        for train, test in GroupKFold(n_splits=5).split(x, y, groups):
            predicted[test] = _classifier(c).fit(x[train], y[train]).predict(x[test])
        scores[c] = f1_score(y, predicted, average="macro")
        print(f"C={c}: cross-validated macro-F1 {scores[c]:.3f}", file=sys.stderr)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.train_targeted", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="NewsMTSC folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-cv", action="store_true", help=f"skip CV, use C={C_GRID[1]}")
    args = parser.parse_args(argv)

    rows = read_newsmtsc(args.data / "train.jsonl")
    features, vectors = featurise(rows)
    labels = [r[3] for r in rows]
    if args.no_cv:
        best = C_GRID[1]
    else:
        scores = cross_validate(features, vectors, labels, [r[0] for r in rows])
        best = max(scores, key=scores.get)
    model = fit(features, vectors, labels, best)
    model["sentence_tone"] = fit_sentence_tone(rows)
    args.out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"wrote {args.out} (C={best}, {len(model['weights'])} features)")

    from analysis.targeted import TargetedToneModel

    trained = TargetedToneModel.from_json(model)
    for name in ("dev_rw", "dev_mt"):
        path = args.data / f"{name}.jsonl"
        if not path.exists():
            continue
        dev = read_newsmtsc(path)
        predicted = [trained.classify(f, v).label for f, v in zip(*featurise(dev), strict=True)]
        gold = [r[3] for r in dev]
        print(
            f"{name}: macro-F1 {f1_score(gold, predicted, average='macro'):.3f}"
            f"  accuracy {accuracy_score(gold, predicted):.3f}  ({len(dev)} targets)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
