"""How good are the entities? NER on CoNLL++ and alias merging on our own annotated articles.

- ``evaluate_conll``: entity-level micro-F1 (exact span and type) on CoNLL++ after mapping
  spaCy's labels to PER/LOC/ORG/MISC, for spaCy's raw ``doc.ents`` and for our mentions
  (trimmed spans, majority labels per canonical entity).
- ``evaluate_aliases``: over ``tests/fixtures/aliases/*.json`` (``{"text", "groups"}``, each group
  the surface forms of one real-world entity), how many groups our merging gets exactly right,
  how many it splits and how many predicted entities join two groups.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from analysis.entities import extract_entities
from analysis.nlp import load_nlp

__all__ = [
    "CONLL_LABELS",
    "DEFAULT_ALIASES",
    "Scores",
    "EntityReport",
    "AliasReport",
    "read_conll",
    "evaluate_conll",
    "evaluate_aliases",
    "cli",
]

CONLL_LABELS: dict[str, str] = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "ORG": "ORG",
    **dict.fromkeys(
        ("NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "FAC"), "MISC"
    ),
}
DEFAULT_ALIASES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "aliases"

GoldSpan = tuple[int, int, int, str]  # document, first token, end token, CoNLL type


@dataclass(slots=True)
class Scores:
    """Exact-match counts and the precision, recall and F1 they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

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


@dataclass(slots=True)
class EntityReport:
    """CoNLL scores per system ("spacy", "newslens"): overall micro and per type."""

    documents: int
    gold: int
    overall: dict[str, Scores]
    per_type: dict[str, dict[str, Scores]]


@dataclass(slots=True)
class AliasReport:
    files: int
    groups: int
    merged: int  # groups whose forms all map to one entity holding no other group's forms
    split: int  # groups whose forms map to several entities, or are partly missed
    wrong_merges: int  # predicted entities holding forms of two or more gold groups
    missing_forms: int  # gold forms that are no mention's text
    failures: list[str] = field(default_factory=list)  # "file: group → what happened"


def read_conll(path: str | Path) -> Iterator[tuple[list[str], list[str]]]:
    """Documents of a CoNLL file as (tokens, IOB tags); ``-DOCSTART-`` separates documents."""
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "-DOCSTART-":
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            words.append(parts[0])
            tags.append(parts[-1])
    if words:
        yield words, tags


def _gold_spans(doc_index: int, tags: list[str]) -> set[GoldSpan]:
    """Spans of IOB1 or IOB2 tags."""
    spans: set[GoldSpan] = set()
    start, kind = None, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if start is not None and (prefix != "I" or label != kind):
            spans.add((doc_index, start, i, kind))
            start = None
        if prefix == "B" or (prefix == "I" and start is None):
            start, kind = i, label
    return spans


def _score(gold: set[GoldSpan], predicted: set[GoldSpan], scores: Scores, per_type: dict) -> None:
    for span in predicted:
        hit = span in gold
        scores.tp += hit
        scores.fp += not hit
        per_type[span[3]].tp += hit
        per_type[span[3]].fp += not hit
    for span in gold - predicted:
        scores.fn += 1
        per_type[span[3]].fn += 1


def evaluate_conll(path: str | Path, *, limit_docs: int | None = None) -> EntityReport:
    """Entity-level micro-F1 on a CoNLL file, spaCy raw vs our mentions.

    Each document is rebuilt on the gold tokens (``Doc(vocab, words, spaces)``) and run through
    the pipeline, so spans compare token for token.
    """
    nlp = load_nlp()
    systems = ("spacy", "newslens")
    overall = {s: Scores() for s in systems}
    per_type: dict[str, dict[str, Scores]] = {s: defaultdict(Scores) for s in systems}
    documents = gold_total = 0
    for index, (words, tags) in enumerate(read_conll(path)):
        if limit_docs is not None and index >= limit_docs:
            break
        doc = nlp(Doc(nlp.vocab, words=words, spaces=[True] * len(words)))
        gold = _gold_spans(index, tags)
        raw = {
            (index, e.start, e.end, CONLL_LABELS[e.label_])
            for e in doc.ents
            if e.label_ in CONLL_LABELS
        }
        ours = set()
        for mention in extract_entities(doc)[1]:
            span = doc.char_span(mention.start, mention.end)
            if span is not None and mention.label in CONLL_LABELS:
                ours.add((index, span.start, span.end, CONLL_LABELS[mention.label]))
        _score(gold, raw, overall["spacy"], per_type["spacy"])
        _score(gold, ours, overall["newslens"], per_type["newslens"])
        documents += 1
        gold_total += len(gold)
    return EntityReport(
        documents=documents,
        gold=gold_total,
        overall=overall,
        per_type={s: dict(sorted(t.items())) for s, t in per_type.items()},
    )


def _alias_files(directory: str | Path) -> list[Path]:
    return sorted(Path(directory).glob("*.json"))


def evaluate_aliases(directory: str | Path = DEFAULT_ALIASES) -> AliasReport:
    """Merging against hand-annotated alias groups (see module docstring for the metrics)."""
    nlp = load_nlp()
    report = AliasReport(files=0, groups=0, merged=0, split=0, wrong_merges=0, missing_forms=0)
    for path in _alias_files(directory):
        data = json.loads(path.read_text(encoding="utf-8"))
        groups: list[list[str]] = data["groups"]
        _, mentions = extract_entities(nlp(data["text"]))
        entities_of: dict[str, set[str]] = defaultdict(set)
        for mention in mentions:
            entities_of[mention.text].add(mention.entity)
        groups_in: dict[str, set[int]] = defaultdict(set)  # predicted entity → gold groups
        for g, forms in enumerate(groups):
            for form in forms:
                for entity in entities_of.get(form, ()):
                    groups_in[entity].add(g)
        report.files += 1
        report.groups += len(groups)
        for entity, held in groups_in.items():
            if len(held) > 1:
                report.wrong_merges += 1
                joined = " + ".join(groups[g][0] for g in sorted(held))
                report.failures.append(f"{path.name}: {entity!r} joins {joined}")
        for forms in groups:
            missing = [f for f in forms if f not in entities_of]
            predicted = set().union(*(entities_of.get(f, set()) for f in forms))
            report.missing_forms += len(missing)
            if missing or len(predicted) != 1:
                report.split += 1
                found = {f: sorted(entities_of[f]) for f in forms if f in entities_of}
                report.failures.append(f"{path.name}: {forms[0]!r} split {found} missing {missing}")
            elif len(groups_in[next(iter(predicted))]) == 1:
                report.merged += 1
    return report


def _rows(report: EntityReport) -> Iterable[str]:
    yield f"CoNLL: {report.documents} documents, {report.gold} gold entities"
    yield f"{'type':<8}{'system':<10}{'P':>7}{'R':>7}{'F1':>7}"
    types = sorted({t for s in report.per_type.values() for t in s})
    for kind, scores in [("ALL", report.overall), *((t, {s: report.per_type[s].get(t, Scores()) for s in report.overall}) for t in types)]:
        for system, s in scores.items():
            yield f"{kind:<8}{system:<10}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"


def cli(argv: list[str]) -> int:
    """``evaluate entities FILE [--limit-docs N] [--aliases DIR]`` (argv: the words after
    ``evaluate entities``). Prints the CoNLL table and the alias metrics; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m analysis evaluate entities")
    parser.add_argument("file", help="a CoNLL file, e.g. ../shared/eval/conllpp/conllpp_dev.txt")
    parser.add_argument("--limit-docs", type=int, default=None, help="score only the first N documents")
    parser.add_argument("--aliases", default=str(DEFAULT_ALIASES), help="directory of alias JSON files")
    args = parser.parse_args(argv)
    for row in _rows(evaluate_conll(args.file, limit_docs=args.limit_docs)):
        print(row)
    aliases = evaluate_aliases(args.aliases)
    print(
        f"\nAliases: {aliases.files} files, {aliases.groups} groups: {aliases.merged} merged "
        f"correctly ({aliases.merged / max(aliases.groups, 1):.1%}), {aliases.split} split, "
        f"{aliases.wrong_merges} wrong merges, {aliases.missing_forms} forms not found"
    )
    for failure in aliases.failures:
        print(f"  {failure}")
    return 0
