"""Overview page on a store made by the previous engine: the stale and original-not-kept notes,
re-analysing one article, deleting one with confirmation, and links to old and deleted ids."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from tests import app_support as app
from tests.conftest import FIXTURES

PAGE = "pages/overview.py"
LEGACY = FIXTURES / "legacy_store" / "store_3aecb59.sqlite"


@pytest.fixture(scope="module")
def legacy_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("manage") / "legacy.sqlite"
    shutil.copy(LEGACY, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSLENS_DB", str(path))
        yield path


def _legacy_id(title_start: str) -> str:
    con = sqlite3.connect(LEGACY)
    found = con.execute("SELECT id FROM articles WHERE title LIKE ?", (title_start + "%",)).fetchone()[0]
    con.close()
    return found


def _captions(at) -> str:
    return " ".join(c for c in at.caption.values)


def test_reanalyse_one_article_keeps_its_old_link(legacy_db):
    old_id = _legacy_id("Library opens late")
    at = app.open_page(PAGE, article=old_id)
    app.no_exception(at)
    assert "Analysed by an older engine" in _captions(at) and "Original not kept" in _captions(at)
    at.button(key="reanalyse").click().run()
    app.no_exception(at)
    assert any("analysed with the current engine" in s for s in at.success.values)
    new_id = at.query_params["article"]
    assert new_id != old_id
    assert "older engine" not in _captions(at) and "stored title and paragraphs" in _captions(at)
    again = app.open_page(PAGE, article=old_id)  # the link shared before the upgrade
    app.no_exception(again)
    assert again.query_params["article"] == new_id
    assert any("Library opens late" in h for h in again.html.values)


def test_delete_asks_first_then_links_say_deleted(legacy_db):
    old_id = _legacy_id("City approves new flood barrier")
    at = app.open_page(PAGE, article=old_id)
    count = sqlite3.connect(legacy_db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    at.button(key="delete").click().run()
    app.no_exception(at)
    assert any("cannot be undone" in w for w in at.warning.values)
    assert sqlite3.connect(legacy_db).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == count
    at.button(key="delete_confirm").click().run()
    app.no_exception(at)
    assert any("Deleted" in s for s in at.success.values)
    assert sqlite3.connect(legacy_db).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == count - 1
    for page in (PAGE, "pages/quotes.py"):
        shared = app.open_page(page, article=old_id)
        app.no_exception(shared)
        assert any("was deleted" in w for w in shared.warning.values), shared.warning.values
