"""CPU and wall time of the corpus views' store calls (issue 15): full-text search, corpus quotes,
the outlet and date filters, the by-outlet views. Prints a Markdown table.

    python benchmarks/build_store.py --n 10000 --out /tmp/newslens-10k.sqlite
    python benchmarks/bench_corpus_views.py /tmp/newslens-10k.sqlite

"outlet+month" is the store's first outlet and the first month of its dates; "all dates from
2000" a date range holding every dated article (the widest filter).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.quotes import shown_confidences  # noqa: E402
from analysis.store import CorpusScope, Store  # noqa: E402


def main(db: str, runs: int = 5) -> None:
    s = Store(db)
    outlet = (s.outlets() or [""])[0]
    first = (s.date_range()[0] or "2024-01-01")[:8] + "01"
    month = CorpusScope((outlet,), first, first[:8] + "28")
    wide = CorpusScope((), "2000-01-01", "")
    floors = shown_confidences()
    c, w = time.process_time(), time.perf_counter()
    linked_two = s.entities_frame(limit=2, linked=True)["entity"].tolist()
    print(f"first linked call (links the corpus): CPU {1000 * (time.process_time() - c):,.0f} ms, "
          f"wall {1000 * (time.perf_counter() - w):,.0f} ms")  # fmt: skip
    calls = [
        ("search_ids('court')", lambda: s.search_ids("court")),
        ("articles_frame('court ruling')", lambda: s.articles_frame("court ruling")),
        ("quotes_frame(corpus) newest 5,000", lambda: s.quotes_frame(None, min_confidence=floors, statements_only=True)),
        ("quotes_frame(corpus, outlet+month)", lambda: s.quotes_frame(None, scope=month, min_confidence=floors, statements_only=True)),
        ("quotes_frame(corpus, text='said')", lambda: s.quotes_frame(None, text="said", min_confidence=floors, statements_only=True)),
        ("entities_frame(all dates from 2000)", lambda: s.entities_frame(None, scope=wide)),
        ("entities_frame(outlet+month)", lambda: s.entities_frame(None, scope=month)),
        ("stories_frame(outlet+month)", lambda: s.stories_frame(min_articles=2, scope=month)),
        ("quoted_by_outlet()", lambda: s.quoted_by_outlet(min_confidence=floors)),
        ("attention_by_outlet()", lambda: s.attention_by_outlet()),
        ("attention_by_outlet(all dates from 2000)", lambda: s.attention_by_outlet(scope=wide)),
        # the Coverage page, on entities linked across articles (links computed once per revision)
        ("entity_coverage(top 2 linked entities, linked)", lambda: s.entity_coverage(linked_two, linked=True)),
        ("entity_coverage(top 2 linked, all dates from 2000)", lambda: s.entity_coverage(linked_two, scope=wide, linked=True)),
        ("attention_by_outlet(linked)", lambda: s.attention_by_outlet(linked=True)),
        ("attention_by_outlet(linked, all dates from 2000)", lambda: s.attention_by_outlet(scope=wide, linked=True)),
    ]  # fmt: skip
    print(f"| call ({s.count():,} articles) | CPU ms (best of {runs}) | wall ms (median of {runs}) |\n|---|---|---|")
    for name, call in calls:
        cpu, wall = [], []
        for _ in range(runs):
            c, w = time.process_time(), time.perf_counter()
            call()
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - w)
        print(f"| `{name}` | {min(cpu) * 1000:,.0f} | {sorted(wall)[runs // 2] * 1000:,.0f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="the store to read (see build_store.py)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per call")
    args = parser.parse_args()
    main(args.db, args.runs)
