"""Resident memory of the dashboard server while a real browser opens every page on a large store.

    python benchmarks/bench_memory.py --db /tmp/newslens-10k.sqlite
    python benchmarks/bench_memory.py --db /tmp/newslens-10k.sqlite --apptest   # no browser

Starts ``streamlit run app.py`` headless on a free port with ``NEWSLENS_DB`` set, opens every page
of the sidebar in headless Chromium (Playwright driving /usr/bin/chromium), once for one article
(``?article=ID``) and once corpus-wide (``?scope=corpus``), and reads the server's VmRSS (now) and
VmHWM (peak) from /proc after each page. With ``--apptest`` the pages run in this process with
Streamlit's AppTest instead, and this process's memory is read. Goal: ≤ 1 GB resident.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _common import ROOT, print_table, rss_kib

GOAL_MB = 1024
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_article(db: Path) -> str:
    import sqlite3

    with sqlite3.connect(db) as con:
        row = con.execute("SELECT id FROM articles ORDER BY added_at DESC LIMIT 1").fetchone()
    if row is None:
        raise SystemExit(f"{db} holds no articles")
    return row[0]


def start_server(db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "NEWSLENS_DB": str(db.resolve())}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
        if server.poll() is not None:
            raise SystemExit(f"streamlit exited: {server.stderr.read().decode()[-2000:]}")
    server.terminate()
    raise SystemExit("streamlit did not answer within 60 s")


def wait_idle(page, timeout_ms: int) -> None:
    """Wait until the app has rendered and no script run is in progress."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_timeout(500)
    page.wait_for_function(
        """() => { const s = document.querySelector('[data-testid="stStatusWidget"]');
                   return !s || !/running/i.test(s.innerText); }""",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(300)


def browse(port: int, pid: int, article: str, timeout_ms: int) -> list[list]:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    rows = [["(started)", "", *_mb(pid), ""]]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(base + "/")
        wait_idle(page, timeout_ms)
        links = page.eval_on_selector_all(
            '[data-testid="stSidebarNav"] a', "els => els.map(e => e.getAttribute('href'))"
        )
        paths = list(dict.fromkeys(["/", *(_path(link) for link in links)]))
        for path in paths:
            for view, query in (("article", f"?article={article}"), ("corpus", "?scope=corpus")):
                start = time.perf_counter()
                page.goto(base + path + query)
                wait_idle(page, timeout_ms)
                elapsed = time.perf_counter() - start
                rows.append([path, view, *_mb(pid), f"{elapsed:.1f}"])
        browser.close()
    return rows


def in_process(article: str, timeout: float) -> list[list]:
    from streamlit.testing.v1 import AppTest

    pid = os.getpid()
    rows = [["(started)", "", *_mb(pid), ""]]
    pages = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))
    for page in pages:
        for view, params in (("article", {"article": article}), ("corpus", {"scope": "corpus"})):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
            at.run()
            at.switch_page(page)
            at.query_params = params
            start = time.perf_counter()
            at.run()
            rows.append([page, view, *_mb(pid), f"{time.perf_counter() - start:.1f}"])
    return rows


def _path(href: str) -> str:
    from urllib.parse import urlparse

    return urlparse(href).path or "/"


def _mb(pid: int) -> tuple[float, float]:
    rss, hwm = rss_kib(pid)
    return rss / 1024, hwm / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="the store to serve (see build_store.py)")
    parser.add_argument("--apptest", action="store_true", help="run the pages in-process, no browser")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed for one page")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        raise SystemExit(f"{args.db} does not exist (build it with benchmarks/build_store.py)")
    article = first_article(args.db)

    if args.apptest:
        os.environ["NEWSLENS_DB"] = str(args.db.resolve())
        os.chdir(ROOT)
        rows, mode = in_process(article, args.timeout), "in-process AppTest"
    else:
        if not Path(CHROMIUM).exists():
            raise SystemExit(f"{CHROMIUM} is missing (apt-get install chromium), or use --apptest")
        port = free_port()
        server = start_server(args.db, port)
        try:
            rows, mode = browse(port, server.pid, article, int(args.timeout * 1000)), "streamlit server + Chromium"
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"store: {args.db}; {mode}; article {article}\n")
    print_table(["page", "view", "RSS MB", "peak MB", "load s"], rows)
    peak = max(r[3] for r in rows)
    verdict = "met" if peak <= GOAL_MB else f"missed by {peak - GOAL_MB:.0f} MB"
    print(f"\ngoal: resident memory <= {GOAL_MB} MB: peak {peak:.0f} MB ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
