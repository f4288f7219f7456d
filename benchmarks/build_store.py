"""Build a large store from real texts fast: analyse a few hundred once, then store clones.

    python benchmarks/build_store.py --n 10000 --out /tmp/newslens-10k.sqlite

The real texts (PolNeAR train articles and AllSides outlet articles, read in place from
``../shared/eval``) go through the engine once (``analyze_many``); the store is then filled with
``--n`` articles cloned from those analyses, each with its own id, a varied title, source and
date, written with ``Store.save_many`` in batches, plus the seed article(s) of ``data/`` as the
app's first start would add them. Every row is a real analysis; only the count is
synthetic, so the aggregates (corpus entities, co-occurrence, related terms) grow as they would.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from _common import POLNEAR_TRAIN, allsides_articles, polnear_files, print_table

SOURCES = ("Wire Service", "City Herald", "National Post", "Evening Standard", "Daily Ledger",
           "Morning Courier", "Public Radio", "Metro Times", "Valley Gazette", "Capital Report")  # fmt: skip
FIRST_DAY = date(2024, 1, 1)


def real_inputs(n: int, texts: Path) -> list:
    """About half PolNeAR train texts and half AllSides outlet articles (fewer if one is short)."""
    from analysis.pipeline import ArticleInput

    sides = [ArticleInput(text=a["text"], name=f"allsides:{i}", title=a["title"] or None, source=a["source"],
                          url=a["url"], published=a["published"])
             for i, a in enumerate(allsides_articles(n // 2))]  # fmt: skip
    files = polnear_files(n - len(sides), texts)
    polnear = [ArticleInput(text=f.read_text(encoding="utf-8"), name=f.name, source=f.name.split("_")[0])
               for f in files]  # fmt: skip
    return polnear + sides


def clone(article, number: int):
    """Article ``number`` of the store: a copy of a real analysis under a new id, with a varied
    title, source and date (the shared analysis objects are only read, never changed)."""
    new_id = hashlib.sha256(f"{article.id}:{number}".encode()).hexdigest()[:16]
    cleaned = replace(article.cleaned, title=f"{article.cleaned.title} (copy {number})")
    source = SOURCES[number % len(SOURCES)]
    published = (FIRST_DAY + timedelta(days=number % 730)).isoformat()
    return replace(article, id=new_id, cleaned=cleaned, source=source, published=published)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to store (default 10000)")
    parser.add_argument("--out", type=Path, required=True, help="SQLite file to create (must not exist)")
    parser.add_argument("--base", type=int, default=300, help="real texts to analyse (default 300)")
    parser.add_argument("--texts", type=Path, default=POLNEAR_TRAIN, help="folder of .txt articles")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500, help="articles per save_many transaction")
    args = parser.parse_args(argv)

    from analysis.ingest import seed_store
    from analysis.pipeline import Failure, analyze_many
    from analysis.store import Store

    if args.out.exists():
        raise SystemExit(f"{args.out} exists; give a new file")
    start = time.perf_counter()
    analysed = [r for r in analyze_many(real_inputs(args.base, args.texts), workers=args.workers)
                if not isinstance(r, Failure)]  # fmt: skip
    if not analysed:
        raise SystemExit("no text could be analysed")
    analysed_at = time.perf_counter()

    store = Store(str(args.out))
    batch = []
    for number in range(args.n):
        base = analysed[number % len(analysed)]
        batch.append(base if number < len(analysed) else clone(base, number))
        if len(batch) >= args.batch:
            store.save_many(batch)
            batch.clear()
    if batch:
        store.save_many(batch)
    seed_store(store)  # what the app's first start does; later starts then load no model
    end = time.perf_counter()
    stored = store.count()
    store.close()
    print_table(
        ["articles", "real analyses", "analyse s", "write s", "total s", "db MB", "path"],
        [[stored, len(analysed), analysed_at - start, end - analysed_at, end - start,
          args.out.stat().st_size / 1e6, str(args.out)]],
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
