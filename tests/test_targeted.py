from __future__ import annotations

import json
from importlib import resources

import pytest

import analysis.encoder
from analysis.encoder import EncoderMissing
from analysis.targeted import (
    ACCURATE_RESOURCE,
    FAST_RESOURCE,
    LABELS,
    TONE_ENV,
    VECTOR_WIDTH,
    TargetedToneModel,
    describe_tone_model,
    encoder_vectors,
    load_targeted_model,
    predict,
    predict_many,
    predict_spans,
    target_features,
    target_vector,
    tone_model_name,
)

SENTENCE = "Smith praised the plan while Jones was accused of fraud."


def _offsets(sentence: str, mention: str) -> tuple[int, int]:
    start = sentence.index(mention)
    return start, start + len(mention)


@pytest.mark.parametrize(("kind", "resource"), [("fast", FAST_RESOURCE), ("accurate", ACCURATE_RESOURCE)])
def test_models_load_from_the_package_resources(kind, resource):
    path = resources.files("analysis") / "resources" / resource
    assert path.is_file()
    model = load_targeted_model(kind)
    assert isinstance(model, TargetedToneModel)
    assert model is load_targeted_model(kind)
    assert model.version == json.loads(path.read_text(encoding="utf-8"))["version"]
    assert len(model.weights) > 1000
    assert model.uses_encoder == (kind == "accurate")


def test_the_accurate_model_is_the_default_and_the_environment_can_choose(monkeypatch):
    monkeypatch.delenv(TONE_ENV, raising=False)
    assert tone_model_name() == "accurate"
    assert load_targeted_model().uses_encoder
    monkeypatch.setenv(TONE_ENV, "fast")
    assert tone_model_name() == "fast"
    assert not load_targeted_model().uses_encoder
    monkeypatch.setenv(TONE_ENV, "best")
    with pytest.raises(ValueError, match="accurate, fast"):
        tone_model_name()


def test_stored_model_versions_read_as_names():
    assert describe_tone_model(load_targeted_model("accurate").version) == "the accurate model (targeted_tone_v3)"
    assert describe_tone_model(load_targeted_model("fast").version) == "the fast model (targeted_tone_v2)"
    assert describe_tone_model("targeted_tone_v1") == "an earlier model (targeted_tone_v1)"
    assert describe_tone_model("").startswith("a model not recorded")


def test_without_the_encoder_file_the_accurate_model_is_an_error_not_a_fallback(monkeypatch):
    monkeypatch.delenv(TONE_ENV, raising=False)
    monkeypatch.setattr(analysis.encoder, "ENCODER_RESOURCE", "missing.onnx")
    assert tone_model_name() == "accurate"
    with pytest.raises(EncoderMissing, match="missing.onnx is missing"):
        load_targeted_model()


@pytest.mark.parametrize("kind", ["fast", "accurate"])
def test_opposite_tone_toward_two_targets(kind):
    model = load_targeted_model(kind)
    smith = model.predict(SENTENCE, *_offsets(SENTENCE, "Smith"))
    jones = model.predict(SENTENCE, *_offsets(SENTENCE, "Jones"))
    assert smith.score > jones.score
    assert jones.label == "negative"


def test_output_shape():
    sentence = "The minister opened the new hospital on Monday."
    tone = predict(sentence, *_offsets(sentence, "The minister"))
    assert tone.label in LABELS
    assert -1 <= tone.score <= 1
    assert sum(tone.probabilities) == pytest.approx(1.0)
    assert tone.score == pytest.approx(tone.probabilities[2] - tone.probabilities[0])
    assert tone.label == LABELS[tone.probabilities.index(max(tone.probabilities))]


def test_predict_spans_reads_the_article_parse(nlp):
    """In an article the sentence keeps its grammar features exactly; only the contextual vectors
    see the neighbouring sentences' words, so the tone may move a little, never the label here."""
    text = "Protesters cheered. " + SENTENCE + " The mayor said nothing."
    doc = nlp(text)
    sentence = next(s for s in doc.sents if "Smith" in s.text)
    alone = nlp(SENTENCE)
    items = [(sentence, *_offsets(text, m)) for m in ("Smith", "Jones")]
    from_spans = predict_spans(items)
    direct = predict_many([(SENTENCE, *_offsets(SENTENCE, m)) for m in ("Smith", "Jones")])
    model = load_targeted_model()
    encoded = encoder_vectors(items)
    for (span, start, end), mention, a, b, e in zip(items, ("Smith", "Jones"), from_spans, direct, encoded, strict=True):
        offsets = _offsets(SENTENCE, mention)
        assert target_features(span, start, end) == target_features(alone[:], *offsets)
        assert a == model.classify(target_features(span, start, end), target_vector(span, start, end), e)
        assert a.label == b.label
        assert a.score == pytest.approx(b.score, abs=0.15)


def test_contextual_vector_counts_and_may_be_missing(nlp):
    doc = nlp(SENTENCE)
    start, end = _offsets(SENTENCE, "Jones")
    vector = target_vector(doc[:], start, end)
    assert vector is not None and vector.shape == (4 * VECTOR_WIDTH,)
    model = load_targeted_model()
    features = target_features(doc[:], start, end)
    assert model.classify(features, vector).probabilities != model.classify(features).probabilities
    bare = nlp.make_doc(SENTENCE)  # tokenised only: no tensor
    assert target_vector(bare[:], start, end) is None


def test_mention_between_tokens_still_gets_features(nlp):
    doc = nlp("Critics attacked Smith.")
    features = target_features(doc[:], 16, 16)  # empty span at "Smith"
    assert "s:critic" in features
    assert all(isinstance(v, float) for v in features.values())


def test_predict_many_keeps_order_and_length():
    items = [(SENTENCE, *_offsets(SENTENCE, m)) for m in ("Jones", "Smith", "Jones")]
    tones = predict_many(items)
    assert len(tones) == 3
    assert tones[0] == tones[2]
    assert all(t.label in LABELS for t in tones)
