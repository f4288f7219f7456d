"""Inputs from files, folders, batches and uploads; seeding the store from data/."""

from __future__ import annotations

import json

from analysis.ingest import ingest, inputs_from_bytes, inputs_from_paths, seed_store
from analysis.pipeline import ArticleInput, Failure
from analysis.store import Store
from tests.conftest import SEED

STORY = "The council said on Monday that the {x} bridge will reopen in June after repairs costing £4m."


def test_jsonl_batch_rows_carry_their_fields(tmp_path):
    batch = tmp_path / "batch.jsonl"
    rows = [
        {"text": STORY.format(x="north"), "title": "Bridge to reopen", "source": "Gazette", "url": "https://example.org/a"},
        {"title": "no text here"},
        {"text": STORY.format(x="south"), "published": "2024-05-12"},
    ]
    batch.write_text("\n".join(json.dumps(r) for r in rows))
    items = list(inputs_from_paths([batch]))
    assert isinstance(items[1], Failure) and "row 2" in items[1].message
    first = items[0]
    assert isinstance(first, ArticleInput)
    assert (first.title, first.source, first.url) == ("Bridge to reopen", "Gazette", "https://example.org/a")
    assert items[2].published == "2024-05-12"


def test_csv_batch(tmp_path):
    batch = tmp_path / "batch.csv"
    batch.write_text('text,title,source\n"' + STORY.format(x="east") + '",East bridge,Herald\n', encoding="utf-8")
    (item,) = inputs_from_paths([batch])
    assert item.title == "East bridge" and item.source == "Herald"


def test_broken_batch_is_one_failure(tmp_path):
    batch = tmp_path / "broken.jsonl"
    batch.write_text('{"text": "ok"}\n{not json')
    (item,) = inputs_from_paths([batch])
    assert isinstance(item, Failure) and "line 2" in item.message


def test_folder_and_upload_inputs(tmp_path):
    (tmp_path / "a.md").write_text("# Bridge\n\n" + STORY.format(x="west"))
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")  # not an article suffix: ignored
    (item,) = inputs_from_paths([tmp_path])
    assert item.format == "markdown"
    (upload,) = inputs_from_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64, "photo.txt")
    assert isinstance(upload, Failure) and "binary" in upload.message


def test_ingest_counts_and_is_idempotent(tmp_path):
    store = Store(str(tmp_path / "s.sqlite"))
    items = [ArticleInput(text=STORY.format(x=x), name=x) for x in ("red", "blue", "red")]
    seen = []
    summary = ingest(store, items, on_result=lambda r, s: seen.append(r))
    assert len(summary.added) == 2 and len(summary.existing) == 1 and not summary.failed
    assert len(seen) == 3 and store.count() == 2
    again = ingest(store, items)
    assert not again.added and len(again.existing) == 3


def test_seed_store_ingests_new_files_once(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    store = Store(str(tmp_path / "s.sqlite"))
    assert len(seed_store(store, folder).added) == 1
    assert seed_store(store, folder).total == 0  # nothing new: not even cleaned again
    assert store.count() == 1
