"""The ``evaluate`` commands on small slices of the real annotated data in ../shared/eval.

The data is read where it lies (never copied into the repository); the tests are skipped where
it is absent. Full-size figures are in the README's Accuracy table.
"""

from __future__ import annotations

import json

import pytest

from analysis.cli import main
from tests.conftest import EVAL

POLNEAR_DEV = EVAL / "polnear" / "dev"
NEWSMTSC_DEV = EVAL / "newsmtsc" / "dev_rw.jsonl"
CONLL_DEV = EVAL / "conllpp" / "conllpp_dev.txt"


def needs(path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not here (../shared/eval)")


@needs(POLNEAR_DEV)
def test_evaluate_quotes_on_a_slice(capsys):
    assert main(["evaluate", "quotes", str(POLNEAR_DEV), "--limit", "4"]) == 0
    out = capsys.readouterr().out
    assert "textacy" in out and "F1" in out


@needs(NEWSMTSC_DEV)
def test_evaluate_tone_on_a_slice(capsys, tmp_path):
    predictions = tmp_path / "p.jsonl"
    assert main(["evaluate", "tone", str(NEWSMTSC_DEV), "--limit", "60", "--predictions", str(predictions)]) == 0
    out = capsys.readouterr().out
    assert "TextBlob" in out and "VADER" in out
    rows = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert len(rows) == 60
    assert {"sentence", "from", "to", "label", "score"} <= set(rows[0])
    assert {r["label"] for r in rows} <= {"negative", "neutral", "positive"}


@needs(CONLL_DEV)
def test_evaluate_entities_on_a_slice(capsys):
    assert main(["evaluate", "entities", str(CONLL_DEV), "--limit-docs", "3"]) == 0
    out = capsys.readouterr().out
    assert "spacy" in out.lower() and "F1" in out and "alias" in out.lower()


def test_unknown_evaluation_is_exit_2(capsys):
    assert main(["evaluate", "sarcasm"]) == 2
    assert "usage" in capsys.readouterr().err


PAGES_READABILITY = EVAL / "pages" / "readability"
PAGES_TRAFILATURA = EVAL / "pages" / "trafilatura"


@needs(PAGES_READABILITY)
def test_evaluate_cleaning_on_a_slice(capsys):
    assert main(["evaluate", "cleaning", str(PAGES_READABILITY), "--limit", "3"]) == 0
    out = capsys.readouterr().out
    for name in ("Newslens (copied text)", "keep every line", "trafilatura alone", "body F1", "title"):
        assert name in out


@needs(PAGES_TRAFILATURA)
def test_evaluate_cleaning_snippets_on_a_slice(capsys):
    assert main(["evaluate", "cleaning", str(PAGES_TRAFILATURA), "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "with kept" in out and "w/o dropped" in out and "trafilatura alone" not in out
