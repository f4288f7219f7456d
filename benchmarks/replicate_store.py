"""Build a 100,000-article store cheaply: analyse a few hundred real texts once, then replicate
their stored rows in SQL under new ids, on SQLite and PostgreSQL alike.

    python benchmarks/replicate_store.py --n 100000 --base 300 \\
        --out /tmp/newslens-100k.sqlite postgresql+psycopg://postgres@127.0.0.1:55433/newslens_100k

1. ``--base`` real texts (half PolNeAR train articles, half AllSides outlet articles, read in place
   from ``../shared/eval``, as ``build_store.py`` picks them) go through the engine once
   (``analyze_many``) and are saved into every ``--out`` store with ``Store.save_many``, plus the
   seed article(s) of ``data/`` as the app's first start adds them.
2. Each store is then filled to ``--n`` articles by copies of those articles: copy ``k`` of a
   base article gets the id ``sha256(base id:k)[:16]``, the title ``"<title> (copy k)"``, one of
   20 outlets (its ``source`` and ``outlet``), a date spread over one year (2024) and its own
   ``added_at``; every per-article row (headlines, paragraphs, sentences, entities, mentions,
   quotes, co-occurrence, keyword terms, the original input) is copied with ``INSERT … SELECT``
   in transactions of ``--chunk`` copies. Copies are grouped into stories of four (consecutive
   copies of one base article, so four different outlets).
3. The corpus aggregates (entity counts, co-occurrence) are recomputed from the rows by
   ``Store.refresh_corpus`` (the single refresher the app uses) and the planner's statistics
   refreshed (``ANALYZE``).

Every row is a real analysis; only the count is synthetic. The corpus aggregates therefore count
each real entity ``n / base`` times, and a copy shares all its keywords with the other copies of
its base article (the "related articles" of an article are its copies first).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from datetime import date, timedelta

from _common import POLNEAR_TRAIN, print_table

OUTLETS = (
    "Wire Service", "City Herald", "National Post", "Evening Standard", "Daily Ledger",
    "Morning Courier", "Public Radio", "Metro Times", "Valley Gazette", "Capital Report",
    "Harbour Courier", "Northern Wire", "Coast Tribune", "River Daily", "Plains Observer",
    "Mountain News", "Bay Chronicle", "Lakeside Post", "Union Journal", "Frontier Times",
)  # fmt: skip
FIRST_DAY = date(2024, 1, 1)
STORY_SIZE = 4
# per-article tables copied row for row (article_id replaced by the copy's id)
COPIED = ("headlines", "paragraphs", "sentences", "entities", "mentions", "quotes", "cooccurrence",
          "article_terms", "originals")  # fmt: skip


def copy_plan(base_ids: list[str], n: int, start: float) -> list[tuple]:
    """Rows of the temporary ``clone_map``: (old_id, new_id, number, outlet, published, added_at,
    story_id) for copies ``len(base_ids)`` … ``n - 1``."""
    rows = []
    for number in range(len(base_ids), n):
        old = base_ids[number % len(base_ids)]
        new = hashlib.sha256(f"{old}:{number}".encode()).hexdigest()[:16]
        round_ = number // len(base_ids)  # copies of one base article: rounds 1, 2, 3, …
        first = (1 + (round_ - 1) // STORY_SIZE * STORY_SIZE) * len(base_ids) + number % len(base_ids)
        story = "story-" + hashlib.sha256(f"{old}:{first}".encode()).hexdigest()[:16]  # its first copy's id
        published = (FIRST_DAY + timedelta(days=(number * 7) % 366)).isoformat()
        rows.append((old, new, number, OUTLETS[number % len(OUTLETS)], published, start + number, story))
    return rows


def replicate(store, n: int, chunk: int) -> tuple[float, float]:
    """Fill ``store`` to ``n`` articles with copies of its articles; (copy s, aggregate s)."""
    from analysis.store.schema import metadata

    base_ids = store.ids()
    plan = copy_plan(base_ids, n, time.time())
    started = time.perf_counter()
    for at in range(0, len(plan), chunk):
        part = plan[at : at + chunk]

        def work(con, part=part) -> None:
            con.execute("DROP TABLE IF EXISTS clone_map")
            con.execute("""CREATE TEMPORARY TABLE clone_map (old_id TEXT, new_id TEXT, number INTEGER,
                           outlet TEXT, published TEXT, added_at DOUBLE PRECISION, story_id TEXT)""")
            con.executemany("INSERT INTO clone_map VALUES (?,?,?,?,?,?,?)", part)
            columns = [c.name for c in metadata.tables["articles"].columns]
            chosen = {"id": "m.new_id", "title": "a.title || ' (copy ' || m.number || ')'", "source": "m.outlet",
                      "outlet": "m.outlet", "published": "m.published", "added_at": "m.added_at"}  # fmt: skip
            con.execute(
                f"""INSERT INTO articles ({", ".join(_q(c) for c in columns)})
                    SELECT {", ".join(chosen.get(c, f"a.{_q(c)}") for c in columns)}
                    FROM clone_map m JOIN articles a ON a.id = m.old_id"""
            )
            for table in COPIED:
                cols = [c.name for c in metadata.tables[table].columns]
                picked = ", ".join("m.new_id" if c == "article_id" else f"t.{_q(c)}" for c in cols)
                con.execute(
                    f"""INSERT INTO {table} ({", ".join(_q(c) for c in cols)})
                        SELECT {picked} FROM clone_map m JOIN {table} t ON t.article_id = m.old_id"""
                )
            con.execute("INSERT INTO story_members (article_id, story_id) SELECT new_id, story_id FROM clone_map")
            con.execute("DROP TABLE clone_map")

        store.db.write(work)
        print(f"  {at + len(part) + len(base_ids):,} articles", file=sys.stderr, flush=True)
    copied = time.perf_counter()
    store.refresh_corpus()
    with store.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as con:
        con.exec_driver_sql("ANALYZE")
    return copied - started, time.perf_counter() - copied


def _q(column: str) -> str:
    return f'"{column}"'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles to store (default 100000)")
    parser.add_argument("--out", nargs="+", required=True, help="new stores: SQLite files or PostgreSQL URLs")
    parser.add_argument("--base", type=int, default=300, help="real texts to analyse (default 300)")
    parser.add_argument("--texts", default=str(POLNEAR_TRAIN), help="folder of .txt articles")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=5_000, help="copies per transaction")
    args = parser.parse_args(argv)

    from pathlib import Path

    from build_store import real_inputs

    from analysis.ingest import seed_store
    from analysis.pipeline import Failure, analyze_many
    from analysis.store import Store

    stores = []
    for out in args.out:
        store = Store(out)
        if store.count():
            raise SystemExit(f"{out} already holds articles; give a new store")
        stores.append((out, store))
    start = time.perf_counter()
    analysed = [r for r in analyze_many(real_inputs(args.base, Path(args.texts)), workers=args.workers)
                if not isinstance(r, Failure)]  # fmt: skip
    analyse_s = time.perf_counter() - start
    rows = []
    for out, store in stores:
        begun = time.perf_counter()
        store.save_many(analysed)
        seed_store(store)
        copy_s, aggregate_s = replicate(store, args.n, args.chunk)
        rows.append([out.split("@")[-1], store.count(), len(analysed), analyse_s, copy_s, aggregate_s,
                     time.perf_counter() - begun])  # fmt: skip
        store.close()
    print_table(["store", "articles", "real analyses", "analyse s", "copy s", "aggregates s", "total s"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
