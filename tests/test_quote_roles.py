"""Speaker roles and "speakers are sources" on ten short articles written for this project, and
the held-out set (``fixtures/quote_roles_heldout``) measured but never tuned on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.entities import extract_entities
from analysis.evaluate.quote_roles import score_roles
from analysis.quotes import extract_quotes, shown
from analysis.quotes.roles import ROLES, role_of_words

FIXTURES = Path(__file__).parent / "fixtures" / "quote_roles"
HELD_OUT = Path(__file__).parent / "fixtures" / "quote_roles_heldout"
GOLD: dict[str, dict[str, str]] = json.loads((FIXTURES / "roles.json").read_text(encoding="utf-8"))
ROLE_GOAL = 0.8


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


def test_role_accuracy_and_sources_on_our_articles(nlp):
    scores = score_roles(FIXTURES)
    assert scores.scored >= 40
    assert scores.accuracy >= ROLE_GOAL, scores.wrong
    assert scores.non_sources == []


def test_held_out_articles_stay_measurable():
    """The held-out set was written and annotated before the system saw it (its README keeps the
    one run's figures). Neither goal of issue 13 holds on it yet (role accuracy below ROLE_GOAL,
    speakers the check cannot call sources), so this asserts only that it is annotated with our
    roles and still scored: a figure, not a target to tune against."""
    gold: dict[str, dict[str, str]] = json.loads((HELD_OUT / "roles.json").read_text(encoding="utf-8"))
    assert len(gold) == 12 and all((HELD_OUT / name).is_file() for name in gold)
    assert {role for speakers in gold.values() for role in speakers.values()} == set(ROLES)
    scores = score_roles(HELD_OUT)
    assert scores.scored >= sum(map(len, gold.values())) // 2


def test_no_event_speaks(analysed):
    """Events, feelings and dates never speak ("The storm's arrival … underscored …")."""
    for name, (_, quotes) in analysed.items():
        for q in quotes:
            last = q.speaker_text.split()[-1].lower() if q.speaker_text else ""
            assert last not in {"arrival", "release", "fears", "costs", "friday"}, (name, q.speaker_text)


def test_the_real_source_behind_a_non_source_subject(analysed):
    _, quotes = analysed["02_trade.txt"]
    stressed = [q for q in quotes if q.cue.startswith("stress")]
    assert stressed and stressed[0].speaker == "Pavel Ostrov" and stressed[0].speaker_rule


def test_declined_to_comment_is_marked_not_reported(analysed):
    _, quotes = analysed["05_hospital.txt"]
    did_not = [q for q in quotes if "jobs would be cut" in q.text]
    assert did_not and all(q.negated and not shown(q) for q in did_not)
