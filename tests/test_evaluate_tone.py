from __future__ import annotations

import json

import pytest

from analysis.evaluate.tone import agreeing, cli, macro_f1, read_targets

ROWS = [
    {
        "sentence_normalized": "Smith praised the plan while Jones was accused of fraud.",
        "targets": [
            {"from": 0, "to": 5, "mention": "Smith", "polarity": 6.0},
            {"from": 29, "to": 34, "mention": "Jones", "polarity": 2.0},
        ],
    },
    {
        "sentence_normalized": "The mayor will speak on Tuesday.",
        "targets": [{"from": 4, "to": 9, "mention": "mayor", "polarity": 4.0}],
    },
]


@pytest.fixture()
def newsmtsc_file(tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    return path


def test_read_targets(newsmtsc_file):
    targets = read_targets(newsmtsc_file)
    assert [t.label for t in targets] == ["positive", "negative", "neutral"]
    assert targets[1].sentence[targets[1].start : targets[1].end] == "Jones"
    assert len(read_targets(newsmtsc_file, limit=2)) == 2


def test_only_sentences_whose_targets_agree_get_a_sentence_label(newsmtsc_file):
    gold = agreeing(read_targets(newsmtsc_file))
    assert gold.sentences == ["The mayor will speak on Tuesday."]  # Smith + / Jones - disagree
    assert gold.labels == ["neutral"]


def test_macro_f1():
    gold = ["negative", "neutral", "positive", "positive"]
    assert macro_f1(gold, gold) == (1.0, 1.0)
    score = macro_f1(gold, ["negative", "positive", "positive", "positive"])
    assert score.accuracy == 0.75
    assert score.macro_f1 == pytest.approx((1 + 0 + 0.8) / 3)


def test_cli_prints_every_method_and_writes_predictions(newsmtsc_file, tmp_path, capsys):
    out = tmp_path / "predictions.jsonl"
    assert cli([str(newsmtsc_file), "--predictions", str(out)]) == 0
    printed = capsys.readouterr().out
    for name in ("targeted accurate", "targeted fast", "sentence tone", "TextBlob", "VADER", "targets per CPU-second"):
        assert name in printed
    per_sentence = printed[printed.index("per sentence") :]
    assert "(1 sentences whose targets agree)" in per_sentence
    for name in ("Newslens tone", "TextBlob", "VADER"):
        assert name in per_sentence
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["from"], r["to"]) for r in rows] == [(0, 5), (29, 34), (4, 9)]
    assert all(r["label"] in {"negative", "neutral", "positive"} for r in rows)
    assert all(-1 <= r["score"] <= 1 for r in rows)
    from analysis.tone import score_text, tone_label

    for r in rows:  # the sentence's Newslens tone as the pages show it, and its label
        tone = score_text(r["sentence"]).tone
        assert r["sentence_tone"] == pytest.approx(tone, abs=1e-4)
        assert r["sentence_label"] == tone_label(tone)
    assert rows[0]["sentence_tone"] == rows[1]["sentence_tone"]


def test_cli_rejects_a_file_that_is_not_newsmtsc(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "no targets here"}\n', encoding="utf-8")
    assert cli([str(path)]) == 2
    assert "line 1" in capsys.readouterr().err
