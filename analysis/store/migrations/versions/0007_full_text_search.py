"""Full-text search of the articles: an FTS5 table on SQLite, a GIN index on PostgreSQL
(``schema.SEARCH_*``), filled from the articles already stored.

On SQLite the FTS5 table reads its text from ``articles`` (external content, no second copy of
the bodies) and triggers keep it in step with every insert, delete and update of an article, so
saving, deleting and re-analysing need no code of their own. PostgreSQL's expression index is
kept by the database itself. The FTS5 table is keyed on the articles' rowids: a later migration
that rebuilds ``articles`` (a batch "move and copy") must end with
``INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')``.

Revision ID: 0007
Revises: 0005 (0006, the scale work's, is not on main yet: whichever lands second rechains)
"""

from alembic import op

from analysis.store.schema import SEARCH_COLUMNS, SEARCH_DOCUMENT_PG, SEARCH_TABLE

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS = ", ".join(SEARCH_COLUMNS)
_NEW = ", ".join(f"new.{c}" for c in SEARCH_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in SEARCH_COLUMNS)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX IF NOT EXISTS articles_search ON articles USING GIN ({SEARCH_DOCUMENT_PG})")
        return
    op.execute(
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5({_COLUMNS}, content='articles',
            content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2')"""
    )
    op.execute(
        f"""CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_insert AFTER INSERT ON articles BEGIN
              INSERT INTO {SEARCH_TABLE} (rowid, {_COLUMNS}) VALUES (new.rowid, {_NEW});
            END"""
    )
    op.execute(
        f"""CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_delete AFTER DELETE ON articles BEGIN
              INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, {_COLUMNS}) VALUES ('delete', old.rowid, {_OLD});
            END"""
    )
    op.execute(
        f"""CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_update AFTER UPDATE OF {_COLUMNS} ON articles BEGIN
              INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, {_COLUMNS}) VALUES ('delete', old.rowid, {_OLD});
              INSERT INTO {SEARCH_TABLE} (rowid, {_COLUMNS}) VALUES (new.rowid, {_NEW});
            END"""
    )
    op.execute(f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('rebuild')")  # the articles already stored


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS articles_search")
        return
    for suffix in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
