"""Shared fixtures: one spaCy pipeline per test session, the seed article, a temporary store."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "000_6b59547119199e55.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(autouse=True)
def _tone_choice_restored() -> Iterator[None]:
    """`main([..., "--tone", "fast"])` sets $NEWSLENS_TONE for its worker processes; in a test it
    would leak into every later test in the session, so each test gets the value back it started with."""
    from analysis.tone_models import TONE_ENV

    before = os.environ.get(TONE_ENV)
    yield
    if before is None:
        os.environ.pop(TONE_ENV, None)
    else:
        os.environ[TONE_ENV] = before


@pytest.fixture(scope="session")
def nlp():
    from analysis.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture()
def db_url(tmp_path, monkeypatch) -> str:
    """A fresh SQLite file for one test, also set as NEWSLENS_DB."""
    url = str(tmp_path / "test.sqlite")
    monkeypatch.setenv("NEWSLENS_DB", url)
    return url


# -- store backends --------------------------------------------------------------------------
# The store tests run on SQLite and, when NEWSLENS_TEST_PG names a PostgreSQL server (.ci/run
# starts one), on PostgreSQL too; without it the PostgreSQL cases are skipped, so a plain local
# `pytest` still works.
TEST_PG = os.environ.get("NEWSLENS_TEST_PG", "")
BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not TEST_PG, reason="NEWSLENS_TEST_PG is not set")))


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty database on the test server; dropped afterwards (connections and all)."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    name = f"newslens_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(TEST_PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(TEST_PG).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as con:
            con.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> Iterator[str]:
    """A fresh store on each backend: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite")
    else:
        with postgres_database() as url:
            yield url
