"""Originals, ids that last, re-analysis and delete (issue 17), and single-writer aggregates:
tables originals, aliases, deleted_articles, reanalysis_queue, corpus_dirty, store_meta;
articles.engine_json; entities.tone_sum/tone_n (filled from the stored mentions); the store's
revision (a sequence on PostgreSQL).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from analysis.store.migrations.helpers import add_missing_columns, create_missing_tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BACKFILL_ENTITY_TONE = """
UPDATE entities SET
    tone_sum = COALESCE((SELECT SUM(m.target_tone) FROM mentions m
                         WHERE m.article_id = entities.article_id AND m.entity = entities.name), 0),
    tone_n = (SELECT COUNT(m.target_tone) FROM mentions m
              WHERE m.article_id = entities.article_id AND m.entity = entities.name)"""


def upgrade() -> None:
    bind = op.get_bind()
    add_missing_columns("articles", ["engine_json"])
    if add_missing_columns("entities", ["tone_sum", "tone_n"]):
        bind.execute(sa.text(BACKFILL_ENTITY_TONE))
    create_missing_tables(["originals", "aliases", "deleted_articles", "reanalysis_queue", "corpus_dirty",
                           "store_meta"])  # fmt: skip
    if "cooccurrence_pair" not in {i["name"] for i in sa.inspect(bind).get_indexes("cooccurrence")}:
        op.create_index("cooccurrence_pair", "cooccurrence", ["a", "b"])
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("CREATE SEQUENCE IF NOT EXISTS store_revision"))
    else:
        bind.execute(sa.text("INSERT INTO store_meta (key, value) VALUES ('revision', 0) ON CONFLICT DO NOTHING"))
