"""The store: one schema on SQLite (the embedded default) or PostgreSQL, the writes, and the
DataFrames the dashboard reads.

The database is ``data/newslens.sqlite`` unless ``NEWSLENS_DB`` names another: a file path,
``sqlite:///path`` or ``postgresql+psycopg://user@host:port/db`` (``db``). Opening a store brings
its schema to the newest Alembic migration (``migrations/``), stores made before Alembic too.

An article's id is a hash of its *input as received* (``model.input_id``), so saving the same
input twice stores it once, and its link survives engine upgrades. The input itself is kept
(``originals``) with the engine that analysed it (``articles.engine_json``), so ``reanalyze``
can redo it; an article re-analysed under a new id leaves its old id in ``aliases``, and every
lookup by id resolves them. Deleted articles leave a line in ``deleted_articles``.

Writers never block one another: each article's rows are written in its writer's transaction
(``rows``), the corpus aggregates by a single refresher after commit (``aggregates``), and the
store's version is a revision number bumped by every write.

    schema.py      the tables (SQLAlchemy Core), for both backends
    db.py          URLs, engines, read connections, retried write transactions, migrations
    rows.py        one article's rows: insert, remove, aliases
    aggregates.py  corpus-wide aggregates, recomputed from committed rows by one writer
    queries.py     the reads (frames for the pages, export)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from analysis.errors import InputError, Messages
from analysis.model import AnalysedArticle
from analysis.store import aggregates, rows
from analysis.store.aggregates import Touched
from analysis.store.db import DATA_DIR, Conn, Database, database_path, database_url
from analysis.store.queries import CorpusScope, Queries, Resolved
from analysis.store.schema import TABLES

__all__ = ["Store", "DATA_DIR", "database_path", "database_url", "TABLES", "SaveResult", "Resolved", "CorpusScope",
           "DeleteResult"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class SaveResult:
    id: str
    created: bool  # False when the article was already stored


@dataclass(frozen=True, slots=True)
class DeleteResult:
    id: str  # the id asked for
    deleted: bool  # False when no stored article has that id (or alias)
    title: str = ""


class Store(Queries):
    """One database. Thread-safe: each thread reads through its own connection; writes take a
    pooled connection for one transaction."""

    def __init__(self, url: str | None = None):
        self._local = threading.local()
        self._readers: dict[int, tuple[threading.Thread, Conn]] = {}  # read connections by thread
        self._readers_lock = threading.Lock()
        try:
            self.db = Database(url)
            self.path = self.db.path
            self.db.migrate()
            if self.con.execute("SELECT 1 FROM corpus_dirty LIMIT 1").fetchone():
                self.refresh_pending()  # a writer stopped between its commit and its refresh
        except (sa.exc.SQLAlchemyError, OSError) as err:
            where = database_path(url) if "://" not in (url or "") or (url or "").startswith("sqlite") else url
            raise InputError(Messages.BAD_DATABASE.format(path=where, reason=_reason(err))) from err

    @property
    def postgres(self) -> bool:
        return self.db.postgres

    @property
    def con(self) -> Conn:
        """This thread's read connection (autocommit: each statement sees what is committed)."""
        con = getattr(self._local, "con", None)
        if con is None:
            self._close_finished_readers()
            connection = self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            con = self._local.con = Conn(connection)
            with self._readers_lock:
                self._readers[threading.get_ident()] = (threading.current_thread(), con)
        return con

    def _close_finished_readers(self) -> None:
        """Give the read connections of finished threads back to the pool. Streamlit runs every
        script run on a new thread; left to the garbage collector, their connections filled the
        pool and a page waited 30 s for one (docs/benchmarks.md section 14)."""
        with self._readers_lock:
            finished = [k for k, (thread, _) in self._readers.items() if not thread.is_alive()]
            done = [self._readers.pop(k)[1] for k in finished]
        for con in done:
            con.connection.close()

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.connection.close()
            self._local.con = None
            with self._readers_lock:
                self._readers.pop(threading.get_ident(), None)

    # -- writing -----------------------------------------------------------------------------

    def save(self, article: AnalysedArticle) -> SaveResult:
        return self.save_many([article])[0]

    def save_many(self, articles: Sequence[AnalysedArticle]) -> list[SaveResult]:
        """Write a batch of articles in one transaction; articles already stored are skipped.

        An article stored by an older store under its cleaned-content id (no original kept) is
        the same article: it is replaced by this one, and its old id becomes an alias."""

        def work(con: Conn) -> list[SaveResult]:
            results, touched = [], Touched()
            for article in sorted(articles, key=lambda a: a.id):  # one lock order: no deadlock
                con.lock(article.id)
            for article in articles:
                if rows.exists(con, article.id):
                    results.append(SaveResult(article.id, False))
                    continue
                legacy = rows.legacy_match(con, article)
                added_at = time.time()
                if legacy is not None:
                    added_at = rows.added_at(con, legacy) or added_at
                    touched |= rows.remove_article(con, legacy)
                    rows.alias(con, legacy, article.id)
                touched |= rows.insert_article(con, article, added_at=added_at)
                results.append(SaveResult(article.id, legacy is None))
            self._finish(con, touched)
            return results

        results = self.db.write(work)
        self.refresh_pending()
        return results

    def replace(self, old_id: str, article: AnalysedArticle) -> None:
        """Put a re-analysis of ``old_id`` in its place, in one transaction: the old rows go, the
        new ones come in (keeping when it was added), and when the id changed (an article stored
        before ids hashed the input) the old id becomes an alias."""

        def work(con: Conn) -> None:
            con.lock(article.id)
            added_at = rows.added_at(con, old_id) or time.time()
            story = con.execute("SELECT story_id FROM story_members WHERE article_id=?", (old_id,)).fetchone()
            touched = rows.remove_article(con, old_id)
            if article.id != old_id:
                if rows.exists(con, article.id):  # the same input stored twice under old ids
                    added_at = min(added_at, rows.added_at(con, article.id) or added_at)
                    touched |= rows.remove_article(con, article.id)
                rows.alias(con, old_id, article.id)
            touched |= rows.insert_article(con, article, added_at=added_at)
            if story:  # the re-analysed article stays in its story
                con.execute(
                    "INSERT INTO story_members (article_id, story_id) VALUES (?,?) ON CONFLICT DO NOTHING",
                    (article.id, story[0]),
                )
            con.execute("DELETE FROM reanalysis_queue WHERE article_id IN (?, ?)", (old_id, article.id))
            self._finish(con, touched)

        self.db.write(work)
        self.refresh_pending()

    def delete(self, article_ids: Sequence[str]) -> list[DeleteResult]:
        """Remove articles (ids or aliases) and everything derived from them, aggregates
        included, one transaction each; their ids and aliases then resolve to "deleted"."""

        def work(con: Conn, asked: str) -> DeleteResult:
            current = rows.resolve(con, asked)
            row = con.execute("SELECT title FROM articles WHERE id=?", (current,)).fetchone()
            if row is None:
                return DeleteResult(asked, False)
            touched = rows.remove_article(con, current)
            con.execute(
                """INSERT INTO deleted_articles (id, title, deleted_at) VALUES (?,?,?)
                   ON CONFLICT (id) DO UPDATE SET title = excluded.title, deleted_at = excluded.deleted_at""",
                (current, row[0], time.time()),
            )
            self._finish(con, touched)
            return DeleteResult(asked, True, row[0])

        out = [self.db.write(lambda con, asked=asked: work(con, asked)) for asked in article_ids]
        self.refresh_pending()
        return out

    def _finish(self, con: Conn, touched: Touched) -> None:
        aggregates.note_dirty(con, touched)
        _bump(con)

    def refresh_pending(self) -> int:
        """Recompute the corpus aggregates of the keys writers touched (one refresher at a
        time; called after every write, and safe to call any time)."""
        return self.db.write(aggregates.refresh_pending)

    def refresh_corpus(self) -> None:
        """Recompute every corpus aggregate from the per-article rows (e.g. for a store whose
        aggregates were kept incrementally by an older version)."""

        def work(con: Conn) -> None:
            aggregates.refresh_pending(con, aggregates.all_keys(con))
            aggregates.rebuild(con)
            _bump(con)

        self.db.write(work)

    # -- re-analysis queue -----------------------------------------------------------------------

    def enqueue(self, article_ids: Iterable[str]) -> int:
        """Add articles to the re-analysis queue (kept across runs: an interrupted run resumes)."""
        ids = list(article_ids)

        def work(con: Conn) -> None:
            con.executemany(
                "INSERT INTO reanalysis_queue (article_id) SELECT id FROM articles WHERE id=? ON CONFLICT DO NOTHING",
                [(rows.resolve(con, i),) for i in ids],
            )

        self.db.write(work)
        return self.queued_count()

    def dequeue(self, article_id: str) -> None:
        """Drop an article from the queue without replacing it (its re-analysis failed)."""
        self.db.write(lambda con: con.execute("DELETE FROM reanalysis_queue WHERE article_id=?", (article_id,)))

    def set_stories(self, assignments: Iterable[tuple[str, str]]) -> None:
        """Record (article id, story id) pairs; an article already grouped keeps its story."""
        pairs = list(assignments)
        self.db.write(lambda con: con.executemany(
            "INSERT INTO story_members (article_id, story_id) VALUES (?,?) ON CONFLICT DO NOTHING", pairs))  # fmt: skip

    # -- files already ingested ------------------------------------------------------------------

    def known_digests(self) -> set[str]:
        """Digests of the raw files ingested so far (so start-up skips them without cleaning)."""
        return {r[0] for r in self.con.execute("SELECT digest FROM ingested_files")}

    def remember_files(self, files: Iterable[tuple[str, str, str | None]]) -> None:
        """Record (digest, name, article_id) of ingested files; article_id is None for bad files."""
        files = list(files)
        self.db.write(lambda con: con.executemany(
            "INSERT INTO ingested_files (digest, name, article_id) VALUES (?,?,?) ON CONFLICT DO NOTHING", files))  # fmt: skip


def _bump(con: Conn) -> None:
    """The store's revision moves on (a sequence on PostgreSQL: no row for writers to queue on)."""
    if con.postgres:
        con.execute("SELECT nextval('store_revision')")
    else:
        con.execute("UPDATE store_meta SET value = value + 1 WHERE key='revision'")


def _reason(err: BaseException) -> str:
    return " ".join(str(getattr(err, "orig", None) or err).split())[:300]
