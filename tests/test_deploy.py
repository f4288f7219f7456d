"""The team deployment, for real: two ``streamlit run app.py`` processes on one database behind
nginx running the repository's ``deploy/nginx-newslens.conf``, driven by headless Chromium.

An article added through the proxy shows on both app processes' pages; a batch uploaded through
the proxy is saved as a background job with progress; every request of one browser reaches the
same app process (``ip_hash``) and the WebSocket works through the proxy.

Needs Debian's chromium and nginx (``.ci/run`` installs both).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_browser import CHROMIUM, PASTED, PASTED_TITLE, _free_port, settle, share_url
from tests.test_concurrency import news_article

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONF = ROOT / "deploy" / "nginx-newslens.conf"
START_TIMEOUT = 180  # seconds for the processes to answer (the machine may be busy)
TIMEOUT_MS = 180_000
BATCH = 4  # articles in the uploaded batch: a background save (NEWSLENS_BACKGROUND_MIN below)


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{process.args[:3]} did not answer at {url}:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


@contextmanager
def _process(command: list[str], env: dict[str, str], log: Path, health: str) -> Iterator[subprocess.Popen]:
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(health, process, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def nginx_conf(tmp: Path, listen: int, apps: list[int]) -> Path:
    """A top-level nginx.conf for a test run that includes the repository's site file, with the
    listen port and the app servers set (everything else as in the file)."""
    site = CONF.read_text(encoding="utf-8")
    site = re.sub(r"(?m)^\s*server 127\.0\.0\.1:\d+;\n", "", site)
    site = site.replace("ip_hash;", "ip_hash;\n" + "".join(f"    server 127.0.0.1:{p};\n" for p in apps))
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    (tmp / "newslens.conf").write_text(site, encoding="utf-8")
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers otherwise drop to nobody
    main = f"""{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 512; }}
http {{
    log_format upstream '$request_method $uri $status upstream=$upstream_addr';
    access_log {tmp}/access.log upstream;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/newslens.conf;
}}
"""
    path = tmp / "nginx.conf"
    path.write_text(main, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Iterator[dict]:
    """Two app processes on one database and nginx in front: their base URLs and the log dir."""
    if not CHROMIUM.exists() or not Path(NGINX).exists():
        pytest.skip("needs Debian's chromium and nginx (apt-get install chromium nginx)")
    tmp = tmp_path_factory.mktemp("team")
    database = str(tmp / "newslens.sqlite")
    apps, proxy = [_free_port(), _free_port()], _free_port()
    env = {**os.environ, "NEWSLENS_DB": database, "NEWSLENS_BACKGROUND_MIN": str(BATCH)}
    with ExitStack() as stack:
        for port in apps:
            command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                       "--server.port", str(port), "--browser.gatherUsageStats", "false"]  # fmt: skip
            stack.enter_context(_process(command, env, tmp / f"app-{port}.log", f"http://127.0.0.1:{port}/_stcore/health"))
        conf = nginx_conf(tmp, proxy, apps)
        command = [NGINX, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"]
        stack.enter_context(_process(command, os.environ.copy(), tmp / "nginx.log", f"http://127.0.0.1:{proxy}/_stcore/health"))
        yield {"proxy": f"http://127.0.0.1:{proxy}", "apps": [f"http://127.0.0.1:{p}" for p in apps],
               "database": database, "logs": tmp}  # fmt: skip


@pytest.fixture(scope="module")
def browser(team):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield browser
        browser.close()


def open_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    settle(page)
    return page


def upload(page, path: Path) -> None:
    """Upload ``path`` on the Add page (through whatever address the page was opened at)."""
    page.get_by_role("tab", name="Upload files").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text("Preview of the cleaning", exact=True).wait_for()
    settle(page)


def test_an_article_added_through_the_proxy_shows_on_both_app_processes(browser, team, tmp_path):
    article = tmp_path / "bridge.txt"
    article.write_text(PASTED, encoding="utf-8")
    page = open_page(browser, f"{team['proxy']}/add")
    upload(page, article)
    page.get_by_role("button", name=re.compile(r"Save 1 article")).click()
    page.get_by_text("Saved: article").wait_for()
    settle(page)
    link = share_url(page)
    assert link.startswith(team["proxy"]), link  # the link names the address the team uses
    page.context.close()
    article = re.search(r"article=([0-9a-f]{16})", link).group(1)
    for app in team["apps"]:  # each process, straight: one of them never saw the save
        for path, expected in (("", PASTED_TITLE), ("quotes", "Tomas Reyes")):
            other = open_page(browser, f"{app}/{path}?article={article}")
            other.get_by_text(expected).first.wait_for()
            assert not other.locator('[data-testid="stException"]').count()
            other.context.close()
    upstreams = set(re.findall(r"upstream=(\S+)", (team["logs"] / "access.log").read_text()))
    assert len(upstreams) == 1, upstreams  # ip_hash: one browser, one app process


def test_a_batch_uploaded_through_the_proxy_saves_in_the_background(browser, team, tmp_path):
    from analysis.store import Store

    batch = tmp_path / "batch.jsonl"
    titles = [f"Deploy test story {i}: council approves harbour budget" for i in range(BATCH)]
    batch.write_text(
        "\n".join(json.dumps({"title": t, "text": news_article(300 + i)}) for i, t in enumerate(titles)), encoding="utf-8"
    )
    before = Store(team["database"]).count()
    page = open_page(browser, f"{team['proxy']}/add")
    upload(page, batch)
    page.get_by_role("button", name=re.compile(rf"Save {BATCH} articles")).click()
    page.get_by_text(re.compile(r"Saving in the background: \d+ of 4 analysed")).first.wait_for()
    page.get_by_role("tab", name="Paste text").click()  # the page answers while the save runs
    assert page.get_by_role("textbox", name="Article text").is_enabled()
    page.get_by_text("Saved: article").first.wait_for()
    settle(page)
    assert page.get_by_text("Saved: article").count() == BATCH
    page.context.close()
    stored = set(Store(team["database"]).articles_frame(limit=1000)["title"])
    assert set(titles) <= stored and len(stored) == before + BATCH
