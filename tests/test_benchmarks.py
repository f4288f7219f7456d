"""The benchmark scripts keep working: each runs at a tiny size, exits 0 and prints its table.

No timing is asserted (figures depend on the machine); docs/benchmarks.md holds the measured ones.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.ingest import ARTICLE_SUFFIXES
from tests.conftest import EVAL, ROOT

BENCH = ROOT / "benchmarks"
SCRIPTS = (
    "bench_ingest.py", "build_store.py", "bench_pages.py", "bench_memory.py", "profile_ingest.py", "bench_targeted.py",
    "bench_cleaning.py", "bench_lifecycle.py", "bench_dask.py",
    "bench_fresh_start.py", "bench_corpus_views.py", "bench_linking.py", "replicate_store.py",
)
POLNEAR = EVAL / "polnear" / "train" / "text"
needs_eval = pytest.mark.skipif(not POLNEAR.is_dir(), reason="needs ../shared/eval beside the repo")


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_script_has_help(script):
    assert "usage:" in run(script, "--help").stdout


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    if not POLNEAR.is_dir():
        pytest.skip("needs ../shared/eval beside the repo")
    out = tmp_path_factory.mktemp("bench") / "small.sqlite"
    done = run("build_store.py", "--n", "20", "--base", "4", "--workers", "1", "--out", str(out))
    assert "real analyses" in done.stdout
    return out


@pytest.mark.slow
def test_build_store_clones_real_analyses_to_the_asked_size(small_store):
    seeds = sum(1 for p in (ROOT / "data").rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES)
    with sqlite3.connect(small_store) as con:
        articles = con.execute("SELECT COUNT(*), COUNT(DISTINCT id), COUNT(DISTINCT title) FROM articles").fetchone()
        sentences = con.execute("SELECT COUNT(DISTINCT article_id) FROM sentences").fetchone()[0]
    assert articles == (20 + seeds,) * 3  # the clones and the seed article(s), all distinct
    assert sentences == 20 + seeds  # every clone carries its analysis rows


@pytest.mark.slow
def test_build_store_refuses_to_overwrite(small_store):
    done = subprocess.run(
        [sys.executable, str(BENCH / "build_store.py"), "--n", "2", "--out", str(small_store)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode != 0 and "exists" in done.stderr


@pytest.mark.slow
@needs_eval
def test_replicate_store_copies_every_row_under_new_ids(tmp_path):
    out = tmp_path / "copies.sqlite"
    done = run("replicate_store.py", "--n", "13", "--base", "2", "--workers", "1", "--chunk", "4", "--out", str(out))
    assert "real analyses" in done.stdout
    with sqlite3.connect(out) as con:
        articles = con.execute("SELECT COUNT(*), COUNT(DISTINCT id), COUNT(DISTINCT title), COUNT(DISTINCT outlet) FROM articles").fetchone()
        per_article = con.execute("SELECT COUNT(DISTINCT article_id) FROM sentences").fetchone()[0]
        base = con.execute("SELECT COUNT(*) FROM sentences s JOIN articles a ON a.id = s.article_id "
                           "WHERE a.title NOT LIKE '% (copy %)'").fetchone()[0]  # fmt: skip
        total = con.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        counted = con.execute("SELECT SUM(count) FROM corpus_entities").fetchone()[0]
        rows = con.execute("SELECT SUM(count) FROM entities").fetchone()[0]
        members = con.execute("SELECT COUNT(*) FROM story_members").fetchone()[0]
    assert articles[:3] == (13, 13, 13) and articles[3] > 2  # distinct ids and titles, several outlets
    assert per_article == 13 and total > base  # every copy carries its analysis rows
    assert counted == rows  # the corpus aggregates were recounted from the copied rows
    assert members == 13


@pytest.mark.slow
def test_bench_pages_prints_store_and_page_tables(small_store):
    out = run("bench_pages.py", "--db", str(small_store), "--runs", "1").stdout
    assert "call" in out and "entities_frame()" in out and "related_articles(id)" in out
    if (ROOT / "app.py").is_file():
        assert "page script runs" in out


@pytest.mark.slow
def test_bench_linking_prints_its_tables(small_store):
    out = run("bench_linking.py", "--sizes", "500", "--db", str(small_store)).stdout
    assert "distinct names" in out and "first call CPU s" in out


def test_bench_corpus_views_prints_its_table(small_store):
    out = run("bench_corpus_views.py", str(small_store), "--runs", "1").stdout
    assert "| `search_ids('court')` |" in out and "attention_by_outlet(all dates from 2000)" in out


@pytest.mark.slow
def test_bench_memory_in_process(small_store):
    out = run("bench_memory.py", "--db", str(small_store), "--apptest").stdout
    assert "RSS MB" in out and "goal: resident memory" in out


@pytest.mark.slow
@needs_eval
def test_bench_ingest_tiny():
    out = run("bench_ingest.py", "--n", "3", "--runs", "1", "--workers", "1").stdout
    assert "ingest s" in out and "median" in out and "goal: ingest" in out


@pytest.mark.slow
@needs_eval
def test_profile_ingest_tiny():
    out = run("profile_ingest.py", "--n", "2").stdout
    assert "stage" in out and "spaCy parse" in out and "SQLite (save_many)" in out


@pytest.mark.slow
@needs_eval
def test_bench_targeted_tiny():
    out = run("bench_targeted.py", "--n", "2").stdout
    lines = out.splitlines()
    assert any(line.startswith("accurate ") for line in lines) and any(line.startswith("fast ") for line in lines)
    assert "targets/s" in out and "goal 200/s" in out


def test_bench_lifecycle_deletes_from_a_copy(small_store):
    before = sqlite3.connect(small_store).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    out = run("bench_lifecycle.py", "--n", "0", "--db", str(small_store), "--delete", "3").stdout
    assert "median ms" in out and f"{before - 3}" in out
    row = out.strip().splitlines()[-1].split()
    assert row[-2:] == ["0", "yes"]  # no row names a deleted article; views as if never stored
    assert sqlite3.connect(small_store).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == before


@pytest.mark.slow
@needs_eval
def test_bench_cleaning_tiny():
    out = run("bench_cleaning.py", "--n", "2").stdout
    assert "pasted pages (copied text)" in out and "full analysis" in out and "% of its full analysis" in out
