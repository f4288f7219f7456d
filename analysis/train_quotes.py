"""Train the quote candidate classifier on PolNeAR train (``resources/quote_classifier_v<N>.json``).

Every candidate the rules propose on a train article is labelled by the project's matching rule
(``analysis.evaluate.quotes.match``, one-to-one, best overlap first): positive when it matches a
gold attribution (with or without quotation marks). A logistic regression over the candidates'
features (``analysis.quotes.extract._features``) is fitted; C and the threshold are chosen on
5-fold cross-validation over articles (out-of-fold scores): the reported-speech threshold as the
lowest that keeps out-of-fold precision at or above ``TARGET_PRECISION`` (the issue's goal; the
most recall that precision allows), C as the one that keeps the most true candidates there;
quotes in marks at their best F1. The best F-beta (beta = 0.5) is reported too. The
precision / recall frontier and the candidates' own recall of the gold reported speech are
printed. Dev is never read.

    python -m analysis.train_quotes ../shared/eval/polnear/train [--cache /tmp/quotes/cache]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from analysis.evaluate.quotes import load_articles, match, paragraph_starts, parsed
from analysis.quotes.classifier import CLASSIFIER_VERSION
from analysis.quotes.extract import candidates
from analysis.quotes.lexicon import LEXICON_VERSION

__all__ = ["labelled_candidates", "train", "main"]

OUT = Path(__file__).parent / "resources" / f"quote_classifier_v{CLASSIFIER_VERSION}.json"
MIN_COUNT = 3  # a feature seen on fewer train candidates is dropped (it would only memorise)
BETA = 0.5
TARGET_PRECISION = 0.85  # reported speech: a wrong quote costs more than a missing one (issue 13)


def labelled_candidates(
    directory: Path, cache: Path | None = None, limit: int | None = None
) -> tuple[list[dict[str, float]], list[int], list[str], list[int], tuple[int, int]]:
    """(features, labels, kinds, article index) of every candidate in a split, and (gold reported
    attributions, those some indirect candidate matches): the candidates' recall before the model."""
    articles = load_articles(directory, limit)
    feats, labels, kinds, groups = [], [], [], []
    reach = [0, 0]  # gold reported attributions, and those some indirect candidate matches
    for n, (article, (doc, mentions)) in enumerate(zip(articles, parsed(articles, cache), strict=True)):
        cands = candidates(doc, mentions, paragraph_starts=paragraph_starts(doc.text))
        gold = article.gold
        pairs = match([c.quote.text for c in cands], [g.content for g in gold], [g.direct and not g.pure for g in gold])
        positive = {i for i, _ in pairs}
        said = [i for i, c in enumerate(cands) if c.quote.kind == "indirect"]
        reported = [g.content for g in gold if not g.direct]
        reach[0] += len(reported)
        reach[1] += len(match([cands[i].quote.text for i in said], reported, [False] * len(reported)))
        for i, c in enumerate(cands):
            feats.append(c.features)
            labels.append(int(i in positive))
            kinds.append(c.quote.kind)
            groups.append(n)
    return feats, labels, kinds, groups, (reach[0], reach[1])


def _fbeta(y: np.ndarray, keep: np.ndarray, beta: float = BETA) -> float:
    tp = float((y & keep).sum())
    p = tp / keep.sum() if keep.sum() else 0.0
    r = tp / y.sum() if y.sum() else 0.0
    return (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0


def _at_precision(y: np.ndarray, oof: np.ndarray, mask: np.ndarray, thresholds: np.ndarray) -> tuple[float, float]:
    """(threshold, share of the true candidates kept) at the lowest threshold whose precision over
    ``mask`` reaches ``TARGET_PRECISION`` (the highest threshold and 0.0 when none does)."""
    for t in thresholds:
        kept = (oof >= t) & mask
        if kept.sum() and (y & kept).sum() / kept.sum() >= TARGET_PRECISION:
            return float(t), float((y & kept).sum() / max(1, (y & mask).sum()))
    return float(thresholds[-1]), 0.0


def train(
    feats: list[dict[str, float]], labels: list[int], kinds: list[str], groups: list[int], *, seed: int = 0
) -> dict:
    """Fit the model and choose C and the threshold on grouped cross-validation."""
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    counts = Counter(name for f in feats for name in f)
    kept = [{k: v for k, v in f.items() if counts[k] >= MIN_COUNT} for f in feats]
    vec = DictVectorizer(sparse=True)
    x = vec.fit_transform(kept)
    y = np.array(labels, dtype=bool)
    indirect = np.array([k == "indirect" for k in kinds])
    marked = ~indirect
    folds = list(GroupKFold(n_splits=5).split(x, y, groups))
    grid = np.arange(0.1, 0.81, 0.02)
    fine = np.arange(0.1, 0.96, 0.01)
    best: tuple[float, float, float, np.ndarray] | None = None
    report = []
    for c in (0.03, 0.1, 0.3, 1.0):
        oof = np.zeros(len(y))
        for tr, te in folds:
            model = LogisticRegression(C=c, max_iter=2000, random_state=seed)
            model.fit(x[tr], y[tr])
            oof[te] = model.predict_proba(x[te])[:, 1]
        t, kept = _at_precision(y, oof, indirect, fine)
        if best is None or kept > best[0]:
            best = (kept, c, t, oof)
        report.append((c, kept, max(_fbeta(y[indirect], (oof >= t)[indirect]) for t in grid)))
    assert best is not None
    kept_share, c, threshold, oof = best
    score = max(_fbeta(y[indirect], (oof >= t)[indirect]) for t in grid)
    # quotes in marks: the threshold that maximises F1 (they are rarely wrong, and missing one hurts)
    marked_threshold = float(max(grid, key=lambda t: _fbeta(y[marked], (oof >= t)[marked], beta=1.0)))
    model = LogisticRegression(C=c, max_iter=2000, random_state=seed).fit(x, y)
    keep = np.where(indirect, oof >= threshold, oof >= marked_threshold)
    cv = {}
    for kind in ("direct", "partial", "indirect"):
        mask = np.array([k == kind for k in kinds])
        tp = float((y & keep & mask).sum())
        cv[kind] = {
            "candidates": int(mask.sum()),
            "precision_all": round(float(y[mask].mean()), 4) if mask.any() else 0.0,
            "precision_kept": round(tp / max(1, (keep & mask).sum()), 4),
            "kept_of_true": round(tp / max(1, (y & mask).sum()), 4),
        }
    curve = {}
    for t in np.arange(0.2, 0.91, 0.05):
        kept = (oof >= t) & indirect
        curve[f"{t:.2f}"] = [round(float((y & kept).sum() / max(1, kept.sum())), 3),
                             round(float((y & kept).sum() / max(1, (y & indirect).sum())), 3)]  # fmt: skip
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 5) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) > 1e-6}
    return {
        "version": CLASSIFIER_VERSION,
        "lexicon_version": LEXICON_VERSION,
        "trained_on": "PolNeAR train (all articles, first annotator each)",
        "C": c,
        "threshold": {"direct": round(marked_threshold, 3), "partial": round(marked_threshold, 3),
                      "indirect": round(threshold, 3)},  # fmt: skip
        "cv_fbeta_indirect": round(score, 4),  # the best F0.5 over thresholds, at C
        "target_precision_indirect": TARGET_PRECISION,
        "cv_by_C": {str(k): {"kept_at_target": round(v, 4), "fbeta": round(f, 4)} for k, v, f in report},
        "cv": cv,
        "cv_indirect_curve": curve,  # threshold -> [precision, share of true candidates kept]
        "intercept": round(float(model.intercept_[0]), 5),
        "weights": dict(sorted(weights.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.train_quotes", description=__doc__.split("\n")[0])
    parser.add_argument("train", type=Path, help="PolNeAR train/ folder")
    parser.add_argument("--cache", type=Path, default=None, help="folder keeping the parsed split")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    feats, labels, kinds, groups, (total, reached) = labelled_candidates(args.train, args.cache, args.limit)
    model = train(feats, labels, kinds, groups)
    model["candidate_recall_indirect"] = round(reached / max(1, total), 4)  # before the classifier
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in model.items() if k != "weights"}, indent=1))
    print(f"{len(model['weights'])} weights -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
