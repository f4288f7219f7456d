"""Tone toward one target mention in a sentence ("Smith praised the plan while Jones was accused").

Two models, multinomial logistic regressions trained on NewsMTSC's train split by
``python -m analysis.train_targeted``, ship as JSON resources (feature name -> one weight per
class, plus weight matrices for the dense blocks); inference is plain Python and small NumPy
products: no scikit-learn, no pickle, nothing downloaded.

- **accurate** (``targeted_tone_v3.json``, the default): the features below plus MiniLM's
  contextual vectors around the mention (``encoder_vectors``; ``analysis.encoder`` runs the
  first four layers of all-MiniLM-L6-v2 in ONNX Runtime, one pass per sentence, shared with the
  sentence-tone head);
- **fast** (``targeted_tone_v2.json``; ``$NEWSLENS_TONE=fast`` or ``ingest --tone fast``): the
  features below only. A missing encoder file is an error (``EncoderMissing``), never a silent
  switch to the fast model.

Features of a target, read from the spaCy parse of its sentence (see ``target_features`` and
``target_vector``):

- the sentence's words (lemmas) and word pairs with the mention masked (``<T> denied``), so the
  overall tone of the sentence counts;
- the words near the mention, weighted by 1/distance, and on which side they are;
- the mention's grammar: its dependency label, its governor and the governor's lemma
  (``nsubj|accuse``, ``nsubjpass|accuse``, ``pobj|by|praise``), its first ancestors, whether a
  negation governs it, the dependency path up to its clause's verb, and that verb by the
  mention's role and negation;
- the words syntactically close to the mention (its head's and its own subtree), and the
  mention's own words ("the embattled senator");
- VADER's lexicon summed over the close words, the window, the mention, and the clause verb with
  its complements (flipped under negation), also split by the mention's role; VADER's compound
  and TextBlob's polarity of the sentence; whether the mention sits inside a quotation, where it
  sits, and whether other entities share the sentence;
- the parse's own contextual token vectors (``doc.tensor``, the tok2vec layer the tagger, parser
  and NER share, so they cost nothing extra): the mean over the mention, over 4 tokens each side
  and over the sentence, and the governor's vector.

Measured (``python -m analysis evaluate tone ../shared/eval/newsmtsc/dev_rw.jsonl``, and dev_mt),
macro-F1 dev_rw / dev_mt: accurate 0.749 / 0.729 (cross-validated on train 0.742), fast 0.716 /
0.660 (CV 0.691), against VADER 0.51 / 0.53 and TextBlob 0.42 / 0.44 on the same targets. Speed
on one core, on the article's parse as ingest calls it (``python benchmarks/bench_targeted.py``,
100 PolNeAR articles): accurate 267 targets per second, fast about 3,000; the encoder's cost
grows with the sentences, not the targets (one pass per sentence).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np
from spacy.tokens import Doc, Span, Token

from analysis.encoder import WIDTH, Encoded, encode_texts, encoder_files
from analysis.lexicons import lexicon_scores, vader_analyzer
from analysis.linear import DenseBlock, linear_scores, softmax
from analysis.nlp import load_nlp
from analysis.tone_models import (
    ACCURATE_RESOURCE,
    ACCURATE_VERSION,
    FAST_RESOURCE,
    FAST_VERSION,
    TONE_ENV,
    TONE_MODELS,
    describe_tone_model,
    tone_model_name,
)

__all__ = [
    "ACCURATE_RESOURCE",
    "ACCURATE_VERSION",
    "FAST_RESOURCE",
    "FAST_VERSION",
    "LABELS",
    "TONE_ENV",
    "TONE_MODELS",
    "TargetTone",
    "TargetedToneModel",
    "describe_tone_model",
    "encoder_vectors",
    "load_targeted_model",
    "sentence_key",
    "tone_model_name",
    "target_features",
    "target_vector",
    "predict",
    "predict_many",
    "predict_spans",
]

LABELS: tuple[str, str, str] = ("negative", "neutral", "positive")

WINDOW = 6  # tokens on each side of the mention that count as "near"
ANCESTORS = 3  # how far up the tree the mention's governors are read
QUOTE_CHARS = frozenset('"“”')
_ROLES = {
    "nsubj": "agent", "agent": "agent", "nsubjpass": "patient", "dobj": "patient",
    "pobj": "oblique", "poss": "owner", "compound": "owner", "appos": "other", "conj": "other",
}
_SKIP_POS = frozenset({"PUNCT", "SPACE", "DET", "NUM", "SYM", "X"})
_COMPLEMENTS = frozenset({"dobj", "acomp", "attr", "xcomp", "ccomp", "oprd"})
VECTOR_WIDTH = 96  # en_core_web_sm's tok2vec width; ``target_vector`` is four such blocks
VECTOR_WINDOW = 4  # tokens on each side whose vectors ``target_vector`` averages
ENCODER_WINDOW = 6  # word pieces on each side that ``encoder_vectors`` averages


class TargetTone(NamedTuple):
    """Tone toward one mention: its class, ``score = P(positive) - P(negative)`` in [-1, 1], and
    the class probabilities in ``LABELS`` order."""

    label: str
    score: float
    probabilities: tuple[float, float, float]


def _word(token: Token) -> str:
    return token.lemma_.lower() or token.lower_


def _target_tokens(span: Span, start: int, end: int) -> list[Token]:
    """Tokens of ``span`` that overlap the characters ``[start, end)`` of its Doc; the nearest
    token when none does (a mention that falls between tokens)."""
    inside = [t for t in span if t.idx < end and t.idx + len(t.text) > start]
    if inside:
        return inside
    return [min(span, key=lambda t: abs(t.idx - start))]


def _mention_head(target: list[Token]) -> Token:
    """The mention's syntactic head: its first token whose governor lies outside the mention."""
    ids = {t.i for t in target}
    for token in target:
        if token.head.i not in ids or token.head.i == token.i:
            return token
    return target[0]


def _valence(token: Token) -> float:
    """VADER's lexicon valence of a word form or, failing that, of its lemma."""
    lexicon = vader_analyzer().lexicon
    return lexicon.get(token.lower_, lexicon.get(token.lemma_.lower(), 0.0))


def _in_quote(span: Span, position: int) -> bool:
    """Whether an odd number of quotation marks precede ``position`` in the sentence."""
    text = span.text[: position - span.start_char]  # the sentence only: doc.text rebuilds the whole text
    return sum(text.count(q) for q in QUOTE_CHARS) % 2 == 1


def _clause_verb(token: Token) -> tuple[Token, list[str]]:
    """The nearest verb above ``token`` (the clause it takes part in) and the dependency labels
    on the way up; the root when no verb governs it."""
    path: list[str] = []
    while token.head.i != token.i:
        path.append(token.dep_)
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            break
    return token, path


def _role(head: Token) -> str:
    if head.dep_ == "pobj" and head.head.lower_ == "by":
        return "agent"  # "was attacked by X"
    return _ROLES.get(head.dep_, "other")


def target_features(span: Span, start: int, end: int) -> dict[str, float]:
    """The sparse features of the mention at Doc characters ``[start, end)`` in sentence ``span``."""
    target = _target_tokens(span, start, end)
    ids = {t.i for t in target}
    first, last = target[0].i, target[-1].i
    head = _mention_head(target)
    feats: dict[str, float] = {}

    def add(name: str, value: float = 1.0) -> None:
        feats[name] = feats.get(name, 0.0) + value

    # The sentence and the window around the mention.
    window_valence = 0.0
    for token in span:
        if token.i in ids or token.pos_ in _SKIP_POS:
            continue
        word = _word(token)
        feats["s:" + word] = 1.0
        distance = first - token.i if token.i < first else token.i - last
        if distance <= WINDOW:
            side = "l:" if token.i < first else "r:"
            add("w:" + word, 1.0 / distance)
            add(side + word, 1.0 / distance)
            window_valence += _valence(token) / distance

    # The mention's grammar.
    dep = head.dep_
    add("dep:" + dep)
    governor = head.head
    if head.dep_ == "pobj":
        verb = governor.head
        add(f"gov:pobj|{_word(governor)}|{_word(verb)}")
        add(f"gov:pobj|{_word(governor)}")
        governor = verb
    add(f"gov:{dep}|{_word(governor)}")
    add("govword:" + _word(governor))
    negated = False
    for depth, ancestor in enumerate(head.ancestors):
        if depth >= ANCESTORS:
            break
        add("anc:" + _word(ancestor))
        if any(child.dep_ == "neg" for child in ancestor.children):
            negated = True
    if negated:
        add("neg")
        add(f"neg:{dep}")
    if head.ent_type_:
        add("ent:" + head.ent_type_)
    if head.pos_ == "PRON":
        add("pron")

    # Words syntactically close to the mention: its own subtree and its governor's children.
    close_valence = 0.0
    close = {t.i: t for t in head.subtree if t.i not in ids}
    close.update({t.i: t for t in governor.children if t.i not in ids})
    close[governor.i] = governor
    for token in close.values():
        if token.pos_ in _SKIP_POS or not (span.start <= token.i < span.end):
            continue
        add("c:" + _word(token))
        close_valence += _valence(token)

    # Lexicon scores, scaled to about [-1, 1]; the governor's and the close words' valence also
    # by the mention's role, since "X attacked" and "X was attacked" point opposite ways.
    role = _role(head)
    governor_valence = _valence(governor)
    feats["x:gov|" + role] = governor_valence / 3.0
    feats["x:close|" + role] = math.tanh(close_valence / 3.0)
    # Lexicon scores, scaled to about [-1, 1].
    feats["x:vader"], feats["x:textblob"], _ = lexicon_scores(span.text.strip())
    feats["x:window"] = math.tanh(window_valence / 3.0)
    feats["x:close"] = math.tanh(close_valence / 3.0)
    if _in_quote(span, start):
        add("quoted")

    # The sentence's word pairs with the mention masked ("<T> denied", "accused <T>").
    sequence: list[str] = []
    for token in span:
        if token.i in ids:
            if not sequence or sequence[-1] != "<T>":
                sequence.append("<T>")
        elif not (token.is_punct or token.is_space):
            sequence.append(token.lower_)
    for left, right in zip(sequence, sequence[1:], strict=False):
        feats[f"bg:{left}_{right}"] = 1.0

    # The mention's own words ("the embattled senator", "protesters").
    own_valence = 0.0
    for token in target:
        if token.pos_ not in _SKIP_POS:
            add("t:" + _word(token))
            own_valence += _valence(token)
    feats["x:target"] = math.tanh(own_valence / 3.0)

    # The clause verb: the path up to it, the verb by role and negation, and the valence of the
    # verb and its complements ("X failed to deliver", "X did not win"), flipped under negation.
    verb, path = _clause_verb(head)
    add("path:" + ">".join(path[:3]))
    verb_negated = any(child.dep_ == "neg" for child in verb.children)
    add(f"cv:{_word(verb)}|{role}|{int(verb_negated)}")
    verb_valence = _valence(verb)
    for child in verb.children:
        if child.dep_ in _COMPLEMENTS and child.i not in ids:
            verb_valence += 0.5 * sum(_valence(t) for t in child.subtree if t.i not in ids)
    feats["x:verb|" + role] = math.tanh((-verb_valence if verb_negated else verb_valence) / 3.0)
    feats["x:vader|" + role] = feats["x:vader"]
    feats["x:window|" + role] = feats["x:window"]

    # Where the mention sits, and whether it shares the sentence with other entities.
    feats["x:position"] = (head.i - span.start) / max(1, len(span))
    if head.i - span.start <= 1:
        add("initial")
    others = sum(1 for t in span if t.ent_iob_ == "B" and t.i not in ids)  # not span.ents: O(doc)
    feats["x:others"] = min(others, 5) / 5.0
    if not others:
        add("alone")
    return feats


def target_vector(span: Span, start: int, end: int) -> np.ndarray | None:
    """The parse's contextual token vectors (``doc.tensor``, tok2vec) around the mention: the mean
    over the mention, over ``VECTOR_WINDOW`` tokens each side, over the sentence, and the governor's vector.
    ``None`` when the Doc carries no tensor."""
    doc = span.doc
    tensor = doc.tensor
    if tensor is None or tensor.ndim != 2 or tensor.shape != (len(doc), VECTOR_WIDTH):
        return None
    target = _target_tokens(span, start, end)
    ids = [t.i for t in target]
    first, last = ids[0], ids[-1]
    window = [
        i for i in range(max(span.start, first - VECTOR_WINDOW), min(span.end, last + VECTOR_WINDOW + 1))
        if i not in ids
    ]
    return np.concatenate(
        [
            tensor[ids].mean(axis=0),
            tensor[window].mean(axis=0) if window else np.zeros(VECTOR_WIDTH, dtype=tensor.dtype),
            tensor[span.start : span.end].mean(axis=0),
            tensor[_mention_head(target).head.i],
        ]
    )


def sentence_key(span: Span) -> tuple[str, int]:
    """The text a sentence is encoded under (stripped, as the pipeline stores sentences) and the
    Doc character where that text starts."""
    text = span.text
    stripped = text.strip()
    return stripped, span.start_char + (len(text) - len(text.lstrip()))


def encoder_vectors(
    items: Sequence[tuple[Span, int, int]], encodings: Mapping[str, Encoded] | None = None
) -> np.ndarray:
    """MiniLM's contextual vectors for each target (``analysis.encoder``): the mean over the
    mention's word pieces, over ``ENCODER_WINDOW`` pieces each side, over the sentence, and its
    [CLS] vector; one row of 4 x 384 per item. Sentences already in ``encodings`` (stripped text
    -> ``Encoded``, as the pipeline shares them with sentence tone) are not encoded again; the
    others are encoded once each, however many targets they hold."""
    keys = [sentence_key(span) for span, _, _ in items]
    encoded = encode_texts([text for text, _ in keys], encodings)
    rows = np.zeros((len(items), 4 * WIDTH), dtype=np.float32)
    for row, ((text, offset), (_, start, end)) in enumerate(zip(keys, items, strict=True)):
        e = encoded[text]
        hidden = e.hidden
        inside = e.pieces(start - offset, end - offset) or [min(1, len(hidden) - 1)]
        first, last = min(inside), max(inside)
        window = [
            i for i in range(max(1, first - ENCODER_WINDOW), min(len(hidden) - 1, last + ENCODER_WINDOW + 1))
            if i not in inside
        ]
        rows[row] = np.concatenate(
            [
                hidden[inside].mean(axis=0),
                hidden[window].mean(axis=0) if window else np.zeros(WIDTH, dtype=np.float32),
                e.body().mean(axis=0),
                hidden[0],
            ]
        )
    return rows


class TargetedToneModel:
    """A linear classifier over ``target_features``, ``target_vector`` and, in the accurate model,
    ``encoder_vectors``: per-feature weights for each of ``LABELS``, and a weight matrix over each
    standardised dense block."""

    def __init__(
        self,
        weights: dict[str, Sequence[float]],
        bias: Sequence[float],
        version: str,
        dense: dict | None = None,
        encoder: dict | None = None,
    ):
        self.weights = {name: tuple(w) for name, w in weights.items()}
        self.bias = tuple(bias)
        self.version = version
        self.dense = DenseBlock.from_json(dense)  # the parse's tok2vec block (``target_vector``)
        self.encoder = DenseBlock.from_json(encoder)  # MiniLM's block (``encoder_vectors``), accurate model only

    @classmethod
    def from_json(cls, data: dict) -> TargetedToneModel:
        if tuple(data["labels"]) != LABELS:
            raise ValueError(f"model labels {data['labels']} are not {LABELS}")
        return cls(
            data["weights"], data["bias"], data["version"], data.get("dense"), data.get("encoder")
        )

    @property
    def uses_encoder(self) -> bool:
        return self.encoder is not None

    def classify(
        self, features: dict[str, float], vector: np.ndarray | None = None, encoded: np.ndarray | None = None
    ) -> TargetTone:
        """Softmax of the linear scores; unknown features are ignored, and a missing vector
        counts as the training mean (it adds nothing)."""
        scores = linear_scores(self.bias, self.weights, features)
        for block, x in ((self.dense, vector), (self.encoder, encoded)):
            if block is not None and x is not None:
                dense = block.scores(x)
                for k in range(3):
                    scores[k] += float(dense[k])
        probs = softmax(scores)
        label = LABELS[probs.index(max(probs))]
        return TargetTone(label, probs[2] - probs[0], probs)

    def predict_spans(
        self, items: Iterable[tuple[Span, int, int]], encodings: Mapping[str, Encoded] | None = None
    ) -> list[TargetTone]:
        """Tone toward each ``(sentence span, start, end)``; offsets index the span's Doc.
        ``encodings`` holds sentences already encoded (see ``encoder_vectors``)."""
        items = list(items)
        encoded = encoder_vectors(items, encodings) if self.uses_encoder and items else [None] * len(items)
        return [
            self.classify(target_features(span, start, end), target_vector(span, start, end), e)
            for (span, start, end), e in zip(items, encoded, strict=True)
        ]

    def predict_many(self, items: Sequence[tuple[str, int, int]]) -> list[TargetTone]:
        """Tone toward each ``(sentence, start, end)``; offsets index the sentence. Parses the
        sentences once each with ``load_nlp()`` (the whole pipeline: a feature reads NER)."""
        docs: dict[str, Doc] = {}
        unique = list(dict.fromkeys(sentence for sentence, _, _ in items))
        for text, doc in zip(unique, load_nlp().pipe(unique), strict=True):
            docs[text] = doc
        return self.predict_spans((docs[s][:], start, end) for s, start, end in items)

    def predict(self, sentence: str, start: int, end: int) -> TargetTone:
        """Tone toward ``sentence[start:end]``."""
        return self.predict_many([(sentence, start, end)])[0]


def load_targeted_model(kind: str | None = None) -> TargetedToneModel:
    """The targeted model ``tone_model_name(kind)`` names, loaded once per process; for the
    accurate model, ``EncoderMissing`` when the encoder's files are not installed."""
    if tone_model_name(kind) == "accurate":
        encoder_files()
        return _load(ACCURATE_RESOURCE)
    return _load(FAST_RESOURCE)


@lru_cache(maxsize=2)
def _load(resource: str) -> TargetedToneModel:
    path = resources.files("analysis") / "resources" / resource
    return TargetedToneModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def predict(sentence: str, start: int, end: int) -> TargetTone:
    """Tone toward ``sentence[start:end]`` with the shipped model."""
    return load_targeted_model().predict(sentence, start, end)


def predict_many(items: Sequence[tuple[str, int, int]]) -> list[TargetTone]:
    """Tone toward each ``(sentence, start, end)`` with the shipped model."""
    return load_targeted_model().predict_many(items)


def predict_spans(
    items: Iterable[tuple[Span, int, int]], encodings: Mapping[str, Encoded] | None = None
) -> list[TargetTone]:
    """Tone toward each ``(sentence span, start, end)`` of an already parsed Doc; no re-parsing."""
    return load_targeted_model().predict_spans(items, encodings)
