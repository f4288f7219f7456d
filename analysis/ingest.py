"""Reading inputs (files, folders, .jsonl/.csv batches, uploads) and storing their analyses.

Every input becomes an ``ArticleInput`` or a ``Failure`` carrying the user-facing message, so a
bad file in a batch never stops the others. File names only ever appear in messages.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analysis.decode import decode_bytes, detect_format, max_bytes_limit
from analysis.errors import InputError, Messages
from analysis.model import CleaningChoices
from analysis.pipeline import ArticleInput, Failure, analyze_many
from analysis.seed import ARTICLE_SUFFIXES, new_seed_files
from analysis.store import DATA_DIR, Store
from analysis.stories import update_stories

__all__ = [
    "ARTICLE_SUFFIXES",
    "BATCH_SUFFIXES",
    "IngestSummary",
    "inputs_from_bytes",
    "inputs_from_paths",
    "ingest",
    "seed_store",
]

BATCH_SUFFIXES = frozenset({".jsonl", ".csv"})
BATCH_FIELDS = ("title", "source", "url", "published")
BATCH_MAX_BYTES = 200_000_000  # a batch file holds many articles; each text still has the limit


@dataclass(slots=True)
class IngestSummary:
    added: list[str] = field(default_factory=list)  # ids of new articles
    existing: list[str] = field(default_factory=list)  # ids already stored
    failed: list[Failure] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.added) + len(self.existing) + len(self.failed)


def inputs_from_paths(paths: Iterable[str | Path]) -> Iterator[ArticleInput | Failure]:
    """Files, folders (searched recursively for article and batch files) and batch files."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p))
            for file in files:
                yield from _from_file(file)
        else:
            yield from _from_file(path)


def inputs_from_bytes(
    data: bytes, name: str, *, source: str = "", url: str = "", published: str = ""
) -> Iterator[ArticleInput | Failure]:
    """An upload: one article, or a batch when ``name`` ends in .jsonl or .csv."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix in BATCH_SUFFIXES:
            yield from _batch_rows(data, name, suffix)
            return
        text = decode_bytes(data, name=name)
    except InputError as err:
        yield Failure(name, str(err))
        return
    yield ArticleInput(
        text=text, name=name, format=detect_format(text, name), source=source, url=url, published=published
    )


def _wanted(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES | BATCH_SUFFIXES and not path.name.startswith(".")


def _from_file(path: Path) -> Iterator[ArticleInput | Failure]:
    limit = BATCH_MAX_BYTES if path.suffix.lower() in BATCH_SUFFIXES else max_bytes_limit()
    try:
        size = path.stat().st_size
        if size > limit:  # refused before reading: a huge file costs nothing
            raise InputError(Messages.TOO_LARGE.format(name=path, size=size, limit=limit))
        data = path.read_bytes()
    except InputError as err:
        yield Failure(str(path), str(err))
        return
    except OSError as err:
        yield Failure(str(path), Messages.UNREADABLE.format(name=path, reason=err.strerror or err))
        return
    yield from inputs_from_bytes(data, str(path))


def _batch_rows(data: bytes, name: str, suffix: str) -> Iterator[ArticleInput | Failure]:
    """One ``ArticleInput`` per good row; a bad row is one ``Failure`` naming its line, and the
    rows after it are still read. Only a file that cannot be read at all fails as a whole."""
    text = decode_bytes(data, name=name, max_bytes=BATCH_MAX_BYTES)
    rows = _jsonl_rows(text, name) if suffix == ".jsonl" else _csv_rows(text, name)
    for row in rows:
        if isinstance(row, Failure):
            yield row
            continue
        line, fields = row
        row_name = f"{name}:{line}"
        body = fields.get("text")
        if not isinstance(body, str):
            yield _bad_row(name, line, "no 'text' field (every batch row needs the article text)")
            continue
        try:
            body = decode_bytes(body.encode("utf-8"), name=row_name)
        except InputError as err:
            yield Failure(row_name, str(err))
            continue
        extra = {k: _plain(_field(fields, k)) for k in BATCH_FIELDS}
        try:
            choices = _choices(fields.get("original_choices"))
        except (ValueError, TypeError, AttributeError):
            yield _bad_row(name, line, "an unreadable 'original_choices' field (JSON with keep/drop lists)")
            continue
        yield ArticleInput(
            text=body,
            name=row_name,
            format=_plain(fields.get("original_format")) or detect_format(body, None),
            title=extra["title"] or None,
            source=extra["source"],
            url=extra["url"],
            published=extra["published"],
            choices=choices,
            aliases=_aliases(fields),
            kept=str(fields.get("original_kept", True)).lower() not in ("false", "0"),
        )


def _field(row: dict, key: str) -> object:
    """A caller field of a batch row; an export of the articles table names the caller's own
    values ``original_<key>`` (its ``title`` etc. are what the engine found), and those win."""
    return row[f"original_{key}"] if f"original_{key}" in row else row.get(key)


def _choices(value: object) -> CleaningChoices:
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else None
    return CleaningChoices.from_dict(value)


def _aliases(row: dict) -> tuple[str, ...]:
    """Ids an exported article had (its id and old ids), so links to them still open it."""
    value = row.get("aliases") or []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = []
    ids = [row.get("id"), *(value if isinstance(value, list) else [])]
    return tuple(str(i) for i in ids if isinstance(i, str) and i.strip())


BatchRow = tuple[int, dict]  # (line number where the row starts, its fields)


def _bad_row(name: str, line: int, reason: str) -> Failure:
    return Failure(f"{name}:{line}", Messages.BAD_BATCH_ROW.format(name=name, line=line, reason=reason))


def _plain(value: object) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


def _jsonl_rows(text: str, name: str) -> Iterator[BatchRow | Failure]:
    """Each non-blank line is one JSON object; a line that is not is reported and skipped."""
    for number, line in enumerate(io.StringIO(text), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            yield _bad_row(name, number, f"not JSON ({err.msg} at column {err.colno})")
            continue
        if not isinstance(row, dict):
            yield _bad_row(name, number, f"a JSON {type(row).__name__}, not an object with a 'text' field")
            continue
        yield number, row


def _csv_rows(text: str, name: str) -> Iterator[BatchRow | Failure]:
    """Rows under a header line; a record may span lines (quoted line breaks), and its number is
    the line it starts on. Broken quoting or a wrong number of fields fails that row alone."""
    csv.field_size_limit(max(csv.field_size_limit(), BATCH_MAX_BYTES))  # one field holds an article
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as err:
        raise InputError(Messages.BAD_BATCH.format(name=name, reason=f"the header line: {err}")) from err
    if "text" not in header:
        shown = ", ".join(header)[:200]
        raise InputError(Messages.BAD_BATCH.format(name=name, reason=f"no 'text' column in the header ({shown})"))
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            reason = str(err)
            if "unexpected end of data" in reason:
                reason = "a quote opened in this row is never closed"
            yield _bad_row(name, line, f"broken CSV quoting ({reason})")
        else:
            if len(values) == len(header):
                yield line, dict(zip(header, values, strict=True))
            elif any(v.strip() for v in values):
                yield _bad_row(name, line, f"{len(values)} fields where the header has {len(header)}")
        line = reader.line_num + 1


def ingest(
    store: Store,
    inputs: Iterable[ArticleInput | Failure],
    *,
    workers: int = 1,
    batch_size: int = 32,
    on_result: Callable[[ArticleInput | Failure, object], None] | None = None,
) -> IngestSummary:
    """Analyse and store inputs; each write batch is one transaction. Re-ingesting is a no-op.

    ``on_result(result, summary)`` is called after every article (for progress bars).
    """
    summary = IngestSummary()
    failures: list[Failure] = []

    def articles() -> Iterator[ArticleInput]:
        for item in inputs:
            if isinstance(item, Failure):
                failures.append(item)
            else:
                yield item

    pending = []
    for result in analyze_many(articles(), workers=workers, batch_size=batch_size):
        while failures:
            _note(summary, failures.pop(0), on_result)
        if isinstance(result, Failure):
            _note(summary, result, on_result)
            continue
        pending.append(result)
        if len(pending) >= batch_size:
            _flush(store, pending, summary, on_result)
    _flush(store, pending, summary, on_result)
    while failures:
        _note(summary, failures.pop(0), on_result)
    if summary.added:
        update_stories(store)  # new articles join the stories of other outlets' articles
    return summary


def _flush(store: Store, pending: list, summary: IngestSummary, on_result) -> None:
    for article, saved in zip(pending, store.save_many(pending), strict=True):
        (summary.added if saved.created else summary.existing).append(saved.id)
        if on_result:
            on_result(article, summary)
    pending.clear()


def _note(summary: IngestSummary, failure: Failure, on_result) -> None:
    summary.failed.append(failure)
    if on_result:
        on_result(failure, summary)


def seed_store(store: Store, folder: Path = DATA_DIR) -> IngestSummary:
    """Ingest every article file under ``folder`` that this store has not seen yet (recognised
    by a digest of their bytes, ``analysis.seed.new_seed_files``), here and now; the app does it
    in the background instead (``analysis.seed.start_seeding``)."""
    new = new_seed_files(store, folder)
    if not new:
        return IngestSummary()
    summary = ingest(store, inputs_from_paths([p for p, _ in new]))
    store.remember_files((d, p.name, None) for p, d in new)
    return summary
