"""``evaluate tone FILE.jsonl``: targeted and sentence tone accuracy on NewsMTSC-format data.

Scores, on the same data in one run, with the metric of ``shared/eval/README.md`` (3-class
macro-F1, the paper's F1m, and accuracy):

per target (each target labelled negative / neutral / positive)
- ``targeted accurate`` and ``targeted fast``: our targeted models (``analysis.targeted``), tone
  toward the mention, with and without MiniLM's vectors (the predictions file holds the default
  model's, accurate unless ``$NEWSLENS_TONE`` says fast);
- ``sentence tone``: Newslens tone of the target's sentence (``analysis.tone``), its trained band;
- ``TextBlob``: the sign of the sentence's pattern polarity;
- ``VADER``: the sentence's compound, positive at >= 0.05, negative at <= -0.05;

per sentence, over the sentences whose targets all share one label (that label is the
sentence's): Newslens tone, TextBlob and VADER as above.

The figures are in the README's Accuracy table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from analysis.errors import InputError, Messages

__all__ = ["Target", "Score", "read_targets", "macro_f1", "score", "cli"]

LABELS = ("negative", "neutral", "positive")
POLARITY_LABELS = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
VADER_BAND = 0.05


class Target(NamedTuple):
    sentence: str
    start: int
    end: int
    label: str


class Score(NamedTuple):
    macro_f1: float
    accuracy: float


def read_targets(path: Path, limit: int | None = None) -> list[Target]:
    """The targets of a NewsMTSC JSON Lines file, the first ``limit`` of them if given."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(Messages.UNREADABLE.format(name=path, reason=error.strerror)) from error
    targets = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            sentence = record["sentence_normalized"]
            for t in record["targets"]:
                label = POLARITY_LABELS[float(t["polarity"])]
                targets.append(Target(sentence, int(t["from"]), int(t["to"]), label))
        except (ValueError, KeyError, TypeError) as error:
            reason = f"line {number} is not a NewsMTSC record ({error!r})"
            raise InputError(Messages.UNREADABLE.format(name=path, reason=reason)) from error
    return targets[:limit] if limit is not None else targets


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> Score:
    """Macro-F1 over the three classes (a class absent from both counts as F1 0) and accuracy."""
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    return Score(sum(f1s) / len(f1s), correct / len(gold) if gold else 0.0)


def _sign_label(value: float, band: float) -> str:
    if value >= band and value > 0:
        return "positive"
    if value <= -band and value < 0:
        return "negative"
    return "neutral"


class SentenceGold(NamedTuple):
    """The sentences whose targets agree, with that label."""

    sentences: list[str]
    labels: list[str]


def agreeing(targets: Sequence[Target]) -> SentenceGold:
    """The sentences of ``targets`` whose targets all carry one label."""
    found: dict[str, set[str]] = {}
    for t in targets:
        found.setdefault(t.sentence, set()).add(t.label)
    kept = [(s, next(iter(labels))) for s, labels in found.items() if len(labels) == 1]
    return SentenceGold([s for s, _ in kept], [label for _, label in kept])


class Speed(NamedTuple):
    """Targets per CPU-second of a targeted model: ``model`` on an existing parse (as in the
    pipeline), ``with_parse`` counting the spaCy parse of the sentences too."""

    model: float
    with_parse: float


class Result(NamedTuple):
    """What ``score`` measures: per-target and per-sentence scores of each method, the default
    targeted model's predictions, each sentence's tone, and each targeted model's speed."""

    targets: dict[str, Score]
    sentences: dict[str, Score]
    sentence_count: int
    predictions: list
    tones: dict
    speeds: dict[str, Speed]


def score(targets: Sequence[Target]) -> Result:
    """Scores of every method, the default targeted model's predictions, and each targeted
    model's speed on one core (CPU time, so that other work on the machine does not count)."""
    from threadpoolctl import threadpool_limits

    from analysis.nlp import load_nlp
    from analysis.targeted import TONE_MODELS, load_targeted_model, tone_model_name
    from analysis.tone import score_texts, tone_label

    sentences = list(dict.fromkeys(t.sentence for t in targets))
    nlp = load_nlp()
    list(nlp.pipe(sentences[:1]))  # load the pipeline outside the timing
    began = time.process_time()
    docs = dict(zip(sentences, nlp.pipe(sentences), strict=True))
    parse_seconds = time.process_time() - began
    items = [(docs[t.sentence][:], t.start, t.end) for t in targets]
    kinds = TONE_MODELS
    predictions, speeds = {}, {}
    for kind in kinds:
        model = load_targeted_model(kind)
        model.predict_spans(items[:1])  # load the encoder outside the timing
        with threadpool_limits(1):  # one core, as the goal reads (and as ingest workers run)
            began = time.process_time()
            predictions[kind] = model.predict_spans(items)
            seconds = max(time.process_time() - began, 1e-9)
        speeds[kind] = Speed(len(items) / seconds, len(items) / (seconds + parse_seconds))
    tones = dict(zip(sentences, score_texts(sentences), strict=True))
    gold = [t.label for t in targets]
    methods = {f"targeted {kind}": [p.label for p in predictions[kind]] for kind in kinds}
    methods |= {
        "sentence tone": [tone_label(tones[t.sentence].tone) for t in targets],
        "TextBlob": [_sign_label(tones[t.sentence].polarity, 0.0) for t in targets],
        "VADER": [_sign_label(tones[t.sentence].vader, VADER_BAND) for t in targets],
    }
    scores = {name: macro_f1(gold, labels) for name, labels in methods.items()}
    agree = agreeing(targets)
    by_sentence = {
        "Newslens tone": [tone_label(tones[s].tone) for s in agree.sentences],
        "TextBlob": [_sign_label(tones[s].polarity, 0.0) for s in agree.sentences],
        "VADER": [_sign_label(tones[s].vader, VADER_BAND) for s in agree.sentences],
    }
    sentence_scores = {name: macro_f1(agree.labels, labels) for name, labels in by_sentence.items()}
    return Result(scores, sentence_scores, len(agree.sentences), predictions[tone_model_name()], tones, speeds)


def cli(argv: Sequence[str] | None = None) -> int:
    """``evaluate tone FILE.jsonl [--predictions OUT.jsonl] [--limit N]``; returns the exit code."""
    parser = argparse.ArgumentParser(prog="evaluate tone", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="NewsMTSC-format JSON Lines")
    parser.add_argument("--predictions", type=Path, help="write one JSON line per target here")
    parser.add_argument("--limit", type=int, help="score only the first N targets")
    args = parser.parse_args(argv)
    try:
        targets = read_targets(args.file, args.limit)
    except InputError as error:
        print(error, file=sys.stderr)
        return 2
    if not targets:
        print(f"{args.file}: no targets to score.", file=sys.stderr)
        return 2

    from analysis.tone import tone_label

    result = score(targets)
    print(f"{args.file.name}: {len(targets)} targets")
    print(f"{'per target':<17} {'macro-F1':>8} {'accuracy':>8}")
    for name, s in result.targets.items():
        print(f"{name:<17} {s.macro_f1:>8.3f} {s.accuracy:>8.3f}")
    print(f"\n{'per sentence':<17} {'macro-F1':>8} {'accuracy':>8}   ({result.sentence_count} sentences whose targets agree)")
    for name, s in result.sentences.items():
        print(f"{name:<17} {s.macro_f1:>8.3f} {s.accuracy:>8.3f}")
    print()
    for kind, speed in result.speeds.items():
        print(
            f"targeted {kind}: {speed.model:,.0f} targets per CPU-second on the article's parse,"
            f" {speed.with_parse:,.0f} with the parse"
        )
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            for t, p in zip(targets, result.predictions, strict=True):
                tone = result.tones[t.sentence].tone
                row = {
                    "sentence": t.sentence, "from": t.start, "to": t.end, "label": p.label, "score": round(p.score, 4),
                    "sentence_label": tone_label(tone), "sentence_tone": round(tone, 4),
                }  # fmt: skip
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0
