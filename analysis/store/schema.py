"""The store's tables, defined once with SQLAlchemy Core for SQLite and PostgreSQL.

Floats are 8-byte (``Double``: PostgreSQL's ``REAL`` is 4 bytes); JSON is kept as text in
``*_json`` columns on both backends (read and written whole, never queried inside), so the two
behave the same. Alembic's migrations (``analysis/store/migrations``) build and upgrade this
schema; ``metadata`` is what they reach.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Double,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    text,
)

__all__ = ["metadata", "TABLES", "ARTICLE_TABLES", "SEARCH_TABLE", "SEARCH_COLUMNS", "SEARCH_CONFIG_PG", "SEARCH_DOCUMENT_PG"]

metadata = MetaData()
_NOROWID = {"sqlite_with_rowid": False}


def _tone_columns() -> list[Column]:
    return [Column(n, Double) for n in ("polarity", "subjectivity", "vader", "tone")]


def _text(name: str, default: str = "") -> Column:
    return Column(name, Text, nullable=False, server_default=text(f"'{default}'"))


articles = Table(
    "articles", metadata,
    Column("id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    _text("source"), _text("url"), _text("published"), _text("section"), _text("byline"),
    Column("added_at", Double, nullable=False),
    Column("format", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("words", Integer, nullable=False),
    Column("n_sentences", Integer, nullable=False),
    Column("n_quotes", Integer, nullable=False),
    Column("n_entities", Integer, nullable=False),
    *_tone_columns(),
    Column("body", Text, nullable=False),
    Column("metadata_json", Text, nullable=False),
    Column("removed_json", Text, nullable=False),
    Column("notices_json", Text, nullable=False),
    Column("headline_similarity_json", Text, nullable=False),
    _text("tone_model"), _text("outlet"), _text("engine_json"),
    Index("articles_added", text("added_at DESC")),
    Index("articles_published", "published", "added_at", "id"),  # corpus quotes, newest first
    Index("articles_outlet", "outlet", "published"),
)  # fmt: skip

headlines = Table(
    "headlines", metadata,
    Column("article_id", Text, nullable=False), Column("idx", Integer, nullable=False),
    Column("role", Text, nullable=False), Column("text", Text, nullable=False),
    Column("words", Integer), Column("chars", Integer), *_tone_columns(),
    Column("entities_json", Text), Column("framing_verbs_json", Text), Column("body_similarity", Double),
    Column("novel_words_json", Text),
    PrimaryKeyConstraint("article_id", "idx"), **_NOROWID,
)  # fmt: skip

paragraphs = Table(
    "paragraphs", metadata,
    Column("article_id", Text, nullable=False), Column("idx", Integer, nullable=False),
    Column("start", Integer), Column("end", Integer), Column("text", Text, nullable=False),
    *_tone_columns(),
    PrimaryKeyConstraint("article_id", "idx"), **_NOROWID,
)  # fmt: skip

sentences = Table(
    "sentences", metadata,
    Column("article_id", Text, nullable=False), Column("idx", Integer, nullable=False),
    Column("paragraph", Integer), Column("start", Integer), Column("end", Integer),
    Column("text", Text, nullable=False), *_tone_columns(), Column("voice", Text),
    PrimaryKeyConstraint("article_id", "idx"), **_NOROWID,
)  # fmt: skip

entities = Table(
    "entities", metadata,
    Column("article_id", Text, nullable=False), Column("name", Text, nullable=False),
    Column("label", Text, nullable=False), Column("count", Integer, nullable=False),
    Column("demonym_count", Integer, nullable=False), Column("aliases_json", Text, nullable=False),
    Column("target_tone", Double), Column("polarity", Double), Column("subjectivity", Double),
    Column("tone_sum", Double, nullable=False, server_default=text("0")),
    Column("tone_n", Integer, nullable=False, server_default=text("0")),
    PrimaryKeyConstraint("article_id", "name"), Index("entities_name", "name"), **_NOROWID,
)  # fmt: skip

mentions = Table(
    "mentions", metadata,
    Column("article_id", Text, nullable=False), Column("entity", Text, nullable=False),
    Column("label", Text), Column("text", Text), Column("sentence", Integer), Column("start", Integer),
    Column("end", Integer), Column("demonym", Integer), Column("target_tone", Double),
    Column("target_label", Text),
    Index("mentions_article", "article_id", "entity"),
)  # fmt: skip

quotes = Table(
    "quotes", metadata,
    Column("article_id", Text, nullable=False), Column("idx", Integer, nullable=False),
    Column("text", Text, nullable=False), Column("speaker", Text), Column("speaker_text", Text),
    Column("speaker_label", Text), Column("cue", Text), Column("kind", Text), Column("start", Integer),
    Column("end", Integer), Column("paragraph", Integer), Column("sentence", Integer), *_tone_columns(),
    Column("confidence", Double, nullable=False, server_default=text("1.0")),
    _text("rule"), _text("speaker_rule"),
    Column("negated", Integer, nullable=False, server_default=text("0")),
    _text("role"),
    PrimaryKeyConstraint("article_id", "idx"), Index("quotes_speaker", "speaker"), **_NOROWID,
)  # fmt: skip

cooccurrence = Table(
    "cooccurrence", metadata,
    Column("article_id", Text, nullable=False), Column("a", Text, nullable=False), Column("b", Text, nullable=False),
    Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("article_id", "a", "b"), Index("cooccurrence_pair", "a", "b"), **_NOROWID,
)  # fmt: skip

corpus_entities = Table(
    "corpus_entities", metadata,
    Column("name", Text, nullable=False), Column("label", Text, nullable=False),
    Column("count", Integer, nullable=False), Column("articles", Integer, nullable=False),
    Column("demonym_count", Integer, nullable=False), Column("tone_sum", Double, nullable=False),
    Column("tone_n", Integer, nullable=False), Column("polarity_sum", Double, nullable=False),
    Column("aliases_json", Text, nullable=False),
    PrimaryKeyConstraint("name", "label"), Index("corpus_entities_count", text("count DESC")), **_NOROWID,
)  # fmt: skip

corpus_cooccurrence = Table(
    "corpus_cooccurrence", metadata,
    Column("a", Text, nullable=False), Column("b", Text, nullable=False), Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("a", "b"), **_NOROWID,
)  # fmt: skip

article_terms = Table(
    "article_terms", metadata,
    Column("term", Text, nullable=False), Column("article_id", Text, nullable=False),
    Column("weight", Double, nullable=False),
    PrimaryKeyConstraint("term", "article_id"), Index("article_terms_article", "article_id"), **_NOROWID,
)  # fmt: skip

story_members = Table(
    "story_members", metadata,
    Column("article_id", Text, primary_key=True), Column("story_id", Text, nullable=False),
    Index("story_members_story", "story_id"), **_NOROWID,
)  # fmt: skip

ingested_files = Table(
    "ingested_files", metadata,
    Column("digest", Text, primary_key=True), Column("name", Text, nullable=False), Column("article_id", Text),
    **_NOROWID,
)  # fmt: skip

originals = Table(
    "originals", metadata,
    Column("article_id", Text, primary_key=True), Column("text", Text, nullable=False),
    Column("format", Text, nullable=False), _text("choices_json", "{}"), _text("title"), _text("source"),
    _text("url"), _text("published"), Column("kept", Integer, nullable=False, server_default=text("1")),
    **_NOROWID,
)  # fmt: skip

aliases = Table(
    "aliases", metadata,
    Column("old_id", Text, primary_key=True), Column("article_id", Text, nullable=False),
    Index("aliases_article", "article_id"), **_NOROWID,
)  # fmt: skip

deleted_articles = Table(
    "deleted_articles", metadata,
    Column("id", Text, primary_key=True), Column("title", Text, nullable=False),
    Column("deleted_at", Double, nullable=False), **_NOROWID,
)  # fmt: skip

reanalysis_queue = Table("reanalysis_queue", metadata, Column("article_id", Text, primary_key=True), **_NOROWID)

# Keys of corpus aggregates that writers touched, waiting for the single refresher: appended
# without a unique key, so concurrent writers never wait on each other's rows.
corpus_dirty = Table(
    "corpus_dirty", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    # "e": (a, b) = (name, label); "p": a co-occurrence pair; "s": a = speaker; "q": (a, b) =
    # (outlet, speaker); "o": (a, b, c) = (outlet, name, label); "t": a = outlet (its totals)
    Column("kind", Text, nullable=False),
    Column("a", Text, nullable=False), Column("b", Text, nullable=False),
    Column("c", Text, nullable=False, server_default=text("''")),
)  # fmt: skip

# Per-outlet and per-speaker aggregates (migration 0008), so the corpus-wide views of the Quotes
# and Coverage pages read a few rows instead of every quote or entity row of the corpus.
corpus_speakers = Table(  # every quote with a speaker, as the corpus speaker filter counts them
    "corpus_speakers", metadata,
    Column("speaker", Text, primary_key=True), Column("quotes", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    Index("corpus_speakers_quotes", text("quotes DESC"), "speaker"), **_NOROWID,
)  # fmt: skip

corpus_outlet_speakers = Table(  # statements (not negated) at the floors in aggregate_settings
    "corpus_outlet_speakers", metadata,
    Column("outlet", Text, nullable=False), Column("speaker", Text, nullable=False),
    Column("role", Text, nullable=False), Column("speaker_label", Text, nullable=False),
    Column("quotes", Integer, nullable=False), Column("articles", Integer, nullable=False),
    PrimaryKeyConstraint("outlet", "speaker", "role"),
    Index("corpus_outlet_speakers_quotes", text("quotes DESC"), "speaker", "outlet"), **_NOROWID,
)  # fmt: skip

corpus_outlet_entities = Table(
    "corpus_outlet_entities", metadata,
    Column("outlet", Text, nullable=False), Column("name", Text, nullable=False),
    Column("label", Text, nullable=False), Column("mentions", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    PrimaryKeyConstraint("outlet", "name", "label"), Index("corpus_outlet_entities_name", "name", "label"),
    **_NOROWID,
)  # fmt: skip

corpus_outlets = Table(  # each outlet's entity mentions, and its articles naming any entity
    "corpus_outlets", metadata,
    Column("outlet", Text, primary_key=True), Column("mentions", Integer, nullable=False),
    Column("articles", Integer, nullable=False), **_NOROWID,
)  # fmt: skip

# What an aggregate was computed with (the quote confidence floors, as JSON).
aggregate_settings = Table(
    "aggregate_settings", metadata, Column("key", Text, primary_key=True), Column("value", Text, nullable=False),
    **_NOROWID,
)  # fmt: skip

store_meta = Table(
    "store_meta", metadata, Column("key", Text, primary_key=True), Column("value", Integer, nullable=False),
    **_NOROWID,
)  # fmt: skip

TABLES = (
    "articles", "headlines", "paragraphs", "sentences", "entities", "mentions", "quotes",
    "cooccurrence", "corpus_entities", "corpus_cooccurrence", "article_terms", "story_members",
    "ingested_files", "originals", "aliases", "deleted_articles",
)  # fmt: skip
# Tables holding one article's rows (deleted with it); corpus_* are aggregates over them.
ARTICLE_TABLES = ("headlines", "paragraphs", "sentences", "entities", "mentions", "quotes",
                  "cooccurrence", "article_terms", "story_members", "originals", "reanalysis_queue")  # fmt: skip

# The full-text index of the articles (migration 0007), over these columns of ``articles``:
# on SQLite an FTS5 table reading its text from ``articles`` (external content, keyed on its
# rowid, kept by triggers); on PostgreSQL a GIN index on this expression, which queries repeat
# word for word so the planner uses it. Both stem English words (Porter; 'english').
SEARCH_TABLE = "articles_fts"
SEARCH_COLUMNS = ("title", "source", "outlet", "body")
SEARCH_CONFIG_PG = "english"
SEARCH_DOCUMENT_PG = f"to_tsvector('{SEARCH_CONFIG_PG}', " + " || ' ' || ".join(SEARCH_COLUMNS) + ")"
