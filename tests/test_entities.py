"""Canonical entities: aliases, surnames, acronyms, demonyms, offsets, lookup and headlines."""

from __future__ import annotations

import pytest

from analysis.entities import (
    canonical_lookup,
    extract_entities,
    headline_entities,
    normalise_name,
)


def entities_of(nlp, text):
    entities, mentions = extract_entities(nlp(text))
    return {e.name: e for e in entities}, mentions


@pytest.fixture(scope="module")
def seed(nlp, seed_text):
    return entities_of(nlp, seed_text)


def test_seed_united_states_is_one_entity_with_its_aliases(seed):
    entities, mentions = seed
    us = entities["United States"]
    assert us.aliases[0] == "United States"
    assert "US" in us.aliases
    assert us.label == "GPE"
    assert not any(name in entities for name in ("US", "the United States", "The United States"))
    written = {m.text for m in mentions if m.entity == "United States" and not m.demonym}
    assert {"US", "United States"} <= written
    assert us.count == len([m for m in mentions if m.entity == "United States" and not m.demonym])


def test_seed_israeli_is_a_demonym_of_israel_not_counted(seed):
    entities, mentions = seed
    israel = entities["Israel"]
    demonyms = [m for m in mentions if m.entity == "Israel" and m.demonym]
    assert demonyms and all(m.text == "Israeli" and m.label == "NORP" for m in demonyms)
    assert israel.demonym_count == len(demonyms)
    assert israel.count == len([m for m in mentions if m.entity == "Israel" and not m.demonym])
    assert "Israeli" not in entities


def test_seed_place_never_named_keeps_its_norp(seed):
    entities, _ = seed
    assert entities["Palestinian"].label == "NORP"
    assert entities["Palestinian"].count == 1


def test_seed_hamas_label_is_the_majority(seed):
    entities, _ = seed
    assert entities["Hamas"].label == "ORG"


def test_seed_entities_are_sorted_by_count_then_name(seed, nlp, seed_text):
    ordered, _ = extract_entities(nlp(seed_text))
    assert ordered == sorted(ordered, key=lambda e: (-e.count, e.name))
    assert ordered[0].name == "Israel"


def test_mention_offsets_and_sentences_index_the_doc(nlp, seed_text):
    doc = nlp(seed_text)
    sentences = list(doc.sents)
    _, mentions = extract_entities(doc)
    assert mentions
    for m in mentions:
        assert doc.text[m.start : m.end] == m.text
        sentence = sentences[m.sentence]
        assert sentence.start_char <= m.start and m.end <= sentence.end_char
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


SURNAME = (
    "Marta Kowalczyk, a former safety engineer, said the defect was serious. "
    "\"A blank screen at the wrong moment is dangerous,\" Kowalczyk said on Tuesday. "
    "Ms. Kowalczyk added that regulators were slow."
)


def test_surname_joins_the_full_name(nlp):
    entities, mentions = entities_of(nlp, SURNAME)
    assert "Kowalczyk" not in entities
    person = entities["Marta Kowalczyk"]
    assert person.label == "PERSON"
    assert person.aliases == ["Marta Kowalczyk", "Kowalczyk"]
    assert person.count == 3


ACRONYM = (
    "The National Highway Traffic Safety Administration opened an investigation into the "
    "braking system on Monday. NHTSA said it had received 40 complaints. A spokesperson for "
    "NHTSA declined to comment further. The Federal Bureau of Investigation (FBI) was not "
    "involved, but the FBI later said it had been briefed."
)


def test_acronym_joins_its_expansion(nlp):
    entities, _ = entities_of(nlp, ACRONYM)
    agency = entities["National Highway Traffic Safety Administration"]
    assert agency.aliases[0] == "National Highway Traffic Safety Administration"
    assert "NHTSA" in agency.aliases
    assert "NHTSA" not in entities
    assert agency.count == 3


def test_parenthetical_definition_joins_acronym(nlp):
    entities, _ = entities_of(nlp, ACRONYM)
    fbi = entities["Federal Bureau of Investigation"]
    assert "FBI" in fbi.aliases and "FBI" not in entities


SMITHS = (
    "John Smith, the company's chief executive, said profits had doubled. Jane Smith, an "
    "analyst at a rival bank, disagreed with the forecast. Smith said the numbers were "
    "inflated. Later, John Smith rejected the criticism, and Smith promised a full audit."
)


def test_two_people_sharing_a_surname_stay_apart(nlp):
    entities, mentions = entities_of(nlp, SMITHS)
    assert "John Smith" in entities and "Jane Smith" in entities
    assert "Smith" not in entities
    alone = [m.entity for m in mentions if m.text == "Smith"]
    # Each lone "Smith" joins the nearest full name before it.
    assert alone == ["Jane Smith", "John Smith"]


EU = (
    "The European Union agreed new tariffs on Tuesday. EU ministers said the rules would take "
    "effect in March, and the EU's trade chief defended them. Germany, the bloc's largest "
    "economy, backed the plan, and German carmakers welcomed it."
)


def test_eu_joins_european_union_and_german_is_a_demonym(nlp):
    entities, mentions = entities_of(nlp, EU)
    eu = entities["European Union"]
    assert eu.aliases[:2] == ["European Union", "EU"] and eu.count == 3
    assert "EU" not in entities
    assert entities["Germany"].demonym_count == 1
    assert any(m.text == "German" and m.demonym and m.entity == "Germany" for m in mentions)


def test_company_and_actor_sharing_a_name_stay_apart(nlp):
    text = (
        "Harrison Ford stars in a film financed by the carmaker Ford. Ford lent the studio "
        "vintage trucks, and Ford engineers kept them running. Harrison Ford praised them."
    )
    entities, _ = entities_of(nlp, text)
    assert entities["Harrison Ford"].label == "PERSON"
    assert "Ford" not in entities["Harrison Ford"].aliases


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("the U.S.'s", "United States"),
        ("U.S.A.", "United States"),
        ("the United States of America", "United States"),
        ("Britain", "United Kingdom"),
        ("U.N.", "United Nations"),
        ("the Pentagon,", "Pentagon"),
        ("Biden’s", "Biden"),
        ("Boeing Co.", "Boeing Co."),
    ],
)
def test_normalise_name(written, expected):
    assert normalise_name(written) == expected


def test_normalise_person_strips_titles():
    assert normalise_name("Secretary of State Antony Blinken", person=True) == "Antony Blinken"
    assert normalise_name("Mr. Biden", person=True) == "Biden"
    assert normalise_name("General Motors") == "General Motors"


def test_canonical_lookup(nlp):
    entities, _ = extract_entities(nlp(SURNAME + " " + ACRONYM + " " + SMITHS))
    lookup = canonical_lookup(entities)
    assert lookup("Kowalczyk").name == "Marta Kowalczyk"
    assert lookup("Ms. Kowalczyk").name == "Marta Kowalczyk"
    assert lookup("N.H.T.S.A.").name == "National Highway Traffic Safety Administration"
    assert lookup("the administration").name == "National Highway Traffic Safety Administration"
    assert lookup("Smith") is None  # two people share it
    assert lookup("Jane Smith").name == "Jane Smith"
    assert lookup("a spokesperson") is None


def test_headline_entities_use_article_names(nlp, seed):
    entities = list(seed[0].values())
    names = headline_entities(nlp("US urges Israel to delay Gaza invasion as Blinken visits Cairo"), entities)
    assert names[:3] == ["United States", "Israel", "Gaza"]
    assert "Antony Blinken" in names
    assert "Cairo" in names  # not in the article: kept as written
