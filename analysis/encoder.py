"""A small BERT encoder (the first four layers of all-MiniLM-L6-v2) run with ONNX Runtime:
contextual vectors for the word pieces of a sentence, read by the targeted-tone model
(``analysis.targeted``) and the sentence-tone head (``analysis.tone``) from one pass.

The graph and its weights (stored as int8, computed in float32) ship in ``resources/``
(``ENCODER_RESOURCE``, about 19 MB, and the WordPiece tokenizer ``TOKENIZER_RESOURCE``), converted
from the sentence-transformers checkpoint by ``python -m analysis.convert_encoder``; nothing is
downloaded. Four of six layers: cross-validated
on NewsMTSC train, four beat two, three and six for targeted tone. One call encodes many
sentences, sorted by length and batched so that padding stays small; a process runs the session
on ``threads`` cores (one by default: ingest already runs one worker per core).

>>> encoded = load_encoder().encode(["Smith praised the plan."])[0]
>>> encoded.hidden.shape[1]
384
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = [
    "ENCODER_LAYERS", "ENCODER_RESOURCE", "HEADS", "TOKENIZER_RESOURCE", "WIDTH", "Encoded",
    "Encoder", "EncoderMissing", "encode_texts", "encoder_files", "load_encoder",
]  # fmt: skip

ENCODER_LAYERS = 4  # MiniLM layers converted (CV on train, targeted tone: 2 0.724, 3 0.739, 4 0.743, 6 0.737)
ENCODER_RESOURCE = "minilm_l4_int8_v1.onnx"
TOKENIZER_RESOURCE = "minilm_tokenizer_v1.json"
HEADS, WIDTH = 12, 384
MAX_TOKENS = 128  # word pieces a sentence is cut to (news sentences rarely pass 60)
BATCH_PIECES = 2048  # word pieces per batch (rows x longest): big enough to amortise a call


class EncoderMissing(RuntimeError):
    """A file of the encoder is missing from the installed package."""


class Encoded(NamedTuple):
    """One sentence: ``hidden`` (pieces x 384, [CLS] and [SEP] included) and each piece's
    character span in the sentence (``(0, 0)`` for [CLS] and [SEP])."""

    hidden: np.ndarray
    offsets: list[tuple[int, int]]

    def pieces(self, start: int, end: int) -> list[int]:
        """Indexes of the word pieces that overlap characters ``start:end``."""
        return [i for i, (a, b) in enumerate(self.offsets) if b > a and a < end and b > start]

    def body(self) -> np.ndarray:
        """The pieces' vectors without [CLS] and [SEP] (all of them for an empty sentence)."""
        return self.hidden[1:-1] if len(self.hidden) > 2 else self.hidden


def encoder_files() -> tuple[Path, Path]:
    """The installed ONNX graph and tokenizer; ``EncoderMissing`` names a missing one."""
    folder = resources.files("analysis") / "resources"
    paths = (Path(str(folder / ENCODER_RESOURCE)), Path(str(folder / TOKENIZER_RESOURCE)))
    for path in paths:
        if not path.is_file():
            raise EncoderMissing(
                f"the tone encoder file {path} is missing; reinstall Newslens (pip install -e .) or "
                "rebuild it with python -m analysis.convert_encoder"
            )
    return paths


class Encoder:
    """MiniLM's first layers in ONNX Runtime. ``encode(sentences)`` -> one ``Encoded`` each."""

    def __init__(self, graph: Path, tokenizer: Path, threads: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # The int8-stored weights are dequantised once, at load (constant folding), not per call.
        options.add_session_config_entry("session.disable_quant_qdq", "1")
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self.width = WIDTH

    def encode(self, sentences: Sequence[str]) -> list[Encoded]:
        """Contextual vectors of each sentence's word pieces, in input order. Sentences are
        sorted by length and batched up to ``BATCH_PIECES`` pieces, so padding stays small."""
        encodings = self.tokenizer.encode_batch(list(sentences), add_special_tokens=True)
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        results: list[Encoded | None] = [None] * len(encodings)
        first = 0
        while first < len(order):
            last = first + 1
            while last < len(order) and (last - first + 1) * len(encodings[order[last]].ids) <= BATCH_PIECES:
                last += 1
            chunk = order[first:last]
            length = len(encodings[chunk[-1]].ids)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.int64)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            (hidden,) = self.session.run(["hidden"], {"input_ids": ids, "attention_mask": mask})
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                results[i] = Encoded(hidden[row, :n].copy(), list(encodings[i].offsets))
            first = last
        return results  # type: ignore[return-value]


@lru_cache(maxsize=2)
def load_encoder(threads: int = 1) -> Encoder:
    """The encoder, loaded once per process; ``EncoderMissing`` when its files are absent."""
    return Encoder(*encoder_files(), threads=threads)


def encode_texts(texts: Iterable[str], known: Mapping[str, Encoded] | None = None) -> dict[str, Encoded]:
    """Stripped text -> ``Encoded`` for each of ``texts``: those already in ``known`` are reused,
    the others encoded in one call (and added to ``known`` when it is a dict, so the next caller
    shares them: the pipeline encodes an article's sentences once for targeted and sentence tone)."""
    known = {} if known is None else known
    wanted = list(dict.fromkeys(t.strip() for t in texts))
    missing = [t for t in wanted if t not in known]
    if missing:
        fresh = dict(zip(missing, load_encoder().encode(missing), strict=True))
        if isinstance(known, dict):
            known.update(fresh)
        else:
            known = {**known, **fresh}
    return {t: known[t] for t in wanted}
