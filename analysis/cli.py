"""The command line: ``python -m analysis …`` or ``newslens …``.

    analyze PATH... [--json]          clean and analyse, print (nothing is stored)
    ingest PATH... [--workers N]      analyse and store files, folders, .jsonl/.csv batches
           [--scheduler tcp://HOST:PORT|local]   on a Dask cluster instead of local processes
    reanalyze [--stale | --all | ID...]  redo stored articles with this engine (resumable)
    delete ID...                      remove articles and everything derived from them
    export --format csv|jsonl|parquet [--table T] [--out PATH]
    info [--json]                     version, model, database, number of articles
    stories [--json] [--min-articles N]  articles of several outlets grouped by story
    evaluate quotes|tone|entities …   accuracy on public annotated data

Bad input prints one line on stderr and makes the exit status 2; the other inputs still run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import __version__
from analysis.errors import InputError
from analysis.ingest import IngestSummary, ingest, inputs_from_paths
from analysis.model import AnalysedArticle
from analysis.pipeline import ArticleInput, Failure, analyze_many, default_workers
from analysis.store import TABLES, Store
from analysis.stories import update_stories
from analysis.tone_models import TONE_ENV, TONE_MODELS, tone_model_name

__all__ = ["main"]

EXIT_OK, EXIT_BAD_INPUT = 0, 2
EVALUATIONS = ("quotes", "tone", "entities", "cleaning", "stories", "linking")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["evaluate"]:
        return _evaluate(argv[1:])
    args = _parser().parse_args(argv)
    if getattr(args, "tone", None):  # the workers inherit the choice through the environment
        os.environ[TONE_ENV] = args.tone
    try:
        tone_model_name()  # a bad $NEWSLENS_TONE is one line on stderr, not a traceback mid-batch
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from analysis.encoder import EncoderMissing

    try:
        return args.run(args)
    except EncoderMissing as err:  # an install without the encoder's files: say so, never fall back
        print(f"error: {err}", file=sys.stderr)
        return 1
    except InputError as err:
        print(f"error: {_one_line(str(err))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newslens", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"newslens {__version__}")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("analyze", help="clean and analyse articles without storing them")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="JSON Lines, one object per article")
    p.add_argument("--workers", type=_positive, default=1)
    p.add_argument(
        "--tone", choices=TONE_MODELS, help=f"targeted-tone model (default: ${TONE_ENV}, else accurate; fast skips the encoder block)"
    )
    p.set_defaults(run=_analyze)

    p = sub.add_parser("ingest", help="analyse and store articles")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--workers", type=_positive, default=default_workers(), help="processes (default: all cores)")
    p.add_argument("--batch-size", type=_positive, default=32, help="articles per write transaction (and per Dask shard)")
    p.add_argument(
        "--tone", choices=TONE_MODELS, help=f"targeted-tone model (default: ${TONE_ENV}, else accurate; fast skips the encoder block)"
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster: tcp://HOST:PORT of its scheduler, or 'local' for a LocalCluster of --workers processes",
    )
    p.set_defaults(run=_ingest)

    p = sub.add_parser(
        "reanalyze",
        help="re-analyse stored articles with the current engine; with no choice, finish an interrupted run",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="article ids (old ids work too)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--stale", action="store_true", help="articles analysed by an older engine")
    which.add_argument("--all", action="store_true", dest="everything", help="every stored article")
    p.add_argument("--workers", type=_positive, default=default_workers(), help="processes (default: all cores)")
    p.add_argument("--batch-size", type=_positive, default=32)
    p.add_argument("--tone", choices=TONE_MODELS, help=f"targeted-tone model (default: ${TONE_ENV}, else accurate)")
    p.set_defaults(run=_reanalyze)

    p = sub.add_parser("delete", help="delete articles and everything derived from them")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.set_defaults(run=_delete)

    p = sub.add_parser("export", help="write a stored table")
    p.add_argument("--format", choices=("csv", "jsonl", "parquet"), required=True)
    p.add_argument("--table", choices=TABLES, default="articles")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    p.set_defaults(run=_export)

    p = sub.add_parser("info", help="version, model, database and corpus size")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_info)

    p = sub.add_parser("stories", help="stories: articles about the same event, with their outlets and dates")
    p.add_argument("--json", action="store_true", help="JSON Lines, one object per story")
    p.add_argument("--min-articles", type=_positive, default=1, help="only stories with at least N articles")
    p.set_defaults(run=_stories)

    sub.add_parser("evaluate", help="accuracy on annotated data: evaluate quotes|tone|entities …")
    return parser


def _positive(value: str) -> int:
    number = int(value) if value.lstrip("-").isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


def _one_line(message: str) -> str:
    """Messages name files; a name with a line break must not split the message."""
    return " ".join(message.splitlines())


def _report_failure(failure: Failure) -> None:
    print(f"error: {_one_line(failure.message)}", file=sys.stderr)


def _analyze(args: argparse.Namespace) -> int:
    status = EXIT_OK
    items = list(inputs_from_paths(args.paths))
    articles = iter(analyze_many((i for i in items if isinstance(i, ArticleInput)), workers=args.workers))
    for item in items:
        result = item if isinstance(item, Failure) else next(articles)
        if isinstance(result, Failure):
            _report_failure(result)
            status = EXIT_BAD_INPUT
            if args.json:
                print(json.dumps({"path": result.name, "error": result.message}, ensure_ascii=False))
            continue
        if args.json:
            print(json.dumps(result.to_json(path=item.name), ensure_ascii=False))
        else:
            print(_summary(result, item.name))
    return status


def _summary(a: AnalysedArticle, name: str) -> str:
    c = a.cleaned
    lines = [f"{name}  [{a.id}]", f"  title: {c.title}"]
    lines += [f"  {h.role:>9}: {h.text}" for h in c.headlines if h.text != c.title or h.role != "title"]
    meta = ", ".join(f"{k}={v}" for k, v in c.metadata.items())
    lines.append(f"  body: {len(c.paragraphs)} paragraphs, {len(a.sentences)} sentences; removed {len(c.removed)} lines")
    if meta:
        lines.append(f"  metadata: {meta}")
    t = a.tone
    lines.append(
        f"  tone: {t.tone:+.2f}  (TextBlob polarity {t.polarity:+.2f}, subjectivity {t.subjectivity:.2f}; VADER {t.vader:+.2f})"
    )
    top = ", ".join(f"{e.name} ({e.count})" for e in a.entities[:8])
    lines.append(f"  entities: {top or '—'}")
    for q in a.quotes:
        text = q.text if len(q.text) < 90 else q.text[:87] + "…"
        lines.append(f"  {q.kind:>8} quote — {q.speaker} ({q.cue}): “{text}”")
    lines += [f"  notice: {n}" for n in a.notices]
    return "\n".join(lines) + "\n"


def _ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    store = Store()
    items = list(inputs_from_paths(args.paths))
    with tqdm(total=len(items), unit="article", disable=None, file=sys.stderr) as bar:

        def progress(result, _summary: IngestSummary) -> None:
            failures = getattr(result, "failed", [result] if isinstance(result, Failure) else [])
            for failure in failures:
                tqdm.write(f"error: {_one_line(failure.message)}", file=sys.stderr)
            bar.update(getattr(result, "articles", 1))

        workers: list[str] = []
        if args.scheduler:
            summary = _ingest_on_dask(args, store, items, progress, workers)
            if summary.added:
                update_stories(store)  # as ingest() does after local processes
        else:
            summary = ingest(store, items, workers=args.workers, batch_size=args.batch_size, on_result=progress)
    print(
        f"{len(summary.added)} added, {len(summary.existing)} already stored, "
        f"{len(summary.failed)} failed; {store.count()} articles in {store.path}"
    )
    print("\n".join(workers), end="\n" if workers else "")
    return EXIT_BAD_INPUT if summary.failed else EXIT_OK


def _reanalyze(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from analysis.reanalyze import reanalyze

    store = Store()
    if args.ids:
        unknown = [i for i in args.ids if store.resolve(i).status != "stored"]
        for article_id in unknown:
            print(f"error: {article_id}: no stored article has this id", file=sys.stderr)
        args.ids = [i for i in args.ids if i not in unknown]
        if not args.ids and not (args.stale or args.everything):
            return EXIT_BAD_INPUT
    with tqdm(unit="article", disable=None, file=sys.stderr) as bar:

        def progress(_old: str, result, summary) -> None:
            if isinstance(result, Failure):
                tqdm.write(f"error: {_one_line(summary.failed[-1].message)}", file=sys.stderr)
            bar.total = bar.total or store.queued_count() + summary.total
            bar.update(1)

        summary = reanalyze(
            store, ids=args.ids, stale=args.stale, everything=args.everything, workers=args.workers,
            batch_size=args.batch_size, on_result=progress,
        )  # fmt: skip
    print(
        f"{len(summary.done)} re-analysed ({summary.moved} under a new id, old ids kept as aliases), "
        f"{len(summary.failed)} kept as they were; {len(store.stale_ids())} stale left in {store.path}"
    )
    return EXIT_BAD_INPUT if summary.failed else EXIT_OK


def _delete(args: argparse.Namespace) -> int:
    store = Store()
    status = EXIT_OK
    for result in store.delete(args.ids):
        if result.deleted:
            print(f"deleted {result.id}: {_one_line(result.title)}")
        else:
            print(f"error: {result.id}: no stored article has this id", file=sys.stderr)
            status = EXIT_BAD_INPUT
    print(f"{store.count()} articles in {store.path}")
    return status


def _ingest_on_dask(args: argparse.Namespace, store: Store, items: list, progress, report: list[str]) -> IngestSummary:
    """``ingest --scheduler``: the same inputs and summary, analysed and stored by Dask workers;
    ``report`` receives one line per worker (its articles, time and throughput)."""
    from analysis.distributed import (
        ShardResult,
        absolute_db_url,
        ingest_distributed,
        is_sqlite,
        on_this_machine,
        worker_loads,
    )

    shards: list[ShardResult] = []

    def note(result, summary: IngestSummary) -> None:
        if isinstance(result, ShardResult):
            shards.append(result)
        progress(result, summary)

    url = absolute_db_url(os.environ.get("NEWSLENS_DB"), store.path)
    if is_sqlite(url) and not on_this_machine(args.scheduler):
        print(f"note: the workers write to the SQLite file {url} on their own machine; "
              "use a PostgreSQL NEWSLENS_DB when they run elsewhere", file=sys.stderr)  # fmt: skip
    try:
        summary = ingest_distributed(
            url, items, scheduler=args.scheduler, workers=args.workers, batch_size=args.batch_size, on_result=note
        )
    except OSError as err:  # no scheduler at that address: one line, nothing stored
        raise InputError(f"--scheduler {args.scheduler}: cannot reach the Dask scheduler ({err})") from err
    report += [load.line() for load in worker_loads(shards)]
    return summary


def _export(args: argparse.Namespace) -> int:
    store = Store()
    frame = store.table(args.table)
    out = args.out
    if args.format == "csv":
        frame.to_csv(out or sys.stdout, index=False)
    elif args.format == "jsonl":
        frame.to_json(out or sys.stdout, orient="records", lines=True, force_ascii=False)
        if out is None:
            sys.stdout.write("\n")
    else:
        frame.to_parquet(out or sys.stdout.buffer, index=False)
    return EXIT_OK


def _stories(args: argparse.Namespace) -> int:
    from analysis.stories import list_stories

    stories = [s for s in list_stories(Store()) if len(s.article_ids) >= args.min_articles]
    for story in stories:
        if args.json:
            print(json.dumps(story.as_dict(), ensure_ascii=False))
        else:
            when = story.first[:10] if story.first[:10] == story.last[:10] else f"{story.first[:10]} – {story.last[:10]}"
            print(f"{story.id}  {when or 'undated'}  {len(story.article_ids)} articles: {story.title}")
            print(f"  outlets: {', '.join(story.outlets) or 'unknown'}")
            print(f"  articles: {' '.join(story.article_ids)}")
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    from analysis.encoder import ENCODER_RESOURCE, encoder_files
    from analysis.nlp import model_version
    from analysis.targeted import load_targeted_model
    from analysis.tone import load_sentence_model

    store = Store()
    encoder_files()  # EncoderMissing when the install lacks them
    info = {
        "version": __version__,
        "spacy_model": model_version(),
        "tone_model": load_targeted_model().version,
        "sentence_tone_model": load_sentence_model().version,
        "tone_encoder": ENCODER_RESOURCE,
        "database": str(store.path),
        "articles": store.count(),
    }
    if args.json:
        print(json.dumps(info))
    else:
        print("\n".join(f"{k}: {v}" for k, v in info.items()))
    return EXIT_OK


def _evaluate(argv: list[str]) -> int:
    if not argv or argv[0] not in EVALUATIONS:
        print(f"usage: newslens evaluate {{{','.join(EVALUATIONS)}}} …", file=sys.stderr)
        return EXIT_BAD_INPUT
    import importlib

    module = importlib.import_module(f"analysis.evaluate.{argv[0]}")
    return module.cli(argv[1:])
