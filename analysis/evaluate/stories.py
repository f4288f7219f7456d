"""How well are articles grouped into stories? Pairwise precision, recall and F1 on AllSides.

Each AllSides line is one story with up to three outlets' articles (title and the opening of the
body). All articles of one half go into one pool, so every story sits among the other stories
published within days of it, and ``group_stories`` groups the pool. A pair of articles is a true
positive when both the grouping and AllSides put them in one story.

The stories are split deterministically (a hash of the story id) into a tuning half, on which the
pair model was fitted (``--fit`` rewrites ``analysis/resources/story_pairs_v1.json``) and the
threshold and window chosen by cross-validation (``--sweep`` prints the grid: the tuning stories
split in two by another hash, the model fitted on one part's pairs and scored on the other's, both
ways, four splits; ``--cv`` prints the shipped options' mean F1 and its spread over eight such
splits, the bar a change to the pair model must clear), and a reporting half, which was only read
with the chosen options. Both are reported.

An article's date is the one in its URL when the URL has one (outlets publish on different days),
else the AllSides story's date.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from itertools import combinations
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

import analysis.stories as grouping
from analysis.outlets import outlet_name
from analysis.stories import (
    DEFAULT_OPTIONS,
    PAIR_FEATURES,
    RESOURCES,
    GroupingOptions,
    PairFeatures,
    PairModel,
    StoryArticle,
    group_stories,
)

__all__ = [
    "GoldStory", "PairScores", "read_allsides", "split_half", "pair_scores", "evaluate",
    "fit_pair_model", "cross_validate", "cli",
]  # fmt: skip

HALVES = ("tuning", "reporting")
_URL_DATE = re.compile(r"/(20\d{2})[/-](\d{1,2})[/-](\d{1,2})/")


@dataclass(frozen=True, slots=True)
class GoldStory:
    id: str
    date: str
    articles: tuple[StoryArticle, ...]


@dataclass(frozen=True, slots=True)
class PairScores:
    tp: int
    fp: int
    fn: int
    articles: int
    stories: int
    predicted: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "articles": self.articles,
            "stories": self.stories, "predicted_stories": self.predicted,
        }  # fmt: skip


def _body(value) -> str:
    if isinstance(value, list):
        return "\n\n".join(str(p) for p in value)
    return str(value or "")


def _date(link: str, story_date: str) -> str:
    found = _URL_DATE.search(link or "")
    if found:
        year, month, day = (int(x) for x in found.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return story_date[:10]


def read_allsides(path: Path) -> list[GoldStory]:
    """The stories of an AllSides ``headlines.jsonl`` that have at least one article."""
    stories = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        articles = tuple(
            StoryArticle(
                id=f"{row['id']}-{side}",
                title=str(news.get("newsTitle") or ""),
                body=_body(news.get("newBody")),
                published=_date(str(news.get("newsLink") or ""), str(row.get("date") or "")),
                outlet=outlet_name(str(news.get("newsSource") or ""), str(news.get("newsLink") or "")),
            )
            for side, news in sorted(row.get("news", {}).items())
        )
        if articles:
            stories.append(GoldStory(str(row["id"]), str(row.get("date") or ""), articles))
    return stories


def split_half(story: GoldStory) -> str:
    """'tuning' or 'reporting', from a hash of the story id (the same on every machine)."""
    return HALVES[hashlib.sha256(story.id.encode()).digest()[0] % 2]


def _pairs(groups: Iterable[Sequence[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in combinations(g, 2)}


def pair_scores(stories: Sequence[GoldStory], predicted: dict[str, str]) -> PairScores:
    gold = _pairs([a.id for a in s.articles] for s in stories)
    groups: dict[str, list[str]] = {}
    for article, sid in predicted.items():
        groups.setdefault(sid, []).append(article)
    guessed = _pairs(groups.values())
    return PairScores(
        tp=len(gold & guessed), fp=len(guessed - gold), fn=len(gold - guessed),
        articles=len(predicted), stories=len(stories), predicted=len(groups),
    )  # fmt: skip


def evaluate(stories: Sequence[GoldStory], options: GroupingOptions = DEFAULT_OPTIONS) -> PairScores:
    """Group all articles of ``stories`` in one pool and score the pairs."""
    articles = [a for s in stories for a in s.articles]
    return pair_scores(stories, group_stories(articles, options=options))


def _pair_rows(articles: Sequence[StoryArticle], gold: Sequence[str], window: float, options: GroupingOptions):
    """Features and same-story labels of every pair of articles published within ``window`` days."""
    pairs = PairFeatures(articles, options)
    days = np.nan_to_num(pairs.days, nan=np.inf)
    features, labels, index = [], [], []
    for i in range(len(articles)):
        others = np.flatnonzero((np.arange(len(articles)) > i) & ((np.abs(days - days[i]) <= window) | np.isinf(days)))
        if len(others):
            features.append(pairs.between(i, others))
            labels.extend(gold[i] == gold[j] for j in others)
            index.extend((i, j) for j in others)
    return np.vstack(features), np.array(labels), index


def fit_pair_model(stories: Sequence[GoldStory], options: GroupingOptions = DEFAULT_OPTIONS) -> dict:
    """Logistic weights over ``PAIR_FEATURES`` from the pairs of ``stories`` (one pool) within the window."""
    articles = [a for s in stories for a in s.articles]
    gold = [s.id for s in stories for _ in s.articles]
    features, labels, _ = _pair_rows(articles, gold, options.window_days, options)
    model = LogisticRegression(C=10.0, max_iter=5000).fit(features, labels)
    return {
        "features": list(PAIR_FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "trained_on": f"AllSides tuning half: {len(stories)} stories, {len(labels)} pairs within "
        f"{options.window_days:g} days, {int(labels.sum())} of one story; LogisticRegression(C=10)",
    }


def cross_validate(
    stories: Sequence[GoldStory],
    options: GroupingOptions = DEFAULT_OPTIONS,
    *,
    thresholds: Sequence[float] = (0.35,),
    seeds: Sequence[int] = range(4),
) -> dict[float, list[float]]:
    """Repeated 2-fold cross-validation on ``stories`` (the tuning half): for each seed the stories
    are split in two by a hash of seed and id; the model is fitted on one part's pairs, the whole
    pool is grouped, and the other part's articles' pairs are scored; both ways. Returns, per
    threshold, one F1 per split (the mean of its two folds)."""
    pool = [a for s in stories for a in s.articles]
    scores: dict[float, list[float]] = {t: [] for t in thresholds}
    original = grouping.PairModel.load
    for seed in seeds:
        part = {s.id: hashlib.sha256(f"{seed}-{s.id}".encode()).digest()[0] % 2 for s in stories}
        folds: dict[float, list[float]] = {t: [] for t in thresholds}
        for fold in (0, 1):
            train = [s for s in stories if part[s.id] != fold]
            held = [s for s in stories if part[s.id] == fold]
            held_ids = {a.id for s in held for a in s.articles}
            fitted = fit_pair_model(train, options)
            model = PairModel(tuple(fitted["weights"]), fitted["intercept"])
            grouping.PairModel.load = classmethod(lambda cls, name=None, m=model: m)  # the fold's model
            try:
                for threshold in thresholds:
                    predicted = group_stories(pool, options=replace(options, threshold=threshold))
                    kept = {k: v for k, v in predicted.items() if k in held_ids}
                    folds[threshold].append(pair_scores(held, kept).f1)
            finally:
                grouping.PairModel.load = original
        for threshold in thresholds:
            scores[threshold].append(sum(folds[threshold]) / 2)
    return scores


def _sweep(stories: Sequence[GoldStory]) -> None:
    """The threshold and window grid, cross-validated on the tuning half."""
    print("window  threshold   mean F1 over 4 splits x 2 folds")
    for window in (1.0, 2.0, 3.0):
        options = replace(DEFAULT_OPTIONS, window_days=window)
        scores = cross_validate(stories, options, thresholds=(0.25, 0.3, 0.35, 0.4, 0.5))
        for threshold, values in scores.items():
            print(f"{window:6.1f}  {threshold:9.2f}   {np.mean(values):.3f}")


def _cv(stories: Sequence[GoldStory], splits: int) -> None:
    """The shipped options and a threshold either side, cross-validated on the tuning half: the
    mean F1 and its spread over splits (a change to the pair model should beat the spread)."""
    o = DEFAULT_OPTIONS
    thresholds = (round(o.threshold - 0.05, 2), o.threshold, round(o.threshold + 0.05, 2))
    scores = cross_validate(stories, thresholds=thresholds, seeds=range(splits))
    print(f"Repeated 2-fold CV on the tuning half ({splits} splits, window {o.window_days:g} days, pair model "
          f"features {', '.join(PAIR_FEATURES)})")  # fmt: skip
    print("threshold   mean F1  sd over splits  per split")
    for threshold, values in scores.items():
        per = " ".join(f"{v:.3f}" for v in values)
        print(f"{threshold:9.2f}   {np.mean(values):.3f}    {np.std(values):.3f}         {per}")


def cli(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="newslens evaluate stories", description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="AllSides headlines.jsonl")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="cross-validated grid on the tuning half only")
    parser.add_argument("--fit", action="store_true", help=f"refit {DEFAULT_OPTIONS.model} on the tuning half")
    parser.add_argument("--cv", action="store_true", help="repeated 2-fold CV of the pair model on the tuning half only")
    parser.add_argument("--splits", type=int, default=8, help="--cv: how many 2-fold splits (default 8)")
    args = parser.parse_args(list(argv))
    stories = read_allsides(args.path)
    halves = {h: [s for s in stories if split_half(s) == h] for h in HALVES}
    if args.sweep:
        _sweep(halves["tuning"])
        return 0
    if args.cv:
        _cv(halves["tuning"], args.splits)
        return 0
    if args.fit:
        fitted = fit_pair_model(halves["tuning"])
        (RESOURCES / DEFAULT_OPTIONS.model).write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {DEFAULT_OPTIONS.model}: {fitted['trained_on']}")
        return 0
    results = {h: evaluate(halves[h]) for h in HALVES}
    if args.json:
        print(json.dumps({"options": asdict(DEFAULT_OPTIONS), **{h: r.as_dict() for h, r in results.items()}}))
        return 0
    o = DEFAULT_OPTIONS
    print(
        f"Story grouping on AllSides (pair model {o.model}, threshold {o.threshold}, "
        f"window {o.window_days:g} days, title x{o.title_weight})"
    )
    print("half        stories articles  pairs   P      R      F1")
    for half, r in results.items():
        print(f"{half:11s} {r.stories:7d} {r.articles:8d} {r.tp + r.fn:6d}  {r.precision:.3f}  {r.recall:.3f}  {r.f1:.3f}")
    return 0
