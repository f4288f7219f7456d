"""The candidate classifier: the rules propose quotes, this model decides how sure to be.

A logistic regression over the features ``analysis.quotes.extract`` reads of each candidate (its
rule and cue, the speaker's kind and head noun, negation, content length, marks, position),
trained on PolNeAR train by ``python -m analysis.train_quotes`` and shipped as JSON
(``resources/quote_classifier_v<N>.json``: feature → weight, the intercept, the threshold chosen
on train cross-validation, and the lexicon version it was trained with).

>>> model = load_classifier()
>>> 0.0 <= model.score({"bias": 1.0, "kind=direct": 1.0}) <= 1.0
True
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from analysis.model import Quote
from analysis.quotes.lexicon import LEXICON_VERSION

__all__ = ["CLASSIFIER_VERSION", "QuoteClassifier", "load_classifier", "shown", "shown_confidence", "shown_confidences"]

CLASSIFIER_VERSION = 6


@dataclass(frozen=True, slots=True)
class QuoteClassifier:
    """Weights of a logistic regression over sparse named features."""

    version: int
    lexicon_version: int
    weights: dict[str, float]
    intercept: float
    thresholds: dict[str, float]  # per quote kind: P(real attribution) at or above which it is shown

    def score(self, features: dict[str, float]) -> float:
        """P(the candidate is a real attribution), in [0, 1]."""
        z = self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=2)
def load_classifier(version: int = CLASSIFIER_VERSION) -> QuoteClassifier:
    """The shipped model of ``version``; refuses one trained with another lexicon version."""
    path = resources.files("analysis") / "resources" / f"quote_classifier_v{version}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["lexicon_version"] != LEXICON_VERSION:
        raise ValueError(
            f"quote_classifier_v{version} was trained with lexicon v{data['lexicon_version']}, "
            f"not v{LEXICON_VERSION}: retrain with python -m analysis.train_quotes"
        )
    return QuoteClassifier(
        version=int(data["version"]),
        lexicon_version=int(data["lexicon_version"]),
        weights={k: float(v) for k, v in data["weights"].items()},
        intercept=float(data["intercept"]),
        thresholds={k: float(v) for k, v in data["threshold"].items()},
    )


def shown_confidence(kind: str = "indirect") -> float:
    """The confidence at or above which the dashboard shows a quote of ``kind`` by default."""
    return load_classifier().thresholds[kind]


def shown_confidences() -> dict[str, float]:
    """Each quote kind's threshold (for ``Store.quotes_frame(min_confidence=…)``)."""
    return dict(load_classifier().thresholds)


def shown(quote: Quote) -> bool:
    """Whether the dashboard shows ``quote`` by default: confident, and a statement (not "did not
    say", "declined to comment")."""
    return quote.confidence >= shown_confidence(quote.kind) and not quote.negated
