from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.lexicons import lexicon_scores, news_events, news_valence


def test_news_valence_handles_phrases_inflections_and_negation():
    assert news_valence("the death toll rose") < 0
    assert news_valence("the layoffs continued") < 0
    assert news_valence("the miners were rescued") > 0
    assert news_valence("nobody was killed") > news_valence("three were killed")
    assert news_valence("the committee met") == 0.0


def test_the_news_lexicon_is_a_data_file():
    events = news_events()
    assert events.events["death toll"] < 0 < events.events["rescued"]
    assert "not" in events.negators
    assert all(-4 <= v <= 4 for v in events.events.values())


@pytest.mark.parametrize(
    "text", ["The rescue was a wonderful success.", "A terrible, awful day.", "The committee met.", ""]
)
def test_textblob_scores_are_textblobs(text):
    from textblob import TextBlob

    _, polarity, subjectivity = lexicon_scores(text)
    assert (polarity, subjectivity) == tuple(TextBlob(text).sentiment)


def test_textblob_scores_do_not_import_nltk():
    """NLTK (and SciPy, scikit-learn under it) cost seconds at every start; the pattern lexicon
    does not need them."""
    code = (
        "import sys; from analysis.lexicons import lexicon_scores; lexicon_scores('A good day.');"
        "print('nltk' in sys.modules, 'textblob' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
