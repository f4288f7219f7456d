"""Train the targeted-tone models and write ``analysis/resources/targeted_tone_v2.json`` (fast)
and ``targeted_tone_v3.json`` (accurate).

    python -m analysis.train_targeted [--data ../shared/eval/newsmtsc] [--model fast|accurate|both]
                                      [--out-dir DIR] [--no-cv]

Trains only on NewsMTSC ``train.jsonl``. The regularisation strength C is chosen by 5-fold
cross-validation on train, grouped by sentence so that a sentence's targets never sit on both
sides of a split; dev_rw / dev_mt are scored once at the end for the report, never for choices.
The accurate model adds MiniLM's contextual vectors (``encoder_vectors``, the shipped int8 ONNX
encoder, so the head is trained on what it reads at run time) as a third block,
standardised and scaled by ``ENCODER_FACTOR`` (CV on train over 0.02-0.4: 0.2; over the
encoder's depth: 4 of 6 layers, see ``analysis.encoder.ENCODER_LAYERS``). The sentence-tone head
is trained by ``python -m analysis.train_sentence_tone``.
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
from sklearn.model_selection import GroupKFold

from analysis.nlp import load_nlp
from analysis.targeted import (
    ACCURATE_RESOURCE,
    ACCURATE_VERSION,
    FAST_RESOURCE,
    FAST_VERSION,
    LABELS,
    encoder_vectors,
    target_features,
    target_vector,
)

__all__ = ["POLARITY_LABELS", "read_newsmtsc", "featurise", "fit", "main"]

POLARITY_LABELS = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "newsmtsc"
DEFAULT_OUT_DIR = Path(__file__).resolve().parent / "resources"
C_GRID = (0.03, 0.1, 0.3, 1.0)
ACCURATE_C_GRID = (0.003, 0.01, 0.03)
DENSE_FACTOR = 0.1  # the standardised tok2vec block's scale beside the 0/1 sparse features (CV on train)
ENCODER_FACTOR = 0.2  # the standardised MiniLM block's scale (CV on train)
MIN_COUNT = 2  # a feature seen in fewer training targets is dropped
SEED = 13
VERSIONS = {"fast": FAST_VERSION, "accurate": ACCURATE_VERSION}
RESOURCES = {"fast": FAST_RESOURCE, "accurate": ACCURATE_RESOURCE}


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


def featurise(
    rows: Sequence[tuple[str, int, int, str]], encoder: bool = False
) -> tuple[list[dict[str, float]], np.ndarray, np.ndarray | None]:
    """Sparse features, tok2vec vectors and (with ``encoder``) MiniLM vectors of every row, each
    sentence parsed and encoded once."""
    unique = list(dict.fromkeys(r[0] for r in rows))
    docs = dict(zip(unique, load_nlp().pipe(unique, batch_size=256), strict=True))
    spans = [(docs[s][:], start, end) for s, start, end, _ in rows]
    encoded = encoder_vectors(spans) if encoder else None
    return [target_features(*item) for item in spans], np.array([target_vector(*item) for item in spans]), encoded


class _Standardiser:
    """Centre and scale the vectors to unit variance times ``factor``."""

    def __init__(self, vectors: np.ndarray, factor: float = DENSE_FACTOR):
        self.mean = vectors.mean(axis=0)
        self.scale = factor / (vectors.std(axis=0) + 1e-6)

    def __call__(self, vectors: np.ndarray) -> sparse.csr_matrix:
        return sparse.csr_matrix((vectors - self.mean) * self.scale)

    def export(self, weights: np.ndarray) -> dict:
        """The block as ``TargetedToneModel`` loads it; ``weights`` has one column per label."""
        return {
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "weights": [[round(float(w), 6) for w in row] for row in weights],
        }


def _design(features, vectors, encoded):
    """The design matrix of sparse features and dense blocks, with the fitted vectoriser and
    standardisers (the tok2vec block, then the MiniLM block when ``encoded`` is given)."""
    blocks = [_Standardiser(vectors)] + ([_Standardiser(encoded, ENCODER_FACTOR)] if encoded is not None else [])
    vectorizer = DictVectorizer()
    dense = [vectors] + ([encoded] if encoded is not None else [])
    parts = [vectorizer.fit_transform(features)] + [block(d) for block, d in zip(blocks, dense, strict=True)]
    return sparse.hstack(parts).tocsr(), (vectorizer, blocks)


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


def fit(
    features: list[dict[str, float]], vectors: np.ndarray, labels: list[str], c: float, encoded: np.ndarray | None = None
) -> dict:
    """Fit on all rows and return the model as the JSON object ``TargetedToneModel`` loads; with
    ``encoded`` (MiniLM vectors) the accurate model, else the fast one."""
    x, (vectorizer, blocks) = _design(_prune(features), vectors, encoded)
    model = _classifier(c).fit(x, labels)
    weights, bias = _export(model, vectorizer)
    order = [list(model.classes_).index(label) for label in LABELS]
    dense_coef = model.coef_[order, len(vectorizer.vocabulary_) :].T
    width = vectors.shape[1]
    kind = "fast" if encoded is None else "accurate"
    out = {"version": VERSIONS[kind], "labels": list(LABELS), "C": c, "bias": bias, "weights": weights}
    out["dense"] = blocks[0].export(dense_coef[:width])
    if encoded is not None:
        out["encoder"] = blocks[1].export(dense_coef[width:])
    return out


def cross_validate(features, vectors, labels, groups, encoded=None) -> dict[float, float]:
    """Macro-F1 of each C of the model's grid over 5 sentence-grouped folds of train."""
    x, _ = _design(_prune(features), vectors, encoded)
    y = np.array(labels)
    scores: dict[float, float] = {}
    for c in C_GRID if encoded is None else ACCURATE_C_GRID:
        predicted = np.empty_like(y)
        for train, test in GroupKFold(n_splits=5).split(x, y, groups):
            predicted[test] = _classifier(c).fit(x[train], y[train]).predict(x[test])
        scores[c] = f1_score(y, predicted, average="macro")
        print(f"C={c}: cross-validated macro-F1 {scores[c]:.3f}", file=sys.stderr)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.train_targeted", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="NewsMTSC folder")
    parser.add_argument("--model", choices=("fast", "accurate", "both"), default="both")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument("--no-cv", action="store_true", help="skip CV, use the second C of the grid")
    args = parser.parse_args(argv)
    kinds = ("fast", "accurate") if args.model == "both" else (args.model,)

    rows = read_newsmtsc(args.data / "train.jsonl")
    features, vectors, encoded = featurise(rows, encoder="accurate" in kinds)
    labels = [r[3] for r in rows]
    dev_sets = {
        name: read_newsmtsc(args.data / f"{name}.jsonl")
        for name in ("dev_rw", "dev_mt")
        if (args.data / f"{name}.jsonl").exists()
    }
    dev_features = {name: featurise(dev, encoder="accurate" in kinds) for name, dev in dev_sets.items()}

    from analysis.targeted import TargetedToneModel

    for kind in kinds:
        blocks = encoded if kind == "accurate" else None
        grid = C_GRID if kind == "fast" else ACCURATE_C_GRID
        if args.no_cv:
            best = grid[1]
        else:
            scores = cross_validate(features, vectors, labels, [r[0] for r in rows], blocks)
            best = max(scores, key=scores.get)
        model = fit(features, vectors, labels, best, blocks)
        out = args.out_dir / RESOURCES[kind]
        out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        print(f"{kind}: wrote {out} (C={best}, {len(model['weights'])} features)")

        trained = TargetedToneModel.from_json(model)
        for name, dev in dev_sets.items():
            f, v, e = dev_features[name]
            e = e if kind == "accurate" else [None] * len(dev)
            predicted = [trained.classify(*x).label for x in zip(f, v, e, strict=True)]
            gold = [r[3] for r in dev]
            print(
                f"{kind} {name}: macro-F1 {f1_score(gold, predicted, average='macro'):.3f}"
                f"  accuracy {accuracy_score(gold, predicted):.3f}  ({len(dev)} targets)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
