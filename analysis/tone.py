"""Tone of a sentence, paragraph, headline or article.

``score_texts`` returns, per text, TextBlob's pattern ``polarity`` and ``subjectivity``, VADER's
``compound`` (``analysis.lexicons``) and ``tone``, Newslens tone in [-1, 1]:
P(positive) - P(negative) of a 3-class logistic head (``SentenceToneModel``, shipped as
``resources/sentence_tone_v1.json``) over the sentence's MiniLM encoding (``analysis.encoder``:
the mean of its word pieces' vectors and its [CLS] vector, the same pass the targeted model
reads), VADER's compound, TextBlob's polarity and the news-event valence, plus, when
cross-validation kept them, the sentence's words. Trained by ``python -m
analysis.train_sentence_tone`` on the NewsMTSC train sentences whose targets all share one label
(the label then stands for the sentence's tone); the features, C and the neutral band chosen by
5-fold cross-validation on train. ``tone_label`` calls |tone| below the trained band neutral.
Paragraph, headline and article tone are length-weighted means of their sentences (``aggregate``).
Quoted words are scored where they were said: the head reads the mean of their word pieces in
the encodings of the sentences they span, and those sentences' [CLS] (``context_vector``), so a
quote costs no encoder pass of its own (the encoder is most of ingest's time).

Measured with ``python -m analysis evaluate tone ../shared/eval/newsmtsc/dev_rw.jsonl`` (and
dev_mt): see the README's Accuracy table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np

from analysis.encoder import Encoded, encode_texts
from analysis.lexicons import WORD, lexicon_scores, news_valence
from analysis.linear import DenseBlock, linear_scores, softmax
from analysis.model import ToneScores
from analysis.tone_models import SENTENCE_RESOURCE

__all__ = [
    "LABELS",
    "SentenceToneModel",
    "aggregate",
    "context_vector",
    "load_sentence_model",
    "sentence_features",
    "sentence_vector",
    "score_text",
    "score_texts",
    "tone_label",
]

LABELS: tuple[str, str, str] = ("negative", "neutral", "positive")


def sentence_features(text: str, *, words: bool = True) -> dict[str, float]:
    """The head's sparse and lexicon features: VADER's compound, TextBlob's polarity, the news
    valence and (with ``words``) the lower-cased words."""
    vader, polarity, _ = lexicon_scores(text.strip())
    features = {"w:" + word: 1.0 for word in WORD.findall(text.lower())} if words else {}
    features["x:vader"] = vader
    features["x:textblob"] = polarity
    features["x:news"] = news_valence(text)
    return features


def sentence_vector(encoded: Encoded) -> np.ndarray:
    """The sentence's encoding as the head reads it: the mean of its pieces' vectors, then [CLS]."""
    return np.concatenate([encoded.body().mean(axis=0), encoded.hidden[0]])


def context_vector(parts: Sequence[tuple[Encoded, Sequence[int]]]) -> np.ndarray | None:
    """``sentence_vector`` of words read inside their sentences: the mean of their pieces' vectors
    (``parts``: each sentence's encoding and the indexes of the words' pieces in it), then the mean
    of those sentences' [CLS] vectors. None when no piece is given."""
    pieces = [encoded.hidden[list(indexes)] for encoded, indexes in parts if len(indexes)]
    if not pieces:
        return None
    cls = np.mean([encoded.hidden[0] for encoded, _ in parts], axis=0)
    return np.concatenate([np.concatenate(pieces).mean(axis=0), cls])


class SentenceToneModel:
    """The sentence-tone head: per-feature weights for each of ``LABELS``, a standardised block
    over ``sentence_vector``, and the neutral band ``threshold`` of ``tone``."""

    def __init__(self, data: Mapping):
        if tuple(data["labels"]) != LABELS:
            raise ValueError(f"model labels {data['labels']} are not {LABELS}")
        self.version: str = data["version"]
        self.words: bool = bool(data["words"])
        self.weights = {name: tuple(w) for name, w in data["weights"].items()}
        self.bias = tuple(data["bias"])
        self.encoder = DenseBlock.from_json(data["encoder"])
        self.threshold: float = float(data["threshold"])

    def tones(
        self,
        texts: Sequence[str],
        encodings: Mapping[str, Encoded] | None = None,
        vectors: Sequence[np.ndarray | None] | None = None,
    ) -> list[float]:
        """``tone`` of each text; texts already in ``encodings`` are not encoded again, and a text
        given its vector (``vectors[i]``, e.g. a ``context_vector``) is not encoded at all."""
        if not texts:
            return []
        vectors = list(vectors) if vectors is not None else [None] * len(texts)
        encoded = encode_texts([t for t, v in zip(texts, vectors, strict=True) if v is None], encodings)
        rows = [sentence_vector(encoded[t.strip()]) if v is None else v for t, v in zip(texts, vectors, strict=True)]
        dense = self.encoder.scores(np.array(rows))
        out = []
        for text, extra in zip(texts, dense, strict=True):
            scores = linear_scores(self.bias, self.weights, sentence_features(text, words=self.words))
            negative, _, positive = softmax([s + float(e) for s, e in zip(scores, extra, strict=True)])
            out.append(positive - negative)
        return out


@lru_cache(maxsize=1)
def load_sentence_model() -> SentenceToneModel:
    """The shipped sentence-tone head, loaded once per process."""
    path = resources.files("analysis") / "resources" / SENTENCE_RESOURCE
    return SentenceToneModel(json.loads(path.read_text(encoding="utf-8")))


def score_texts(
    texts: Sequence[str],
    encodings: Mapping[str, Encoded] | None = None,
    vectors: Sequence[np.ndarray | None] | None = None,
) -> list[ToneScores]:
    """All tone scores of each text; ``encodings`` (stripped text -> ``Encoded``) holds texts
    the caller has already encoded, so the pipeline encodes each sentence once; ``vectors`` gives
    the head's encoder input of some texts (quotes: ``context_vector``)."""
    tones = load_sentence_model().tones(texts, encodings, vectors)
    out = []
    for text, tone in zip(texts, tones, strict=True):
        vader, polarity, subjectivity = lexicon_scores(text.strip())
        out.append(ToneScores(polarity=polarity, subjectivity=subjectivity, vader=vader, tone=float(tone)))
    return out


def score_text(text: str) -> ToneScores:
    """All tone scores of one piece of text.

    >>> score_text("The rising death toll alarmed officials.").tone < 0
    True
    """
    return score_texts([text])[0]


def tone_label(tone: float) -> str:
    """``negative`` / ``neutral`` / ``positive`` for a ``tone`` value, neutral within the
    trained band."""
    threshold = load_sentence_model().threshold
    if tone <= -threshold:
        return "negative"
    if tone >= threshold:
        return "positive"
    return "neutral"


def aggregate(scores: Sequence[ToneScores], weights: Sequence[float] | None = None) -> ToneScores:
    """Weighted mean of each score, e.g. sentence tones weighted by length for a paragraph.

    Empty input gives all zeros; weights that sum to zero count every score equally.

    >>> aggregate([ToneScores(1, 1, 1, 1), ToneScores(0, 0, 0, 0)], [3, 1]).tone
    0.75
    """
    if not scores:
        return ToneScores(0.0, 0.0, 0.0, 0.0)
    if weights is None or sum(weights) <= 0:
        weights = [1.0] * len(scores)
    if len(weights) != len(scores):
        raise ValueError(f"{len(weights)} weights for {len(scores)} scores")
    total = float(sum(weights))

    def mean(values: Sequence[float]) -> float:
        return sum(w * v for w, v in zip(weights, values, strict=True)) / total

    return ToneScores(
        polarity=mean([s.polarity for s in scores]),
        subjectivity=mean([s.subjectivity for s in scores]),
        vader=mean([s.vader for s in scores]),
        tone=mean([s.tone for s in scores]),
    )
