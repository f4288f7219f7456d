"""Ids of inputs, delete, and export/ingest round trips on a store this engine made."""

from __future__ import annotations

import json
from contextlib import ExitStack

import pandas as pd
import pytest

from analysis.cli import main
from analysis.ingest import inputs_from_paths
from analysis.model import CleaningChoices, input_id
from analysis.pipeline import ArticleInput, analyze_many
from analysis.store import Store
from tests.conftest import BACKENDS, FIXTURES, SEED, postgres_database

TEXTS = [SEED, *sorted((FIXTURES / "articles").iterdir())]


def _corpus(store: Store) -> dict[str, object]:
    """Every corpus-wide view the pages read."""
    return {
        "entities": store.entities_frame(limit=1000),
        "people": store.entities_frame(label="PERSON", limit=1000),
        "cooccurrence": store.cooccurrence_frame(top=40).sort_values(["a", "b"]).reset_index(drop=True),
        "labels": store.entity_labels(),
        "speakers": store.speakers(),
        "quotes": store.quotes_frame().drop(columns=[]),
        "tone_models": store.tone_models(),
        "count": store.count(),
        "list": store.articles_frame().drop(columns=["added_at"]),
    }


@pytest.fixture(scope="module")
def analysed():
    items = [i for i in inputs_from_paths(TEXTS)]
    items.append(ArticleInput(text=SEED.read_text(encoding="utf-8"), name="seed-as-wire", source="Wire",
                              title="Wire copy of the seed"))  # fmt: skip
    return list(analyze_many(items))


def test_ids_hash_the_input_not_the_output(analysed):
    seed = analysed[0]
    assert seed.id == seed.original.id == input_id(SEED.read_text(encoding="utf-8"))
    assert seed.engine and seed.original.kept
    assert input_id("x", choices=CleaningChoices(drop=(0,))) != input_id("x")
    assert input_id("x", source="A") != input_id("x")


@pytest.mark.parametrize("backend", BACKENDS)
def test_delete_leaves_corpus_views_as_if_never_stored(tmp_path, analysed, backend):
    with ExitStack() as stack:
        if backend == "sqlite":
            urls = [str(tmp_path / "full.sqlite"), str(tmp_path / "never.sqlite")]
        else:
            urls = [stack.enter_context(postgres_database()) for _ in range(2)]
        full, never = Store(urls[0]), Store(urls[1])
        _check_delete(full, never, analysed)
        for store in (full, never):
            store.close()
            store.db.dispose()


def _check_delete(full: Store, never: Store, analysed) -> None:
    gone = [analysed[0], analysed[-1]]  # the seed and its wire copy share most entities
    full.save_many(analysed)
    never.save_many([a for a in analysed if a not in gone])
    results = full.delete([a.id for a in gone])
    assert all(r.deleted for r in results)
    left, expected = _corpus(full), _corpus(never)
    for key, value in expected.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(left[key], value, obj=key)
        else:
            assert left[key] == value, key
    for article in gone:
        assert full.article(article.id) is None
        assert full.resolve(article.id).status == "deleted"
        assert full.related_articles(analysed[1].id)["id"].isin([article.id]).sum() == 0
    assert full.delete(["nope"])[0].deleted is False


def test_readding_a_deleted_article_brings_it_back(store_url, analysed):
    store = Store(store_url)
    store.save(analysed[0])
    store.delete([analysed[0].id])
    assert store.save(analysed[0]).created and store.resolve(analysed[0].id).status == "stored"


def test_export_then_ingest_into_an_empty_store_gives_the_same_ids(tmp_path, monkeypatch, capsys):
    first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
    monkeypatch.setenv("NEWSLENS_DB", str(first))
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"text": SEED.read_text(encoding="utf-8"), "source": "Wire", "title": "Copy"}) + "\n")
    assert main(["ingest", *map(str, TEXTS), str(batch), "--workers", "1"]) == 0
    export = tmp_path / "articles.jsonl"
    assert main(["export", "--format", "jsonl", "--table", "articles", "--out", str(export)]) == 0
    monkeypatch.setenv("NEWSLENS_DB", str(second))
    assert main(["ingest", str(export), "--workers", "1"]) == 0
    a, b = Store(str(first)), Store(str(second))
    left = a.articles_frame().sort_values("id").reset_index(drop=True).drop(columns=["added_at"])
    right = b.articles_frame().sort_values("id").reset_index(drop=True).drop(columns=["added_at"])
    assert len(left) == len(TEXTS) + 1
    pd.testing.assert_frame_equal(left, right)  # same ids, titles, sources, counts and tone
    for article_id in left["id"]:
        x, y = a.article(article_id), b.article(article_id)
        assert (x["body"], x["url"], x["original"]) == (y["body"], y["url"], y["original"])
        assert a.original(article_id) == b.original(article_id)


def test_export_of_an_upgraded_store_keeps_old_ids_as_aliases(tmp_path, monkeypatch):
    """An article with no kept original moves with its rebuilt input and its old id."""
    import shutil

    old = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "legacy_store" / "store_3aecb59.sqlite", old)
    store = Store(str(old))
    keep = store.ids()[:2]
    store.delete(store.ids()[2:])
    monkeypatch.setenv("NEWSLENS_DB", str(old))
    export = tmp_path / "articles.csv"
    assert main(["export", "--format", "csv", "--table", "articles", "--out", str(export)]) == 0
    monkeypatch.setenv("NEWSLENS_DB", str(tmp_path / "new.sqlite"))
    assert main(["ingest", str(export), "--workers", "1"]) == 0
    moved = Store(str(tmp_path / "new.sqlite"))
    assert moved.count() == 2
    for old_id in keep:
        row = moved.article(old_id)
        assert row is not None and row["original"] == "rebuilt"
        assert row["title"] == store.article(old_id)["title"]


def test_delete_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSLENS_DB", str(tmp_path / "s.sqlite"))
    assert main(["ingest", str(SEED), "--workers", "1"]) == 0
    store = Store(str(tmp_path / "s.sqlite"))
    seed_id = store.ids()[0]
    capsys.readouterr()
    assert main(["delete", seed_id, "unknown-id"]) == 2
    out, err = capsys.readouterr()
    assert f"deleted {seed_id}" in out and "unknown-id: no stored article" in err
    assert store.count() == 0 and store.entities_frame().empty
