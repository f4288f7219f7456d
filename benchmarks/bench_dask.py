"""Ingest on Dask (a LocalCluster of 2 workers) against the local worker pool, as whole processes.

    python benchmarks/bench_dask.py                  # 300 PolNeAR train texts, 1 run of each
    python benchmarks/bench_dask.py --n 6 --runs 1   # a smoke run

Each run times, from start to exit, into a fresh temporary SQLite database:
  (a) local: ``python -m analysis ingest <folder> --workers 2`` (the default: a process pool);
  (b) dask:  ``python -m analysis ingest <folder> --scheduler local --workers 2`` (a LocalCluster of
             two single-threaded worker processes, started and stopped inside the command).
Both include interpreter start-up and model loading (and, for Dask, starting the cluster).
CPU seconds count the command and every process it started; they hardly move when other programs
share the machine, so they back up the wall times on a busy host. The goal: dask ≤ 1.15 × local.

From the workers' own report (``worker …:`` lines of the dask command) it prints each worker's
throughput, and from it a projection of the time for 1M articles on N workers.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import POLNEAR_TRAIN, ROOT, machine, median, polnear_files, print_table

GOAL_RATIO = 1.15
PROJECT_ARTICLES = 1_000_000
PROJECT_WORKERS = (2, 8, 32, 128)
WORKER_LINE = re.compile(
    r"^worker (\S+): (\d+) articles, ([\d.]+) s in shards .*?, ([\d.]+) s CPU .*?, ([\d.]+) s writing$", re.M
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300, help="texts, the first N by name (default 300)")
    parser.add_argument("--texts", type=Path, default=POLNEAR_TRAIN, help="folder of .txt articles")
    parser.add_argument("--runs", type=int, default=1, help="repetitions of each; the table gives each and the median")
    parser.add_argument("--workers", type=int, default=2, help="pool processes / Dask workers")
    parser.add_argument("--batch-size", type=int, default=16, help="articles per write transaction / Dask shard")
    args = parser.parse_args(argv)

    files = polnear_files(args.n, args.texts)
    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; Python {info['python']}, "
          f"spaCy {info['spacy']}, {info['model']}; load average before: {_load()}")  # fmt: skip
    print(f"texts: {len(files)} from {args.texts}; workers: {args.workers}; batch/shard size: {args.batch_size}\n")

    rows, times, loads = [], {"local": [], "dask": []}, []
    with tempfile.TemporaryDirectory(prefix="newslens-bench-dask-") as tmp:
        folder = Path(tmp) / "texts"
        folder.mkdir()
        for f in files:
            shutil.copy(f, folder / f.name)
        base = [sys.executable, "-m", "analysis", "ingest", str(folder), "--workers", str(args.workers),
                "--batch-size", str(args.batch_size)]  # fmt: skip
        for run in range(1, args.runs + 1):
            for mode, extra in (("local", []), ("dask", ["--scheduler", "local"])):
                db = Path(tmp) / f"{mode}{run}.sqlite"
                wall, cpu, out = _timed(base + extra, {**os.environ, "NEWSLENS_DB": str(db)})
                stored = _stored(db)
                if stored != len(files):
                    print(f"warning: {mode} run {run} stored {stored} of {len(files)} articles", file=sys.stderr)
                times[mode].append((wall, cpu))
                rows.append([str(run), mode, stored, wall, cpu, stored / wall, stored / cpu, _load()])
                if mode == "dask":
                    loads += [(run, *m) for m in WORKER_LINE.findall(out)]
    for mode in ("local", "dask"):
        wall, cpu = median([w for w, _ in times[mode]]), median([c for _, c in times[mode]])
        rows.append(["median", mode, len(files), wall, cpu, len(files) / wall, len(files) / cpu, ""])
    print_table(["run", "mode", "articles", "wall s", "cpu s", "articles/s", "articles/cpu-s", "load after"], rows)
    ratio = median([w for w, _ in times["dask"]]) / median([w for w, _ in times["local"]])
    cpu_ratio = median([c for _, c in times["dask"]]) / median([c for _, c in times["local"]])
    verdict = "met" if ratio <= GOAL_RATIO else f"missed by {ratio / GOAL_RATIO - 1:.0%}"
    print(f"\ngoal: dask <= {GOAL_RATIO} x local (wall): median ratio {ratio:.2f} ({verdict}); CPU-time ratio {cpu_ratio:.2f}")

    if not loads:
        return 0
    print("\nper worker (from the workers' own report; time inside shards, start-up excluded):")
    worker_rows = []
    for run, address, n, busy, cpu, write in loads:
        n, busy, cpu, write = int(n), float(busy), float(cpu), float(write)
        worker_rows.append([run, address, n, busy, cpu, n / busy, n / cpu, 1000 * write / n])
    print_table(["run", "worker", "articles", "busy s", "cpu s", "articles/s", "articles/cpu-s", "write ms/article"], worker_rows)
    per_cpu = median([r[6] for r in worker_rows])  # articles per CPU-second of one worker: a dedicated core
    per_busy = median([r[5] for r in worker_rows])  # as measured here, sharing the cores
    write_ms = median([r[7] for r in worker_rows])
    print(f"\nprojection for {PROJECT_ARTICLES:,} articles, one core per worker, at {per_cpu:.2f} articles per "
          f"CPU-second per worker (measured here: {per_busy:.2f} articles/s per worker on the shared cores):")  # fmt: skip
    projection = []
    for n in PROJECT_WORKERS:
        hours = PROJECT_ARTICLES / (n * per_cpu) / 3600
        projection.append([n, hours, hours * n, PROJECT_ARTICLES * write_ms / 1000 / 3600])
    print_table(["workers", "hours", "core-hours", "store writes h (serial)"], projection)
    print("\nthe last column is the time the store spends writing if every write were serial (one SQLite "
          "file); it bounds the run from below whatever the number of workers")
    return 0


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall, CPU, stdout) of a whole process and every process it started, start to exit."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 2):  # 2: some inputs refused
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise SystemExit(f"{' '.join(command[:4])} … exited with {done.returncode}:\n{tail}")
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    return wall, cpu, done.stdout


def _stored(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
