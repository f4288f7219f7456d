"""The trained line model: which lines of a pasted page are the article, and which is its title.

``analysis/resources/line_model_v2.json`` (made by ``python -m analysis.train_cleaning``) holds

- gradient-boosted trees giving P(body | the line and its neighbours) from ``lines.line_features``,
- a two-state transition table: a Viterbi pass over the trees' probabilities turns them into one
  consistent labelling (a lone short line inside the article stays in, a lone long teaser among
  menus stays out),
- a title ranker: a conditional logit that picks, among the headline-like lines above and at the
  start of the body, the one that is the article's title (what a headline looks like, where it sits
  against the body, whether it reads like a byline or a date, how many of its words the lede repeats).

Everything is plain JSON arrays, read with NumPy: no pickle, no scikit-learn at run time.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from analysis.lines import BYLINE_START as _BYLINE
from analysis.lines import DATED as _DATED
from analysis.lines import FEATURE_NAMES, Line, is_prose, line_features, split_lines

__all__ = [
    "MODEL_PATH",
    "TITLE_FEATURES",
    "LineModel",
    "load_line_model",
    "line_model_from_json",
    "context_features",
    "Forest",
    "page_features",
    "first_body_line",
    "title_features",
]

MODEL_PATH = Path(__file__).resolve().parent / "resources" / "line_model_v2.json"
TITLE_FEATURES = [
    "headline_score", "log_chars", "log_words", "ends_sentence", "title_case", "blank_before",
    "blank_after", "log_chunk_lines", "boilerplate", "all_caps", "repeats", "p_body",
    "above_body", "log_distance_to_body", "just_above_body", "next_body_share", "rank_above",
    "position", "separators", "breadcrumb", "byline", "dated", "handle", "digit_share",
    "lede_overlap", "byline_next", "ends_colon",
]
_WORD = re.compile(r"\w{3,}")
LEDE_LINES = 6  # lines from the first body line whose words a title tends to repeat
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


def first_body_line(lines: list[Line], body: np.ndarray) -> int:
    """Index of the first line the smoothed labelling calls body that reads as prose (a sentence,
    not a caption or a label), or ``len(lines)``."""
    return next((i for i, line in enumerate(lines) if body[i] and is_prose(line.text)), len(lines))


def title_features(
    lines: list[Line], features: np.ndarray, p_body: np.ndarray, body: np.ndarray | None = None,
    start: int | None = None,
) -> np.ndarray:
    """One row of ``TITLE_FEATURES`` per line: what a headline looks like, where it sits relative
    to the first line of the body, whether it reads like a byline or a date line (or sits just above
    one, as titles do), and the share of its words that the lede repeats. ``body`` is the smoothed
    labelling (``LineModel.smooth``); without it, lines with P(body) ≥ 0.5. ``start``: its
    ``first_body_line`` when the caller has it already."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(TITLE_FEATURES)))
    above = np.flatnonzero(p_body >= 0.5)
    first = int(above[0]) if len(above) else n
    body = p_body >= 0.5 if body is None else body
    start = first_body_line(lines, body) if start is None else start
    lede = {w.lower() for i in range(start, min(start + LEDE_LINES, n)) if body[i] for w in _WORD.findall(lines[i].text)}
    rows = np.zeros((n, len(TITLE_FEATURES)))
    for i in range(n):
        f = features[i]
        text = lines[i].text
        ahead = p_body[i + 1 : i + 6]
        words = {w.lower() for w in _WORD.findall(text)}
        below = " ".join(line.text for line in lines[i + 1 : i + 3])
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
            _BYLINE.match(text) is not None,
            _DATED.search(text) is not None,
            "@" in text,
            sum(c.isdigit() for c in text) / max(len(text), 1),
            len(words & lede) / max(len(words), 1),
            bool(_BYLINE.match(below) or _DATED.search(below)),
            text.rstrip().endswith((":", "|")),
        ]
    return rows


CONTEXT_FEATURES = [
    "p", "p@-1", "p@+1", "mean_p_2", "mean_p_5", "mean_p_15", "max_p_3", "body_share_before",
    "body_share_after", "p_rank",
]


def context_features(p: np.ndarray) -> np.ndarray:
    """What the first stage thinks of a line's surroundings: its own P(body), its neighbours',
    window means, and how much of the page's likely body lies before and after it."""
    n = len(p)
    if n == 0:
        return np.zeros((0, len(CONTEXT_FEATURES)))

    def window_mean(w: int) -> np.ndarray:
        pad = np.concatenate([np.zeros(w), p, np.zeros(w)])
        return np.convolve(pad, np.ones(2 * w + 1), mode="valid") / (2 * w + 1)

    pad = np.concatenate([np.zeros(3), p, np.zeros(3)])
    near_max = np.max([pad[i : i + n] for i in (0, 1, 2, 4, 5, 6)], axis=0)
    likely = p >= 0.5
    before = np.cumsum(likely) - likely
    total = max(int(likely.sum()), 1)
    return np.column_stack([
        p,
        np.concatenate([[0.0], p[:-1]]),
        np.concatenate([p[1:], [0.0]]),
        window_mean(2),
        window_mean(5),
        window_mean(15),
        near_max,
        before / total,
        (total - before - likely) / total,
        np.argsort(np.argsort(p)) / n,
    ])


@dataclass(slots=True)
class Forest:
    """Gradient-boosted trees as flat arrays over (tree, node): children are flat indexes."""

    baseline: float
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    leaf: np.ndarray
    trees: int
    width: int
    depth: int

    @classmethod
    def from_json(cls, data: dict) -> Forest:
        trees = data["trees"]
        width = max(len(t["feature"]) for t in trees)

        def stack(key: str, dtype: type, fill: float) -> np.ndarray:
            out = np.full((len(trees), width), fill, dtype=dtype)
            for i, t in enumerate(trees):
                out[i, : len(t[key])] = t[key]
            return out

        offsets = (np.arange(len(trees)) * width)[:, None]
        return cls(
            baseline=float(data["baseline"]),
            feature=stack("feature", np.int64, 0).ravel(),
            threshold=stack("threshold", float, 0.0).ravel(),
            left=(stack("left", np.int64, 0) + offsets).ravel(),
            right=(stack("right", np.int64, 0) + offsets).ravel(),
            value=stack("value", float, 0.0).ravel(),
            leaf=stack("leaf", bool, True).ravel(),
            trees=len(trees),
            width=width,
            depth=int(data["depth"]),
        )

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(positive) per row: every tree walked at once, one level per step."""
        n = len(features)
        if n == 0:
            return np.zeros(0)
        node = np.broadcast_to(np.arange(self.trees) * self.width, (n, self.trees)).copy()
        flat = features.ravel()
        row_start = (np.arange(n) * features.shape[1])[:, None]
        for _ in range(self.depth):
            go_left = flat.take(row_start + self.feature.take(node)) <= self.threshold.take(node)
            step = np.where(go_left, self.left.take(node), self.right.take(node))
            node = np.where(self.leaf.take(node), node, step)
        raw = self.baseline + self.value.take(node).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))


@dataclass(slots=True)
class LineModel:
    """The loaded model (see the module docstring)."""

    first: Forest  # line features → P(body)
    second: Forest  # line features + the first stage's context → P(body)
    transitions: np.ndarray  # log P(next | current), states 0 = not body, 1 = body
    title_coef: np.ndarray
    title_intercept: float

    def body_probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(body) per line: the first stage, then the second on what the first says around it."""
        first = self.first.probabilities(features)
        return self.second.probabilities(np.hstack([features, context_features(first)]))

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

    def title_scores(
        self, lines: list[Line], features: np.ndarray, p_body: np.ndarray, body: np.ndarray, start: int | None = None
    ) -> np.ndarray:
        """The ranker's score of "this line is the article's title" per line: compare scores
        between the candidates of one page (a conditional logit; the scale is not a probability)."""
        if not lines:
            return np.zeros(0)
        return title_features(lines, features, p_body, body, start) @ self.title_coef + self.title_intercept


@lru_cache(maxsize=2)
def load_line_model(path: str | Path = MODEL_PATH) -> LineModel:
    """The model at ``path`` (the shipped one by default), loaded once per process."""
    return line_model_from_json(json.loads(Path(path).read_text(encoding="utf-8")), str(path))


def line_model_from_json(data: dict, origin: str = "the line model") -> LineModel:
    """The model a ``train_cleaning`` dict describes (the file's content, or one being trained)."""
    if data.get("features") != FEATURE_NAMES or data.get("title_features") != TITLE_FEATURES:
        raise ValueError(f"{origin}: made for other line features; retrain with python -m analysis.train_cleaning")
    return LineModel(
        first=Forest.from_json(data["first"]),
        second=Forest.from_json(data["second"]),
        transitions=np.asarray(data["transitions"], dtype=float),
        title_coef=np.asarray(data["title"]["coef"], dtype=float),
        title_intercept=float(data["title"]["intercept"]),
    )

