"""How well are names linked across articles? Pairwise "same entity" over annotated mentions.

The corpus is ``tests/fixtures/linking/*.json`` (short articles written for the project, each with
``entities``: surface form → gold entity id, shared across articles; see its README). Every article
is parsed, its entities merged inside it (``analysis/entities.py``), the articles grouped into
stories (``analysis/stories.py``, nothing gold) and the corpus linked (``analysis/linking.py``).

A mention is scored when its text (or the text without titles) is one of its article's annotated
forms. Over every pair of scored mentions, a pair is predicted "same" when both mentions end up in
one entity, and gold "same" when they share a gold id: precision, recall and F1 of "same", overall
and over pairs from different articles (what linking adds). A wrong merge is a predicted entity
holding mentions of two gold entities. The same figures without corpus linking are the baseline.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from analysis.entities import extract_entities, normalise_name
from analysis.evaluate.entities import Scores
from analysis.linking import ArticleName, link_articles
from analysis.nlp import load_nlp
from analysis.stories import StoryArticle, group_stories

__all__ = ["DEFAULT_CORPUS", "PairCounts", "LinkingReport", "read_corpus", "evaluate_linking", "cli"]

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "linking"


PairCounts = Scores  # tp / fp / fn of "same entity" pairs, with precision, recall and F1


def _as_dict(c: Scores) -> dict:
    return {"precision": round(c.precision, 4), "recall": round(c.recall, 4), "f1": round(c.f1, 4),
            "tp": c.tp, "fp": c.fp, "fn": c.fn}  # fmt: skip


@dataclass(slots=True)
class LinkingReport:
    articles: int
    mentions: int  # scored mentions
    gold_entities: int
    all_pairs: PairCounts
    cross_article: PairCounts
    baseline_cross_article: PairCounts  # without corpus linking
    wrong_merges: list[str] = field(default_factory=list)  # "entity: gold ids it mixes"
    split: list[str] = field(default_factory=list)  # gold ids spread over several entities

    def as_dict(self) -> dict:
        return {
            "articles": self.articles, "mentions": self.mentions, "gold_entities": self.gold_entities,
            "all_pairs": _as_dict(self.all_pairs), "cross_article": _as_dict(self.cross_article),
            "baseline_cross_article": _as_dict(self.baseline_cross_article),
            "wrong_merges": self.wrong_merges, "split": self.split,
        }  # fmt: skip


def read_corpus(directory: str | Path = DEFAULT_CORPUS) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(directory).glob("*.json"))]


def _gold_id(text: str, forms: dict[str, str]) -> str | None:
    if text in forms:
        return forms[text]
    plain = {normalise_name(f, person=True): g for f, g in forms.items()}
    return plain.get(normalise_name(text, person=True))


def _pairs(mentions: Sequence[tuple[str, str, tuple[str, str]]], *, cross_only: bool) -> PairCounts:
    counts = PairCounts()
    for (a_art, a_gold, a_pred), (b_art, b_gold, b_pred) in combinations(mentions, 2):
        if cross_only and a_art == b_art:
            continue
        same_gold, same_pred = a_gold == b_gold, a_pred == b_pred
        counts.tp += same_gold and same_pred
        counts.fp += same_pred and not same_gold
        counts.fn += same_gold and not same_pred
    return counts


def evaluate_linking(directory: str | Path = DEFAULT_CORPUS) -> LinkingReport:
    articles = read_corpus(directory)
    nlp = load_nlp()
    rows: list[ArticleName] = []
    scored: list[tuple[str, str, tuple[str, str]]] = []  # article, gold id, article-level key
    for article in articles:
        doc = nlp(f"{article['title']}\n\n{article['text']}")
        entities, mentions = extract_entities(doc)
        rows += [ArticleName(article["id"], e.name, e.label, e.count, tuple(e.aliases)) for e in entities]
        for m in mentions:
            gold = None if m.demonym else _gold_id(m.text, article["entities"])
            if gold is not None:
                scored.append((article["id"], gold, (m.entity, m.label)))
    stories = group_stories(
        [StoryArticle(a["id"], a["title"], a["text"], a["published"], a["outlet"]) for a in articles]
    )
    linked = link_articles(rows, stories)
    predicted = [(art, gold, linked.get((art, *key), key)) for art, gold, key in scored]
    baseline = [(art, gold, key) for art, gold, key in scored]  # the corpus aggregate's (name, label)
    by_entity: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_gold: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for _, gold, pred in predicted:
        by_entity[pred].add(gold)
        by_gold[gold].add(pred)
    return LinkingReport(
        articles=len(articles),
        mentions=len(scored),
        gold_entities=len(by_gold),
        all_pairs=_pairs(predicted, cross_only=False),
        cross_article=_pairs(predicted, cross_only=True),
        baseline_cross_article=_pairs(baseline, cross_only=True),
        wrong_merges=sorted(f"{e[0]} ({e[1]}): {' + '.join(sorted(g))}" for e, g in by_entity.items() if len(g) > 1),
        split=sorted(f"{g}: {' | '.join(sorted(f'{e[0]} ({e[1]})' for e in es))}" for g, es in by_gold.items() if len(es) > 1),
    )


def cli(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis evaluate linking", description=__doc__.split("\n")[0])
    parser.add_argument("directory", nargs="?", default=str(DEFAULT_CORPUS), help="annotated articles (*.json)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(list(argv))
    report = evaluate_linking(args.directory)
    if args.json:
        print(json.dumps(report.as_dict()))
        return 0
    print(f"Linking: {report.articles} articles, {report.mentions} scored mentions, {report.gold_entities} gold entities")
    print("pairs              P      R      F1     tp    fp    fn")
    for name, c in (("all", report.all_pairs), ("cross-article", report.cross_article),
                    ("  no linking", report.baseline_cross_article)):  # fmt: skip
        print(f"{name:16s} {c.precision:.3f}  {c.recall:.3f}  {c.f1:.3f}  {c.tp:5d} {c.fp:5d} {c.fn:5d}")
    print(f"wrong merges: {len(report.wrong_merges)}")
    for line in report.wrong_merges:
        print(f"  {line}")
    print(f"split gold entities: {len(report.split)}")
    for line in report.split:
        print(f"  {line}")
    return 0
