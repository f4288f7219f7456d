"""Time from a fresh start of the dashboard to its first readable page, in a real browser.

    python benchmarks/bench_fresh_start.py              # 3 runs
    python benchmarks/bench_fresh_start.py --runs 1 --port 8514

Each run starts ``streamlit run app.py --server.headless true`` on an empty database (a new
``NEWSLENS_DB`` file, so the seed article under data/ is analysed on this start), opens the root
page in headless Chromium (Debian's, driven by Playwright) as soon as the server listens, and
records, from the moment the process was started:

- ``server``: the server answers HTTP;
- ``message``: the page shows text saying what it is doing (not only Streamlit's skeleton);
- ``page``: the Overview shows the seed article (its title and the "Words" figure).

Goal: ``page`` within 5 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import ROOT, machine, median, print_table

GOAL_SECONDS = 5.0
CHROMIUM = "/usr/bin/chromium"


def _wait_http(url: str, began: float, timeout: float) -> float:
    while time.perf_counter() - began < timeout:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return time.perf_counter() - began
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def one_run(port: int, timeout: float) -> tuple[float, float, float]:
    """(server, message, page) seconds from process start."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="newslens-fresh-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        env = os.environ | {"NEWSLENS_DB": str(Path(tmp) / "fresh.sqlite"), "PYTHONPATH": str(ROOT)}
        began = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--browser.gatherUsageStats", "false"],  # fmt: skip
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://localhost:{port}/"
            listening = _wait_http(url + "_stcore/health", began, timeout)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            message = page_shown = None
            while time.perf_counter() - began < timeout:
                main = page.locator("section.stMain, [data-testid='stMain']").first
                text = main.inner_text(timeout=2000) if main.count() else ""
                if message is None and text.strip():
                    message = time.perf_counter() - began
                if "Words" in text and page.locator("h2").count():
                    page_shown = time.perf_counter() - began
                    break
                time.sleep(0.05)
            if page_shown is None:
                raise SystemExit(f"the first page was not shown within {timeout:.0f} s")
            return listening, message or page_shown, page_shown
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8514)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores; load average {os.getloadavg()[0]:.1f}")
    rows = []
    for run in range(1, args.runs + 1):
        cpu_before = os.times()
        server, message, page = one_run(args.port, args.timeout)
        cpu = os.times()
        children = (cpu.children_user - cpu_before.children_user) + (cpu.children_system - cpu_before.children_system)
        rows.append([run, f"{server:.1f}", f"{message:.1f}", f"{page:.1f}", f"{children:.1f}"])
    pages = [float(r[3]) for r in rows]
    rows.append(["median", "", "", f"{median(pages):.1f}", ""])
    print_table(["run", "server s", "message s", "first page s", "server CPU s"], rows)
    verdict = "met" if median(pages) <= GOAL_SECONDS else f"missed ({median(pages) / GOAL_SECONDS:.2f}x)"
    print(f"\ngoal: first page within {GOAL_SECONDS:.0f} s of the process start: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
