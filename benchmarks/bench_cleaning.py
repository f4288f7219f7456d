"""Cleaning time per article, one core, beside what the analysis of the same article costs.

    python benchmarks/bench_cleaning.py              # 130 pasted pages, their HTML, 100 articles
    python benchmarks/bench_cleaning.py --n 3        # a smoke run

Three kinds of input, read in place from ``../shared/eval``: web pages as a browser copies them
(``pages/readability/copied``, menus and footers included: the line model's work), the same
pages as HTML (trafilatura plus our post-processing), and plain article texts (PolNeAR train).
Each is cleaned once to warm up, then timed in CPU seconds (``time.process_time``) per article:
median, p95, mean. The last row is the full analysis (``analysis.pipeline.analyze``) of the plain
articles, for the share cleaning takes of it.
"""

from __future__ import annotations

import argparse
import gzip
import time

from _common import SHARED_EVAL, machine, median, p95, polnear_files, print_table

PAGES = SHARED_EVAL / "pages" / "readability"


def _timed(items: list[tuple[str, str | None]], run) -> list[float]:
    """Milliseconds of CPU per item."""
    out = []
    for text, fmt in items:
        began = time.process_time()
        try:
            run(text, fmt)
        except ValueError:  # an InputError: a page whose copy is empty still costs its time
            pass
        out.append(1000 * (time.process_time() - began))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=None, help="at most N pages and N articles (default: 130 / 100)")
    args = parser.parse_args(argv)

    from threadpoolctl import threadpool_limits

    from analysis.clean import clean_article
    from analysis.decode import decode_bytes
    from analysis.pipeline import ArticleInput, analyze

    names = sorted(p.stem for p in (PAGES / "copied").glob("*.txt"))[: args.n or None]
    copied = [((PAGES / "copied" / f"{n}.txt").read_text(encoding="utf-8"), "text") for n in names]
    html = [
        (gzip.decompress((PAGES / "html" / f"{n}.html.gz").read_bytes()).decode("utf-8", "replace"), "html")
        for n in names if (PAGES / "html" / f"{n}.html.gz").is_file()
    ]
    plain = [(decode_bytes(p.read_bytes(), name=p.name), None) for p in polnear_files(args.n or 100)]

    def clean(text: str, fmt: str | None) -> None:
        clean_article(text, format=fmt)

    rows = []
    with threadpool_limits(1):
        for label, items in (("pasted pages (copied text)", copied), ("the same pages (HTML)", html),
                             ("plain articles (PolNeAR)", plain)):
            if not items:
                continue
            _timed(items[:1], clean)
            ms = _timed(items, clean)
            rows.append([label, len(items), f"{median(ms):.1f}", f"{p95(ms):.1f}", f"{sum(ms) / len(ms):.1f}"])
        analyze(ArticleInput(text=plain[0][0]))  # loads the models
        ms = _timed(plain, lambda text, fmt: analyze(ArticleInput(text=text)))
        rows.append(["full analysis of the plain articles", len(plain), f"{median(ms):.1f}", f"{p95(ms):.1f}",
                     f"{sum(ms) / len(ms):.1f}"])
    print(f"machine: {machine()}")
    print_table(["input", "articles", "median ms", "p95 ms", "mean ms"], rows)
    clean_mean = float(rows[-2][4])
    print(f"cleaning a plain article: {100 * clean_mean / float(rows[-1][4]):.1f}% of its full analysis")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
