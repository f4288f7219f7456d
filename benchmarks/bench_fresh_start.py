"""Time from a fresh start of the dashboard to its first readable page, in a real browser.

    python benchmarks/bench_fresh_start.py              # 3 runs
    python benchmarks/bench_fresh_start.py --runs 1 --port 8514

Each run starts ``streamlit run app.py --server.headless true`` on an empty database (a new
``NEWSLENS_DB`` file, so the seed article under data/ is analysed on this start), opens the root
page in headless Chromium (Debian's, driven by Playwright) as soon as the server listens, and
records, from the moment the process was started:

- ``server``: the server answers HTTP;
- ``message``: the page shows text saying what it is doing (not only Streamlit's skeleton);
- ``readable``: the first readable page: the seed article's title (a heading) and its text
  (``READABLE_CHARS`` characters of the main area at least), while the analysis may still run;
- ``analysed``: the fully analysed page: the Overview shows the stored seed article (its title,
  the "Words" figure, and no "still being analysed" note).

Goal: ``readable`` within 5 s. Wall times on a loaded host are inflated: the table also gives
the server's CPU seconds by the fully analysed page, and the load average before each run.
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
READABLE_CHARS = 1500  # the seed's text (about 4,000 characters) and not only a message
ANALYSING = "Still being analysed"
CHROMIUM = "/usr/bin/chromium"


def _wait_http(url: str, began: float, timeout: float) -> float:
    while time.perf_counter() - began < timeout:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return time.perf_counter() - began
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process and its reaped children (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def one_run(port: int, timeout: float) -> tuple[float, float, float, float, float, float]:
    """(server, message, readable, analysed) seconds from process start, and the server's CPU
    seconds by the readable page (its own: the seeding child still runs) and by the analysed
    page (the child's included: it has exited and been reaped by then)."""
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
            message = readable = analysed = readable_cpu = None
            while time.perf_counter() - began < timeout:
                main = page.locator("section.stMain, [data-testid='stMain']").first
                text = main.inner_text(timeout=2000) if main.count() else ""
                now = time.perf_counter() - began
                if message is None and text.strip():
                    message = now
                titled = page.locator("[data-testid='stMain'] h2").count() > 0
                if readable is None and titled and len(text) >= READABLE_CHARS:
                    readable, readable_cpu = now, _cpu_seconds(server.pid)
                if titled and "Words" in text and ANALYSING not in text:
                    analysed = now
                    break
                time.sleep(0.05)
            if analysed is None:
                raise SystemExit(f"the analysed page was not shown within {timeout:.0f} s")
            cpu = _cpu_seconds(server.pid)
            return listening, message or analysed, readable or analysed, analysed, readable_cpu or cpu, cpu
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
        load = os.getloadavg()[0]
        server, message, readable, analysed, readable_cpu, cpu = one_run(args.port, args.timeout)
        rows.append([run, f"{load:.1f}", f"{server:.1f}", f"{message:.1f}", f"{readable:.1f}", f"{analysed:.1f}",
                     f"{readable_cpu:.1f}", f"{cpu:.1f}"])  # fmt: skip
    readables = [float(r[4]) for r in rows]
    analysed = [float(r[5]) for r in rows]
    rows.append(["median", "", "", "", f"{median(readables):.1f}", f"{median(analysed):.1f}", "", ""])
    print_table(["run", "load", "server s", "message s", "first readable page s", "fully analysed page s",
                 "server CPU s by readable", "server + seeding CPU s by analysed"], rows)  # fmt: skip
    verdict = "met" if median(readables) <= GOAL_SECONDS else f"missed ({median(readables) / GOAL_SECONDS:.2f}x)"
    print(f"\ngoal: first readable page within {GOAL_SECONDS:.0f} s of the process start: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
