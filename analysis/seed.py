"""The seed articles (article files under data/) stored on a first start, in the background.

A first start has to load the language model and the tone encoder and analyse the seed before
any page can show a stored article: seconds of work. ``start_seeding`` returns at once with a
``SeedJob``: the seed files cleaned (cleaning needs no model, so the page can show their title,
headlines and text straight away, marked as still being analysed) and a child process,
``python -m analysis.seed``, that loads the models, analyses and stores them, printing which
``phase`` it is in. A process, not a thread: the app process keeps its interpreter (and the
GIL) for the pages while the child fills the other core, and never loads the models itself
for the seed. This module imports no model.

    job = start_seeding(store)          # None when every seed file is already stored
    job.snapshot().phase                # "Loading the language model (spaCy)" …; read by the page
"""

from __future__ import annotations

import atexit
import hashlib
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputError
from analysis.store import DATA_DIR, Store

__all__ = ["ARTICLE_SUFFIXES", "SeedJob", "SeedPreview", "new_seed_files", "start_seeding"]

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})

PHASE_LANGUAGE = "Loading the language model (spaCy)"
PHASE_TONE = "Loading the tone models (the MiniLM encoder)"
PHASE_ANALYSE = "Analysing the seed article: entities, tone, quotes"
PHASE_DONE = "Done"


def new_seed_files(store: Store, folder: Path = DATA_DIR) -> list[tuple[Path, str]]:
    """Article files under ``folder`` this store has not seen yet, with the digest of their bytes
    (a start-up with nothing new costs one directory listing and one query)."""
    known = store.known_digests()
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES]
    found = [(p, hashlib.sha256(p.read_bytes()).hexdigest()) for p in files]
    return [(p, d) for p, d in found if d not in known]


@dataclass(frozen=True, slots=True)
class SeedPreview:
    """What cleaning made of a seed file, before any model ran: shown while it is analysed."""

    title: str
    headlines: tuple[tuple[str, str], ...]  # (role, text)
    body: str


@dataclass(slots=True)
class SeedJob:
    """The background seeding: the cleaned previews, the phase, and how it ended."""

    previews: list[SeedPreview]
    phase: str = PHASE_LANGUAGE  # the child's first phase, from its start
    phases: list[tuple[str, float]] = field(default_factory=list)  # (phase, seconds it took)
    error: str = ""
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _since: float = field(default_factory=time.perf_counter, repr=False)

    @property
    def running(self) -> bool:
        return self.finished is None

    def snapshot(self) -> SeedJob:
        """A copy for the page to read (the thread keeps updating this one)."""
        with self._lock:
            return SeedJob(
                self.previews, self.phase, list(self.phases), self.error, self.started, self.finished
            )

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job ends (or ``timeout`` seconds); True when it has ended."""
        end = None if timeout is None else time.perf_counter() + timeout
        while self.running and (end is None or time.perf_counter() < end):
            time.sleep(0.05)
        return not self.running

    def _enter(self, phase: str) -> None:
        now = time.perf_counter()
        with self._lock:
            if phase == self.phase:
                return
            self.phases.append((self.phase, now - self._since))
            self.phase, self._since = phase, now
            if phase == PHASE_DONE:
                self.finished = now


def _preview(path: Path) -> SeedPreview | None:
    from analysis.clean import clean_article
    from analysis.decode import decode_bytes, detect_format

    try:
        text = decode_bytes(path.read_bytes(), name=path.name)
        cleaned = clean_article(text, format=detect_format(text, path.name), name=path.name)
    except (InputError, OSError):
        return None  # the ingest reports it
    return SeedPreview(cleaned.title, tuple((h.role, h.text) for h in cleaned.headlines), cleaned.body)


PHASE_MARK = "newslens-seed-phase:"  # how the child announces a phase on its stdout


def start_seeding(store: Store, folder: Path = DATA_DIR) -> SeedJob | None:
    """Clean the new seed files now, and analyse and store them in a child process; None when
    there is nothing new. A failure is kept in ``SeedJob.error`` (the page shows it)."""
    new = new_seed_files(store, folder)
    if not new:
        return None
    job = SeedJob([p for p in (_preview(path) for path, _ in new) if p is not None])
    url = store.db.url if store.db.postgres else f"sqlite:///{Path(store.path).resolve()}"
    env = {**os.environ, "NEWSLENS_DB": url}
    child = subprocess.Popen(
        [sys.executable, "-m", "analysis.seed", str(Path(folder).resolve())],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    atexit.register(_stop, child)  # the app stopped first: the seed is stored on the next start
    threading.Thread(target=_follow, args=(job, child), name="newslens-seed", daemon=True).start()
    return job


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()


def _follow(job: SeedJob, child: subprocess.Popen) -> None:
    """Read the child's phases until it exits; keep the end of its stderr when it fails."""
    assert child.stdout is not None and child.stderr is not None
    for line in child.stdout:
        if line.startswith(PHASE_MARK):
            job._enter(line.removeprefix(PHASE_MARK).strip())
    errors = child.stderr.read()
    if child.wait() != 0:
        lines = [x for x in errors.strip().splitlines() if x.strip()]
        with job._lock:
            job.error = lines[-1] if lines else f"the seeding process exited with status {child.returncode}"
    job._enter(PHASE_DONE)


def _announce(phase: str) -> None:
    print(PHASE_MARK, phase, flush=True)


def main(argv: list[str] | None = None) -> int:
    """The child: load the models, then store the new seed files of the folder given (``$NEWSLENS_DB``)."""
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0]) if argv else DATA_DIR
    _announce(PHASE_LANGUAGE)
    from analysis.nlp import load_nlp

    load_nlp()
    _announce(PHASE_TONE)
    from analysis.pipeline import load_models

    load_models()
    _announce(PHASE_ANALYSE)
    from analysis.ingest import seed_store

    seed_store(Store(), folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
