from __future__ import annotations

import json
from dataclasses import astuple
from importlib import resources

import pytest

from analysis.encoder import encode_texts
from analysis.model import ToneScores
from analysis.tone import aggregate, load_sentence_model, score_text, score_texts, tone_label
from analysis.tone_models import SENTENCE_RESOURCE, SENTENCE_VERSION


def test_the_sentence_model_is_its_own_versioned_resource():
    data = json.loads((resources.files("analysis") / "resources" / SENTENCE_RESOURCE).read_text(encoding="utf-8"))
    model = load_sentence_model()
    assert model.version == data["version"] == SENTENCE_VERSION
    assert 0 < model.threshold < 1
    assert len(model.encoder.mean) == 2 * 384  # pieces' mean and [CLS]


@pytest.mark.parametrize(
    "text",
    [
        "The rising death toll alarmed officials.",
        "We lost half our customers last year.",
        "The company pays its workers substandard wages, and the report links its suppliers to human trafficking and child exploitation.",
        "Former staff describe a toxic work culture rife with fear and intimidation, a hostile work environment.",
    ],
)
def test_bad_news_is_negative_where_textblob_is_not_clearly(text):
    scores = score_text(text)
    assert scores.tone < -0.15
    assert scores.tone < score_text("The committee met on Tuesday.").tone
    if "death toll" not in text:  # the other three read as clearly negative
        assert tone_label(scores.tone) == "negative"


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


def test_textblob_and_vader_stay_beside_tone():
    scores = score_text("The rescue was a wonderful success.")
    assert scores.polarity > 0.5 and scores.vader > 0.5 and scores.subjectivity > 0


def test_shared_encodings_give_the_same_scores():
    """The pipeline encodes sentences once and hands them over: the scores do not change."""
    texts = ["Markets hit a record high.", "", "Nothing happened."]
    known = encode_texts(texts)
    assert score_texts(texts, known) == score_texts(texts)
    alone = [score_text(t) for t in texts]
    for together, single in zip(score_texts(texts), alone, strict=True):
        assert together.tone == pytest.approx(single.tone, abs=1e-4)
        assert together.polarity == single.polarity


def test_no_texts_no_scores():
    assert score_texts([]) == []


def test_aggregate_weights_and_edge_cases():
    a, b = ToneScores(1.0, 0.5, 0.8, 0.6), ToneScores(-1.0, 0.1, -0.4, -0.2)
    assert astuple(aggregate([a, b])) == pytest.approx((0.0, 0.3, 0.2, 0.2))
    weighted = aggregate([a, b], [3, 1])
    assert weighted.tone == pytest.approx(0.4)
    assert weighted.polarity == pytest.approx(0.5)
    assert aggregate([]) == ToneScores(0.0, 0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        aggregate([a, b], [1.0])


def test_words_read_in_their_sentence_use_its_encoding():
    """``context_vector`` over every piece of a sentence is that sentence's own vector; over a
    part of it, the mean of that part's pieces beside the sentence's [CLS]."""
    import numpy as np

    from analysis.tone import context_vector, sentence_vector

    sentence = "Critics called the plan a disaster for the city."
    encoded = encode_texts([sentence])[sentence]
    body = list(range(1, len(encoded.hidden) - 1))
    assert np.allclose(context_vector([(encoded, body)]), sentence_vector(encoded))
    part = encoded.pieces(sentence.index("a disaster"), len(sentence))
    vector = context_vector([(encoded, part)])
    assert np.allclose(vector[:384], encoded.hidden[part].mean(axis=0))
    assert np.allclose(vector[384:], encoded.hidden[0])
    assert context_vector([]) is None and context_vector([(encoded, [])]) is None
    (tone,) = score_texts(["a disaster for the city."], vectors=[vector])
    assert tone.tone < 0  # the head reads it as it reads a sentence
