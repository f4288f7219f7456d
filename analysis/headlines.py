"""Headline variants compared with each other and with the body.

Per variant: words, characters, tone (filled by the pipeline), entities named, framing verbs,
TF-IDF cosine similarity to the body, content words absent from the body; plus the pairwise
similarity of variants. Terms are lower-cased lemmas of content words (no stop words, no
punctuation or numbers), so "urges" in a headline meets "urged" in the body.

The IDF is the article's own: each body sentence is a document. A word that runs through the
whole article weighs less than one that appears in a single passage, which is what a reader means
by "this headline picks up that passage".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span

__all__ = ["content_terms", "TfidfSpace", "framing_verbs", "novel_words", "cosine"]


def content_terms(tokens: Iterable) -> list[str]:
    """Lower-cased lemmas of the content words among spaCy tokens."""
    return [
        (t.lemma_ or t.text).lower()
        for t in tokens
        if t.is_alpha and not t.is_stop and len(t.text) > 1
    ]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(term, 0.0) for term, w in a.items())
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return 0.0 if na == 0 or nb == 0 else min(1.0, dot / (na * nb))


class TfidfSpace:
    """TF-IDF vectors with IDF from a set of documents (term lists), smoothed as in scikit-learn."""

    def __init__(self, documents: Sequence[Sequence[str]]):
        n = len(documents)
        df = Counter(term for doc in documents for term in set(doc))
        self._idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        self._unseen = math.log(1 + n) + 1.0

    def vector(self, terms: Sequence[str]) -> dict[str, float]:
        tf = Counter(terms)
        return {t: c * self._idf.get(t, self._unseen) for t, c in tf.items()}

    def similarity(self, a: Sequence[str], b: Sequence[str]) -> float:
        return cosine(self.vector(a), self.vector(b))


def framing_verbs(doc: Doc | Span) -> list[str]:
    """Lemmas of a headline's main verbs, in order, once each ("urge", "warn", "slam").

    Headlines drop auxiliaries and often use present tense or bare participles, and the small
    tagger sometimes tags a sentence-initial verb as a proper noun in Title Case headlines;
    we take VERB tokens, plus the root when it is tagged as a verb form.
    """
    seen: dict[str, None] = {}
    for t in doc:
        if t.pos_ == "VERB" or (t.dep_ == "ROOT" and t.tag_.startswith("VB")):
            seen.setdefault(t.lemma_.lower(), None)
    return list(seen)


def novel_words(headline_terms: Iterable[str], body_terms: set[str]) -> list[str]:
    """Content words of the headline that the body never uses, in headline order, once each."""
    return list(dict.fromkeys(t for t in headline_terms if t not in body_terms))
