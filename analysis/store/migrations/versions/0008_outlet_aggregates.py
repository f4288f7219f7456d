"""Corpus aggregates by speaker and by outlet, so the corpus-wide Quotes and Coverage views read
a few rows at any corpus size: corpus_speakers, corpus_outlet_speakers, corpus_outlet_entities,
corpus_outlets, aggregate_settings; corpus_dirty.c (a third key part); the index
articles_published (corpus quotes newest first). The new tables are counted from the rows
already stored; who each outlet quotes is counted by the first refresh (it needs the quote
classifier's floors).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from analysis.store.aggregates import rebuild_counts
from analysis.store.db import Conn
from analysis.store.migrations.helpers import add_missing_columns, create_missing_tables

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TABLES = ["corpus_speakers", "corpus_outlet_speakers", "corpus_outlet_entities", "corpus_outlets", "aggregate_settings"]


def upgrade() -> None:
    bind = op.get_bind()
    add_missing_columns("corpus_dirty", ["c"])
    create_missing_tables(_TABLES)
    if "articles_published" not in {i["name"] for i in sa.inspect(bind).get_indexes("articles")}:
        op.create_index("articles_published", "articles", ["published", "added_at", "id"])
    rebuild_counts(Conn(bind))
