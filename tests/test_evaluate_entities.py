"""Entity evaluation: CoNLL reading and scoring, alias-group metrics, the CLI table."""

from __future__ import annotations

import json
import shutil

import pytest

from analysis.evaluate.entities import (
    DEFAULT_ALIASES,
    Scores,
    cli,
    evaluate_aliases,
    evaluate_conll,
    read_conll,
)

CONLL = """-DOCSTART- -X- -X- O

Angela NNP B-NP B-PER
Merkel NNP I-NP I-PER
visited VBD B-VP O
the DT B-NP O
United NNP I-NP B-LOC
States NNPS I-NP I-LOC
on IN B-PP O
Monday NNP B-NP O
. . O O

-DOCSTART- -X- -X- O

Shares NNS B-NP O
of IN B-PP O
Microsoft NNP B-NP B-ORG
rose VBD B-VP O
in IN B-PP O
London NNP B-NP B-LOC
. . O O
"""


@pytest.fixture()
def conll_file(tmp_path):
    path = tmp_path / "tiny.conll"
    path.write_text(CONLL, encoding="utf-8")
    return path


def test_read_conll_splits_documents(conll_file):
    documents = list(read_conll(conll_file))
    assert [len(words) for words, _ in documents] == [9, 7]
    assert documents[0][1][:2] == ["B-PER", "I-PER"]


def test_scores():
    scores = Scores(tp=3, fp=1, fn=2)
    assert scores.precision == 0.75
    assert scores.recall == 0.6
    assert scores.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Scores().f1 == 0.0


def test_evaluate_conll_on_a_tiny_file(conll_file):
    report = evaluate_conll(conll_file)
    assert report.documents == 2 and report.gold == 4
    ours = report.overall["newslens"]
    assert ours.tp + ours.fn == 4
    # "the United States": spaCy includes "the", gold does not; our trimming fixes the span.
    assert ours.tp == 4
    assert ours.tp > report.overall["spacy"].tp
    assert report.per_type["newslens"]["LOC"].tp >= 1


def test_evaluate_conll_limit_docs(conll_file):
    report = evaluate_conll(conll_file, limit_docs=1)
    assert report.documents == 1 and report.gold == 2


@pytest.fixture()
def alias_dir(tmp_path):
    for name in ("04_sports_smiths.json", "08_film_ford.json"):
        shutil.copy(DEFAULT_ALIASES / name, tmp_path / name)
    return tmp_path


def test_evaluate_aliases_counts_groups(alias_dir):
    report = evaluate_aliases(alias_dir)
    assert report.files == 2
    assert report.groups == 11
    assert report.merged + report.split <= report.groups
    assert report.wrong_merges == 0  # the two Smiths, and Ford vs Harrison Ford, stay apart
    assert report.merged >= 9


def test_evaluate_aliases_reports_a_wrong_merge(tmp_path):
    text = "Marta Kowalczyk spoke on Monday. Kowalczyk said the plan was sound."
    groups = [["Marta Kowalczyk"], ["Kowalczyk"]]  # deliberately wrong gold: two groups
    (tmp_path / "a.json").write_text(json.dumps({"text": text, "groups": groups}))
    report = evaluate_aliases(tmp_path)
    assert report.wrong_merges == 1
    assert report.merged == 0
    assert report.failures


def test_alias_fixtures_are_well_formed():
    files = sorted(DEFAULT_ALIASES.glob("*.json"))
    assert len(files) >= 12
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert 150 <= len(data["text"].split()) <= 400
        for group in data["groups"]:
            assert all(form in data["text"] for form in group), (path.name, group)


def test_cli_prints_the_table(conll_file, alias_dir, capsys):
    assert cli([str(conll_file), "--aliases", str(alias_dir)]) == 0
    out = capsys.readouterr().out
    assert "ALL     spacy" in out and "ALL     newslens" in out
    assert "Aliases: 2 files, 11 groups" in out
