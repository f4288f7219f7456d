"""An ingest killed with SIGKILL at any moment leaves a consistent store, and re-running it
completes the rest: each write batch is one transaction, so a crash loses at most the batch
being written, never part of an article and never an aggregate out of step with its rows."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_concurrency import assert_consistent, ingest_command, write_articles

N_ARTICLES = 60
BATCH = 4  # many small transactions, so kills land between and inside commits
POLL_SECONDS = 0.02


def stored_count(db: Path) -> int:
    """Articles committed so far, read by a separate connection (0 before the schema exists)."""
    if not db.exists():
        return 0
    con = sqlite3.connect(db, timeout=5)
    try:
        return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def kill_when(db: Path, folder: Path, more_than: int, extra_delay: float = 0.0) -> int:
    """Start an ingest of ``folder``, SIGKILL it once the store holds more than ``more_than``
    articles (plus ``extra_delay`` seconds, to land inside a later batch); return the count."""
    argv, env = ingest_command(db, folder, batch_size=BATCH)
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    try:
        while stored_count(db) <= more_than:
            assert proc.poll() is None, f"ingest ended before the kill point: {proc.stderr.read()!r}"
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(POLL_SECONDS)
        time.sleep(extra_delay)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return stored_count(db)


@pytest.mark.slow
def test_sigkill_mid_ingest_loses_nothing_committed(tmp_path):
    folder = tmp_path / "articles"
    write_articles(folder, range(N_ARTICLES))
    db = tmp_path / "store.sqlite"

    counts = []
    # kill points: right after the first commit, in the middle, a moment into a later batch
    for more_than, delay in ((0, 0.0), (20, 0.0), (32, 0.15)):
        before = stored_count(db)
        after = kill_when(db, folder, max(more_than, before), delay)
        assert after > before
        assert assert_consistent(db) == after
        counts.append(after)
    assert counts == sorted(counts)

    argv, env = ingest_command(db, folder, batch_size=BATCH)
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{N_ARTICLES - counts[-1]} added, {counts[-1]} already stored, 0 failed" in done.stdout
    assert assert_consistent(db) == N_ARTICLES


@pytest.mark.slow
def test_sigkill_before_the_first_commit_leaves_a_usable_store(tmp_path):
    folder = tmp_path / "articles"
    write_articles(folder, range(8))
    db = tmp_path / "store.sqlite"
    argv, env = ingest_command(db, folder, batch_size=BATCH)
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not db.exists():  # the store is created before the model loads
        assert proc.poll() is None
        time.sleep(POLL_SECONDS)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert stored_count(db) == 0
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert assert_consistent(db) == 8


KILL_INSIDE_A_TRANSACTION = """
import os, signal, sys
from analysis import store
from analysis.store import rows
from analysis.pipeline import ArticleInput, analyze_many
from tests.test_concurrency import news_article

db, first, n, kill_after, batch = sys.argv[1], *map(int, sys.argv[2:])
insert, inserted = rows.insert_article, []

def insert_then_maybe_die(con, article, **kwargs):
    touched = insert(con, article, **kwargs)  # every row of the article is written, the transaction is still open
    inserted.append(article.id)
    if len(inserted) == kill_after:
        os.kill(os.getpid(), signal.SIGKILL)
    return touched

rows.insert_article = insert_then_maybe_die
s = store.Store(db)
articles = list(analyze_many(ArticleInput(text=news_article(i)) for i in range(first, first + n)))
for k in range(0, n, batch):
    s.save_many(articles[k : k + batch])
"""


@pytest.mark.slow
def test_sigkill_inside_a_write_transaction_rolls_the_batch_back(tmp_path):
    """Deterministic: the process dies after writing all rows of some articles of a batch but
    before its COMMIT. The batches committed before stay whole; the open one leaves no trace."""
    db = tmp_path / "store.sqlite"

    def run(first: int, n: int, kill_after: int) -> int:
        argv = [sys.executable, "-c", KILL_INSIDE_A_TRANSACTION, str(db), str(first), str(n),
                str(kill_after), str(BATCH)]  # fmt: skip
        _, env = ingest_command(db)
        return subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, timeout=300).returncode

    assert run(0, 6, kill_after=6) == -signal.SIGKILL  # batch 1 (4) committed, batch 2 killed
    assert assert_consistent(db) == 4
    assert run(100, 4, kill_after=3) == -signal.SIGKILL  # killed inside the only batch
    assert assert_consistent(db) == 4
    assert run(0, 8, kill_after=0) == 0  # completes: 4 already stored, 4 new
    assert assert_consistent(db) == 8
