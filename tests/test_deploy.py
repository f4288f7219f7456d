"""The team deployment of docs/deploy.md, end to end: two ``streamlit run app.py`` processes on one
PostgreSQL database behind nginx, configured from ``deploy/nginx-newslens.conf``, driven by
headless Chromium through the proxy.

An article uploaded through the proxy opens by its link on each process; an article pasted through
the proxy shows in the other process's article list; the page's WebSocket and the upload went
through nginx, and every request of the browser reached one process (``ip_hash``).

Needs a PostgreSQL server (``NEWSLENS_TEST_PG``), nginx (``/usr/sbin/nginx``) and Debian's
Chromium (``/usr/bin/chromium``); ``.ci/run`` provides all three. nginx runs in the foreground as
a child of the test, with its pid file, logs and temporary files in the test's folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_browser import (
    CHROMIUM,
    TIMEOUT_MS,
    _free_port,
    launch_chromium,
    open_page,
    settle,
    share_url,
)

ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = ROOT / "deploy" / "nginx-newslens.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEST_PG = os.environ.get("NEWSLENS_TEST_PG", "")
START_TIMEOUT = 90  # seconds for a process to answer
UPLOADED_TITLE = "River ferry returns after a winter of repairs"
UPLOADED = f"""{UPLOADED_TITLE}

The river ferry between Eastbank and Millford sailed again on Saturday after four months in dry dock.

"We missed it every single morning," said Hanna Kovacs, who runs a bakery by the landing.

The county paid for a new engine and a wider ramp, the transport office said in a statement.
"""
PASTED_TITLE = "Valley school opens a library run by its pupils"
PASTED = f"""{PASTED_TITLE}

A primary school in the Ash Valley opened a library on Wednesday that its pupils catalogue and run.

"They choose the books and they lend them out," said Peter Novak, the head teacher.

Parents gave more than two thousand books over the winter, the school said.
"""


pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason=f"{NGINX} is missing: install nginx (apt-get install nginx)"
)


def _missing() -> str:
    """Why the end-to-end tests cannot run here ("" when they can)."""
    if not TEST_PG:
        return "NEWSLENS_TEST_PG is not set (a PostgreSQL server for the test database)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
    return ""


def render_nginx_conf(template: str, upstreams: list[int], listen: int) -> str:
    """``deploy/nginx-newslens.conf`` with its ``server`` lines naming ``upstreams`` (loopback
    ports) and its ``listen`` line ``listen``; every other directive as shipped."""
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+;$", template, flags=re.M)
    assert len(servers) == len(upstreams), f"expected {len(upstreams)} upstream servers: {servers}"
    for line, port in zip(servers, upstreams, strict=True):
        template = template.replace(line, re.sub(r":\d+;", f":{port};", line), 1)
    template, found = re.subn(
        r"^(\s*)listen 80;$", rf"\1listen 127.0.0.1:{listen};", template, flags=re.M
    )
    assert found == 1, "expected one `listen 80;` line"
    return template


def nginx_main_conf(prefix: Path, site: Path) -> str:
    """The top-level configuration around the site: foreground-friendly paths under ``prefix``,
    and an access log that names the upstream each request went to."""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} notice;
events {{ worker_connections 256; }}
http {{
    log_format newslens '$remote_addr "$request" $status upstream=$upstream_addr';
    access_log {prefix / "access.log"} newslens;
{temp}
    include {site};
}}
"""


def write_nginx_conf(prefix: Path, upstreams: list[int], listen: int) -> Path:
    """The site rendered from ``deploy/nginx-newslens.conf`` and the top-level file around it,
    written under ``prefix``; returns the top-level file."""
    site = prefix / "newslens.conf"
    site.write_text(render_nginx_conf(NGINX_CONF.read_text(), upstreams, listen))
    main = prefix / "nginx.conf"
    main.write_text(nginx_main_conf(prefix, site))
    return main


def nginx_command(prefix: Path, conf: Path, *options: str) -> list[str]:
    """nginx in the foreground with everything it writes under ``prefix``."""
    error_log = str(prefix / "error.log")
    return [
        NGINX,
        "-p",
        str(prefix),
        "-e",
        error_log,
        "-c",
        str(conf),
        *options,
        "-g",
        "daemon off;",
    ]


def test_the_shipped_config_renders_to_valid_nginx(tmp_path):
    """``nginx -t`` accepts the rendered file, and it keeps every directive the set-up needs."""
    main = write_nginx_conf(tmp_path, [18501, 18502], 18080)
    checked = subprocess.run(nginx_command(tmp_path, main, "-t"), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    site = (tmp_path / "newslens.conf").read_text()
    for directive in (
        "ip_hash;", "server 127.0.0.1:18501;", "server 127.0.0.1:18502;", "listen 127.0.0.1:18080;",
        "proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $newslens_connection;",
        "proxy_http_version 1.1;", "proxy_read_timeout 1d;", "client_max_body_size 200m;",
    ):  # fmt: skip
        assert directive in site, directive


def wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    """Until ``url`` answers 200; fails with ``log`` when ``process`` exits or time runs out."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer:\n{log.read_text(errors='replace')}")
        time.sleep(0.3)


@contextmanager
def running() -> Iterator[Callable[..., subprocess.Popen]]:
    """A ``start(command, log, env)`` for child processes (output in ``log``); all of them are
    stopped together at the end (a Streamlit process takes seconds to shut down)."""
    processes: list[subprocess.Popen] = []

    def start(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
        with open(log, "wb") as out:
            processes.append(
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
            )
        return processes[-1]

    try:
        yield start
    finally:
        for process in processes:
            process.terminate()
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass(frozen=True, slots=True)
class Deployment:
    proxy: str  # the address the team uses (nginx)
    apps: tuple[str, ...]  # each app process, directly
    access_log: Path

    def access(self, *patterns: str, timeout: float = 15) -> list[str]:
        """The access log's lines, once each pattern matches one of them (nginx writes a
        request's line when it ends: a WebSocket's when the tab closes)."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.access_log.read_text().splitlines()
            if all(any(re.search(p, x) for x in lines) for p in patterns):
                return lines
            assert time.monotonic() < deadline, (patterns, lines)
            time.sleep(0.2)

    def served_by(self) -> str:
        """The app process nginx sends this browser to: the one upstream of every request."""
        log = self.access()
        found = {m.group(1) for line in log if (m := re.search(r" upstream=(\S+)$", line))}
        assert len(found) == 1, found  # ip_hash: one browser (one address), one process
        return f"http://{found.pop()}"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    from tests.conftest import postgres_database

    if missing := _missing():
        pytest.skip(missing)
    tmp = tmp_path_factory.mktemp("deploy")
    with ExitStack() as stack:
        url = stack.enter_context(postgres_database())
        start = stack.enter_context(running())  # stopped before the database is dropped
        env = {**os.environ, "NEWSLENS_DB": url}
        ports = [_free_port(), _free_port()]
        apps = []
        for port in ports:  # both start at once; the first page opened stores the seed
            command = [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                "--server.headless", "true", "--server.address", "127.0.0.1",
                "--server.port", str(port), "--server.fileWatcherType", "none",
                "--browser.gatherUsageStats", "false",
            ]  # fmt: skip
            log = tmp / f"app-{port}.log"
            apps.append((port, log, start(command, log, env)))
        listen = _free_port()
        main = write_nginx_conf(tmp, ports, listen)
        proxy = start(nginx_command(tmp, main), tmp / "nginx.out")
        for port, app_log, process in apps:
            wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", process, app_log)
        wait_healthy(f"http://127.0.0.1:{listen}/_stcore/health", proxy, tmp / "error.log")
        yield Deployment(
            f"http://127.0.0.1:{listen}",
            tuple(f"http://127.0.0.1:{p}" for p in ports),
            tmp / "access.log",
        )


@pytest.fixture(scope="module")
def browser(deployment):
    with launch_chromium() as browser:
        yield browser


def save_preview(page) -> tuple[str, str]:
    """Wait for the Add page's preview, save, and return the link the page prints and the id."""
    settle(page)
    page.get_by_text("Preview of the cleaning", exact=True).wait_for()
    page.get_by_role("button", name=re.compile(r"Save 1 article")).click()
    page.get_by_text("Saved: article").wait_for()
    settle(page)
    link = share_url(page)
    match = re.search(r"\?article=([0-9a-f]{16})$", link)
    assert match, link
    return link, match.group(1)


@dataclass(frozen=True, slots=True)
class Added:
    article_id: str
    link: str  # the share link the page printed
    sockets: tuple[str, ...]  # the WebSocket URLs the page opened


@pytest.fixture(scope="module")
def uploaded(browser, deployment) -> Added:
    """Upload a file on the Add page through the proxy and save it."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    page.goto(f"{deployment.proxy}/add")
    settle(page)
    page.get_by_role("tab", name="Upload files").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "ferry.txt", "mimeType": "text/plain", "buffer": UPLOADED.encode()}
    )
    page.get_by_text("ferry.txt").first.wait_for()
    link, article_id = save_preview(page)
    page.context.close()
    return Added(article_id, link, tuple(sockets))


@pytest.mark.browser
@pytest.mark.slow
def test_the_page_its_websocket_and_the_upload_go_through_nginx(deployment, uploaded):
    proxied = deployment.proxy.replace("http", "ws", 1)
    assert uploaded.sockets, "the page opened no WebSocket"
    assert all(s.startswith(f"{proxied}/_stcore/stream") for s in uploaded.sockets), (
        uploaded.sockets
    )
    assert uploaded.link.startswith(f"{deployment.proxy}/?article="), uploaded.link
    deployment.access(  # the WebSocket upgraded (101) and the file uploaded (204) via nginx
        r'"GET /_stcore/stream\S* HTTP/1.1" 101 ', r'"PUT /_stcore/upload_file/\S+ HTTP/1.1" 20\d '
    )
    assert deployment.served_by() in deployment.apps


@pytest.mark.browser
@pytest.mark.slow
def test_an_uploaded_article_opens_on_each_process(browser, deployment, uploaded):
    for app in deployment.apps:
        page = open_page(browser, f"{app}/?article={uploaded.article_id}")
        page.locator('[data-testid="stMain"]').get_by_text(UPLOADED_TITLE).first.wait_for()
        assert "Hanna Kovacs" in page.locator('[data-testid="stMain"]').inner_text()
        page.context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_pasted_article_shows_in_the_other_processes_list(browser, deployment, uploaded):
    """The other process has served pages before (its cached frames are of the store without
    this article, when the test above ran): its next page shows the article, newest first."""
    other = next(a for a in deployment.apps if a != deployment.served_by())
    page = open_page(browser, f"{deployment.proxy}/add")
    textbox = page.get_by_role("textbox", name="Article text")
    textbox.fill(PASTED)
    textbox.press("Control+Enter")
    _, pasted_id = save_preview(page)
    page.context.close()

    page = open_page(browser, other)  # no article in the URL: the newest is shown
    page.locator('[data-testid="stMain"]').get_by_text(PASTED_TITLE).first.wait_for()
    assert f"article={pasted_id}" in page.url
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
    options = page.get_by_role("option").all_inner_texts()
    assert any(o.startswith(PASTED_TITLE) for o in options), options
    assert any(o.startswith(UPLOADED_TITLE) for o in options), options
    page.keyboard.press("Escape")
    page.context.close()
