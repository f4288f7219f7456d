"""Overview page: the article card, its highlighted text, the list of articles."""

import re

from tests import app_support as app
from tests.app_support import database, seed, xss_id

__all__ = ["database", "seed", "xss_id"]  # pytest fixtures used by name

PAGE = "pages/overview.py"


def test_renders_the_newest_article_by_default(seed):
    at = app.open_page(PAGE)
    app.no_exception(at)
    assert any(app.SEED_TITLE in h for h in at.html.values)
    assert {m.label for m in at.metric} >= {"Words", "Quotes"}
    assert at.query_params["article"] == seed  # the share link names the article
    assert any(f"article={seed}" in c for c in at.code.values)


def test_highlights_quotes_and_entities(seed):
    at = app.open_page(PAGE, article=seed)
    body = next(h for h in at.html.values if "Eliav Benjamin" in h)
    assert "<mark" in body


def test_unknown_article_is_a_friendly_message(seed):
    app.assert_unknown_article_is_friendly(PAGE)


def test_article_text_is_escaped(seed, xss_id):
    at = app.assert_page_escapes(PAGE, xss_id)
    body = next(h for h in at.html.values if "council" in h)
    text = re.sub(r"<mark[^>]*>|</mark>", "", body)  # the highlights may cut through
    assert "**bold**" in text and "[link](javascript:alert(1))" in text
    assert "<a " not in body and "<strong" not in body


def test_choosing_an_article_in_the_sidebar_updates_the_url(seed, xss_id):
    at = app.open_page(PAGE, article=seed)
    at.sidebar.selectbox(key="article_picker").select(xss_id).run()
    app.no_exception(at)
    assert at.query_params["article"] == xss_id


def test_what_cleaning_removed_is_listed(seed):
    at = app.open_page(PAGE, article=seed)
    expander = next(e for e in at.expander if e.label.startswith("What cleaning removed"))
    removed = expander.dataframe[0].value
    assert len(removed) >= 1 and set(removed.columns) == {"reason", "text"}



def test_only_the_quotes_the_quotes_page_shows_are_highlighted(seed, database):
    from analysis.quotes import shown_confidences
    from analysis.store import Store
    from pages._shared import highlight_html

    store = Store(database)
    body = store.article(seed)["body"]
    entities = [(m.start, m.end, "entity") for m in store.mentions_frame(seed).itertuples()]
    shown = store.quotes_frame([seed], min_confidence=shown_confidences(), statements_only=True)
    every = store.quotes_frame([seed])
    expected = highlight_html(body, [(q.start, q.end, "quote") for q in shown.itertuples()] + entities)
    everything = highlight_html(body, [(q.start, q.end, "quote") for q in every.itertuples()] + entities)
    assert expected != everything  # the seed has low-confidence quotes the Quotes page hides
    at = app.open_page(PAGE, article=seed)
    assert expected in at.html.values
