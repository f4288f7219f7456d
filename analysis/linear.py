"""The arithmetic the shipped tone heads share: linear scores over sparse named features and
standardised dense blocks, and one softmax. Heads ship as JSON (feature -> one weight per class);
inference needs no scikit-learn and no pickle.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

__all__ = ["DenseBlock", "linear_scores", "softmax"]


class DenseBlock(NamedTuple):
    """A standardised dense block: ``x -> ((x - mean) * scale) @ weights`` (one column per class)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray

    @classmethod
    def from_json(cls, data: Mapping | None) -> DenseBlock | None:
        if data is None:
            return None
        return cls(*(np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "weights")))

    def scores(self, x: np.ndarray) -> np.ndarray:
        """The block's contribution to each class (rows of ``x`` give rows of scores)."""
        return ((x - self.mean) * self.scale) @ self.weights


def linear_scores(
    bias: Sequence[float], weights: Mapping[str, Sequence[float]], features: Mapping[str, float]
) -> list[float]:
    """``bias + sum(weight[name] * value)`` per class; features without a weight are ignored."""
    scores = list(bias)
    for name, value in features.items():
        w = weights.get(name)
        if w is not None:
            for k in range(len(scores)):
                scores[k] += w[k] * value
    return scores


def softmax(scores: Sequence[float]) -> tuple[float, ...]:
    """Class probabilities of linear scores (shifted by their maximum, so it never overflows).

    >>> [round(p, 3) for p in softmax([0.0, 0.0, math.log(2)])]
    [0.25, 0.25, 0.5]
    """
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return tuple(e / total for e in exps)
