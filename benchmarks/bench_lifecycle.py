"""Re-analysis speed against ingest speed, and deleting articles from a large store.

    python benchmarks/bench_lifecycle.py --n 100                       # reanalyze vs ingest, 100 texts
    python benchmarks/bench_lifecycle.py --n 0 --db /tmp/newslens-10k.sqlite --delete 100

(a) ``python -m analysis ingest <folder> --workers 2`` into a fresh database, then
    ``python -m analysis reanalyze --all --workers 2`` over the same database, each timed as a
    whole process (interpreter start-up and model loading included). The goal: re-analysis at
    ingest speed (ratio ≈ 1).
(b) ``Store.delete`` of ``--delete`` articles from a copy of the store ``--db`` (e.g. the
    10,000-article store of ``build_store.py``), one transaction each with the corpus aggregates
    they touched recomputed; the seconds per article and the total. Then the check that the store
    is one that never had them: no row of any table names a deleted article, and every corpus view
    (entities, co-occurrence, speakers, quotes, the article list) is the same before and after
    recomputing every corpus aggregate from the per-article rows, which is what a store built
    without those articles holds.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import POLNEAR_TRAIN, ROOT, machine, median, p95, polnear_files, print_table


def _timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def reanalysis_vs_ingest(n: int, workers: int, texts: Path) -> list:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "texts")
        folder.mkdir()
        for f in polnear_files(n, texts):
            shutil.copy(f, folder / f.name)
        db = Path(tmp, "store.sqlite")
        env = {**os.environ, "NEWSLENS_DB": str(db), "PYTHONPATH": str(ROOT)}
        ingest = _timed([sys.executable, "-m", "analysis", "ingest", str(folder), "--workers", str(workers)], env)
        redo = _timed([sys.executable, "-m", "analysis", "reanalyze", "--all", "--workers", str(workers)], env)
    return [n, workers, ingest, redo, redo / ingest, n / ingest, n / redo]


def delete_from(db: Path, count: int, seed: int = 7) -> list:
    from analysis.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, "copy.sqlite")
        shutil.copy(db, copy)
        store = Store(str(copy))
        total = store.count()
        ids = random.Random(seed).sample(store.ids(), min(count, total))
        times = []
        for article_id in ids:
            start = time.perf_counter()
            store.delete([article_id])
            times.append(time.perf_counter() - start)
        left = store.count()
        traces = _rows_naming(store, ids)
        incremental = _corpus_views(store)
        store.refresh_corpus()
        rebuilt = _corpus_views(store)
        store.close()
    same = all(_same(incremental[k], rebuilt[k]) for k in rebuilt)
    return [total, len(ids), left, sum(times), median(times) * 1000, p95(times) * 1000, traces,
            "yes" if same else "NO: " + ", ".join(k for k in rebuilt if not _same(incremental[k], rebuilt[k]))]  # fmt: skip


def _corpus_views(store) -> dict[str, object]:
    """Every corpus-wide view the pages read (as tests/test_lifecycle.py compares them)."""
    return {
        "entities": store.entities_frame(limit=1000),
        "cooccurrence": store.cooccurrence_frame(top=40).sort_values(["a", "b"]).reset_index(drop=True),
        "labels": store.entity_labels(),
        "speakers": store.speakers(),
        "quotes": store.quotes_frame(),
        "count": store.count(),
        "list": store.articles_frame().drop(columns=["added_at"]),
    }


def _same(a: object, b: object) -> bool:
    import pandas as pd

    if isinstance(a, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(a, b)
        except AssertionError:
            return False
        return True
    return a == b


def _rows_naming(store, ids: list[str]) -> int:
    """Rows of the articles and per-article tables that still name one of ``ids``."""
    from analysis.store.schema import ARTICLE_TABLES

    marks = ", ".join("?" * len(ids))
    found = 0
    with store.db.read() as con:
        for name in ("articles", *ARTICLE_TABLES):
            column = "id" if name == "articles" else "article_id"
            found += con.execute(f"SELECT COUNT(*) FROM {name} WHERE {column} IN ({marks})", ids).scalar_one()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100, help="texts to ingest then re-analyse (0: skip)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--texts", type=Path, default=POLNEAR_TRAIN, help="folder of .txt articles")
    parser.add_argument("--db", type=Path, help="a store to delete from (a copy is used)")
    parser.add_argument("--delete", type=int, default=100, help="articles to delete from --db")
    args = parser.parse_args(argv)
    print(machine())
    if args.n:
        print_table(
            ["texts", "workers", "ingest s", "reanalyze s", "ratio", "ingest art/s", "reanalyze art/s"],
            [reanalysis_vs_ingest(args.n, args.workers, args.texts)],
        )
    if args.db:
        print_table(
            ["articles", "deleted", "left", "total s", "median ms", "p95 ms", "rows left naming them", "views = never stored"],
            [delete_from(args.db, args.delete)],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
