"""Writing one article's rows, and removing them: the per-article tables of the store.

Every function here runs inside a write transaction (``Conn``) and returns the corpus keys it
touched (``Touched``), which ``aggregates`` recomputes later from what was committed.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from analysis.engine import engine_key
from analysis.model import AnalysedArticle, article_id
from analysis.outlets import outlet_name
from analysis.store.aggregates import Touched, touched_by
from analysis.store.db import Conn
from analysis.store.schema import ARTICLE_TABLES

__all__ = ["Touched", "insert_article", "remove_article", "exists", "resolve", "added_at", "alias",
           "legacy_match", "ARTICLE_COLUMNS", "QUOTE_COLUMNS"]  # fmt: skip

ARTICLE_TERMS = 25  # keywords kept per article for "related articles"
_WORD = re.compile(r"[^\W\d_]+")
# the articles table's columns in the order ``insert_article`` writes them (named: columns added
# by migrations sit at the end of older tables)
ARTICLE_COLUMNS = (
    "id", "title", "source", "url", "published", "section", "byline", "added_at", "format",
    "language", "words", "n_sentences", "n_quotes", "n_entities", "polarity", "subjectivity",
    "vader", "tone", "body", "metadata_json", "removed_json", "notices_json",
    "headline_similarity_json", "tone_model", "outlet", "engine_json",
)  # fmt: skip
QUOTE_COLUMNS = (
    "article_id", "idx", "text", "speaker", "speaker_text", "speaker_label", "cue", "kind", "start",
    '"end"', "paragraph", "sentence", "polarity", "subjectivity", "vader", "tone", "confidence",
    "rule", "speaker_rule", "negated", "role",
)  # fmt: skip


def _marks(values) -> str:
    return ",".join("?" * len(values))


def exists(con: Conn, article_id: str) -> bool:
    return con.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None


def resolve(con: Conn, article_id: str) -> str:
    """The current id of ``article_id`` (itself unless it is an alias)."""
    row = con.execute("SELECT article_id FROM aliases WHERE old_id=?", (article_id,)).fetchone()
    return row[0] if row else article_id


def added_at(con: Conn, article_id: str) -> float | None:
    row = con.execute("SELECT added_at FROM articles WHERE id=?", (article_id,)).fetchone()
    return row[0] if row else None


def alias(con: Conn, old_id: str, new_id: str) -> None:
    """``old_id`` now names ``new_id``, and so does every alias that named ``old_id``."""
    if old_id == new_id:
        return
    con.execute("UPDATE aliases SET article_id=? WHERE article_id=?", (new_id, old_id))
    con.execute(
        "INSERT INTO aliases (old_id, article_id) VALUES (?,?) ON CONFLICT (old_id) DO UPDATE SET article_id = excluded.article_id",
        (old_id, new_id),
    )
    con.execute("DELETE FROM aliases WHERE old_id=?", (new_id,))
    con.execute("UPDATE ingested_files SET article_id=? WHERE article_id=?", (new_id, old_id))


def legacy_match(con: Conn, a: AnalysedArticle) -> str | None:
    """The article an older store kept under this article's cleaned-content id, when it has no
    original (so re-adding the same text after an upgrade does not store it twice)."""
    legacy = resolve(con, article_id(a.cleaned.title, a.cleaned.paragraphs))
    if legacy == a.id or not exists(con, legacy):
        return None
    kept = con.execute("SELECT kept FROM originals WHERE article_id=?", (legacy,)).fetchone()
    return legacy if kept is None or not kept[0] else None


def remove_article(con: Conn, article_id: str) -> Touched:
    """Delete one article's rows; returns the aggregate keys to recompute."""
    row = con.execute("SELECT COALESCE(outlet, '') FROM articles WHERE id=?", (article_id,)).fetchone()
    touched = touched_by(
        row[0] if row else "",
        [tuple(r) for r in con.execute("SELECT name, label FROM entities WHERE article_id=?", (article_id,))],
        [tuple(r) for r in con.execute("SELECT a, b FROM cooccurrence WHERE article_id=?", (article_id,))],
        [r[0] for r in con.execute("SELECT DISTINCT speaker FROM quotes WHERE article_id=?", (article_id,))],
    )
    for table in ARTICLE_TABLES:
        con.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
    con.execute("DELETE FROM articles WHERE id=?", (article_id,))
    return touched


def insert_article(con: Conn, a: AnalysedArticle, *, added_at: float) -> Touched:
    """Write one article's rows (and its original input); returns the aggregate keys to refresh."""
    c = a.cleaned
    words = sum(len(p.split()) for p in c.paragraphs)
    outlet = outlet_name(a.source, a.url, c.metadata)
    con.execute(
        f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({_marks(ARTICLE_COLUMNS)})",
        (
            a.id, c.title, a.source, a.url, a.published, c.metadata.get("section", ""),
            c.metadata.get("byline", ""), added_at, c.format, a.language, words,
            len(a.sentences), len(a.quotes), len(a.entities), *_tone(a.tone), c.body,
            json.dumps(c.metadata), json.dumps([{"text": r.text, "reason": r.reason} for r in c.removed]),
            json.dumps(a.notices), json.dumps(a.headline_similarity), a.tone_model, outlet, engine_key(a.engine),
        ),
    )  # fmt: skip
    con.execute("DELETE FROM deleted_articles WHERE id=?", (a.id,))
    if a.original is not None:
        o = a.original
        con.execute(
            """INSERT INTO originals (article_id, text, format, choices_json, title, source, url, published, kept)
               VALUES (?,?,?,?,?,?,?,?,?)""",
            (a.id, o.text, o.format, json.dumps(o.choices.as_dict()), o.title, o.source, o.url, o.published,
             int(o.kept)),
        )  # fmt: skip
        for old in o.aliases:
            if old and old != a.id and not exists(con, old):
                alias(con, old, a.id)
    con.executemany(
        """INSERT INTO headlines (article_id, idx, role, text, words, chars, polarity, subjectivity, vader,
           tone, entities_json, framing_verbs_json, body_similarity, novel_words_json)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        [
            (a.id, i, h.role, h.text, h.words, h.chars, *_tone(h.tone), json.dumps(h.entities),
             json.dumps(h.framing_verbs), h.body_similarity, json.dumps(h.novel_words))
            for i, h in enumerate(a.headlines)
        ],
    )  # fmt: skip
    con.executemany(
        """INSERT INTO paragraphs (article_id, idx, start, "end", text, polarity, subjectivity, vader, tone)
           VALUES (?,?,?,?,?,?,?,?,?)""",
        [(a.id, p.index, p.start, p.end, p.text, *_tone(p.tone)) for p in a.paragraphs],
    )
    con.executemany(
        """INSERT INTO sentences (article_id, idx, paragraph, start, "end", text, polarity, subjectivity,
           vader, tone, voice) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
        [(a.id, s.index, s.paragraph, s.start, s.end, s.text, *_tone(s.tone), s.voice) for s in a.sentences],
    )
    con.executemany(
        """INSERT INTO mentions (article_id, entity, label, text, sentence, start, "end", demonym,
           target_tone, target_label) VALUES (?,?,?,?,?,?,?,?,?,?)""",
        [
            (a.id, m.entity, m.label, m.text, m.sentence, m.start, m.end, int(m.demonym),
             m.target_tone, m.target_label)
            for m in a.mentions
        ],
    )  # fmt: skip
    con.executemany(
        f"INSERT INTO quotes ({', '.join(QUOTE_COLUMNS)}) VALUES ({', '.join('?' * len(QUOTE_COLUMNS))})",
        [
            (a.id, i, q.text, q.speaker, q.speaker_text, q.speaker_label, q.cue, q.kind, q.start,
             q.end, q.paragraph, q.sentence, *_tone(q.tone), q.confidence, q.rule, q.speaker_rule,
             int(q.negated), q.role)
            for i, q in enumerate(a.quotes)
        ],
    )  # fmt: skip
    stats = _entity_stats(a)
    con.executemany(
        """INSERT INTO entities (article_id, name, label, count, demonym_count, aliases_json, target_tone,
               polarity, subjectivity, tone_sum, tone_n) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
        [
            (a.id, e.name, e.label, e.count, e.demonym_count, json.dumps(e.aliases), st.target_tone,
             st.polarity, st.subjectivity, st.tone_sum, st.tone_n)
            for e, st in zip(a.entities, stats, strict=True)
        ],
    )  # fmt: skip
    pairs = _cooccurrence(a)
    con.executemany("INSERT INTO cooccurrence (article_id, a, b, count) VALUES (?,?,?,?)", [(a.id, x, y, n) for (x, y), n in pairs.items()])
    con.executemany("INSERT INTO article_terms (term, article_id, weight) VALUES (?,?,?)", [(t, a.id, w) for t, w in _keywords(a)])
    return touched_by(outlet, [(e.name, e.label) for e in a.entities], pairs, [q.speaker for q in a.quotes])


def _tone(t) -> tuple:
    return (t.polarity, t.subjectivity, t.vader, t.tone) if t else (None, None, None, None)


@dataclass(frozen=True, slots=True)
class _EntityStats:
    """Per entity of one article: the tone toward it (sum, count and mean over its mentions) and
    the mean TextBlob polarity and subjectivity of the sentences that mention it."""

    tone_sum: float
    tone_n: int
    target_tone: float | None
    polarity: float | None
    subjectivity: float | None


def _entity_stats(a: AnalysedArticle) -> list[_EntityStats]:
    """``_EntityStats`` for each of ``a.entities``, in order, in one pass over the mentions."""
    sentence_tone = {s.index: s.tone for s in a.sentences}
    by_entity: dict[str, list] = {}
    for m in a.mentions:
        by_entity.setdefault(m.entity, []).append(m)
    stats = []
    for e in a.entities:
        mentions = by_entity.get(e.name, [])
        targets = [m.target_tone for m in mentions if m.target_tone is not None]
        tones = [sentence_tone[m.sentence] for m in mentions if m.sentence in sentence_tone]
        stats.append(
            _EntityStats(
                tone_sum=sum(targets),
                tone_n=len(targets),
                target_tone=sum(targets) / len(targets) if targets else None,
                polarity=sum(t.polarity for t in tones) / len(tones) if tones else None,
                subjectivity=sum(t.subjectivity for t in tones) / len(tones) if tones else None,
            )
        )
    return stats


def _cooccurrence(a: AnalysedArticle) -> Counter:
    """Pairs of distinct entities named in the same sentence, (a, b) with a < b."""
    by_sentence: dict[int, set[str]] = {}
    for m in a.mentions:
        by_sentence.setdefault(m.sentence, set()).add(m.entity)
    pairs: Counter = Counter()
    for names in by_sentence.values():
        pairs.update(combinations(sorted(names), 2))
    return pairs


def _keywords(a: AnalysedArticle) -> list[tuple[str, float]]:
    """The article's top terms, L2-normalised, for "related articles": its entities weighted by
    mentions, and the content words of its headlines (what a story is about)."""
    from spacy.lang.en.stop_words import STOP_WORDS  # here, not at import: it loads all of spaCy

    weights: Counter = Counter()
    for e in a.entities:
        weights[e.name.lower()] += e.count
    for h in a.headlines:
        for word in _WORD.findall(h.text.lower()):
            if word not in STOP_WORDS and len(word) > 2:
                weights[word] += 1.0
    top = weights.most_common(ARTICLE_TERMS)
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return [(t, w / norm) for t, w in top]
