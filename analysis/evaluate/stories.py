"""How well are articles grouped into stories? Pairwise precision, recall and F1 on AllSides.

Each AllSides line is one story with up to three outlets' articles (title and the opening of the
body). All articles of one half go into one pool, so every story sits among the other stories
published within days of it, and ``group_stories`` groups the pool. A pair of articles is a true
positive when both the grouping and AllSides put them in one story.

The stories are split deterministically (a hash of the story id) into a tuning half, on which the
grouping's options were chosen (``--sweep`` prints the grid), and a reporting half, which was only
read with the chosen options. Both are reported.

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

from analysis.outlets import outlet_name
from analysis.stories import DEFAULT_OPTIONS, GroupingOptions, StoryArticle, group_stories

__all__ = ["GoldStory", "PairScores", "read_allsides", "split_half", "pair_scores", "evaluate", "cli"]

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


def _sweep(stories: Sequence[GoldStory]) -> None:
    print("threshold  window  outlet_penalty   P      R      F1")
    for window in (1.0, 2.0, 3.0):
        for penalty in (0.0, 0.1, 1.0):
            for threshold in (0.08, 0.1, 0.12, 0.15, 0.2):
                options = replace(DEFAULT_OPTIONS, threshold=threshold, window_days=window, same_outlet_penalty=penalty)
                s = evaluate(stories, options)
                print(f"{threshold:9.2f} {window:7.1f} {penalty:15.1f}  {s.precision:.3f}  {s.recall:.3f}  {s.f1:.3f}")


def cli(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="newslens evaluate stories", description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="AllSides headlines.jsonl")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="grid of options on the tuning half only")
    args = parser.parse_args(list(argv))
    stories = read_allsides(args.path)
    halves = {h: [s for s in stories if split_half(s) == h] for h in HALVES}
    if args.sweep:
        _sweep(halves["tuning"])
        return 0
    results = {h: evaluate(halves[h]) for h in HALVES}
    if args.json:
        print(json.dumps({"options": asdict(DEFAULT_OPTIONS), **{h: r.as_dict() for h, r in results.items()}}))
        return 0
    o = DEFAULT_OPTIONS
    print(
        f"Story grouping on AllSides (threshold {o.threshold}, window {o.window_days:g} days, "
        f"title x{o.title_weight}, same-outlet penalty {o.same_outlet_penalty})"
    )
    print("half        stories articles  pairs   P      R      F1")
    for half, r in results.items():
        print(f"{half:11s} {r.stories:7d} {r.articles:8d} {r.tp + r.fn:6d}  {r.precision:.3f}  {r.recall:.3f}  {r.f1:.3f}")
    return 0
