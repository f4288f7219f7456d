"""Background ingest jobs: a long save (a batch of hundreds of articles) runs in a thread of the
app's process while the page shows its progress, instead of freezing the page until it ends.

    job = start_ingest_job(store, items)        # returns at once
    status(job).done, status(job).total         # read by the page every second

A job lives in the process that started it (the same process serves the analyst's session: the
team deployment pins each browser to one app process with nginx's ``ip_hash``). Its articles
land in the store as each write batch commits, so every app process sees them as they come; a
process that dies mid-job keeps every batch already written and none half-written. With
``NEWSLENS_SCHEDULER`` set (a Dask scheduler address) the job runs on that cluster instead.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis.ingest import IngestSummary, ingest
from analysis.pipeline import ArticleInput, Failure
from analysis.store import Store

__all__ = ["JobStatus", "SCHEDULER_ENV", "start_ingest_job", "status", "BACKGROUND_MIN"]

SCHEDULER_ENV = "NEWSLENS_SCHEDULER"  # run background jobs on this Dask scheduler (tcp://HOST:PORT)
BACKGROUND_MIN = int(os.environ.get("NEWSLENS_BACKGROUND_MIN", "10"))  # saves of more articles run as jobs
KEEP_FINISHED = 50  # finished jobs remembered per process (their outcome is read once, by the page)


@dataclass(slots=True)
class JobStatus:
    """A job's progress and outcome; the page reads a copy, the job's thread updates the original."""

    id: str
    total: int
    done: int = 0
    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # messages
    error: str = ""  # the job stopped: the store refused it (what was written before stays)
    started: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def running(self) -> bool:
        return self.finished is None


_JOBS: dict[str, JobStatus] = {}
_LOCK = threading.Lock()


def start_ingest_job(store: Store, items: Sequence[ArticleInput | Failure], *, batch_size: int = 8) -> str:
    """Start analysing and storing ``items`` in a background thread; return the job's id.
    ``store`` is shared with the thread (a store gives each thread its own connection)."""
    job = JobStatus(id=uuid.uuid4().hex[:12], total=len(items))
    with _LOCK:
        _forget_old()
        _JOBS[job.id] = job
    thread = threading.Thread(target=_run, args=(job, store, list(items), batch_size), name=f"ingest-{job.id}", daemon=True)
    thread.start()
    return job.id


def status(job_id: str) -> JobStatus | None:
    """A snapshot of the job (None if this process has no such job: it restarted, or it is
    another process's job)."""
    with _LOCK:
        job = _JOBS.get(job_id)
        if job is None:
            return None
        return JobStatus(
            job.id, job.total, job.done, list(job.added), list(job.existing), list(job.failed), job.error,
            job.started, job.finished,
        )  # fmt: skip


def _run(job: JobStatus, store: Store, items: list[ArticleInput | Failure], batch_size: int) -> None:
    def progress(result, summary: IngestSummary) -> None:
        with _LOCK:
            job.done = min(job.total, summary.total)

    try:
        scheduler = os.environ.get(SCHEDULER_ENV, "").strip()
        if scheduler:
            from analysis.distributed import absolute_db_url, ingest_distributed

            url = absolute_db_url(os.environ.get("NEWSLENS_DB"), store.path)
            summary = ingest_distributed(url, items, scheduler=scheduler, batch_size=batch_size, on_result=progress)
        else:
            summary = ingest(store, items, batch_size=batch_size, on_result=progress)
    except Exception as err:  # noqa: BLE001 (the page shows it; the thread must not die silently)
        with _LOCK:
            job.error = f"the save stopped: {type(err).__name__}: {err}"
            job.finished = time.time()
        return
    with _LOCK:
        job.done = job.total
        job.added, job.existing = list(summary.added), list(summary.existing)
        job.failed = [f.message for f in summary.failed]
        job.finished = time.time()


def _forget_old() -> None:
    finished = sorted((j for j in _JOBS.values() if not j.running), key=lambda j: j.finished or 0)
    for job in finished[: max(0, len(finished) - KEEP_FINISHED)]:
        del _JOBS[job.id]
