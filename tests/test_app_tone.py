"""Tone page: the four measures with their explanations, and every tone chart."""

from analysis.figures import MEASURES
from tests.app_support import (
    assert_page_escapes,
    assert_unknown_article_is_friendly,
    database,
    no_exception,
    open_page,
    seed,
    xss_id,
)

__all__ = ["database", "seed", "xss_id"]  # fixtures

PAGE = "pages/tone.py"


def test_renders_measures_with_explanations(seed):
    at = open_page(PAGE, article=seed)
    no_exception(at)
    assert {m.label for m in at.metric} >= {
        MEASURES[m].label for m in ("polarity", "subjectivity", "vader", "tone")
    }
    captions = " ".join(at.caption.values)
    assert MEASURES["vader"].help in captions and "Accuracy" in captions
    assert len(at.get("plotly_chart")) >= 6


def test_measure_and_entity_from_the_url(seed):
    at = open_page(PAGE, article=seed, measure="vader", entity="Israel")
    no_exception(at)
    assert at.query_params["measure"] == "vader"
    mentions = at.dataframe[0].value
    assert len(mentions) >= 1


def test_unknown_measure_is_a_friendly_message(seed):
    at = open_page(PAGE, article=seed, measure="happiness")
    no_exception(at)
    assert any("happiness" in i for i in at.info.values)


def test_unknown_article_is_a_friendly_message(seed):
    assert_unknown_article_is_friendly(PAGE)


def test_article_text_is_escaped(seed, xss_id):
    assert_page_escapes(PAGE, xss_id)
