"""Which engine produced an analysis: one version per stage, recorded with every stored article.

Bump a stage's number in ``STAGE_VERSIONS`` whenever a change alters what that stage outputs for
the same input (a new cleaning model, new quote rules, a retrained tone head …). The store records
the versions an article was analysed with; ``reanalyze --stale`` re-runs the articles whose
recorded versions differ from the current ones, and the pages say when an article is stale.

>>> sorted(STAGE_VERSIONS)
['clean', 'entities', 'quotes', 'tone']
"""

from __future__ import annotations

__all__ = ["STAGE_VERSIONS"]

STAGE_VERSIONS: dict[str, int] = {
    "clean": 2,  # analysis/clean.py and its line model
    "entities": 1,  # analysis/entities.py (NER merging, aliases)
    "quotes": 2,  # analysis/quotes (cues, speakers, the candidate classifier)
    "tone": 2,  # analysis/tone.py, targeted.py, encoder.py (sentence and targeted heads); 2: ONNX encoder, sentence_tone_v1
}
