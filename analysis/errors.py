"""Every error message the engine shows a user, in one place.

`InputError` is the one exception for bad input: the CLI prints its message as one line on
stderr and exits 2; the dashboard shows it with ``st.error``. It is a ``ValueError``.
"""

from __future__ import annotations

__all__ = ["InputError", "Messages", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 1_000_000  # 1 MB of text; override with NEWSLENS_MAX_BYTES


class InputError(ValueError):
    """Input that cannot become an article. The message says what is wrong and what to do."""


class Messages:
    EMPTY = "{name}: the text is empty (nothing but whitespace); paste or upload an article with text."
    BINARY = "{name}: this looks like a binary file ({kind}), not text; upload .txt, .md or .html."
    TOO_LARGE = "{name}: {size:,} bytes is over the limit of {limit:,} bytes; split it into smaller articles."
    UNREADABLE = "{name}: cannot read the file ({reason})."
    NO_BODY = "{name}: no article text is left after removing markup and boilerplate."
    BAD_BATCH_ROW = "{name}, line {line}: {reason}; this row is skipped, the other rows are read."
    BAD_BATCH = "{name}: cannot read the batch ({reason})."
    BAD_DATABASE = "{path}: not a usable database ({reason}); set NEWSLENS_DB to a new or existing .sqlite file or a reachable PostgreSQL URL."
    BAD_DATABASE_URL = "NEWSLENS_DB={url!r}: give a SQLite file path, sqlite:///path or postgresql+psycopg://user@host:port/db."
