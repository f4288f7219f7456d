"""Corpus views in AppTest, on the seed plus the sample corpus (three outlets, six dates): corpus
quotes by URL with article and outlet columns and their CSV, the shared outlet and date filters
on Entities, Tone, Stories and Coverage, and Coverage's by-outlet sections."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests import app_support as app
from tests.app_support import database, seed

__all__ = ["database", "seed"]  # pytest fixtures used by name

QUOTES = "pages/quotes.py"
COVERAGE = "pages/coverage.py"
OUTLETS = {"The Harbour Courier", "Valley Ledger", "Northern Wire"}


@pytest.fixture(scope="module")
def sample(database, seed):
    """The sample corpus added to the module's store (after the seed)."""
    from analysis.ingest import ingest, inputs_from_paths
    from analysis.store import Store
    from analysis.stories import SAMPLE_CORPUS

    store = Store(database)
    ingest(store, inputs_from_paths([SAMPLE_CORPUS]))
    yield store
    store.close()


def test_corpus_quotes_by_url_filter_speaker_outlet_dates_and_text(sample):
    at = app.open_page(QUOTES, scope="corpus")
    app.no_exception(at)
    everything = at.dataframe[0].value
    assert {"outlet", "article_title", "published"} <= set(everything.columns)
    assert OUTLETS <= set(everything["outlet"])  # quotes of several articles and outlets
    assert everything["published"].tolist() == sorted(everything["published"], reverse=True)

    at = app.open_page(QUOTES, scope="corpus", speaker="Helen Strand", outlet="Valley Ledger", **{"from": "2026-03-06", "to": "2026-03-06"})
    app.no_exception(at)
    shown = at.dataframe[0].value
    assert len(shown) >= 1 and set(shown["speaker"]) == {"Helen Strand"}
    assert set(shown["outlet"]) == {"Valley Ledger"} and set(shown["published"]) == {"2026-03-06"}
    assert at.multiselect(key="url_outlet").value == ["Valley Ledger"]
    assert str(at.date_input(key="url_from").value) == "2026-03-06"
    strand = everything[everything["speaker"] == "Helen Strand"]
    assert len(strand) > len(shown)  # the filters narrowed it

    at = app.open_page(QUOTES, scope="corpus", q="flood")
    app.no_exception(at)
    found = at.dataframe[0].value
    assert not found.empty and all("flood" in f"{t} {s}".lower() for t, s in found[["text", "speaker"]].values)


def test_the_corpus_quotes_export_is_the_table_with_article_outlet_date_and_url(sample, media_storages):
    at = app.open_page(QUOTES, scope="corpus", outlet="Northern Wire")
    app.no_exception(at)
    shown = at.dataframe[0].value
    csv = pd.read_csv(io.BytesIO(_download_bytes(at, media_storages)), keep_default_na=False)
    assert len(csv) == len(shown) and {"article_id", "outlet", "published", "url"} <= set(csv.columns)
    assert csv["text"].tolist() == shown["text"].tolist()
    assert set(csv["outlet"]) == {"Northern Wire"} and csv["article_id"].str.len().eq(16).all()


def _download_bytes(at, storages) -> bytes:
    """The bytes of the page's first download button, read from the media storage of the run."""
    url = at.get("download_button")[0].proto.url
    file_id = url.rsplit("/", 1)[-1].split(".")[0]
    for storage in reversed(storages):
        try:
            return storage.get_file(file_id).content
        except Exception:  # noqa: BLE001 - another run's storage
            continue
    raise AssertionError(f"no stored file for {url}")


@pytest.fixture()
def media_storages(monkeypatch) -> list:
    """Every media storage AppTest creates (it drops them after each run; downloads live there)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    made, original = [], MemoryMediaFileStorage.__init__

    def keep(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(MemoryMediaFileStorage, "__init__", keep)
    return made


def test_a_bad_filter_is_a_friendly_message_and_ignored(sample):
    at = app.open_page(QUOTES, scope="corpus", outlet="Atlantis Times", to="soon")
    app.no_exception(at)
    warnings = " ".join(at.warning.values)
    assert "Atlantis Times" in warnings and "soon" in warnings
    assert OUTLETS <= set(at.dataframe[0].value["outlet"])


def test_entities_and_tone_corpus_views_take_the_outlet_filter(sample, seed):
    at = app.open_page("pages/entities.py", scope="corpus", outlet="Valley Ledger", article=seed)
    app.no_exception(at)
    named = set(at.dataframe[0].value["entity"])
    assert "Israel" not in named and named  # the seed (no outlet) is outside the filter
    everything = set(app.open_page("pages/entities.py", scope="corpus", article=seed).dataframe[0].value["entity"])
    assert "Israel" in everything
    at = app.open_page("pages/tone.py", article=seed, outlet="Valley Ledger")
    app.no_exception(at)
    assert any(c.startswith("Tone of 3 articles: Valley Ledger") for c in at.caption.values)


def test_stories_list_only_stories_within_the_filters(sample):
    at = app.open_page("pages/stories.py", **{"from": "2026-03-06"})
    app.no_exception(at)
    assert len(at.selectbox(key="url_story").options) == 1  # only the flood story is that late
    at = app.open_page("pages/stories.py", **{"from": "2030-01-01"})
    app.no_exception(at)
    assert any("No story has several articles from these outlets and dates" in i for i in at.info.values)


def test_coverage_by_outlet_sections(sample):
    at = app.open_page(COVERAGE, outlet=["Valley Ledger", "Northern Wire"], top="5")
    app.no_exception(at)
    assert len(at.get("plotly_chart")) == 4
    sources, attention = at.dataframe[1].value, at.dataframe[2].value
    assert set(sources["outlet"]) == {"Valley Ledger", "Northern Wire"}
    assert sources["only_this_outlet"].any() and not sources["only_this_outlet"].all()
    assert set(attention["outlet"]) == {"Valley Ledger", "Northern Wire"} and attention["entity"].nunique() <= 5
    assert all(0 < s <= 1 for s in attention["share"])
    assert at.slider(key="url_top").value == 5
    hover = at.get("plotly_chart")[3].proto.spec
    assert "of %{customdata[1]} mentions" in hover  # the counts behind each share on hover

