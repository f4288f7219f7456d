"""How well does cleaning keep the article and drop the rest? Measured on real pages as copied.

The layouts are those of ``../shared/eval/pages`` (see its README):

- *full gold* (``readability``): ``gold.json`` maps a page name to ``{"title", "byline", "body"}``;
  ``copied/NAME.txt`` is the page's text as a browser copies it; ``html/NAME.html.gz`` the page.
- *snippets* (``trafilatura``): ``gold.json`` maps a page name to ``{"with": [...], "without":
  [...]}``, snippets that belong to the main text and snippets that do not.

Metrics, as the data's README defines them:

- **body P/R/F1**: 4-word shingles (``\\w+`` tokens, counted with multiplicity) of the kept body
  against the gold body, precision and recall per page, averaged over pages, F1 of the two means;
- **snippets**: share of ``with`` snippets found in the kept body (whitespace collapsed), share of
  ``without`` snippets not found there, and their mean;
- **title**: the kept title equals the gold title after collapsing whitespace and case, or one
  contains the other with at least 80 % of the longer one's words.

Peers in the same run: *keep every line* (the copied text as it is) and, on HTML, *trafilatura*
alone (``trafilatura.extract``, its text output).

Pages split into ``train`` and ``dev`` by a hash of the page name (``page_split``); the line model
is trained on ``train`` only (``analysis/train_cleaning.py``), so ``--split dev`` is held out.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputError

__all__ = [
    "DEV_SHARE",
    "Page",
    "BodyScores",
    "SnippetScores",
    "SystemReport",
    "page_split",
    "load_pages",
    "shingles",
    "body_scores",
    "title_matches",
    "snippet_hits",
    "kept_text",
    "evaluate_pages",
    "cli",
]

DEV_SHARE = 0.3  # share of pages (by name hash) held out of training as dev
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def page_split(name: str) -> str:
    """``dev`` or ``train`` for a page, fixed by its name alone (stable across runs and machines)."""
    digest = int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:8], 16)
    return "dev" if digest / 0xFFFFFFFF < DEV_SHARE else "train"


@dataclass(slots=True)
class Page:
    """One evaluation page: its copied text, its HTML when given, and its gold."""

    name: str
    copied: str
    html: str | None = None
    title: str | None = None
    body: str | None = None  # full gold
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)

    @property
    def full_gold(self) -> bool:
        return self.body is not None


def load_pages(directory: str | Path, *, split: str = "all", limit: int | None = None) -> list[Page]:
    """The pages of one layout (sorted by name), those of ``split`` (``all``, ``train``, ``dev``)."""
    root = Path(directory)
    gold_path = root / "gold.json"
    if not gold_path.is_file():
        raise InputError(f"{root}: no gold.json here (expected a layout of ../shared/eval/pages)")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pages: list[Page] = []
    for name in sorted(gold):
        if split != "all" and page_split(name) != split:
            continue
        copied_path = root / "copied" / f"{name}.txt"
        if not copied_path.is_file():
            continue
        html_path = root / "html" / f"{name}.html.gz"
        entry = gold[name]
        pages.append(
            Page(
                name=name,
                copied=copied_path.read_text(encoding="utf-8", errors="replace"),
                html=gzip.decompress(html_path.read_bytes()).decode("utf-8", "replace") if html_path.is_file() else None,
                title=entry.get("title"),
                body=entry.get("body"),
                with_snippets=list(entry.get("with") or []),
                without_snippets=list(entry.get("without") or []),
            )
        )
        if limit is not None and len(pages) >= limit:
            break
    return pages


# --- metrics ------------------------------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """``n``-word shingles of ``text`` with their counts (a text shorter than ``n`` words is one)."""
    tokens = _TOKEN.findall(text)
    if 0 < len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(slots=True)
class BodyScores:
    """Per-page shingle precision and recall, and their means over pages."""

    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)

    def add(self, kept: str, gold: str) -> tuple[float, float]:
        p, r = body_scores(kept, gold)
        self.precisions.append(p)
        self.recalls.append(r)
        return p, r

    @property
    def precision(self) -> float:
        return sum(self.precisions) / len(self.precisions) if self.precisions else 0.0

    @property
    def recall(self) -> float:
        return sum(self.recalls) / len(self.recalls) if self.recalls else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def body_scores(kept: str, gold: str) -> tuple[float, float]:
    """(precision, recall) of ``kept``'s shingles against ``gold``'s. An empty side scores 1 when
    both are empty, else 0."""
    k, g = shingles(kept), shingles(gold)
    if not k or not g:
        both_empty = not k and not g
        return (1.0, 1.0) if both_empty else (0.0, 0.0)
    common = sum((k & g).values())
    return common / sum(k.values()), common / sum(g.values())


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def title_matches(found: str, gold: str) -> bool:
    """The README's title rule: equal after collapsing whitespace and case, or one contains the
    other and the shorter has at least 80 % of the longer one's words."""
    a, b = _collapse(found).casefold(), _collapse(gold).casefold()
    if not a or not b:
        return a == b
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short.split()) >= 0.8 * len(long_.split())


@dataclass(slots=True)
class SnippetScores:
    """Counts of ``with`` snippets kept and ``without`` snippets dropped."""

    with_total: int = 0
    with_kept: int = 0
    without_total: int = 0
    without_dropped: int = 0

    @property
    def kept_rate(self) -> float:
        return self.with_kept / self.with_total if self.with_total else 0.0

    @property
    def dropped_rate(self) -> float:
        return self.without_dropped / self.without_total if self.without_total else 0.0

    @property
    def mean(self) -> float:
        return (self.kept_rate + self.dropped_rate) / 2


def snippet_hits(kept: str, with_snippets: list[str], without_snippets: list[str]) -> tuple[int, int]:
    """(``with`` snippets found in ``kept``, ``without`` snippets not found), whitespace collapsed."""
    body = _collapse(kept)
    kept_n = sum(_collapse(s) in body for s in with_snippets)
    dropped_n = sum(_collapse(s) not in body for s in without_snippets)
    return kept_n, dropped_n


HEADLINE_LABELS = frozenset({"title", "alternate", "dek", "truncated"})


def kept_text(views: list) -> str:
    """The article text cleaning kept, in reading order: every kept line or block that is not a
    headline above the body (body paragraphs and section headings, which belong to the readable
    content of a page). ``views``: ``clean.clean_with_lines``'s second value."""
    return "\n\n".join(v.text for v in views if v.kept and v.label not in HEADLINE_LABELS)


# --- systems ------------------------------------------------------------------------------------


@dataclass(slots=True)
class SystemReport:
    """One system's scores over a set of pages."""

    name: str
    body: BodyScores = field(default_factory=BodyScores)
    snippets: SnippetScores = field(default_factory=SnippetScores)
    titles_right: int = 0
    titles_total: int = 0
    failures: int = 0
    seconds: float = 0.0
    pages: int = 0
    worst: list[tuple[float, str]] = field(default_factory=list)

    @property
    def title_accuracy(self) -> float:
        return self.titles_right / self.titles_total if self.titles_total else 0.0


System = Callable[[Page], tuple[str, str | None]]  # page → (kept body, title or None)


def _newslens_text(page: Page) -> tuple[str, str | None]:
    from analysis.clean import clean_with_lines

    article, views = clean_with_lines(page.copied, format="text")
    return kept_text(views), article.title


def _newslens_html(page: Page) -> tuple[str, str | None]:
    from analysis.clean import clean_with_lines

    article, views = clean_with_lines(page.html or "", format="html")
    return kept_text(views), article.title


def _every_line(page: Page) -> tuple[str, str | None]:
    return page.copied, None


def _trafilatura(page: Page) -> tuple[str, str | None]:
    import trafilatura

    text = trafilatura.extract(page.html or "", include_comments=False, include_tables=False) or ""
    return text, None


def _systems(pages: list[Page]) -> Iterator[tuple[str, System, bool]]:
    """(name, system, scores titles) for the pages given."""
    yield "Newslens (copied text)", _newslens_text, True
    yield "keep every line", _every_line, False
    if pages and all(p.html is not None for p in pages):
        yield "Newslens (HTML)", _newslens_html, True
        yield "trafilatura alone (HTML)", _trafilatura, False


def run_system(name: str, system: System, pages: list[Page], *, titles: bool) -> SystemReport:
    """Score one system over the pages. A page the system refuses counts as an empty kept body."""
    report = SystemReport(name)
    start = time.perf_counter()
    for page in pages:
        try:
            kept, title = system(page)
        except InputError:
            kept, title = "", ""
            report.failures += 1
        report.pages += 1
        if page.full_gold:
            _, r = report.body.add(kept, page.body or "")
            report.worst.append((report.body.precisions[-1] + r, page.name))
            if titles and page.title is not None:
                report.titles_total += 1
                report.titles_right += title_matches(title or "", page.title)
        if page.with_snippets or page.without_snippets:
            k, d = snippet_hits(kept, page.with_snippets, page.without_snippets)
            report.snippets.with_kept += k
            report.snippets.with_total += len(page.with_snippets)
            report.snippets.without_dropped += d
            report.snippets.without_total += len(page.without_snippets)
    report.seconds = time.perf_counter() - start
    report.worst.sort()
    return report


def evaluate_pages(pages: list[Page], *, only: str | None = None) -> list[SystemReport]:
    """Every system that applies to these pages, on the same pages, in one run."""
    return [
        run_system(name, system, pages, titles=titles)
        for name, system, titles in _systems(pages)
        if only is None or only.lower() in name.lower()
    ]


def _rows(reports: list[SystemReport]) -> Iterator[str]:
    full = any(r.body.precisions for r in reports)
    snippets = any(r.snippets.with_total for r in reports)
    header = f"{'system':28}"
    if full:
        header += f"{'body P':>8}{'body R':>8}{'body F1':>8}{'title':>8}"
    if snippets:
        header += f"{'with kept':>11}{'w/o dropped':>12}{'mean':>7}"
    header += f"{'refused':>9}{'ms/page':>9}"
    yield header
    for r in reports:
        row = f"{r.name:28}"
        if full:
            title = f"{r.title_accuracy:.3f}" if r.titles_total else "–"
            row += f"{r.body.precision:8.3f}{r.body.recall:8.3f}{r.body.f1:8.3f}{title:>8}"
        if snippets:
            s = r.snippets
            row += f"{s.kept_rate:11.3f}{s.dropped_rate:12.3f}{s.mean:7.3f}"
        row += f"{r.failures:9d}{1000 * r.seconds / max(r.pages, 1):9.1f}"
        yield row


def cli(argv: list[str]) -> int:
    """``evaluate cleaning DIR [--split all|train|dev] [--limit N] [--worst K]``."""
    parser = argparse.ArgumentParser(prog="python -m analysis evaluate cleaning")
    parser.add_argument("dir", help="a page layout, e.g. ../shared/eval/pages/readability")
    parser.add_argument("--split", choices=("all", "train", "dev"), default="dev",
                        help="pages by name hash: dev is held out of the line model's training (default)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--only", default=None, help="only the systems whose name contains this")
    parser.add_argument("--worst", type=int, default=0, help="list the K pages Newslens scores worst on")
    args = parser.parse_args(argv)
    try:
        pages = load_pages(args.dir, split=args.split, limit=args.limit)
    except InputError as err:
        print(f"error: {err}")
        return 2
    print(f"{args.dir}: {len(pages)} pages ({args.split} split)")
    reports = evaluate_pages(pages, only=args.only)
    for row in _rows(reports):
        print(row)
    if args.worst and reports:
        print(f"\nworst pages for {reports[0].name} (P+R):")
        for score, name in reports[0].worst[: args.worst]:
            print(f"  {score / 2:.3f}  {name}")
    return 0
