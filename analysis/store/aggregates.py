"""Corpus-wide aggregates (entity counts, co-occurrence; speakers, and entities and speakers
per outlet) kept by a single writer.

Writers never touch them: each write transaction appends the keys it touched to
``corpus_dirty`` (no unique key, so concurrent writers never wait on one another there, and a
hot entity such as "United States" is no hot row). ``refresh_pending`` then takes those keys and
recomputes their rows from the per-article rows that were committed; refreshers run one at a
time (SQLite's write lock; a PostgreSQL advisory lock), and each one first empties the list
atomically (``DELETE … RETURNING``), so a key noted after it started waits for the next. The
result depends only on which articles are stored, never on the order they were written in.

Who each outlet quotes counts statements (not negated) at the quote classifier's confidence
floors; the floors it was counted with are kept in ``aggregate_settings``, and when the
classifier's floors change the refresher counts that table again in full.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from analysis.store.db import Conn

__all__ = ["Touched", "note_dirty", "refresh_pending", "all_keys", "rebuild", "confidence_clause", "quote_floors",
           "counted_floors", "CORPUS_ALIASES"]

CORPUS_ALIASES = 50  # surface forms kept per corpus entity (most frequent first)
REFRESH_LOCK = 7_204_418  # PostgreSQL advisory lock: one refresher at a time


@dataclass(slots=True)
class Touched:
    """Keys of the corpus aggregates a write touched: (name, label) entities, (a, b) pairs,
    speakers, (outlet, speaker) pairs and (outlet, name, label) entities of an outlet."""

    entities: set = field(default_factory=set)
    pairs: set = field(default_factory=set)
    speakers: set = field(default_factory=set)
    outlet_speakers: set = field(default_factory=set)
    outlet_entities: set = field(default_factory=set)

    def __ior__(self, other: Touched) -> Touched:
        self.entities |= set(other.entities)
        self.pairs |= set(other.pairs)
        self.speakers |= set(other.speakers)
        self.outlet_speakers |= set(other.outlet_speakers)
        self.outlet_entities |= set(other.outlet_entities)
        return self

    def __len__(self) -> int:
        return sum(len(keys) for keys in (self.entities, self.pairs, self.speakers, self.outlet_speakers,
                                          self.outlet_entities))  # fmt: skip


def touched_by(outlet: str, entities: Iterable[tuple[str, str]], pairs: Iterable[tuple[str, str]],
               speakers: Iterable[str]) -> Touched:  # fmt: skip
    """The keys one article's rows feed: its entities and pairs, and its speakers and entities
    under its outlet."""
    entities, speakers = set(entities), {s for s in speakers if s}
    return Touched(
        entities, set(pairs), speakers, {(outlet, s) for s in speakers}, {(outlet, n, lab) for n, lab in entities}
    )


def note_dirty(con: Conn, touched: Touched) -> None:
    """Inside a writer's transaction: these keys need recomputing once it has committed."""
    con.executemany(
        "INSERT INTO corpus_dirty (kind, a, b, c) VALUES (?,?,?,?)",
        [("e", n, lab, "") for n, lab in sorted(touched.entities)]
        + [("p", a, b, "") for a, b in sorted(touched.pairs)]
        + [("s", s, "", "") for s in sorted(touched.speakers)]
        + [("q", o, s, "") for o, s in sorted(touched.outlet_speakers)]
        + [("o", o, n, lab) for o, n, lab in sorted(touched.outlet_entities)],
    )


def quote_floors() -> dict[str, float]:
    """The confidence floors the dashboard shows quotes at by default (the quote classifier's)."""
    from analysis.quotes.classifier import shown_confidences  # the classifier's file, read once

    return shown_confidences()


def counted_floors(con: Conn) -> dict[str, float] | None:
    """The floors ``corpus_outlet_speakers`` was counted with (None before it ever was)."""
    row = con.execute("SELECT value FROM aggregate_settings WHERE key='quote_floors'").fetchone()
    return json.loads(row[0]) if row else None


def confidence_clause(min_confidence: float | Mapping[str, float]) -> tuple[str, list]:
    """Quotes (``q``) at or above a confidence floor: one for all, or one per quote kind."""
    if isinstance(min_confidence, Mapping):
        if not min_confidence:
            return "1=1", []
        floors = " OR ".join("(q.kind = ? AND q.confidence >= ?)" for _ in min_confidence)
        params = [v for kind, floor in min_confidence.items() for v in (kind, floor)] + list(min_confidence)
        marks = ",".join("?" * len(min_confidence))
        return f"({floors} OR q.kind NOT IN ({marks}))", params
    if min_confidence > 0:
        return "q.confidence >= ?", [min_confidence]
    return "1=1", []


def all_keys(con: Conn) -> Touched:
    """Every entity and pair key of the per-article rows and of the aggregates (for a full
    recount; the per-outlet and speaker tables are recounted in bulk by ``rebuild``)."""
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
    for kind, a, b, c in con.execute("DELETE FROM corpus_dirty RETURNING kind, a, b, c").fetchall():
        if kind == "e":
            touched.entities.add((a, b))
        elif kind == "p":
            touched.pairs.add((a, b))
        elif kind == "s":
            touched.speakers.add(a)
        elif kind == "q":
            touched.outlet_speakers.add((a, b))
        elif kind == "o":
            touched.outlet_entities.add((a, b, c))
    if extra:
        touched |= extra
    _refresh_entities(con, sorted(touched.entities))
    _refresh_pairs(con, sorted(touched.pairs))
    _refresh_speakers(con, sorted(touched.speakers))
    _refresh_outlet_entities(con, sorted(touched.outlet_entities))
    floors = quote_floors()
    if counted_floors(con) != floors:
        _rebuild_outlet_speakers(con, floors)
    else:
        _refresh_outlet_speakers(con, sorted(touched.outlet_speakers), floors)
    return len(touched)


def rebuild(con: Conn) -> None:
    """Count the speaker and per-outlet tables again from every stored row, in bulk."""
    rebuild_counts(con)
    _rebuild_outlet_speakers(con, quote_floors())


def rebuild_counts(con: Conn) -> None:
    """``rebuild`` but for who each outlet quotes (which needs the classifier's floors)."""
    con.execute("DELETE FROM corpus_speakers")
    con.execute(
        """INSERT INTO corpus_speakers (speaker, quotes, articles)
           SELECT speaker, COUNT(*), COUNT(DISTINCT article_id) FROM quotes WHERE speaker != '' GROUP BY speaker"""
    )
    con.execute("DELETE FROM corpus_outlet_entities")
    con.execute(
        f"""INSERT INTO corpus_outlet_entities (outlet, name, label, mentions, articles)
            SELECT {_OUTLET}, e.name, e.label, SUM(e.count), COUNT(*) FROM entities e JOIN articles a ON a.id = e.article_id
            GROUP BY {_OUTLET}, e.name, e.label"""
    )
    con.execute("DELETE FROM corpus_outlets")
    con.execute(f"""INSERT INTO corpus_outlets (outlet, mentions, articles) {_OUTLET_TOTALS} GROUP BY o.outlet""")


_OUTLET = "COALESCE(a.outlet, '')"
_OUTLET_TOTALS = """SELECT o.outlet, SUM(o.mentions),
                           (SELECT COUNT(*) FROM articles a WHERE COALESCE(a.outlet, '') = o.outlet AND a.n_entities > 0)
                    FROM corpus_outlet_entities o"""
_OUTLET_SPEAKERS = f"""SELECT {_OUTLET}, q.speaker, COALESCE(q.role, ''), MAX(COALESCE(q.speaker_label, '')),
                              COUNT(*), COUNT(DISTINCT q.article_id)
                       FROM quotes q JOIN articles a ON a.id = q.article_id
                       WHERE q.negated = 0 AND q.speaker != '' AND {{where}} AND {{floors}}
                       GROUP BY {_OUTLET}, q.speaker, COALESCE(q.role, '')"""


def _refresh_speakers(con: Conn, speakers: Iterable[str]) -> None:
    for speaker in speakers:
        n, articles = con.execute(
            "SELECT COUNT(*), COUNT(DISTINCT article_id) FROM quotes WHERE speaker=?", (speaker,)
        ).fetchone()
        con.execute("DELETE FROM corpus_speakers WHERE speaker=?", (speaker,))
        if n:
            con.execute("INSERT INTO corpus_speakers (speaker, quotes, articles) VALUES (?,?,?)", (speaker, n, articles))


def _refresh_outlet_entities(con: Conn, keys: Iterable[tuple[str, str, str]]) -> None:
    outlets = set()
    for outlet, name, label in keys:
        outlets.add(outlet)
        con.execute("DELETE FROM corpus_outlet_entities WHERE outlet=? AND name=? AND label=?", (outlet, name, label))
        con.execute(
            f"""INSERT INTO corpus_outlet_entities (outlet, name, label, mentions, articles)
                SELECT {_OUTLET}, e.name, e.label, SUM(e.count), COUNT(*) FROM entities e JOIN articles a ON a.id = e.article_id
                WHERE e.name=? AND e.label=? AND {_OUTLET}=? GROUP BY {_OUTLET}, e.name, e.label""",
            (name, label, outlet),
        )
    for outlet in sorted(outlets):
        con.execute("DELETE FROM corpus_outlets WHERE outlet=?", (outlet,))
        con.execute(
            f"INSERT INTO corpus_outlets (outlet, mentions, articles) {_OUTLET_TOTALS} WHERE o.outlet=? GROUP BY o.outlet",
            (outlet,),
        )


def _refresh_outlet_speakers(con: Conn, keys: Iterable[tuple[str, str]], floors: Mapping[str, float]) -> None:
    floor_sql, floor_params = confidence_clause(floors)
    for outlet, speaker in keys:
        con.execute("DELETE FROM corpus_outlet_speakers WHERE outlet=? AND speaker=?", (outlet, speaker))
        con.execute(
            "INSERT INTO corpus_outlet_speakers (outlet, speaker, role, speaker_label, quotes, articles) "
            + _OUTLET_SPEAKERS.format(where=f"q.speaker=? AND {_OUTLET}=?", floors=floor_sql),
            (speaker, outlet, *floor_params),
        )


def _rebuild_outlet_speakers(con: Conn, floors: Mapping[str, float]) -> None:
    floor_sql, floor_params = confidence_clause(floors)
    con.execute("DELETE FROM corpus_outlet_speakers")
    con.execute(
        "INSERT INTO corpus_outlet_speakers (outlet, speaker, role, speaker_label, quotes, articles) "
        + _OUTLET_SPEAKERS.format(where="1=1", floors=floor_sql),
        floor_params,
    )
    con.execute(
        """INSERT INTO aggregate_settings (key, value) VALUES ('quote_floors', ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
        (json.dumps(dict(floors), sort_keys=True),),
    )


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
