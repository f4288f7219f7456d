"""Shared set-up for the page tests (``tests/test_app_*.py``): a temporary database per test
module, an XSS probe article, and ``open_page`` to run one page with query parameters in AppTest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
OVERVIEW = "pages/overview.py"
TIMEOUT = 120  # the first run loads spaCy and analyses the seed

SEED_TITLE = "United States urges Israel to delay Gaza invasion"
XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_TEXT = f"""{XSS_TITLE}

The council met on Monday and called the plan **bold** in a statement. Its members shared a [link](javascript:alert(1)) with reporters before the vote in the city hall.

"We will vote again next week," said Maria Lopez, the council chair, after the meeting ended.

Opponents said the plan would cost more than the city could afford, and they asked for a new study.
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Iterator[str]:
    """A fresh SQLite file for the module, set as NEWSLENS_DB, with the seed article stored
    (the app would store it on its first run; doing it here makes the seed the oldest article)."""
    from analysis.ingest import seed_store
    from analysis.store import Store

    path = tmp_path_factory.mktemp("app") / "newslens.sqlite"
    store = Store(str(path))
    seed_store(store)
    store.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSLENS_DB", str(path))
        yield str(path)


@pytest.fixture(scope="module")
def seed(database: str) -> str:
    """The id of the seed article."""
    from analysis.store import Store

    found = Store(database).articles_frame(SEED_TITLE)
    assert len(found) == 1, found
    return found["id"].iloc[0]


@pytest.fixture(scope="module")
def xss_id(database: str) -> str:
    """Store the XSS probe article (as plain text, so its Markdown and HTML stay literal)."""
    from analysis.ingest import ingest
    from analysis.pipeline import ArticleInput
    from analysis.store import Store

    store = Store(database)
    summary = ingest(store, [ArticleInput(text=XSS_TEXT, name="xss", format="text")])
    store.close()
    assert summary.added or summary.existing, summary.failed
    return (summary.added or summary.existing)[0]


def open_page(page: str, **params: str | list[str]) -> AppTest:
    """Run ``page`` (e.g. ``"pages/quotes.py"``) of the app with these query parameters.

    The Overview (the default page) runs once; any other page needs a first run to register
    the pages. (In AppTest 1.67 the sidebar is empty after the first run of a session, so
    sidebar checks open the Overview.)
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params = dict(params)
    at.run()
    if page != OVERVIEW:
        at.switch_page(page)
        at.query_params = dict(params)
        at.run()
    return at


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def assert_unknown_article_is_friendly(page: str) -> None:
    """An id that is not stored gives a warning and a way out, never an exception."""
    at = open_page(page, article="0000000000000000")
    no_exception(at)
    assert any("No stored article has the id" in w for w in at.warning.values)
    assert at.get("page_link")


def assert_page_escapes(page: str, xss_id: str) -> AppTest:
    """``page`` shows the XSS probe article literally (see ``assert_escaped``)."""
    at = open_page(page, article=xss_id)
    no_exception(at)
    assert_escaped(at)
    return at


def assert_escaped(at: AppTest) -> None:
    """The XSS probe shows literally: escaped inside HTML, and never in Markdown (where its
    ``**bold**`` and ``[link](javascript:…)`` would become markup)."""
    markdown = [e.value for e in (*at.markdown, *at.caption, *at.title, *at.subheader)]
    assert not any("onerror" in m or "javascript:" in m or "**bold**" in m for m in markdown), (
        markdown
    )
    html = at.html.values
    assert not any("<img" in h for h in html)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in h for h in html), html
