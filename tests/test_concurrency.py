"""Eight processes ingesting into one SQLite store at once: every article lands exactly once,
nobody sees "database is locked", and the corpus aggregates agree with the per-article rows.

Also home of the two helpers the durability tests share: ``news_article`` (varied, realistic
small articles, so ingests differ in entities and quotes) and ``assert_consistent`` (the store's
invariants after any sequence of writes, crashes included).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PEOPLE = (
    "Maria Alvarez", "James Okafor", "Chen Wei", "Sophie Laurent", "Rahul Mehta", "Anna Kowalski",
    "David Cohen", "Fatima Haddad", "Lars Eriksson", "Grace Mbeki", "Tomás Rivera", "Yuki Tanaka",
)  # fmt: skip
ROLES = (
    "a spokeswoman for", "the chief economist at", "a senior official at", "the director of",
    "an analyst at", "the head of policy at",
)  # fmt: skip
ORGS = (
    "the World Health Organization", "Siemens", "the European Central Bank", "Toyota",
    "the United Nations", "the Federal Reserve", "Amnesty International", "Boeing",
    "the Red Cross", "Microsoft", "the International Monetary Fund", "Shell",
)  # fmt: skip
PLACES = (
    "Nairobi", "Brazil", "Berlin", "Canada", "Jakarta", "Mexico City", "Poland", "Ohio", "Lagos",
    "Norway", "Manila", "Chile",
)  # fmt: skip
TOPICS = (
    ("water shortage", "rationing"), ("rail strike", "wage talks"), ("chip factory", "subsidies"),
    ("flood defences", "funding"), ("vaccine rollout", "supply contracts"),
    ("port expansion", "permits"), ("housing crisis", "rent controls"),
    ("wildfire season", "evacuations"), ("power grid upgrade", "tariffs"),
)  # fmt: skip
GOOD = ("welcomed", "praised", "celebrated", "applauded")
BAD = ("condemned", "criticised", "attacked", "rejected")
QUOTES = (
    "We cannot wait another year while families pay the price",
    "This is the most important decision we have taken in a decade",
    "The numbers are worse than anyone expected, and they are getting worse",
    "We are confident the plan will work if everyone plays their part",
    "Nobody told us anything until the decision had already been made",
    "It is a good start, but it is only a start",
)  # fmt: skip


def news_article(i: int) -> str:
    """A small plain-text news article, different for every ``i`` (and the same for the same ``i``):
    a headline, a dateline lead, a direct quote with a named speaker, an indirect quote, an
    "according to" attribution and a reaction paragraph."""
    rng = random.Random(i)
    p1, p2 = rng.sample(PEOPLE, 2)
    org, org2 = rng.sample(ORGS, 2)
    place, place2 = rng.sample(PLACES, 2)
    topic, issue = rng.choice(TOPICS)
    amount = f"${i % 9 + 1}.{i % 7} billion"
    verb = rng.choice(GOOD if i % 2 else BAD)
    title = f"{org[0].upper() + org[1:]} unveils {amount} plan for {topic} in {place}"
    paragraphs = [
        f"{place.upper()} — {org[0].upper() + org[1:]} announced a {amount} plan on day {i} of the "
        f"{topic} talks, after {i % 11 + 2} months of {issue} that have divided officials in {place}.",
        f"“{rng.choice(QUOTES)},” said {p1}, {rng.choice(ROLES)} {org2}. “{rng.choice(QUOTES)}.”",
        f"{p2.split()[-1] if i % 3 else p2} said the {topic} would deepen unless {org} moved quickly, "
        f"and {place2} has already {verb} the proposal.",
        f"According to {org2}, about {1000 + 37 * i:,} people in {place} were affected by the "
        f"{issue} last year alone.",
        f"Residents {verb} the announcement. {p1.split()[-1]} told reporters the first payments "
        f"could arrive within {i % 5 + 2} weeks.",
    ]
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_articles(folder: Path, indices) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in indices:
        path = folder / f"article_{i:03d}.txt"
        path.write_text(news_article(i), encoding="utf-8")
        paths.append(path)
    return paths


CHILD_TABLES = (
    "headlines", "paragraphs", "sentences", "entities", "mentions", "quotes", "cooccurrence",
    "article_terms",
)  # fmt: skip


def assert_consistent(db: Path | str, *, settled: bool = False) -> int:
    """Check every invariant of a store that any write sequence (or crash) must keep; return the
    number of articles. ``db`` is a SQLite file or a PostgreSQL URL. Corpus rows agree with the
    per-article rows except for keys still listed in ``corpus_dirty`` (a writer killed between
    its commit and its refresh: the next writer or opening refreshes them); ``settled`` also
    requires that list to be empty."""
    import sqlalchemy as sa

    url = str(db) if "://" in str(db) else f"sqlite:///{db}"
    engine = sa.create_engine(url)
    try:
        with engine.connect() as con:
            q = lambda sql: [tuple(r) for r in con.exec_driver_sql(sql).fetchall()]  # noqa: E731
            if engine.dialect.name == "sqlite":
                assert q("PRAGMA integrity_check") == [("ok",)]
                assert q("PRAGMA foreign_key_check") == []
            for table in CHILD_TABLES:
                orphans = q(f"SELECT COUNT(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")
                assert orphans == [(0,)], f"orphan rows in {table}"
            for column, table in (("n_sentences", "sentences"), ("n_quotes", "quotes"), ("n_entities", "entities")):
                short = q(f"""SELECT a.id, a.{column}, (SELECT COUNT(*) FROM {table} t WHERE t.article_id = a.id) n
                              FROM articles a WHERE (SELECT COUNT(*) FROM {table} t WHERE t.article_id = a.id) != a.{column}""")
                assert short == [], f"articles whose {table} rows are incomplete: {short[:3]}"
            no_paragraphs = q("SELECT id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM paragraphs p WHERE p.article_id = a.id)")
            assert no_paragraphs == []
            duplicated = q("""SELECT article_id, entity, start, "end", COUNT(*) FROM mentions
                              GROUP BY article_id, entity, start, "end" HAVING COUNT(*) > 1""")
            assert duplicated == []
            entities = q("""SELECT c.name, c.label, c.count, c.articles, c.demonym_count, e.total, e.n, e.demonyms
                            FROM corpus_entities c FULL OUTER JOIN (
                                SELECT name, label, SUM(count) total, COUNT(*) n, SUM(demonym_count) demonyms
                                FROM entities GROUP BY name, label) e
                            ON e.name = c.name AND e.label = c.label
                            WHERE (c.count IS DISTINCT FROM e.total OR c.articles IS DISTINCT FROM e.n
                                   OR c.demonym_count IS DISTINCT FROM e.demonyms)
                              AND NOT EXISTS (SELECT 1 FROM corpus_dirty d WHERE d.kind = 'e'
                                  AND d.a = COALESCE(c.name, e.name) AND d.b = COALESCE(c.label, e.label))""")
            assert entities == [], f"corpus_entities disagrees with entities: {entities[:3]}"
            if settled:
                assert q("SELECT COUNT(*) FROM corpus_dirty") == [(0,)], "corpus keys left for a refresher"
            pairs = q("""SELECT c.a, c.b, c.count, o.total FROM corpus_cooccurrence c FULL OUTER JOIN (
                             SELECT a, b, SUM(count) total FROM cooccurrence GROUP BY a, b) o
                         ON o.a = c.a AND o.b = c.b WHERE c.count IS DISTINCT FROM o.total
                         AND NOT EXISTS (SELECT 1 FROM corpus_dirty d WHERE d.kind = 'p'
                             AND d.a = COALESCE(c.a, o.a) AND d.b = COALESCE(c.b, o.b))""")
            assert pairs == [], f"corpus_cooccurrence disagrees with cooccurrence: {pairs[:3]}"
            return q("SELECT COUNT(*) FROM articles")[0][0]
    finally:
        engine.dispose()


def ingest_command(db: Path | str, *paths: Path, batch_size: int = 32) -> tuple[list[str], dict[str, str]]:
    """The argv and environment of a real ``python -m analysis ingest`` into ``db``."""
    argv = [sys.executable, "-m", "analysis", "ingest", *map(str, paths), "--workers", "1",
            "--batch-size", str(batch_size)]  # fmt: skip
    env = {**os.environ, "NEWSLENS_DB": str(db), "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    return argv, env


def test_generated_articles_differ():
    texts = {news_article(i) for i in range(40)}
    assert len(texts) == 40
    assert all("“" in t and "said" in t and "According to" in t for t in texts)


@pytest.mark.slow
def test_eight_processes_ingest_into_one_store(tmp_path, store_url):
    """On SQLite (one file) and on PostgreSQL (one database): writers never block one another
    on rows, and the single aggregate refresher leaves the corpus tables right."""
    n_articles, n_processes, per_process = 40, 8, 10
    folder = tmp_path / "articles"
    paths = write_articles(folder, range(n_articles))
    # process k takes 10 articles starting at 5k: every article goes to two processes
    # (overlapping sets), and process 7 wraps around to the first ones
    sets = [[paths[(5 * k + j) % n_articles] for j in range(per_process)] for k in range(n_processes)]
    # the same text under another file name is the same article
    copy = tmp_path / "copy" / "same_as_3.txt"
    copy.parent.mkdir()
    copy.write_bytes(paths[3].read_bytes())
    sets[0].append(copy)

    db = store_url
    procs = []
    for files in sets:
        argv, env = ingest_command(db, *files, batch_size=4)
        procs.append(subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))  # fmt: skip
    outputs = [p.communicate(timeout=600) for p in procs]

    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err and "deadlock" not in err and "Traceback" not in err and "error" not in err.lower(), err
        assert "0 failed" in out
    added = sum(int(out.split(" added")[0]) for out, _ in outputs)
    assert added == n_articles  # each article was added by exactly one process
    assert assert_consistent(db, settled=True) == n_articles


def test_threads_sharing_one_store_object(tmp_path, nlp):
    """The dashboard's threads share one ``Store``: each thread writes on its own connection."""
    from concurrent.futures import ThreadPoolExecutor

    from analysis.pipeline import ArticleInput, analyze
    from analysis.store import Store

    articles = [analyze(ArticleInput(text=news_article(i)), nlp=nlp) for i in range(200, 208)]
    store = Store(str(tmp_path / "threads.sqlite"))
    # four threads, each saving an overlapping half of the articles one by one
    jobs = [articles[k : k + 4] for k in (0, 2, 4, 6)] + [articles[:2] + articles[6:]]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(lambda batch: [store.save(a).created for a in batch], jobs))
    assert sum(created for batch in results for created in batch) == len(articles)
    assert assert_consistent(tmp_path / "threads.sqlite") == len(articles)
