"""Ingest on a real Dask cluster (a LocalCluster of two single-threaded worker processes).

Same articles, same results as the local path; a retried shard adds nothing twice; a worker
killed with SIGKILL mid-run loses nothing (its shard reruns on another worker); the command line's
``--scheduler`` with an existing cluster and with ``local``.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.distributed import (
    EngineMismatch,
    Shard,
    ShardResult,
    engine_signature,
    ingest_distributed,
    ingest_shard,
    local_cluster,
    shards,
)
from analysis.ingest import ingest, inputs_from_paths
from analysis.pipeline import ArticleInput
from analysis.store import Store
from tests.conftest import FIXTURES, SEED
from tests.test_concurrency import assert_consistent, news_article

distributed = pytest.importorskip("distributed")


def write_corpus(folder: Path, n_batch: int = 5) -> list[Path]:
    """A small corpus of every input kind: a .jsonl batch (with one malformed row), a .csv batch,
    plain text, Markdown and HTML files, and the seed article."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [json.dumps({"text": news_article(i), "source": f"Wire {i}"}) for i in range(n_batch)]
    rows.insert(2, "{this row is broken")
    (folder / "batch.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "batch.csv").write_text(
        "title,text\n" + "".join(f'Story {i},"{news_article(100 + i)}"\n' for i in range(2)), encoding="utf-8"
    )
    for name in ("local_news.txt", "article.md", "page.html"):
        (folder / name).write_bytes((FIXTURES / "articles" / name).read_bytes())
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    return [folder]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def local_store(corpus, tmp_path_factory) -> Store:
    """The reference: the same corpus through the local path, in this process."""
    from threadpoolctl import threadpool_limits

    store = Store(str(tmp_path_factory.mktemp("local") / "local.sqlite"))
    with threadpool_limits(1):  # as in the local pool's and the Dask workers' processes: the
        summary = ingest(store, inputs_from_paths(corpus), workers=1)  # encoder's float32 sums in one order
    assert len(summary.failed) == 1 and store.count() == 11
    return store


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(2) as cluster:
        yield cluster


def assert_same_results(store: Store, reference: Store) -> None:
    """Same articles, entities (per article and over the corpus), quotes, sentence and mention tone."""
    articles = store.articles_frame(limit=1000).drop(columns="added_at").sort_values("id").reset_index(drop=True)
    expected = reference.articles_frame(limit=1000).drop(columns="added_at").sort_values("id").reset_index(drop=True)
    assert len(expected) == 11
    _equal(articles, expected, "articles")
    for article_id in expected["id"]:
        _equal(store.entities_frame(article_id, limit=1000), reference.entities_frame(article_id, limit=1000), article_id)
        _equal(store.sentences_frame(article_id), reference.sentences_frame(article_id), article_id)
        _equal(store.mentions_frame(article_id), reference.mentions_frame(article_id), article_id)
    by_key = lambda frame: frame.sort_values(["article_id", "idx"]).reset_index(drop=True)  # noqa: E731
    quotes = by_key(reference.quotes_frame())  # the corpus view lists the newest articles first
    assert len(quotes) > 10
    _equal(by_key(store.quotes_frame()), quotes, "quotes")
    corpus = store.entities_frame(limit=10_000).sort_values(["entity", "label"]).reset_index(drop=True)
    corpus_expected = reference.entities_frame(limit=10_000).sort_values(["entity", "label"]).reset_index(drop=True)
    for frame in (corpus, corpus_expected):  # aliases are a set; their order follows ingest order
        frame["aliases"] = [sorted(a) for a in frame["aliases"]]
    _equal(corpus, corpus_expected, "corpus entities")


def _equal(got, expected, what: str) -> None:
    import pandas as pd

    # floats may differ in the last bits: sums over the corpus run in another order on the cluster
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9, atol=1e-12, obj=what)


# -- without a cluster --------------------------------------------------------------------------


def test_shards_are_consecutive_slices():
    items = [ArticleInput(text=f"text {i}", name=f"b.jsonl:{i}") for i in range(7)]
    cut = list(shards(items, 3))
    assert [s.index for s in cut] == [0, 1, 2]
    assert [[i.name for i in s.items] for s in cut] == [[f"b.jsonl:{i}" for i in r] for r in ((0, 1, 2), (3, 4, 5), (6,))]


def test_a_shard_run_twice_adds_nothing_the_second_time(tmp_path, nlp):
    url = str(tmp_path / "s.sqlite")
    shard = Shard(0, [ArticleInput(text=news_article(i), name=f"a{i}") for i in range(2)] + [ArticleInput(text="  ", name="blank")])
    first = ingest_shard(shard, url, "fast", engine_signature())
    again = ingest_shard(shard, url, "fast", engine_signature())
    assert len(first.added) == 2 and not first.existing and [f.name for f in first.failed] == ["blank"]
    assert sorted(again.existing) == sorted(first.added) and not again.added
    assert isinstance(first, ShardResult) and first.articles == 3
    assert Store(url).count() == 2 and assert_consistent(Path(url)) == 2
    with pytest.raises(EngineMismatch, match="same newslens"):
        ingest_shard(shard, url, "fast", "newslens 0.0.1 (clean=0)")


# -- on a LocalCluster ----------------------------------------------------------------------------


@pytest.mark.slow
def test_dask_gives_the_same_articles_and_results_as_local(cluster, corpus, local_store, tmp_path, monkeypatch, capsys):
    """The command line on an existing cluster (its address, as for a cluster of machines)."""
    url = str(tmp_path / "dask.sqlite")
    monkeypatch.setenv("NEWSLENS_DB", url)
    status = main(["ingest", *map(str, corpus), "--scheduler", cluster.scheduler_address, "--batch-size", "3"])
    out, err = capsys.readouterr()
    assert status == 2 and "11 added, 0 already stored, 1 failed" in out  # 1: the broken batch row
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "batch.jsonl, line 3: not JSON" in errors[0]
    assert_same_results(Store(url), local_store)
    assert assert_consistent(Path(url)) == 11


def _executing(dask_worker) -> list[str]:
    """The keys a worker is running right now (run on each worker through ``Client.run``)."""
    return [str(ts.key) for ts in dask_worker.state.executing]


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing(cluster, corpus, local_store, tmp_path):
    from distributed import Client

    url = str(tmp_path / "killed.sqlite")
    finished: list[ShardResult] = []
    arrived: dict[int, float] = {}  # shard index -> when its result reached the client
    killed: dict[str, object] = {}

    def on_result(result, _summary) -> None:
        if isinstance(result, ShardResult):
            arrived[result.index] = time.monotonic()
            finished.append(result)

    def kill_a_busy_worker() -> None:
        with Client(cluster.scheduler_address) as client:
            while not finished:  # let the workers warm up and deliver a first shard
                time.sleep(0.05)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                busy = {a: keys for a, keys in client.run(_executing).items() if keys}
                if busy:
                    address, keys = next(iter(busy.items()))
                    pid = client.run(os.getpid, workers=[address])[address]
                    os.kill(pid, signal.SIGKILL)
                    killed.update(address=address, keys=keys, at=time.monotonic())
                    return
                time.sleep(0.02)

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    summary = ingest_distributed(
        url, inputs_from_paths(corpus), scheduler=cluster.scheduler_address, batch_size=1,
        on_result=on_result,
    )  # fmt: skip
    killer.join(timeout=5)
    assert killed, "no worker was busy to kill"
    lost = {int(key.split("-")[2]) for key in killed["keys"]}  # newslens-shard-<index>-…
    redone = [r for r in finished if r.index in lost]
    assert {r.index for r in redone} == lost  # every shard the killed worker was running landed
    for r in redone:  # rerun elsewhere, unless it had delivered between the look and the kill
        assert r.worker != killed["address"] or arrived[r.index] <= killed["at"]
    assert len({r.worker for r in finished}) >= 2  # shards ran on both workers
    assert len(summary.added) + len(summary.existing) == 11 and len(summary.failed) == 1
    assert assert_consistent(Path(url)) == 11  # all or nothing per article, no duplicate rows
    assert_same_results(Store(url), local_store)  # exactly once: the corpus counts are not doubled
    with distributed.Client(cluster.scheduler_address) as client:  # the nanny restarted the worker
        client.wait_for_workers(2, timeout=120)


@pytest.mark.slow
def test_the_command_line_starts_a_local_cluster(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSLENS_DB", str(tmp_path / "local.sqlite"))
    batch = tmp_path / "b.jsonl"
    batch.write_text("\n".join(json.dumps({"text": news_article(200 + i)}) for i in range(3)), encoding="utf-8")
    status = main(["ingest", str(batch), "--scheduler", "local", "--workers", "2", "--batch-size", "1", "--tone", "fast"])
    out, _ = capsys.readouterr()
    assert status == 0 and "3 added" in out
    assert {m for m in Store().tone_models()} == {"targeted_tone_v2"}  # --tone reached the workers


def test_an_unreachable_scheduler_is_one_error_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSLENS_DB", str(tmp_path / "s.sqlite"))
    path = tmp_path / "a.txt"
    path.write_text(news_article(1), encoding="utf-8")
    monkeypatch.setattr("analysis.distributed.CONNECT_TIMEOUT", "1s")
    status = main(["ingest", str(path), "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("error: --scheduler tcp://127.0.0.1:9: cannot reach")
    assert len([line for line in err.splitlines() if line.strip()]) == 1
    assert Store().count() == 0


def test_a_shard_leaves_the_tone_choice_of_its_process_alone(tmp_path, nlp, monkeypatch):
    from analysis.tone_models import TONE_ENV

    monkeypatch.delenv(TONE_ENV, raising=False)
    ingest_shard(Shard(0, [ArticleInput(text=news_article(7), name="a")]), str(tmp_path / "s.sqlite"), "fast", engine_signature())
    assert TONE_ENV not in os.environ


def assert_same_tables(store: Store, reference: Store) -> None:
    """Every table of the store, row for row, against the reference: the same ids and the same
    values (floats within 1e-9 relative), whatever the order the rows were written in. Only when
    an article was added (``added_at``) may differ; aliases of a corpus entity are a set."""
    from analysis.store import TABLES

    for name in TABLES:
        frames = []
        for source in (store, reference):
            frame = source.table(name).drop(columns=["added_at"], errors="ignore")
            if "aliases_json" in frame and name == "corpus_entities":
                frame["aliases_json"] = [json.dumps(sorted(json.loads(a))) for a in frame["aliases_json"]]
            keys = [c for c in frame.columns if frame[c].dtype != float]
            frames.append(frame.sort_values(keys).reset_index(drop=True))
        assert len(frames[1]) or name in EMPTY_HERE, f"{name}: the reference holds no rows"
        _equal(frames[0], frames[1], name)


# nothing is re-analysed or deleted here, and ingested_files lists what the app found under data/
EMPTY_HERE = {"aliases", "deleted_articles", "ingested_files"}


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("NEWSLENS_TEST_PG"), reason="NEWSLENS_TEST_PG is not set")
def test_dask_into_postgresql_gives_the_same_store_as_local_into_sqlite(corpus, local_store, monkeypatch, capsys):
    """Issue 14's goal, table by table: the corpus through ``ingest --scheduler local`` (a
    LocalCluster of two single-threaded workers) into PostgreSQL and through the local path into
    SQLite give the same articles, entities, quotes, tone and stories under the same ids."""
    from tests.conftest import postgres_database

    with postgres_database() as url:
        monkeypatch.setenv("NEWSLENS_DB", url)
        status = main(["ingest", *map(str, corpus), "--scheduler", "local", "--workers", "2", "--batch-size", "3"])
        out, _ = capsys.readouterr()
        assert status == 2 and "11 added, 0 already stored, 1 failed" in out  # 1: the broken batch row
        store = Store(url)
        try:
            assert store.postgres and store.count() == 11
            assert_same_results(store, local_store)
            assert_same_tables(store, local_store)
        finally:
            store.close()
            store.db.dispose()
