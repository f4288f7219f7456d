"""Headlines page: one article's variants, or several articles' titles compared."""

from tests import app_support as app
from tests.app_support import database, seed, xss_id

__all__ = ["database", "seed", "xss_id"]  # pytest fixtures used by name

PAGE = "pages/headlines.py"


def test_renders_the_seed_variants(seed):
    at = app.open_page(PAGE, article=seed)
    app.no_exception(at)
    variants = at.dataframe[0].value
    assert len(variants) >= 3 and "title" in set(variants["role"])
    assert len(at.get("plotly_chart")) == 2  # tone per variant, similarity heatmap


def test_compares_several_articles_from_the_url(seed, xss_id):
    at = app.open_page(PAGE, article=f"{seed},{xss_id}")
    app.no_exception(at)
    assert len(at.dataframe[0].value) == 2
    assert at.multiselect(key="compare").value == [seed, xss_id]


def test_unknown_ids_are_left_out_with_a_message(seed):
    at = app.open_page(PAGE, article=f"{seed},missing")
    app.no_exception(at)
    assert any("missing" in w for w in at.warning.values)
    assert at.query_params["article"] == seed


def test_unknown_article_is_a_friendly_message(seed):
    app.assert_unknown_article_is_friendly(PAGE)


def test_article_text_is_escaped(seed, xss_id):
    app.assert_page_escapes(PAGE, xss_id)
