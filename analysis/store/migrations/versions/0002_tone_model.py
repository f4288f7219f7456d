"""Which targeted-tone model scored each article (articles.tone_model; older rows read '').

Revision ID: 0002
Revises: 0001
"""

from analysis.store.migrations.helpers import add_missing_columns

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_missing_columns("articles", ["tone_model"])
