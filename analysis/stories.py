"""Stories: articles from several outlets that report the same event, grouped.

Two articles are about the same story when their words are alike and they were published within
days of each other. A small logistic model (``PairModel``, weights in
``resources/story_pairs_v1.json``) turns what two articles share into the probability that they
report one story: TF-IDF cosines of the title and lead (the title weighted up: the lead says what
happened), of the titles alone and of the leads alone, the days between them and whether one outlet
wrote both (an outlet's next piece on an ongoing event is usually a new development). Grouping is
online, in publication order: each article joins the story whose articles published within
``window_days`` it most probably shares a story with (the mean probability), when that reaches
``threshold``, else it starts a story of its own. An article is never
moved once grouped, so grouping is incremental as articles arrive, and a story's id is derived
from its first article's id (``story_id``), stable across runs.

The model was fitted, and the threshold and window chosen by cross-validation, on the tuning half of
the AllSides stories only (``python -m analysis evaluate stories --fit`` / ``--sweep``), never on its
reporting half.

>>> a = StoryArticle("a1", "Storm floods Harbour City", "The storm flooded Harbour City on Monday.", "2024-03-04")
>>> b = StoryArticle("b2", "Harbour City flooded by storm", "Harbour City was flooded by the storm.", "2024-03-04")
>>> c = StoryArticle("c3", "Chess final ends in draw", "The chess final ended in a draw.", "2024-03-04")
>>> group_stories([a, b, c]) == {"a1": "story-a1", "b2": "story-a1", "c3": "story-c3"}
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "GroupingOptions",
    "DEFAULT_OPTIONS",
    "PAIR_FEATURES",
    "PairFeatures",
    "PairModel",
    "SAMPLE_CORPUS",
    "StoryArticle",
    "Story",
    "story_id",
    "article_day",
    "group_stories",
    "stories_from_assignments",
    "update_stories",
    "list_stories",
]

STORY_PREFIX = "story-"
SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "data" / "sample"  # 9 made-up articles
LEAD_CHARS = 1500  # the opening of the body that says what happened
RESOURCES = Path(__file__).resolve().parent / "resources"
PAIR_MODEL = "story_pairs_v1.json"
# What the pair model reads of two articles: TF-IDF cosines of their words (title counted
# ``title_weight`` times, plus the lead), of their titles alone and of their leads alone, the
# days between them (capped), whether one outlet wrote both, and square roots of two cosines
# (a small cosine already says much).
PAIR_FEATURES = ("words", "title", "lead", "days", "same_outlet", "sqrt_words", "sqrt_lead")
MAX_DAYS = 5.0
UNDATED_DAYS = 1.0  # the gap assumed when either article has no date


@dataclass(frozen=True, slots=True)
class GroupingOptions:
    """How likely two articles must be to report one story, and how far apart in time they may be."""

    threshold: float = 0.35  # mean same-story probability to the story's nearby articles
    window_days: float = 2.0  # an article only joins stories with an article this close in time
    title_weight: int = 2  # the title counts this many times in the article's words
    model: str = PAIR_MODEL  # file in analysis/resources: the pair model's weights


DEFAULT_OPTIONS = GroupingOptions()


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """What grouping needs of an article: its id, title, body, publication date and outlet."""

    id: str
    title: str
    body: str
    published: str = ""  # any date format pandas reads; '' when unknown
    outlet: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    """One story: its articles in publication order, their outlets and first and last dates."""

    id: str
    title: str  # the first article's title
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    first: str
    last: str

    def as_dict(self) -> dict:
        return {
            "id": self.id, "title": self.title, "articles": list(self.article_ids),
            "outlets": list(self.outlets), "first": self.first, "last": self.last,
        }  # fmt: skip


def story_id(first_article_id: str) -> str:
    """The id of the story an article starts: stable, readable, and never an article id."""
    return f"{STORY_PREFIX}{first_article_id}"


_DATE_IN_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")


def article_day(published: str) -> float | None:
    """Days since 1970 of a publication date (any format pandas reads), None when unknown."""
    text = (published or "").strip()
    if not text:
        return None
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        found = _DATE_IN_TEXT.search(text)
        if not found:
            return None
        stamp = pd.Timestamp(found.group())
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return (stamp - pd.Timestamp(datetime(1970, 1, 1))).total_seconds() / 86400


def _text(article: StoryArticle, options: GroupingOptions) -> str:
    return " ".join([article.title] * options.title_weight + [article.body[:LEAD_CHARS]])


def _tfidf(texts: Sequence[str]):
    """L2-normalised TF-IDF rows (IDF from the texts given), or None when there are no words."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # here: importing it takes seconds

    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_][\w'’-]+\b", dtype=np.float32
    )
    if not any(t.strip() for t in texts):
        return None
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return None


@dataclass(frozen=True, slots=True)
class PairModel:
    """Logistic weights over ``PAIR_FEATURES``: the probability that two articles report one story."""

    weights: tuple[float, ...]
    intercept: float

    @classmethod
    @lru_cache(maxsize=4)
    def load(cls, name: str = PAIR_MODEL) -> PairModel:
        data = json.loads((RESOURCES / name).read_text(encoding="utf-8"))
        if tuple(data["features"]) != PAIR_FEATURES:
            raise ValueError(f"{name}: features {data['features']} are not {list(PAIR_FEATURES)}")
        return cls(tuple(float(w) for w in data["weights"]), float(data["intercept"]))

    def probability(self, features: np.ndarray) -> np.ndarray:
        """``features``: rows of ``PAIR_FEATURES`` values."""
        return 1.0 / (1.0 + np.exp(-(features @ np.asarray(self.weights) + self.intercept)))


class PairFeatures:
    """``PAIR_FEATURES`` of any two articles of a pool (IDF weights from the pool)."""

    def __init__(self, articles: Sequence[StoryArticle], options: GroupingOptions = DEFAULT_OPTIONS):
        self.words = _tfidf([_text(a, options) for a in articles])
        self.titles = _tfidf([a.title for a in articles])
        self.leads = _tfidf([a.body[:LEAD_CHARS] for a in articles])
        self.days = np.array([np.nan if (d := article_day(a.published)) is None else d for a in articles])
        # an article without an outlet is an outlet of its own (codes below zero, one each)
        self.outlets = pd.factorize(pd.Series([a.outlet for a in articles]))[0]
        unknown = np.flatnonzero([not a.outlet for a in articles])
        self.outlets[unknown] = -1 - np.arange(len(unknown))
        self.empty = self.words is None

    @staticmethod
    def _cosine(matrix, i: int, others: np.ndarray) -> np.ndarray:
        if matrix is None:
            return np.zeros(len(others))
        return np.clip((matrix[others] @ matrix[i].T).toarray().ravel(), 0.0, 1.0)

    def between(self, i: int, others: np.ndarray) -> np.ndarray:
        """One row of features per article of ``others`` paired with article ``i``."""
        words, lead = self._cosine(self.words, i, others), self._cosine(self.leads, i, others)
        gap = np.abs(self.days[others] - self.days[i])
        gap = np.minimum(np.where(np.isnan(gap), UNDATED_DAYS, gap), MAX_DAYS)
        same = (self.outlets[others] == self.outlets[i]).astype(float)
        return np.column_stack(
            [words, self._cosine(self.titles, i, others), lead, gap, same, np.sqrt(words), np.sqrt(lead)]
        )


def group_stories(
    articles: Sequence[StoryArticle],
    *,
    existing: Mapping[str, str] | None = None,
    options: GroupingOptions = DEFAULT_OPTIONS,
) -> dict[str, str]:
    """Story id of every article. ``existing`` (article id → story id) are kept as they are and
    the others join them or start stories, in publication order (undated articles last).

    An article's score for a story is the mean, over the story's articles within the window, of
    the pair model's probability that the two report one story."""
    existing = dict(existing or {})
    out = {a.id: existing[a.id] for a in articles if a.id in existing}
    todo = [i for i, a in enumerate(articles) if a.id not in existing]
    if not todo:
        return out
    pairs = PairFeatures(articles, options)
    model = PairModel.load(options.model)
    days = pairs.days
    story_codes = np.full(len(articles), -1)  # per article: index into ``names`` once placed
    code_of: dict[str, int] = {}
    for i, a in enumerate(articles):
        if a.id in existing:
            story_codes[i] = code_of.setdefault(existing[a.id], len(code_of))
    names = list(code_of)
    order = sorted(todo, key=lambda i: (np.isnan(days[i]), 0.0 if np.isnan(days[i]) else days[i], articles[i].id))
    for i in order:
        placed = story_codes >= 0
        if not np.isnan(days[i]):
            placed &= np.isnan(days) | (np.abs(days - days[i]) <= options.window_days)
        candidates = np.flatnonzero(placed)
        best = -1
        if len(candidates) and not pairs.empty:
            probability = model.probability(pairs.between(i, candidates))
            best = _best_story(probability, story_codes[candidates], len(names), options.threshold)
        if best < 0:
            best = len(names)
            names.append(story_id(articles[i].id))
        story_codes[i] = best
        out[articles[i].id] = names[best]
    return out


def _best_story(probability: np.ndarray, stories: np.ndarray, n_stories: int, threshold: float) -> int:
    """The story (code) with the highest mean probability, or -1 when none reaches the
    threshold. Ties go to the older story (the lower code)."""
    count = np.bincount(stories, minlength=n_stories)
    mean = np.bincount(stories, weights=probability, minlength=n_stories) / np.maximum(count, 1)
    score = np.where(count > 0, mean, -np.inf)
    best = int(np.argmax(score))
    return best if score[best] >= threshold else -1


def stories_from_assignments(
    articles: Sequence[StoryArticle], assignments: Mapping[str, str]
) -> list[Story]:
    """``Story`` records from article → story ids, newest story first."""
    members: dict[str, list[StoryArticle]] = {}
    for a in articles:
        if a.id in assignments:
            members.setdefault(assignments[a.id], []).append(a)
    stories = []
    for sid, group in members.items():
        dated = sorted(group, key=lambda a: (article_day(a.published) is None, article_day(a.published) or 0, a.id))
        dates = [a.published for a in dated if article_day(a.published) is not None]
        stories.append(
            Story(
                id=sid,
                title=dated[0].title,
                article_ids=tuple(a.id for a in dated),
                outlets=tuple(dict.fromkeys(a.outlet for a in dated if a.outlet)),
                first=dates[0] if dates else "",
                last=dates[-1] if dates else "",
            )
        )
    return sorted(stories, key=lambda s: (s.last, s.id), reverse=True)


def _inputs(frame: pd.DataFrame) -> list[StoryArticle]:
    return [
        StoryArticle(r.id, r.title or "", r.body or "", r.published or "", r.outlet or "")
        for r in frame.itertuples(index=False)
    ]


def update_stories(store, *, options: GroupingOptions = DEFAULT_OPTIONS) -> int:
    """Group the store's articles that are in no story yet (joining existing stories or
    starting new ones) and record them; returns how many were grouped. ``store`` is a
    ``Store`` (anything with ``story_inputs`` and ``set_stories``).

    Only the stored articles a new one could join are compared (those published within the
    window of a new article, and the undated), so adding one article to a large store stays
    cheap; their words also give the IDF weights."""
    frame = store.story_inputs()
    is_new = (frame["story_id"] == "").to_numpy()
    if not is_new.any():
        return 0
    frame = frame[_nearby(frame, is_new, options.window_days)]
    existing = {k: v for k, v in zip(frame["id"], frame["story_id"], strict=True) if v}
    grouped = group_stories(_inputs(frame), existing=existing, options=options)
    new_ids = [aid for aid, sid in zip(frame["id"], frame["story_id"], strict=True) if not sid]
    store.set_stories((aid, grouped[aid]) for aid in new_ids)
    return len(new_ids)


def _nearby(frame: pd.DataFrame, is_new: np.ndarray, window: float) -> np.ndarray:
    """Rows a new article could be grouped with: the new ones, the undated, and those within
    ``window`` days of a new article (every row when a new article is undated)."""
    days = np.array([np.nan if (d := article_day(p)) is None else d for p in frame["published"]])
    new_days = np.sort(days[is_new])
    if np.isnan(new_days).any():
        return np.ones(len(frame), dtype=bool)
    at = np.clip(np.searchsorted(new_days, days), 1, len(new_days)) if len(new_days) > 1 else np.ones(len(days), int)
    before, after = new_days[np.maximum(at - 1, 0)], new_days[np.minimum(at, len(new_days) - 1)]
    gap = np.minimum(np.abs(days - before), np.abs(days - after))
    return is_new | np.isnan(days) | (gap <= window)


def list_stories(store) -> list[Story]:
    """Every story of the store (grouping new articles first), newest first."""
    update_stories(store)
    frame = store.story_inputs(lead_chars=0)
    return stories_from_assignments(_inputs(frame), dict(zip(frame["id"], frame["story_id"], strict=True)))
