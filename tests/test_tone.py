from __future__ import annotations

from dataclasses import astuple

import pytest

from analysis.model import ToneScores
from analysis.tone import aggregate, news_valence, score_text, score_texts, tone_label


@pytest.mark.parametrize(
    "text", ["The rising death toll alarmed officials.", "We lost half our customers last year."]
)
def test_news_events_are_negative_where_textblob_is_not_clearly(text):
    scores = score_text(text)
    assert scores.polarity > -0.1  # TextBlob: 0.0 and -0.08, i.e. about neutral
    assert scores.tone < -0.15
    assert scores.tone < score_text("The committee met on Tuesday.").tone


def test_clear_sentences_get_the_right_sign():
    good, bad = score_texts(
        [
            "The rescue was a wonderful success and everyone praised the brave volunteers.",
            "The attack was a horrible disaster that killed dozens of innocent people.",
        ]
    )
    assert good.tone > 0.3 and tone_label(good.tone) == "positive"
    assert bad.tone < -0.3 and tone_label(bad.tone) == "negative"
    assert -1 <= bad.tone <= good.tone <= 1
    assert 0 <= good.subjectivity <= 1


def test_neutral_report_is_neutral():
    scores = score_text("The committee will meet on Tuesday to discuss the schedule.")
    assert tone_label(scores.tone) == "neutral"


def test_news_valence_handles_phrases_inflections_and_negation():
    assert news_valence("the death toll rose") < 0
    assert news_valence("the layoffs continued") < 0
    assert news_valence("the miners were rescued") > 0
    assert news_valence("nobody was killed") > news_valence("three were killed")
    assert news_valence("the committee met") == 0.0


def test_score_texts_matches_score_text():
    texts = ["Markets hit a record high.", "", "Nothing happened."]
    assert score_texts(texts) == [score_text(t) for t in texts]


def test_aggregate_weights_and_edge_cases():
    a, b = ToneScores(1.0, 0.5, 0.8, 0.6), ToneScores(-1.0, 0.1, -0.4, -0.2)
    assert astuple(aggregate([a, b])) == pytest.approx((0.0, 0.3, 0.2, 0.2))
    weighted = aggregate([a, b], [3, 1])
    assert weighted.tone == pytest.approx(0.4)
    assert weighted.polarity == pytest.approx(0.5)
    assert aggregate([]) == ToneScores(0.0, 0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        aggregate([a, b], [1.0])
