"""Train the sentence-tone head (Newslens tone) and write ``analysis/resources/sentence_tone_v1.json``.

    python -m analysis.train_sentence_tone [--data ../shared/eval/newsmtsc] [--out-dir DIR]

Trains only on NewsMTSC ``train.jsonl``: a sentence whose targets all carry one label gets that
label (negative / neutral / positive); sentences whose targets disagree are left out. Chosen by
5-fold cross-validation on train: whether the sentence's words join the lexicon signals and the
encoder block, the encoder block's scale beside them, C, and the neutral band of ``tone``
(P(positive) - P(negative)). dev_rw / dev_mt are scored once at the end for the report, never
for choices. Deterministic (fixed folds, lbfgs). Needs scikit-learn, which inference does not.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from analysis.encoder import encode_texts
from analysis.tone import LABELS, SentenceToneModel, sentence_features, sentence_vector
from analysis.tone_models import SENTENCE_RESOURCE, SENTENCE_VERSION

__all__ = ["agreeing_sentences", "fit", "main"]

POLARITY_LABELS = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "newsmtsc"
DEFAULT_OUT_DIR = Path(__file__).resolve().parent / "resources"
C_GRID = (0.03, 0.1, 0.3)
FACTOR_GRID = (0.2,)  # the standardised encoder block's scale beside the lexicon features (as the targeted model's)
WORDS_GRID = (False, True)
THRESHOLDS = np.arange(0.02, 0.6, 0.02).round(2)
MIN_COUNT = 2  # a word seen in fewer training sentences is dropped
SEED = 13


def agreeing_sentences(path: Path) -> list[tuple[str, str]]:
    """``(sentence, label)`` for each sentence of a NewsMTSC file whose targets share one label."""
    labels: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            found = labels.setdefault(record["sentence_normalized"], set())
            found.update(POLARITY_LABELS[float(t["polarity"])] for t in record["targets"])
    return [(s, next(iter(found))) for s, found in labels.items() if len(found) == 1]


class _Design:
    """Sparse features and the standardised encoder block of a set of sentences."""

    def __init__(self, features: list[dict[str, float]], vectors: np.ndarray, factor: float):
        counts: dict[str, int] = {}
        for f in features:
            for name in f:
                counts[name] = counts.get(name, 0) + 1
        self.vectorizer = DictVectorizer().fit([{k: v for k, v in f.items() if counts[k] >= MIN_COUNT} for f in features])
        self.mean = vectors.mean(axis=0)
        self.scale = factor / (vectors.std(axis=0) + 1e-6)

    def __call__(self, features: list[dict[str, float]], vectors: np.ndarray) -> sparse.csr_matrix:
        return sparse.hstack([self.vectorizer.transform(features), sparse.csr_matrix((vectors - self.mean) * self.scale)]).tocsr()


def _classifier(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, random_state=SEED)


def _tone(model: LogisticRegression, x) -> np.ndarray:
    probs, classes = model.predict_proba(x), list(model.classes_)
    return probs[:, classes.index("positive")] - probs[:, classes.index("negative")]


def _labels(tone: np.ndarray, threshold: float) -> np.ndarray:
    return np.where(tone >= threshold, "positive", np.where(tone <= -threshold, "negative", "neutral"))


def _featurise(sentences: Sequence[str]) -> tuple[list[dict[str, float]], np.ndarray]:
    encoded = encode_texts(sentences)
    vectors = np.array([sentence_vector(encoded[s.strip()]) for s in sentences])
    return [sentence_features(s) for s in sentences], vectors


def fit(features: list[dict[str, float]], vectors: np.ndarray, y: np.ndarray, *, words: bool, factor: float, c: float, threshold: float) -> dict:
    """Fit on all sentences; the JSON object ``SentenceToneModel`` loads."""
    features = features if words else [{k: v for k, v in f.items() if not k.startswith("w:")} for f in features]
    design = _Design(features, vectors, factor)
    model = _classifier(c).fit(design(features, vectors), y)
    order = [list(model.classes_).index(label) for label in LABELS]
    coef = model.coef_[order]
    n = len(design.vectorizer.vocabulary_)
    weights = {
        name: [round(float(w), 5) for w in coef[:, j]]
        for name, j in sorted(design.vectorizer.vocabulary_.items())
        if np.any(np.abs(coef[:, j]) >= 1e-5)
    }
    return {
        "version": SENTENCE_VERSION,
        "labels": list(LABELS),
        "words": words,
        "C": c,
        "factor": factor,
        "threshold": threshold,
        "bias": [round(float(b), 5) for b in model.intercept_[order]],
        "weights": weights,
        "encoder": {
            "mean": [round(float(v), 6) for v in design.mean],
            "scale": [round(float(v), 6) for v in design.scale],
            "weights": [[round(float(w), 6) for w in row] for row in coef[:, n:].T],
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.train_sentence_tone", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="NewsMTSC folder")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    args = parser.parse_args(argv)

    train = agreeing_sentences(args.data / "train.jsonl")
    sentences, y = [s for s, _ in train], np.array([label for _, label in train])
    features, vectors = _featurise(sentences)
    print(f"train: {len(sentences)} sentences whose targets agree", {k: int((y == k).sum()) for k in LABELS})
    folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED).split(vectors, y))
    best: tuple[float, bool, float, float, float] = (-1.0, False, 0.0, 0.0, 0.0)
    for words, factor in itertools.product(WORDS_GRID, FACTOR_GRID):
        chosen = features if words else [{k: v for k, v in f.items() if not k.startswith("w:")} for f in features]
        for c in C_GRID:
            tone = np.zeros(len(y))
            for train_idx, test_idx in folds:
                part = [chosen[i] for i in train_idx]
                design = _Design(part, vectors[train_idx], factor)
                model = _classifier(c).fit(design(part, vectors[train_idx]), y[train_idx])
                tone[test_idx] = _tone(model, design([chosen[i] for i in test_idx], vectors[test_idx]))
            threshold = max(THRESHOLDS, key=lambda t: f1_score(y, _labels(tone, t), average="macro"))
            score = f1_score(y, _labels(tone, threshold), average="macro")
            print(f"words={words} factor={factor} C={c}: CV macro-F1 {score:.3f} (band {threshold})")
            best = max(best, (score, words, factor, c, float(threshold)))
    score, words, factor, c, threshold = best
    print(f"chosen: words={words} factor={factor} C={c} band {threshold}, CV macro-F1 {score:.3f}")
    data = fit(features, vectors, y, words=words, factor=factor, c=c, threshold=threshold)
    out = args.out_dir / SENTENCE_RESOURCE
    out.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"wrote {out} ({len(data['weights'])} sparse features)")

    model = SentenceToneModel(data)
    for name in ("dev_rw", "dev_mt"):
        path = args.data / f"{name}.jsonl"
        if path.exists():
            dev = agreeing_sentences(path)
            predicted = [("positive" if t >= threshold else "negative" if t <= -threshold else "neutral") for t in model.tones([s for s, _ in dev])]
            f1 = f1_score([label for _, label in dev], predicted, average="macro")
            print(f"{name}: sentence macro-F1 {f1:.3f} ({len(dev)} sentences whose targets agree)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
