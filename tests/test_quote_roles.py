"""Speaker roles and "speakers are sources" on ten short articles written for this project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.entities import extract_entities
from analysis.quotes import extract_quotes, shown
from analysis.quotes.extract import source_kind
from analysis.quotes.roles import ROLES, role_of_words

FIXTURES = Path(__file__).parent / "fixtures" / "quote_roles"
GOLD: dict[str, dict[str, str]] = json.loads((FIXTURES / "roles.json").read_text(encoding="utf-8"))
ROLE_GOAL = 0.8


def _words(text: str) -> set[str]:
    return {w.strip(".,'’").lower() for w in text.split()} - {"the", "a", "an", "of", "for", "by", "its"}


def _gold_role(gold: dict[str, str], speaker: str, written: str) -> str | None:
    """The annotated role of the gold speaker sharing most words with ours."""
    best, overlap = None, 0
    for name, role in gold.items():
        n = max(len(_words(name) & _words(speaker)), len(_words(name) & _words(written)))
        if n > overlap:
            best, overlap = role, n
    return best


@pytest.fixture(scope="module")
def analysed(nlp):
    out = {}
    for name in GOLD:
        text = (FIXTURES / name).read_text(encoding="utf-8")
        doc = nlp(text)
        out[name] = (doc, extract_quotes(doc, extract_entities(doc)[1]))
    return out


def test_roles_are_named():
    assert set(ROLES) == {"official", "spokesperson", "expert", "witness", "anonymous", "organisation", "document"}
    assert role_of_words("Sen. Rosa Delgado".split()) == "official"
    assert role_of_words("a professor of history".split()) == "expert"
    assert role_of_words("the White House press secretary".split()) == "spokesperson"


def test_role_accuracy_on_our_articles(analysed):
    scored = correct = 0
    wrong = []
    for name, (_, quotes) in analysed.items():
        for q in quotes:
            if not shown(q) or not q.speaker:
                continue
            gold = _gold_role(GOLD[name], q.speaker, q.speaker_text)
            if gold is None:
                continue
            scored += 1
            correct += q.role == gold
            if q.role != gold:
                wrong.append((name, q.speaker_text, q.role, gold))
    assert scored >= 40
    assert correct / scored >= ROLE_GOAL, wrong


def test_no_speaker_is_a_non_source(analysed):
    """Events, feelings and dates never speak ("The storm's arrival underscored …")."""
    for name, (doc, quotes) in analysed.items():
        for q in quotes:
            if not q.speaker_text:
                continue
            span = doc.char_span(*_find(doc.text, q.speaker_text, q.start), alignment_mode="expand")
            assert span is not None and source_kind(span.root) != "", (name, q.speaker_text, q.text)
            assert q.speaker_text.split()[-1].lower() not in {"arrival", "release", "fears", "costs", "friday"}


def _find(text: str, phrase: str, near: int) -> tuple[int, int]:
    starts = [i for i in range(len(text)) if text.startswith(phrase, i)]
    start = min(starts, key=lambda i: abs(i - near))
    return start, start + len(phrase)


def test_the_real_source_behind_a_non_source_subject(analysed):
    _, quotes = analysed["02_trade.txt"]
    stressed = [q for q in quotes if q.cue.startswith("stress")]
    assert stressed and stressed[0].speaker == "Pavel Ostrov" and stressed[0].speaker_rule


def test_declined_to_comment_is_marked_not_reported(analysed):
    _, quotes = analysed["05_hospital.txt"]
    did_not = [q for q in quotes if "jobs would be cut" in q.text]
    assert did_not and all(q.negated and not shown(q) for q in did_not)
