"""Re-analysing stored articles with the current engine, from the inputs the store kept.

The articles to redo wait in the store's queue (``reanalysis_queue``), so a run that is
interrupted resumes where it stopped: ``reanalyze`` with no selection finishes the queue. Each
article is replaced in its own transaction (``Store.replace``); an article whose input no longer
cleans (the engine refuses it) is left as it was, with a message, never dropped. Articles stored
before originals were kept are re-analysed from their stored title and paragraphs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from analysis.model import OriginalInput
from analysis.pipeline import ArticleInput, Failure, analyze_many
from analysis.store import Store

__all__ = ["ReanalyzeSummary", "reanalyze", "reanalyze_one", "input_from_original"]


@dataclass(slots=True)
class ReanalyzeSummary:
    done: list[tuple[str, str]] = field(default_factory=list)  # (old id, current id)
    failed: list[Failure] = field(default_factory=list)  # names are the article ids

    @property
    def total(self) -> int:
        return len(self.done) + len(self.failed)

    @property
    def moved(self) -> int:
        """Articles whose id changed (old ids stay as aliases)."""
        return sum(1 for old, new in self.done if old != new)


def input_from_original(original: OriginalInput, name: str) -> ArticleInput:
    return ArticleInput(
        text=original.text, name=name, format=original.format, title=original.title or None,
        source=original.source, url=original.url, published=original.published,
        choices=original.choices, kept=original.kept,
    )  # fmt: skip


def reanalyze(
    store: Store,
    *,
    ids: Sequence[str] = (),
    stale: bool = False,
    everything: bool = False,
    workers: int = 1,
    batch_size: int = 32,
    on_result: Callable[[str, object, ReanalyzeSummary], None] | None = None,
) -> ReanalyzeSummary:
    """Queue the chosen articles (``ids``, the stale ones, or all), then re-analyse the whole
    queue, including what an interrupted run left in it. ``on_result(old_id, result, summary)``
    follows each article (progress bars)."""
    if everything:
        store.enqueue(store.ids())
    elif stale:
        store.enqueue(store.stale_ids())
    if ids:
        store.enqueue(ids)
    summary = _run(store, store.queued(), workers=workers, batch_size=batch_size, on_result=on_result)
    if summary.done:
        store.refresh_corpus()  # every aggregate from what is stored now (older stores kept them incrementally)
    return summary


def _run(store: Store, queue: list[str], *, workers: int, batch_size: int, on_result) -> ReanalyzeSummary:
    summary = ReanalyzeSummary()

    def inputs() -> Iterator[ArticleInput]:
        for article_id in queue:  # read lazily: the queue may be long
            original = store.original(article_id)
            yield input_from_original(original or OriginalInput(text="", kept=False), article_id)

    results = analyze_many(inputs(), workers=workers, batch_size=batch_size)
    for old_id, result in zip(queue, results, strict=True):
        if isinstance(result, Failure):
            store.dequeue(old_id)
            summary.failed.append(Failure(old_id, f"{old_id}: kept as it was; {result.message}"))
        else:
            store.replace(old_id, result)
            summary.done.append((old_id, result.id))
        if on_result:
            on_result(old_id, result, summary)
    return summary


def reanalyze_one(store: Store, article_id: str) -> str:
    """Re-analyse one article now (the dashboard's action); returns its current id. Raises
    ``InputError`` when the current engine refuses its input (the article is left as it was)."""
    from analysis.errors import InputError

    current = store.resolve(article_id)
    if current.status != "stored":
        raise InputError(f"{article_id}: no stored article has this id.")
    summary = _run(store, [current.id], workers=1, batch_size=1, on_result=None)
    if summary.failed:
        raise InputError(summary.failed[0].message)
    return summary.done[0][1]
