"""Ingest on a Dask distributed cluster: shards of articles analysed and stored by the workers.

    python -m analysis ingest corpus/ --scheduler tcp://10.0.0.5:8786   # an existing cluster
    python -m analysis ingest corpus/ --scheduler local --workers 2     # a LocalCluster here

The client reads and checks the inputs (decoding, batch rows: a bad row is reported here and
never travels), cuts them into shards of consecutive articles (whole small files, or slices of a
``.jsonl``/``.csv`` batch) and submits one task per shard, keeping a few shards per worker in
flight. Each worker loads the models once (``NewslensWorker``, a worker plugin), analyses its
shard inside spaCy's ``memory_zone`` (so the vocabulary does not grow over millions of texts) and
writes the whole shard to the store in one transaction; only a small ``ShardResult`` (ids and
failure messages) travels back.

A shard is safe to run twice: an article's id is a hash of its content and ``Store.save_many``
skips ids already stored, so when a worker dies mid-shard the scheduler reruns the shard on
another worker and nothing lands twice. The workers must run the same engine as the client
(checked per shard) and reach the same database: a PostgreSQL URL for a cluster of machines, a
SQLite file only when every worker runs on this machine.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

from analysis import __version__
from analysis.engine import STAGE_VERSIONS
from analysis.ingest import IngestSummary
from analysis.model import AnalysedArticle
from analysis.pipeline import ArticleInput, Failure, analyze_many
from analysis.tone_models import TONE_ENV, tone_model_name

__all__ = [
    "LOCAL",
    "EngineMismatch",
    "NewslensWorker",
    "Shard",
    "ShardResult",
    "engine_signature",
    "ingest_distributed",
    "ingest_shard",
    "local_cluster",
    "shards",
    "WorkerLoad",
    "worker_loads",
]

LOCAL = "local"  # --scheduler local: start a LocalCluster on this machine
PLUGIN_NAME = "newslens"
IN_FLIGHT_PER_WORKER = 2  # shards queued per worker: enough to keep it busy, little client memory
CONNECT_TIMEOUT = "30s"  # to reach an existing scheduler
RETRIES = 2  # reruns of a shard whose task raised (a killed worker is retried by the scheduler)


class EngineMismatch(RuntimeError):
    """A worker runs another version of the engine than the client: its results would differ."""


@dataclass(slots=True)
class Shard:
    """Consecutive inputs analysed and stored together by one worker (one write transaction)."""

    index: int
    items: list[ArticleInput]


@dataclass(slots=True)
class ShardResult:
    """What travels back from a worker: ids and messages, never an analysis."""

    index: int
    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    worker: str = ""  # the worker's address
    seconds: float = 0.0  # analysis and writing, on the worker (wall)
    cpu_seconds: float = 0.0  # the same, CPU time of the task's thread
    write_seconds: float = 0.0  # of which: the store transaction

    @property
    def articles(self) -> int:
        return len(self.added) + len(self.existing) + len(self.failed)


def engine_signature() -> str:
    """The newslens version and the stage versions: what makes two workers' results comparable."""
    stages = ",".join(f"{k}={v}" for k, v in sorted(STAGE_VERSIONS.items()))
    return f"newslens {__version__} ({stages})"


def shards(items: Iterable[ArticleInput], size: int) -> Iterator[Shard]:
    """Cut a stream of inputs into shards of ``size`` consecutive articles."""
    it = iter(items)
    index = 0
    while chunk := list(islice(it, size)):
        yield Shard(index, chunk)
        index += 1


# -- the worker side ------------------------------------------------------------------------------


class NewslensWorker(WorkerPlugin):
    """Loads the spaCy pipeline and the tone models once per worker process, before its first
    shard (also on a worker that joins or restarts later), and keeps BLAS to one thread: each
    worker is one core's worth. Loading runs off the worker's event loop, so its heartbeats go on."""

    idempotent = True  # registering it again (a second ingest on the same cluster) is a no-op

    def __init__(self, tone: str):
        self.tone = tone

    async def setup(self, worker) -> None:
        import asyncio

        from threadpoolctl import threadpool_limits

        os.environ[TONE_ENV] = self.tone
        threadpool_limits(1)
        await asyncio.to_thread(_load_models)

    def teardown(self, worker) -> None:
        for store in _STORES.values():
            store.close()
        _STORES.clear()


def _load_models() -> None:
    from analysis.pipeline import load_models

    load_models()


_STORES: dict[str, object] = {}  # one open store per database URL, per worker process


def _store(url: str):
    from analysis.store import Store

    if url not in _STORES:
        _STORES[url] = Store(url)
    return _STORES[url]


def ingest_shard(shard: Shard, db_url: str, tone: str, engine: str, batch_size: int = 32) -> ShardResult:
    """Analyse one shard and store it in one transaction (runs on a worker).

    Parsing runs inside ``nlp.memory_zone()``: the analyses are plain dataclasses, so nothing
    refers to the zone's strings once it closes. Safe to rerun: stored ids are skipped.
    """
    from analysis.nlp import load_nlp

    if engine != engine_signature():
        raise EngineMismatch(f"this worker runs {engine_signature()}, the client {engine}; install the same newslens on every worker")
    started, cpu = time.perf_counter(), time.thread_time()
    nlp = load_nlp()
    with _tone_model(tone), nlp.memory_zone():  # a shard of another run may ask for the other model
        results = list(analyze_many(shard.items, workers=1, batch_size=batch_size))
    articles = [r for r in results if isinstance(r, AnalysedArticle)]
    out = ShardResult(shard.index, failed=[r for r in results if isinstance(r, Failure)], worker=_worker_address())
    writing = time.perf_counter()
    for saved in _store(db_url).save_many(articles) if articles else []:
        (out.added if saved.created else out.existing).append(saved.id)
    out.write_seconds = time.perf_counter() - writing
    out.seconds = time.perf_counter() - started
    out.cpu_seconds = time.thread_time() - cpu
    return out


@contextmanager
def _tone_model(tone: str) -> Iterator[None]:
    """``$NEWSLENS_TONE`` set to ``tone`` for the shard, then restored (the analysis reads it)."""
    before = os.environ.get(TONE_ENV)
    os.environ[TONE_ENV] = tone
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(TONE_ENV, None)
        else:
            os.environ[TONE_ENV] = before


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except ValueError:  # called outside a worker (tests calling the function directly)
        return ""


# -- the client side ------------------------------------------------------------------------------


def ingest_distributed(
    db_url: str,
    inputs: Iterable[ArticleInput | Failure],
    *,
    scheduler: str,
    workers: int = 2,
    batch_size: int = 32,
    on_result: Callable[[ArticleInput | Failure | ShardResult, IngestSummary], None] | None = None,
) -> IngestSummary:
    """Ingest ``inputs`` on the Dask cluster at ``scheduler`` (``"local"``: a new LocalCluster
    of ``workers`` single-threaded processes) into the store at ``db_url``.

    ``on_result(item, summary)`` is called for each input refused here (a ``Failure``) and for
    each finished shard (a ``ShardResult``), for progress. A shard whose task fails for good
    (its workers keep dying, or the store refuses it) makes each of its articles a ``Failure``.
    """
    from distributed import as_completed

    tone = tone_model_name()
    engine = engine_signature()
    summary = IngestSummary()

    def note(item, result=None) -> None:
        if on_result:
            on_result(result if result is not None else item, summary)

    def articles() -> Iterator[ArticleInput]:
        for item in inputs:
            if isinstance(item, Failure):
                summary.failed.append(item)
                note(item)
            else:
                yield item

    with _client(scheduler, workers) as client:
        client.register_plugin(NewslensWorker(tone), name=f"{PLUGIN_NAME}-{tone}")
        window = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
        pending = shards(articles(), batch_size)
        sizes: dict[str, Shard] = {}

        def submit(shard: Shard):
            future = client.submit(
                ingest_shard, shard, db_url, tone, engine, batch_size,
                key=f"newslens-shard-{shard.index}-{os.getpid()}-{time.time_ns()}", retries=RETRIES, pure=False,
            )  # fmt: skip
            sizes[future.key] = shard
            return future

        queue = as_completed([submit(s) for s in islice(pending, window)])
        for future in queue:
            shard = sizes.pop(future.key)
            try:
                result = future.result()
            except EngineMismatch:
                raise
            except Exception as err:  # noqa: BLE001 (any task error: the shard's articles fail, the run goes on)
                result = ShardResult(shard.index, failed=[Failure(i.name, f"{i.name}: {_one_line(err)}") for i in shard.items])
            summary.added += result.added
            summary.existing += result.existing
            summary.failed += result.failed
            note(None, result)
            future.release()
            nxt = next(pending, None)
            if nxt is not None:
                queue.add(submit(nxt))
    return summary


def _one_line(err: BaseException) -> str:
    return " ".join(f"not stored, the cluster failed on its shard ({type(err).__name__}: {err})".split())


@contextmanager
def _client(scheduler: str, workers: int):
    """A client of the cluster at ``scheduler``, or of a LocalCluster started (and stopped) here."""
    import logging

    from distributed import Client

    logging.getLogger("distributed").setLevel(logging.ERROR)  # progress is ours; Dask's chatter is not
    if scheduler != LOCAL:
        with Client(scheduler, timeout=CONNECT_TIMEOUT) as client:
            yield client
        return
    with local_cluster(workers) as cluster, Client(cluster) as client:
        yield client


def local_cluster(workers: int):
    """A LocalCluster of ``workers`` single-threaded processes on this machine, without the
    dashboard (a web server nobody asked for, on a port another program may hold)."""
    import logging

    import dask
    from distributed import LocalCluster

    # fork, not Dask's default spawn: the workers inherit the engine's modules already imported
    # here (textblob, nltk, scipy, spaCy: ~6 CPU-seconds per process) instead of importing them anew.
    # No statistical profiler (a stack walk every 10 ms) or GIL monitor in the workers: they cost
    # CPU for every second the cluster runs, and nobody reads them here.
    dask.config.set({
        "distributed.worker.multiprocessing-method": "fork",
        "distributed.worker.profile.enabled": False,
        "distributed.admin.system-monitor.gil.enabled": False,
    })  # fmt: skip
    return LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
        scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR,
    )  # fmt: skip


def absolute_db_url(url: str | None, default: Path) -> str:
    """The store URL the workers open: a SQLite path made absolute (workers may start elsewhere),
    any other URL as given."""
    url = url or ""
    if "://" in url and not url.startswith("sqlite:///"):
        return url
    path = Path(url.removeprefix("sqlite:///")) if url else default
    return str(path.expanduser().resolve())


def is_sqlite(url: str) -> bool:
    return "://" not in url or url.startswith("sqlite")


def on_this_machine(scheduler: str) -> bool:
    """Whether the scheduler address is this machine (then its workers likely are too)."""
    import socket
    from urllib.parse import urlsplit

    if scheduler == LOCAL:
        return True
    host = urlsplit(scheduler if "://" in scheduler else f"tcp://{scheduler}").hostname or ""
    return host in {"localhost", "::1", socket.gethostname(), socket.getfqdn()} or host.startswith("127.")


@dataclass(slots=True)
class WorkerLoad:
    """What one worker did in a run: its articles, and the seconds its shards took."""

    address: str
    articles: int = 0
    seconds: float = 0.0  # wall time in its shards (analysis and writing)
    cpu_seconds: float = 0.0
    write_seconds: float = 0.0  # of which: the store transactions

    def line(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        per_cpu = self.articles / self.cpu_seconds if self.cpu_seconds else 0.0
        return (
            f"worker {self.address}: {self.articles} articles, {self.seconds:.1f} s in shards ({rate:.2f} articles/s), "
            f"{self.cpu_seconds:.1f} s CPU ({per_cpu:.2f} articles/CPU-s), {self.write_seconds:.1f} s writing"
        )


def worker_loads(results: Iterable[ShardResult]) -> list[WorkerLoad]:
    """Per worker, from the finished shards (a restarted worker has a new address)."""
    loads: dict[str, WorkerLoad] = {}
    for r in results:
        load = loads.setdefault(r.worker, WorkerLoad(r.worker))
        load.articles += r.articles
        load.seconds += r.seconds
        load.cpu_seconds += r.cpu_seconds
        load.write_seconds += r.write_seconds
    return sorted(loads.values(), key=lambda w: w.address)
