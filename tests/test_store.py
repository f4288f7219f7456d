"""The store on SQLite and PostgreSQL: idempotent writes, atomic articles, corpus aggregates, filtered
frames, migrations of older stores."""

from __future__ import annotations

import sqlite3

import pytest

from analysis.errors import InputError
from analysis.pipeline import ArticleInput, analyze
from analysis.store import Store, database_path
from analysis.store import rows as store_rows
from tests.conftest import ROOT

OTHER = (
    "Regulators open inquiry into carmaker\n\n"
    "The National Highway Traffic Safety Administration opened an inquiry into Ford on Monday. "
    "Marta Kowalczyk, a spokeswoman for the agency, said the review would take months.\n\n"
    "\"We take every report seriously,\" Kowalczyk said. Ford said it was cooperating with NHTSA."
)


@pytest.fixture(scope="module")
def articles(seed_text):
    return [analyze(ArticleInput(text=seed_text)), analyze(ArticleInput(text=OTHER, source="Wire"))]


@pytest.fixture()
def store(store_url):
    """A fresh store on each backend (SQLite; PostgreSQL when NEWSLENS_TEST_PG is set)."""
    store = Store(store_url)
    yield store
    store.close()
    store.db.dispose()


def test_database_path_accepts_files_and_sqlite_urls(tmp_path):
    assert database_path(str(tmp_path / "a.db")) == tmp_path / "a.db"
    assert database_path(f"sqlite:///{tmp_path}/b.db") == tmp_path / "b.db"
    assert database_path("postgresql+psycopg://me:secret@localhost:5432/x") == "postgresql+psycopg://me:***@localhost:5432/x"
    with pytest.raises(InputError, match="SQLite file path"):
        database_path("mysql://localhost/x")


def test_saving_twice_stores_once(store, articles):
    assert store.save(articles[0]).created
    assert not store.save(articles[0]).created
    assert store.count() == 1
    assert store.has(articles[0].id)


def test_article_round_trip(store, articles):
    seed = articles[0]
    store.save(seed)
    row = store.article(seed.id)
    assert row["title"] == seed.title
    assert row["tone_model"] == seed.tone_model == "targeted_tone_v3"  # which model scored it
    assert row["body"] == seed.cleaned.body
    assert row["removed"] == [{"text": r.text, "reason": r.reason} for r in seed.cleaned.removed]
    assert store.article("nope") is None


def test_frames_of_one_article(store, articles):
    seed = articles[0]
    store.save(seed)
    assert len(store.sentences_frame(seed.id)) == len(seed.sentences)
    assert len(store.paragraphs_frame(seed.id)) == len(seed.cleaned.paragraphs)
    heads = store.headlines_frame([seed.id])
    assert heads["role"].tolist() == [h.role for h in seed.cleaned.headlines]
    assert isinstance(heads["entities"].iloc[0], list)
    sim = store.headline_similarity(seed.id)
    assert sim.shape == (len(heads), len(heads))
    ents = store.entities_frame(seed.id)
    us = ents.set_index("entity").loc["United States"]
    assert us["count"] >= 5 and "US" in us["aliases"]
    assert store.mentions_frame(seed.id, "United States")["entity"].eq("United States").all()


def test_corpus_aggregates_add_up(store, articles):
    for a in articles:
        store.save(a)
    corpus = store.entities_frame(None, limit=500).set_index("entity")
    for a in articles:
        for e in a.entities:
            assert corpus.loc[e.name, "count"] >= e.count
    per_article = sum(e.count for a in articles for e in a.entities if e.name == "United States")
    assert corpus.loc["United States", "count"] == per_article
    pairs = store.cooccurrence_frame(None)
    assert (pairs["a"] < pairs["b"]).all() and (pairs["count"] > 0).all()


def test_quote_filters(store, articles):
    for a in articles:
        store.save(a)
    everything = store.quotes_frame()
    assert len(everything) == sum(len(a.quotes) for a in articles)
    direct = store.quotes_frame(kinds=["direct"])
    assert set(direct["kind"]) == {"direct"}
    benjamin = store.quotes_frame(speakers=["Eliav Benjamin"], kinds=["direct"])  # he also "downplayed" something
    assert len(benjamin) == 1 and "what we need to do" in benjamin["text"].iloc[0]
    assert store.quotes_frame(text="roadmap")["speaker"].tolist() == ["a source familiar with the negotiations"]
    assert store.quotes_frame(tone_range=(2.0, 3.0)).empty


def test_related_articles_and_search(store, articles):
    for a in articles:
        store.save(a)
    assert store.articles_frame("Gaza")["id"].tolist() == [articles[0].id]
    assert store.articles_frame("Wire")["id"].tolist() == [articles[1].id]
    assert store.articles_frame("spokeswoman")["id"].tolist() == [articles[1].id]  # a word of the text
    assert len(store.articles_frame()) == 2


def test_an_article_is_written_all_or_nothing(store, articles, monkeypatch):
    def broken_cooccurrence(_article):
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(store_rows, "_cooccurrence", broken_cooccurrence)
    with pytest.raises(sqlite3.OperationalError):
        store.save(articles[1])
    for table in ("articles", "sentences", "mentions", "quotes", "entities", "corpus_entities"):
        assert store.con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_unknown_export_table_is_refused(store):
    with pytest.raises(InputError, match="unknown table"):
        store.table("sqlite_master")


def test_story_similarity_and_version(store, articles):
    count, first = store.version()
    assert count == 0
    for a in articles:
        store.save(a)
    count, revision = store.version()
    assert count == 2 and revision >= first + 2  # every write moves the revision on
    ids = [a.id for a in articles]
    matrix = store.story_similarity(ids)
    assert list(matrix.index) == ids and list(matrix.columns) == ids
    assert matrix.loc[ids[0], ids[0]] == pytest.approx(1.0, abs=1e-3)
    assert 0 <= matrix.loc[ids[0], ids[1]] < 0.5  # Gaza diplomacy vs a carmaker inquiry
    assert matrix.loc[ids[0], ids[1]] == matrix.loc[ids[1], ids[0]]


def test_a_store_from_before_the_tone_model_column_gains_it_and_keeps_its_rows(tmp_path, articles):
    path = tmp_path / "old.sqlite"
    Store(str(path)).save(articles[0])
    con = sqlite3.connect(path)
    _drop_search_index(con)  # v0.1 had no full-text index
    con.execute("ALTER TABLE articles DROP COLUMN tone_model")  # the table as v0.1 created it
    con.execute("DROP TABLE alembic_version")  # stores of that time knew no migrations
    con.commit()
    con.close()
    reopened = Store(str(path))
    old = reopened.article(articles[0].id)
    assert old["title"] == articles[0].title and old["tone_model"] == ""  # kept, model unknown
    assert reopened.save(articles[1]).created
    assert reopened.article(articles[1].id)["tone_model"] == articles[1].tone_model
    assert Store(str(path)).count() == 2  # a third opening finds the column and adds nothing


def _drop_search_index(con) -> None:
    """The store as it was before migration 0007 (no FTS5 table, no triggers)."""
    for suffix in ("insert", "delete", "update"):
        con.execute(f"DROP TRIGGER articles_fts_{suffix}")
    con.execute("DROP TABLE articles_fts")


def test_the_outlet_is_stored_and_filled_into_older_stores(tmp_path, articles):
    path = tmp_path / "old.sqlite"
    store = Store(str(path))
    store.save(articles[1])
    assert store.article(articles[1].id)["outlet"] == "Wire"
    con = sqlite3.connect(path)
    con.execute("DROP INDEX articles_outlet")
    _drop_search_index(con)  # nor a full-text index (0007 reads the outlet)
    con.execute("ALTER TABLE articles DROP COLUMN outlet")  # the table before outlets were kept
    con.execute("UPDATE articles SET source='CNN (Online News)'")
    con.execute("DROP TABLE alembic_version")
    con.commit()
    con.close()
    reopened = Store(str(path))
    assert reopened.article(articles[1].id)["outlet"] == "CNN"  # named from its source on opening
    assert reopened.articles_frame()["outlet"].tolist() == ["CNN"]


def test_a_store_from_before_the_quote_columns_gains_them_and_keeps_its_quotes(tmp_path, articles):
    path = tmp_path / "old.sqlite"
    Store(str(path)).save(articles[0])
    con = sqlite3.connect(path)
    for column in ("confidence", "rule", "speaker_rule", "negated", "role"):
        con.execute(f"ALTER TABLE quotes DROP COLUMN {column}")  # the table as v0.1 created it
    con.execute("DROP TABLE alembic_version")
    con.commit()
    con.close()
    reopened = Store(str(path))
    old = reopened.quotes_frame([articles[0].id])
    assert len(old) == len(articles[0].quotes)
    assert (old["confidence"] == 1.0).all() and (old["rule"] == "").all() and (old["role"] == "").all()
    assert reopened.save(articles[1]).created
    new = reopened.quotes_frame([articles[1].id])
    assert new["rule"].tolist() == [q.rule for q in articles[1].quotes]
    assert new["negated"].tolist() == [int(q.negated) for q in articles[1].quotes]


def test_quotes_filter_by_role_and_confidence(store, articles):
    for a in articles:
        store.save(a)
    everything = store.quotes_frame()
    assert set(everything.columns) >= {"confidence", "rule", "speaker_rule", "negated", "role"}
    for role in set(everything["role"]):
        assert set(store.quotes_frame(roles=[role])["role"]) == {role}
    cut = float(everything["confidence"].median())
    confident = store.quotes_frame(min_confidence=cut)
    assert (confident["confidence"] >= cut).all()
    assert len(confident) == int((everything["confidence"] >= cut).sum())
    floors = {"direct": 0.0, "partial": 1.1, "indirect": cut}  # per kind; partial: none pass
    by_kind = store.quotes_frame(min_confidence=floors)
    expected = everything[
        (everything["kind"] == "direct") | ((everything["kind"] == "indirect") & (everything["confidence"] >= cut))
    ]
    assert sorted(by_kind["text"]) == sorted(expected["text"])
    statements = store.quotes_frame(statements_only=True)
    assert (statements["negated"] == 0).all()


def test_a_store_made_before_migrations_is_brought_to_the_newest(tmp_path):
    """The store of commit 3aecb59 (hand-patched columns, no Alembic) opens: every numbered
    migration it lacks runs once, its articles stay, and a second opening changes nothing."""
    import shutil

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from analysis.store.db import MIGRATIONS

    path = tmp_path / "old.sqlite"
    shutil.copy(ROOT / "tests" / "fixtures" / "legacy_store" / "store_3aecb59.sqlite", path)
    before = sqlite3.connect(path).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    store = Store(str(path))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
    columns = {r[1] for r in con.execute("PRAGMA table_info(articles)")}
    assert {"tone_model", "outlet", "engine_json"} <= columns
    assert store.count() == before == 29 and store.entities_frame(limit=5)["count"].min() > 0
    assert Store(str(path)).count() == before


def test_read_connections_of_finished_threads_go_back_to_the_pool(store):
    """Streamlit runs each script run on a new thread: their read connections must not pile up
    waiting for the garbage collector (a page then waited 30 s for a connection)."""
    import gc
    import threading

    gc.disable()
    try:
        for _ in range(20):  # more than the pool holds (8 on PostgreSQL, 15 on SQLite)
            thread = threading.Thread(target=store.count)
            thread.start()
            thread.join(timeout=30)
            assert not thread.is_alive()
        assert store.count() >= 0  # this thread's reader is opened after the others finished
        assert store.db.engine.pool.checkedout() <= 2
    finally:
        gc.enable()
