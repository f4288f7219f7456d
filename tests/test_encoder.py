"""The ONNX MiniLM encoder: against the reference implementation's numbers, its batching, and the
converter's graph against a NumPy BERT forward pass (the oracle) on small random weights."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import analysis.encoder
from analysis.encoder import HEADS, MAX_TOKENS, EncoderMissing, encode_texts, load_encoder

REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "minilm_reference.json").read_text(encoding="utf-8"))


def test_matches_the_reference_implementation():
    """Word pieces equal, and hidden states of layer 4 close to, what transformers' BertModel gives
    for the same weights (the fixture was written with it; CI has no PyTorch). The shipped graph
    stores its weights as int8: its vectors move by about 0.01 on average (of 0.33), 0.04 at most."""
    encoder = load_encoder()
    for sentence in REFERENCE["sentences"]:
        (encoded,) = encoder.encode([sentence["text"]])
        assert encoder.tokenizer.encode(sentence["text"]).ids == sentence["ids"]
        reference = np.array(sentence["layer4"])
        got = encoded.hidden[:, :8]
        assert got.shape == reference.shape
        np.testing.assert_allclose(got, reference, atol=0.06)
        assert np.abs(got - reference).mean() < 0.02


def test_the_same_sentences_give_the_same_vectors():
    encoder = load_encoder()
    sentences = ["Prices rose.", "The council voted on Tuesday to delay the new budget by a month."]
    first, again = encoder.encode(sentences), encoder.encode(sentences)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a.hidden, b.hidden)


def test_a_batch_gives_what_each_sentence_gives_alone():
    """Padding is masked and results come back in input order: a short sentence beside a long one
    encodes as it does alone."""
    encoder = load_encoder()
    sentences = ["Prices rose.", "The council voted on Tuesday to delay the new budget by a month.", "Lee left."]
    together = encoder.encode(sentences)
    for sentence, encoded in zip(sentences, together, strict=True):
        (alone,) = encoder.encode([sentence])
        assert encoded.offsets == alone.offsets
        np.testing.assert_allclose(encoded.hidden, alone.hidden, atol=1e-4)


def test_encode_texts_reuses_what_is_known():
    known: dict = {}
    first = encode_texts(["  Prices rose. ", "Lee left."], known)
    assert set(first) == {"Prices rose.", "Lee left."} == set(known)
    again = encode_texts(["Prices rose."], known)
    assert again["Prices rose."] is first["Prices rose."]


def test_pieces_cover_the_characters_of_a_mention():
    encoder = load_encoder()
    sentence = "Councilwoman Ngozi Okonjo-Iweala spoke."
    (encoded,) = encoder.encode([sentence])
    start = sentence.index("Okonjo-Iweala")
    pieces = encoded.pieces(start, start + len("Okonjo-Iweala"))
    assert len(pieces) >= 3  # a rare name splits into several pieces
    covered = "".join(sentence[a:b] for a, b in (encoded.offsets[i] for i in pieces))
    assert covered == "Okonjo-Iweala"
    assert encoded.pieces(0, 0) == []


def test_a_very_long_sentence_is_cut_not_refused():
    encoder = load_encoder()
    (encoded,) = encoder.encode(["word " * 1000])
    assert encoded.hidden.shape == (MAX_TOKENS, 384)
    assert encoder.encode([]) == []


def test_a_missing_file_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(analysis.encoder, "ENCODER_RESOURCE", "no_such_encoder.onnx")
    load_encoder.cache_clear()
    try:
        with pytest.raises(EncoderMissing, match="no_such_encoder.onnx is missing; reinstall Newslens"):
            load_encoder()
    finally:
        load_encoder.cache_clear()


# -- the converter's graph against a NumPy forward pass --------------------------------------


def _layer_norm(x, gamma, beta, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(((x - mean) ** 2).mean(-1, keepdims=True) + eps) * gamma + beta


def _numpy_bert(weights: dict[str, np.ndarray], ids: np.ndarray, mask: np.ndarray, layers: int) -> np.ndarray:
    """BERT's encoder, written out in NumPy (post-norm, exact GELU): the oracle."""
    from math import erf

    gelu = np.vectorize(lambda v: 0.5 * v * (1.0 + erf(v / np.sqrt(2.0))))
    batch, length = ids.shape
    width = weights["embeddings.word_embeddings.weight"].shape[1]
    size = width // HEADS
    x = (
        weights["embeddings.word_embeddings.weight"][ids]
        + weights["embeddings.position_embeddings.weight"][:length]
        + weights["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
    bias = np.where(mask[:, None, None, :] > 0, 0.0, -10000.0)

    def dense(h, name):
        return h @ weights[name + ".weight"].T + weights[name + ".bias"]

    for n in range(layers):
        p = f"encoder.layer.{n}."
        q, k, v = (
            dense(x, p + f"attention.self.{name}").reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)
            for name in ("query", "key", "value")
        )
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        x = _layer_norm(x + dense(context, p + "attention.output.dense"), *(weights[p + f"attention.output.LayerNorm.{w}"] for w in ("weight", "bias")))
        x = _layer_norm(x + dense(gelu(dense(x, p + "intermediate.dense")), p + "output.dense"), *(weights[p + f"output.LayerNorm.{w}"] for w in ("weight", "bias")))
    return x


def _random_weights(width: int = 24, vocab: int = 50, positions: int = 16, layers: int = 2) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)

    def r(*shape):
        return rng.normal(0, 0.3, shape).astype(np.float32)

    w = {
        "embeddings.word_embeddings.weight": r(vocab, width),
        "embeddings.position_embeddings.weight": r(positions, width),
        "embeddings.token_type_embeddings.weight": r(2, width),
        "embeddings.LayerNorm.weight": 1 + r(width),
        "embeddings.LayerNorm.bias": r(width),
    }
    for n in range(layers):
        p = f"encoder.layer.{n}."
        for name, (rows, cols) in {
            "attention.self.query": (width, width), "attention.self.key": (width, width),
            "attention.self.value": (width, width), "attention.output.dense": (width, width),
            "intermediate.dense": (4 * width, width), "output.dense": (width, 4 * width),
        }.items():  # fmt: skip
            w[p + name + ".weight"], w[p + name + ".bias"] = r(rows, cols), r(rows)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[p + norm + ".weight"], w[p + norm + ".bias"] = 1 + r(width), r(width)
    return w


def test_the_converted_graph_computes_bert():
    import onnxruntime as ort

    from analysis.convert_encoder import build_graph

    weights = _random_weights()
    ids = np.array([[1, 5, 9, 2, 0, 0], [1, 7, 3, 8, 4, 2]], dtype=np.int64)
    mask = (np.arange(6)[None, :] < np.array([[4], [6]])).astype(np.int64)
    expected = _numpy_bert(weights, ids, mask, layers=2)
    for int8, tolerance in ((False, 1e-4), (True, 0.1)):  # int8-stored weights move it a little
        session = ort.InferenceSession(build_graph(weights, layers=2, int8=int8).SerializeToString())
        (hidden,) = session.run(["hidden"], {"input_ids": ids, "attention_mask": mask})
        np.testing.assert_allclose(hidden[0, :4], expected[0, :4], atol=tolerance)  # padding is masked
        np.testing.assert_allclose(hidden[1], expected[1], atol=tolerance)
        alone = session.run(["hidden"], {"input_ids": ids[:1, :4], "attention_mask": mask[:1, :4]})[0]
        np.testing.assert_allclose(alone[0], hidden[0, :4], atol=1e-5)
