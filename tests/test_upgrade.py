"""A store made by the previous engine (ids of cleaned text, no originals), opened by this one:
it opens unchanged, `reanalyze --stale` loses nothing and duplicates nothing, old ids keep opening
their articles, and re-adding an old article's text does not store it twice.

The fixture (``tests/fixtures/legacy_store/store_3aecb59.sqlite``, 29 articles) was built by the
engine of commit 3aecb59 with ``tests/fixtures/legacy_store/build.py``.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from analysis.cli import main
from analysis.store import Store
from tests.conftest import FIXTURES, SEED

LEGACY = FIXTURES / "legacy_store" / "store_3aecb59.sqlite"


def _legacy_rows(path) -> dict[str, tuple]:
    con = sqlite3.connect(path)
    rows = {r[0]: r[1:] for r in con.execute("SELECT id, title, source, url, published, body, added_at FROM articles")}
    con.close()
    return rows


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """A copy of the legacy store after `reanalyze --stale` (one run for the whole module)."""
    path = tmp_path_factory.mktemp("upgrade") / "legacy.sqlite"
    shutil.copy(LEGACY, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSLENS_DB", str(path))
        assert main(["reanalyze", "--stale", "--workers", "1"]) == 0
    return path


def test_an_old_store_opens_unchanged_and_marks_its_articles(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(LEGACY, path)
    before = _legacy_rows(LEGACY)
    store = Store(str(path))
    assert store.count() == len(before) == 29
    some = next(iter(before))
    row = store.article(some)
    assert row["original"] == "none" and row["engine"] == {}
    assert (row["title"], row["body"]) == (before[some][0], before[some][4])
    assert sorted(store.stale_ids()) == sorted(before)  # all analysed by an unrecorded engine
    rebuilt = store.original(some)
    assert not rebuilt.kept and rebuilt.title == before[some][0]


def test_reanalyze_stale_loses_nothing_and_duplicates_nothing(upgraded):
    old = _legacy_rows(LEGACY)
    store = Store(str(upgraded))
    assert store.count() == len(old)
    assert store.stale_ids() == [] and store.queued_count() == 0
    for old_id, (title, source, url, published, body, added_at) in old.items():
        row = store.article(old_id)  # the old id (a shared link) opens the same article
        assert row is not None, old_id
        assert row["id"] != old_id  # now the id of its (rebuilt) input
        assert (row["source"], row["url"], row["published"]) == (source, url, published)
        assert row["title"] == title or not title  # a newer cleaner may find a title the old one missed
        old_words, new_words = set(body.split()), set(row["body"].split())
        assert len(old_words & new_words) >= 0.8 * len(old_words)  # the same article, re-cleaned
        assert row["added_at"] == added_at  # keeps its place in the list
        assert row["original"] == "rebuilt" and row["engine"]
    assert len(set(store.resolve_ids(list(old)))) == len(old)  # no two old ids merged


def test_corpus_views_after_reanalysis_match_a_full_recount(upgraded):
    store = Store(str(upgraded))
    before = store.entities_frame(limit=500)
    store.refresh_corpus()
    after = store.entities_frame(limit=500)
    assert before.equals(after)
    assert before["articles"].max() >= 5  # the corpus views still aggregate many articles


def test_readding_an_old_article_after_the_upgrade_is_no_duplicate(upgraded, tmp_path):
    """Before the upgrade: the seed re-added under its new id replaces the legacy copy."""
    path = tmp_path / "old.sqlite"
    shutil.copy(LEGACY, path)
    store = Store(str(path))
    legacy_seed = next(i for i, r in _legacy_rows(LEGACY).items() if r[0].startswith("United States urges"))
    from analysis.ingest import ingest, inputs_from_paths

    summary = ingest(store, inputs_from_paths([SEED]))
    assert summary.added == [] and len(summary.existing) == 1
    assert store.count() == 29
    assert store.article(legacy_seed)["id"] == summary.existing[0]
    assert store.article(legacy_seed)["original"] == "kept"


def test_reanalyze_is_resumable(tmp_path, monkeypatch):
    """An interrupted run leaves the rest queued; `reanalyze` with no choice finishes it."""
    from analysis import reanalyze as module

    path = tmp_path / "old.sqlite"
    shutil.copy(LEGACY, path)
    store = Store(str(path))
    ids = store.ids()[:3]
    real_replace = Store.replace
    calls = []

    def replace_then_die(self, old_id, article):
        if calls:
            raise KeyboardInterrupt  # the process is stopped after the first article
        calls.append(old_id)
        real_replace(self, old_id, article)

    monkeypatch.setattr(Store, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        module.reanalyze(store, ids=ids)
    monkeypatch.setattr(Store, "replace", real_replace)
    assert store.queued_count() == 2 and store.count() == 29
    summary = module.reanalyze(store)
    assert [old for old, _ in summary.done] == ids[1:]
    assert store.queued_count() == 0 and store.count() == 29
    assert all(store.article(i)["original"] == "rebuilt" for i in ids)


def test_an_old_store_gains_the_full_text_index(tmp_path):
    """Migration 0007 indexes the articles an old store already holds: any word of a body finds
    its article, and a delete leaves the index (the FTS5 table's triggers)."""
    path = tmp_path / "old.sqlite"
    shutil.copy(LEGACY, path)
    before = _legacy_rows(LEGACY)
    store = Store(str(path))
    some, (_title, _source, _url, _published, body, _added) = sorted(before.items())[0]
    word = max(body.split(), key=len).strip(".,;:\"'()“”‘’")
    assert some in store.search_ids(word, limit=100)
    indexed = store.con.execute("SELECT COUNT(*) FROM articles_fts_docsize").fetchone()[0]
    assert indexed == len(before)
    store.delete([some])
    assert some not in store.search_ids(word, limit=100)
