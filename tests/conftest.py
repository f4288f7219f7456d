"""Shared fixtures: one spaCy pipeline per test session, the seed article, a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "articles" / "000_6b59547119199e55.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVAL = ROOT.parent / "shared" / "eval"


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
