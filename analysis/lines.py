"""The lines of a pasted page and what each one looks like: the features the line model reads.

A browser's copy of a page (``innerText``) puts every block on its own line and a blank line
around paragraphs; menus, share buttons and teasers come as runs of short lines. The features
are about *shape*, not vocabulary, so they carry across languages: length, words, sentence
punctuation, capitalisation, digits, link-like text, blank lines around the line, the size of the
blank-line-separated chunk it sits in, how much prose surrounds it and how much came before,
repetition on the page, and what the named-boilerplate table and the headline scorer say.

>>> [(line.number, line.text) for line in split_lines("Menu\\n\\nA sentence here.\\n")]
[(0, 'Menu'), (2, 'A sentence here.')]
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["BYLINE_START", "DATED", "FEATURE_NAMES", "Line", "is_prose", "line_features", "looks_like_byline", "split_lines"]

_SPACES = re.compile(r"\s+")
_LETTERS = re.compile(r"[^\W\d_]")
_PUNCT = re.compile(r"[^\w\s]|_")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?。！？…][\"”’'»)\]]*$")
_INNER_SENTENCE = re.compile(r"\w[.!?][\"”’'»)]* +[\"“‘«(]?[A-ZÀ-ÖØ-ÞА-Я]|[。！？]\s*\S")
_LINKISH = re.compile(r"https?://|www\.|\.(?:com|org|net|de|co\.uk)\b|@\w", re.I)
_SEPARATORS = re.compile(r"[|›»·•/>→]")
_LIST = re.compile(r"^(?:[-•*–—▪●◦]\s?|\d{1,2}[.)]\s)")
_QUOTE = re.compile(r"^[\"“‘'«„]")
_DATEISH = re.compile(r"\d{1,2}[:.]\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b(?:19|20)\d{2}\b")
PROSE_CHARS = 80  # a line at least this long that reads as sentences is prose


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank input line: its number in the input (0-based), its squashed text, and whether
    a blank line (or the edge of the text) is right above / below it."""

    number: int
    text: str
    blank_before: bool
    blank_after: bool


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with their input line numbers (``text.split("\\n")``)."""
    raw = text.split("\n")
    squashed = [_SPACES.sub(" ", line).strip() for line in raw]
    lines: list[Line] = []
    for i, line in enumerate(squashed):
        if not line:
            continue
        before = i == 0 or not squashed[i - 1]
        after = i == len(squashed) - 1 or not squashed[i + 1]
        lines.append(Line(i, line, before, after))
    return lines


# A byline's first word in the languages of the training pages; a clock time, a date or a year.
BYLINE_START = re.compile(r"^\W*(?:by|par|von|di|por|door|av|af)\s+\S", re.IGNORECASE)
DATED = re.compile(r"\d{1,2}[:/.]\d{2}|\b(?:19|20)\d{2}\b")
_CLOCK_OR_DATE = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_HANDLE = re.compile(r"(?<![\w.])@\w{2,}")


def looks_like_byline(text: str) -> bool:
    """A byline or a date line: it starts with a byline word, or carries a clock time, a numeric
    date or a social handle (a headline rarely does; a year alone is not enough).

    >>> looks_like_byline("Par Lena Park — 12 mai 2024 à 18:42"), looks_like_byline("Storms hit the coast in 2024")
    (True, False)
    """
    return bool(BYLINE_START.match(text) or _CLOCK_OR_DATE.search(text) or _HANDLE.search(text))


def is_prose(text: str) -> bool:
    """A long line that reads as sentences (ends like one, or holds a sentence break)."""
    return len(text) >= PROSE_CHARS and bool(_SENTENCE_END.search(text) or _INNER_SENTENCE.search(text))


def _chunks(lines: Sequence[Line]) -> list[tuple[int, float]]:
    """For each line: (lines in its blank-line-separated chunk, mean chars of that chunk)."""
    out: list[tuple[int, float]] = []
    start = 0
    for i, line in enumerate(lines):
        if line.blank_after or i == len(lines) - 1:
            size = i - start + 1
            mean = sum(len(x.text) for x in lines[start : i + 1]) / size
            out.extend([(size, mean)] * size)
            start = i + 1
    return out


def _main_run(prose_idx: np.ndarray, prose_chars: np.ndarray) -> tuple[int, int, float]:
    """(first line, last line, share of the page's prose chars) of the largest run of prose lines
    with gaps of at most ``MAIN_RUN_GAP`` lines: where the article most likely is."""
    if len(prose_idx) == 0:
        return 0, -1, 0.0
    runs: list[tuple[float, int, int]] = []
    first = last = int(prose_idx[0])
    for i in prose_idx[1:]:
        if i - last > MAIN_RUN_GAP:
            runs.append((float(prose_chars[first : last + 1].sum()), first, last))
            first = int(i)
        last = int(i)
    runs.append((float(prose_chars[first : last + 1].sum()), first, last))
    weight, start, end = max(runs)
    return start, end, weight / (float(prose_chars.sum()) or 1.0)


_BASE = [
    "log_chars", "log_words", "chars_per_word", "ends_sentence", "ends_colon", "ends_ellipsis",
    "inner_sentences", "alpha", "digits", "upper", "title_case", "starts_lower", "punct",
    "commas_per_word", "linkish", "separators", "boilerplate", "breadcrumb", "headline_score",
    "log_repeats", "position", "char_position", "blank_before", "blank_after", "log_chunk_lines",
    "log_chunk_chars", "prose", "prose_density", "prose_before", "log_prose_distance", "list_item",
    "quote_start", "all_caps", "dateish", "tiny",
]
_NEIGHBOUR = ["log_chars", "ends_sentence", "boilerplate", "prose", "blank_after", "headline_score"]
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_PAGE = [
    "page_log_lines", "page_prose_share", "window_prose", "window_log_chars", "in_main_run",
    "log_lines_before_run", "log_lines_after_run", "main_run_share", "log_chars_vs_prose",
]
MAIN_RUN_GAP = 8  # prose lines at most this many lines apart belong to one run
FEATURE_NAMES: list[str] = (
    _BASE
    + [f"{name}@{o:+d}" for o in _OFFSETS for name in _NEIGHBOUR]
    + [f"missing@{o:+d}" for o in _OFFSETS]
    + _PAGE
)


def line_features(
    lines: Sequence[Line],
    *,
    boilerplate: Callable[[str], bool],
    breadcrumb: Callable[[str], bool],
    headline_score: Callable[[str, str | None], float],
) -> np.ndarray:
    """One row of ``FEATURE_NAMES`` per line. The rule-table callables come from the cleaner, so
    this module knows nothing of English boilerplate itself."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    texts = [line.text for line in lines]
    repeats = Counter(texts)
    chunks = _chunks(lines)
    total_chars = sum(len(t) for t in texts) or 1
    prose = np.array([is_prose(t) for t in texts], dtype=float)
    prose_chars = prose * np.array([len(t) for t in texts], dtype=float)
    window = 4
    padded = np.concatenate([np.zeros(window), prose_chars, np.zeros(window)])
    density = np.convolve(padded, np.ones(2 * window + 1), mode="valid")
    density = density / (density.max() or 1.0)
    cum = np.cumsum(prose_chars) - prose_chars
    prose_before = cum / (prose_chars.sum() or 1.0)
    prose_idx = np.flatnonzero(prose)
    base = np.zeros((n, len(_BASE)))
    chars_done = 0
    for i, text in enumerate(texts):
        words = _WORD.findall(text)
        n_words = len(words)
        letters = _LETTERS.findall(text)
        caps = [w for w in words if len(w) >= 4 and w[0].isalpha()]
        next_text = texts[i + 1] if i + 1 < n else None
        distance = int(np.min(np.abs(prose_idx - i))) if len(prose_idx) else 50
        base[i] = [
            math.log1p(len(text)),
            math.log1p(n_words),
            min(len(text) / max(n_words, 1), 20.0),
            bool(_SENTENCE_END.search(text)),
            text.endswith((":", "：")),
            text.endswith(("...", "…")),
            min(len(_INNER_SENTENCE.findall(text)), 10),
            len(letters) / len(text),
            sum(map(str.isdigit, text)) / len(text),
            sum(map(str.isupper, letters)) / max(len(letters), 1),
            sum(w[0].isupper() for w in caps) / len(caps) if caps else 0.0,
            text[0].islower(),
            len(_PUNCT.findall(text)) / len(text),
            text.count(",") / max(n_words, 1),
            bool(_LINKISH.search(text)),
            min(len(_SEPARATORS.findall(text)), 5),
            boilerplate(text),
            breadcrumb(text),
            max(-9.0, min(9.0, headline_score(text, next_text))),
            math.log(repeats[text]),
            i / n,
            chars_done / total_chars,
            lines[i].blank_before,
            lines[i].blank_after,
            math.log(chunks[i][0]),
            math.log1p(chunks[i][1]),
            prose[i],
            density[i],
            prose_before[i],
            math.log1p(min(distance, 50)),
            bool(_LIST.match(text)),
            bool(_QUOTE.match(text)),
            len(letters) >= 3 and all(map(str.isupper, letters)),
            bool(_DATEISH.search(text)),
            len(text) <= 3,
        ]
        chars_done += len(text)
    cols = [_BASE.index(name) for name in _NEIGHBOUR]
    neighbour_blocks = []
    missing = []
    for o in _OFFSETS:
        shifted = np.zeros((n, len(cols)))
        flag = np.ones(n)
        lo, hi = max(0, -o), min(n, n - o)
        if hi > lo:
            shifted[lo:hi] = base[lo + o : hi + o][:, cols]
            flag[lo:hi] = 0
        neighbour_blocks.append(shifted)
        missing.append(flag)
    wide = 6
    pad = np.concatenate([np.zeros(wide), prose, np.zeros(wide)])
    window_prose = np.convolve(pad, np.ones(2 * wide + 1), mode="valid") / (2 * wide + 1)
    log_chars = base[:, 0]
    pad = np.concatenate([np.zeros(wide), log_chars, np.zeros(wide)])
    window_chars = np.convolve(pad, np.ones(2 * wide + 1), mode="valid") / (2 * wide + 1)
    start, end, share = _main_run(prose_idx, prose_chars)
    idx = np.arange(n)
    prose_lengths = prose_chars[prose_idx]
    typical = float(np.median(prose_lengths)) if len(prose_lengths) else float(PROSE_CHARS)
    page = np.column_stack([
        np.full(n, math.log(n)),
        np.full(n, prose.mean()),
        window_prose,
        window_chars,
        (idx >= start) & (idx <= end),
        np.log1p(np.clip(start - idx, 0, None)),
        np.log1p(np.clip(idx - end, 0, None)),
        np.full(n, share),
        log_chars - math.log1p(typical),
    ])
    return np.hstack([base, *neighbour_blocks, np.column_stack(missing), page])
