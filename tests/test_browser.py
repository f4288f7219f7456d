"""End to end in headless Chromium: the real server, pages opened by URL, links that reproduce a
view in a fresh browser context, and an article added by pasting.

Needs Debian's Chromium at /usr/bin/chromium (CI installs it). With ``NEWSLENS_SCREENSHOTS=1``
every page is also saved to docs/screenshots/<page>.png.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "docs" / "screenshots"
START_TIMEOUT = 90  # seconds for the server to answer
TIMEOUT_MS = 90_000  # the first page load stores and analyses the seed
SEED_TITLE = "United States urges Israel to delay Gaza invasion"
PASTED_TITLE = "Mountain town votes to rebuild its old railway bridge"
XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_TEXT = f"""{XSS_TITLE}

The council called the plan **bold** and shared a [link](javascript:alert(1)) with reporters on Monday.

"We will vote again next week," said Maria Lopez, the council chair, after the meeting in the city hall.
"""
PASTED = f"""{PASTED_TITLE}

The town council of Alder Ridge voted on Thursday to rebuild the railway bridge that closed after last year's floods.

"The bridge is how our children get to school," said Tomas Reyes, the mayor, after the vote.

Work starts in the spring and should take two years, the council said in a statement.
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser") / "newslens.sqlite"


@contextmanager
def serve(database: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a free port over ``database``; yields the base URL."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    tmp = database.parent
    port = _free_port()
    env = {**os.environ, "NEWSLENS_DB": str(database)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(tmp / f"server-{port}.log", "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start:\n{(tmp / f'server-{port}.log').read_text()}")
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def server(database: Path) -> Iterator[str]:
    """The app on a fresh database, shared by the tests of this module."""
    with serve(database) as base:
        yield base


@contextmanager
def launch_chromium():
    """Debian's headless Chromium under Playwright, closed on leaving."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser(server):
    with launch_chromium() as browser:
        yield browser


def open_page(browser, url: str):
    """``url`` in a new browser context (a fresh session: no cookies, no Streamlit state)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    settle(page)
    return page


def settle(page) -> None:
    """Wait until the app has rendered and stopped running."""
    page.locator('[data-testid="stMain"]').wait_for()
    page.wait_for_timeout(300)
    # The script's own state: on a loaded machine the status widget may not have shown yet, and a
    # widget filled while the first run is still going is reset when that run ends.
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    page.locator('[data-testid="stSkeleton"]').first.wait_for(state="hidden")


def screenshot(page, name: str) -> None:
    """The whole page (Streamlit scrolls inside stMain, so the viewport grows to fit it)."""
    if not os.environ.get("NEWSLENS_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.wait_for_timeout(2000)  # let charts redraw at the new size
    page.screenshot(path=SCREENSHOTS / f"{name}.png")
    page.set_viewport_size(size)


def share_url(page) -> str:
    """The link the page offers for copying (its ``st.code`` block)."""
    codes = page.locator('[data-testid="stCode"]')
    return codes.last.inner_text().strip()


@pytest.fixture(scope="module")
def seed_id(browser, server) -> str:
    page = open_page(browser, server)
    page.get_by_text(SEED_TITLE).first.wait_for()
    match = re.search(r"article=([0-9a-f]{16})", page.url)
    assert match, page.url
    screenshot(page, "overview")
    page.context.close()
    return match.group(1)


def test_overview_shows_the_seed_and_a_reproducible_link(browser, server, seed_id):
    page = open_page(browser, f"{server}/?article={seed_id}")
    page.get_by_text(SEED_TITLE).first.wait_for()
    assert page.locator("mark").count() > 3  # quotes and entities highlighted
    assert f"article={seed_id}" in share_url(page)
    page.context.close()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("headlines", "Headlines"),
        ("entities", "Eliav Benjamin"),
        ("tone", "VADER compound"),
        ("quotes", "quotes match"),
    ],
)
def test_each_page_by_url(browser, server, seed_id, path, expected):
    page = open_page(browser, f"{server}/{path}?article={seed_id}")
    page.get_by_text(expected).first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()  # charts draw after the text
    assert not page.locator('[data-testid="stException"]').count()
    screenshot(page, path)
    page.context.close()


def test_a_filtered_quotes_link_reproduces_the_view(browser, server, seed_id):
    page = open_page(
        browser, f"{server}/quotes?article={seed_id}&kind=direct&speaker=Eliav+Benjamin"
    )
    caption = page.get_by_text(re.compile(r"\d+ of \d+ quotes match")).first.inner_text()
    shown, total = map(int, re.findall(r"\d+", caption)[:2])
    assert 0 < shown < total
    link = share_url(page)
    assert "kind=direct" in link and "speaker=Eliav" in link
    screenshot(page, "quotes_filtered")
    page.context.close()

    fresh = open_page(browser, link)
    fresh.get_by_text(caption).first.wait_for()
    fresh.locator('[data-testid="stMultiSelect"]').get_by_text("Eliav Benjamin").first.wait_for()
    fresh.context.close()


@pytest.fixture(scope="module")
def added_link(browser, server) -> str:
    """Paste an article on /add, save it, and return the link the page offers."""
    page = open_page(browser, f"{server}/add")
    screenshot(page, "add")
    textbox = page.get_by_role("textbox", name="Article text")
    textbox.fill(PASTED)
    textbox.press("Control+Enter")
    settle(page)
    page.get_by_text("Preview of the cleaning", exact=True).wait_for()
    screenshot(page, "add_preview")
    page.get_by_role("button", name=re.compile(r"Save 1 article")).click()
    page.get_by_text("Saved: article").wait_for()
    settle(page)
    link = share_url(page)
    page.context.close()
    return link


def test_an_added_article_opens_from_its_link_in_a_new_context(browser, added_link):
    assert re.search(r"\?article=[0-9a-f]{16}$", added_link), added_link
    fresh = open_page(browser, added_link)
    fresh.get_by_text(PASTED_TITLE).first.wait_for()
    assert "Tomas Reyes" in fresh.locator('[data-testid="stMain"]').inner_text()
    fresh.context.close()


def test_headlines_compare_several_articles(browser, server, seed_id, added_link):
    added = added_link.rsplit("=", 1)[1]
    page = open_page(browser, f"{server}/headlines?article={seed_id},{added}")
    chips = page.locator('[data-testid="stMultiSelect"]').inner_text()
    assert "United States urges Israel" in chips and "Mountain town" in chips
    screenshot(page, "headlines_compare")
    page.context.close()


def test_the_article_and_filters_follow_the_user(browser, server, seed_id, added_link):
    """A filter changed in the page lands in the URL; the article survives a page switch."""
    added = added_link.rsplit("=", 1)[1]
    page = open_page(browser, f"{server}/quotes?article={added}")
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Kind").click()
    page.get_by_role("option", name="direct", exact=True).click()
    settle(page)
    page.wait_for_url(re.compile(r"kind=direct"))
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Tone").click()
    page.wait_for_url(re.compile(rf"/tone\?article={added}"))
    settle(page)
    page.get_by_text(PASTED_TITLE).first.wait_for()
    page.context.close()


def test_article_text_is_never_markup(browser, server, database):
    """A headline that is an <img onerror> tag and Markdown in the body show as literal text."""
    from analysis.ingest import ingest
    from analysis.pipeline import ArticleInput
    from analysis.store import Store

    summary = ingest(Store(str(database)), [ArticleInput(text=XSS_TEXT, name="xss", format="text")])
    article_id = (summary.added or summary.existing)[0]
    for path in ("", "headlines", "entities", "tone", "quotes"):
        page = open_page(browser, f"{server}/{path}?article={article_id}")
        page.get_by_text(XSS_TITLE).first.wait_for()
        assert page.locator('img[src="x"]').count() == 0
        assert page.locator('a[href^="javascript"]').count() == 0
        if not path:
            page.get_by_text("**bold**").first.wait_for()
        page.context.close()


def test_an_unknown_article_is_a_friendly_message(browser, server):
    page = open_page(browser, f"{server}/tone?article=0000000000000000")
    page.get_by_text("No stored article has the id").first.wait_for()
    assert not page.locator('[data-testid="stException"]').count()
    page.context.close()


def test_two_sessions_adding_at_the_same_moment_both_succeed(browser, server, database):
    """Two analysts press Save within milliseconds of each other; both articles land."""
    from analysis.store import Store

    texts = {
        f"Harbour {name} reopens after storm repairs": (
            f"Harbour {name} reopens after storm repairs\n\n"
            f"The harbour master, Ines {name}, said on Friday that the quay reopened after repairs. "
            f"\"We are relieved,\" {name} said. Fishermen welcomed the news."
        )
        for name in ("Okafor", "Lindqvist")
    }
    pages = []
    for text in texts.values():
        page = open_page(browser, f"{server}/add")
        textbox = page.get_by_role("textbox", name="Article text")
        textbox.fill(text)
        textbox.press("Control+Enter")
        settle(page)
        page.get_by_text("Preview of the cleaning", exact=True).wait_for()
        pages.append(page)
    buttons = [p.get_by_role("button", name=re.compile(r"Save 1 article")) for p in pages]
    for button in buttons:  # no waiting in between: the two saves run at once on the server
        button.click(no_wait_after=True)
    links = []
    for page in pages:
        page.get_by_text("Saved: article").wait_for()
        settle(page)
        links.append(share_url(page))
        page.context.close()
    assert len(set(links)) == 2
    titles = set(Store(str(database)).articles_frame(limit=500)["title"])
    assert set(texts) <= titles
    for link, title in zip(links, texts, strict=True):
        fresh = open_page(browser, link)
        fresh.get_by_text(title).first.wait_for()
        fresh.context.close()


def test_a_link_opened_first_on_a_fresh_server_is_routed(browser, tmp_path):
    """Streamlit runs pages/quotes.py on its own when a server's very first request is /quotes
    (the pages/ folder), until some session has run app.py: the link must still show the full
    dashboard, navigation and article picker included, with its filters."""
    with serve(tmp_path / "fresh.sqlite") as base:
        page = open_page(browser, f"{base}/quotes?kind=direct")
        sidebar = page.locator('[data-testid="stSidebar"]')
        page.locator("h1").filter(has_text="Quotes").wait_for()  # the seed is analysed first
        settle(page)
        for title in ("Overview", "Headlines", "Entities", "Tone", "Quotes", "Add article"):
            assert sidebar.get_by_text(title, exact=True).count() == 1
        assert sidebar.get_by_text("Find an article").count() == 1
        assert page.locator("h1").first.inner_text() == "Quotes"
        caption = page.get_by_text(re.compile(r"\d+ of \d+ quotes match")).first.inner_text()
        shown, total = map(int, re.findall(r"\d+", caption))
        assert 0 < shown < total  # the seed has direct and indirect quotes: the filter applies
        assert "kind=direct" in page.url
        page.context.close()


def test_the_stories_page_loads_the_sample_and_compares_outlets(browser, tmp_path):
    """On a store of its own (the sample's articles would become the newest of the shared one):
    the empty Stories page offers the sample corpus; once loaded, a story's outlets side by side."""
    with serve(tmp_path / "stories.sqlite") as base:
        page = open_page(browser, f"{base}/stories")
        page.get_by_text("Load the sample corpus").click()
        page.get_by_text("Who each outlet quotes").wait_for(timeout=300_000)  # analyses 9 articles
        settle(page)
        assert page.locator(".js-plotly-plot").count() == 3
        assert not page.locator('[data-testid="stException"]').count()
        assert "story=story-" in share_url(page)
        for outlet in ("The Harbour Courier", "Valley Ledger", "Northern Wire"):
            assert page.get_by_text(outlet).count()
        screenshot(page, "stories")
        page.context.close()
        page = open_page(browser, f"{base}/coverage?entity=Helen+Strand&entity=Kestrel+Motors&show=tone")
        page.get_by_text("Tone toward each entity, by outlet").wait_for()
        page.locator(".js-plotly-plot").nth(3).wait_for()  # over time, tone, sources and attention by outlet
        assert page.locator(".js-plotly-plot").count() == 4
        assert "entity=Helen+Strand" in share_url(page)
        screenshot(page, "coverage")
        page.context.close()


def test_a_corpus_quotes_link_shows_the_same_filtered_rows_in_a_fresh_browser(browser, tmp_path):
    """A corpus-quotes link with speaker, outlet, date and text filters, opened in a new browser
    context, shows the quotes the store gives for those filters: the count, the chips, and the
    downloaded CSV row for row (with article id, outlet, date and URL)."""
    import csv
    import io

    from analysis.ingest import ingest, inputs_from_paths, seed_store
    from analysis.quotes import shown_confidences
    from analysis.store import CorpusScope, Store
    from analysis.stories import SAMPLE_CORPUS

    path = tmp_path / "corpus.sqlite"
    store = Store(str(path))
    seed_store(store)
    ingest(store, inputs_from_paths([SAMPLE_CORPUS]))
    expected = store.quotes_frame(
        None, speakers=["Helen Strand"], text="flood", scope=CorpusScope(("Northern Wire", "Valley Ledger"), "2026-03-06"),
        min_confidence=shown_confidences(), statements_only=True,
    )  # fmt: skip
    assert 0 < len(expected) < len(store.quotes_frame(None, speakers=["Helen Strand"]))
    store.close()
    with serve(path) as base:
        query = "scope=corpus&speaker=Helen+Strand&outlet=Northern+Wire&outlet=Valley+Ledger&from=2026-03-06&q=flood"
        page = open_page(browser, f"{base}/quotes?{query}")
        page.get_by_text(f"{len(expected)} quotes match").first.wait_for()
        link = share_url(page)
        assert "scope=corpus" in link and "from=2026-03-06" in link and "q=flood" in link
        screenshot(page, "quotes_corpus")
        page.context.close()

        fresh = open_page(browser, link)
        fresh.get_by_text(f"{len(expected)} quotes match").first.wait_for()
        chips = fresh.locator('[data-testid="stMultiSelect"]').all_inner_texts()
        assert any("Northern Wire" in c and "Valley Ledger" in c for c in chips)
        assert any("Helen Strand" in c for c in chips)
        with fresh.expect_download() as download:
            fresh.get_by_role("button", name="Download these quotes (CSV)").click()
        rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
        assert [(r["article_id"], r["idx"]) for r in rows] == [
            (a, str(i)) for a, i in zip(expected["article_id"], expected["idx"], strict=True)
        ]
        assert {r["outlet"] for r in rows} <= {"Northern Wire", "Valley Ledger"} and all(r["published"] >= "2026-03-06" for r in rows)
        fresh.context.close()

        page = open_page(browser, f"{base}/quotes?scope=corpus")  # the sidebar: a word of the text only
        search = page.locator('[data-testid="stSidebar"]').get_by_role("textbox", name="Find an article")
        search.fill("crane")
        search.press("Enter")
        settle(page)
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
        options = page.get_by_role("option").all_inner_texts()
        found = [o for o in options if not o.startswith("Minister promises")]  # the current article stays listed
        assert len(found) == 2 and all(o.startswith("Eastmere") for o in found), options
        page.keyboard.press("Escape")
        page.context.close()

        page = open_page(browser, f"{base}/coverage?outlet=Northern+Wire&outlet=Valley+Ledger&outlet=The+Harbour+Courier")
        page.get_by_text("Entity attention by outlet").wait_for()
        page.locator(".js-plotly-plot").nth(3).wait_for()
        assert not page.locator('[data-testid="stException"]').count()
        screenshot(page, "coverage_by_outlet")
        page.context.close()


def test_the_entities_corpus_view_counts_linked_names_as_one_and_says_why(browser, tmp_path):
    """The 18 annotated linking articles: "Mayorkas" is counted with "Alejandro Mayorkas" in the
    corpus table, and the "Why merged" expander names the rule and the evidence."""
    from analysis.evaluate.linking import read_corpus
    from analysis.pipeline import ArticleInput, analyze
    from analysis.store import Store
    from analysis.stories import update_stories

    path = tmp_path / "linked.sqlite"
    store = Store(str(path))
    ids = [
        store.save(analyze(ArticleInput(text=f"{a['title']}\n\n{a['text']}", source=a["outlet"], published=a["published"]))).id
        for a in read_corpus()
    ]
    update_stories(store)
    store.close()
    with serve(path) as base:
        page = open_page(browser, f"{base}/entities?article={ids[0]}&scope=corpus&top=20")
        page.get_by_text("Why merged").first.click()
        page.get_by_text("Across articles a name joins an entity only").wait_for()  # the expander is open
        page.get_by_text("the only person of the corpus called Mayorkas").first.wait_for(state="attached")  # a grid cell
        settle(page)
        assert not page.locator('[data-testid="stException"]').count()
        assert "scope=corpus" in share_url(page)
        screenshot(page, "entities_linked")
        page.context.close()
