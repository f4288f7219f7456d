"""Train the line model (``analysis/resources/line_model_v2.json``) on the pages' train split.

    python -m analysis.train_cleaning ../shared/eval/pages [--out PATH]

Labels per copied line:

- *readability* (full gold): a line is ``body`` when at least half of its 4-word shingles (for a
  line of 1–3 words: the line itself, next to a body line) occur in the gold body, else not; the
  line equal to the gold title is the ``title``.
- *trafilatura* (snippets): a line holding a ``with`` snippet is ``body``, one holding a
  ``without`` snippet is not; other lines carry no label (they still give their neighbours'
  features).

Pages split by a hash of their name (``evaluate.cleaning.page_split``); only ``train`` pages are
used. The model: gradient-boosted trees (scikit-learn's HistGradientBoosting, fixed seed, no
early stopping) for P(body | line and its neighbours), its trees written out as plain arrays, a
two-state transition table for the Viterbi pass, and a title ranker: a conditional logit (softmax
over the candidates of one page, the candidates being those the cleaner considers) fitted by
gradient descent on the readability train pages whose title is one of their lines. The same data and
options give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.evaluate.cleaning import Page, load_pages, page_split, shingles, title_matches
from analysis.line_model import (
    CONTEXT_FEATURES,
    MODEL_PATH,
    TITLE_FEATURES,
    context_features,
    first_body_line,
    line_model_from_json,
    page_features,
    title_features,
)
from analysis.lines import FEATURE_NAMES, Line

__all__ = ["LabelledPage", "label_page", "build", "main"]

_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")


@dataclass(slots=True)
class LabelledPage:
    """A page's lines, their features, body labels (1, 0, or -1 for unknown) and title flags."""

    name: str
    lines: list[Line]
    features: np.ndarray
    body: np.ndarray
    title: np.ndarray
    weight: float


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def label_page(page: Page, lines: list[Line]) -> tuple[np.ndarray, np.ndarray]:
    """(body labels, title flags) for the page's lines; see the module docstring."""
    n = len(lines)
    body = np.full(n, -1, dtype=int)
    title = np.zeros(n, dtype=int)
    if page.full_gold:
        gold = shingles(page.body or "")
        gold_tokens = " " + " ".join(_TOKEN.findall(page.body or "")) + " "
        for i, line in enumerate(lines):
            tokens = _TOKEN.findall(line.text)
            if len(tokens) >= 4:
                own = shingles(line.text)
                body[i] = int(sum((own & gold).values()) >= 0.5 * sum(own.values()))
        for i, line in enumerate(lines):
            tokens = _TOKEN.findall(line.text)
            if 0 < len(tokens) < 4:
                near = any(body[j] == 1 for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < n)
                body[i] = int(near and f" {' '.join(tokens)} " in gold_tokens)
            elif not tokens:
                body[i] = 0
        if page.title:
            for i, line in enumerate(lines):
                title[i] = int(title_matches(line.text, page.title))
    else:
        keep = [_collapse(s) for s in page.with_snippets]
        drop = [_collapse(s) for s in page.without_snippets]
        for i, line in enumerate(lines):
            if any(s and s in line.text for s in keep):
                body[i] = 1
            elif any(s and s in line.text for s in drop):
                body[i] = 0
    return body, title


def labelled_pages(root: Path) -> list[LabelledPage]:
    """Every page of both layouts with features and labels (train and dev alike)."""
    out: list[LabelledPage] = []
    for layout, weight in (("readability", 1.0), ("trafilatura", 3.0)):
        for page in load_pages(root / layout):
            lines, features = page_features(page.copied)
            body, title = label_page(page, lines)
            out.append(LabelledPage(f"{layout}/{page.name}", lines, features, body, title, weight))
    return out


def _cached_pages(root: Path, cache: Path | None) -> list[LabelledPage]:
    """``labelled_pages``, kept between runs in ``cache`` (a local file, for experiments only)."""
    import pickle

    if cache is not None and cache.is_file():
        return pickle.loads(cache.read_bytes())
    pages = labelled_pages(root)
    if cache is not None:
        cache.write_bytes(pickle.dumps(pages))
    return pages


def _trees(model) -> list[dict[str, list]]:
    """HistGradientBoosting's trees as plain lists: feature, threshold, left, right, value, leaf,
    and where a missing value goes."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        trees.append({
            "feature": [int(x) for x in nodes["feature_idx"]],
            "threshold": [float(x) for x in nodes["num_threshold"]],
            "left": [int(x) for x in nodes["left"]],
            "right": [int(x) for x in nodes["right"]],
            "value": [round(float(x), 6) for x in nodes["value"]],
            "leaf": [int(x) for x in nodes["is_leaf"]],
        })
    return trees


def _transitions(pages: list[LabelledPage]) -> list[list[float]]:
    """log P(next state | state) over consecutive labelled lines of full-gold pages (add-one)."""
    counts = np.ones((2, 2))
    for p in pages:
        if p.name.startswith("readability/"):
            for a, b in zip(p.body[:-1], p.body[1:], strict=True):
                if a >= 0 and b >= 0:
                    counts[a, b] += 1
    return [[round(float(x), 6) for x in row] for row in np.log(counts / counts.sum(axis=1, keepdims=True))]


TITLE_L2 = 3.0  # 5-fold CV on train pages: 30–32 of 100 titles right for L2 from 0.3 to 10 (flat)
TITLE_STEPS, TITLE_RATE = 2000, 0.5


def _title_candidates(lines: list, first_body: int) -> list[tuple[int, bool]]:
    """(line index, a truncated copy on the page names it) for the lines the cleaner would weigh
    as the title (``clean._mark_by_model``, line by line instead of block by block)."""
    from analysis.clean import _is_truncated_copy, _title_candidate

    zone = [line.text for line in lines[: first_body + 3]]
    out = []
    for i, text in enumerate(zone):
        if _title_candidate(text) and not _is_truncated_copy(text, zone):
            out.append((i, any(_is_truncated_copy(t, [text]) for t in zone)))
    return out


def _title_model(pages: list[LabelledPage], model: dict) -> dict[str, list[float] | float]:
    """The title ranker on the readability train pages whose title is among the candidates: the
    body as the finished model labels it, the candidates as the cleaner picks them, the truncated
    copy's bonus added as at run time."""
    from analysis.clean import BODY_PRIOR, TRUNCATED_BONUS

    lm = line_model_from_json(model)
    groups = []
    for p in pages:
        if not (p.name.startswith("readability/") and p.title.any()):
            continue
        probs = lm.body_probabilities(p.features)
        body = lm.smooth(probs, prior=BODY_PRIOR)
        cands = _title_candidates(p.lines, first_body_line(p.lines, body))
        y = np.array([p.title[i] for i, _ in cands], dtype=float)
        if y.any():
            x = title_features(p.lines, p.features, probs, body)[[i for i, _ in cands]]
            groups.append((x, TRUNCATED_BONUS * np.array([t for _, t in cands], dtype=float), y / y.sum()))
    allx = np.vstack([x for x, _, _ in groups])
    mu, sd = allx.mean(axis=0), allx.std(axis=0) + 1e-6
    groups = [((x - mu) / sd, bonus, target) for x, bonus, target in groups]
    w = np.zeros(allx.shape[1])
    for _ in range(TITLE_STEPS):
        grad = TITLE_L2 * w / len(groups)
        for x, bonus, target in groups:
            z = x @ w + bonus
            e = np.exp(z - z.max())
            grad += x.T @ (e / e.sum() - target) / len(groups)
        w -= TITLE_RATE * grad
    print(f"title ranker on {len(groups)} pages", file=sys.stderr)
    coef = w / sd
    return {"coef": [round(float(c), 6) for c in coef], "intercept": round(float(-(coef * mu).sum()), 6)}


FOLDS = 5
HGB_OPTIONS = dict(
    max_iter=150, learning_rate=0.08, max_leaf_nodes=15, min_samples_leaf=30, l2_regularization=1.0,
    early_stopping=False, random_state=0,
)


def _fit(x: np.ndarray, y: np.ndarray, w: np.ndarray):
    from sklearn.ensemble import HistGradientBoostingClassifier

    known = y >= 0
    return HistGradientBoostingClassifier(**HGB_OPTIONS).fit(x[known], y[known], sample_weight=w[known])


def _forest(clf) -> dict:
    return {
        "baseline": round(float(clf._baseline_prediction.ravel()[0]), 6),
        "depth": max(int(p.nodes["depth"].max()) for (p,) in clf._predictors),
        "trees": _trees(clf),
    }


def _fold(name: str) -> int:
    return int(hashlib.sha1(name.encode("utf-8")).hexdigest()[8:16], 16) % FOLDS


def build(root: Path, cache: Path | None = None) -> dict:
    """The model as a JSON-ready dict, trained on the train split of both layouts.

    The second stage learns from the first stage's out-of-fold probabilities (5 folds by page),
    so it sees the first stage as it behaves on pages it was not trained on."""
    pages = [p for p in _cached_pages(root, cache) if page_split(p.name.split("/", 1)[1]) == "train"]
    x = np.vstack([p.features for p in pages])
    y = np.concatenate([p.body for p in pages])
    w = np.concatenate([np.full(len(p.body), p.weight) for p in pages])
    page_of = np.concatenate([np.full(len(p.body), i) for i, p in enumerate(pages)])
    folds = np.array([_fold(p.name) for p in pages])[page_of]
    first = _fit(x, y, w)
    oof = np.zeros(len(y))
    for k in range(FOLDS):
        part = _fit(x[folds != k], y[folds != k], w[folds != k])
        oof[folds == k] = part.predict_proba(x[folds == k])[:, 1]
    context = np.vstack([context_features(oof[page_of == i]) for i in range(len(pages))])
    second = _fit(np.hstack([x, context]), y, w)
    print(f"trained on {len(pages)} pages, {int((y >= 0).sum())} labelled lines", file=sys.stderr)
    model = {
        "version": 2,
        "features": FEATURE_NAMES,
        "context_features": CONTEXT_FEATURES,
        "first": _forest(first),
        "second": _forest(second),
        "transitions": _transitions(pages),
        "title_features": TITLE_FEATURES,
        "title": {"coef": [0.0] * len(TITLE_FEATURES), "intercept": 0.0},
    }
    model["title"] = _title_model(pages, model)
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.train_cleaning")
    parser.add_argument("pages", help="../shared/eval/pages (readability/ and trafilatura/ under it)")
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument("--cache", default=None, help="keep the pages' features in this file between runs")
    args = parser.parse_args(argv)
    model = build(Path(args.pages), Path(args.cache) if args.cache else None)
    Path(args.out).write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
