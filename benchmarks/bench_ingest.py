"""Ingest speed against a bare spaCy pass over the same texts, both timed as whole processes.

    python benchmarks/bench_ingest.py                 # 300 PolNeAR train texts, 3 runs, 2 workers
    python benchmarks/bench_ingest.py --n 5 --runs 1  # a smoke run

Each run times, from start to exit:
  (a) bare:   a Python process that loads the pipeline and runs
              ``nlp.pipe(texts, batch_size=32, n_process=2)`` over the raw texts;
  (b) ingest: ``python -m analysis ingest <folder> --workers 2`` into a fresh temporary database
              (decode, clean, parse, every analysis, SQLite).
Both include interpreter start-up and model loading. The goal: ingest ≤ 1.4 × bare with the
accurate tone model, the default (issue 16; it was 1.3× before that model).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import POLNEAR_TRAIN, ROOT, machine, median, polnear_files, print_table

GOAL_RATIO = 1.4

# The bare pass: the same pipeline the engine uses (``project``: analysis.nlp.load_nlp(), with its
# paragraph-boundary component) or the packaged model as shipped (``plain``: spacy.load).
BARE = """
import sys
from pathlib import Path
folder, model, batch_size, n_process = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if model == "project":
    from analysis.nlp import load_nlp
    nlp = load_nlp()
else:
    import spacy
    from analysis.nlp import MODEL_NAME
    nlp = spacy.load(MODEL_NAME)
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.txt"))]
docs = sum(1 for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process))
print(docs)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300, help="texts, the first N by name (default 300)")
    parser.add_argument("--texts", type=Path, default=POLNEAR_TRAIN, help="folder of .txt articles")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; the table gives each and the median")
    parser.add_argument("--workers", type=int, default=2, help="ingest --workers, and the bare n_process")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--model", choices=("project", "plain"), default="project",
                        help="bare pass with analysis.nlp.load_nlp() (default) or spacy.load()")  # fmt: skip
    parser.add_argument("--ingest-arg", action="append", default=[], metavar="ARG",
                        help="extra argument for the ingest command (repeatable)")  # fmt: skip
    args = parser.parse_args(argv)

    files = polnear_files(args.n, args.texts)
    texts = [f.read_text(encoding="utf-8") for f in files]
    words = sum(len(t.split()) for t in texts)
    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; Python {info['python']}, "
          f"spaCy {info['spacy']}, {info['model']}")  # fmt: skip
    print(f"texts: {len(files)} from {args.texts}; bare model: {args.model}; "
          f"workers/n_process: {args.workers}; batch size: {args.batch_size}\n")  # fmt: skip

    rows, bare_times, ingest_times = [], [], []
    with tempfile.TemporaryDirectory(prefix="newslens-bench-") as tmp:
        folder = Path(tmp) / "texts"
        folder.mkdir()
        for f in files:
            shutil.copy(f, folder / f.name)
        for run in range(1, args.runs + 1):
            bare = _timed([sys.executable, "-c", BARE, str(folder), args.model, str(args.batch_size),
                           str(args.workers)], os.environ.copy())  # fmt: skip
            db = Path(tmp) / f"run{run}.sqlite"
            env = {**os.environ, "NEWSLENS_DB": str(db)}
            command = [sys.executable, "-m", "analysis", "ingest", str(folder), "--workers", str(args.workers),
                       "--batch-size", str(args.batch_size), *args.ingest_arg]  # fmt: skip
            ingest = _timed(command, env, ok=(0, 2))  # 2: some inputs refused
            stored = _stored(db)
            if stored != len(files):
                print(f"warning: run {run} stored {stored} of {len(files)} articles", file=sys.stderr)
            bare_times.append(bare)
            ingest_times.append(ingest)
            rows.append(_row(str(run), len(files), words, bare, ingest, args.workers))
    bare_median = (median([w for w, _ in bare_times]), median([c for _, c in bare_times]))
    ingest_median = (median([w for w, _ in ingest_times]), median([c for _, c in ingest_times]))
    rows.append(_row("median", len(files), words, bare_median, ingest_median, args.workers))
    print_table(
        ["run", "articles", "words", "bare s", "ingest s", "ratio", "bare art/s", "ingest art/s",
         "bare w/s/core", "ingest w/s/core", "bare cpu s", "ingest cpu s", "cpu ratio"],
        rows,
    )  # fmt: skip
    ratio = ingest_median[0] / bare_median[0]
    verdict = "met" if ratio <= GOAL_RATIO else f"missed by {ratio / GOAL_RATIO - 1:.0%}"
    print(f"\ngoal: ingest <= {GOAL_RATIO} x bare (wall): median ratio {ratio:.2f} ({verdict}); "
          f"CPU-time ratio {ingest_median[1] / bare_median[1]:.2f}")  # fmt: skip
    return 0


def _timed(command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(wall, CPU) seconds of a whole process and its children, start to exit.

    CPU seconds (user + system, worker processes included) hardly change when other programs
    share the machine, so they back up the wall times on a busy host. A crash stops the benchmark.
    """
    cpu_before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    if done.returncode not in ok:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise SystemExit(f"{' '.join(command[:4])} … exited with {done.returncode}:\n{tail}")
    return elapsed, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stored(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def _row(label: str, articles: int, words: int, bare: tuple[float, float], ingest: tuple[float, float],
         cores: int) -> list:  # fmt: skip
    (bare_wall, bare_cpu), (ingest_wall, ingest_cpu) = bare, ingest
    return [label, articles, words, bare_wall, ingest_wall, ingest_wall / bare_wall, articles / bare_wall,
            articles / ingest_wall, round(words / bare_wall / cores), round(words / ingest_wall / cores),
            bare_cpu, ingest_cpu, ingest_cpu / bare_cpu]  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
