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
    assert isinstance(items[1], Failure) and "line 2" in items[1].message and "'text'" in items[1].message
    first = items[0]
    assert isinstance(first, ArticleInput)
    assert (first.title, first.source, first.url) == ("Bridge to reopen", "Gazette", "https://example.org/a")
    assert items[2].published == "2024-05-12"


def test_csv_batch(tmp_path):
    batch = tmp_path / "batch.csv"
    batch.write_text('text,title,source\n"' + STORY.format(x="east") + '",East bridge,Herald\n', encoding="utf-8")
    (item,) = inputs_from_paths([batch])
    assert item.title == "East bridge" and item.source == "Herald"


def test_a_broken_jsonl_line_is_skipped_and_the_rest_lands(tmp_path):
    batch = tmp_path / "broken.jsonl"
    rows = [
        json.dumps({"text": STORY.format(x="north")}),
        "{not json",
        "",
        json.dumps(["a", "list"]),
        json.dumps({"text": STORY.format(x="south"), "title": "South"}) + "\u2028",
    ]
    batch.write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = list(inputs_from_paths([batch]))
    assert [type(i).__name__ for i in items] == ["ArticleInput", "Failure", "Failure", "ArticleInput"]
    bad_json, bad_list = items[1], items[2]
    assert bad_json.name == f"{batch}:2" and "line 2: not JSON" in bad_json.message
    assert bad_list.name == f"{batch}:4" and "JSON list" in bad_list.message
    assert all("skipped" in f.message and str(batch) in f.message for f in (bad_json, bad_list))
    assert items[3].name == f"{batch}:5" and items[3].title == "South"


def test_bad_csv_rows_are_skipped_with_their_line(tmp_path):
    batch = tmp_path / "batch.csv"
    batch.write_text(
        "title,text\n"
        f'Two lines,"{STORY.format(x="north")}\n\nSecond paragraph."\n'  # lines 2-4: one record
        f'Broken,"{STORY.format(x="east")}"trailing\n'  # line 5: junk after a closing quote
        f"Too many,{STORY.format(x='west')},extra\n"  # line 6
        "\n"  # a blank line is no row
        f"Last,{STORY.format(x='south')}\n",  # line 8
        encoding="utf-8",
    )
    items = list(inputs_from_paths([batch]))
    good = [i for i in items if isinstance(i, ArticleInput)]
    bad = [i for i in items if isinstance(i, Failure)]
    assert [(i.title, i.name) for i in good] == [("Two lines", f"{batch}:2"), ("Last", f"{batch}:8")]
    assert "Second paragraph" in good[0].text
    assert [f.name for f in bad] == [f"{batch}:5", f"{batch}:6"]
    assert "broken CSV quoting" in bad[0].message and "3 fields where the header has 2" in bad[1].message


def test_an_unclosed_csv_quote_names_the_line_it_opens(tmp_path):
    batch = tmp_path / "batch.csv"
    batch.write_text(f"text\n{STORY.format(x='north')}\n\"never closed\nmore\n", encoding="utf-8")
    first, broken = inputs_from_paths([batch])
    assert isinstance(first, ArticleInput)
    assert broken.name == f"{batch}:3" and "never closed" in broken.message


def test_a_csv_without_a_text_column_fails_as_a_whole(tmp_path):
    batch = tmp_path / "batch.csv"
    batch.write_text("title,body\nA,B\n", encoding="utf-8")
    (item,) = inputs_from_paths([batch])
    assert isinstance(item, Failure) and "no 'text' column" in item.message


def test_bad_rows_do_not_stop_the_good_ones_reaching_the_store(tmp_path):
    store = Store(str(tmp_path / "s.sqlite"))
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "\n".join([json.dumps({"text": STORY.format(x="red")}), "{oops", json.dumps({"text": STORY.format(x="blue")})]),
        encoding="utf-8",
    )
    summary = ingest(store, inputs_from_paths([batch]))
    assert len(summary.added) == 2 and store.count() == 2
    assert [f.name for f in summary.failed] == [f"{batch}:2"]


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


def test_start_seeding_previews_at_once_and_stores_in_a_child_process(tmp_path):
    """The app's first start: the cleaned seed is readable before any model loads, and a child
    process stores it, announcing its phases; a second start finds nothing new."""
    from analysis.seed import PHASE_ANALYSE, PHASE_DONE, PHASE_LANGUAGE, PHASE_TONE, start_seeding

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02" * 50)  # binary: no preview, reported by the ingest
    store = Store(str(tmp_path / "s.sqlite"))
    job = start_seeding(store, folder)
    assert job is not None and job.running
    (preview,) = job.previews
    assert preview.title.startswith("United States urges Israel")
    assert len(preview.body) > 1000 and any(role == "title" for role, _ in preview.headlines)
    assert job.wait(timeout=300)
    snap = job.snapshot()
    assert snap.error == "" and snap.phase == PHASE_DONE
    assert [p for p, _ in snap.phases] == [PHASE_LANGUAGE, PHASE_TONE, PHASE_ANALYSE]
    assert store.count() == 1 and store.articles_frame()["title"].iloc[0] == preview.title
    assert start_seeding(store, folder) is None  # both files remembered, the broken one too


def test_a_failed_seeding_says_why(tmp_path, monkeypatch):
    from analysis.seed import start_seeding

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    store = Store(str(tmp_path / "s.sqlite"))
    monkeypatch.setattr("analysis.seed.sys.executable", "/bin/false")  # a child that fails at once
    job = start_seeding(store, folder)
    assert job is not None and job.wait(timeout=120)
    assert job.snapshot().error == "the seeding process exited with status 1"
    assert store.count() == 0
    assert start_seeding(store, folder) is not None  # not remembered: the next start tries again
