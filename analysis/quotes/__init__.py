"""Who said what: direct, partial and reported quotes, their speakers, and how sure we are.

- ``extract``: every quote in a document (``extract_quotes``): the candidates the rules propose,
  each with the features the classifier reads;
- ``marks``: quotation marks and paragraphs (quoted stretches, the narrator's text around them);
- ``cues``: what a cue is (the verb frames read from the lexicon, "according to", negation);
- ``spans``: the content of a reported clause (where it starts and stops, asides left out);
- ``speakers``: who speaks (the subject of a cue, resolved to a canonical name; what a source is);
- ``attribution``: the attribution rules of reported speech (``RULES``: source phrases,
  transcript lines, stance adjectives, statement nouns and the verb rules, tried in one order) and
  the cue and speaker of quotes in marks;
- ``lexicon``: the verb frames and word lists (a versioned data file behind one typed loader);
- ``roles``: the role the article gives each speaker (official, spokesperson, expert …);
- ``classifier``: the trained model that scores each candidate (``confidence``).
"""

from analysis.quotes.classifier import shown, shown_confidence, shown_confidences
from analysis.quotes.cues import REPORTING_VERBS
from analysis.quotes.extract import extract_quotes
from analysis.quotes.roles import ROLES
from analysis.quotes.speakers import mentions_from_ents

__all__ = ["REPORTING_VERBS", "ROLES", "extract_quotes", "mentions_from_ents", "shown", "shown_confidence", "shown_confidences"]
