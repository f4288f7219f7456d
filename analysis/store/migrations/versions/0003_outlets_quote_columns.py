"""A normalised outlet per article (filled in for stored rows), and the quote columns of the
quotes work: confidence, rule, speaker_rule, negated, role.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

from analysis.store.migrations.helpers import add_missing_columns

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from analysis.outlets import outlet_name

    if add_missing_columns("articles", ["outlet"]):
        bind = op.get_bind()
        rows = bind.execute(sa.text("SELECT id, source, url, metadata_json FROM articles")).fetchall()
        for article_id, source, url, meta in rows:
            bind.execute(
                sa.text("UPDATE articles SET outlet = :o WHERE id = :i"),
                {"o": outlet_name(source, url, json.loads(meta or "{}")), "i": article_id},
            )
    add_missing_columns("quotes", ["confidence", "rule", "speaker_rule", "negated", "role"])
    if "articles_outlet" not in {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("articles")}:
        op.create_index("articles_outlet", "articles", ["outlet", "published"])
