"""Corpus-wide aggregates (entity counts, co-occurrence) kept by a single writer.

Writers never touch them: each write transaction appends the keys it touched to
``corpus_dirty`` (no unique key, so concurrent writers never wait on one another there, and a
hot entity such as "United States" is no hot row). ``refresh_pending`` then takes those keys and
recomputes their rows from the per-article rows that were committed; refreshers run one at a
time (SQLite's write lock; a PostgreSQL advisory lock), and each one first empties the list
atomically (``DELETE … RETURNING``), so a key noted after it started waits for the next. The
result depends only on which articles are stored, never on the order they were written in.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from analysis.store.db import Conn

__all__ = ["Touched", "note_dirty", "refresh_pending", "all_keys", "CORPUS_ALIASES"]

CORPUS_ALIASES = 50  # surface forms kept per corpus entity (most frequent first)
REFRESH_LOCK = 7_204_418  # PostgreSQL advisory lock: one refresher at a time


@dataclass(slots=True)
class Touched:
    """Keys of the corpus aggregates a write touched: (name, label) entities, (a, b) pairs."""

    entities: set = field(default_factory=set)
    pairs: set = field(default_factory=set)

    def __ior__(self, other: Touched) -> Touched:
        self.entities |= set(other.entities)
        self.pairs |= set(other.pairs)
        return self


def note_dirty(con: Conn, touched: Touched) -> None:
    """Inside a writer's transaction: these keys need recomputing once it has committed."""
    con.executemany(
        "INSERT INTO corpus_dirty (kind, a, b) VALUES (?,?,?)",
        [("e", n, lab) for n, lab in sorted(touched.entities)] + [("p", a, b) for a, b in sorted(touched.pairs)],
    )


def all_keys(con: Conn) -> Touched:
    """Every key of the per-article rows and of the aggregates (for a full recount)."""
    return Touched(
        {tuple(r) for r in con.execute("SELECT DISTINCT name, label FROM entities")}
        | {tuple(r) for r in con.execute("SELECT name, label FROM corpus_entities")},
        {tuple(r) for r in con.execute("SELECT DISTINCT a, b FROM cooccurrence")}
        | {tuple(r) for r in con.execute("SELECT a, b FROM corpus_cooccurrence")},
    )


def refresh_pending(con: Conn, extra: Touched | None = None) -> int:
    """Recompute the aggregate rows of every key noted so far (and ``extra``); returns how many."""
    if con.postgres:
        con.execute(f"SELECT pg_advisory_xact_lock({REFRESH_LOCK})")
    touched = Touched()
    for kind, a, b in con.execute("DELETE FROM corpus_dirty RETURNING kind, a, b").fetchall():
        (touched.entities if kind == "e" else touched.pairs).add((a, b))
    if extra:
        touched |= extra
    _refresh_entities(con, sorted(touched.entities))
    _refresh_pairs(con, sorted(touched.pairs))
    return len(touched.entities) + len(touched.pairs)


def _refresh_entities(con: Conn, keys: Iterable[tuple[str, str]]) -> None:
    for name, label in keys:
        row = con.execute(
            """SELECT SUM(count), COUNT(*), SUM(demonym_count), SUM(tone_sum), SUM(tone_n),
                      SUM(COALESCE(polarity, 0) * count)
               FROM entities WHERE name=? AND label=?""",
            (name, label),
        ).fetchone()
        con.execute("DELETE FROM corpus_entities WHERE name=? AND label=?", (name, label))
        if not row or not row[1]:
            continue
        forms: Counter = Counter()
        for (aliases,) in con.execute("SELECT aliases_json FROM entities WHERE name=? AND label=?", (name, label)):
            forms.update(set(json.loads(aliases or "[]")))
        top = sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[:CORPUS_ALIASES]
        con.execute(
            """INSERT INTO corpus_entities (name, label, count, articles, demonym_count, tone_sum, tone_n,
                                            polarity_sum, aliases_json) VALUES (?,?,?,?,?,?,?,?,?)""",
            (name, label, int(row[0]), int(row[1]), int(row[2]), float(row[3] or 0.0), int(row[4] or 0),
             float(row[5] or 0.0), json.dumps([form for form, _ in top])),
        )  # fmt: skip


def _refresh_pairs(con: Conn, pairs: Iterable[tuple[str, str]]) -> None:
    for a, b in pairs:
        total = con.execute("SELECT SUM(count) FROM cooccurrence WHERE a=? AND b=?", (a, b)).fetchone()[0]
        con.execute("DELETE FROM corpus_cooccurrence WHERE a=? AND b=?", (a, b))
        if total:
            con.execute("INSERT INTO corpus_cooccurrence (a, b, count) VALUES (?,?,?)", (a, b, int(total)))
