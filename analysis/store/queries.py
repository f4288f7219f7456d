"""The store's reads: the DataFrames and rows the pages and commands ask for.

``Queries`` is a mixin of ``Store``: ``self.con`` is a read connection of the current thread
(each statement its own transaction), ``_frame`` a DataFrame of one query. The SQL runs on both
backends: text search is ``search_clause`` (case-insensitive on both), and every GROUP BY names
what it selects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from analysis.engine import current_engine, engine_key
from analysis.errors import InputError
from analysis.model import CleaningChoices, OriginalInput
from analysis.store.aggregates import confidence_clause, counted_floors, quote_floors
from analysis.store.db import Conn
from analysis.store.rows import exists, resolve
from analysis.store.schema import (
    SEARCH_CONFIG_PG,
    SEARCH_DOCUMENT_PG,
    SEARCH_TABLE,
    TABLES,
    metadata,
)

__all__ = ["Queries", "Resolved", "CorpusScope", "WHOLE_CORPUS", "search_clause", "text_query"]

ARTICLE_CONTEXT = ("outlet", "published", "url")  # article columns an export of its rows carries


@dataclass(frozen=True, slots=True)
class Resolved:
    """What an id in a link names now: ``id`` is the current id (itself when not an alias);
    ``status`` is ``stored``, ``deleted`` (``title`` and ``deleted_at`` say which) or ``unknown``."""

    id: str
    status: str
    title: str = ""
    deleted_at: float = 0.0


def search_clause(columns: Sequence[str], words: str, *, postgres: bool = False) -> tuple[str, list[str]]:
    """The one substring search of the store: any column containing ``words``, ignoring case
    (SQLite's ``LIKE`` ignores the case of ASCII letters, as its ``lower()`` does; PostgreSQL
    needs ``ILIKE``). Without ``lower()`` on every row a corpus search scans twice as fast.

    >>> search_clause(("q.text",), " Roadmap ")
    ('(q.text LIKE ?)', ['%roadmap%'])
    """
    pattern = f"%{words.strip().lower()}%"
    like = "ILIKE" if postgres else "LIKE"
    return "(" + " OR ".join(f"{c} {like} ?" for c in columns) + ")", [pattern] * len(columns)


class CorpusScope(NamedTuple):
    """Which articles a corpus view covers: some outlets (all when empty) and a range of
    published dates, ``since`` and ``until`` inclusive, as ``YYYY-MM-DD`` ('' leaves that end
    open). A date range keeps only articles whose ``published`` starts with an ISO date.

    >>> CorpusScope(("CNN",), "2026-03-01").where("a")
    ('a.outlet IN (?) AND substr(a.published, 1, 10) BETWEEN ? AND ?', ['CNN', '2026-03-01', '9999-12-31'])
    """

    outlets: tuple[str, ...] = ()
    since: str = ""
    until: str = ""

    def __bool__(self) -> bool:  # an empty scope is the whole corpus
        return bool(self.outlets or self.since or self.until)

    def where(self, alias: str = "a") -> tuple[str, list]:
        """A SQL condition on the articles table (as ``alias``) and its parameters; ``1=1`` for
        the whole corpus. The date test reads ``published``'s first ten characters, so it runs
        in SQL on both backends (a non-ISO date such as "Mon, 2 Mar" sorts after every digit
        and falls outside any range)."""
        clauses, params = [], []
        if self.outlets:
            clauses.append(f"{alias}.outlet IN ({_marks(self.outlets)})")
            params += list(self.outlets)
        if self.since or self.until:
            clauses.append(f"substr({alias}.published, 1, 10) BETWEEN ? AND ?")
            params += [self.since or "0000-00-00", self.until or "9999-12-31"]
        return (" AND ".join(clauses) or "1=1"), params


WHOLE_CORPUS = CorpusScope()  # every stored article

_WORDS = re.compile(r"\w+", re.UNICODE)


def text_query(words: str, *, postgres: bool) -> str:
    """The full-text query of a search box: every word must occur (as a word or the start of
    one), for SQLite FTS5 (``"word"*``) or PostgreSQL ``to_tsquery`` (``word:*``); '' when the
    box holds no word. Only letters and digits reach the query, so its syntax never leaks in.

    >>> text_query("Cuomo's aide", postgres=False)
    '"cuomo"* "s"* "aide"*'
    >>> text_query("Cuomo's aide", postgres=True)
    'cuomo:* & s:* & aide:*'
    """
    tokens = [t.lower() for t in _WORDS.findall(words) if t.strip("_")]
    tokens = [t.strip("_") for t in tokens]
    if postgres:
        return " & ".join(f"{t}:*" for t in tokens)
    return " ".join(f'"{t}"*' for t in tokens)


class Queries:
    con: Conn

    def resolve(self, article_id: str) -> Resolved:
        """What a (possibly old) id names now: the current article, a deleted one, or nothing."""
        current = resolve(self.con, article_id)
        if exists(self.con, current):
            return Resolved(current, "stored")
        row = self.con.execute("SELECT title, deleted_at FROM deleted_articles WHERE id=?", (current,)).fetchone()
        if row:
            return Resolved(current, "deleted", row[0], row[1])
        return Resolved(article_id, "unknown")

    def resolve_ids(self, article_ids: Sequence[str]) -> list[str]:
        """Each id replaced by the current id of its article (ids that name nothing stay)."""
        return [resolve(self.con, i) for i in article_ids]

    def original(self, article_id: str) -> OriginalInput | None:
        """The article's input as received; for an article stored before originals were kept,
        an input rebuilt from its stored title and paragraphs (``kept`` False)."""
        article_id = resolve(self.con, article_id)
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

    def queued(self) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT q.article_id FROM reanalysis_queue q JOIN articles a ON a.id = q.article_id ORDER BY a.added_at, a.id"
        )]  # fmt: skip

    def queued_count(self) -> int:
        return self.con.execute("SELECT COUNT(*) FROM reanalysis_queue").fetchone()[0]

    # -- reading -----------------------------------------------------------------------------

    def _frame(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        return pd.read_sql_query(self.con.sql(sql), self.con.connection, params=tuple(params))

    def count(self) -> int:
        return self.con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def version(self) -> tuple[int, int]:
        """(article count, revision): the revision grows with every write (add, re-analysis,
        delete), so cached frames keyed on it are never stale."""
        count = self.con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return count, self.revision()

    def revision(self) -> int:
        if self.con.postgres:
            return int(self.con.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM store_revision").fetchone()[0])
        row = self.con.execute("SELECT value FROM store_meta WHERE key='revision'").fetchone()
        return row[0] if row else 0

    def ids(self) -> list[str]:
        """Every stored article id, oldest first."""
        return [r[0] for r in self.con.execute("SELECT id FROM articles ORDER BY added_at, id")]

    def has(self, article_id: str) -> bool:
        return exists(self.con, resolve(self.con, article_id))

    def article(self, article_id: str) -> dict | None:
        """One article's row (an old id finds it through its alias) with its metadata, removed
        lines and notices decoded, ``engine`` (the versions that analysed it, {} when unknown)
        and ``original``: ``kept``, ``rebuilt`` (re-analysed from stored paragraphs) or ``none``."""
        cur = self.con.execute(
            """SELECT a.*, CASE WHEN o.kept = 1 THEN 'kept' WHEN o.kept = 0 THEN 'rebuilt' ELSE 'none' END
                      AS original
               FROM articles a LEFT JOIN originals o ON o.article_id = a.id WHERE a.id=?""",
            (resolve(self.con, article_id),),
        )
        row = cur.fetchone()
        if row is None:
            return None
        out = dict(zip(cur.keys(), row, strict=True))
        for key in ("metadata", "removed", "notices", "headline_similarity"):
            out[key] = json.loads(out.pop(f"{key}_json"))
        out["engine"] = json.loads(out.pop("engine_json") or "{}")
        return out

    def articles_frame(
        self, search: str = "", *, scope: CorpusScope = WHOLE_CORPUS, limit: int = 200, offset: int = 0
    ) -> pd.DataFrame:
        """Stored articles, newest first, optionally those with every word of ``search`` in
        their title, source, outlet or text (``search_ids``: the full-text index), and within
        ``scope`` (outlets, dates)."""
        where, params = scope.where("articles")
        if search.strip():
            match, words = self._text_match(search)
            where, params = f"{where} AND {match}", [*params, *words]
        return self._frame(
            f"""SELECT id, title, source, outlet, published, section, words, n_sentences AS sentences,
                       n_quotes AS quotes, n_entities AS entities, polarity, subjectivity, vader,
                       tone, added_at FROM articles WHERE {where}
                ORDER BY added_at DESC, id LIMIT ? OFFSET ?""",
            [*params, limit, offset],
        )

    def search_ids(self, words: str, *, limit: int = 200) -> list[str]:
        """Ids of the articles with every word of ``words`` (or a word starting with it, after
        stemming) in their title, source, outlet or text, newest first: one lookup in the
        full-text index (SQLite FTS5, PostgreSQL tsvector/GIN; ``schema.SEARCH_*``), kept up to
        date by every save, delete and re-analysis."""
        match, params = self._text_match(words)
        rows = self.con.execute(
            f"SELECT id FROM articles WHERE {match} ORDER BY added_at DESC, id LIMIT ?", [*params, limit]
        )
        return [r[0] for r in rows]

    def _text_match(self, words: str) -> tuple[str, list[str]]:
        """A condition on ``articles`` (unaliased) that the full-text index answers."""
        query = text_query(words, postgres=self.con.postgres)
        if not query:
            return "1=0", []  # no word to look for (only punctuation): nothing matches
        if self.con.postgres:
            return f"{SEARCH_DOCUMENT_PG} @@ to_tsquery('{SEARCH_CONFIG_PG}', ?)", [query]
        return f"articles.rowid IN (SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?)", [query]

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
        self,
        article_id: str | None = None,
        *,
        label: str | None = None,
        scope: CorpusScope = WHOLE_CORPUS,
        limit: int = 50,
        linked: bool = False,
    ) -> pd.DataFrame:
        """Entity frequencies for one article, or over the corpus (from the aggregate table),
        or over the articles of ``scope`` (summed from the per-article rows of those articles).

        Columns: entity, label, count, articles, demonym_count, aliases (list), target_tone
        (mean tone toward the entity), polarity (mean TextBlob polarity of its sentences).
        ``linked`` (the whole corpus only, not a ``scope``): names of one entity across articles
        counted as one (``analysis/linking.py``), with a ``merged`` column listing the variants
        it took in.
        """
        if linked and not article_id:
            return self.linked_entities_frame(label=label, limit=limit, scope=scope)
        label_sql, params = ("AND label=?", [label]) if label else ("", [])
        if not article_id and scope:
            return _decode_lists(self._scoped_entities(scope, label, limit), ("aliases",))
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

    # -- corpus entity linking (rules in analysis/linking.py) ------------------------------------

    def entity_links(self) -> pd.DataFrame:
        """Every corpus name linked to another entity, and why: entity, label, variant,
        variant_label, rule, evidence, articles (that write the variant), article_id ('' for a
        corpus-wide link; an article id for a surname linked from that article's story).
        Computed from the corpus aggregate on read, once per store revision."""
        return self._linking()[1]

    def linked_entities_frame(
        self, *, label: str | None = None, limit: int = 50, scope: CorpusScope = WHOLE_CORPUS
    ) -> pd.DataFrame:
        """``entities_frame`` over the corpus (or the articles of ``scope``) with linked names
        counted as one entity. Within a scope, names are linked by the corpus-wide links (a
        surname linked only from its story keeps its own row there)."""
        frame = self._linking()[0] if not scope else self._linked_in_scope(scope)
        if label:
            frame = frame[frame["label"] == label]
        return frame.head(limit).reset_index(drop=True)

    def _linked_in_scope(self, scope: CorpusScope) -> pd.DataFrame:
        rows = self._scoped_name_sums(scope)
        corpus = self._entity_keys(scope).corpus
        found = [corpus.get(key, key) for key in zip(rows["name"], rows["label"], strict=True)]
        return _merge_linked(
            rows.assign(entity=[f[0] for f in found], label=[f[1] for f in found], aliases=[[n] for n in rows["name"]])
        )

    def _scoped_name_sums(self, scope: CorpusScope) -> pd.DataFrame:
        """Per stored (name, label) named in ``scope``: count, articles, demonym_count, tone_sum,
        tone_n, polarity_sum. Summed from whichever side is smaller, as ``_scoped_entities``
        does: the rows of the articles inside, or the corpus aggregate minus the rows outside
        (a wide date range: 0.1 s of CPU instead of 1.2 s at 10,000 articles)."""
        where, params = scope.where("a")
        inside = self.con.execute(f"SELECT COUNT(*) FROM articles a WHERE {where}", params).fetchone()[0]
        sums = """SUM(e.count) AS count, COUNT(*) AS articles, SUM(e.demonym_count) AS demonym_count,
                  SUM(e.tone_sum) AS tone_sum, SUM(e.tone_n) AS tone_n,
                  SUM(COALESCE(e.polarity, 0) * e.count) AS polarity_sum"""
        side = where if inside * 2 <= self.count() else f"NOT ({where})"
        rows = self._frame(
            f"""SELECT e.name, e.label, {sums} FROM articles a CROSS JOIN entities e
                WHERE e.article_id = a.id AND {side} GROUP BY e.name, e.label""",
            params,
        )
        if side == where:
            return rows
        corpus = self._frame(
            """SELECT name, label, count, articles, demonym_count, tone_sum, tone_n, polarity_sum
               FROM corpus_entities"""
        ).set_index(["name", "label"])
        outside = rows.set_index(["name", "label"]).reindex(corpus.index, fill_value=0)
        left = corpus.astype(float) - outside[corpus.columns].astype(float)
        left = left[left["articles"] > 0].reset_index()
        counts = ["count", "articles", "demonym_count", "tone_n"]
        return left.astype(dict.fromkeys(counts, "int64"))

    def _linking(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        revision = self.revision()
        cached = getattr(self, "_linking_cache", None)
        if cached is not None and cached[0] == revision:
            return cached[1]
        result = _link_corpus(self)
        self._linking_cache = (revision, result)
        return result

    def _scoped_entities(self, scope: CorpusScope, label: str | None, limit: int) -> pd.DataFrame:
        """``entities_frame`` over the articles of ``scope``, summed from whichever side is
        smaller: the rows of the articles inside it, or, when it holds most of the corpus (a wide
        date range), the corpus aggregates minus the rows of the articles outside it. Every
        column is a sum, so both give the same numbers. ``CROSS JOIN`` makes SQLite walk the
        chosen articles and read their rows by primary key (it otherwise scans every entity
        row: 0.7 s of CPU instead of 14 ms at 10,000 articles); PostgreSQL plans it as a join."""
        where, params = scope.where("a")
        inside = self.con.execute(f"SELECT COUNT(*) FROM articles a WHERE {where}", params).fetchone()[0]
        label_sql, label_params = ("AND e.label = ?", [label]) if label else ("", [])
        sums = """SUM(e.count) AS n, COUNT(*) AS articles, SUM(e.demonym_count) AS demonyms,
                  SUM(e.tone_sum) AS tone_sum, SUM(e.tone_n) AS tone_n,
                  SUM(COALESCE(e.polarity, 0) * e.count) AS polarity_sum"""
        if inside * 2 <= self.count():
            return self._frame(
                f"""SELECT s.name AS entity, s.label, s.n AS count, s.articles, s.demonyms AS demonym_count,
                           c.aliases_json, CASE WHEN s.tone_n > 0 THEN s.tone_sum / s.tone_n END AS target_tone,
                           s.polarity_sum / NULLIF(s.n, 0) AS polarity
                    FROM (SELECT e.name, e.label, {sums} FROM articles a CROSS JOIN entities e
                          WHERE e.article_id = a.id AND {where} {label_sql} GROUP BY e.name, e.label) s
                    LEFT JOIN corpus_entities c ON c.name = s.name AND c.label = s.label
                    ORDER BY count DESC, entity LIMIT ?""",
                [*params, *label_params, limit],
            )
        return self._frame(
            f"""SELECT * FROM (
                    SELECT c.name AS entity, c.label, c.count - COALESCE(o.n, 0) AS count,
                           c.articles - COALESCE(o.articles, 0) AS articles,
                           c.demonym_count - COALESCE(o.demonyms, 0) AS demonym_count, c.aliases_json,
                           CASE WHEN c.tone_n - COALESCE(o.tone_n, 0) > 0 THEN
                                (c.tone_sum - COALESCE(o.tone_sum, 0)) / (c.tone_n - COALESCE(o.tone_n, 0)) END AS target_tone,
                           (c.polarity_sum - COALESCE(o.polarity_sum, 0)) / NULLIF(c.count - COALESCE(o.n, 0), 0) AS polarity
                    FROM corpus_entities c LEFT JOIN (
                        SELECT e.name, e.label, {sums} FROM articles a CROSS JOIN entities e
                        WHERE e.article_id = a.id AND NOT ({where}) GROUP BY e.name, e.label) o ON o.name = c.name AND o.label = c.label
                    WHERE 1=1 {label_sql.replace("e.", "c.")}) t
                WHERE t.articles > 0 ORDER BY t.count DESC, t.entity LIMIT ?""",
            [*params, *label_params, limit],
        )

    def tone_models(self) -> dict[str, int]:
        """How many stored articles each targeted-tone model scored ('' for articles stored
        before the model was recorded), most first."""
        rows = self.con.execute(
            "SELECT tone_model, COUNT(*) n FROM articles GROUP BY tone_model ORDER BY n DESC, tone_model"
        )
        return {model: n for model, n in rows}

    def entity_labels(self, article_id: str | None = None) -> list[str]:
        """Entity types of one article, or of the whole corpus."""
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

    def cooccurrence_frame(
        self, article_id: str | None = None, *, scope: CorpusScope = WHOLE_CORPUS, top: int = 15
    ) -> pd.DataFrame:
        """Same-sentence co-occurrence counts among the ``top`` most frequent entities (of one
        article, the corpus, or the articles of ``scope``)."""
        names = self.entities_frame(article_id, scope=scope, limit=top)["entity"].tolist()
        if len(names) < 2:
            return pd.DataFrame(columns=["a", "b", "count"])
        if not article_id and scope:
            where, params = scope.where("x")
            return self._frame(
                f"""SELECT c.a, c.b, SUM(c.count) AS count FROM cooccurrence c JOIN articles x ON x.id = c.article_id
                    WHERE {where} AND c.a IN ({_marks(names)}) AND c.b IN ({_marks(names)}) GROUP BY c.a, c.b""",
                [*params, *names, *names],
            )
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
        scope: CorpusScope = WHOLE_CORPUS,
        limit: int = 5000,
    ) -> pd.DataFrame:
        """Quotes, filtered by article, speakers, kinds, a text search, a tone range, speaker
        roles and the classifier's confidence (``min_confidence``: one floor, or one per quote kind
        as ``analysis.quotes.shown_confidence`` gives them; 0 keeps every quote);
        ``statements_only`` leaves out negated speech ("did not say"); ``scope`` keeps the
        articles of some outlets and dates. Each row carries its article's id, title, outlet,
        published date and URL. One article's quotes come in order; quotes of the corpus
        (``article_ids`` None) newest article first."""
        scope_sql, params = scope.where("a")
        where = [scope_sql]
        if roles:
            where.append(f"q.role IN ({_marks(roles)})")
            params += list(roles)
        floor_sql, floor_params = confidence_clause(min_confidence)
        where.append(floor_sql)
        params += floor_params
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
            clause, words = search_clause(("q.text", "q.speaker"), text, postgres=self.con.postgres)
            where.append(clause)
            params += words
        if tone_range:
            where.append("q.tone BETWEEN ? AND ?")
            params += list(tone_range)
        # the corpus's newest first, in the order of index articles_published: the reading stops
        # after ``limit`` quotes instead of sorting every quote of the corpus
        order = "q.article_id, q.idx" if article_ids else "a.published DESC, a.added_at DESC, a.id DESC, q.idx"
        return self._frame(
            f"""SELECT q.article_id, a.title AS article_title, a.outlet, a.published, a.url, q.idx,
                       q.text, q.speaker, q.speaker_text, q.speaker_label, q.kind, q.cue, q.start,
                       q."end", q.paragraph, q.sentence, q.polarity, q.subjectivity, q.vader,
                       q.tone, q.confidence, q.rule, q.speaker_rule, q.negated, q.role
                FROM quotes q JOIN articles a ON a.id = q.article_id
                WHERE {" AND ".join(where)} ORDER BY {order} LIMIT ?""",
            [*params, limit],
        )

    def speakers(
        self, article_ids: Sequence[str] | None = None, *, scope: CorpusScope = WHOLE_CORPUS, limit: int = 100_000
    ) -> list[str]:
        """Speakers quoted in these articles (or in ``scope``), most quoted first (the whole
        corpus's from its aggregate)."""
        if not article_ids and not scope:
            rows = self.con.execute(
                "SELECT speaker FROM corpus_speakers ORDER BY quotes DESC, speaker LIMIT ?", (limit,)
            )
            return [r[0] for r in rows]
        where, params = scope.where("a")
        if article_ids:
            where += f" AND q.article_id IN ({_marks(article_ids)})"
            params += list(article_ids)
        rows = self.con.execute(
            f"""SELECT q.speaker, COUNT(*) n FROM quotes q JOIN articles a ON a.id = q.article_id
                WHERE {where} AND q.speaker != '' GROUP BY q.speaker ORDER BY n DESC, q.speaker LIMIT ?""",
            [*params, limit],
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
        """Articles sharing weighted keywords with this one (cosine over stored keyword vectors).

        The scores are summed over the keyword rows alone and only the best ``limit`` articles
        are looked up: a common keyword is shared by thousands of articles in a large corpus, and
        reading each one's (wide) article row cost more than the sums (1.4 s at 100,000)."""
        return self._frame(
            """SELECT r.id, a.title, a.source, a.published, r.similarity
               FROM (SELECT o.article_id AS id, SUM(t.weight * o.weight) AS similarity
                     FROM article_terms t JOIN article_terms o ON o.term = t.term AND o.article_id != t.article_id
                     WHERE t.article_id = ? GROUP BY o.article_id
                     ORDER BY similarity DESC, o.article_id LIMIT ?) r
               JOIN articles a ON a.id = r.id
               ORDER BY r.similarity DESC, r.id""",
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
        columns = {c.name for c in metadata.tables[name].columns}
        if with_article and "article_id" in columns and name != "ingested_files":
            extra = ", ".join(f"a.{c}" for c in ARTICLE_CONTEXT if c not in columns)
            sql = f"SELECT t.*, {extra} FROM {name} t LEFT JOIN articles a ON a.id = t.article_id"
        else:
            sql = f"SELECT * FROM {name}"
        return pd.read_sql_query(sql, self.con.connection, chunksize=chunksize)

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

    def stories_frame(
        self, *, min_articles: int = 1, scope: CorpusScope = WHOLE_CORPUS, limit: int = 500
    ) -> pd.DataFrame:
        """Stories, biggest and newest first: story_id, title (its first article's), articles,
        outlets (distinct, comma-separated), first and last published, article_ids; counting
        only the articles in ``scope``."""
        where, params = scope.where("a")
        if self.con.postgres:
            outlets, ids = "string_agg(DISTINCT a.outlet, ',')", "string_agg(a.id, ',')"
        else:
            outlets, ids = "group_concat(DISTINCT a.outlet)", "group_concat(a.id)"
        return self._frame(
            f"""SELECT m.story_id, COUNT(*) AS articles, COUNT(DISTINCT a.outlet) AS n_outlets,
                       {outlets} AS outlets, MIN(a.published) AS first,
                       MAX(a.published) AS last, {ids} AS article_ids,
                       (SELECT title FROM articles WHERE id = substr(m.story_id, 7)) AS title
                FROM story_members m JOIN articles a ON a.id = m.article_id WHERE {where}
                GROUP BY m.story_id HAVING COUNT(*) >= ?
                ORDER BY n_outlets DESC, articles DESC, last DESC, m.story_id LIMIT ?""",
            [*params, min_articles, limit],
        )

    def story_articles(self, story_id: str) -> pd.DataFrame:
        """The articles of one story: id, title, outlet, source, url, published, tone."""
        return self._frame(
            """SELECT a.id, a.title, a.outlet, a.source, a.url, a.published, a.words, a.tone
               FROM story_members m JOIN articles a ON a.id = m.article_id
               WHERE m.story_id = ? ORDER BY a.published, a.id""",
            [story_id],
        )

    def entity_coverage(
        self,
        entities: Sequence[str],
        *,
        outlets: Sequence[str] = (),
        scope: CorpusScope = WHOLE_CORPUS,
        linked: bool = False,
    ) -> pd.DataFrame:
        """Per article naming one of ``entities`` (in ``scope``, and of ``outlets`` when given):
        article_id, outlet, published, entity, mentions, tone_sum and tone_n (targeted tone over
        its scored mentions), for views of coverage by outlet and over time (``analysis.coverage``).
        ``linked``: ``entities`` are linked entities (``linked_entities_frame``), and every name
        standing for one counts under it ("Biden" and "Joe Biden" in one article: one row)."""
        columns = ["article_id", "outlet", "published", "entity", "mentions", "tone_sum", "tone_n"]
        if not entities:
            return pd.DataFrame(columns=columns)
        scope = scope._replace(outlets=tuple(outlets) or scope.outlets)
        where, params = scope.where("a")
        names = _variants_of(self._entity_keys(scope), set(entities)) if linked else list(entities)
        rows = self._frame(
            f"""SELECT e.article_id, a.outlet, a.published, e.name AS entity, e.label, e.count AS mentions,
                       e.tone_sum, e.tone_n
                FROM entities e JOIN articles a ON a.id = e.article_id
                WHERE e.name IN ({_marks(names)}) AND {where} ORDER BY a.published, e.article_id""",
            [*names, *params],
        )
        if not linked or rows.empty:
            return rows[columns]
        rows = _linked_rows(rows, self._entity_keys(scope))
        rows = rows[rows["entity"].isin(set(entities))]
        keys = ["article_id", "outlet", "published", "entity"]
        summed = rows.groupby(keys, sort=False, as_index=False)[["mentions", "tone_sum", "tone_n"]].sum()
        return summed[columns].reset_index(drop=True)

    def _entity_keys(self, scope: CorpusScope = WHOLE_CORPUS) -> EntityKeys:
        """The links the corpus entity views count names by: corpus-wide ones, and over the whole
        corpus also the surnames linked from their article's story (``linked_entities_frame``
        keeps those on their own row within a scope, and so do the views reading these)."""
        links = self.entity_links()
        corpus = {(r.variant, r.variant_label): (r.entity, r.label) for r in links.itertuples() if not r.article_id}
        local = {} if scope else {
            (r.article_id, r.variant, r.variant_label): (r.entity, r.label) for r in links.itertuples() if r.article_id
        }  # fmt: skip
        return EntityKeys(corpus, local)

    # -- the corpus by outlet (views in analysis/outlet_coverage.py) ------------------------------

    def quoted_by_outlet(
        self, *, scope: CorpusScope = WHOLE_CORPUS, min_confidence: float | Mapping[str, float] = 0.0, limit: int = 50_000
    ) -> pd.DataFrame:
        """Who each outlet quotes: one row per outlet, speaker and speaker role with quotes (how
        many), articles (how many of the outlet's articles quote them) and speaker_label. Negated
        speech is left out, and quotes below ``min_confidence`` (as in ``quotes_frame``). The
        whole corpus at the floors its aggregate was counted with (the classifier's, which the
        pages use) is read from that aggregate."""
        floors = quote_floors()
        if not scope and isinstance(min_confidence, Mapping) and dict(min_confidence) == floors:
            if counted_floors(self.con) != floors:
                self.refresh_pending()  # the classifier changed since the last count: count again, once
            return self._frame(
                """SELECT outlet, speaker, role, speaker_label, quotes, articles FROM corpus_outlet_speakers
                   ORDER BY quotes DESC, speaker, outlet LIMIT ?""",
                [limit],
            )
        where, params = scope.where("a")
        floor_sql, floor_params = confidence_clause(min_confidence)
        return self._frame(
            f"""SELECT a.outlet, q.speaker, q.role, MAX(q.speaker_label) AS speaker_label,
                       COUNT(*) AS quotes, COUNT(DISTINCT q.article_id) AS articles
                FROM quotes q JOIN articles a ON a.id = q.article_id
                WHERE {where} AND {floor_sql} AND q.negated = 0 AND q.speaker != ''
                GROUP BY a.outlet, q.speaker, q.role ORDER BY quotes DESC, q.speaker, a.outlet LIMIT ?""",
            [*params, *floor_params, limit],
        )

    def attention_by_outlet(
        self, *, scope: CorpusScope = WHOLE_CORPUS, label: str | None = None, top: int = 20, linked: bool = False
    ) -> pd.DataFrame:
        """Mentions of the ``top`` most mentioned entities (in ``scope``) by each outlet, with
        the outlet's mentions of every entity (``outlet_mentions``, what a share is of) and
        its articles. Columns: outlet, entity, label, mentions, articles, outlet_mentions,
        outlet_articles. Three indexed reads: the top entities (the corpus aggregate when the
        scope is the whole corpus), their rows (by name), and each outlet's totals.
        ``linked``: entities as ``linked_entities_frame`` counts them (every name standing for
        one counted under it, ``articles`` summed over its names; see ``_linked_attention``)."""
        columns = ["outlet", "entity", "label", "mentions", "articles", "outlet_mentions", "outlet_articles"]
        top_entities = self.entities_frame(None, label=label, scope=scope, limit=top, linked=linked)
        if top_entities.empty:
            return pd.DataFrame(columns=columns)
        keys = set(zip(top_entities["entity"], top_entities["label"], strict=True))
        where, params = scope.where("a")
        if linked:
            rows = self._linked_attention(keys, scope)
        elif not scope:  # the whole corpus as written: its per-outlet aggregate
            names = top_entities["entity"].tolist()
            rows = self._frame(
                f"""SELECT outlet, name AS entity, label, mentions, articles FROM corpus_outlet_entities
                    WHERE name IN ({_marks(names)})""",
                names,
            )
        else:
            names = top_entities["entity"].tolist()
            rows = self._frame(
                f"""SELECT a.outlet, e.name AS entity, e.label, SUM(e.count) AS mentions,
                           COUNT(DISTINCT e.article_id) AS articles
                    FROM entities e JOIN articles a ON a.id = e.article_id
                    WHERE e.name IN ({_marks(names)}) AND {where}
                    GROUP BY a.outlet, e.name, e.label""",
                [*names, *params],
            )
        rows = rows[[(n, lab) in keys for n, lab in zip(rows["entity"], rows["label"], strict=True)]]
        if scope:
            totals = self._frame(
                f"""SELECT a.outlet, SUM(e.count) AS outlet_mentions, COUNT(DISTINCT e.article_id) AS outlet_articles
                    FROM articles a CROSS JOIN entities e WHERE e.article_id = a.id AND {where} GROUP BY a.outlet""",
                params,
            )
        else:
            totals = self._frame("SELECT outlet, mentions AS outlet_mentions, articles AS outlet_articles FROM corpus_outlets")
        out = rows.merge(totals, on="outlet", how="left")
        return out.sort_values(["outlet", "mentions", "entity"], ascending=[True, False, True])[columns].reset_index(drop=True)

    def _linked_attention(self, keys: set[tuple[str, str]], scope: CorpusScope) -> pd.DataFrame:
        """Per outlet and linked entity of ``keys``: mentions, and articles (summed over its
        names, as ``linked_entities_frame`` counts them: an article writing "Biden" and "Joe
        Biden" counts under each). Over the whole corpus, read from the per-outlet aggregate
        of names, corrected by the few articles whose surname is linked from their story;
        within a scope, summed in SQL with the names mapped to their entity by a ``CASE``."""
        links = self._entity_keys(scope)
        code = {key: i for i, key in enumerate(sorted(keys))}
        key_of = sorted(keys)
        pairs = {pair: code[target] for pair, target in links.corpus.items() if target in code}
        pairs.update({key: i for key, i in code.items() if key not in links.corpus})
        names = _variants_of(links, {e for e, _ in keys})
        columns = ["outlet", "entity", "label", "mentions", "articles"]

        def named(frame: pd.DataFrame, codes: list[int]) -> pd.DataFrame:
            return frame.assign(entity=[key_of[i][0] for i in codes], label=[key_of[i][1] for i in codes])

        if scope:
            where, params = scope.where("a")
            case = " ".join("WHEN e.name = ? AND e.label = ? THEN ?" for _ in pairs)
            summed = self._frame(
                f"""SELECT outlet, code, SUM(mentions) AS mentions, COUNT(*) AS articles FROM (
                        SELECT a.outlet, e.count AS mentions, CASE {case} ELSE -1 END AS code
                        FROM entities e JOIN articles a ON a.id = e.article_id
                        WHERE e.name IN ({_marks(names)}) AND {where}) t
                    WHERE code >= 0 GROUP BY outlet, code""",
                [*(v for (n, lab), i in pairs.items() for v in (n, lab, i)), *names, *params],
            )
            return named(summed, [int(i) for i in summed["code"]])[columns]
        written = self._frame(
            f"""SELECT outlet, name, label, mentions, articles FROM corpus_outlet_entities
                WHERE name IN ({_marks(names)})""",
            names,
        )
        at = [pairs.get(k, -1) for k in zip(written["name"], written["label"], strict=True)]
        parts = [named(written[[i >= 0 for i in at]], [i for i in at if i >= 0])[columns]]
        local = sorted({a for (a, n, lab), target in links.local.items()
                        if target in code or (n, lab) in pairs})  # fmt: skip
        for chunk in (local[i : i + 500] for i in range(0, len(local), 500)):
            rows = self._frame(
                f"""SELECT a.outlet, e.article_id, e.name AS entity, e.label, e.count AS mentions
                    FROM entities e JOIN articles a ON a.id = e.article_id WHERE e.article_id IN ({_marks(chunk)})""",
                chunk,
            ).assign(articles=1)
            counted = [pairs.get(k, -1) for k in zip(rows["entity"], rows["label"], strict=True)]
            taken = named(rows[[i >= 0 for i in counted]], [i for i in counted if i >= 0])  # as the aggregate has them
            given = _linked_rows(rows, links)
            given = given[[k in code for k in zip(given["entity"], given["label"], strict=True)]]
            parts += [taken[columns].assign(mentions=-taken["mentions"], articles=-1), given[columns]]
        both = pd.concat(parts, ignore_index=True)
        out = both.groupby(["outlet", "entity", "label"], as_index=False)[["mentions", "articles"]].sum()
        return out[out["articles"] > 0]

    def date_range(self) -> tuple[str, str]:
        """The first and last ISO published date (YYYY-MM-DD) of the stored articles ('' if none)."""
        row = self.con.execute(
            """SELECT MIN(substr(published, 1, 10)), MAX(substr(published, 1, 10)) FROM articles
               WHERE substr(published, 1, 10) BETWEEN '0001-01-01' AND '9999-12-31'"""
        ).fetchone()
        return (row[0] or "", row[1] or "") if row else ("", "")

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
                        o.source AS original_source, o.url AS original_url, o.published AS original_published
                 FROM articles a LEFT JOIN originals o ON o.article_id = a.id ORDER BY a.added_at, a.id"""
        frames = pd.read_sql_query(sql, self.con.connection, chunksize=chunksize)
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
        ids = list(frame["id"])
        old: dict[str, list[str]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for old_id, current in self.con.execute(
                f"SELECT old_id, article_id FROM aliases WHERE article_id IN ({_marks(chunk)}) ORDER BY old_id", chunk
            ):
                old[current].append(old_id)
        frame["aliases"] = [json.dumps(old[i]) for i in ids]
        frame["original_kept"] = frame["original_kept"].astype(bool)
        return frame



def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values)) or "NULL"


class EntityKeys(NamedTuple):
    """Links from names to the entities they stand for: ``corpus`` (name, label) → (entity,
    label), and ``local`` (article_id, name, label) → (entity, label) for surnames linked from
    their article's story."""

    corpus: dict[tuple[str, str], tuple[str, str]]
    local: dict[tuple[str, str, str], tuple[str, str]]


def _variants_of(links: EntityKeys, entities: set[str]) -> list[str]:
    """The stored names that may stand for one of ``entities`` (the entities' own names too)."""
    names = set(entities)
    names.update(name for (name, _), (entity, _) in links.corpus.items() if entity in entities)
    names.update(name for (_, name, _), (entity, _) in links.local.items() if entity in entities)
    return sorted(names)


def _linked_rows(rows: pd.DataFrame, links: EntityKeys) -> pd.DataFrame:
    """Per-article rows (article_id, entity = the stored name, label) renamed to the entity
    each name stands for."""
    keys = zip(rows["article_id"], rows["entity"], rows["label"], strict=True)
    found = [links.local.get((a, n, lab)) or links.corpus.get((n, lab)) or (n, lab) for a, n, lab in keys]
    return rows.assign(entity=[f[0] for f in found], label=[f[1] for f in found])


LINK_COLUMNS = ["entity", "label", "variant", "variant_label", "rule", "evidence", "articles", "article_id"]


def _link_corpus(store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The linked corpus frame and the links: corpus-wide links from the aggregate rows, then
    ambiguous surnames linked per article from the entity names of the article's story."""
    from analysis.linking import CorpusName, link_corpus

    rows = store._frame(
        """SELECT name, label, count, articles, demonym_count, tone_sum, tone_n, polarity_sum, aliases_json
           FROM corpus_entities"""
    )
    rows["aliases"] = [json.loads(v) if v else [] for v in rows.pop("aliases_json")]
    names = [CorpusName(r.name, r.label, int(r.articles), int(r.count), tuple(r.aliases)) for r in rows.itertuples()]
    found = link_corpus(names)
    links = found.links
    link_rows = [
        (k.entity, k.entity_label, k.name, k.label, k.rule, k.evidence, k.articles, "") for k in links.values()
    ]
    target = [links[(n, lab)] if (n, lab) in links else None for n, lab in zip(rows["name"], rows["label"], strict=True)]
    rows["entity"] = [t.entity if t else n for t, n in zip(target, rows["name"], strict=True)]
    rows["elabel"] = [t.entity_label if t else lab for t, lab in zip(target, rows["label"], strict=True)]
    # ambiguous surnames: per article, from the names of the article's story (moved off the short name's row)
    frame = rows.assign(label=rows["elabel"])
    moved = _neighbourhood_links(store, found)
    if not moved.empty:
        link_rows += [
            (r.entity, r.entity_label, r.name, r.label, "neighbourhood", r.evidence, 1, r.article_id)
            for r in moved.itertuples()
        ]
        sums = ["count", "demonym_count", "tone_sum", "tone_n", "polarity_sum"]
        taken = moved.assign(articles=1).groupby(["name", "label"])[[*sums, "articles"]].sum()
        at = pd.MultiIndex.from_arrays([rows["name"], rows["label"]])
        for col in [*sums, "articles"]:
            frame[col] = frame[col].to_numpy() - taken[col].reindex(at, fill_value=0).to_numpy()
        given = moved.assign(articles=1, label=moved["entity_label"], aliases=[[n] for n in moved["name"]])
        frame = pd.concat([frame, given[["name", "label", "entity", *sums, "articles", "aliases"]]], ignore_index=True)
    links_frame = pd.DataFrame(link_rows, columns=LINK_COLUMNS).sort_values(["entity", "variant", "article_id"])
    return _merge_linked(frame), links_frame.reset_index(drop=True)


LINKED_COLUMNS = ["entity", "label", "count", "articles", "demonym_count", "aliases", "target_tone", "polarity", "merged"]


def _merge_linked(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of names (name, entity, label, sums, aliases) summed per entity they stand for;
    ``articles`` adds its names' articles (an article writing two of them counts twice)."""
    frame = frame[frame["articles"] > 0]
    if frame.empty:
        return pd.DataFrame(columns=LINKED_COLUMNS)
    merged = (
        frame.groupby(["entity", "label"], sort=False)
        .agg(count=("count", "sum"), articles=("articles", "sum"), demonym_count=("demonym_count", "sum"),
             tone_sum=("tone_sum", "sum"), tone_n=("tone_n", "sum"), polarity_sum=("polarity_sum", "sum"),
             aliases=("aliases", lambda v: list(dict.fromkeys(a for lst in v for a in lst))),
             variants=("name", lambda v: sorted(set(v))))
        .reset_index()
    )  # fmt: skip
    merged["target_tone"] = (merged["tone_sum"] / merged["tone_n"]).where(merged["tone_n"] > 0)
    merged["polarity"] = (merged["polarity_sum"] / merged["count"]).where(merged["count"] > 0)
    merged["merged"] = [[v for v in vs if v != e] for e, vs in zip(merged["entity"], merged["variants"], strict=True)]
    merged = merged.sort_values(["count", "entity"], ascending=[False, True]).reset_index(drop=True)
    return merged[LINKED_COLUMNS]


def _neighbourhood_links(store, found) -> pd.DataFrame:
    """Per article naming an ambiguous short name: its row, linked to the one candidate its story
    names (``analysis.linking.link_in_neighbourhood``). A few queries for all names at once."""
    from analysis.linking import link_in_neighbourhood

    columns = ["article_id", "name", "label", "count", "demonym_count", "tone_sum", "tone_n", "polarity_sum",
               "entity", "entity_label", "evidence"]  # fmt: skip
    if not found.ambiguous:
        return pd.DataFrame(columns=columns)
    everyone = {c for cs in found.ambiguous.values() for c in cs}
    variants = {**{c: c for c in everyone}, **{k.name: k.entity for k in found.links.values() if k.entity in everyone}}

    def frames(sql: str, values: list[str]) -> pd.DataFrame:
        parts = [store._frame(sql.format(marks=_marks(values[i : i + 500])), values[i : i + 500])
                 for i in range(0, len(values), 500)]  # fmt: skip
        return pd.concat(parts, ignore_index=True)

    per_article = frames(
        """SELECT e.article_id, e.name, e.label, e.count, e.demonym_count, e.tone_sum, e.tone_n,
                  COALESCE(e.polarity, 0) * e.count AS polarity_sum, COALESCE(m.story_id, e.article_id) AS story
           FROM entities e LEFT JOIN story_members m ON m.article_id = e.article_id WHERE e.name IN ({marks})""",
        sorted({name for name, _ in found.ambiguous}),
    )
    named = frames(
        """SELECT COALESCE(m.story_id, e.article_id) AS story, e.name FROM entities e
           LEFT JOIN story_members m ON m.article_id = e.article_id WHERE e.name IN ({marks})""",
        sorted(variants),
    )
    by_story = named.assign(name=named["name"].map(variants)).groupby("story")["name"].agg(set).to_dict()
    out = []
    for (name, label), group in per_article.groupby(["name", "label"]):
        if (name, label) not in found.ambiguous:
            continue
        rows = group.set_index("article_id")
        hoods = {aid: by_story.get(story, set()) for aid, story in rows["story"].items()}
        for link in link_in_neighbourhood((name, label), found.ambiguous[(name, label)], hoods, labels=found.labels):
            r = rows.loc[link.article_id]
            out.append((link.article_id, name, label, r["count"], r["demonym_count"], r["tone_sum"], r["tone_n"],
                        r["polarity_sum"], link.entity, link.entity_label, link.evidence))  # fmt: skip
    return pd.DataFrame(out, columns=columns)


def _decode_lists(df: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    for name in names:
        df[name] = [json.loads(v) if v else [] for v in df.pop(f"{name}_json")]
    return df


