"""What the benchmark scripts share: paths to the real texts, the machine, statistics, tables.

The real texts are the public evaluation corpora beside the repository (``../shared/eval``):
PolNeAR's training articles and the AllSides story bodies. Nothing from them is copied into the
repository; the scripts read them in place.
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import sys
from collections.abc import Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = [
    "ROOT",
    "SHARED_EVAL",
    "POLNEAR_TRAIN",
    "ALLSIDES",
    "polnear_files",
    "allsides_articles",
    "median",
    "p95",
    "print_table",
    "machine",
    "rss_kib",
]

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
POLNEAR_TRAIN = SHARED_EVAL / "polnear" / "train" / "text"
ALLSIDES = SHARED_EVAL / "allsides" / "headlines.jsonl"

if str(ROOT) not in sys.path:  # the scripts run as files (python benchmarks/x.py) from anywhere
    sys.path.insert(0, str(ROOT))


def polnear_files(n: int, folder: Path = POLNEAR_TRAIN) -> list[Path]:
    """The first ``n`` texts of ``folder`` sorted by name (SystemExit with a message if absent)."""
    files = sorted(folder.glob("*.txt"))[:n] if folder.is_dir() else []
    if not files:
        raise SystemExit(f"no .txt files in {folder} (the evaluation data lives beside the repo)")
    return files


def allsides_articles(n: int, path: Path = ALLSIDES) -> Iterator[dict[str, str]]:
    """Up to ``n`` outlet articles from the AllSides story groups: text, title, source, url, date."""
    if not path.is_file():
        return
    count = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            story = json.loads(line)
            for side in ("left", "center", "right"):
                news = story.get("news", {}).get(side) or {}
                body = news.get("newBody")
                if not body or count >= n:
                    continue
                text = "\n\n".join(body) if isinstance(body, list) else str(body)
                yield {
                    "text": text,
                    "title": news.get("newsTitle", ""),
                    "source": news.get("newsSource", ""),
                    "url": news.get("newsLink", ""),
                    "published": str(story.get("date", ""))[:10],
                }
                count += 1
            if count >= n:
                return


def median(values: Sequence[float]) -> float:
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile (with few runs it is the maximum)."""
    s = sorted(values)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain, aligned text table (numbers right-aligned)."""
    cells = [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    numeric = [all(isinstance(row[i], int | float) for row in rows) if rows else False for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True))

    print(line(headers).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row).rstrip())


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, Python, spaCy and model versions: the context of every figure."""
    import spacy

    from analysis.nlp import MODEL_NAME

    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = found.group(1) if found else cpu
    meminfo = Path("/proc/meminfo")
    ram = "?"
    if meminfo.is_file():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.M)
        ram = f"{int(found.group(1)) / 2**20:.1f} GiB" if found else ram
    try:
        model = f"{MODEL_NAME} {version(MODEL_NAME.replace('_', '-'))}"
    except PackageNotFoundError:
        model = MODEL_NAME
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": str(cores),
        "ram": ram,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": model,
    }


def rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KiB, from /proc/<pid>/status (0, 0 if it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0, 0
    values = dict(re.findall(r"^(VmRSS|VmHWM):\s*(\d+) kB", status, re.M))
    return int(values.get("VmRSS", 0)), int(values.get("VmHWM", 0))
