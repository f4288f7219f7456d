"""Quotation marks and paragraphs: where quoted stretches open and close, and the narrator's
text around them.

Double marks (curly, straight, TeX-style and „low“ ones) are scanned per paragraph by position, so
unbalanced marks never raise; balanced ‘single curly’ quotes of two words or more count too. A
``_Marked`` is one quoted stretch, a ``_Unit`` one quote as found (its parts and, once
``analysis.quotes.attribution`` has read it, its cue and speaker).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from analysis.model import PARAGRAPH_SEP

_ABBREVIATIONS = "Mr Mrs Ms Dr Sen Rep Gov Gen Lt Col Sgt St Jr Sr Prof Rev Hon Inc Corp Co No Mt Ft vs".split()
_SENTENCE_END = re.compile(
    "".join(rf"(?<!\b{a})" for a in _ABBREVIATIONS) + r"(?<!\b[A-Z])(?<!\.[A-Z])[.!?](?=\s|$)"
)  # a full stop that ends a sentence: not "Mr." nor an initial ("J.", "U.S.")
_WORD = re.compile(r"[\w’']+")

_MARKUP = re.compile(r"<[^<>\n]{1,300}>")  # tags left in text: their attribute quotes are not speech
_OPEN_DOUBLE = {"“": 1, "``": 2, "„": 1}
_CLOSE_DOUBLE = {"”": 1}


@dataclass(slots=True)
class _Marked:
    """One quoted stretch of text: content offsets (marks excluded) in ``doc.text``."""

    start: int
    end: int
    open_mark: int  # where the opening mark begins
    close_mark: int  # just after the closing mark (the paragraph's end when unclosed)
    closed: bool  # False when the paragraph ended before a closing mark
    opens_paragraph: bool  # the opening mark is the paragraph's first character


@dataclass(slots=True)
class _Unit:
    """One quote as found: its parts (a split quote has several) and its attribution."""

    parts: list[_Marked]
    kind: str = "direct"
    cue: Token | None = None
    cue_text: str = ""
    speaker_tokens: list[Token] = field(default_factory=list)
    governed: bool = False  # a partial quote inside the clause of a reporting verb
    weak_speaker: bool = False  # the speaker was read off a verb that is not a speech cue
    rule: str = "unattributed"  # the attribution rule that found the cue and speaker
    passed_on: Token | None = None  # an outlet that reported the quote ("…," Lee said, the Times reported)


def _paragraph_bounds(text: str, paragraph_starts: list[int] | None) -> list[tuple[int, int]]:
    """(start, end) of every paragraph in ``text``."""
    if paragraph_starts is None:
        paragraph_starts, pos = [], 0
        for part in text.split(PARAGRAPH_SEP):
            paragraph_starts.append(pos)
            pos += len(part) + len(PARAGRAPH_SEP)
    bounds = []
    for i, start in enumerate(paragraph_starts):
        end = paragraph_starts[i + 1] if i + 1 < len(paragraph_starts) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        bounds.append((start, end))
    return bounds


def _mark_at(text: str, i: int) -> tuple[str, int] | None:
    """The quotation mark starting at ``text[i]``: (role, length), role in open/close/either."""
    two = text[i : i + 2]
    if two in _OPEN_DOUBLE:
        return "open", 2
    if two == "''":  # closes ``…'' (TeX style) but also serves as both marks (news archives)
        return "either", 2
    ch = text[i]
    if ch in _OPEN_DOUBLE:
        return "open", 1
    if ch in _CLOSE_DOUBLE:
        return "close", 1
    if ch == '"':
        return "either", 1
    return None


def _scan_double(text: str, start: int, end: int) -> list[_Marked]:
    """Quoted stretches between double marks in one paragraph; unbalanced marks never raise."""
    found: list[_Marked] = []
    opened: tuple[int, int] | None = None  # (mark start, content start) of the quote being read
    markup = [m.span() for m in _MARKUP.finditer(text, start, end)]
    i = start
    while i < end:
        mark = None if any(lo <= i < hi for lo, hi in markup) else _mark_at(text, i)
        if mark is None:
            i += 1
            continue
        role, length = mark
        if role == "either":
            role = "close" if opened is not None else "open"
        elif role == "open" and opened is not None and _closes_here(text, i, length, end):
            role = "close"  # “It's unusual,“ said …: an opening mark typed where one closes
        if role == "open":
            if opened is not None:  # a new opening mark: the previous quote was never closed
                found.append(_Marked(opened[1], i, opened[0], i, False, opened[0] == start))
            opened = (i, i + length)
        elif opened is not None:
            found.append(_Marked(opened[1], i, opened[0], i + length, True, opened[0] == start))
            opened = None
        i += length
    if opened is not None:
        found.append(_Marked(opened[1], end, opened[0], end, False, opened[0] == start))
    return [_trim(text, m) for m in found if text[m.start : m.end].strip()]


def _closes_here(text: str, i: int, length: int, end: int) -> bool:
    """The mark at ``i`` sits where a quote ends: right after a word or punctuation and
    before a space, punctuation or the paragraph's end (never before a word)."""
    after = text[i + length] if i + length < end else " "
    return i > 0 and not text[i - 1].isspace() and (after.isspace() or after in ",.;:!?)—–-")


_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘(?=\S)(.+?)(?<=\S)’(?=$|[\s.,;:!?)\]—–-])")


def _scan_single(text: str, start: int, end: int, taken: list[_Marked]) -> list[_Marked]:
    """Balanced ‘single curly’ quotes of two words or more outside double-quoted text."""
    found = []
    for m in _SINGLE.finditer(text, start, end):
        inner = m.group(1)
        if len(_WORD.findall(inner)) < 2 or any(
            t.start <= m.start(1) < t.end for t in taken
        ):
            continue
        found.append(_trim(text, _Marked(m.start(1), m.end(1), m.start(), m.end(), True, m.start() == start)))
    return found


def _trim(text: str, m: _Marked) -> _Marked:
    """Drop surrounding spaces and a trailing comma (the attribution's, not the speaker's)."""
    s, e = m.start, m.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return _Marked(s, e, m.open_mark, m.close_mark, m.closed, m.opens_paragraph)


def _marked_spans(text: str, bounds: list[tuple[int, int]]) -> list[list[_Marked]]:
    """Quoted stretches per paragraph."""
    per_paragraph = []
    for start, end in bounds:
        doubles = _scan_double(text, start, end)
        singles = _scan_single(text, start, end, doubles)
        per_paragraph.append(sorted(doubles + singles, key=lambda m: m.start))
    return per_paragraph


def _doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc (spaCy joins every token on each access)."""
    text = doc.user_data.get("newslens_text")
    if text is None:
        text = doc.user_data["newslens_text"] = doc.text
    return text


def _tokens_in(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _inside(tok: Token, spans: list[_Marked]) -> bool:
    return any(m.start <= tok.idx < m.end for m in spans)


def _window_before(text: str, m: _Marked, para_start: int, quoted: list[_Marked]) -> tuple[int, int]:
    """Narrator text between the previous sentence end (or quote) and the opening mark."""
    lo = para_start
    for q in quoted:
        if q.close_mark <= m.open_mark:
            lo = max(lo, q.close_mark)
    ends = list(_SENTENCE_END.finditer(text, lo, max(lo, m.open_mark)))
    if ends:
        lo = ends[-1].end()
    return lo, max(lo, m.open_mark)


def _window_after(text: str, m: _Marked, para_end: int, quoted: list[_Marked]) -> tuple[int, int]:
    """Narrator text from the closing mark to the sentence end (or the next quote)."""
    lo = min(m.close_mark, para_end)
    hi = para_end
    for q in quoted:
        if q.open_mark >= lo:
            hi = min(hi, q.open_mark)
            break
    found = _SENTENCE_END.search(text, lo, hi)
    if found:
        hi = found.end()
    return lo, max(lo, hi)


def _starts_sentence(text: str, m: _Marked, para_start: int) -> bool:
    """The opening mark begins a sentence, or follows a colon/comma/dash (an utterance)."""
    before = text[para_start : max(para_start, m.open_mark)].rstrip()
    return not before or before[-1] in ".!?:,;—–-(\"“”'"


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_title(doc: Doc, m: _Marked) -> bool:
    """Every content word capitalised: a title, not speech."""
    toks = [t for t in _tokens_in(doc, m.start, m.end) if not (t.is_punct or t.is_stop)]
    return bool(toks) and all(t.is_title or t.is_upper for t in toks)


def _paragraph_of(bounds: list[tuple[int, int]], offset: int) -> int:
    return max(0, bisect_right([b[0] for b in bounds], offset) - 1)


def _joined(text: str, parts: list[_Marked]) -> str:
    """The parts of a quote split by its attribution, with a visible "…" where narration was cut
    (``"A," she said, "B."`` reads "A … B."); parts already ending or starting with an
    ellipsis keep theirs."""
    out = text[parts[0].start : parts[0].end]
    for m in parts[1:]:
        piece = text[m.start : m.end]
        cut = not out.rstrip().endswith(("…", "...")) and not piece.lstrip().startswith(("…", "..."))
        out += (" … " if cut else " ") + piece
    return out
