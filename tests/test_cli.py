"""The command line, in-process (fast) and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

from analysis.cli import main
from tests.conftest import ROOT, SEED


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_analyze_json_on_the_seed(capsys):
    status, out, err = run(capsys, "analyze", str(SEED), "--json")
    assert status == 0, err
    (line,) = out.splitlines()
    row = json.loads(line)
    assert row["path"] == str(SEED)
    for key in ("id", "title", "headlines", "paragraphs", "removed", "metadata", "entities", "quotes", "sentences", "tone"):
        assert key in row
    assert {"text", "role"} <= set(row["headlines"][0])
    assert {"text", "speaker", "kind", "cue", "start", "end"} <= set(row["quotes"][0])
    assert {"text", "start", "end", "polarity", "subjectivity", "vader", "tone"} <= set(row["sentences"][0])
    assert set(row["tone"]) == {"polarity", "subjectivity", "vader", "tone"}


def test_analyze_ids_match_ingest_ids(capsys, db_url):
    _, out, _ = run(capsys, "analyze", str(SEED), "--json")
    analyzed_id = json.loads(out)["id"]
    status, out, _ = run(capsys, "ingest", str(SEED), "--workers", "1")
    assert status == 0 and "1 added" in out
    _, out, _ = run(capsys, "export", "--format", "jsonl", "--table", "articles")
    assert json.loads(out.splitlines()[0])["id"] == analyzed_id


def test_readable_summary(capsys):
    status, out, _ = run(capsys, "analyze", str(SEED))
    assert status == 0
    assert "title: United States urges Israel" in out
    assert "Eliav Benjamin" in out


def test_bad_files_fail_alone(capsys, tmp_path, db_url):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\t ")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    status, out, err = run(capsys, "ingest", str(empty), str(SEED), str(binary), "--workers", "1")
    assert status == 2
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "Traceback" not in err
    assert "1 added" in out and "2 failed" in out


def test_missing_file_is_one_line(capsys, tmp_path):
    status, out, err = run(capsys, "analyze", str(tmp_path / "nope.txt"))
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "cannot read" in err


def test_reingesting_is_a_no_op(capsys, db_url):
    run(capsys, "ingest", str(SEED), "--workers", "1")
    status, out, _ = run(capsys, "ingest", str(SEED), "--workers", "1")
    assert status == 0 and "0 added, 1 already stored" in out


def test_export_formats(capsys, db_url, tmp_path):
    run(capsys, "ingest", str(SEED), "--workers", "1")
    status, out, _ = run(capsys, "export", "--format", "csv", "--table", "quotes")
    assert status == 0 and out.splitlines()[0].startswith("article_id,idx,text,speaker")
    assert out.splitlines()[0].endswith(",outlet,published,url")  # where and when each quote appeared
    parquet = tmp_path / "q.parquet"
    assert run(capsys, "export", "--format", "parquet", "--table", "quotes", "--out", str(parquet))[0] == 0
    import pandas as pd

    assert len(pd.read_parquet(parquet)) >= 2


def test_info_as_a_real_process(db_url):
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "info", "--json"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    info = json.loads(proc.stdout)
    assert info["database"] == db_url and info["articles"] == 0
    assert info["spacy_model"].startswith("en_core_web_sm")
    assert info["tone_model"] == "targeted_tone_v3"  # the accurate model is the default


def test_tone_flag_picks_the_model_and_a_bad_choice_is_one_line(capsys, monkeypatch, db_url):
    from analysis.targeted import TONE_ENV

    monkeypatch.delenv(TONE_ENV, raising=False)
    status, out, _ = run(capsys, "info", "--json")
    assert status == 0 and json.loads(out)["tone_model"] == "targeted_tone_v3"
    monkeypatch.setenv(TONE_ENV, "fast")
    status, out, _ = run(capsys, "info", "--json")
    assert status == 0 and json.loads(out)["tone_model"] == "targeted_tone_v2"
    status, out, _ = run(capsys, "analyze", str(SEED), "--json", "--tone", "accurate")
    assert status == 0 and json.loads(out)["title"]
    import os

    assert os.environ[TONE_ENV] == "accurate"  # what worker processes inherit
    monkeypatch.setenv(TONE_ENV, "best")
    status, out, err = run(capsys, "info")
    assert status == 2 and out == ""
    assert err.strip() == "error: NEWSLENS_TONE must be one of accurate, fast, not 'best'"
