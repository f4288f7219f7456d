"""Speaker roles and "speakers are sources" on ten short articles written for this project, and
the first held-out set (``fixtures/quote_roles_heldout``), measured once and since used as a dev set;
made-up sentences for each rule of roles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.entities import extract_entities
from analysis.evaluate.quote_roles import score_roles, speaker_offset
from analysis.model import Quote
from analysis.quotes import extract_quotes, shown
from analysis.quotes.roles import ROLES, role_of_words
from analysis.quotes.speakers import source_kind

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


def test_former_held_out_articles_meet_the_goals():
    """The first held-out set was measured once (its README keeps that run) and has since been a
    dev set for the role rules (issue 13); a second, fresh set measures them. Both goals hold on it."""
    gold: dict[str, dict[str, str]] = json.loads((HELD_OUT / "roles.json").read_text(encoding="utf-8"))
    assert len(gold) == 12 and all((HELD_OUT / name).is_file() for name in gold)
    assert {role for speakers in gold.values() for role in speakers.values()} == set(ROLES)
    scores = score_roles(HELD_OUT)
    assert scores.scored >= sum(map(len, gold.values())) // 2
    assert scores.accuracy >= ROLE_GOAL, scores.wrong
    assert scores.non_sources == []


def _roles(nlp, text: str) -> dict[str, str]:
    """Speaker as written -> role, for every quote with a speaker in ``text``."""
    doc = nlp(text)
    return {q.speaker_text: q.role for q in extract_quotes(doc, extract_entities(doc)[1]) if q.speaker_text}


@pytest.mark.parametrize(
    ("words", "role"),
    [
        ("Detective Sergeant Ola Brandt", "official"),  # police ranks
        ("a chief constable", "official"),
        ("the club's head coach", "official"),  # sport: managers and coaches
        ("the team's manager", "official"),
        ("the school's principal", "official"),  # heads of schools
        ("the head teacher of a primary school", "official"),
        ("the bank's chief financial officer", "official"),  # executives
        ("her Danish counterpart", "official"),  # the holder of the same post elsewhere
        ("who chairs the finance committee", "official"),  # a post said with a verb
        ("who researches coral reefs at a university", "expert"),  # a field said with a verb
        ("the chief economist at the bank", "expert"),  # "chief" does not decide alone
        ("the paper's chief critic", "expert"),
        ("the fire chief", "official"),  # ... but heads its phrase
        ("the director of communications", "spokesperson"),
        ("Ms. Nair's lawyer", "spokesperson"),  # a lawyer for a client speaks for them
        ("a lawyer who specialises in tax", "expert"),
        ("a charter boat operator", "witness"),
        ("a professor and former senator", "expert"),
        ("Sgt. Ola Brandt", "official"),  # shortened ranks
        ("Lt. Col. Ola Brandt", "official"),
        ("Cllr Ola Brandt", "official"),
        ("the defence lawyer", "spokesperson"),
        ("who teaches economics at Northvale University", "expert"),  # placed at a university
        ("who graduated from Northvale University", ""),
    ],
)
def test_role_words(words, role):
    assert role_of_words(words.split()) == role


def test_a_post_outranks_an_honorific():
    assert role_of_words("Dr. Anwen Price , the agency's director of housing".split()) == "official"
    assert role_of_words("Dr. Anwen Price".split()) == "expert"
    assert role_of_words("Dr. Anwen Price".split(), honorifics=False) == ""


def test_roles_in_made_up_articles(nlp):
    roles = _roles(
        nlp,
        "Dr. Anwen Price, the county's director of housing, said the waiting list had doubled. "
        "A fire service spokesman, Tomas Ekdahl, said the blaze was under control. "
        "City Councillor Ravi Nair said the budget would be cut. "
        "The newspaper said in an editorial that the plan was doomed. "
        "The Northern Herald said the mayor had misled voters. "
        "The company said it would appeal. "
        "A nurse who would not give his name said the ward was full.",
    )
    assert roles.get("Dr. Anwen Price, the county's director of housing") == "official", roles
    assert roles.get("A fire service spokesman, Tomas Ekdahl") == "spokesperson", roles
    assert roles.get("City Councillor Ravi Nair") == "official", roles
    assert roles.get("The newspaper") == "document", roles
    assert roles.get("The Northern Herald") == "document", roles
    assert roles.get("The company") == "organisation", roles
    assert roles.get("A nurse") == "anonymous", roles


def test_more_roles_in_made_up_articles(nlp):
    roles = _roles(
        nlp,
        "A Transport Ministry official who spoke on condition of anonymity said the line would close. "
        "A witness, who asked that her name not be used, said the bus was speeding. "
        "The club said in a statement that its coach had left. "
        "Ann Ferris said the ruling was wrong.",
    )
    assert roles.get("A Transport Ministry official") == "anonymous", roles
    assert roles.get("A witness") == "anonymous", roles
    assert roles.get("The club") == "organisation", roles
    assert roles.get("Ann Ferris") == "", roles  # named, described by nothing: the article does not say


def test_one_of_an_anonymous_group_is_anonymous(nlp):
    roles = _roles(
        nlp,
        "Two diplomats, who asked not to be named because the talks were private, said a deal was close. "
        "One of them said the final text was ready.",
    )
    assert roles.get("Two diplomats") == "anonymous" and roles.get("One of them") == "anonymous", roles


def test_the_non_source_check_finds_the_speaker_at_its_quote():
    text = "She published the letter with it. Later it said: 'we stand by the letter'."
    quote = Quote("we stand by it", "the letter", "said", "direct", text.index("we stand"), len(text) - 2, 0, 1, "it")
    at = speaker_offset(text, quote)
    assert text[at : at + 2] == "it" and at == text.index("it said")
    assert speaker_offset(text, Quote("x", "she", "said", "direct", 0, 1, 0, 0, "he")) == -1


def test_person_nouns_are_sources(nlp):
    doc = nlp("One of them said the vote was fair. The juror said the trial was long. Her counterpart said no.")
    heads = {t.text: source_kind(t) for t in doc if t.dep_ == "nsubj"}
    assert heads["One"] == "person" and heads["juror"] == "person" and heads["counterpart"] == "person"


def test_a_feeling_is_no_antecedent(nlp):
    from analysis.model import Mention
    from analysis.quotes.speakers import _common_non_source

    doc = nlp("Anger among traders grew. Apple said it would help.")
    anger = Mention(entity="Anger", label="ORG", text="Anger", sentence=0, start=0, end=5)
    apple_at = doc.text.index("Apple")
    apple = Mention(entity="Apple", label="ORG", text="Apple", sentence=1, start=apple_at, end=apple_at + 5)
    assert _common_non_source(doc, anger) and not _common_non_source(doc, apple)


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
