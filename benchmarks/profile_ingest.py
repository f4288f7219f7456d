"""Where ingest time goes: per-stage time over real articles, in one process (workers=1).

    python benchmarks/profile_ingest.py                    # 50 PolNeAR train texts, wall time
    python benchmarks/profile_ingest.py --clock cpu        # CPU time of the thread (a loaded host)
    python benchmarks/profile_ingest.py --cprofile out.prof  # also a cProfile dump + top functions

Each stage function is wrapped with a timer (the engine is not edited); nested stages are
subtracted from the stage that calls them, so the shares add up to the whole ingest. TextBlob and
VADER are timed at their library entry points, wherever in the engine they are called from.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from _common import POLNEAR_TRAIN, polnear_files, print_table


class StageTimer:
    """Exclusive wall time per stage: time inside a nested stage is charged to it alone."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list] = []  # [stage, start, seconds spent in nested stages]

    def enter(self, stage: str) -> None:
        self._stack.append([stage, self.clock(), 0.0])

    def leave(self) -> None:
        stage, start, nested = self._stack.pop()
        elapsed = self.clock() - start
        self.seconds[stage] += elapsed - nested
        self.calls[stage] += 1
        if self._stack:
            self._stack[-1][2] += elapsed

    def wrap(self, stage: str, func: Callable) -> Callable:
        @functools.wraps(func)
        def timed(*args, **kwargs):
            self.enter(stage)
            try:
                return func(*args, **kwargs)
            finally:
                self.leave()

        return timed

    def wrap_iter(self, stage: str, iterator: Iterator) -> Iterator:
        """Time each step of a lazy iterator (``nlp.pipe`` parses as it is consumed)."""
        while True:
            self.enter(stage)
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                self.leave()
            yield item


def instrument(timer: StageTimer) -> None:
    """Wrap the engine's stage functions (module attributes, so the pipeline calls the wrappers)."""
    import textblob.en.sentiments as tb
    import vaderSentiment.vaderSentiment as vader

    from analysis import encoder, pipeline, store

    for name, stage in [
        ("_clean", "clean (decode done before)"),
        ("extract_entities", "entities"),
        ("_score_targets", "targeted tone model"),
        ("extract_quotes", "quotes"),
        ("_sentences", "sentences + voice"),
        ("_paragraphs", "paragraph tone"),
        ("score_texts", "tone (own code)"),
        ("_headlines", "headline analysis"),
        ("_language_notices", "language check"),
    ]:
        if hasattr(pipeline, name):
            setattr(pipeline, name, timer.wrap(stage, getattr(pipeline, name)))
    tb.PatternAnalyzer.analyze = timer.wrap("TextBlob", tb.PatternAnalyzer.analyze)
    vader.SentimentIntensityAnalyzer.polarity_scores = timer.wrap(
        "VADER", vader.SentimentIntensityAnalyzer.polarity_scores
    )
    store.Store.save_many = timer.wrap("SQLite (save_many)", store.Store.save_many)
    encoder.Encoder.encode = timer.wrap("encoder (tokenizer + ONNX)", encoder.Encoder.encode)

    nlp = pipeline.load_nlp()
    real_pipe = nlp.pipe

    class TimedNlp:
        """The pipeline as the engine sees it, with parsing timed (body and headline passes)."""

        def __getattr__(self, name):
            return getattr(nlp, name)

        def __call__(self, text):
            return timer.wrap("spaCy parse", nlp)(text)

        def pipe(self, texts, **kwargs):
            return timer.wrap_iter("spaCy parse", iter(real_pipe(texts, **kwargs)))

    timed_nlp = TimedNlp()
    pipeline.load_nlp = lambda: timed_nlp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=50, help="texts, the first N by name (default 50)")
    parser.add_argument("--texts", type=Path, default=POLNEAR_TRAIN, help="folder of .txt articles")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall time, or the CPU time of the thread (ONNX runs on it: one intra-op thread)")  # fmt: skip
    parser.add_argument("--cprofile", type=Path, metavar="OUT", help="also run cProfile, dump stats here")
    parser.add_argument("--top", type=int, default=25, help="functions listed from cProfile")
    args = parser.parse_args(argv)

    from analysis.ingest import ingest, inputs_from_paths
    from analysis.pipeline import load_models, load_nlp
    from analysis.store import Store
    from analysis.targeted import load_targeted_model

    files = polnear_files(args.n, args.texts)
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    load_nlp()  # model loading is not ingest work: load before timing
    load_targeted_model()
    load_models()  # the encoder and the sentence head too
    timer = StageTimer(time.thread_time if args.clock == "cpu" else time.perf_counter)
    instrument(timer)
    with tempfile.TemporaryDirectory(prefix="newslens-profile-") as tmp:
        store = Store(str(Path(tmp) / "profile.sqlite"))
        inputs = list(inputs_from_paths(files))  # decode: reading and decoding the files
        profiler = cProfile.Profile() if args.cprofile else None
        timer.enter("other (ingest loop, glue)")
        if profiler:
            profiler.enable()
        summary = ingest(store, inputs, workers=1, batch_size=args.batch_size)
        if profiler:
            profiler.disable()
        timer.leave()
    total = sum(timer.seconds.values())
    print(f"{len(summary.added)} articles, {words:,} words, workers=1, {total:.1f} {args.clock} s "
          f"({len(files) / total:.1f} articles/s, {words / total:,.0f} words/s)"
          f"{' under cProfile' if profiler else ''}\n")  # fmt: skip
    rows = sorted(timer.seconds.items(), key=lambda kv: -kv[1])
    print_table(
        ["stage", "calls", "seconds", "share %", "ms/article"],
        [[s, timer.calls[s], sec, 100 * sec / total, 1000 * sec / len(files)] for s, sec in rows],
    )
    if profiler:
        profiler.dump_stats(args.cprofile)
        print(f"\ncProfile: top {args.top} functions by own time (stats in {args.cprofile})")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
