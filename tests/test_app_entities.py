"""Entities page: top entities for the article or corpus, type filter, keyword in context."""

from tests import app_support as app
from tests.app_support import database, seed, xss_id

__all__ = ["database", "seed", "xss_id"]  # pytest fixtures used by name

PAGE = "pages/entities.py"


def test_renders_the_seed_entities(seed):
    at = app.open_page(PAGE, article=seed)
    app.no_exception(at)
    entities = at.dataframe[0].value
    assert "Israel" in set(entities["entity"])
    assert len(at.get("plotly_chart")) >= 3


def test_label_and_scope_from_the_url(seed):
    at = app.open_page(PAGE, article=seed, label="PERSON", scope="corpus")
    app.no_exception(at)
    entities = at.dataframe[0].value
    assert set(entities["label"]) == {"PERSON"}
    assert "articles" in entities.columns  # corpus view


def test_entity_in_context_is_highlighted(seed):
    at = app.open_page(PAGE, article=seed, entity="Eliav Benjamin")
    app.no_exception(at)
    kwic = [h for h in at.html.values if "<mark" in h and "Eliav Benjamin" in h]
    assert kwic


def test_stale_entity_and_label_are_friendly_messages(seed):
    at = app.open_page(PAGE, article=seed, entity="Atlantis", label="NOPE")
    app.no_exception(at)
    infos = " ".join(at.info.values)
    assert "Atlantis" in infos and "NOPE" in infos


def test_unknown_article_is_a_friendly_message(seed):
    app.assert_unknown_article_is_friendly(PAGE)


def test_article_text_is_escaped(seed, xss_id):
    app.assert_page_escapes(PAGE, xss_id)
