"""The store's reads: the DataFrames and rows the pages and commands ask for.

``Queries`` is a mixin of ``Store``: ``self.con`` is a read connection of the current thread
(each statement its own transaction), ``_frame`` a DataFrame of one query. The SQL runs on both
backends: text search is ``search_clause`` (case-insensitive on both), and every GROUP BY names
what it selects.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.engine import current_engine, engine_key
from analysis.errors import InputError
from analysis.model import CleaningChoices, OriginalInput
from analysis.store.db import Conn
from analysis.store.rows import exists, resolve
from analysis.store.schema import TABLES, metadata

__all__ = ["Queries", "Resolved", "search_clause"]

ARTICLE_CONTEXT = ("outlet", "published", "url")  # article columns an export of its rows carries


@dataclass(frozen=True, slots=True)
class Resolved:
    """What an id in a link names now: ``id`` is the current id (itself when not an alias);
    ``status`` is ``stored``, ``deleted`` (``title`` and ``deleted_at`` say which) or ``unknown``."""

    id: str
    status: str
    title: str = ""
    deleted_at: float = 0.0


def search_clause(columns: Sequence[str], words: str) -> tuple[str, list[str]]:
    """The one text search of the store: every column compared case-insensitively (``lower()
    LIKE``, the same on SQLite and PostgreSQL, where plain LIKE differs), any column matching."""
    pattern = f"%{words.strip().lower()}%"
    return "(" + " OR ".join(f"lower({c}) LIKE ?" for c in columns) + ")", [pattern] * len(columns)


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

    def articles_frame(self, search: str = "", *, limit: int = 200, offset: int = 0) -> pd.DataFrame:
        """Stored articles, newest first, optionally filtered by a word or phrase of the title,
        source, outlet or text (a scan of the text: about 0.2 s at 10,000 articles)."""
        where, params = "", []
        if search.strip():
            clause, params = search_clause(("title", "source", "outlet", "body"), search)
            where = f"WHERE {clause}"
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
            clause, words = search_clause(("q.text", "q.speaker"), text)
            where.append(clause)
            params += words
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

    def stories_frame(self, *, min_articles: int = 1, limit: int = 500) -> pd.DataFrame:
        """Stories, biggest and newest first: story_id, title (its first article's), articles,
        outlets (distinct, comma-separated), first and last published, article_ids."""
        if self.con.postgres:
            outlets, ids = "string_agg(DISTINCT a.outlet, ',')", "string_agg(a.id, ',')"
        else:
            outlets, ids = "group_concat(DISTINCT a.outlet)", "group_concat(a.id)"
        return self._frame(
            f"""SELECT m.story_id, COUNT(*) AS articles, COUNT(DISTINCT a.outlet) AS n_outlets,
                       {outlets} AS outlets, MIN(a.published) AS first,
                       MAX(a.published) AS last, {ids} AS article_ids,
                       (SELECT title FROM articles WHERE id = substr(m.story_id, 7)) AS title
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
                       e.tone_sum, e.tone_n
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


def _decode_lists(df: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    for name in names:
        df[name] = [json.loads(v) if v else [] for v in df.pop(f"{name}_json")]
    return df


