"""How long each dashboard page's script run takes on a large store, and the store calls behind it.

    python benchmarks/build_store.py --n 10000 --out /tmp/newslens-10k.sqlite
    python benchmarks/bench_pages.py --db /tmp/newslens-10k.sqlite --runs 20
    python benchmarks/bench_pages.py --db postgresql+psycopg://user@host:5432/db   # any store URL

Pages run in-process with Streamlit's AppTest (``app.py``, then each ``pages/*.py``), once per
view: ``article`` (``?article=ID``, a different stored article every run, so per-article frames
are never cached) and ``corpus`` (``?scope=corpus``, with Streamlit's data cache cleared before
every run, so each run reads the store). The first run of each view is a warm-up (imports,
resources) and is shown on its own. Goals: one article ≤ 300 ms median and ≤ 1 s p95; corpus-wide
views ≤ 2 s. At the end it prints this process's resident memory (VmRSS, and its peak VmHWM):
the pages ran in it as in an app process, so that is an app process's memory after rendering them
(goal ≤ 1 GB).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _common import ROOT, median, p95, print_table, rss_kib

ARTICLE_GOAL = (0.3, 1.0)  # seconds: median, p95
CORPUS_GOAL = (2.0, 2.0)


def article_ids(db: str, n: int, seed: int = 7) -> list[str]:
    from analysis.store import Store

    store = Store(db)
    ids = sorted(store.ids())
    store.close()
    if not ids:
        raise SystemExit(f"{db} holds no articles")
    random.Random(seed).shuffle(ids)
    return [ids[i % len(ids)] for i in range(n)]


def verdict(times: list[float], goal: tuple[float, float]) -> str:
    med, high = median(times), p95(times)
    if med <= goal[0] and high <= goal[1]:
        return "met"
    return f"missed ({med / goal[0]:.2f}x median, {high / goal[1]:.2f}x p95 of goal)"


def bench_pages(pages: list[str], ids: list[str], runs: int, scopes: list[str], timeout: float) -> list[list]:
    """Rows: page, view, runs, first ms, median ms, p95 ms, median CPU ms (a loaded host inflates
    wall time, not CPU), errors, goal verdict."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    rows = []
    for page in pages:
        for scope in scopes:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
            at.run()
            try:
                at.switch_page(page)
            except ValueError:
                rows.append([page, scope, 0, 0.0, 0.0, 0.0, 0.0, 0, "not a registered page"])
                break
            times, cpu, errors = [], [], 0
            for run in range(runs + 1):
                at.query_params = {"article": ids[run]} if scope == "article" else {"scope": "corpus"}
                if scope == "corpus":
                    st.cache_data.clear()
                start, start_cpu = time.perf_counter(), time.process_time()
                at.run()
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)  # the script's thread is in this process
                errors += len(at.exception)
            first, timed = times[0], times[1:]
            goal = ARTICLE_GOAL if scope == "article" else CORPUS_GOAL
            rows.append([page, scope, runs, 1000 * first, 1000 * median(timed), 1000 * p95(timed),
                         1000 * median(cpu[1:]), errors, verdict(timed, goal)])  # fmt: skip
    return rows


def store_calls(store) -> list[tuple[str, str, Callable[[str], object]]]:
    """(name, view, call) for the store methods the pages use; ``call`` takes an article id."""
    from analysis.coverage import story_view
    from analysis.quotes.classifier import shown_confidences
    from analysis.store import CorpusScope

    floors = shown_confidences()  # the pages' default: quotes at the classifier's thresholds
    top_two = store.entities_frame(limit=2)["entity"].tolist()
    linked_two = store.entities_frame(limit=2, linked=True)["entity"].tolist()  # what Coverage picks
    first = (store.date_range()[0] or "2024-01-01")[:8] + "01"
    scope = CorpusScope(((store.outlets() or [""])[0],), first, first[:8] + "28")  # an outlet and a month
    return [
        ("count()", "corpus", lambda _: store.count()),
        ("articles_frame()", "corpus", lambda _: store.articles_frame()),
        ("articles_frame(search)", "corpus", lambda _: store.articles_frame("court")),
        ("entities_frame()", "corpus", lambda _: store.entities_frame()),
        ("entity_labels()", "corpus", lambda _: store.entity_labels()),
        ("cooccurrence_frame()", "corpus", lambda _: store.cooccurrence_frame()),
        ("quotes_frame()", "corpus", lambda _: store.quotes_frame()),
        ("speakers()", "corpus", lambda _: store.speakers()),
        ("article(id)", "article", lambda i: store.article(i)),
        ("headlines_frame([id])", "article", lambda i: store.headlines_frame([i])),
        ("headline_similarity(id)", "article", lambda i: store.headline_similarity(i)),
        ("paragraphs_frame(id)", "article", lambda i: store.paragraphs_frame(i)),
        ("sentences_frame(id)", "article", lambda i: store.sentences_frame(i)),
        ("entities_frame(id)", "article", lambda i: store.entities_frame(i)),
        ("mentions_frame(id)", "article", lambda i: store.mentions_frame(i)),
        ("cooccurrence_frame(id)", "article", lambda i: store.cooccurrence_frame(i)),
        ("quotes_frame([id])", "article", lambda i: store.quotes_frame([i])),
        ("voice_frame(id)", "article", lambda i: store.voice_frame(i)),
        ("related_articles(id)", "article", lambda i: store.related_articles(i)),
        ("removed_frame(id)", "article", lambda i: store.removed_frame(i)),
        ("stories_frame()", "corpus", lambda _: store.stories_frame(min_articles=2)),
        ("outlets()", "corpus", lambda _: store.outlets()),
        ("entity_coverage(top 2)", "corpus", lambda _: store.entity_coverage(top_two)),
        ("story_of(id)", "article", lambda i: store.story_of(i)),
        # issue 15's corpus views: one outlet and a month (filtered in SQL), full-text search
        ("search_ids(word)", "corpus", lambda _: store.search_ids("court")),
        ("search_ids(two words)", "corpus", lambda _: store.search_ids("court ruling")),
        ("articles_frame(scope)", "corpus", lambda _: store.articles_frame(scope=scope, limit=10_000)),
        ("quotes_frame(corpus, scope)", "corpus", lambda _: store.quotes_frame(None, scope=scope)),
        ("quotes_frame(corpus, text)", "corpus", lambda _: store.quotes_frame(None, text="said")),
        # a word no quote holds: the search reads every quote of the corpus (its worst case)
        ("quotes_frame(corpus, rare)", "corpus", lambda _: store.quotes_frame(None, text="zqxj")),
        ("speakers(scope)", "corpus", lambda _: store.speakers(scope=scope, limit=1000)),
        ("entities_frame(scope)", "corpus", lambda _: store.entities_frame(scope=scope)),
        ("cooccurrence_frame(scope)", "corpus", lambda _: store.cooccurrence_frame(scope=scope)),
        ("stories_frame(scope)", "corpus", lambda _: store.stories_frame(min_articles=2, scope=scope)),
        ("entity_coverage(top 2, scope)", "corpus", lambda _: store.entity_coverage(top_two, scope=scope)),
        # as the Coverage page asks: at the classifier's floors (the whole corpus from its aggregate)
        ("quoted_by_outlet()", "corpus", lambda _: store.quoted_by_outlet(min_confidence=floors)),
        ("quoted_by_outlet(every quote)", "corpus", lambda _: store.quoted_by_outlet()),
        ("quoted_by_outlet(scope)", "corpus", lambda _: store.quoted_by_outlet(scope=scope, min_confidence=floors)),
        ("attention_by_outlet()", "corpus", lambda _: store.attention_by_outlet()),
        ("attention_by_outlet(scope)", "corpus", lambda _: store.attention_by_outlet(scope=scope)),
        # the Coverage page reads entities linked across articles (links cached per store revision)
        ("entity_coverage(top 2, linked)", "corpus", lambda _: store.entity_coverage(linked_two, linked=True)),
        ("entity_coverage(top 2, scope, linked)", "corpus",
         lambda _: store.entity_coverage(linked_two, scope=scope, linked=True)),
        ("attention_by_outlet(linked)", "corpus", lambda _: store.attention_by_outlet(linked=True)),
        ("attention_by_outlet(scope, linked)", "corpus", lambda _: store.attention_by_outlet(scope=scope, linked=True)),
        ("story_view(story of id)", "article", lambda i: story_view(store, store.story_of(i) or "none")),
    ]


def bench_store(db: str, ids: list[str], runs: int) -> list[list]:
    from analysis.store import Store

    store = Store(str(db))
    rows = []
    for name, scope, call in store_calls(store):
        call(ids[0])  # warm-up: connection, page cache
        times, cpu = [], []
        for run in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            call(ids[run + 1])
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        goal = ARTICLE_GOAL if scope == "article" else CORPUS_GOAL
        rows.append([name, scope, runs, 1000 * median(times), 1000 * p95(times), 1000 * median(cpu),
                     verdict(times, goal)])  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="the store to read: a SQLite file or a PostgreSQL URL (see build_store.py)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per view, after one warm-up")
    parser.add_argument("--pages", nargs="*", help="page files relative to the repo (default: pages/*.py)")
    parser.add_argument("--scopes", nargs="*", choices=("article", "corpus"), default=["article", "corpus"])
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for one script run")
    parser.add_argument("--skip-pages", action="store_true", help="time only the store calls")
    args = parser.parse_args(argv)

    if "://" not in args.db:
        if not Path(args.db).is_file():
            raise SystemExit(f"{args.db} does not exist (build it with benchmarks/build_store.py)")
        args.db = str(Path(args.db).resolve())
    os.environ["NEWSLENS_DB"] = args.db
    os.chdir(ROOT)
    ids = article_ids(args.db, args.runs + 1)

    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"store: {args.db.split('@')[-1]}; runs per view: {args.runs} after one warm-up; load average {' '.join(load)}\n")
    print("store calls (ms)")
    print_table(["call", "view", "runs", "median", "p95", "cpu median", "goal"], bench_store(args.db, ids, args.runs))
    if args.skip_pages:
        return 0
    pages = args.pages or sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_")
    )
    if not (ROOT / "app.py").is_file() or not pages:
        print("\nno app.py or pages/*.py yet: page runs skipped")
        return 0
    print("\npage script runs, AppTest (ms)")
    print_table(["page", "view", "runs", "first", "median", "p95", "CPU median", "errors", "goal"],
                bench_pages(pages, ids, args.runs, args.scopes, args.timeout))  # fmt: skip
    rss, peak = rss_kib(os.getpid())
    print(f"\nthis process after the page runs: VmRSS {rss / 1024:.0f} MB, peak (VmHWM) {peak / 1024:.0f} MB (goal <= 1024)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
