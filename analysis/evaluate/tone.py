"""``evaluate tone FILE.jsonl``: targeted-tone accuracy on NewsMTSC-format data.

Scores, on the same targets in one run, four ways of labelling each target negative / neutral /
positive, with the metric of ``shared/eval/README.md`` (3-class macro-F1, the paper's F1m, and
accuracy):

- ``targeted accurate`` and ``targeted fast``: our targeted models (``analysis.targeted``), tone
  toward the mention, with and without MiniLM's vectors (the predictions file holds the default
  model's, accurate unless ``$NEWSLENS_TONE`` says fast);
- ``sentence tone``: our sentence ``tone`` (``analysis.tone``) with its trained neutral band;
- ``TextBlob``: the sign of the sentence's pattern polarity;
- ``VADER``: the sentence's compound, positive at >= 0.05, negative at <= -0.05.

Figures (``python -m analysis evaluate tone ../shared/eval/newsmtsc/dev_rw.jsonl``, and dev_mt),
macro-F1 rw / mt: targeted accurate 0.749 / 0.729, targeted fast 0.716 / 0.660, sentence tone
0.586 / 0.541, TextBlob 0.416 / 0.435, VADER 0.508 / 0.528.
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


class Speed(NamedTuple):
    """Targets per CPU-second of a targeted model: ``model`` on an existing parse (as in the
    pipeline), ``with_parse`` counting the spaCy parse of the sentences too."""

    model: float
    with_parse: float


def score(targets: Sequence[Target]) -> tuple[dict[str, Score], list, dict[str, Speed]]:
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
    kinds = dict.fromkeys(tone_model_name(kind) for kind in TONE_MODELS)  # fast twice without the encoder
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
    return scores, predictions[tone_model_name()], speeds


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

    scores, ours, speeds = score(targets)
    print(f"{args.file.name}: {len(targets)} targets")
    print(f"{'method':<17} {'macro-F1':>8} {'accuracy':>8}")
    for name, s in scores.items():
        print(f"{name:<17} {s.macro_f1:>8.3f} {s.accuracy:>8.3f}")
    for kind, speed in speeds.items():
        print(
            f"targeted {kind}: {speed.model:,.0f} targets per CPU-second on the article's parse,"
            f" {speed.with_parse:,.0f} with the parse"
        )
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            for t, p in zip(targets, ours, strict=True):
                row = {"sentence": t.sentence, "from": t.start, "to": t.end, "label": p.label, "score": round(p.score, 4)}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0
