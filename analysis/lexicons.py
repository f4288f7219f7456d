"""The lexicon signals of tone: VADER's compound, TextBlob's pattern polarity and subjectivity, and
a small lexicon of news events (``resources/news_events_v1.json``).

TextBlob and VADER score opinion words ("great", "terrible") and miss the events news reports:
TextBlob gives "the rising death toll" 0.0. ``news_valence`` reads the news-event lexicon (death
toll, killed, layoffs, bankrupt / rescued, recovered, agreement, record high) with negation
handling ("no deaths", "did not win" flip and damp the word's valence, as VADER does).
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
import types
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = ["NEWS_EVENTS_RESOURCE", "NewsEvents", "lexicon_scores", "news_events", "news_valence", "vader_analyzer"]

NEWS_EVENTS_RESOURCE = "news_events_v1.json"
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|n't")
_MAX_VALENCE = 4.0
_NEGATION_REACH = 3  # words before an event that a negator may stand in


class NewsEvents(NamedTuple):
    """The news-event lexicon: word or two-word phrase -> valence on VADER's scale (-4..4), and
    the negators that flip it."""

    events: dict[str, float]
    negators: frozenset[str]


@lru_cache(maxsize=1)
def news_events() -> NewsEvents:
    """The shipped news-event lexicon, read once."""
    data = json.loads((resources.files("analysis") / "resources" / NEWS_EVENTS_RESOURCE).read_text(encoding="utf-8"))
    return NewsEvents({k: float(v) for k, v in data["events"].items()}, frozenset(data["negators"]))


def _stems(word: str) -> tuple[str, ...]:
    """The word and its forms with common inflections removed ("layoffs" -> "layoff")."""
    forms = [word]
    for suffix in ("ies", "es", "s", "ed", "d", "ing"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            forms.append(stem + "y" if suffix == "ies" else stem)
    return tuple(forms)


def news_valence(text: str) -> float:
    """Mean valence of the news events in ``text``, in [-1, 1]; 0 when there are none.

    >>> news_valence("the rising death toll") < 0 < news_valence("the miners were rescued")
    True
    """
    events, negators = news_events()
    words = WORD.findall(text.lower())
    total, hits, i = 0.0, 0, 0
    while i < len(words):
        pair = f"{words[i]} {words[i + 1]}" if i + 1 < len(words) else ""
        valence, width = events.get(pair), 2
        if valence is None:
            width = 1
            valence = next((events[f] for f in _stems(words[i]) if f in events), None)
        if valence is not None:
            if negators.intersection(words[max(0, i - _NEGATION_REACH) : i]):
                valence *= -0.5
            total += valence
            hits += 1
        i += width
    if hits == 0:
        return 0.0
    return max(-1.0, min(1.0, total / (_MAX_VALENCE * math.sqrt(hits))))


@lru_cache(maxsize=1)
def vader_analyzer() -> SentimentIntensityAnalyzer:
    """VADER's analyzer, built once (it reads its lexicon file)."""
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _pattern() -> Callable[[str], tuple[float, float]]:
    """TextBlob's pattern sentiment, ``textblob.en.sentiment``: what ``TextBlob(text).sentiment``
    and its ``PatternAnalyzer`` return. Imported without the ``textblob`` package's own
    ``__init__``, which imports NLTK and through it SciPy and scikit-learn (3-4 CPU-seconds at
    every start, none of it used by the pattern lexicon); the modules it loads are then dropped
    from ``sys.modules``, so a later ``import textblob`` gets the whole package as usual."""
    if "textblob" in sys.modules:
        from textblob.en import sentiment

        return sentiment
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("textblob is not installed: pip install -e .")
    package = types.ModuleType("textblob")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["textblob"] = package
    try:
        from textblob.en import sentiment
    finally:
        for name in [n for n in sys.modules if n == "textblob" or n.startswith("textblob.")]:
            del sys.modules[name]
    return sentiment


@lru_cache(maxsize=4096)
def lexicon_scores(text: str) -> tuple[float, float, float]:
    """(VADER compound, TextBlob polarity, TextBlob subjectivity) of a text, cached: the pipeline
    scores each sentence for its own tone and again for every entity mentioned in it."""
    polarity, subjectivity = _pattern()(text)
    compound = vader_analyzer().polarity_scores(text)["compound"]
    return float(compound), float(polarity), float(subjectivity)
