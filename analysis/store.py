"""The SQLite store: the schema, writing analysed articles, and the DataFrames the dashboard reads.

The database is ``data/newslens.sqlite`` unless ``NEWSLENS_DB`` names another file (a path or a
``sqlite:///path`` URL).

An article's id is a hash of its *input as received* (``model.input_id``), so saving the same
input twice stores it once, and its link survives engine upgrades. The input itself is kept
(``originals``), with the engine that analysed it (``articles.engine_json``), so ``reanalyze``
can redo it; an article re-analysed under a new id (stores made before originals were kept
hashed the cleaned text) leaves its old id in ``aliases``, and every lookup by id resolves them.
Deleted articles leave a line in ``deleted_articles`` so a shared link says so.

Corpus-wide aggregates (``corpus_entities``, ``corpus_cooccurrence``) are recomputed from the
per-article rows for the keys a write touched, in the same transaction, so they never depend on
the order of writes, and a delete leaves them as if the article had never been stored. Every write
bumps the store's revision (``version()``). The connection uses WAL and a busy timeout, and
writes retry on "database is locked", so several processes can ingest at once.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pandas as pd
from spacy.lang.en.stop_words import STOP_WORDS

from analysis.engine import current_engine, engine_key
from analysis.errors import InputError, Messages
from analysis.model import AnalysedArticle, CleaningChoices, OriginalInput, article_id
from analysis.outlets import outlet_name

__all__ = ["Store", "SCHEMA", "DATA_DIR", "database_path", "TABLES", "SaveResult", "Resolved", "DeleteResult"]

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("NEWSLENS_DATA_DIR", ROOT / "data"))
BUSY_TIMEOUT_MS = 30_000
WRITE_RETRIES = 8
ARTICLE_TERMS = 25  # keywords kept per article for "related articles"
CORPUS_ALIASES = 50  # surface forms kept per corpus entity (most frequent first)

ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("articles", "tone_model", "TEXT NOT NULL DEFAULT ''"),
    ("articles", "outlet", "TEXT NOT NULL DEFAULT ''"),
    ("quotes", "confidence", "REAL NOT NULL DEFAULT 1.0"),
    ("quotes", "rule", "TEXT NOT NULL DEFAULT ''"),
    ("quotes", "speaker_rule", "TEXT NOT NULL DEFAULT ''"),
    ("quotes", "negated", "INTEGER NOT NULL DEFAULT 0"),
    ("quotes", "role", "TEXT NOT NULL DEFAULT ''"),
    ("articles", "engine_json", "TEXT NOT NULL DEFAULT ''"),
    ("entities", "tone_sum", "REAL NOT NULL DEFAULT 0"),
    ("entities", "tone_n", "INTEGER NOT NULL DEFAULT 0"),
)  # (table, column, type) added since v0.1; stored rows read the default
# Filled in once when ``entities.tone_n`` is added to an older store (from its mentions).
BACKFILL_ENTITY_TONE = """
UPDATE entities SET
    tone_sum = COALESCE((SELECT SUM(m.target_tone) FROM mentions m
                         WHERE m.article_id = entities.article_id AND m.entity = entities.name), 0),
    tone_n = (SELECT COUNT(m.target_tone) FROM mentions m
              WHERE m.article_id = entities.article_id AND m.entity = entities.name)"""
# Tables holding one article's rows (deleted with it); corpus_* are aggregates over them.
ARTICLE_TABLES = ("headlines", "paragraphs", "sentences", "entities", "mentions", "quotes",
                  "cooccurrence", "article_terms", "story_members", "originals", "reanalysis_queue")  # fmt: skip
QUOTE_COLUMNS = (
    "article_id", "idx", "text", "speaker", "speaker_text", "speaker_label", "cue", "kind", "start",
    '"end"', "paragraph", "sentence", "polarity", "subjectivity", "vader", "tone", "confidence",
    "rule", "speaker_rule", "negated", "role",
)  # fmt: skip
SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    section TEXT NOT NULL DEFAULT '',
    byline TEXT NOT NULL DEFAULT '',
    added_at REAL NOT NULL,
    format TEXT NOT NULL,
    language TEXT NOT NULL,
    words INTEGER NOT NULL,
    n_sentences INTEGER NOT NULL,
    n_quotes INTEGER NOT NULL,
    n_entities INTEGER NOT NULL,
    polarity REAL, subjectivity REAL, vader REAL, tone REAL,
    body TEXT NOT NULL,
    metadata_json TEXT NOT NULL,
    removed_json TEXT NOT NULL,
    notices_json TEXT NOT NULL,
    headline_similarity_json TEXT NOT NULL,
    tone_model TEXT NOT NULL DEFAULT '',
    outlet TEXT NOT NULL DEFAULT '',
    engine_json TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS articles_added ON articles(added_at DESC);

CREATE TABLE IF NOT EXISTS headlines (
    article_id TEXT NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL,
    role TEXT NOT NULL, text TEXT NOT NULL, words INTEGER, chars INTEGER,
    polarity REAL, subjectivity REAL, vader REAL, tone REAL,
    entities_json TEXT, framing_verbs_json TEXT, body_similarity REAL, novel_words_json TEXT,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS paragraphs (
    article_id TEXT NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL,
    start INTEGER, "end" INTEGER, text TEXT NOT NULL,
    polarity REAL, subjectivity REAL, vader REAL, tone REAL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sentences (
    article_id TEXT NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL,
    paragraph INTEGER, start INTEGER, "end" INTEGER, text TEXT NOT NULL,
    polarity REAL, subjectivity REAL, vader REAL, tone REAL, voice TEXT,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS entities (
    article_id TEXT NOT NULL REFERENCES articles(id), name TEXT NOT NULL, label TEXT NOT NULL,
    count INTEGER NOT NULL, demonym_count INTEGER NOT NULL, aliases_json TEXT NOT NULL,
    target_tone REAL, polarity REAL, subjectivity REAL,
    tone_sum REAL NOT NULL DEFAULT 0, tone_n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_name ON entities(name);

CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles(id), entity TEXT NOT NULL, label TEXT,
    text TEXT, sentence INTEGER, start INTEGER, "end" INTEGER, demonym INTEGER,
    target_tone REAL, target_label TEXT
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id, entity);

CREATE TABLE IF NOT EXISTS quotes (
    article_id TEXT NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL,
    text TEXT NOT NULL, speaker TEXT, speaker_text TEXT, speaker_label TEXT, cue TEXT, kind TEXT,
    start INTEGER, "end" INTEGER, paragraph INTEGER, sentence INTEGER,
    polarity REAL, subjectivity REAL, vader REAL, tone REAL,
    confidence REAL NOT NULL DEFAULT 1.0, rule TEXT NOT NULL DEFAULT '',
    speaker_rule TEXT NOT NULL DEFAULT '', negated INTEGER NOT NULL DEFAULT 0,
    role TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker);

CREATE TABLE IF NOT EXISTS cooccurrence (
    article_id TEXT NOT NULL REFERENCES articles(id), a TEXT NOT NULL, b TEXT NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (article_id, a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cooccurrence_pair ON cooccurrence(a, b);

CREATE TABLE IF NOT EXISTS corpus_entities (
    name TEXT NOT NULL, label TEXT NOT NULL, count INTEGER NOT NULL, articles INTEGER NOT NULL,
    demonym_count INTEGER NOT NULL, tone_sum REAL NOT NULL, tone_n INTEGER NOT NULL,
    polarity_sum REAL NOT NULL, aliases_json TEXT NOT NULL,
    PRIMARY KEY (name, label)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS corpus_entities_count ON corpus_entities(count DESC);

CREATE TABLE IF NOT EXISTS corpus_cooccurrence (
    a TEXT NOT NULL, b TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (a, b)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS article_terms (
    term TEXT NOT NULL, article_id TEXT NOT NULL REFERENCES articles(id), weight REAL NOT NULL,
    PRIMARY KEY (term, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_terms_article ON article_terms(article_id);

CREATE TABLE IF NOT EXISTS story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id), story_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_members_story ON story_members(story_id);

CREATE TABLE IF NOT EXISTS ingested_files (
    digest TEXT PRIMARY KEY, name TEXT NOT NULL, article_id TEXT
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS originals (
    article_id TEXT PRIMARY KEY REFERENCES articles(id), text TEXT NOT NULL, format TEXT NOT NULL,
    choices_json TEXT NOT NULL DEFAULT '{}', title TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '', published TEXT NOT NULL DEFAULT '',
    kept INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS aliases (
    old_id TEXT PRIMARY KEY, article_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_article ON aliases(article_id);

CREATE TABLE IF NOT EXISTS deleted_articles (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, deleted_at REAL NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS reanalysis_queue (article_id TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO store_meta VALUES ('revision', 0);
"""

# the articles table's columns in the order ``_insert`` writes them (named: columns added by
# ``_migrate`` sit at the end of older tables)
ARTICLE_COLUMNS = (
    "id", "title", "source", "url", "published", "section", "byline", "added_at", "format",
    "language", "words", "n_sentences", "n_quotes", "n_entities", "polarity", "subjectivity",
    "vader", "tone", "body", "metadata_json", "removed_json", "notices_json",
    "headline_similarity_json", "tone_model", "outlet", "engine_json",
)  # fmt: skip

ARTICLE_CONTEXT = ("outlet", "published", "url")  # article columns an export of its rows carries

TABLES = (
    "articles", "headlines", "paragraphs", "sentences", "entities", "mentions", "quotes",
    "cooccurrence", "corpus_entities", "corpus_cooccurrence", "article_terms", "story_members",
    "ingested_files", "originals", "aliases", "deleted_articles",
)  # fmt: skip

_WORD = re.compile(r"[^\W\d_]+")


def database_path(url: str | None = None) -> Path:
    """The SQLite file named by ``url`` or ``NEWSLENS_DB``, else ``data/newslens.sqlite``."""
    url = url if url is not None else os.environ.get("NEWSLENS_DB", "")
    if not url:
        return DATA_DIR / "newslens.sqlite"
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    if "://" in url:
        raise InputError(Messages.BAD_DATABASE_URL.format(url=url))
    return Path(url)


@dataclass(frozen=True, slots=True)
class SaveResult:
    id: str
    created: bool  # False when the article was already stored


@dataclass(frozen=True, slots=True)
class Resolved:
    """What an id in a link names now: ``id`` is the current id (itself when not an alias);
    ``status`` is ``stored``, ``deleted`` (``title`` and ``deleted_at`` say which) or ``unknown``."""

    id: str
    status: str
    title: str = ""
    deleted_at: float = 0.0


@dataclass(frozen=True, slots=True)
class DeleteResult:
    id: str  # the id asked for
    deleted: bool  # False when no stored article has that id (or alias)
    title: str = ""


class Store:
    """One SQLite database. Thread-safe: each thread gets its own connection."""

    def __init__(self, url: str | None = None):
        self.path = database_path(url)
        self._local = threading.local()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con.executescript(SCHEMA)  # idempotent; executescript manages its own transaction
            self._migrate()
        except (sqlite3.DatabaseError, OSError) as err:
            self.close()
            raise InputError(Messages.BAD_DATABASE.format(path=self.path, reason=err)) from err

    def _migrate(self) -> None:
        """Columns added since a store was created, appended as SQLite allows; stored rows keep
        everything and read the default there (an older store's articles read as "original not
        kept", engine unknown). Another process may migrate at the same moment."""
        columns: dict[str, set[str]] = {}
        for table, name, spec in ADDED_COLUMNS:
            if table not in columns:
                columns[table] = {row[1] for row in self.con.execute(f"PRAGMA table_info({table})")}
            if name in columns[table]:
                continue
            with self._write() as con:
                if name not in {row[1] for row in con.execute(f"PRAGMA table_info({table})")}:
                    con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {spec}")
                    if (table, name) == ("entities", "tone_n"):
                        con.execute(BACKFILL_ENTITY_TONE)
        if "outlet" not in columns["articles"]:
            self._fill_outlets()
        self.con.execute("CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet, published)")

    def _fill_outlets(self) -> None:
        """Name the outlet of articles stored before outlets were kept (from their source, URL
        and page metadata), once, when the column is added."""
        rows = self.con.execute("SELECT id, source, url, metadata_json FROM articles").fetchall()
        with self._write() as con:
            con.executemany(
                "UPDATE articles SET outlet=? WHERE id=?",
                [(outlet_name(s, u, json.loads(m or "{}")), i) for i, s, u, m in rows],
            )

    # -- connections -------------------------------------------------------------------------

    @property
    def con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            for _ in range(WRITE_RETRIES):
                try:
                    con.execute("PRAGMA journal_mode=WAL")
                    break
                except sqlite3.OperationalError:
                    time.sleep(0.1)
            con.execute("PRAGMA synchronous=NORMAL")
            self._local.con = con
        return con

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, retried while another process holds the lock."""
        con = self.con
        for attempt in range(WRITE_RETRIES):
            try:
                con.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or attempt == WRITE_RETRIES - 1:
                    raise
                time.sleep(0.05 * 2**attempt)
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    # -- writing -----------------------------------------------------------------------------

    def save(self, article: AnalysedArticle) -> SaveResult:
        return self.save_many([article])[0]

    def save_many(self, articles: Sequence[AnalysedArticle]) -> list[SaveResult]:
        """Write a batch of articles in one transaction; articles already stored are skipped.

        An article stored by an older store under its cleaned-content id (no original kept) is
        the same article: it is replaced by this one, and its old id becomes an alias."""
        results = []
        with self._write() as con:
            touched = _Touched()
            for article in articles:
                if _exists(con, article.id):
                    results.append(SaveResult(article.id, False))
                    continue
                legacy = _legacy_match(con, article)
                added_at = time.time()
                if legacy is not None:
                    added_at = _added_at(con, legacy) or added_at
                    touched |= _remove(con, legacy)
                    _alias(con, legacy, article.id)
                touched |= _insert(con, article, added_at=added_at)
                results.append(SaveResult(article.id, legacy is None))
            _refresh_corpus(con, touched)
            _bump(con)
        return results

    def replace(self, old_id: str, article: AnalysedArticle) -> None:
        """Put a re-analysis of ``old_id`` in its place, in one transaction: the old rows go, the
        new ones come in (keeping when it was added), aggregates follow, and when the id changed
        (an article stored before ids hashed the input) the old id becomes an alias."""
        with self._write() as con:
            added_at = _added_at(con, old_id) or time.time()
            story = con.execute("SELECT story_id FROM story_members WHERE article_id=?", (old_id,)).fetchone()
            touched = _remove(con, old_id)
            if article.id != old_id:
                if _exists(con, article.id):  # the same input stored twice under old ids
                    added_at = min(added_at, _added_at(con, article.id) or added_at)
                    touched |= _remove(con, article.id)
                _alias(con, old_id, article.id)
            touched |= _insert(con, article, added_at=added_at)
            if story:  # the re-analysed article stays in its story
                con.execute("INSERT OR IGNORE INTO story_members VALUES (?,?)", (article.id, story[0]))
            con.execute("DELETE FROM reanalysis_queue WHERE article_id IN (?, ?)", (old_id, article.id))
            _refresh_corpus(con, touched)
            _bump(con)

    def delete(self, article_ids: Sequence[str]) -> list[DeleteResult]:
        """Remove articles (ids or aliases) and everything derived from them, aggregates
        included, one transaction each; their ids and aliases then resolve to "deleted"."""
        out = []
        for asked in article_ids:
            with self._write() as con:
                current = _resolve(con, asked)
                row = con.execute("SELECT title FROM articles WHERE id=?", (current,)).fetchone()
                if row is None:
                    out.append(DeleteResult(asked, False))
                    continue
                touched = _remove(con, current)
                con.execute("INSERT OR REPLACE INTO deleted_articles VALUES (?,?,?)", (current, row[0], time.time()))
                _refresh_corpus(con, touched)
                _bump(con)
            out.append(DeleteResult(asked, True, row[0]))
        return out

    def refresh_corpus(self) -> None:
        """Recompute every corpus aggregate from the per-article rows (e.g. for a store whose
        aggregates were kept incrementally by an older version)."""
        with self._write() as con:
            touched = _Touched(
                set(con.execute("SELECT DISTINCT name, label FROM entities"))
                | set(con.execute("SELECT name, label FROM corpus_entities")),
                set(con.execute("SELECT DISTINCT a, b FROM cooccurrence"))
                | set(con.execute("SELECT a, b FROM corpus_cooccurrence")),
            )
            _refresh_corpus(con, touched)
            _bump(con)

    # -- re-analysis ---------------------------------------------------------------------------

    def resolve(self, article_id: str) -> Resolved:
        """What a (possibly old) id names now: the current article, a deleted one, or nothing."""
        current = _resolve(self.con, article_id)
        if _exists(self.con, current):
            return Resolved(current, "stored")
        row = self.con.execute("SELECT title, deleted_at FROM deleted_articles WHERE id=?", (current,)).fetchone()
        if row:
            return Resolved(current, "deleted", row[0], row[1])
        return Resolved(article_id, "unknown")

    def resolve_ids(self, article_ids: Sequence[str]) -> list[str]:
        """Each id replaced by the current id of its article (ids that name nothing stay)."""
        return [_resolve(self.con, i) for i in article_ids]

    def original(self, article_id: str) -> OriginalInput | None:
        """The article's input as received; for an article stored before originals were kept,
        an input rebuilt from its stored title and paragraphs (``kept`` False)."""
        article_id = _resolve(self.con, article_id)
        row = self.con.execute(
            "SELECT text, format, choices_json, title, source, url, published, kept FROM originals WHERE article_id=?",
            (article_id,),
        ).fetchone()
        if row:
            text, fmt, choices, title, source, url, published, kept = row
            return OriginalInput(text, fmt, CleaningChoices.from_dict(json.loads(choices)), title, source,
                                 url, published, bool(kept))  # fmt: skip
        row = self.con.execute("SELECT title, source, url, published FROM articles WHERE id=?", (article_id,)).fetchone()
        if row is None:
            return None
        title, source, url, published = row
        paragraphs = [r[0] for r in self.con.execute(
            "SELECT text FROM paragraphs WHERE article_id=? ORDER BY idx", (article_id,))]  # fmt: skip
        return OriginalInput("\n\n".join(paragraphs), "text", CleaningChoices(), title, source, url, published,
                             kept=False)  # fmt: skip

    def stale_ids(self) -> list[str]:
        """Articles analysed by another engine than this one (older stores: all of them)."""
        rows = self.con.execute(
            "SELECT id FROM articles WHERE engine_json != ? ORDER BY added_at, id", (engine_key(current_engine()),)
        )
        return [r[0] for r in rows]

    def enqueue(self, article_ids: Iterable[str]) -> int:
        """Add articles to the re-analysis queue (kept across runs: an interrupted run resumes)."""
        with self._write() as con:
            ids = [(_resolve(con, i),) for i in article_ids]
            con.executemany("INSERT OR IGNORE INTO reanalysis_queue SELECT id FROM articles WHERE id=?", ids)
        return self.queued_count()

    def queued(self) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT q.article_id FROM reanalysis_queue q JOIN articles a ON a.id = q.article_id ORDER BY a.added_at, a.id"
        )]  # fmt: skip

    def queued_count(self) -> int:
        return self.con.execute("SELECT COUNT(*) FROM reanalysis_queue").fetchone()[0]

    def dequeue(self, article_id: str) -> None:
        """Drop an article from the queue without replacing it (its re-analysis failed)."""
        with self._write() as con:
            con.execute("DELETE FROM reanalysis_queue WHERE article_id=?", (article_id,))

    # -- reading -----------------------------------------------------------------------------

    def _frame(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        return pd.read_sql_query(sql, self.con, params=list(params))

    def count(self) -> int:
        return self.con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def version(self) -> tuple[int, int]:
        """(article count, revision): the revision grows with every write (add, re-analysis,
        delete), so cached frames keyed on it are never stale."""
        count = self.con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return count, self.revision()

    def revision(self) -> int:
        row = self.con.execute("SELECT value FROM store_meta WHERE key='revision'").fetchone()
        return row[0] if row else 0

    def ids(self) -> list[str]:
        """Every stored article id, oldest first."""
        return [r[0] for r in self.con.execute("SELECT id FROM articles ORDER BY added_at, id")]

    def has(self, article_id: str) -> bool:
        return _exists(self.con, _resolve(self.con, article_id))

    def article(self, article_id: str) -> dict | None:
        """One article's row (an old id finds it through its alias) with its metadata, removed
        lines and notices decoded, ``engine`` (the versions that analysed it, {} when unknown)
        and ``original``: ``kept``, ``rebuilt`` (re-analysed from stored paragraphs) or ``none``."""
        cur = self.con.execute(
            """SELECT a.*, CASE WHEN o.kept = 1 THEN 'kept' WHEN o.kept = 0 THEN 'rebuilt' ELSE 'none' END
                      AS original
               FROM articles a LEFT JOIN originals o ON o.article_id = a.id WHERE a.id=?""",
            (_resolve(self.con, article_id),),
        )
        row = cur.fetchone()
        if row is None:
            return None
        out = dict(zip([c[0] for c in cur.description], row, strict=True))
        for key in ("metadata", "removed", "notices", "headline_similarity"):
            out[key] = json.loads(out.pop(f"{key}_json"))
        out["engine"] = json.loads(out.pop("engine_json") or "{}")
        return out

    def articles_frame(self, search: str = "", *, limit: int = 200, offset: int = 0) -> pd.DataFrame:
        """Stored articles, newest first, optionally filtered by a word or phrase of the title,
        source, outlet or text (a scan of the text: about 0.2 s at 10,000 articles)."""
        where, params = "", []
        if search.strip():
            where = "WHERE title LIKE ? OR source LIKE ? OR outlet LIKE ? OR body LIKE ?"
            params = [f"%{search.strip()}%"] * 4
        return self._frame(
            f"""SELECT id, title, source, outlet, published, section, words, n_sentences AS sentences,
                       n_quotes AS quotes, n_entities AS entities, polarity, subjectivity, vader,
                       tone, added_at FROM articles {where}
                ORDER BY added_at DESC, id LIMIT ? OFFSET ?""",
            [*params, limit, offset],
        )

    def headlines_frame(self, article_ids: Sequence[str]) -> pd.DataFrame:
        df = self._frame(
            f"""SELECT h.article_id, a.title AS article_title, a.source, h.idx, h.role, h.text,
                       h.words, h.chars, h.polarity, h.subjectivity, h.vader, h.tone,
                       h.entities_json, h.framing_verbs_json, h.body_similarity, h.novel_words_json
                FROM headlines h JOIN articles a ON a.id = h.article_id
                WHERE h.article_id IN ({_marks(article_ids)}) ORDER BY h.article_id, h.idx""",
            article_ids,
        )
        return _decode_lists(df, ("entities", "framing_verbs", "novel_words"))

    def headline_similarity(self, article_id: str) -> pd.DataFrame:
        """Pairwise similarity of one article's headline variants (labels: role + index)."""
        article = self.article(article_id)
        heads = self.headlines_frame([article_id])
        if article is None or heads.empty:
            return pd.DataFrame()
        labels = [f"{i}. {r}" for i, r in zip(heads["idx"], heads["role"], strict=True)]
        return pd.DataFrame(article["headline_similarity"], index=labels, columns=labels)

    def paragraphs_frame(self, article_id: str) -> pd.DataFrame:
        return self._frame(
            'SELECT idx, start, "end", text, polarity, subjectivity, vader, tone '
            "FROM paragraphs WHERE article_id=? ORDER BY idx",
            [article_id],
        )

    def sentences_frame(self, article_id: str) -> pd.DataFrame:
        return self._frame(
            'SELECT idx, paragraph, start, "end", text, polarity, subjectivity, vader, tone, voice '
            "FROM sentences WHERE article_id=? ORDER BY idx",
            [article_id],
        )

    def entities_frame(
        self, article_id: str | None = None, *, label: str | None = None, limit: int = 50
    ) -> pd.DataFrame:
        """Entity frequencies for one article, or over the corpus (from the aggregate table).

        Columns: entity, label, count, articles, demonym_count, aliases (list), target_tone
        (mean tone toward the entity), polarity (mean TextBlob polarity of its sentences).
        """
        label_sql, params = ("AND label=?", [label]) if label else ("", [])
        if article_id:
            df = self._frame(
                f"""SELECT name AS entity, label, count, 1 AS articles, demonym_count,
                           aliases_json, target_tone, polarity
                    FROM entities WHERE article_id=? {label_sql}
                    ORDER BY count DESC, name LIMIT ?""",
                [article_id, *params, limit],
            )
        else:
            df = self._frame(
                f"""SELECT name AS entity, label, count, articles, demonym_count, aliases_json,
                           CASE WHEN tone_n > 0 THEN tone_sum / tone_n END AS target_tone,
                           CASE WHEN count > 0 THEN polarity_sum / count END AS polarity
                    FROM corpus_entities WHERE 1=1 {label_sql}
                    ORDER BY count DESC, name LIMIT ?""",
                [*params, limit],
            )
        return _decode_lists(df, ("aliases",))

    def tone_models(self) -> dict[str, int]:
        """How many stored articles each targeted-tone model scored ('' for articles stored
        before the model was recorded), most first."""
        rows = self.con.execute(
            "SELECT tone_model, COUNT(*) n FROM articles GROUP BY tone_model ORDER BY n DESC, tone_model"
        )
        return {model: n for model, n in rows}

    def entity_labels(self, article_id: str | None = None) -> list[str]:
        table, where, params = ("entities", "WHERE article_id=?", [article_id]) if article_id else (
            "corpus_entities", "", [])  # fmt: skip
        rows = self.con.execute(f"SELECT DISTINCT label FROM {table} {where} ORDER BY label", params)
        return [r[0] for r in rows]

    def mentions_frame(self, article_id: str, entity: str | None = None) -> pd.DataFrame:
        entity_sql, params = ("AND entity=?", [entity]) if entity else ("", [])
        df = self._frame(
            f"""SELECT entity, label, text, sentence, start, "end", demonym, target_tone, target_label
                FROM mentions WHERE article_id=? {entity_sql} ORDER BY start""",
            [article_id, *params],
        )
        df["demonym"] = df["demonym"].astype(bool)
        return df

    def cooccurrence_frame(self, article_id: str | None = None, *, top: int = 15) -> pd.DataFrame:
        """Same-sentence co-occurrence counts among the ``top`` most frequent entities."""
        names = self.entities_frame(article_id, limit=top)["entity"].tolist()
        if len(names) < 2:
            return pd.DataFrame(columns=["a", "b", "count"])
        table, extra, params = ("cooccurrence", "article_id=? AND", [article_id]) if article_id else (
            "corpus_cooccurrence", "", [])  # fmt: skip
        return self._frame(
            f"""SELECT a, b, count FROM {table}
                WHERE {extra} a IN ({_marks(names)}) AND b IN ({_marks(names)})""",
            [*params, *names, *names],
        )

    def quotes_frame(
        self,
        article_ids: Sequence[str] | None = None,
        *,
        speakers: Sequence[str] = (),
        kinds: Sequence[str] = (),
        text: str = "",
        tone_range: tuple[float, float] | None = None,
        roles: Sequence[str] = (),
        min_confidence: float | Mapping[str, float] = 0.0,
        statements_only: bool = False,
        limit: int = 5000,
    ) -> pd.DataFrame:
        """Quotes, filtered by article, speakers, kinds, a text search, a tone range, speaker
        roles and the classifier's confidence (``min_confidence``: one floor, or one per quote kind
        as ``analysis.quotes.shown_confidence`` gives them; 0 keeps every quote);
        ``statements_only`` leaves out negated speech ("did not say")."""
        where, params = ["1=1"], []
        if roles:
            where.append(f"q.role IN ({_marks(roles)})")
            params += list(roles)
        if isinstance(min_confidence, Mapping):
            floors = " OR ".join("(q.kind = ? AND q.confidence >= ?)" for _ in min_confidence)
            where.append(f"({floors} OR q.kind NOT IN ({_marks(list(min_confidence))}))")
            params += [v for kind, floor in min_confidence.items() for v in (kind, floor)] + list(min_confidence)
        elif min_confidence > 0:
            where.append("q.confidence >= ?")
            params.append(min_confidence)
        if statements_only:
            where.append("q.negated = 0")
        if article_ids:
            where.append(f"q.article_id IN ({_marks(article_ids)})")
            params += list(article_ids)
        if speakers:
            where.append(f"q.speaker IN ({_marks(speakers)})")
            params += list(speakers)
        if kinds:
            where.append(f"q.kind IN ({_marks(kinds)})")
            params += list(kinds)
        if text.strip():
            where.append("(q.text LIKE ? OR q.speaker LIKE ?)")
            params += [f"%{text.strip()}%"] * 2
        if tone_range:
            where.append("q.tone BETWEEN ? AND ?")
            params += list(tone_range)
        return self._frame(
            f"""SELECT q.article_id, a.title AS article_title, q.idx, q.text, q.speaker,
                       q.speaker_text, q.speaker_label, q.kind, q.cue, q.start, q."end",
                       q.paragraph, q.sentence, q.polarity, q.subjectivity, q.vader, q.tone,
                       q.confidence, q.rule, q.speaker_rule, q.negated, q.role
                FROM quotes q JOIN articles a ON a.id = q.article_id
                WHERE {" AND ".join(where)} ORDER BY q.article_id, q.idx LIMIT ?""",
            [*params, limit],
        )

    def speakers(self, article_ids: Sequence[str] | None = None) -> list[str]:
        where, params = (f"WHERE article_id IN ({_marks(article_ids)})", list(article_ids)) if article_ids else ("", [])
        rows = self.con.execute(
            f"SELECT speaker, COUNT(*) n FROM quotes {where} GROUP BY speaker ORDER BY n DESC, speaker",
            params,
        )
        return [r[0] for r in rows]

    def voice_frame(self, article_id: str) -> pd.DataFrame:
        """Tone of the narrator's own sentences against quoted speech, for one article."""
        return self._frame(
            """SELECT 'narrator' AS voice, COUNT(*) AS n, AVG(polarity) AS polarity,
                      AVG(subjectivity) AS subjectivity, AVG(vader) AS vader, AVG(tone) AS tone
               FROM sentences WHERE article_id=? AND voice='narrator'
               UNION ALL
               SELECT 'quoted', COUNT(*), AVG(polarity), AVG(subjectivity), AVG(vader), AVG(tone)
               FROM quotes WHERE article_id=? AND kind IN ('direct', 'partial')""",
            [article_id, article_id],
        )

    def related_articles(self, article_id: str, *, limit: int = 8) -> pd.DataFrame:
        """Articles sharing weighted keywords with this one (cosine over stored keyword vectors)."""
        return self._frame(
            """SELECT o.article_id AS id, a.title, a.source, a.published, SUM(t.weight * o.weight) AS similarity
               FROM article_terms t JOIN article_terms o ON o.term = t.term AND o.article_id != t.article_id
               JOIN articles a ON a.id = o.article_id
               WHERE t.article_id = ? GROUP BY o.article_id ORDER BY similarity DESC LIMIT ?""",
            [article_id, limit],
        )

    def story_similarity(self, article_ids: Sequence[str]) -> pd.DataFrame:
        """Pairwise similarity of several articles (cosine of their stored keyword vectors:
        entities and headline words), a square frame indexed by article id in the given order."""
        ids = list(dict.fromkeys(article_ids))
        rows = self.con.execute(
            f"""SELECT x.article_id, y.article_id, SUM(x.weight * y.weight)
                FROM article_terms x JOIN article_terms y ON y.term = x.term
                WHERE x.article_id IN ({_marks(ids)}) AND y.article_id IN ({_marks(ids)})
                GROUP BY x.article_id, y.article_id""",
            [*ids, *ids],
        ).fetchall()
        matrix = pd.DataFrame(0.0, index=ids, columns=ids)
        for a, b, value in rows:
            matrix.loc[a, b] = min(1.0, round(value, 4))
        return matrix

    def removed_frame(self, article_id: str) -> pd.DataFrame:
        article = self.article(article_id)
        return pd.DataFrame(article["removed"] if article else [], columns=["text", "reason"])

    def table(
        self, name: str, *, chunksize: int | None = None, with_article: bool = True
    ) -> pd.DataFrame | Iterator[pd.DataFrame]:
        """A whole table, for export (``chunksize`` streams it). Rows of one article also carry
        the article's outlet, published date and URL (``with_article``), so an exported quote
        or entity says where and when it appeared. ``articles`` also carries each article's input
        as received (``text``, ``original_*``; rebuilt from the stored title and paragraphs when
        the original was not kept) and its old ids (``aliases``), so ingesting the export into an
        empty store gives the same articles under the same ids."""
        if name not in TABLES:
            raise InputError(f"unknown table {name!r}; choose one of: {', '.join(TABLES)}")
        if name == "articles":
            return self._articles_export(chunksize)
        columns = {row[1] for row in self.con.execute(f"PRAGMA table_info({name})")}
        if with_article and "article_id" in columns and name != "ingested_files":
            extra = ", ".join(f"a.{c}" for c in ARTICLE_CONTEXT if c not in columns)
            sql = f"SELECT t.*, {extra} FROM {name} t LEFT JOIN articles a ON a.id = t.article_id"
        else:
            sql = f"SELECT * FROM {name}"
        return pd.read_sql_query(sql, self.con, chunksize=chunksize)

    # -- stories (grouping in analysis/stories.py) -----------------------------------------------

    def story_inputs(self, *, lead_chars: int = 1500) -> pd.DataFrame:
        """What story grouping reads of every article: id, title, the opening of the body,
        published, outlet, and its story id ('' while not yet grouped)."""
        return self._frame(
            """SELECT a.id, a.title, substr(a.body, 1, ?) AS body, a.published, a.outlet,
                      COALESCE(m.story_id, '') AS story_id
               FROM articles a LEFT JOIN story_members m ON m.article_id = a.id ORDER BY a.id""",
            [lead_chars],
        )

    def set_stories(self, assignments: Iterable[tuple[str, str]]) -> None:
        """Record (article id, story id) pairs; an article already grouped keeps its story."""
        with self._write() as con:
            con.executemany("INSERT OR IGNORE INTO story_members VALUES (?,?)", list(assignments))

    def stories_frame(self, *, min_articles: int = 1, limit: int = 500) -> pd.DataFrame:
        """Stories, biggest and newest first: story_id, title (its first article's), articles,
        outlets (distinct, comma-separated), first and last published, article_ids."""
        return self._frame(
            """SELECT m.story_id, COUNT(*) AS articles, COUNT(DISTINCT a.outlet) AS n_outlets,
                      group_concat(DISTINCT a.outlet) AS outlets, MIN(a.published) AS first,
                      MAX(a.published) AS last, group_concat(a.id) AS article_ids,
                      (SELECT title FROM articles WHERE id = substr(m.story_id, 7)) AS title  -- 'story-' + id
               FROM story_members m JOIN articles a ON a.id = m.article_id
               GROUP BY m.story_id HAVING COUNT(*) >= ?
               ORDER BY n_outlets DESC, articles DESC, last DESC, m.story_id LIMIT ?""",
            [min_articles, limit],
        )

    def story_articles(self, story_id: str) -> pd.DataFrame:
        """The articles of one story: id, title, outlet, source, url, published, tone."""
        return self._frame(
            """SELECT a.id, a.title, a.outlet, a.source, a.url, a.published, a.words, a.tone
               FROM story_members m JOIN articles a ON a.id = m.article_id
               WHERE m.story_id = ? ORDER BY a.published, a.id""",
            [story_id],
        )

    def entity_coverage(self, entities: Sequence[str], *, outlets: Sequence[str] = ()) -> pd.DataFrame:
        """Per article naming one of ``entities``: article_id, outlet, published, entity,
        mentions, tone_sum and tone_n (targeted tone over its scored mentions), for views of
        coverage by outlet and over time (``analysis.coverage``)."""
        if not entities:
            return pd.DataFrame(columns=["article_id", "outlet", "published", "entity", "mentions", "tone_sum", "tone_n"])
        outlet_sql = f"AND a.outlet IN ({_marks(outlets)})" if outlets else ""
        return self._frame(
            f"""SELECT e.article_id, a.outlet, a.published, e.name AS entity, e.count AS mentions,
                       (SELECT COALESCE(SUM(m.target_tone), 0) FROM mentions m WHERE m.article_id = e.article_id
                            AND m.entity = e.name AND m.target_tone IS NOT NULL) AS tone_sum,
                       (SELECT COUNT(m.target_tone) FROM mentions m WHERE m.article_id = e.article_id
                            AND m.entity = e.name) AS tone_n
                FROM entities e JOIN articles a ON a.id = e.article_id
                WHERE e.name IN ({_marks(entities)}) {outlet_sql} ORDER BY a.published, e.article_id""",
            [*entities, *outlets],
        )

    def outlets(self) -> list[str]:
        """Outlets of the stored articles, most articles first ('' for articles with none)."""
        rows = self.con.execute("SELECT outlet, COUNT(*) n FROM articles GROUP BY outlet ORDER BY n DESC, outlet")
        return [r[0] for r in rows]

    def story_of(self, article_id: str) -> str:
        row = self.con.execute("SELECT story_id FROM story_members WHERE article_id=?", (article_id,)).fetchone()
        return row[0] if row else ""

    def _articles_export(self, chunksize: int | None) -> pd.DataFrame | Iterator[pd.DataFrame]:
        sql = """SELECT a.*, o.kept AS original_kept, o.text AS original_text, o.format AS original_format,
                        o.choices_json AS original_choices, o.title AS original_title,
                        o.source AS original_source, o.url AS original_url, o.published AS original_published,
                        (SELECT json_group_array(old_id) FROM aliases WHERE article_id = a.id) AS aliases
                 FROM articles a LEFT JOIN originals o ON o.article_id = a.id ORDER BY a.added_at, a.id"""
        frames = pd.read_sql_query(sql, self.con, chunksize=chunksize)
        return (self._with_inputs(f) for f in frames) if chunksize else self._with_inputs(frames)

    def _with_inputs(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Fill the input columns of articles stored without their original (rebuilt inputs)."""
        missing = frame["original_text"].isna()
        for i in frame.index[missing]:
            rebuilt = self.original(frame.at[i, "id"])
            frame.loc[i, ["original_text", "original_format", "original_choices", "original_title",
                          "original_source", "original_url", "original_published", "original_kept"]] = [
                rebuilt.text, rebuilt.format, "{}", rebuilt.title, rebuilt.source, rebuilt.url,
                rebuilt.published, 0]  # fmt: skip
        frame.insert(1, "text", frame.pop("original_text"))
        frame["original_kept"] = frame["original_kept"].astype(bool)
        return frame

    # -- files already ingested ------------------------------------------------------------------

    def known_digests(self) -> set[str]:
        """Digests of the raw files ingested so far (so start-up skips them without cleaning)."""
        return {r[0] for r in self.con.execute("SELECT digest FROM ingested_files")}

    def remember_files(self, rows: Iterable[tuple[str, str, str | None]]) -> None:
        """Record (digest, name, article_id) of ingested files; article_id is None for bad files."""
        with self._write() as con:
            con.executemany("INSERT OR IGNORE INTO ingested_files VALUES (?,?,?)", list(rows))


def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values)) or "NULL"


def _decode_lists(df: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    for name in names:
        df[name] = [json.loads(v) if v else [] for v in df.pop(f"{name}_json")]
    return df


@dataclass(slots=True)
class _Touched:
    """Keys of the corpus aggregates a write touched: (name, label) entities, (a, b) pairs."""

    entities: set = None  # type: ignore[assignment]
    pairs: set = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.entities = set(self.entities or ())
        self.pairs = set(self.pairs or ())

    def __ior__(self, other: _Touched) -> _Touched:
        self.entities |= other.entities
        self.pairs |= other.pairs
        return self


def _exists(con: sqlite3.Connection, article_id: str) -> bool:
    return con.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None


def _resolve(con: sqlite3.Connection, article_id: str) -> str:
    """The current id of ``article_id`` (itself unless it is an alias)."""
    row = con.execute("SELECT article_id FROM aliases WHERE old_id=?", (article_id,)).fetchone()
    return row[0] if row else article_id


def _added_at(con: sqlite3.Connection, article_id: str) -> float | None:
    row = con.execute("SELECT added_at FROM articles WHERE id=?", (article_id,)).fetchone()
    return row[0] if row else None


def _alias(con: sqlite3.Connection, old_id: str, new_id: str) -> None:
    """``old_id`` now names ``new_id``, and so does every alias that named ``old_id``."""
    if old_id == new_id:
        return
    con.execute("UPDATE aliases SET article_id=? WHERE article_id=?", (new_id, old_id))
    con.execute("INSERT OR REPLACE INTO aliases VALUES (?,?)", (old_id, new_id))
    con.execute("DELETE FROM aliases WHERE old_id=?", (new_id,))
    con.execute("UPDATE ingested_files SET article_id=? WHERE article_id=?", (new_id, old_id))


def _legacy_match(con: sqlite3.Connection, a: AnalysedArticle) -> str | None:
    """The article an older store kept under this article's cleaned-content id, when it has no
    original (so re-adding the same text after an upgrade does not store it twice)."""
    legacy = _resolve(con, article_id(a.cleaned.title, a.cleaned.paragraphs))
    if legacy == a.id or not _exists(con, legacy):
        return None
    kept = con.execute("SELECT kept FROM originals WHERE article_id=?", (legacy,)).fetchone()
    return legacy if kept is None or not kept[0] else None


def _remove(con: sqlite3.Connection, article_id: str) -> _Touched:
    """Delete one article's rows; returns the aggregate keys to recompute."""
    touched = _Touched(
        set(con.execute("SELECT name, label FROM entities WHERE article_id=?", (article_id,))),
        set(con.execute("SELECT a, b FROM cooccurrence WHERE article_id=?", (article_id,))),
    )
    for table in ARTICLE_TABLES:
        con.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
    con.execute("DELETE FROM articles WHERE id=?", (article_id,))
    return touched


def _bump(con: sqlite3.Connection) -> None:
    con.execute("UPDATE store_meta SET value = value + 1 WHERE key='revision'")


def _refresh_corpus(con: sqlite3.Connection, touched: _Touched) -> None:
    """Recompute the corpus rows of the touched keys from the per-article rows: the result
    depends only on which articles are stored, never on the order they were written in."""
    keys = sorted(touched.entities)
    con.executemany("DELETE FROM corpus_entities WHERE name=? AND label=?", keys)
    con.executemany(
        f"""INSERT INTO corpus_entities
            SELECT name, label, SUM(count), COUNT(*), SUM(demonym_count), SUM(tone_sum), SUM(tone_n),
                   SUM(COALESCE(polarity, 0) * count),
                   (SELECT json_group_array(value) FROM (
                        SELECT j.value FROM entities e2, json_each(e2.aliases_json) j
                        WHERE e2.name = e.name AND e2.label = e.label
                        GROUP BY j.value ORDER BY COUNT(*) DESC, j.value LIMIT {CORPUS_ALIASES}))
            FROM entities e WHERE name=? AND label=? GROUP BY name, label""",
        keys,
    )
    pairs = sorted(touched.pairs)
    con.executemany("DELETE FROM corpus_cooccurrence WHERE a=? AND b=?", pairs)
    con.executemany(
        "INSERT INTO corpus_cooccurrence SELECT a, b, SUM(count) FROM cooccurrence WHERE a=? AND b=? GROUP BY a, b",
        pairs,
    )


def _insert(con: sqlite3.Connection, a: AnalysedArticle, *, added_at: float) -> _Touched:
    """Write one article's rows (and its original input); returns the aggregate keys to refresh."""
    c = a.cleaned
    words = sum(len(p.split()) for p in c.paragraphs)
    con.execute(
        f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({_marks(ARTICLE_COLUMNS)})",
        (
            a.id, c.title, a.source, a.url, a.published, c.metadata.get("section", ""),
            c.metadata.get("byline", ""), added_at, c.format, a.language, words,
            len(a.sentences), len(a.quotes), len(a.entities), *_tone(a.tone), c.body,
            json.dumps(c.metadata), json.dumps([{"text": r.text, "reason": r.reason} for r in c.removed]),
            json.dumps(a.notices), json.dumps(a.headline_similarity), a.tone_model,
            outlet_name(a.source, a.url, c.metadata), engine_key(a.engine),
        ),
    )  # fmt: skip
    con.execute("DELETE FROM deleted_articles WHERE id=?", (a.id,))
    if a.original is not None:
        o = a.original
        con.execute(
            "INSERT INTO originals VALUES (?,?,?,?,?,?,?,?,?)",
            (a.id, o.text, o.format, json.dumps(o.choices.as_dict()), o.title, o.source, o.url, o.published,
             int(o.kept)),
        )  # fmt: skip
        for old in o.aliases:
            if old and old != a.id and not _exists(con, old):
                _alias(con, old, a.id)
    con.executemany(
        "INSERT INTO headlines VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (a.id, i, h.role, h.text, h.words, h.chars, *_tone(h.tone), json.dumps(h.entities),
             json.dumps(h.framing_verbs), h.body_similarity, json.dumps(h.novel_words))
            for i, h in enumerate(a.headlines)
        ],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO paragraphs VALUES (?,?,?,?,?,?,?,?,?)",
        [(a.id, p.index, p.start, p.end, p.text, *_tone(p.tone)) for p in a.paragraphs],
    )
    con.executemany(
        "INSERT INTO sentences VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [(a.id, s.index, s.paragraph, s.start, s.end, s.text, *_tone(s.tone), s.voice) for s in a.sentences],
    )
    con.executemany(
        "INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (a.id, m.entity, m.label, m.text, m.sentence, m.start, m.end, int(m.demonym),
             m.target_tone, m.target_label)
            for m in a.mentions
        ],
    )  # fmt: skip
    con.executemany(
        f"INSERT INTO quotes ({', '.join(QUOTE_COLUMNS)}) VALUES ({', '.join('?' * len(QUOTE_COLUMNS))})",
        [
            (a.id, i, q.text, q.speaker, q.speaker_text, q.speaker_label, q.cue, q.kind, q.start,
             q.end, q.paragraph, q.sentence, *_tone(q.tone), q.confidence, q.rule, q.speaker_rule,
             int(q.negated), q.role)
            for i, q in enumerate(a.quotes)
        ],
    )  # fmt: skip
    stats = _entity_stats(a)
    con.executemany(
        """INSERT INTO entities (article_id, name, label, count, demonym_count, aliases_json, target_tone,
               polarity, subjectivity, tone_sum, tone_n) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
        [
            (a.id, e.name, e.label, e.count, e.demonym_count, json.dumps(e.aliases), st.target_tone,
             st.polarity, st.subjectivity, st.tone_sum, st.tone_n)
            for e, st in zip(a.entities, stats, strict=True)
        ],
    )  # fmt: skip
    pairs = _cooccurrence(a)
    con.executemany("INSERT INTO cooccurrence VALUES (?,?,?,?)", [(a.id, x, y, n) for (x, y), n in pairs.items()])
    con.executemany("INSERT INTO article_terms VALUES (?,?,?)", [(t, a.id, w) for t, w in _keywords(a)])
    return _Touched({(e.name, e.label) for e in a.entities}, set(pairs))


def _tone(t) -> tuple:
    return (t.polarity, t.subjectivity, t.vader, t.tone) if t else (None, None, None, None)


@dataclass(frozen=True, slots=True)
class _EntityStats:
    """Per entity of one article: the tone toward it (sum, count and mean over its mentions) and
    the mean TextBlob polarity and subjectivity of the sentences that mention it."""

    tone_sum: float
    tone_n: int
    target_tone: float | None
    polarity: float | None
    subjectivity: float | None


def _entity_stats(a: AnalysedArticle) -> list[_EntityStats]:
    """``_EntityStats`` for each of ``a.entities``, in order, in one pass over the mentions."""
    sentence_tone = {s.index: s.tone for s in a.sentences}
    by_entity: dict[str, list] = {}
    for m in a.mentions:
        by_entity.setdefault(m.entity, []).append(m)
    stats = []
    for e in a.entities:
        mentions = by_entity.get(e.name, [])
        targets = [m.target_tone for m in mentions if m.target_tone is not None]
        tones = [sentence_tone[m.sentence] for m in mentions if m.sentence in sentence_tone]
        stats.append(
            _EntityStats(
                tone_sum=sum(targets),
                tone_n=len(targets),
                target_tone=sum(targets) / len(targets) if targets else None,
                polarity=sum(t.polarity for t in tones) / len(tones) if tones else None,
                subjectivity=sum(t.subjectivity for t in tones) / len(tones) if tones else None,
            )
        )
    return stats


def _cooccurrence(a: AnalysedArticle) -> Counter:
    """Pairs of distinct entities named in the same sentence, (a, b) with a < b."""
    by_sentence: dict[int, set[str]] = {}
    for m in a.mentions:
        by_sentence.setdefault(m.sentence, set()).add(m.entity)
    pairs: Counter = Counter()
    for names in by_sentence.values():
        pairs.update(combinations(sorted(names), 2))
    return pairs


def _keywords(a: AnalysedArticle) -> list[tuple[str, float]]:
    """The article's top terms, L2-normalised, for "related articles": its entities weighted by
    mentions, and the content words of its headlines (what a story is about)."""
    weights: Counter = Counter()
    for e in a.entities:
        weights[e.name.lower()] += e.count
    for h in a.headlines:
        for word in _WORD.findall(h.text.lower()):
            if word not in STOP_WORDS and len(word) > 2:
                weights[word] += 1.0
    top = weights.most_common(ARTICLE_TERMS)
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return [(t, w / norm) for t, w in top]
