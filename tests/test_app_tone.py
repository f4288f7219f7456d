"""Tone page: the four measures with their explanations, and every tone chart."""

from analysis.figures import MEASURES
from tests import app_support as app
from tests.app_support import database, seed, xss_id

__all__ = ["database", "seed", "xss_id"]  # pytest fixtures used by name

PAGE = "pages/tone.py"


def test_renders_measures_with_explanations(seed):
    at = app.open_page(PAGE, article=seed)
    app.no_exception(at)
    assert {m.label for m in at.metric} >= {
        MEASURES[m].label for m in ("polarity", "subjectivity", "vader", "tone")
    }
    captions = " ".join(at.caption.values)
    assert MEASURES["vader"].help in captions and "Accuracy" in captions
    assert "scored at ingest by the accurate model (targeted_tone_v3)" in captions
    assert len(at.get("plotly_chart")) >= 6


def test_measure_and_entity_from_the_url(seed):
    at = app.open_page(PAGE, article=seed, measure="vader", entity="Israel")
    app.no_exception(at)
    assert at.query_params["measure"] == "vader"
    mentions = at.dataframe[0].value
    assert len(mentions) >= 1


def test_unknown_measure_is_a_friendly_message(seed):
    at = app.open_page(PAGE, article=seed, measure="happiness")
    app.no_exception(at)
    assert any("happiness" in i for i in at.info.values)


def test_unknown_article_is_a_friendly_message(seed):
    app.assert_unknown_article_is_friendly(PAGE)


def test_article_text_is_escaped(seed, xss_id):
    app.assert_page_escapes(PAGE, xss_id)


def test_the_accuracy_table_is_one_click_away(seed):
    at = app.open_page(PAGE, article=seed)
    expander = next(e for e in at.expander if e.label.startswith("Accuracy"))
    table = " ".join(m.value for m in expander.markdown)
    assert "macro-F1" in table and "TextBlob" in table and "python -m analysis evaluate" in table


def test_the_speaker_chart_keeps_only_the_quotes_the_quotes_page_shows(seed, database):
    from analysis.quotes import shown_confidences
    from analysis.store import Store

    store = Store(database)
    every = store.quotes_frame([seed])
    shown = store.quotes_frame([seed], min_confidence=shown_confidences(), statements_only=True)
    hidden = set(every["speaker"]) - set(shown["speaker"])  # speakers of hidden quotes alone
    assert hidden and len(shown)
    at = app.open_page(PAGE, article=seed)
    app.no_exception(at)
    [chart] = [c for c in at.get("plotly_chart") if c.proto.id and "speaker_tone" in c.proto.id]
    spec = chart.proto.spec
    assert all(name not in spec for name in hidden), hidden
    assert any(name in spec for name in shown["speaker"])
