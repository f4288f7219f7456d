"""The trained line model: which lines of a pasted page are the article, and which is its title.

``analysis/resources/line_model_v1.json`` (made by ``python -m analysis.train_cleaning``) holds

- gradient-boosted trees giving P(body | the line and its neighbours) from ``lines.line_features``,
- a two-state transition table: a Viterbi pass over the trees' probabilities turns them into one
  consistent labelling (a lone short line inside the article stays in, a lone long teaser among
  menus stays out),
- a logistic title scorer over the lines above and at the start of the body.

Everything is plain JSON arrays, read with NumPy: no pickle, no scikit-learn at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from analysis.lines import FEATURE_NAMES, Line, line_features, split_lines

__all__ = [
    "MODEL_PATH",
    "TITLE_FEATURES",
    "LineModel",
    "load_line_model",
    "page_features",
    "title_features",
]

MODEL_PATH = Path(__file__).resolve().parent / "resources" / "line_model_v1.json"
TITLE_FEATURES = [
    "headline_score", "log_chars", "log_words", "ends_sentence", "title_case", "blank_before",
    "blank_after", "log_chunk_lines", "boilerplate", "all_caps", "repeats", "p_body",
    "above_body", "log_distance_to_body", "just_above_body", "next_body_share", "rank_above",
    "position", "separators", "breadcrumb",
]
_F = {name: i for i, name in enumerate(FEATURE_NAMES)}


def page_features(text: str) -> tuple[list[Line], np.ndarray]:
    """The page's non-blank lines and their feature rows (rule-table features from the cleaner)."""
    from analysis import clean

    lines = split_lines(text)

    def score(line: str, next_text: str | None) -> float:
        return clean.headline_score(line, first=False, top_zone=False, next_text=next_text)

    features = line_features(
        lines,
        boilerplate=lambda line: clean.boilerplate_reason(line) is not None,
        breadcrumb=lambda line: clean.split_breadcrumb(line) is not None,
        headline_score=score,
    )
    return lines, features


def title_features(lines: list[Line], features: np.ndarray, p_body: np.ndarray) -> np.ndarray:
    """One row of ``TITLE_FEATURES`` per line: what a headline looks like, and where it sits
    relative to the first line of the body."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(TITLE_FEATURES)))
    body = np.flatnonzero(p_body >= 0.5)
    first = int(body[0]) if len(body) else n
    rows = np.zeros((n, len(TITLE_FEATURES)))
    for i in range(n):
        f = features[i]
        ahead = p_body[i + 1 : i + 6]
        rows[i] = [
            f[_F["headline_score"]],
            f[_F["log_chars"]],
            f[_F["log_words"]],
            f[_F["ends_sentence"]],
            f[_F["title_case"]],
            f[_F["blank_before"]],
            f[_F["blank_after"]],
            f[_F["log_chunk_lines"]],
            f[_F["boilerplate"]],
            f[_F["all_caps"]],
            f[_F["log_repeats"]],
            p_body[i],
            i < first,
            math.log1p(abs(first - i)),
            0 < first - i <= 3,
            float(ahead.mean()) if len(ahead) else 0.0,
            math.log1p(max(first - i, 0)),
            f[_F["position"]],
            f[_F["separators"]],
            f[_F["breadcrumb"]],
        ]
    return rows


@dataclass(slots=True)
class LineModel:
    """The loaded model (see the module docstring)."""

    baseline: float
    trees: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # (tree, node)
    depth: int
    transitions: np.ndarray  # log P(next | current), states 0 = not body, 1 = body
    title_coef: np.ndarray
    title_intercept: float

    def body_probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(body) per row: every tree walked at once, one level per step."""
        feature, threshold, left, right, value, leaf = (a.ravel() for a in self.trees)
        t, width = self.trees[0].shape
        node = np.broadcast_to(np.arange(t) * width, (len(features), t)).copy()  # flat node index
        flat = features.ravel()
        row_start = (np.arange(len(features)) * features.shape[1])[:, None]
        for _ in range(self.depth):
            go_left = flat.take(row_start + feature.take(node)) <= threshold.take(node)
            step = np.where(go_left, left.take(node), right.take(node))
            node = np.where(leaf.take(node), node, step)
        raw = self.baseline + value.take(node).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))

    def smooth(self, p_body: np.ndarray, prior: float = 0.5) -> np.ndarray:
        """The most likely body/not-body sequence (Viterbi) given the per-line probabilities,
        treated as posteriors against ``prior``."""
        n = len(p_body)
        if n == 0:
            return np.zeros(0, dtype=bool)
        p = np.clip(p_body, 1e-6, 1 - 1e-6)
        off = (np.log(1 - p) - math.log(1 - prior)).tolist()
        on = (np.log(p) - math.log(prior)).tolist()
        (t00, t01), (t10, t11) = self.transitions.tolist()
        s0, s1 = off[0], on[0]
        back: list[tuple[int, int]] = [(0, 1)]
        for i in range(1, n):  # two states: plain floats are far quicker than NumPy here
            a0, b0 = s0 + t00, s1 + t10
            a1, b1 = s0 + t01, s1 + t11
            back.append((0 if a0 >= b0 else 1, 0 if a1 >= b1 else 1))
            s0, s1 = max(a0, b0) + off[i], max(a1, b1) + on[i]
        states = np.zeros(n, dtype=bool)
        state = 1 if s1 > s0 else 0
        for i in range(n - 1, -1, -1):
            states[i] = bool(state)
            state = back[i][state]
        return states

    def title_scores(self, lines: list[Line], features: np.ndarray, p_body: np.ndarray) -> np.ndarray:
        """Logit of "this line is the article's title" per line."""
        if not lines:
            return np.zeros(0)
        return title_features(lines, features, p_body) @ self.title_coef + self.title_intercept


@lru_cache(maxsize=2)
def load_line_model(path: str | Path = MODEL_PATH) -> LineModel:
    """The model at ``path`` (the shipped one by default), loaded once per process."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("features") != FEATURE_NAMES or data.get("title_features") != TITLE_FEATURES:
        raise ValueError(f"{path}: made for other line features; retrain with python -m analysis.train_cleaning")
    width = max(len(t["feature"]) for t in data["trees"])

    def stack(key: str, dtype: type, fill: float) -> np.ndarray:
        out = np.full((len(data["trees"]), width), fill, dtype=dtype)
        for i, t in enumerate(data["trees"]):
            out[i, : len(t[key])] = t[key]
        return out

    offsets = (np.arange(len(data["trees"])) * width)[:, None]
    trees = (
        stack("feature", np.int64, 0),
        stack("threshold", float, 0.0),
        stack("left", np.int64, 0) + offsets,  # children as flat indexes over all trees
        stack("right", np.int64, 0) + offsets,
        stack("value", float, 0.0),
        stack("leaf", bool, True),
    )
    return LineModel(
        baseline=float(data["baseline"]),
        trees=trees,
        depth=int(data["depth"]),
        transitions=np.asarray(data["transitions"], dtype=float),
        title_coef=np.asarray(data["title"]["coef"], dtype=float),
        title_intercept=float(data["title"]["intercept"]),
    )

