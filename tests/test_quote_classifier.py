"""The candidate classifier and the lexicon it was trained with."""

from __future__ import annotations

import json
from importlib import resources

from analysis.model import Quote
from analysis.quotes.classifier import CLASSIFIER_VERSION, load_classifier, shown, shown_confidence
from analysis.quotes.extract import candidates
from analysis.quotes.lexicon import LEXICON_VERSION, load_lexicon


def test_the_shipped_model_names_its_lexicon_and_thresholds():
    model = load_classifier()
    assert model.version == CLASSIFIER_VERSION and model.lexicon_version == LEXICON_VERSION
    assert set(model.thresholds) == {"direct", "partial", "indirect"}
    assert all(0.0 < t < 1.0 for t in model.thresholds.values())
    raw = json.loads((resources.files("analysis") / "resources" / f"quote_classifier_v{CLASSIFIER_VERSION}.json").read_text())
    assert raw["trained_on"].startswith("PolNeAR train")


def test_lexicon_classes():
    lex = load_lexicon()
    assert lex.source_class("spokeswoman") == "person"
    assert lex.source_class("poll") == "document"
    assert lex.source_class("administration") == "group"
    assert lex.source_class("fear") == "" and lex.source_class("release") == ""


def test_scores_rank_a_said_clause_above_a_stray_object(nlp):
    doc = nlp("Ann Lee, the city's mayor, said the budget would be balanced by June.\n\nIts support for its ally grew.")
    found = {c.quote.rule: c for c in candidates(doc, [])}
    model = load_classifier()
    said = model.score(found["reporting_clause"].features)
    assert said >= shown_confidence("indirect")
    if "noun_preposition" in found:  # "support for its ally" is no statement
        assert model.score(found["noun_preposition"].features) < said


def test_negated_quotes_are_never_shown():
    quote = Quote("x y z", "Ann Lee", "say", "indirect", 0, 5, 0, 0, confidence=0.99, negated=True)
    assert not shown(quote)
    quote.negated = False
    assert shown(quote)


def test_the_verb_frames_are_data_of_the_lexicon_version():
    frames = load_lexicon().frames
    assert {"say", "tell", "warn"} <= frames.reporting_verbs
    assert "endorse" in frames.stance_verbs and "urge" in frames.intention_verbs
    assert frames.stance_prepositions["call"] == ("for",) and "for" in frames.noun_prepositions["support"]
    assert "expect" in frames.passive_verbs and "close" not in frames.passive_verbs
    assert "that" in frames.light_nouns["case"] and "of" in frames.stance_adjectives["critical"]
    raw = json.loads((resources.files("analysis") / "resources" / f"quote_lexicon_v{LEXICON_VERSION}.json").read_text())
    assert raw["version"] == LEXICON_VERSION and sorted(raw["frames"]["reporting_verbs"]) == sorted(frames.reporting_verbs)


def test_a_model_trained_with_another_lexicon_is_refused():
    try:
        load_classifier(1)  # trained with lexicon v1
    except ValueError as err:
        assert "lexicon v1" in str(err)
    else:
        raise AssertionError("quote_classifier_v1 loaded with another lexicon")


def test_a_report_inside_a_report_is_marked_for_the_model(nlp):
    doc = nlp("Ann Lee, a senior adviser, said she believed the council would approve the budget.")
    found = {c.quote.text: c.features for c in candidates(doc, []) if c.quote.kind == "indirect"}
    outer = found["she believed the council would approve the budget"]
    inner = found["the council would approve the budget"]
    assert outer.get("nests") == 1.0 and "nested" not in outer
    assert inner.get("nested") == 1.0 and inner.get("nested_in=indirect|reporting_clause") == 1.0
    assert inner.get("nested_cue=believe") == 1.0
