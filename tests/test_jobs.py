"""Background ingest jobs (the Add page's long saves): progress while running, the outcome after."""

from __future__ import annotations

import time

from analysis.jobs import start_ingest_job, status
from analysis.pipeline import ArticleInput, Failure
from analysis.store import Store
from tests.test_concurrency import news_article


def test_a_job_reports_progress_and_its_outcome(tmp_path, nlp):
    store = Store(str(tmp_path / "s.sqlite"))
    items = [ArticleInput(text=news_article(i), name=f"a{i}") for i in range(3)]
    items.insert(1, Failure("bad.jsonl:2", "bad.jsonl, line 2: not JSON; this row is skipped"))
    job_id = start_ingest_job(store, items, batch_size=1)
    seen = []
    deadline = time.monotonic() + 300
    while (job := status(job_id)).running and time.monotonic() < deadline:
        seen.append(job.done)
        time.sleep(0.05)
    assert not job.running and not job.error
    assert seen == sorted(seen) and all(0 <= n <= 4 for n in seen)  # progress only goes forward
    assert job.done == job.total == 4
    assert len(job.added) == 3 and job.failed == ["bad.jsonl, line 2: not JSON; this row is skipped"]
    assert store.count() == 3
    again = start_ingest_job(store, items[:1])  # a second save of a stored article adds nothing
    while status(again).running:
        time.sleep(0.05)
    assert status(again).existing == job.added[:1] and store.count() == 3


def test_an_unknown_job_is_none():
    assert status("no-such-job") is None
