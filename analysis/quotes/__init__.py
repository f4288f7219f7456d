"""Who said what: direct, partial and reported quotes, their speakers, and how sure we are.

- ``extract``: the quotation marks, cues and attribution rules that propose candidates, and the
  speakers they resolve to;
- ``lexicon``: the verb frames and word lists (a versioned data file behind one typed loader);
- ``roles``: the role the article gives each speaker (official, spokesperson, expert …);
- ``classifier``: the trained model that scores each candidate (``confidence``).
"""

from analysis.quotes.classifier import shown, shown_confidence, shown_confidences
from analysis.quotes.extract import REPORTING_VERBS, extract_quotes, mentions_from_ents
from analysis.quotes.roles import ROLES

__all__ = ["REPORTING_VERBS", "ROLES", "extract_quotes", "mentions_from_ents", "shown", "shown_confidence", "shown_confidences"]
