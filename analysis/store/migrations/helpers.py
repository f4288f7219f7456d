"""What the migrations share: they must also upgrade stores made before Alembic (by the
hand-written column patches of earlier versions), so each step adds only what is missing."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from analysis.store.schema import metadata


def columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def tables() -> set[str]:
    return set(sa.inspect(op.get_bind()).get_table_names())


def add_missing_columns(table: str, names: list[str]) -> list[str]:
    """Add the named columns of ``schema.metadata``'s ``table`` that the store lacks; returns
    the ones added."""
    have = columns(table)
    added = [n for n in names if n not in have]
    if added:
        with op.batch_alter_table(table) as batch:
            for name in added:
                column = metadata.tables[table].c[name]
                batch.add_column(sa.Column(name, column.type, nullable=column.nullable,
                                           server_default=column.server_default))  # fmt: skip
    return added


def create_missing_tables(names: list[str]) -> None:
    bind = op.get_bind()
    for name in names:
        metadata.tables[name].create(bind, checkfirst=True)
