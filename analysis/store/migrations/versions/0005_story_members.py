"""Stories: which story each article belongs to (story_members).

Revision ID: 0005
Revises: 0004
"""

from analysis.store.migrations.helpers import create_missing_tables

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_missing_tables(["story_members"])
