"""The tables of the first store (v0.1): articles and what each one holds, corpus aggregates,
ingested files. A store made before Alembic already has them, and keeps them as they are.

Revision ID: 0001
"""

from analysis.store.migrations.helpers import create_missing_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ["articles", "headlines", "paragraphs", "sentences", "entities", "mentions", "quotes",
          "cooccurrence", "corpus_entities", "corpus_cooccurrence", "article_terms", "ingested_files"]  # fmt: skip


def upgrade() -> None:
    create_missing_tables(TABLES)
