"""Which engine produced an analysis: one version per stage, recorded with every stored article.

Bump a stage's number in ``STAGE_VERSIONS`` whenever a change alters what that stage outputs for
the same input (a new cleaning model, new quote rules, a retrained tone head …). The store records
the versions an article was analysed with; ``reanalyze --stale`` re-runs the articles whose
recorded versions differ from the current ones, and the pages say when an article is stale.

>>> sorted(STAGE_VERSIONS)
['clean', 'entities', 'quotes', 'tone']
"""

from __future__ import annotations

import json
from functools import lru_cache

__all__ = ["STAGE_VERSIONS", "current_engine", "engine_key", "stale_parts", "STAGE_NAMES"]

STAGE_VERSIONS: dict[str, int] = {
    "clean": 2,  # analysis/clean.py and its line model
    "entities": 1,  # analysis/entities.py (NER merging, aliases)
    "quotes": 3,  # analysis/quotes (cues, speakers, the candidate classifier); 3: verb frames as data (lexicon v2), passives, classifier v2
    "tone": 2,  # analysis/tone.py, targeted.py, encoder.py (sentence and targeted heads); 2: ONNX encoder, sentence_tone_v1
}

STAGE_NAMES = {"clean": "cleaning", "entities": "entities", "quotes": "quotes", "tone": "tone",
               "spacy": "spaCy model"}  # fmt: skip


@lru_cache(maxsize=1)
def current_engine() -> dict[str, int | str]:
    """What this engine records with each article: the stage versions and the spaCy model
    (read from the installed package's metadata, without loading the pipeline)."""
    from analysis.nlp import package_model_version

    return {**STAGE_VERSIONS, "spacy": package_model_version()}


def engine_key(engine: dict) -> str:
    """The canonical text of an engine record (stored, and compared to find stale articles)."""
    return json.dumps(engine, sort_keys=True) if engine else ""


def stale_parts(recorded: dict) -> list[str]:
    """The parts of the engine that changed since ``recorded`` (all of them for an article stored
    before engines were recorded), as names a reader understands.

    >>> stale_parts({**current_engine()})
    []
    >>> stale_parts({**current_engine(), "quotes": 0})
    ['quotes']
    """
    current = current_engine()
    return [STAGE_NAMES.get(k, k) for k in current if not recorded or recorded.get(k) != current[k]]
