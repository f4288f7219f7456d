"""Add article page: paste or upload, preview the cleaning, save, get the article's link."""

from analysis.store import Store
from tests import app_support as app
from tests.app_support import database

__all__ = ["database"]  # pytest fixtures used by name

PAGE = "pages/add.py"
PASTED = """Harbour city opens new ferry line to the islands

The harbour authority opened a ferry line on Tuesday that links the old port with three islands.

"This line cuts the trip from two hours to forty minutes," said Anna Berg, who directs the authority.

Fares start at four euros, and the first boats were full before noon, officials said.
"""
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def test_renders_without_input(database):
    at = app.open_page(PAGE)
    app.no_exception(at)
    assert any("Nothing to preview" in c for c in at.caption.values)


def test_paste_preview_and_save(database):
    at = app.open_page(PAGE)
    before = Store(database).count()
    at.text_area[0].input(PASTED).run()
    app.no_exception(at)
    assert any("Harbour city opens new ferry line" in h for h in at.html.values)  # preview title
    at.button(key="save").click().run()
    app.no_exception(at)
    assert Store(database).count() == before + 1
    assert any("Saved" in s for s in at.success.values)
    link = at.get("page_link")[0].proto
    assert "article=" in link.query_string
    assert at.text_area[0].value == ""  # the form is emptied after saving


def test_bad_uploads_are_reported_and_good_ones_saved(database):
    at = app.open_page(PAGE)
    before = Store(database).count()
    at.file_uploader[0].set_value(
        [
            ("good.txt", PASTED.replace("ferry", "bus").encode(), "text/plain"),
            ("picture.txt", PNG, "text/plain"),
            ("empty.md", b"   \n", "text/markdown"),
        ]
    ).run()
    app.no_exception(at)
    errors = " ".join(at.error.values)
    assert "binary" in errors and "empty" in errors
    at.button(key="save").click().run()
    app.no_exception(at)
    assert Store(database).count() == before + 1
    assert any("binary" in e for e in at.error.values)


def test_each_file_has_its_own_source_and_failures_are_not_counted_to_save(database):
    at = app.open_page(PAGE)
    at.file_uploader[0].set_value(
        [
            ("one.txt", PASTED.replace("ferry", "tram").encode(), "text/plain"),
            ("two.txt", PASTED.replace("ferry", "cable car").encode(), "text/plain"),
            ("picture.txt", PNG, "text/plain"),
        ]
    ).run()
    app.no_exception(at)
    assert at.button(key="save").label == "Save 2 articles"  # the binary file is not counted
    assert any("1 input cannot be saved" in c for c in at.caption.values)
    at.text_input(key="source_0_0").input("Tram Weekly").run()
    at.text_input(key="source_0_1").input("Cable Car News").run()
    at.button(key="save").click().run()
    app.no_exception(at)
    frame = Store(database).articles_frame(limit=50)
    sources = dict(zip(frame["title"], frame["source"], strict=True))
    assert sources["Harbour city opens new tram line to the islands"] == "Tram Weekly"
    assert sources["Harbour city opens new cable car line to the islands"] == "Cable Car News"
    assert at.text_input(key="meta_source_1").value == ""  # the default source does not linger

