"""Wall time of ``analyze`` on long inputs, and how it grows with the input (docs/robustness.md).

    python benchmarks/robustness/long_inputs.py                  # every case
    python benchmarks/robustness/long_inputs.py --words 5000 10000 20000 50000 --profile

Cases: one paragraph of N words (words drawn from generated news text, so it has names, quotes
and reporting verbs), a 200,000-character line of ordinary sentences, a 200,000-character line
without a space, and an article of many normal paragraphs just under the 1 MB limit. The model
is loaded and warmed before timing. ``--profile`` adds the four engine functions with the most
cumulative time per case, which is how quadratic steps show up.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.errors import DEFAULT_MAX_BYTES  # noqa: E402
from analysis.nlp import load_nlp  # noqa: E402
from analysis.pipeline import ArticleInput, analyze  # noqa: E402
from tests.test_concurrency import news_article  # noqa: E402

SENTENCE = "The council voted on Tuesday to close the old bridge for repairs, officials said. "


def words_paragraph(n: int) -> str:
    rng = random.Random(n)
    words = " ".join(news_article(i).split("\n\n", 1)[1] for i in range(20)).split()
    return "A very long report\n\n" + " ".join(rng.choice(words) for _ in range(n))


def cases(word_counts: list[int]) -> dict[str, str]:
    out = {f"{n:,}-word paragraph": words_paragraph(n) for n in word_counts}
    out["200,000-char line of sentences"] = "A long line\n\n" + (SENTENCE * 2500)[:200_000]
    blob = "".join(random.Random(1).choice("abcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(200_000))
    out["200,000-char line without spaces"] = f"A long line\n\n{SENTENCE}\n\n{blob}"
    paragraphs, size = [], 0
    for i in range(100_000):
        p = news_article(i).split("\n\n", 1)[1]
        if size + len(p.encode()) + 2 > DEFAULT_MAX_BYTES - 100:
            break
        paragraphs.append(p)
        size += len(p.encode()) + 2
    out[f"{len(paragraphs)} articles' paragraphs (~1 MB)"] = "Many paragraphs\n\n" + "\n\n".join(paragraphs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, nargs="+", default=[2500, 5000, 10000, 50000])
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--profile", action="store_true", help="top cumulative functions per case")
    args = parser.parse_args()
    nlp = load_nlp()
    analyze(ArticleInput(text=news_article(0)), nlp=nlp)  # warm up every model
    print(f"{'case':<40} {'chars':>9} {'seconds':>8} {'sentences':>9} {'mentions':>8} {'quotes':>6}")
    for name, text in cases(args.words).items():
        if args.only and args.only not in name:
            continue
        profiler = cProfile.Profile() if args.profile else None
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        a = analyze(ArticleInput(text=text), nlp=nlp)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
        print(f"{name:<40} {len(text):>9,} {seconds:>8.1f} {len(a.sentences):>9,} {len(a.mentions):>8,} "
              f"{len(a.quotes):>6,}", flush=True)  # fmt: skip
        if profiler:
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            rows = [(v[3], f"{Path(k[0]).name}:{k[2]}") for k, v in stats.stats.items()
                    if "/analysis/" in k[0] and not k[2].startswith("<")
                    and k[2] not in ("analyze", "analyze_cleaned")]  # fmt: skip
            for cum, where in sorted(rows, reverse=True)[:4]:
                print(f"    {cum:8.1f} s in {where}")


if __name__ == "__main__":
    main()
