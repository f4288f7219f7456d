"""Names of the shipped tone models, for the command line and the pages: which versions exist and
how to describe a stored one, without loading a model (nor NumPy, nor ONNX Runtime).

The targeted model that scores articles is ``accurate`` by default (``$NEWSLENS_TONE=fast`` or
``ingest --tone fast`` picks the fast one); both read the same sentence encoder for sentence tone.
"""

from __future__ import annotations

import os

__all__ = [
    "ACCURATE_RESOURCE", "ACCURATE_VERSION", "FAST_RESOURCE", "FAST_VERSION", "SENTENCE_RESOURCE",
    "SENTENCE_VERSION", "TONE_ENV", "TONE_MODELS", "describe_tone_model", "tone_model_name",
]  # fmt: skip

FAST_VERSION = "targeted_tone_v2"  # parse features and tok2vec vectors
ACCURATE_VERSION = "targeted_tone_v3"  # the same plus the MiniLM encoder's vectors
SENTENCE_VERSION = "sentence_tone_v1"  # Newslens tone of a sentence, a head on the same encoding
FAST_RESOURCE, ACCURATE_RESOURCE, SENTENCE_RESOURCE = (f"{v}.json" for v in (FAST_VERSION, ACCURATE_VERSION, SENTENCE_VERSION))
TONE_MODELS = ("accurate", "fast")
TONE_ENV = "NEWSLENS_TONE"  # which targeted model analyses articles: accurate (default) or fast


def tone_model_name(kind: str | None = None) -> str:
    """``accurate`` or ``fast``: ``kind`` if given, else ``$NEWSLENS_TONE``, else ``accurate``.

    >>> tone_model_name("FAST")
    'fast'
    """
    kind = (kind or os.environ.get(TONE_ENV) or "accurate").strip().lower()
    if kind not in TONE_MODELS:
        raise ValueError(f"{TONE_ENV} must be one of {', '.join(TONE_MODELS)}, not {kind!r}")
    return kind


def describe_tone_model(version: str) -> str:
    """A reader's name for a stored model version.

    >>> describe_tone_model("targeted_tone_v3")
    'the accurate model (targeted_tone_v3)'
    """
    names = {ACCURATE_VERSION: "accurate", FAST_VERSION: "fast"}
    if version in names:
        return f"the {names[version]} model ({version})"
    if version:
        return f"an earlier model ({version})"
    return "a model not recorded (the article was stored before Newslens kept it)"
