"""Speaker roles measured on articles we wrote and annotated (``tests/fixtures/quote_roles``).

    python -m analysis.evaluate.quote_roles [FOLDER]

Prints role accuracy over the shown quotes whose speaker matches an annotated one, the confusions,
and every speaker that is not a source (an event, feeling, date or place acting: should be none).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import NamedTuple

from analysis.model import Quote

__all__ = ["RoleScores", "gold_role", "score_roles", "speaker_offset", "main"]

DEFAULT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "quote_roles"
_SKIP = {"the", "a", "an", "of", "for", "by", "its"}


class RoleScores(NamedTuple):
    scored: int
    correct: int
    wrong: list[tuple[str, str, str, str]]  # (article, speaker as written, ours, gold)
    non_sources: list[tuple[str, str, str]]  # (article, speaker as written, quote)

    @property
    def accuracy(self) -> float:
        return self.correct / self.scored if self.scored else 0.0


def _words(text: str) -> set[str]:
    return {w.strip(".,'’").lower() for w in text.split()} - _SKIP


def gold_role(gold: dict[str, str], speaker: str, written: str) -> str | None:
    """The annotated role of the annotated speaker sharing most words with ours (None: unannotated)."""
    best, overlap = None, 0
    for name, role in gold.items():
        n = max(len(_words(name) & _words(speaker)), len(_words(name) & _words(written)))
        if n > overlap:
            best, overlap = role, n
    return best


def speaker_offset(text: str, quote: Quote) -> int:
    """Where the quote's speaker is written: the whole-word occurrence of its text nearest to the
    quote (its attribution; inside it for a quote split by its attribution), not the first
    anywhere ("she" inside "published"); -1 if none.

    >>> speaker_offset("She published it. Then she said: 'no'.", Quote("no", "Lee", "said", "direct", 34, 36, 0, 0, "she"))
    23
    """
    pattern = re.compile(r"(?<!\w)" + re.escape(quote.speaker_text) + r"(?!\w)")
    found = [m.start() for m in pattern.finditer(text)]
    if not found:
        return -1
    return min(found, key=lambda at: max(quote.start - at - len(quote.speaker_text), at - quote.end, 0))


def score_roles(folder: Path = DEFAULT) -> RoleScores:
    """Analyse every annotated article of ``folder`` and compare roles."""
    from analysis.entities import extract_entities
    from analysis.nlp import load_nlp
    from analysis.quotes import extract_quotes, shown
    from analysis.quotes.speakers import source_kind

    annotations: dict[str, dict[str, str]] = json.loads((folder / "roles.json").read_text(encoding="utf-8"))
    scored = correct = 0
    wrong, non_sources = [], []
    nlp = load_nlp()
    for name, gold in annotations.items():
        doc = nlp((folder / name).read_text(encoding="utf-8"))
        quotes: list[Quote] = extract_quotes(doc, extract_entities(doc)[1])
        for q in quotes:
            if q.speaker_text:
                at = speaker_offset(doc.text, q)
                span = doc.char_span(at, at + len(q.speaker_text), alignment_mode="expand") if at >= 0 else None
                if span is None or source_kind(span.root) == "":
                    non_sources.append((name, q.speaker_text, q.text))
            if not shown(q) or not q.speaker:
                continue
            role = gold_role(gold, q.speaker, q.speaker_text)
            if role is None:
                continue
            scored += 1
            correct += q.role == role
            if q.role != role:
                wrong.append((name, q.speaker_text, q.role, role))
    return RoleScores(scored, correct, wrong, non_sources)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    s = score_roles(Path(args[0]) if args else DEFAULT)
    print(f"speaker roles: {s.correct}/{s.scored} = {s.accuracy:.3f}")
    for name, written, ours, gold in s.wrong:
        print(f"  {name}: {written!r} ours {ours or '-'} gold {gold}")
    print(f"speakers that are not sources: {len(s.non_sources)}")
    for name, written, text in s.non_sources:
        print(f"  {name}: {written!r} said {text[:60]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
